//! Draws a [`Variation`] for one truth: each class of the allowed set in a share of
//! seeds, independently, each drawn one differing from the form in at least one way.
//!
//! Input: the fuzzer's random stream, the truth, the allowed classes. Output: the
//! variation. Rows and labels are chosen from the truth's own form (tables::official), so
//! every choice applies.

use nianbao_model::{
    ActiveCategory, ActiveItem, ActiveMetric, Applicant, ApplicationRow, Outcome, Proceeding,
    RowGroup,
};

use super::tables::official;
use super::{
    AmountPrint, AreaShape, ClassSet, CutLabel, Fill, FuzzClass, Gap, HeaderRows, HeaderVariation,
    HeadingForm, LabelArea, Numbering, Slip, SlotChoice, SplitAt, TableId, TableSplit, TitleForm,
    TitleMarkup, TitleVariation, Units, Variation,
};
use crate::rng::Rng;
use crate::sheet::{Role, RowTag, Sheet};
use crate::truth::Truth;

/// The share of seeds drawing each class.
const CLASS_SHARE: f64 = 0.3;

/// Characters OCR reads as another, and what it reads.
const LOOK_ALIKES: [(char, char); 4] = [('予', '子'), ('复', '夏'), ('开', '升'), ('理', '埋')];

/// A label cut by a page break keeps at least this many characters on its first line.
const MIN_FIRST_LINE: usize = 6;

pub(super) fn variation(rng: &mut Rng, truth: &Truth, allowed: ClassSet) -> Variation {
    let mut v = Variation::default();
    let [active, applications, review] = [
        official(truth, TableId::Active),
        official(truth, TableId::Applications),
        official(truth, TableId::Review),
    ];
    // Each class draws from the stream whether allowed or not, so that restricting the
    // classes leaves the others' choices as they were.
    for class in FuzzClass::ALL {
        let drawn = rng.chance(CLASS_SHARE);
        let mut own = Rng::new(rng.next_u64());
        if !(drawn && allowed.contains(class)) {
            continue;
        }
        match class {
            FuzzClass::LabelArea => v.label_area = Some(label_area(&mut own)),
            FuzzClass::HeaderRows => v.header = Some(header(&mut own, truth)),
            FuzzClass::Units => v.units = Some(units(&mut own)),
            FuzzClass::CutLabels => v.cut_labels = cut_labels(&mut own, &applications),
            FuzzClass::SplitTables => v.splits = splits(&mut own, truth),
            FuzzClass::Unlabelled => v.unlabelled = unlabelled(&mut own, &applications),
            FuzzClass::OcrSlips => {
                v.slips = slips(&mut own, [&active, &applications, &review]);
            }
            FuzzClass::Headings => v.headings = Some(headings(&mut own)),
            FuzzClass::Title => v.title = Some(title(&mut own)),
        }
    }
    // A cut label printed without its label would cut nothing; with no header, a cut
    // before the first row would leave nothing above it.
    v.cut_labels.retain(|c| !v.unlabelled.contains(&c.row));
    if v.header.is_some_and(|h| h.rows == HeaderRows::Missing) {
        let first = truth
            .applications
            .first()
            .map(|(r, _)| SplitAt::Application(*r));
        v.splits.retain(|s| Some(s.before) != first);
    }
    v
}

fn pick<T: Copy>(rng: &mut Rng, options: &[T]) -> T {
    options[rng.range(0, options.len() as u64 - 1) as usize]
}

/// `n` distinct items of `options`, in their order.
fn some_of<T: Copy>(rng: &mut Rng, options: &[T], n: usize) -> Vec<T> {
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < n.min(options.len()) {
        let i = rng.range(0, options.len() as u64 - 1) as usize;
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    chosen.into_iter().map(|i| options[i]).collect()
}

fn area(rng: &mut Rng) -> AreaShape {
    let fill = if rng.chance(0.5) {
        Fill::Merged
    } else {
        Fill::Unmerged(pick(
            rng,
            &[SlotChoice::First, SlotChoice::Last, SlotChoice::Alternating],
        ))
    };
    AreaShape {
        width: rng.range(1, 3) as usize,
        fill,
    }
}

fn label_area(rng: &mut Rng) -> LabelArea {
    let mut a = LabelArea {
        active: area(rng),
        applications: area(rng),
    };
    // A one-column category area has no merge to break: that alone changes nothing.
    if a.active.width == 1 && a.applications == AreaShape::FORM {
        a.applications.fill = Fill::Unmerged(SlotChoice::First);
    }
    a
}

fn header(rng: &mut Rng, truth: &Truth) -> HeaderVariation {
    let rows = pick(
        rng,
        &[
            HeaderRows::Official,
            HeaderRows::Generic,
            HeaderRows::Missing,
        ],
    );
    let repeat = rows != HeaderRows::Missing && (rows == HeaderRows::Official || rng.chance(0.5));
    // Any row but the first: the header right above it is the top one.
    let later: Vec<ApplicationRow> = truth.applications[1..].iter().map(|(r, _)| *r).collect();
    HeaderVariation {
        rows,
        repeat_before: repeat.then(|| pick(rng, &later)),
    }
}

fn units(rng: &mut Rng) -> Units {
    let amount = pick(
        rng,
        &[
            AmountPrint::AsDrawn,
            AmountPrint::CellWan,
            AmountPrint::CellYuan,
        ],
    );
    let counts_percent = if amount == AmountPrint::AsDrawn || rng.chance(0.7) {
        pick(rng, &[10, 30, 60, 100])
    } else {
        0
    };
    Units {
        counts_percent,
        amount,
    }
}

/// The row's own label on the form, and whether the row opens a group (its first cells
/// are labels of the rows below).
fn labels(sheet: &Sheet) -> Vec<(ApplicationRow, String, bool)> {
    (0..sheet.rows.len())
        .filter_map(|r| {
            let RowTag::Application(row) = sheet.rows[r].tag else {
                return None;
            };
            let label = sheet.starts(r).find(|(_, c)| c.role == Role::Label)?.1;
            let opens = sheet.starts(r).any(|(_, c)| c.role == Role::Context);
            Some((row, label.text.clone(), opens))
        })
        .collect()
}

fn cut_labels(rng: &mut Rng, applications: &Sheet) -> Vec<CutLabel> {
    let long: Vec<(ApplicationRow, usize)> = labels(applications)
        .into_iter()
        .map(|(row, text, _)| (row, text.chars().count()))
        .filter(|&(_, n)| n >= MIN_FIRST_LINE + 4)
        .collect();
    let n = rng.range(1, 3) as usize;
    some_of(rng, &long, n)
        .into_iter()
        .map(|(row, chars)| CutLabel {
            row,
            first_chars: rng.range(MIN_FIRST_LINE as u64, chars as u64 - 2) as usize,
        })
        .collect()
}

fn gap(rng: &mut Rng) -> Gap {
    if rng.chance(0.5) {
        Gap::PageNumber(rng.range(2, 9) as u8)
    } else {
        Gap::Blank
    }
}

/// Where each table may be cut: before any row but the first.
fn split_points(truth: &Truth, table: TableId) -> Vec<SplitAt> {
    match table {
        TableId::Active => {
            let mut points = Vec::new();
            let mut last_item = None;
            for cell in &truth.active {
                if last_item != Some(cell.item) {
                    if last_item.is_some() {
                        points.push(SplitAt::ActiveTitle(cell.item));
                    }
                    last_item = Some(cell.item);
                }
                let row = SplitAt::ActiveRow(cell.item, cell.category);
                if !points.contains(&row) {
                    points.push(row);
                }
            }
            points
        }
        TableId::Applications => truth
            .applications
            .iter()
            .map(|(r, _)| SplitAt::Application(*r))
            .collect(),
        TableId::Review => vec![SplitAt::ReviewFigures],
    }
}

fn splits(rng: &mut Rng, truth: &Truth) -> Vec<TableSplit> {
    let tables = [TableId::Active, TableId::Applications, TableId::Review];
    let mut chosen: Vec<TableId> = tables.into_iter().filter(|_| rng.chance(0.4)).collect();
    if chosen.is_empty() {
        chosen.push(pick(rng, &tables));
    }
    chosen
        .into_iter()
        .map(|table| TableSplit {
            before: pick(rng, &split_points(truth, table)),
            gap: gap(rng),
            repeat_header: table == TableId::Applications && rng.chance(0.5),
        })
        .collect()
}

/// Rows printed with their figures only: never （七）总计, nor a row whose first cells
/// label the rows below (that label stays printed).
fn unlabelled(rng: &mut Rng, applications: &Sheet) -> Vec<ApplicationRow> {
    let candidates: Vec<ApplicationRow> = labels(applications)
        .into_iter()
        .filter(|(row, _, opens)| *row != ApplicationRow::TotalProcessed && !opens)
        .map(|(row, _, _)| row)
        .collect();
    let n = rng.range(1, 4) as usize;
    some_of(rng, &candidates, n)
}

/// Every keyword the extractor's dictionary knows labels by.
fn keywords() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    all.extend(
        ApplicationRow::ALL
            .iter()
            .flat_map(|r| r.keywords().iter().copied()),
    );
    all.extend(RowGroup::ALL.iter().map(|g| g.keyword()));
    all.extend(
        Applicant::ALL
            .iter()
            .flat_map(|a| a.keywords().iter().copied()),
    );
    all.extend(
        ActiveCategory::ALL
            .iter()
            .flat_map(|c| c.keywords().iter().copied()),
    );
    all.extend(
        ActiveMetric::ALL
            .iter()
            .flat_map(|m| m.keywords().iter().copied()),
    );
    all.extend(
        ActiveItem::ALL
            .iter()
            .flat_map(|i| i.keywords().iter().copied()),
    );
    all.extend(
        Proceeding::ALL
            .iter()
            .flat_map(|p| p.keywords().iter().copied()),
    );
    all.extend(
        Outcome::ALL
            .iter()
            .flat_map(|o| o.keywords().iter().copied()),
    );
    all
}

/// Each way of misreading one look-alike character inside a keyword (3+ characters) of
/// one of the table's labels.
fn slip_candidates(table: TableId, sheet: &Sheet, keywords: &[&str]) -> Vec<Slip> {
    let mut out: Vec<Slip> = Vec::new();
    let texts = sheet
        .rows
        .iter()
        .enumerate()
        .flat_map(|(r, _)| sheet.starts(r))
        .filter(|(_, c)| matches!(c.role, Role::Label | Role::Context | Role::Header))
        .map(|(_, c)| c.text.clone());
    for text in texts {
        for keyword in keywords.iter().filter(|k| k.chars().count() >= 3) {
            for (at, _) in text.match_indices(keyword) {
                for (offset, c) in keyword.char_indices() {
                    let Some(&(_, misread)) = LOOK_ALIKES.iter().find(|(from, _)| *from == c)
                    else {
                        continue;
                    };
                    let i = at + offset;
                    let slip = Slip {
                        table,
                        label: text.clone(),
                        misread: format!("{}{misread}{}", &text[..i], &text[i + c.len_utf8()..]),
                    };
                    if !out.contains(&slip) {
                        out.push(slip);
                    }
                }
            }
        }
    }
    out
}

fn slips(rng: &mut Rng, sheets: [&Sheet; 3]) -> Vec<Slip> {
    let keywords = keywords();
    let tables = [TableId::Active, TableId::Applications, TableId::Review];
    let mut per_table: Vec<Vec<Slip>> = tables
        .into_iter()
        .zip(sheets)
        .map(|(t, s)| slip_candidates(t, s, &keywords))
        .filter(|c| !c.is_empty())
        .collect();
    let mut out: Vec<Slip> = Vec::new();
    for candidates in &per_table {
        if rng.chance(0.5) {
            out.push(candidates[rng.range(0, candidates.len() as u64 - 1) as usize].clone());
        }
    }
    if out.is_empty() && !per_table.is_empty() {
        let i = rng.range(0, per_table.len() as u64 - 1) as usize;
        let candidates = per_table.swap_remove(i);
        out.push(candidates[rng.range(0, candidates.len() as u64 - 1) as usize].clone());
    }
    out
}

fn headings(rng: &mut Rng) -> [HeadingForm; 6] {
    const NUMBERINGS: [Numbering; 6] = [
        Numbering::Chinese,
        Numbering::ArabicDot,
        Numbering::ArabicComma,
        Numbering::Bracketed,
        Numbering::Part,
        Numbering::Unnumbered,
    ];
    // One style for the document, or each heading its own (as the seed mixes them).
    let mixed = rng.chance(0.3);
    let style = pick(rng, &NUMBERINGS);
    let run_in = rng.chance(0.3);
    std::array::from_fn(|_| HeadingForm {
        number: if mixed { pick(rng, &NUMBERINGS) } else { style },
        run_in: run_in && rng.chance(0.6),
    })
}

fn title(rng: &mut Rng) -> TitleVariation {
    TitleVariation {
        form: pick(
            rng,
            &[
                TitleForm::AgencyYear,
                TitleForm::YearAgency,
                TitleForm::AgencyThenYear,
            ],
        ),
        markup: pick(
            rng,
            &[TitleMarkup::Plain, TitleMarkup::Hash, TitleMarkup::Bold],
        ),
        split: rng.chance(0.5),
    }
}
