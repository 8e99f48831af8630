//! The three statistical tables, mapped by their printed labels.
//!
//! Row labels decide the row; the column order is the template's, confirmed by the
//! header labels where they are printed. A row whose cell count does not fit the template
//! is not guessed at: it becomes a warning and its cells stay out of the output.

use nianbao_model::{
    normalize_label_into, parse_figure, ActiveCategory, ActiveItem, ActiveMetric, ApplicationRow,
    Figure, NumberError, Report, Template, WarningCode,
};
use nianbao_read::{Block, Document, Row};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// What became of one table, for the document's status.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TableOutcome {
    pub found: bool,
    /// Expected cells that did not come out (rows missing or unreadable).
    pub missing: Vec<String>,
}

/// A cell is a label when it carries at least two CJK characters and is not a figure
/// with its unit (`0万元`, `1,549件`); `无`, `—`, `/` and digits are (possibly
/// unreadable) figures.
fn is_label(text: &str) -> bool {
    has_two_ideographs(text) && !is_figure_with_unit(text)
}

/// Whether a cell ending in a unit character reads as a figure with that unit.
fn is_figure_with_unit(text: &str) -> bool {
    let text = text.trim();
    text.ends_with(['元', '件', '条', '项', '个', '次']) && parse_figure(text).is_ok()
}

fn has_two_ideographs(text: &str) -> bool {
    // Counted on the bytes, stopping at two: U+4E00–U+9FFF are the three-byte sequences
    // led by E5–E9, or by E4 followed by B8 or more.
    let bytes = text.as_bytes();
    let mut ideographs = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let ideograph = match b {
            0xE5..=0xE9 => true,
            0xE4 => bytes.get(i + 1).is_some_and(|&next| next >= 0xB8),
            _ => false,
        };
        ideographs += usize::from(ideograph);
        if ideographs >= 2 {
            return true;
        }
    }
    false
}

/// Raw text of a figure cell: trimmed, line breaks inside it read as spaces.
fn raw_of(text: &str) -> String {
    if !text.contains('\n') {
        return text.trim().to_string();
    }
    text.split('\n')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

/// A printed figure, with the unit printed in the cell; an unreadable one warns.
/// `location` is built only when a warning needs it.
pub(crate) fn read_figure(
    text: &str,
    location: impl FnOnce() -> String,
    report: &mut Report,
) -> (Figure, Option<&'static str>) {
    let raw = raw_of(text);
    match parse_figure(&raw) {
        Ok(parsed) => (
            Figure {
                raw,
                value: Some(parsed.value),
            },
            parsed.unit,
        ),
        Err(NumberError::Blank) => (Figure::default(), None),
        Err(NumberError::NotANumber) => {
            report.warn(
                WarningCode::NotANumber,
                location(),
                format!("cell prints {raw:?}, which is not a number; value left empty"),
            );
            (Figure { raw, value: None }, None)
        }
    }
}

/// A table row with its cells normalised once for all the scanners.
pub struct NormRow<'a> {
    pub(crate) row: &'a Row,
    /// The normalised cells joined.
    pub(crate) joined: String,
    /// Where each normalised cell ends in `joined`.
    ends: Vec<usize>,
    /// Which [`MARK_PHRASES`] `joined` holds.
    pub(crate) marks: Marks,
}

/// Phrases that tell which table a row opens or belongs to; each row is searched for all
/// of them in one pass, where each scanner used to search it for its own. None ends with
/// the start of another, so a search that does not overlap matches finds every phrase a
/// row holds, except `第二十条` inside `第二十条第`, which is listed first and implies it.
const MARK_PHRASES: [&str; 10] = [
    "自然人",
    "本年新收",
    "本年度办理结果",
    "申请人情况",
    "第二十条第",
    "第二十条",
    "信息内容",
    "行政复议",
    "维持",
    "行政诉讼",
];
const NATURAL_PERSON: u16 = 1 << 0;
const NEW_RECEIVED: u16 = 1 << 1;
const RESULTS: u16 = 1 << 2;
const APPLICANTS: u16 = 1 << 3;
const ARTICLE_20_ITEM: u16 = 1 << 4;
const ARTICLE_20: u16 = 1 << 5;
const CONTENT: u16 = 1 << 6;
const REVIEW: u16 = 1 << 7;
const UPHELD: u16 = 1 << 8;
const LITIGATION: u16 = 1 << 9;

static MARKER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(MARK_PHRASES)
        .expect("static phrases")
});

/// The [`MARK_PHRASES`] a row holds, one bit each.
#[derive(Clone, Copy, Default)]
pub(crate) struct Marks(u16);

impl Marks {
    fn of(joined: &str) -> Marks {
        // An overlapping search would find `第二十条` inside `第二十条第` too, but it
        // cannot use the fast prefilters of a leftmost one.
        let bits = MARKER.find_iter(joined).fold(0, |bits, m| {
            let bit = 1 << m.pattern().as_usize();
            if bit == ARTICLE_20_ITEM {
                bits | ARTICLE_20_ITEM | ARTICLE_20
            } else {
                bits | bit
            }
        });
        Marks(bits)
    }

    fn any(self, marks: u16) -> bool {
        self.0 & marks != 0
    }

    /// 第二十条, which table 二 prints.
    pub(crate) fn article_20(self) -> bool {
        self.any(ARTICLE_20)
    }

    /// An item title of table 二 (第二十条第（N）项).
    pub(crate) fn article_20_item(self) -> bool {
        self.any(ARTICLE_20_ITEM)
    }

    /// The applicant header (申请人情况).
    pub(crate) fn applicants(self) -> bool {
        self.any(APPLICANTS)
    }

    /// A header or row only table 三 has.
    pub(crate) fn applications_table(self) -> bool {
        self.any(NATURAL_PERSON | NEW_RECEIVED | RESULTS)
    }

    pub(crate) fn review_table(self) -> bool {
        self.any(REVIEW) && self.any(UPHELD | LITIGATION)
    }

    /// A row that opens table 二 or 四, which ends table 三.
    pub(crate) fn starts_other_table(self) -> bool {
        self.any(ARTICLE_20 | CONTENT) || self.review_table()
    }
}

/// The normalised rows of every block (none for a paragraph), by block index.
pub fn normalize_tables(doc: &Document) -> Vec<Vec<NormRow<'_>>> {
    doc.blocks
        .iter()
        .map(|block| match block {
            Block::Paragraph(_) => Vec::new(),
            Block::Table(t) => t
                .rows
                .iter()
                .map(|row| {
                    // One buffer per row: the cells are ranges of it (never longer
                    // than the cells as printed).
                    let size = row.texts().map(str::len).sum();
                    let mut joined = String::with_capacity(size);
                    let ends = row
                        .texts()
                        .map(|text| {
                            normalize_label_into(text, &mut joined);
                            joined.len()
                        })
                        .collect();
                    NormRow {
                        row,
                        marks: Marks::of(&joined),
                        joined,
                        ends,
                    }
                })
                .collect(),
        })
        .collect()
}

impl NormRow<'_> {
    /// `normalize_label` of each cell, in order.
    pub(crate) fn cells(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            // The ends are lengths after whole cells were pushed: always char boundaries.
            .map(|(start, &end)| self.joined.get(start..end).unwrap_or_default())
    }
}

/// The figure cells of a row: the cells after its last label.
#[derive(Clone, Copy)]
pub(crate) struct Figures<'a>(&'a [nianbao_read::Cell]);

impl<'a> Figures<'a> {
    pub(crate) fn len(self) -> usize {
        self.0.len()
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0.is_empty()
    }

    /// Where [`fit_figures`] would start this row's figures (`None`: it keeps them all).
    pub(crate) fn fit_start(self, width: usize) -> Option<usize> {
        fit_start(self.0, width, |c| c.text.trim().is_empty())
    }

    /// `width` cells from `start`, if the cells around them are all empty.
    pub(crate) fn window(self, start: usize, width: usize) -> Option<Figures<'a>> {
        let cells = self.0;
        let inside = cells.get(start..start + width)?;
        let outside = cells[..start].iter().chain(&cells[start + width..]);
        outside
            .into_iter()
            .all(|c| c.text.trim().is_empty())
            .then_some(Figures(inside))
    }

    /// The cells.
    pub(crate) fn cells(self) -> impl Iterator<Item = &'a nianbao_read::Cell> {
        self.0.iter()
    }

    /// The cells' texts as printed.
    pub(crate) fn texts(self) -> impl Iterator<Item = &'a str> {
        self.0.iter().map(|c| c.text.as_str())
    }
}

/// The figure cells of a row of a table `width` figure columns wide: see [`fit`].
pub(crate) fn fit_figures(figures: Figures<'_>, width: usize) -> Figures<'_> {
    Figures(fit(figures.0, width, |c| c.text.trim().is_empty()))
}

/// The figures among the `cells` after a row's label, for a table `width` figure columns
/// wide. A row may print more cells: empty cells before the figures (a label spread over
/// several cells) or after them (a table wider than its rows). Those are dropped when they
/// sit at one end only; with empty cells at both ends which are figures is not known, and
/// the cells are left as printed (the caller's shape check refuses the row).
pub(crate) fn fit<T>(cells: &[T], width: usize, empty: impl Fn(&T) -> bool) -> &[T] {
    match fit_start(cells, width, empty) {
        Some(start) => &cells[start..start + width],
        None => cells,
    }
}

/// Where [`fit`]'s figures start among `cells`: `None` where it leaves them as printed.
fn fit_start<T>(cells: &[T], width: usize, empty: impl Fn(&T) -> bool) -> Option<usize> {
    if cells.len() <= width {
        return None;
    }
    let extra = cells.len() - width;
    let leading = cells.iter().take_while(|c| empty(c)).count();
    let trailing = cells.iter().rev().take_while(|c| empty(c)).count();
    match (leading >= extra, trailing >= extra) {
        (true, false) => Some(extra),
        (false, true) => Some(0),
        _ => None,
    }
}

/// Splits a row into its label cells (normalised) and the figure cells after the last label.
pub(crate) fn split_row<'n, 'a>(norm: &'n NormRow<'a>) -> (Vec<&'n str>, Figures<'a>) {
    let cells = norm.row.cells.as_slice();
    match cells.iter().rposition(|c| is_label(&c.text)) {
        Some(i) => (
            cells[..=i]
                .iter()
                .zip(norm.cells())
                .filter(|(cell, _)| !cell.text.trim().is_empty())
                .map(|(_, n)| n)
                .collect(),
            Figures(&cells[i + 1..]),
        ),
        None => (Vec::new(), Figures(cells)),
    }
}

/// The rows a template's table 三 must have.
pub fn expected_application_rows(
    template: Template,
    has_single_other: bool,
) -> Vec<ApplicationRow> {
    use ApplicationRow::*;
    ApplicationRow::ALL
        .iter()
        .copied()
        .filter(|r| match r {
            Other => template == Template::T2019 || has_single_other,
            OtherNoCorrection | OtherUnpaidFee | OtherOther => {
                template == Template::T2021 && !has_single_other
            }
            _ => true,
        })
        .collect()
}

/// Every row keyword, with the position of its row in [`ApplicationRow::ALL`].
static ROW_KEYWORDS: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let (keywords, rows): (Vec<&str>, Vec<usize>) = ApplicationRow::ALL
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.keywords().iter().map(move |k| (*k, i)))
        .unzip();
    (AhoCorasick::new(keywords).expect("static keywords"), rows)
});

/// The first row of [`ApplicationRow::ALL`] one of whose keywords `core` holds (`3.其他`
/// has none), found in one pass over the label.
pub(crate) fn row_by_keyword(core: &str) -> Option<ApplicationRow> {
    let (keywords, rows) = &*ROW_KEYWORDS;
    keywords
        .find_overlapping_iter(core)
        .filter_map(|m| rows.get(m.pattern().as_usize()).copied())
        .min()
        .and_then(|i| ApplicationRow::ALL.get(i).copied())
}

/// The statistical tables, as the text above a table may name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TableKind {
    Active,
    Applications,
    Review,
}

/// By block index, the table that the short paragraphs between the previous table and a
/// table block name: a section heading (numbered any way, or not at all) or a header
/// printed as text outside the table (`行政复议行政诉讼`). `None` where they name none,
/// and for paragraphs.
pub(crate) fn named_above(doc: &Document) -> Vec<Option<TableKind>> {
    let mut named = None;
    doc.blocks
        .iter()
        .map(|block| match block {
            Block::Paragraph(text) => {
                if let Some(kind) = table_named(text) {
                    named = Some(kind);
                }
                None
            }
            Block::Table(_) => named.take(),
        })
        .collect()
}

fn table_named(text: &str) -> Option<TableKind> {
    match crate::sections::heading_index(text) {
        Some(2) => return Some(TableKind::Active),
        Some(3) => return Some(TableKind::Applications),
        Some(4) => return Some(TableKind::Review),
        Some(_) => return None,
        None => {}
    }
    let short = text.chars().count() <= 40;
    (short && text.contains("行政复议") && text.contains("行政诉讼")).then_some(TableKind::Review)
}

/// The cells a template's table 二 must have.
pub fn expected_active_cells(
    template: Template,
) -> Vec<(ActiveItem, ActiveCategory, ActiveMetric)> {
    use ActiveCategory::*;
    use ActiveItem::*;
    use ActiveMetric::*;
    let layout: &[(ActiveItem, &[ActiveCategory], &[ActiveMetric])] = match template {
        Template::T2021 => &[
            (
                Item1,
                &[Regulations, NormativeDocuments],
                &[Issued, Repealed, InForce],
            ),
            (Item5, &[AdministrativeLicense], &[Decisions]),
            (
                Item6,
                &[AdministrativePenalty, AdministrativeCoercion],
                &[Decisions],
            ),
            (Item8, &[AdministrativeFees], &[FeeAmount]),
        ],
        Template::T2019 => &[
            (
                Item1,
                &[Regulations, NormativeDocuments],
                &[NewlyMade, NewlyPublished, TotalPublished],
            ),
            (
                Item5,
                &[AdministrativeLicense, OtherExternalServices],
                &[PriorYearCount, Change, Decisions],
            ),
            (
                Item6,
                &[AdministrativePenalty, AdministrativeCoercion],
                &[PriorYearCount, Change, Decisions],
            ),
            (Item8, &[AdministrativeFees], &[PriorYearCount, Change]),
            (
                Item9,
                &[CentralizedProcurement],
                &[ProcurementCount, ProcurementAmount],
            ),
        ],
        Template::Pre2019 | Template::Unknown => &[],
    };
    layout
        .iter()
        .flat_map(|(item, categories, metrics)| {
            categories
                .iter()
                .flat_map(move |c| metrics.iter().map(move |m| (*item, *c, *m)))
        })
        .collect()
}

/// Builds the label automata now (see [`crate::prepare`]).
pub(crate) fn prepare() {
    LazyLock::force(&MARKER);
    LazyLock::force(&ROW_KEYWORDS);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_has_two_ideographs_of_the_unified_block() {
        let by_chars = |t: &str| {
            t.chars()
                .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
                .count()
                >= 2
        };
        let edges = [
            '\u{3400}', '\u{4DFF}', '\u{4E00}', '\u{9FFF}', '\u{A000}', '无', 'a', '1',
        ];
        for a in edges {
            for b in edges {
                for text in [format!("{a}{b}"), format!("{a} 12 {b}"), format!("—{a}")] {
                    assert_eq!(is_label(&text), by_chars(&text), "{text:?}");
                }
            }
        }
        assert!(is_label("自然人"));
        assert!(!is_label("无"));
        assert!(!is_label("1549"));
    }
}
