//! Table 三 (收到和处理政府信息公开申请情况): rows found by their labels wherever they
//! sit in the region from the applicant header to another table's header.
//!
//! Three passes. `scan` turns the region's rows into [`Line`]s: a labelled row with its
//! figures, a row of figures only, or a label only (a header, a parent label, or half of
//! a row cut by a page break). `name_lines` gives each line its row of the template by
//! its label, joining a label cut over two rows. `place_unlabelled` then gives rows
//! printed without labels (the PDF-to-text layouts of some provinces) the template's rows
//! between their labelled neighbours — only when every gap holds exactly as many rows as
//! the template has there and the table's own arithmetic holds with them; a warning names
//! the rule.

use nianbao_model::{
    find_misread, parse_figure, strip_numbering, Applicant, ApplicationCell, ApplicationRow,
    CheckStatus, NumberError, Report, RowGroup, Template, WarningCode,
};

use crate::tables::{
    expected_application_rows, fit_figures, read_figure, split_row, Figures, NormRow, TableOutcome,
};

/// How many figure columns the template's table 三 has.
const APPLICANTS: usize = Applicant::ALL.len();

/// A row's figure cells in applicant order, or — when they do not fit the table's
/// columns — how many it printed.
#[derive(Clone, Copy)]
enum RowFigures<'a> {
    Fitted([&'a str; APPLICANTS]),
    Misshapen(usize),
    /// More cells than columns with empty cells at both ends: where the figures start
    /// only the table's other rows of as many cells can tell (see `settle`).
    Ambiguous(Figures<'a>),
}

impl RowFigures<'_> {
    /// How many figure cells the row printed, for a row that does not fit.
    fn printed(&self) -> usize {
        match self {
            RowFigures::Fitted(texts) => texts.len(),
            RowFigures::Misshapen(count) => *count,
            RowFigures::Ambiguous(printed) => printed.len(),
        }
    }

    fn blank(&self) -> bool {
        match self {
            RowFigures::Fitted(texts) => texts.iter().all(|t| t.trim().is_empty()),
            RowFigures::Misshapen(_) | RowFigures::Ambiguous(_) => false,
        }
    }
}

/// One row of the region, as printed.
enum Line<'a> {
    /// A label with figure cells after it (`group` is the parent label seen last).
    Row {
        label: &'a str,
        figures: RowFigures<'a>,
        group: Option<RowGroup>,
    },
    /// Figures only, as many as the table has columns.
    Unlabelled([&'a str; APPLICANTS]),
    /// A label with no figures: a header, a parent label, or part of a cut row.
    LabelOnly(&'a str),
    /// Figures only, with empty cells at both ends (see `Scanner::settle`).
    UnlabelledAmbiguous(Figures<'a>),
}

/// A line with what is known of its row of the template.
enum Named<'a> {
    Row(ApplicationRow, RowFigures<'a>),
    /// No label to name it: only the template's order can.
    Unlabelled([&'a str; APPLICANTS]),
    /// A label that names several rows (`3.其他` away from its parent label): the
    /// template's order must agree with `hint`.
    Hinted(ApplicationRow, RowFigures<'a>),
    /// A labelled row whose label names no row: the rows around it cannot be placed.
    Unknown,
}

/// A figure column as the header names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Applicant(Applicant),
    /// 小计 of the 法人或其他组织 columns, which the template does not have.
    Subtotal,
}

impl Columns {
    /// How many figure columns the table has, where it is known.
    fn count(&self) -> Option<usize> {
        match self {
            Columns::Header(order, _) => Some(order.len()),
            Columns::Template => Some(APPLICANTS),
            Columns::Unknown => None,
        }
    }
}

/// The table's figure columns in printed order.
enum Columns {
    /// As the header names them, every applicant once (in an order of its own, or with a
    /// 小计 column): each with its grid column, and the header's width in grid columns.
    Header(Vec<(usize, Column)>, usize),
    /// The template's order: no header names them all.
    Template,
    /// The header orders them otherwise than the template, and its rows do not line up.
    Unknown,
}

pub fn extract_applications(
    tables: &[Vec<NormRow<'_>>],
    template: Template,
    report: &mut Report,
) -> TableOutcome {
    let mut outcome = TableOutcome::default();
    let mut header_text = String::new();
    let lines = scan(tables, &mut outcome, &mut header_text, report);
    if !outcome.found {
        return outcome;
    }
    let mut named = name_lines(&lines, template, report);
    drop_other_subtotal(&mut named, report);
    let single_other = named
        .iter()
        .any(|n| matches!(n, Named::Row(ApplicationRow::Other, _)));
    place_unlabelled(&mut named, template, single_other, report);
    let seen = emit(&named, report);
    check_applicant_header(&header_text, report);
    if single_other && template == Template::T2021 {
        report.warn(
            WarningCode::TemplateVariant,
            "applications.other",
            "（六）其他处理 printed as one row under the 2021 format; mapped to `other`",
        );
    }
    for row in expected_application_rows(template, single_other) {
        if !seen.contains(&row) {
            outcome.missing.push(format!("applications.{}", row.key()));
        }
    }
    report.applications.sort_by_key(|c| (c.row, c.applicant));
    outcome
}

/// The region's rows as lines: from the applicant header (or the first row only table 三
/// has) up to another table's header. A page may split table 三 over several tables, or
/// run tables 二, 三 and 四 together.
fn scan<'a>(
    tables: &'a [Vec<NormRow<'a>>],
    outcome: &mut TableOutcome,
    header_text: &mut String,
    report: &mut Report,
) -> Vec<Line<'a>> {
    let mut scanner = Scanner {
        group: None,
        header: Vec::new(),
        columns: None,
        lines: Vec::new(),
        header_text,
        starts: Vec::new(),
    };
    let mut inside = false;
    for rows in tables {
        // The rows of this table seen before table 三's first marked row: with no header,
        // rows printed without labels above it are table 三's first rows.
        let mut before: Vec<&NormRow<'a>> = Vec::new();
        for norm in rows {
            if norm.marks.applications_table() || norm.marks.applicants() {
                if !inside && !outcome.found {
                    for earlier in table_three_rows_above(&before) {
                        scanner.row(earlier, report);
                    }
                }
                inside = true;
                outcome.found = true;
            } else if norm.marks.starts_other_table() {
                inside = false;
                before.clear();
            }
            if inside {
                scanner.row(norm, report);
            } else {
                before.push(norm);
            }
        }
    }
    scanner.settle();
    scanner.lines
}

/// The last rows of `before` that are table 三's: rows of figures only, or rows whose
/// label names a row of table 三 (a table whose header is missing starts with them).
fn table_three_rows_above<'r, 'a>(before: &'r [&'a NormRow<'a>]) -> &'r [&'a NormRow<'a>] {
    let ours = |norm: &&NormRow<'_>| {
        let (labels, printed) = split_row(norm);
        match labels.last() {
            None => !printed.is_empty(),
            Some(label) => crate::tables::row_by_keyword(strip_numbering(label)).is_some(),
        }
    };
    let count = before.iter().rev().take_while(|n| ours(n)).count();
    &before[before.len() - count..]
}

/// The state of reading table 三's region row by row.
struct Scanner<'a, 't> {
    /// The parent label (（三）…（六）) seen last.
    group: Option<RowGroup>,
    /// The rows before the first data row: the header.
    header: Vec<&'a NormRow<'a>>,
    /// The figure columns, known at the first data row.
    columns: Option<Columns>,
    lines: Vec<Line<'a>>,
    header_text: &'t mut String,
    /// Where the figures start in rows the count placed without doubt, by the number of
    /// cells after their label; `None` where such rows disagree.
    starts: Vec<(usize, Option<usize>)>,
}

impl<'a> Scanner<'a, '_> {
    /// Records where a row of `length` cells after its label had its figures start.
    fn learn(&mut self, length: usize, start: Option<usize>) {
        let Some(start) = start else { return };
        match self.starts.iter_mut().find(|(l, _)| *l == length) {
            Some((_, known)) if *known != Some(start) => *known = None,
            Some(_) => {}
            None => self.starts.push((length, Some(start))),
        }
    }

    /// Rows with empty cells at both ends, placed where every row of as many cells that
    /// the count placed without doubt has its figures start.
    fn settle(&mut self) {
        let Some(columns) = &self.columns else { return };
        let starts = &self.starts;
        let settled = |printed: Figures<'a>| {
            let start = starts
                .iter()
                .find(|(l, _)| *l == printed.len())
                .and_then(|(_, s)| *s);
            match start {
                Some(start) => in_applicant_order(printed, 0, columns, Some(start)),
                None => RowFigures::Misshapen(printed.len()),
            }
        };
        for line in &mut self.lines {
            match line {
                Line::Row { figures, .. } => {
                    if let RowFigures::Ambiguous(printed) = *figures {
                        *figures = settled(printed);
                    }
                }
                Line::UnlabelledAmbiguous(printed) => {
                    if let RowFigures::Fitted(texts) = settled(*printed) {
                        if unlabelled_figures(&texts) {
                            *line = Line::Unlabelled(texts);
                        }
                    }
                }
                _ => {}
            }
        }
        // Left unsettled: no figures that can be placed.
        self.lines
            .retain(|l| !matches!(l, Line::UnlabelledAmbiguous(_)));
    }

    fn row(&mut self, norm: &'a NormRow<'a>, report: &mut Report) {
        let (labels, printed) = split_row(norm);
        let blank = printed.texts().all(|t| t.trim().is_empty());
        if blank {
            self.header_text.push_str(&norm.joined);
            if self.columns.is_none() {
                self.header.push(norm);
            }
        }
        // Empty cells after a label are figures only as many as the table has columns
        // (a row whose every figure is blank); else placeholders of a header, a parent
        // label or half a cut label.
        let figure_less = printed.is_empty() || (blank && printed.len() != APPLICANTS);
        let figures = if figure_less {
            RowFigures::Misshapen(0)
        } else {
            let header = &self.header;
            let columns = self
                .columns
                .get_or_insert_with(|| header_columns(header, report));
            let figures = in_applicant_order(printed, row_width(norm), columns, None);
            if let (RowFigures::Fitted(_), Some(width)) = (figures, columns.count()) {
                self.learn(printed.len(), printed.fit_start(width));
            }
            figures
        };
        let Some((&label, context)) = labels.split_last() else {
            match figures {
                RowFigures::Fitted(texts) if unlabelled_figures(&texts) => {
                    self.lines.push(Line::Unlabelled(texts))
                }
                RowFigures::Ambiguous(printed) => {
                    self.lines.push(Line::UnlabelledAmbiguous(printed))
                }
                _ => {}
            }
            return;
        };
        for context in context {
            if let Some(g) = group_named(context, true) {
                self.group = Some(g);
            }
        }
        if figure_less {
            match group_named(label, false) {
                Some(g) => self.group = Some(g),
                // Not a header: it names no applicant column.
                None if !labels.iter().any(|l| column_named(l).is_some()) => {
                    self.lines.push(Line::LabelOnly(label))
                }
                None => {}
            }
            return;
        }
        self.lines.push(Line::Row {
            label,
            figures,
            group: self.group,
        });
        // A row of （三）…（六） keeps its group for a `其他` below it.
        self.group = match row_by_label(label, self.group) {
            Ok(key) if key.group().is_some() && key != ApplicationRow::Other => key.group(),
            Ok(_) => None,
            Err(_) => self.group,
        };
    }
}

/// Whether a row of figures only holds figures, not all blank.
fn unlabelled_figures(texts: &[&str; APPLICANTS]) -> bool {
    texts.iter().any(|t| !t.trim().is_empty()) && texts.iter().all(|t| reads_as_figure(t))
}

fn reads_as_figure(text: &str) -> bool {
    !matches!(parse_figure(text), Err(NumberError::NotANumber))
}

/// A row's figure cells (after its label) in applicant order, by the table's columns:
/// by grid column where the row is as wide as the header (one grid, so its columns line
/// up), else by count past empty cells at one end ([`fit_figures`]).
fn in_applicant_order<'a>(
    printed: Figures<'a>,
    width: usize,
    columns: &Columns,
    start: Option<usize>,
) -> RowFigures<'a> {
    let mut texts = [""; APPLICANTS];
    let mut put = |column: &Column, text: &'a str| {
        if let Column::Applicant(a) = column {
            if let Some(i) = Applicant::ALL.iter().position(|x| x == a) {
                texts[i] = text;
            }
        }
    };
    let order: Vec<Column> = match columns {
        Columns::Header(order, header_width) => {
            let at = |col: usize| printed.cells().find(|c| c.col == col);
            if width == *header_width && order.iter().all(|(col, _)| at(*col).is_some()) {
                for (col, column) in order {
                    put(column, at(*col).map_or("", |c| c.text.as_str()));
                }
                return RowFigures::Fitted(texts);
            }
            order.iter().map(|(_, c)| *c).collect()
        }
        Columns::Template => TEMPLATE_COLUMNS.to_vec(),
        Columns::Unknown => return RowFigures::Misshapen(printed.len()),
    };
    let fitted = match start {
        Some(start) => printed.window(start, order.len()),
        None => Some(fit_figures(printed, order.len())),
    };
    let Some(fitted) = fitted.filter(|f| f.len() == order.len()) else {
        return if printed.len() > order.len() && start.is_none() {
            RowFigures::Ambiguous(printed)
        } else {
            RowFigures::Misshapen(printed.len())
        };
    };
    for (column, text) in order.iter().zip(fitted.texts()) {
        put(column, text);
    }
    RowFigures::Fitted(texts)
}

/// A table row's width in grid columns.
fn row_width(norm: &NormRow<'_>) -> usize {
    norm.row.cells.last().map_or(0, |c| c.col + c.col_span)
}

const TEMPLATE_COLUMNS: [Column; APPLICANTS] = [
    Column::Applicant(Applicant::NaturalPerson),
    Column::Applicant(Applicant::CommercialEnterprise),
    Column::Applicant(Applicant::ResearchInstitution),
    Column::Applicant(Applicant::SocialWelfareOrg),
    Column::Applicant(Applicant::LegalServiceOrg),
    Column::Applicant(Applicant::OtherOrg),
    Column::Applicant(Applicant::Total),
];

/// The figure columns as the header rows name them, lined up by grid column. Where they
/// name every applicant once, their order is the table's; else the template's, unless
/// a header row names applicants out of the template's order (then the columns are not
/// known, and saying so beats mapping them wrong).
fn header_columns(header: &[&NormRow<'_>], report: &mut Report) -> Columns {
    let mut by_col: std::collections::BTreeMap<usize, Column> = Default::default();
    let mut lined_up = true;
    let mut in_template_order = true;
    let mut width = 0;
    for norm in header {
        let named: Vec<(usize, Column)> = norm
            .row
            .cells
            .iter()
            .zip(norm.cells())
            .filter_map(|(cell, text)| Some((cell.col, column_named(text)?)))
            .collect();
        let rank = |c: &Column| TEMPLATE_COLUMNS.iter().position(|t| t == c);
        in_template_order &= named.windows(2).all(|w| rank(&w[0].1) < rank(&w[1].1));
        if !named.is_empty() {
            width = width.max(row_width(norm));
        }
        for (col, column) in named {
            lined_up &= by_col
                .insert(col, column)
                .is_none_or(|before| before == column);
        }
    }
    let order: Vec<Column> = by_col.values().copied().collect();
    let complete = TEMPLATE_COLUMNS
        .iter()
        .all(|c| order.iter().filter(|o| *o == c).count() == 1);
    let named = || Columns::Header(by_col.iter().map(|(c, o)| (*c, *o)).collect(), width);
    match (lined_up && complete, in_template_order) {
        (true, _) if order[..] != TEMPLATE_COLUMNS[..] => {
            report.warn(
                WarningCode::ColumnsByHeader,
                "applications",
                format!(
                    "the header orders the figure columns otherwise than the template ({}); mapped by the header",
                    order.iter().map(column_name).collect::<Vec<_>>().join("、")
                ),
            );
            named()
        }
        (true, _) => named(),
        (false, true) => Columns::Template,
        (false, false) => {
            report.warn(
                WarningCode::ColumnsUnknown,
                "applications",
                "the header orders the applicant columns otherwise than the template and its rows do not line up; table not extracted",
            );
            Columns::Unknown
        }
    }
}

fn column_name(column: &Column) -> &'static str {
    match column {
        Column::Applicant(a) => a.zh(),
        Column::Subtotal => "小计",
    }
}

/// The column a header cell names: an applicant, or 小计. `其他` alone is the other
/// organisations' column; `法人或其他组织` above them names none.
fn column_named(text: &str) -> Option<Column> {
    if text.contains("小计") {
        return Some(Column::Subtotal);
    }
    if matches!(text, "其他" | "其它" | "其他组织" | "其它组织") {
        return Some(Column::Applicant(Applicant::OtherOrg));
    }
    Applicant::ALL
        .iter()
        .filter(|a| **a != Applicant::OtherOrg)
        .find(|a| a.keywords().iter().any(|k| text.contains(k)))
        .map(|a| Column::Applicant(*a))
}

/// The parent label （三）…（六） a label is (or, with `prefix`, starts with), as
/// printed or with one character misread.
fn group_named(label: &str, prefix: bool) -> Option<RowGroup> {
    let core = strip_numbering(label);
    let head = match prefix {
        true => core.chars().take(4).collect::<String>(),
        false => core.to_string(),
    };
    RowGroup::ALL
        .iter()
        .copied()
        .find(|g| head == g.keyword())
        .or_else(|| {
            let same_length = head.chars().count() == 4;
            same_length
                .then(|| find_misread(RowGroup::ALL.iter().copied(), RowGroup::keywords, &head))
                .flatten()
                .map(|(g, _)| g)
        })
}

/// Gives each line its row by its label: as printed, with one character misread, or
/// joined with the half of the label a page break cut from it (a row of its own above
/// or below, with no figures or with blank ones).
fn name_lines<'a>(lines: &[Line<'a>], template: Template, report: &mut Report) -> Vec<Named<'a>> {
    let mut named = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if let Some(row) = cut_row(&lines[i], lines.get(i + 1)) {
            named.push(row);
            i += 2;
            continue;
        }
        match &lines[i] {
            Line::Row {
                label,
                figures,
                group,
            } => {
                // A label-only line below may be the rest of this row's label.
                let after = match lines.get(i + 1) {
                    Some(Line::LabelOnly(l)) => Some(*l),
                    Some(Line::Row { label, figures, .. }) if figures.blank() => Some(*label),
                    _ => None,
                };
                let after = after.filter(|a| continues_a_label(a));
                let (row, took_after) = name_row(label, *figures, *group, after, template, report);
                // A row of empty cells whose label names no row is a header's, not a row.
                if !(figures.blank() && matches!(row, Named::Unknown)) {
                    named.push(row);
                }
                if took_after {
                    i += 1;
                }
            }
            Line::Unlabelled(figures) => named.push(Named::Unlabelled(*figures)),
            // A row's label whose figures are not on its line: it has a place of its own.
            Line::LabelOnly(label) if row_by_label(label, None).is_ok() => {
                report.warn(
                    WarningCode::UnknownRow,
                    format!("applications: {label}"),
                    "a row's label printed with no figures after it; row not extracted",
                );
                named.push(Named::Unknown)
            }
            // Settled or dropped by the scan.
            Line::LabelOnly(_) | Line::UnlabelledAmbiguous(_) => {}
        }
        i += 1;
    }
    named
}

/// A row a page break cut in two: the first half of its label on a line with no
/// figures (or blank ones), the rest of it — or nothing — on the next line with the
/// figures. Taken only where the joined label names a row that the second half does
/// not name otherwise, and the second half does not start a row of its own (a number,
/// a subtotal).
fn cut_row<'a>(first: &Line<'a>, second: Option<&Line<'a>>) -> Option<Named<'a>> {
    let head = match first {
        Line::LabelOnly(label) => *label,
        Line::Row { label, figures, .. } if figures.blank() => *label,
        _ => return None,
    };
    let (tail, figures, group) = match second? {
        // A whole label (numbered, not the rest of one) whose figures went to the next line.
        Line::Unlabelled(texts) if strip_numbering(head) != head => {
            ("", RowFigures::Fitted(*texts), None)
        }
        Line::Row {
            label,
            figures,
            group,
        } if !figures.blank() => (*label, *figures, *group),
        _ => return None,
    };
    let key = row_by_label(&format!("{head}{tail}"), group).ok()?;
    let tail_names = |k: ApplicationRow| row_by_label(tail, group).is_ok_and(|t| t == k);
    let tail_alone = tail.is_empty() || row_by_label(tail, group).is_err();
    (tail_names(key) || (tail_alone && continues_a_label(tail))).then_some(Named::Row(key, figures))
}

/// Whether a label can be the rest of one cut by a page break: it does not start a row
/// of its own (a number, a subtotal).
fn continues_a_label(label: &str) -> bool {
    strip_numbering(label) == label && !["小计", "合计", "总计"].iter().any(|w| label.contains(w))
}

fn name_row<'a>(
    label: &str,
    figures: RowFigures<'a>,
    group: Option<RowGroup>,
    after: Option<&str>,
    template: Template,
    report: &mut Report,
) -> (Named<'a>, bool) {
    let why = match row_by_label(label, group) {
        Ok(key) => return (Named::Row(key, figures), false),
        Err(Unnamed::OtherWithoutGroup) if template == Template::T2021 => {
            return (Named::Hinted(ApplicationRow::OtherOther, figures), false)
        }
        Err(why) => why,
    };
    // The rest of a label a page break moved to a line of its own below.
    let joined = after.map(|a| format!("{label}{a}"));
    if let Some(key) = joined.as_ref().and_then(|j| row_by_label(j, group).ok()) {
        return (Named::Row(key, figures), true);
    }
    let core = strip_numbering(label);
    let readings = [(core, false)]
        .into_iter()
        .chain(joined.as_deref().map(|j| (strip_numbering(j), true)));
    for (reading, took_after) in readings {
        if let Some((key, keyword)) = misread_row(reading, group) {
            report.warn(
                WarningCode::LabelMisread,
                format!("applications.{}", key.key()),
                format!(
                    "label 「{reading}」 read as 「{keyword}」 with one character misread (OCR?)"
                ),
            );
            return (Named::Row(key, figures), took_after);
        }
    }
    if !figures.blank() {
        report.warn(
            WarningCode::UnknownRow,
            format!("applications: {label}"),
            format!("{}; row not extracted", why.describe(core)),
        );
    }
    (Named::Unknown, false)
}

/// Why a label names no single row.
enum Unnamed {
    OtherWithoutGroup,
    Subtotal,
    NotARow,
}

impl Unnamed {
    fn describe(&self, core: &str) -> String {
        match self {
            Unnamed::OtherWithoutGroup => "其他 outside （六）其他处理".into(),
            Unnamed::Subtotal => format!(
                "{core} printed as a row of its own (a subtotal the template does not have)"
            ),
            Unnamed::NotARow => format!("label {core:?} is not a row of the template"),
        }
    }
}

/// Which row a label names; `group` is the parent label seen last (（三）…（六）).
fn row_by_label(label: &str, group: Option<RowGroup>) -> Result<ApplicationRow, Unnamed> {
    let core = strip_numbering(label);
    if matches!(core, "其他" | "其它" | "其他情形") {
        return match group {
            Some(RowGroup::OtherHandling) => Ok(ApplicationRow::OtherOther),
            _ => Err(Unnamed::OtherWithoutGroup),
        };
    }
    match group_named(label, false) {
        Some(RowGroup::OtherHandling) => Ok(ApplicationRow::Other),
        Some(_) => Err(Unnamed::Subtotal),
        None => crate::tables::row_by_keyword(core).ok_or(Unnamed::NotARow),
    }
}

/// A label no keyword matches, but one keyword of at least three characters appears in it
/// with one character misread (OCR reads 予 as 子, 复 as 夏): the row whose keyword that
/// is, when only one row's is, and it fits the group.
fn misread_row(core: &str, group: Option<RowGroup>) -> Option<(ApplicationRow, &'static str)> {
    let fits =
        |row: &ApplicationRow| group.is_none() || row.group().is_none() || row.group() == group;
    find_misread(
        ApplicationRow::ALL.iter().copied().filter(fits),
        ApplicationRow::keywords,
        core,
    )
}

/// （六）其他处理 printed with figures of its own above its three rows (2021) is their
/// subtotal, which the template does not have — not the 2019 form's single row.
fn drop_other_subtotal(named: &mut Vec<Named<'_>>, report: &mut Report) {
    use ApplicationRow::*;
    let has_children = named.iter().any(|n| {
        matches!(
            n,
            Named::Row(OtherNoCorrection | OtherUnpaidFee | OtherOther, _)
                | Named::Hinted(OtherOther, _)
        )
    });
    let subtotal = |n: &Named<'_>| matches!(n, Named::Row(Other, _));
    if has_children && named.iter().any(subtotal) {
        report.warn(
            WarningCode::UnknownRow,
            "applications: （六）其他处理",
            "printed with figures of its own above its three rows: a subtotal the template does not have; row not extracted",
        );
        named.retain(|n| !subtotal(n));
    }
}

/// Gives rows printed without labels the template's rows between their labelled
/// neighbours, when every gap fits exactly and the table's arithmetic holds with them;
/// otherwise leaves them out with a warning saying why.
fn place_unlabelled(
    named: &mut [Named<'_>],
    template: Template,
    single_other: bool,
    report: &mut Report,
) {
    let unplaced = named
        .iter()
        .filter(|n| matches!(n, Named::Unlabelled(_) | Named::Hinted(..)))
        .count();
    if unplaced == 0 {
        return;
    }
    let order = expected_application_rows(template, single_other);
    let placed = gap_rows(named, &order);
    let refuse = |report: &mut Report, why: &str| {
        report.warn(
            WarningCode::RowsUnlabelled,
            "applications",
            format!("{unplaced} rows print figures without a label; {why}: not extracted"),
        );
    };
    let Some(placed) = placed else {
        return refuse(
            report,
            "their count between the labelled rows does not fit the template's order",
        );
    };
    if !arithmetic_confirms(named, &placed, report) {
        return refuse(
            report,
            "placed in the template's order the table's sums would not hold",
        );
    }
    let names: Vec<&str> = placed.iter().flatten().map(|r| r.key()).collect();
    for (line, row) in named.iter_mut().zip(&placed) {
        let figures = match line {
            Named::Unlabelled(texts) => RowFigures::Fitted(*texts),
            Named::Hinted(_, figures) => *figures,
            _ => continue,
        };
        if let Some(row) = row {
            *line = Named::Row(*row, figures);
        }
    }
    report.warn(
        WarningCode::RowsPlacedByOrder,
        "applications",
        format!(
            "{unplaced} rows print figures without a label; placed by the template's order ({}), each gap between labelled rows holding exactly the template's rows there and the table's sums (一 + 二 = 总计 + 四, 总计 = the result rows) holding",
            names.join(", ")
        ),
    );
}

/// For each line, the row the template's order gives it (unlabelled and hinted lines
/// only), or `None` if some gap holds more or fewer rows than the template has there.
fn gap_rows(named: &[Named<'_>], order: &[ApplicationRow]) -> Option<Vec<Option<ApplicationRow>>> {
    let labelled: Vec<ApplicationRow> = named
        .iter()
        .filter_map(|n| match n {
            Named::Row(r, _) => Some(*r),
            _ => None,
        })
        .collect();
    let position = |row: ApplicationRow| order.iter().position(|r| *r == row);
    let mut placed = vec![None; named.len()];
    let mut gap_start = 0; // index in `order` after the last labelled row
    let mut pending: Vec<usize> = Vec::new(); // lines of the current gap
                                              // A row of the gap whose label names no row takes a place the count cannot see.
    let mut occupied = false;
    for (i, line) in named
        .iter()
        .enumerate()
        .chain([(named.len(), &Named::Unknown)])
    {
        let gap_end = match line {
            Named::Unlabelled(_) | Named::Hinted(..) => {
                pending.push(i);
                continue;
            }
            Named::Unknown if i < named.len() => {
                occupied = true;
                continue;
            }
            Named::Unknown => order.len(),
            Named::Row(row, _) => position(*row)?,
        };
        if !pending.is_empty() && occupied {
            return None;
        }
        occupied = false;
        if !pending.is_empty() {
            let free: Vec<ApplicationRow> = order
                .get(gap_start..gap_end)?
                .iter()
                .copied()
                .filter(|r| !labelled.contains(r))
                .collect();
            if free.len() != pending.len() {
                return None;
            }
            for (&line, row) in pending.iter().zip(free) {
                if let Named::Hinted(hint, _) = named[line] {
                    if hint != row {
                        return None;
                    }
                }
                placed[line] = Some(row);
            }
            pending.clear();
        }
        gap_start = gap_end + 1;
    }
    Some(placed)
}

/// Whether the table's sums that the placed rows take part in hold with them (at least
/// one column checked, none failing): 总计 = the result rows for a result row or 总计,
/// 一 + 二 = 总计 + 四 for the others.
fn arithmetic_confirms(
    named: &[Named<'_>],
    placed: &[Option<ApplicationRow>],
    report: &Report,
) -> bool {
    let mut trial = Report {
        template: report.template,
        ..Report::default()
    };
    for (line, row) in named.iter().zip(placed) {
        let (row, texts) = match (line, row) {
            (Named::Row(r, RowFigures::Fitted(t)), _) => (*r, t),
            (Named::Hinted(_, RowFigures::Fitted(t)) | Named::Unlabelled(t), Some(r)) => (*r, t),
            _ => continue,
        };
        push_row(&mut trial, row, texts);
    }
    let placed = || placed.iter().flatten();
    let in_results = placed().any(|r| r.is_result() || *r == ApplicationRow::TotalProcessed);
    let in_balance = placed().any(|r| !r.is_result());
    let checks = crate::checks::table_checks(&trial);
    let sums = checks.iter().filter(|c| {
        (in_results && c.name.starts_with("results_sum."))
            || (in_balance && c.name.starts_with("balance."))
    });
    let mut passed = false;
    for check in sums {
        match check.status {
            CheckStatus::Fail => return false,
            CheckStatus::Pass => passed = true,
            CheckStatus::Skip => {}
        }
    }
    passed
}

/// Writes the named rows' cells; returns the rows written.
fn emit(named: &[Named<'_>], report: &mut Report) -> Vec<ApplicationRow> {
    let mut seen = Vec::new();
    report
        .applications
        .reserve(ApplicationRow::ALL.len() * Applicant::ALL.len());
    for line in named {
        let Named::Row(key, figures) = line else {
            continue;
        };
        let location = || format!("applications.{}", key.key());
        if seen.contains(key) {
            report.warn(
                WarningCode::DuplicateRow,
                location(),
                "row printed twice; the first one is kept",
            );
            continue;
        }
        let texts = match *figures {
            RowFigures::Fitted(texts) => texts,
            RowFigures::Misshapen(_) | RowFigures::Ambiguous(_) => {
                let printed = figures.printed();
                report.warn(
                    WarningCode::RowShape,
                    location(),
                    format!(
                        "row has {printed} figure cells where the table has {} columns: cells may be joined or missing; row not extracted",
                        APPLICANTS
                    ),
                );
                continue;
            }
        };
        seen.push(*key);
        push_row(report, *key, &texts);
    }
    seen
}

fn push_row(report: &mut Report, row: ApplicationRow, texts: &[&str; APPLICANTS]) {
    for (applicant, text) in Applicant::ALL.iter().zip(texts) {
        let location = || format!("applications.{}.{}", row.key(), applicant.key());
        let (figure, _) = read_figure(text, location, report);
        report.applications.push(ApplicationCell {
            row,
            applicant: *applicant,
            figure,
        });
    }
}

/// The applicant columns are taken in template order; say so when the header differs.
fn check_applicant_header(text: &str, report: &mut Report) {
    let printed: Vec<&str> = Applicant::ALL
        .iter()
        .filter(|a| **a != Applicant::OtherOrg)
        .filter(|a| !a.keywords().iter().any(|k| text.contains(k)))
        .map(|a| a.zh())
        .collect();
    if !printed.is_empty() {
        report.warn(
            WarningCode::HeaderDiffers,
            "applications",
            format!(
                "header does not print {}; columns mapped by the template's order",
                printed.join("、")
            ),
        );
    }
}
