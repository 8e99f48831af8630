//! The three statistical tables, mapped by their printed labels.
//!
//! Row labels decide the row; the column order is the template's, confirmed by the
//! header labels where they are printed. A row whose cell count does not fit the template
//! is not guessed at: it becomes a warning and its cells stay out of the output.

use nianbao_model::{
    normalize_label, normalize_label_into, parse_figure, strip_numbering, ActiveCategory,
    ActiveCell, ActiveItem, ActiveMetric, Applicant, ApplicationCell, ApplicationRow, Figure,
    NumberError, Outcome, Proceeding, Report, ReviewCell, RowGroup, Template,
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

/// A cell is a label when it carries at least two CJK characters; `无`, `—`, `/` and
/// digits are (possibly unreadable) figures.
fn is_label(text: &str) -> bool {
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
fn read_figure(
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
                "not_a_number",
                location(),
                format!("cell prints {raw:?}, which is not a number; value left empty"),
            );
            (Figure { raw, value: None }, None)
        }
    }
}

/// A table row with its cells normalised once for all the scanners.
pub struct NormRow<'a> {
    pub row: &'a Row,
    /// The normalised cells joined.
    pub joined: String,
    /// Where each normalised cell ends in `joined`.
    ends: Vec<usize>,
    /// Which [`MARK_PHRASES`] `joined` holds.
    marks: Marks,
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
struct Marks(u16);

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

    fn applications_table(self) -> bool {
        self.any(NATURAL_PERSON | NEW_RECEIVED | RESULTS)
    }

    fn review_table(self) -> bool {
        self.any(REVIEW) && self.any(UPHELD | LITIGATION)
    }

    /// A row that opens table 二 or 四, which ends table 三.
    fn starts_other_table(self) -> bool {
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
    fn cells(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            // The ends are lengths after whole cells were pushed: always char boundaries.
            .map(|(start, &end)| self.joined.get(start..end).unwrap_or_default())
    }
}

/// The figure cells of a row: the cells after its last label.
#[derive(Clone, Copy)]
struct Figures<'a>(&'a [nianbao_read::Cell]);

impl<'a> Figures<'a> {
    fn len(self) -> usize {
        self.0.len()
    }

    fn is_empty(self) -> bool {
        self.0.is_empty()
    }

    /// The cells' texts as printed.
    fn texts(self) -> impl Iterator<Item = &'a str> {
        self.0.iter().map(|c| c.text.as_str())
    }
}

/// Splits a row into its label cells (normalised) and the figure cells after the last label.
fn split_row<'n, 'a>(norm: &'n NormRow<'a>) -> (Vec<&'n str>, Figures<'a>) {
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

/// Which row a label names; `group` is the parent label seen last (（三）…（六）).
fn match_application_row(core: &str, group: Option<RowGroup>) -> Result<ApplicationRow, String> {
    if matches!(core, "其他" | "其它" | "其他情形") {
        return match group {
            Some(RowGroup::OtherHandling) => Ok(ApplicationRow::OtherOther),
            _ => Err("其他 outside （六）其他处理".into()),
        };
    }
    for g in RowGroup::ALL {
        if core == g.keyword() {
            return match g {
                RowGroup::OtherHandling => Ok(ApplicationRow::Other),
                _ => Err(format!(
                    "{core} printed as a row of its own (a subtotal the template does not have)"
                )),
            };
        }
    }
    row_by_keyword(core).ok_or_else(|| format!("label {core:?} is not a row of the template"))
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
fn row_by_keyword(core: &str) -> Option<ApplicationRow> {
    let (keywords, rows) = &*ROW_KEYWORDS;
    keywords
        .find_overlapping_iter(core)
        .filter_map(|m| rows.get(m.pattern().as_usize()).copied())
        .min()
        .and_then(|i| ApplicationRow::ALL.get(i).copied())
}

/// A label no keyword matches, but one keyword of at least three characters appears in it
/// with one character misread (OCR reads 予 as 子, 复 as 夏): the row whose keyword that
/// is, when only one row's is, and it fits the group.
fn misread_row(core: &str, group: Option<RowGroup>) -> Option<(ApplicationRow, &'static str)> {
    let chars: Vec<char> = core.chars().collect();
    let mut found: Option<(ApplicationRow, &'static str)> = None;
    for row in ApplicationRow::ALL.iter().copied() {
        if group.is_some() && row.group().is_some() && row.group() != group {
            continue;
        }
        for keyword in row.keywords() {
            let kw: Vec<char> = keyword.chars().collect();
            if kw.len() < 3 || kw.len() > chars.len() {
                continue;
            }
            let near = chars
                .windows(kw.len())
                .any(|w| w.iter().zip(&kw).filter(|(a, b)| a != b).count() == 1);
            if near {
                match found {
                    Some((other, _)) if other != row => return None,
                    _ => found = Some((row, keyword)),
                }
            }
        }
    }
    found
}

pub fn extract_applications(
    tables: &[Vec<NormRow<'_>>],
    template: Template,
    report: &mut Report,
) -> TableOutcome {
    let mut outcome = TableOutcome::default();
    let mut group: Option<RowGroup> = None;
    let mut seen: Vec<ApplicationRow> = Vec::new();
    // Only the rows from the applicant header on, up to another table's header: a page
    // may split table 三 over several tables, or run tables 二, 三 and 四 together.
    let mut inside = false;
    let mut header_text = String::new();
    report
        .applications
        .reserve(ApplicationRow::ALL.len() * Applicant::ALL.len());
    for norm in tables.iter().flatten() {
        let joined = &norm.joined;
        if norm.marks.applications_table() || norm.marks.any(APPLICANTS) {
            inside = true;
            outcome.found = true;
        } else if norm.marks.starts_other_table() {
            inside = false;
        }
        if !inside {
            continue;
        }
        let (labels, figures) = split_row(norm);
        if figures.texts().all(|t| t.trim().is_empty()) {
            header_text.push_str(joined);
        }
        let Some(label) = labels.last() else { continue };
        for context in &labels[..labels.len() - 1] {
            let core = strip_numbering(context);
            if let Some(g) = RowGroup::ALL.iter().find(|g| core.starts_with(g.keyword())) {
                group = Some(*g);
            }
        }
        // Trailing placeholders after a header label are not figures.
        let only_placeholders =
            figures.texts().all(|t| t.trim().is_empty()) && figures.len() < Applicant::ALL.len();
        if figures.is_empty() || only_placeholders {
            if let Some(g) = RowGroup::ALL
                .iter()
                .find(|g| strip_numbering(label) == g.keyword())
            {
                group = Some(*g);
            }
            continue; // a header row, or a parent label on a line of its own
        }
        let core = strip_numbering(label);
        let key = match match_application_row(core, group) {
            Ok(key) => key,
            Err(why) => match misread_row(core, group) {
                Some((key, keyword)) => {
                    report.warn(
                        "label_misread",
                        format!("applications.{}", key.key()),
                        format!("label 「{label}」 read as 「{keyword}」 with one character misread (OCR?)"),
                    );
                    key
                }
                None => {
                    report.warn(
                        "unknown_row",
                        format!("applications: {label}"),
                        format!("{why}; row not extracted"),
                    );
                    continue;
                }
            },
        };
        if key.group().is_none() || key == ApplicationRow::Other {
            group = None;
        }
        // Built only when a warning names it.
        let location = || format!("applications.{}", key.key());
        if seen.contains(&key) {
            report.warn(
                "duplicate_row",
                location(),
                "row printed twice; the first one is kept",
            );
            continue;
        }
        if figures.len() != Applicant::ALL.len() {
            report.warn(
                    "row_shape",
                    location(),
                    format!(
                        "row has {} figure cells where the template has {}: cells may be joined or missing; row not extracted",
                        figures.len(),
                        Applicant::ALL.len()
                    ),
                );
            continue;
        }
        seen.push(key);
        for (applicant, text) in Applicant::ALL.iter().zip(figures.texts()) {
            let (figure, _) = read_figure(
                text,
                || format!("{}.{}", location(), applicant.key()),
                report,
            );
            report.applications.push(ApplicationCell {
                row: key,
                applicant: *applicant,
                figure,
            });
        }
    }
    if outcome.found {
        check_applicant_header(&header_text, report);
        let single_other = seen.contains(&ApplicationRow::Other);
        if single_other && template == Template::T2021 {
            report.warn(
                "template_variant",
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
    }
    outcome
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
            "header_differs",
            "applications",
            format!(
                "header does not print {}; columns mapped by the template's order",
                printed.join("、")
            ),
        );
    }
}

pub fn extract_review(tables: &[Vec<NormRow<'_>>], report: &mut Report) -> TableOutcome {
    let mut outcome = TableOutcome::default();
    let expected = Proceeding::ALL.len() * Outcome::ALL.len();
    // From the 行政复议/行政诉讼 header on (possibly in an earlier table than the figures),
    // up to another table's header.
    let mut inside = false;
    let mut header_text = String::new();
    let mut shapes: Vec<usize> = Vec::new();
    let mut data: Option<Figures<'_>> = None;
    for norm in tables.iter().flatten() {
        let joined = &norm.joined;
        if norm.marks.review_table() {
            inside = true;
            outcome.found = true;
        } else if norm.marks.any(ARTICLE_20) || norm.marks.applications_table() {
            inside = false;
        }
        if !inside {
            continue;
        }
        let figures = split_row(norm).1;
        if !figures.texts().any(|t| parse_figure(t).is_ok()) {
            header_text.push_str(joined);
            continue;
        }
        if figures.len() == expected && data.is_none() {
            data = Some(figures);
        } else {
            shapes.push(figures.len());
        }
    }
    if !outcome.found {
        return outcome;
    }
    if !(header_text.contains("未经复议") && header_text.contains("复议后起诉")) {
        report.warn(
            "header_differs",
            "review_litigation",
            "header does not print 未经复议直接起诉 / 复议后起诉; columns mapped by the template's order",
        );
    }
    let Some(figures) = data else {
        let shapes: Vec<String> = shapes.iter().map(usize::to_string).collect();
        report.warn(
            "row_shape",
            "review_litigation",
            format!(
                "no row of {expected} figure cells (rows with figures have {} cells): cells may be joined; table not extracted",
                if shapes.is_empty() { "none".to_string() } else { shapes.join(", ") }
            ),
        );
        outcome.missing.push("review_litigation".into());
        return outcome;
    };
    let cells = Proceeding::ALL
        .iter()
        .flat_map(|p| Outcome::ALL.iter().map(move |o| (*p, *o)));
    for ((proceeding, outcome_key), text) in cells.zip(figures.texts()) {
        let (figure, _) = read_figure(
            text,
            || {
                format!(
                    "review_litigation.{}.{}",
                    proceeding.key(),
                    outcome_key.key()
                )
            },
            report,
        );
        report.review_litigation.push(ReviewCell {
            proceeding,
            outcome: outcome_key,
            figure,
        });
    }
    outcome
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

/// Unit stated in a header label: `（单位：万元）`, `(万元)`, `(元)`.
fn header_unit(label: &str) -> Option<&'static str> {
    if label.contains("万元") {
        Some("万元")
    } else if label.contains("(元)") || label.contains(":元") {
        Some("元")
    } else {
        None
    }
}

pub fn extract_active(
    doc: &Document,
    tables: &[Vec<NormRow<'_>>],
    template: Template,
    report: &mut Report,
) -> TableOutcome {
    let mut outcome = TableOutcome::default();
    let mut item: Option<ActiveItem> = None;
    let mut columns: Vec<(Option<ActiveMetric>, Option<&'static str>)> = Vec::new();
    // The item title may be a table row or a paragraph above the table.
    for (block, rows) in doc.blocks.iter().zip(tables) {
        match block {
            // Normalising keeps 条, so a paragraph without it is not an item title.
            Block::Paragraph(p) if p.contains('条') => {
                let label = normalize_label(p);
                if label.contains("第二十条第") && label.chars().count() < 20 {
                    item = ActiveItem::match_label(&label);
                    columns.clear();
                }
            }
            Block::Paragraph(_) => {}
            Block::Table(_) => {
                for norm in rows {
                    let joined = &norm.joined;
                    if norm.marks.applications_table() || norm.marks.review_table() {
                        item = None;
                        columns.clear();
                        continue;
                    }
                    if norm.marks.any(ARTICLE_20_ITEM) {
                        item = ActiveItem::match_label(joined);
                        columns.clear();
                        outcome.found = true;
                        continue;
                    }
                    let texts: Vec<&str> = norm.cells().collect();
                    let Some(first) = texts.iter().position(|t| !t.is_empty()) else {
                        continue;
                    };
                    if texts[first].contains("信息内容") {
                        outcome.found = true;
                        columns = texts[first + 1..]
                            .iter()
                            .filter(|t| !t.is_empty())
                            .map(|t| (ActiveMetric::match_label(t), header_unit(t)))
                            .collect();
                        for (i, (metric, _)) in columns.iter().enumerate() {
                            if metric.is_none() {
                                report.warn(
                                    "unknown_column",
                                    format!("active_disclosure.{}", item.map_or("?", |i| i.key())),
                                    format!(
                                        "column {} label {:?} is not a metric of either template",
                                        i + 1,
                                        texts[first + 1 + i]
                                    ),
                                );
                            }
                        }
                        continue;
                    }
                    let (Some(current), false) = (item, columns.is_empty()) else {
                        continue;
                    };
                    let Some(category) = ActiveCategory::match_label(texts[first]) else {
                        continue;
                    };
                    let location =
                        || format!("active_disclosure.{}.{}", current.key(), category.key());
                    let (_, figures) = split_row(norm);
                    if figures.len() != columns.len() {
                        report.warn(
                            "row_shape",
                            location(),
                            format!(
                                "row has {} figure cells under {} columns: cells may be joined or missing; row not extracted",
                                figures.len(),
                                columns.len()
                            ),
                        );
                        continue;
                    }
                    for ((metric, unit_in_header), text) in columns.iter().zip(figures.texts()) {
                        let Some(metric) = metric else { continue };
                        // Built only when a warning names it.
                        let cell_location = || format!("{}.{}", location(), metric.key());
                        if report.active_disclosure.iter().any(|c| {
                            c.item == current && c.category == category && c.metric == *metric
                        }) {
                            report.warn(
                                "duplicate_row",
                                cell_location(),
                                "cell printed twice; the first one is kept",
                            );
                            continue;
                        }
                        let (figure, unit_in_cell) = read_figure(text, cell_location, report);
                        let unit = if metric.is_amount() {
                            unit_in_cell
                                .or(*unit_in_header)
                                .unwrap_or(metric.default_unit())
                        } else {
                            ""
                        };
                        if metric.is_amount() && unit.is_empty() && figure.value.is_some() {
                            report.warn(
                                "unit_unknown",
                                cell_location(),
                                "amount printed without a unit in the cell or the header",
                            );
                        }
                        report.active_disclosure.push(ActiveCell {
                            item: current,
                            category,
                            metric: *metric,
                            figure,
                            unit: unit.to_string(),
                        });
                    }
                }
            }
        }
    }
    let expected = expected_active_cells(template);
    for (item, category, metric) in &expected {
        if !report
            .active_disclosure
            .iter()
            .any(|c| c.item == *item && c.category == *category && c.metric == *metric)
        {
            outcome.missing.push(format!(
                "active_disclosure.{}.{}.{}",
                item.key(),
                category.key(),
                metric.key()
            ));
        }
    }
    let order = |c: &ActiveCell| {
        expected
            .iter()
            .position(|e| *e == (c.item, c.category, c.metric))
            .unwrap_or(usize::MAX)
    };
    report
        .active_disclosure
        .sort_by_key(|c| (order(c), c.item, c.category, c.metric));
    outcome
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
