//! The three tables laid out with a variation's choices: the official form's grid (from
//! `layout`) made a [`Sheet`] whose cells know their role, then edited class by class.
//!
//! Input: the truth (its figures already printed with the variation's units) and the
//! variation. Output: the report's parts with each table replaced by its fuzzed parts (a
//! table, or two with the gap paragraph between).

use nianbao_model::Applicant;

use super::{Fill, Gap, HeaderRows, SplitAt, TableId, Variation};
use crate::layout::{active_grid, applications_grid, review_grid, Part};
use crate::sheet::{Cell, Pos, Role, RowTag, Sheet, SheetRow};
use crate::truth::Truth;

/// Table 三's label columns on the form: 三、本年度办理结果, the group, the row's label.
const FORM_LABEL_COLUMNS: usize = 3;
/// The header rows of tables 三 and 四 on the form.
const HEADER_ROWS: usize = 3;

/// A table as the form prints it, each row tagged and each cell given its role.
pub(super) fn official(truth: &Truth, table: TableId) -> Sheet {
    match table {
        TableId::Active => active_sheet(truth),
        TableId::Applications => applications_sheet(truth),
        TableId::Review => review_sheet(truth),
    }
}

fn set_roles(sheet: &mut Sheet, r: usize, role_of: impl Fn(usize, usize) -> Role) {
    let n = sheet.starts(r).count();
    let mut i = 0;
    for pos in &mut sheet.rows[r].pos {
        if let Pos::Start(cell) = pos {
            cell.role = role_of(i, n);
            i += 1;
        }
    }
}

fn active_sheet(truth: &Truth) -> Sheet {
    let mut sheet = Sheet::from_grid(&active_grid(truth));
    // The rows as active_grid prints them: per item a title, a header, its categories.
    let mut tags = Vec::new();
    for cell in &truth.active {
        if !tags.contains(&RowTag::Title(cell.item)) {
            tags.push(RowTag::Title(cell.item));
            tags.push(RowTag::Header);
        }
        let row = RowTag::Active(cell.item, cell.category);
        if !tags.contains(&row) {
            tags.push(row);
        }
    }
    for (r, tag) in tags.into_iter().enumerate() {
        sheet.rows[r].tag = tag;
        set_roles(&mut sheet, r, |i, _| match tag {
            RowTag::Title(_) => Role::Title,
            RowTag::Header => Role::Header,
            _ if i == 0 => Role::Label,
            _ => Role::Figure,
        });
    }
    sheet
}

fn applications_sheet(truth: &Truth) -> Sheet {
    let mut sheet = Sheet::from_grid(&applications_grid(truth));
    let figures = Applicant::ALL.len();
    for r in 0..HEADER_ROWS {
        sheet.rows[r].tag = RowTag::Header;
        set_roles(&mut sheet, r, |_, _| Role::Header);
    }
    for (i, (row, _)) in truth.applications.iter().enumerate() {
        let r = HEADER_ROWS + i;
        sheet.rows[r].tag = RowTag::Application(*row);
        // The last seven cells are figures, the cell before them the row's own label,
        // any before that labels of the rows below.
        set_roles(&mut sheet, r, |i, n| match n - i {
            k if k <= figures => Role::Figure,
            k if k == figures + 1 => Role::Label,
            _ => Role::Context,
        });
    }
    sheet
}

fn review_sheet(truth: &Truth) -> Sheet {
    let mut sheet = Sheet::from_grid(&review_grid(truth));
    for r in 0..sheet.rows.len() {
        let figures = r == HEADER_ROWS;
        sheet.rows[r].tag = if figures {
            RowTag::ReviewFigures
        } else {
            RowTag::Header
        };
        set_roles(&mut sheet, r, |_, _| {
            if figures {
                Role::Figure
            } else {
                Role::Header
            }
        });
    }
    sheet
}

/// The body with its three tables (in the order 二, 三, 四) replaced by their fuzzed
/// parts.
pub(super) fn replace_tables(body: Vec<Part>, truth: &Truth, v: &Variation) -> Vec<Part> {
    let tables = [TableId::Active, TableId::Applications, TableId::Review];
    let mut next = 0;
    let mut out = Vec::new();
    for part in body {
        match part {
            Part::Table(_) if next < tables.len() => {
                out.extend(fuzzed(truth, v, tables[next]));
                next += 1;
            }
            part => out.push(part),
        }
    }
    out
}

fn fuzzed(truth: &Truth, v: &Variation, table: TableId) -> Vec<Part> {
    let mut sheet = official(truth, table);
    misread(&mut sheet, v, table);
    let header = match table {
        TableId::Active => {
            shape_active(&mut sheet, v);
            Vec::new()
        }
        TableId::Applications => shape_applications(&mut sheet, v),
        TableId::Review => Vec::new(),
    };
    split(sheet, v, table, &header)
}

/// Class 7: the first label printing the slip's label is misread.
fn misread(sheet: &mut Sheet, v: &Variation, table: TableId) {
    for slip in v.slips.iter().filter(|s| s.table == table) {
        if let Some(cell) = sheet.cells_mut().find(|c| c.text == slip.label) {
            cell.text = slip.misread.clone();
        }
    }
}

/// Class 1 on table 二: the category column widened, its merges maybe broken.
fn shape_active(sheet: &mut Sheet, v: &Variation) {
    let shape = v.area(TableId::Active);
    sheet.widen(0, shape.width - 1);
    if let Fill::Unmerged(slot) = shape.fill {
        sheet.unmerge(shape.width, |r| slot.slot(r));
    }
}

/// Classes 1, 2, 4 and 6 on table 三; returns the header rows as printed, for repeats.
fn shape_applications(sheet: &mut Sheet, v: &Variation) -> Vec<SheetRow> {
    for row in &v.unlabelled {
        if let Some(label) = label_cell(sheet, RowTag::Application(*row)) {
            label.text.clear();
        }
    }
    let shape = v.area(TableId::Applications);
    // The row labels' own column widens; the context columns stay one each.
    sheet.widen(FORM_LABEL_COLUMNS - 1, shape.width - 1);
    let label_columns = FORM_LABEL_COLUMNS - 1 + shape.width;
    set_header(
        sheet,
        v.header.map_or(HeaderRows::Official, |h| h.rows),
        label_columns,
    );
    if let Fill::Unmerged(slot) = shape.fill {
        sheet.unmerge(label_columns, |r| slot.slot(r));
    }
    let header: Vec<SheetRow> = sheet
        .rows
        .iter()
        .filter(|r| r.tag == RowTag::Header)
        .cloned()
        .collect();
    for cut in &v.cut_labels {
        cut_label(sheet, RowTag::Application(cut.row), cut.first_chars);
    }
    let repeat = v.header.and_then(|h| h.repeat_before);
    if let Some(r) = repeat.and_then(|row| sheet.find(RowTag::Application(row))) {
        sheet.insert_rows(r, header.clone());
    }
    header
}

/// The row's own label cell (the one printing it, where a merge was broken).
fn label_cell(sheet: &mut Sheet, tag: RowTag) -> Option<&mut Cell> {
    let r = sheet.find(tag)?;
    let c = sheet
        .starts(r)
        .find(|(_, c)| c.role == Role::Label && !c.text.is_empty())
        .map(|(c, _)| c)?;
    sheet.cell_mut(r, c)
}

/// Class 2: the form's three header rows, one generic row, or none.
fn set_header(sheet: &mut Sheet, rows: HeaderRows, label_columns: usize) {
    if rows == HeaderRows::Official {
        return;
    }
    sheet.rows.retain(|r| r.tag != RowTag::Header);
    if rows == HeaderRows::Generic {
        let mut pos = vec![Pos::Start(Cell {
            text: "项目".into(),
            rows: 1,
            cols: label_columns,
            role: Role::Header,
        })];
        pos.extend((1..label_columns).map(|_| Pos::Covered));
        pos.extend(
            (1..=Applicant::ALL.len())
                .map(|i| Pos::Start(Cell::new(format!("数据{i}"), Role::Header))),
        );
        let row = SheetRow {
            tag: RowTag::Header,
            pos,
        };
        sheet.rows.insert(0, row);
    }
}

/// Class 4: the label's first `first_chars` characters stay, the rest goes on a
/// continuation row below.
fn cut_label(sheet: &mut Sheet, tag: RowTag, first_chars: usize) {
    let Some(r) = sheet.find(tag) else { return };
    let Some((c, text)) = sheet
        .starts(r)
        .find(|(_, c)| c.role == Role::Label && !c.text.is_empty())
        .map(|(c, cell)| (c, cell.text.clone()))
    else {
        return;
    };
    let Some((at, _)) = text.char_indices().nth(first_chars) else {
        return;
    };
    if let Some(cell) = sheet.cell_mut(r, c) {
        cell.text.truncate(at);
    }
    sheet.insert_continuation(r, c, text[at..].to_string());
}

fn tag_of(at: SplitAt) -> RowTag {
    match at {
        SplitAt::ActiveTitle(item) => RowTag::Title(item),
        SplitAt::ActiveRow(item, category) => RowTag::Active(item, category),
        SplitAt::Application(row) => RowTag::Application(row),
        SplitAt::ReviewFigures => RowTag::ReviewFigures,
    }
}

fn gap_text(gap: Gap) -> String {
    match gap {
        Gap::PageNumber(n) => format!("- {n} -"),
        Gap::Blank => String::new(),
    }
}

/// Class 5: the table cut before the split's row into two tables, the gap between, the
/// header maybe printed again on top of the second.
fn split(mut sheet: Sheet, v: &Variation, table: TableId, header: &[SheetRow]) -> Vec<Part> {
    let chosen = v.splits.iter().find(|s| s.before.table() == table);
    let at = chosen.and_then(|s| sheet.find(tag_of(s.before)).map(|r| (s, r)));
    let Some((s, r)) = at.filter(|&(_, r)| r > 0) else {
        return vec![Part::Table(sheet.to_grid())];
    };
    let mut tail = sheet.split_off(r);
    if s.repeat_header && !header.is_empty() {
        tail.insert_rows(0, header.to_vec());
    }
    vec![
        Part::Table(sheet.to_grid()),
        Part::Paragraph(gap_text(s.gap)),
        Part::Table(tail.to_grid()),
    ]
}
