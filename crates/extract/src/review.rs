//! Table 四 (政府信息公开行政复议、行政诉讼情况): one row of fifteen figures, three
//! proceedings of five outcomes, under a header that names them.
//!
//! The region runs from the header (a row naming 行政复议 and 维持 or 行政诉讼, or the
//! heading or header text printed above the table) to another table's header. The
//! columns are the header's where it names all fifteen (lined up by grid column), else
//! the template's order — unless a header row names them in another order that cannot
//! be lined up, when the table is left out rather than read wrong.

use std::collections::BTreeMap;

use nianbao_model::{parse_figure, Outcome, Proceeding, Report, ReviewCell, WarningCode};

use crate::tables::{
    fit_figures, read_figure, split_row, Figures, Marks, NormRow, TableKind, TableOutcome,
};

const COLUMNS: usize = Proceeding::ALL.len() * Outcome::ALL.len();

/// A figure column: which proceeding's which outcome.
type Column = (Proceeding, Outcome);

/// The table's figure columns.
enum Columns {
    /// As the header names them: each with its grid column, and the header's width.
    Header(Vec<(usize, Column)>, usize),
    Template,
    /// Named otherwise than the template, and not lined up with the figures.
    Unknown,
}

pub fn extract_review(
    tables: &[Vec<NormRow<'_>>],
    named: &[Option<TableKind>],
    report: &mut Report,
) -> TableOutcome {
    let mut outcome = TableOutcome::default();
    let mut inside = false;
    let mut header: Vec<&NormRow<'_>> = Vec::new();
    let mut shapes: Vec<usize> = Vec::new();
    let mut data: Option<&NormRow<'_>> = None;
    let mut figure_rows: Vec<&NormRow<'_>> = Vec::new();
    for (rows, named) in tables.iter().zip(named) {
        match named {
            Some(TableKind::Review) => {
                inside = true;
                outcome.found = true;
            }
            Some(_) => inside = false,
            None => {}
        }
        for norm in rows {
            if norm.marks.review_table() {
                inside = true;
                outcome.found = true;
            } else if ends_review(norm.marks) {
                inside = false;
            }
            if !inside {
                continue;
            }
            let printed = split_row(norm).1;
            if !printed.texts().any(|t| parse_figure(t).is_ok()) {
                header.push(norm);
                continue;
            }
            figure_rows.push(norm);
            let fitted = fit_figures(printed, COLUMNS);
            if data.is_none() && (fitted.len() == COLUMNS || printed.len() >= COLUMNS) {
                data = Some(norm);
            } else {
                shapes.push(fitted.len());
            }
        }
    }
    if !outcome.found {
        return outcome;
    }
    let header_text: String = header.iter().map(|n| n.joined.as_str()).collect();
    if !(header_text.contains("未经复议") && header_text.contains("复议后起诉")) {
        report.warn(
            WarningCode::HeaderDiffers,
            "review_litigation",
            "header does not print 未经复议直接起诉 / 复议后起诉; columns mapped by the template's order",
        );
    }
    let columns = header_columns(&header, report);
    let cells = match data.and_then(|norm| figures_under(norm, &columns)) {
        Some(cells) => Some(cells),
        None => rows_in_template_order(&figure_rows, &columns, report),
    };
    let Some(cells) = cells else {
        let printed = data.map(|n| split_row(n).1.len());
        shapes.extend(printed);
        let shapes: Vec<String> = shapes.iter().map(usize::to_string).collect();
        report.warn(
            WarningCode::RowShape,
            "review_litigation",
            format!(
                "no row of {COLUMNS} figure cells (rows with figures have {} cells): cells may be joined; table not extracted",
                if shapes.is_empty() { "none".to_string() } else { shapes.join(", ") }
            ),
        );
        outcome.missing.push("review_litigation".into());
        return outcome;
    };
    for ((proceeding, outcome_key), text) in cells {
        let location = || {
            format!(
                "review_litigation.{}.{}",
                proceeding.key(),
                outcome_key.key()
            )
        };
        let (figure, _) = read_figure(text, location, report);
        report.review_litigation.push(ReviewCell {
            proceeding,
            outcome: outcome_key,
            figure,
        });
    }
    report
        .review_litigation
        .sort_by_key(|c| (c.proceeding, c.outcome));
    outcome
}

/// The figures of a table 四 printed over several rows (行政复议 in one table, 行政诉讼
/// in the next), read in the template's order: only where the header keeps that order
/// and every row holds whole proceedings (five figures each) that make fifteen.
fn rows_in_template_order<'a>(
    rows: &[&'a NormRow<'a>],
    columns: &Columns,
    report: &mut Report,
) -> Option<Vec<(Column, &'a str)>> {
    if !matches!(columns, Columns::Template) || rows.len() < 2 {
        return None;
    }
    let outcomes = Outcome::ALL.len();
    let parts: Vec<Figures<'a>> = rows
        .iter()
        .map(|norm| fit_figures(split_row(norm).1, COLUMNS))
        .collect();
    let whole = parts
        .iter()
        .all(|p| !p.is_empty() && p.len() % outcomes == 0);
    if !whole || parts.iter().map(|p| p.len()).sum::<usize>() != COLUMNS {
        return None;
    }
    let sizes: Vec<String> = parts.iter().map(|p| p.len().to_string()).collect();
    report.warn(
        WarningCode::RowsJoined,
        "review_litigation",
        format!(
            "figures printed over {} rows ({}), read one after another in the template's order",
            parts.len(),
            sizes.join(" + ")
        ),
    );
    let texts = parts.iter().flat_map(|p| p.texts());
    Some(template_columns().zip(texts).collect())
}

/// A row that opens table 二 or 三, which ends table 四.
fn ends_review(marks: Marks) -> bool {
    marks.article_20() || marks.applications_table()
}

/// The template's columns in order.
fn template_columns() -> impl Iterator<Item = Column> {
    Proceeding::ALL
        .iter()
        .flat_map(|p| Outcome::ALL.iter().map(move |o| (*p, *o)))
}

/// The data row's figures under the columns: by grid column where the row is as wide as
/// the header, else by count past empty cells at one end.
fn figures_under<'a>(norm: &'a NormRow<'a>, columns: &Columns) -> Option<Vec<(Column, &'a str)>> {
    let printed: Figures<'a> = split_row(norm).1;
    let order: Vec<Column> = match columns {
        Columns::Header(named, width) => {
            let at = |col: usize| printed.cells().find(|c| c.col == col);
            if row_width(norm) == *width && named.iter().all(|(col, _)| at(*col).is_some()) {
                let cells = named
                    .iter()
                    .map(|(col, column)| (*column, at(*col).map_or("", |c| c.text.as_str())));
                return Some(cells.collect());
            }
            named.iter().map(|(_, c)| *c).collect()
        }
        Columns::Template => template_columns().collect(),
        Columns::Unknown => return None,
    };
    let fitted = fit_figures(printed, COLUMNS);
    (fitted.len() == COLUMNS).then(|| order.into_iter().zip(fitted.texts()).collect())
}

fn row_width(norm: &NormRow<'_>) -> usize {
    norm.row.cells.last().map_or(0, |c| c.col + c.col_span)
}

/// The columns as the header rows name them: each outcome's grid column under the
/// proceeding named nearest at or left of it. All fifteen named once: the header's
/// columns (a warning where their order is not the template's); else the template's
/// order, unless a header row names outcomes or proceedings out of it.
fn header_columns(header: &[&NormRow<'_>], report: &mut Report) -> Columns {
    let mut proceedings: Vec<(usize, Proceeding)> = Vec::new();
    let mut outcomes: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut lined_up = true;
    let mut in_template_order = true;
    let mut width = 0;
    for norm in header {
        let cells = || norm.row.cells.iter().map(|c| c.col).zip(norm.cells());
        let row_proceedings: Vec<(usize, Proceeding)> = cells()
            .filter_map(|(col, text)| Some((col, Proceeding::match_label(text)?)))
            .collect();
        let row_outcomes: Vec<(usize, Outcome)> = cells()
            .filter(|(_, text)| Proceeding::match_label(text).is_none())
            .filter_map(|(col, text)| Some((col, Outcome::match_label(text)?)))
            .collect();
        in_template_order &= row_proceedings.windows(2).all(|w| w[0].1 < w[1].1)
            && row_outcomes
                .windows(2)
                .all(|w| Outcome::ALL.iter().position(|o| *o == w[1].1) == next_outcome(w[0].1));
        if !row_outcomes.is_empty() || !row_proceedings.is_empty() {
            width = width.max(row_width(norm));
        }
        proceedings.extend(row_proceedings);
        for (col, o) in row_outcomes {
            lined_up &= outcomes.insert(col, o).is_none_or(|before| before == o);
        }
    }
    let named: Vec<(usize, Column)> = outcomes
        .iter()
        .filter_map(|(&col, &o)| {
            let p = proceedings
                .iter()
                .filter(|(at, _)| *at <= col)
                .max_by_key(|(at, _)| *at)?
                .1;
            Some((col, (p, o)))
        })
        .collect();
    let complete = named.len() == COLUMNS
        && template_columns().all(|c| named.iter().filter(|(_, n)| *n == c).count() == 1);
    let in_order = named.iter().map(|(_, c)| *c).eq(template_columns());
    match (lined_up && complete, in_template_order) {
        (true, _) if !in_order => {
            report.warn(
                WarningCode::ColumnsByHeader,
                "review_litigation",
                "the header orders the proceedings or outcomes otherwise than the template; mapped by the header",
            );
            Columns::Header(named, width)
        }
        (true, _) => Columns::Header(named, width),
        (false, true) => Columns::Template,
        (false, false) => {
            report.warn(
                WarningCode::ColumnsUnknown,
                "review_litigation",
                "the header orders the proceedings or outcomes otherwise than the template and does not line up with the figures; table not extracted",
            );
            Columns::Unknown
        }
    }
}

/// The position of the outcome printed after `o` in the template (after 总计 comes the
/// next proceeding's 维持).
fn next_outcome(o: Outcome) -> Option<usize> {
    let at = Outcome::ALL.iter().position(|x| *x == o)?;
    Some((at + 1) % Outcome::ALL.len())
}
