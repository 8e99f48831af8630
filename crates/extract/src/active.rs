//! Table 二 (主动公开政府信息情况): sub-tables of rows named by their category, found in
//! table rows or in lines of text (`行政许可 97`, as PDF-to-text tools print them).
//!
//! The category names its item (第二十条第（N）项): each category sits under one item in
//! both templates, so a row is never filed under the item title printed nearest above it
//! when that title names another item. The columns are the metrics the header names
//! (`信息内容 | 本年制发件数 | …`), or — with no header, or one of another sub-table —
//! the template's metrics of that item in their order, when the row has that many figures.

use nianbao_model::{
    normalize_label, parse_figure, ActiveCategory, ActiveCell, ActiveItem, ActiveMetric, Report,
    Template, WarningCode,
};
use nianbao_read::{Block, Document};

use crate::tables::{expected_active_cells, fit, read_figure, split_row, NormRow, TableOutcome};

/// Longest line read as an item title, a header or a row of figures.
const MAX_LINE_CHARS: usize = 40;
/// Longest sentence after a category's label read as its row.
const MAX_STATED_CHARS: usize = 80;

/// A header column: its metric, the unit its label states, and its grid column when the
/// header is a table row.
#[derive(Clone, Default)]
struct Column {
    metric: Option<ActiveMetric>,
    unit: Option<&'static str>,
    col: Option<usize>,
    /// The keyword the label prints with one character misread, if it does.
    misread: Option<&'static str>,
    /// The label as printed (normalised).
    label: String,
    /// The column whose label this one repeats: one merged header cell printed in each
    /// column it covers (as some converters flatten merges).
    echo_of: Option<usize>,
}

/// The figure cells of a row: texts with their grid columns, and the row's width in grid
/// columns, when the row is a table row (a line of text has neither).
struct Cells<'a> {
    texts: Vec<(Option<usize>, &'a str)>,
    width: Option<usize>,
}

/// What one table row or short line of text is.
enum Line<'a> {
    Item(Option<ActiveItem>),
    /// The columns, and the header row's width in grid columns.
    Header(Vec<Column>, Option<usize>),
    /// A category's row; the keyword its label prints with one character misread, if so.
    Row(ActiveCategory, Cells<'a>, Option<&'static str>),
    /// A category's row printed as a sentence, each figure after the label of its column
    /// (`规章：本年制发件数2件，本年废止件数0件，现行有效件数1件。`).
    Stated(ActiveCategory, Vec<(ActiveMetric, &'a str)>),
    /// Another table starts: table 二 is over.
    Leave,
    Other,
}

pub fn extract_active(
    doc: &Document,
    tables: &[Vec<NormRow<'_>>],
    template: Template,
    report: &mut Report,
) -> TableOutcome {
    let mut reader = Reader {
        template,
        item: None,
        columns: None,
        outcome: TableOutcome::default(),
    };
    for (block, rows) in doc.blocks.iter().zip(tables) {
        match block {
            Block::Paragraph(text) => {
                let line = paragraph_line(text, reader.inside());
                reader.take(line, report);
            }
            Block::Table(_) => {
                for norm in rows {
                    let line = row_line(norm);
                    reader.take(line, report);
                }
            }
        }
    }
    let mut outcome = reader.outcome;
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

/// A table row as a [`Line`].
fn row_line<'a>(norm: &'a NormRow<'a>) -> Line<'a> {
    if norm.marks.applications_table() || norm.marks.review_table() {
        return Line::Leave;
    }
    if norm.marks.article_20_item() {
        return Line::Item(ActiveItem::match_label(&norm.joined));
    }
    let texts: Vec<&str> = norm.cells().collect();
    let Some(first) = texts.iter().position(|t| !t.is_empty()) else {
        return Line::Other;
    };
    let width = row_width(norm);
    if texts[first].contains("信息内容") {
        let cells = norm.row.cells.iter().zip(&texts).skip(first + 1);
        let columns = cells
            .filter(|(_, t)| !t.is_empty())
            .map(|(cell, t)| Column {
                col: Some(cell.col),
                ..column(t)
            });
        return Line::Header(columns.collect(), width);
    }
    match ActiveCategory::match_label_or_misread(texts[first]) {
        Some((category, misread)) => {
            let figures = split_row(norm).1;
            let texts = figures.cells().map(|c| (Some(c.col), c.text.as_str()));
            Line::Row(
                category,
                Cells {
                    texts: texts.collect(),
                    width,
                },
                misread,
            )
        }
        None => Line::Other,
    }
}

/// A paragraph as a [`Line`]: an item title, a header, or — inside table 二 — a category
/// followed by its figures, separated by spaces.
fn paragraph_line(text: &str, inside: bool) -> Line<'_> {
    if let Some((category, stated)) = stated_row(text) {
        return Line::Stated(category, stated);
    }
    if text.chars().count() > MAX_LINE_CHARS {
        return Line::Other;
    }
    // Normalising keeps 条, so a paragraph without it is not an item title.
    if text.contains('条') {
        let label = normalize_label(text);
        if label.contains("第二十条第") {
            return Line::Item(ActiveItem::match_label(&label));
        }
    }
    if !inside {
        return Line::Other;
    }
    let label = normalize_label(text);
    if let Some(rest) = label.split_once("信息内容").map(|(_, rest)| rest) {
        return Line::Header(metrics_in(rest), None);
    }
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let figures_from = tokens
        .iter()
        .rposition(|t| parse_figure(t).is_err())
        .map_or(0, |i| i + 1);
    if figures_from == 0 || figures_from == tokens.len() {
        return Line::Other;
    }
    let name = normalize_label(&tokens[..figures_from].concat());
    match ActiveCategory::match_label(&name) {
        Some(category) if name.chars().count() <= 12 => {
            let texts = tokens[figures_from..].iter().map(|t| (None, *t));
            Line::Row(
                category,
                Cells {
                    texts: texts.collect(),
                    width: None,
                },
                None,
            )
        }
        _ => Line::Other,
    }
}

/// A row printed as a sentence: a category's label and a colon, then clauses that each
/// name a column and print its figure (`行政许可：本年处理决定数量291件。`). Every clause
/// must read so; a sentence that says anything else is not a row.
fn stated_row(text: &str) -> Option<(ActiveCategory, Vec<(ActiveMetric, &str)>)> {
    let (label, rest) = text.trim().split_once(['：', ':'])?;
    if label.chars().count() > 12 || rest.chars().count() > MAX_STATED_CHARS {
        return None;
    }
    let category = ActiveCategory::match_label(&normalize_label(label))?;
    let clauses = clauses(rest).filter(|c| !c.trim().is_empty());
    let stated = clauses
        .map(|clause| {
            let clause = clause.trim();
            let digit = clause.find(|c: char| c.is_numeric())?;
            // A sign belongs to the figure (`本年增/减-8`).
            let at = clause[..digit]
                .strip_suffix(['+', '-', '＋', '－'])
                .map_or(digit, str::len);
            let (name, figure) = clause.split_at(at);
            let metric = ActiveMetric::match_label(&normalize_label(name))?;
            parse_figure(figure).is_ok().then_some((metric, figure))
        })
        .collect::<Option<Vec<_>>>()?;
    (!stated.is_empty()).then_some((category, stated))
}

/// A sentence's clauses: split at `，；。` and at a `,` that is no thousands separator.
fn clauses(text: &str) -> impl Iterator<Item = &str> {
    let digit_after = |i: usize| text[i + 1..].starts_with(|c: char| c.is_numeric());
    let mut ends: Vec<(usize, usize)> = text
        .char_indices()
        .filter(|&(i, c)| matches!(c, '，' | '；' | ';' | '。') || (c == ',' && !digit_after(i)))
        .map(|(i, c)| (i, i + c.len_utf8()))
        .collect();
    ends.push((text.len(), text.len()));
    let mut start = 0;
    ends.into_iter().map(move |(end, next)| {
        let clause = &text[start..end];
        start = next;
        clause
    })
}

/// A header cell's metric and the unit it states.
fn column(label: &str) -> Column {
    let (metric, misread) = ActiveMetric::match_label_or_misread(label)
        .map_or((None, None), |(m, misread)| (Some(m), misread));
    Column {
        metric,
        unit: header_unit(label),
        misread,
        label: label.to_string(),
        ..Column::default()
    }
}

/// A table row's width in grid columns.
fn row_width(norm: &NormRow<'_>) -> Option<usize> {
    norm.row.cells.last().map(|c| c.col + c.col_span)
}

/// The metrics a header printed as one run of text names, in the order printed.
fn metrics_in(text: &str) -> Vec<Column> {
    let mut found: Vec<(usize, Column)> = ActiveMetric::ALL
        .iter()
        .filter_map(|m| {
            let at = m.keywords().iter().filter_map(|k| text.find(k)).min()?;
            Some((
                at,
                Column {
                    metric: Some(*m),
                    unit: header_unit(&text[at..]),
                    ..Column::default()
                },
            ))
        })
        .collect();
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, c)| c).collect()
}

/// Unit stated in a header label: `（单位：万元）`, `(万元)`, `(元)`.
pub(crate) fn header_unit(label: &str) -> Option<&'static str> {
    if label.contains("万元") {
        Some("万元")
    } else if label.contains("(元)") || label.contains(":元") {
        Some("元")
    } else {
        None
    }
}

/// The state of reading table 二 line by line.
struct Reader {
    template: Template,
    /// The item title printed last.
    item: Option<ActiveItem>,
    /// The header printed last, with its width in grid columns.
    columns: Option<(Vec<Column>, Option<usize>)>,
    outcome: TableOutcome,
}

impl Reader {
    fn inside(&self) -> bool {
        self.item.is_some() || self.columns.is_some()
    }

    fn take(&mut self, line: Line<'_>, report: &mut Report) {
        match line {
            Line::Leave => {
                self.item = None;
                self.columns = None;
            }
            Line::Item(item) => {
                self.item = item;
                self.columns = None;
                self.outcome.found = true;
            }
            Line::Header(mut columns, width) => {
                self.outcome.found = true;
                self.warn_unknown_columns(&columns, report);
                self.drop_twice_named(&mut columns, report);
                self.columns = Some((columns, width));
            }
            Line::Row(category, figures, misread) => {
                if !self.inside() {
                    return;
                }
                if let Some(keyword) = misread {
                    report.warn(
                        WarningCode::LabelMisread,
                        format!("active_disclosure.{}", category.key()),
                        format!(
                            "row label read as 「{keyword}」 with one character misread (OCR?)"
                        ),
                    );
                }
                self.row(category, &figures, report);
            }
            Line::Stated(category, stated) => {
                self.outcome.found = true;
                self.stated(category, &stated, report);
            }
            Line::Other => {}
        }
    }

    /// A row whose figures name their columns: each read where the template has that
    /// column for the category.
    fn stated(
        &mut self,
        category: ActiveCategory,
        stated: &[(ActiveMetric, &str)],
        report: &mut Report,
    ) {
        let (Some(item), metrics) = self.template_cells(category) else {
            return;
        };
        for &(metric, text) in stated {
            if metrics.contains(&metric) {
                push_cell(report, (item, category, metric), text, None);
            } else {
                report.warn(
                    WarningCode::UnknownColumn,
                    format!("active_disclosure.{}.{}", item.key(), category.key()),
                    format!(
                        "{} is not a column of this row in the template; not read",
                        metric.zh()
                    ),
                );
            }
        }
    }

    fn warn_unknown_columns(&self, columns: &[Column], report: &mut Report) {
        for (i, column) in columns.iter().enumerate() {
            if let Some(keyword) = column.misread {
                report.warn(
                    WarningCode::LabelMisread,
                    format!("active_disclosure.{}", self.item.map_or("?", |i| i.key())),
                    format!(
                        "column {} label read as 「{keyword}」 with one character misread (OCR?)",
                        i + 1
                    ),
                );
            }
            if column.metric.is_none() {
                report.warn(
                    WarningCode::UnknownColumn,
                    format!("active_disclosure.{}", self.item.map_or("?", |i| i.key())),
                    format!("column {} is not a metric of either template", i + 1),
                );
            }
        }
    }

    /// Two columns that name one metric (上年处理决定数量 beside 本年处理决定数量): which
    /// one the template means is not known, so neither is read.
    fn drop_twice_named(&self, columns: &mut [Column], report: &mut Report) {
        for i in 0..columns.len() {
            let Some(metric) = columns[i].metric else {
                continue;
            };
            let same: Vec<usize> = (0..columns.len())
                .filter(|&j| columns[j].metric == Some(metric))
                .collect();
            if same.len() < 2 {
                continue;
            }
            if same.iter().all(|&j| columns[j].label == columns[i].label) {
                for &j in &same[1..] {
                    columns[j].metric = None;
                    columns[j].echo_of = Some(i);
                }
                continue;
            }
            report.warn(
                WarningCode::ColumnAmbiguous,
                format!("active_disclosure.{}", self.item.map_or("?", |i| i.key())),
                format!(
                    "columns {} ({}) all read as {}; none of them is read",
                    same.iter()
                        .map(|j| (j + 1).to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    same.iter()
                        .map(|&j| columns[j].label.as_str())
                        .collect::<Vec<_>>()
                        .join("、"),
                    metric.zh()
                ),
            );
            for j in same {
                columns[j].metric = None;
            }
        }
    }

    /// The template's item and metrics of a category.
    fn template_cells(&self, category: ActiveCategory) -> (Option<ActiveItem>, Vec<ActiveMetric>) {
        let cells = expected_active_cells(self.template);
        let item = cells.iter().find(|c| c.1 == category).map(|c| c.0);
        let metrics = cells
            .iter()
            .filter(|c| c.1 == category)
            .map(|c| c.2)
            .collect();
        (item, metrics)
    }

    fn row(&mut self, category: ActiveCategory, printed: &Cells<'_>, report: &mut Report) {
        let (Some(item), metrics) = self.template_cells(category) else {
            return; // a category the template does not have
        };
        let location = || format!("active_disclosure.{}.{}", item.key(), category.key());
        if self.item.is_some_and(|printed| printed != item) {
            report.warn(
                WarningCode::ItemDiffers,
                location(),
                format!(
                    "row printed under the title of item {}; {} is a category of item {} in the template",
                    self.item.map_or("?", |i| i.key()),
                    category.zh(),
                    item.key()
                ),
            );
        }
        // The header's columns when they are this item's metrics, else the template's.
        let header = self.columns.as_ref().filter(|(c, _)| {
            c.iter()
                .filter_map(|c| c.metric)
                .all(|m| metrics.contains(&m))
        });
        let template: Vec<Column> = metrics
            .iter()
            .map(|m| Column {
                metric: Some(*m),
                ..Column::default()
            })
            .collect();
        let (columns, header_width) = match header {
            Some((columns, width)) => (columns.as_slice(), *width),
            None => (template.as_slice(), None),
        };
        let Some(figures) = figures_under(columns, header_width, printed) else {
            report.warn(
                WarningCode::RowShape,
                location(),
                format!(
                    "row has {} figure cells under {} columns: cells may be joined or missing; row not extracted",
                    printed.texts.len(),
                    columns.len()
                ),
            );
            return;
        };
        if header.is_none() {
            report.warn(
                WarningCode::HeaderDiffers,
                location(),
                "no header of this item's metrics above the row; columns mapped by the template's order",
            );
        }
        // A header cell repeated over columns must repeat its figure too.
        let repeated_apart: Vec<usize> = columns
            .iter()
            .zip(&figures)
            .filter_map(|(c, text)| {
                let first = c.echo_of?;
                (figures.get(first).map(|f| f.trim()) != Some(text.trim())).then_some(first)
            })
            .collect();
        for (i, (column, text)) in columns.iter().zip(&figures).enumerate() {
            let Some(metric) = column.metric else {
                continue;
            };
            if repeated_apart.contains(&i) {
                report.warn(
                    WarningCode::ColumnAmbiguous,
                    location(),
                    format!(
                        "the header {} is printed over several columns whose figures differ; none of them is read",
                        metric.zh()
                    ),
                );
                continue;
            }
            push_cell(report, (item, category, metric), text, column.unit);
        }
    }
}

/// The row's figure under each column: by grid column where the row is as wide as the
/// header (one grid, so its columns line up); else by count, past empty cells at one
/// end ([`fit`]). `None` when neither places every column.
fn figures_under<'a>(
    columns: &[Column],
    header_width: Option<usize>,
    printed: &Cells<'a>,
) -> Option<Vec<&'a str>> {
    if header_width.is_some() && header_width == printed.width {
        let by_col: Option<Vec<&str>> = columns
            .iter()
            .map(|c| {
                let col = c.col?;
                printed
                    .texts
                    .iter()
                    .find(|(at, _)| *at == Some(col))
                    .map(|(_, t)| *t)
            })
            .collect();
        if by_col.is_some() {
            return by_col;
        }
    }
    let texts: Vec<&str> = printed.texts.iter().map(|(_, t)| *t).collect();
    let fitted = fit(&texts, columns.len(), |t| t.trim().is_empty());
    (fitted.len() == columns.len()).then(|| fitted.to_vec())
}

fn push_cell(
    report: &mut Report,
    (item, category, metric): (ActiveItem, ActiveCategory, ActiveMetric),
    text: &str,
    unit_in_header: Option<&'static str>,
) {
    let location = || {
        format!(
            "active_disclosure.{}.{}.{}",
            item.key(),
            category.key(),
            metric.key()
        )
    };
    if report
        .active_disclosure
        .iter()
        .any(|c| c.item == item && c.category == category && c.metric == metric)
    {
        report.warn(
            WarningCode::DuplicateRow,
            location(),
            "cell printed twice; the first one is kept",
        );
        return;
    }
    let (figure, unit_in_cell) = read_figure(text, location, report);
    let unit = if metric.is_amount() {
        unit_in_cell
            .or(unit_in_header)
            .unwrap_or(metric.default_unit())
    } else {
        ""
    };
    if metric.is_amount() && unit.is_empty() && figure.value.is_some() {
        report.warn(
            WarningCode::UnitUnknown,
            location(),
            "amount printed without a unit in the cell or the header",
        );
    }
    report.active_disclosure.push(ActiveCell {
        item,
        category,
        metric,
        figure,
        unit: unit.to_string(),
    });
}
