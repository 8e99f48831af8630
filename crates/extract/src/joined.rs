//! Tables printed as running text with their cells joined (`一、本年新收…801000081二、…`),
//! as crawled archives and "text version" pages show them: rows are found by their labels
//! in order, and each run of digits is split by the arithmetic the template guarantees.
//!
//! A split is taken only when exactly one survives every constraint: no leading zeros; a
//! row's 总计 is the sum of its six applicant columns; each proceeding's 总计 is the sum of
//! its four outcomes; and, where a row still has several splits, the columns' relations
//! (一 + 二 = （七） + 四, （七） = the result rows). Anything else stays empty, with the
//! candidates in a warning: never a figure picked by taste.

use nianbao_model::{
    parse_figure, ActiveCategory, ActiveCell, ActiveItem, ActiveMetric, AmbiguousRow, Applicant,
    ApplicationCell, ApplicationRow, Evidence, Figure, Outcome, Proceeding, Report, ReviewCell,
    Template, WarningCode,
};

use crate::tables::{expected_active_cells, expected_application_rows, TableOutcome};

/// Longest count a cell holds; bounds the splits considered.
const MAX_DIGITS: usize = 6;
/// Most combinations of ambiguous rows tried against the column relations.
const MAX_COMBINATIONS: usize = 50_000;

/// Splits of `run` into `parts` numbers, no leading zeros, each at most `MAX_DIGITS` long.
fn splits(run: &str, parts: usize) -> Vec<Vec<u64>> {
    fn go(rest: &str, parts: usize, current: &mut Vec<u64>, out: &mut Vec<Vec<u64>>) {
        if out.len() > 10_000 {
            return;
        }
        if parts == 0 {
            if rest.is_empty() {
                out.push(current.clone());
            }
            return;
        }
        if rest.len() < parts || rest.len() > parts * MAX_DIGITS {
            return;
        }
        for len in 1..=rest.len().min(MAX_DIGITS) {
            let head = &rest[..len];
            if len > 1 && head.starts_with('0') {
                break;
            }
            let Ok(n) = head.parse::<u64>() else { break };
            current.push(n);
            go(&rest[len..], parts - 1, current, out);
            current.pop();
        }
    }
    let mut out = Vec::new();
    if run.bytes().all(|b| b.is_ascii_digit()) {
        go(run, parts, &mut Vec::new(), &mut out);
    }
    out
}

/// The count a run printed as one cell holds (`131`, `1,549`, `12件`); none for a run a
/// count never prints as (`007`, `2.5`).
fn one_cell(run: &str) -> Option<u64> {
    if run.len() > 1 && run.starts_with('0') {
        return None;
    }
    parse_figure(run).ok()?.value.to_string().parse().ok()
}

/// The printed text of each cell: the runs themselves where each was one cell, else the
/// split digits.
fn raws(printed: &[&str], values: &[u64]) -> Vec<String> {
    if printed.len() == values.len() {
        printed.iter().map(|r| r.to_string()).collect()
    } else {
        values.iter().map(u64::to_string).collect()
    }
}

/// Figures printed after a label: one run of digits (cells joined), or runs printed apart,
/// a cell a line.
struct Runs<'t> {
    runs: Vec<&'t str>,
    /// Where the last run ends.
    end: usize,
    /// Each run fills a line of its own: the cells were printed one per line, not joined.
    /// An empty cell then leaves no line at all, so no run may be split to make up the
    /// count: a row of `(empty) (empty) 212` is not `2|1|2`.
    apart: bool,
}

impl Runs<'_> {
    /// The ways the runs make `cells` numbers: one run of digits run together split every
    /// way it can be; runs printed apart only as a cell each.
    fn splits(&self, cells: usize) -> Vec<Vec<u64>> {
        match self.runs.as_slice() {
            [run] if !self.apart => splits(run, cells),
            runs if runs.len() == cells => runs
                .iter()
                .map(|r| one_cell(r))
                .collect::<Option<Vec<u64>>>()
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }

    fn shown(&self) -> String {
        self.runs.join(" ")
    }
}

/// Whether a line is one printed figure (`131`, `-4`, `1,549`, `75394.5元`).
fn is_figure_line(line: &str) -> bool {
    line.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+')
        && parse_figure(line).is_ok()
}

/// The run `start..first_end` and the lines after it that are each one printed figure:
/// the rest of a row whose cells print one per line. Stops at a label or an empty line.
fn runs_from(text: &str, start: usize, first_end: usize) -> Runs<'_> {
    let mut runs = vec![&text[start..first_end]];
    let mut end = first_end;
    while let Some(rest) = text[end..].strip_prefix('\n') {
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        if !is_figure_line(line) {
            break;
        }
        runs.push(line);
        end += 1 + line.len();
    }
    let line_start = start == 0 || text[..start].ends_with('\n');
    let line_end = first_end == text.len() || text[first_end..].starts_with('\n');
    Runs {
        apart: runs.len() > 1 || (line_start && line_end),
        runs,
        end,
    }
}

/// The runs of digits after a label: the first, and where the row goes on one cell per
/// line, each following figure line.
fn runs_after(text: &str, from: usize) -> Option<Runs<'_>> {
    let (start, mut first_end) = digits_after(text, from)?;
    // A line that is one figure with separators or a unit (`1,549`) is one run.
    if start == 0 || text[..start].ends_with('\n') {
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if parse_figure(&text[start..line_end]).is_ok() {
            first_end = line_end;
        }
    }
    Some(runs_from(text, start, first_end))
}

/// The printed numbering of a row that is the n-th child of its group (`1.`…`8.`).
fn child_number(row: ApplicationRow) -> Option<usize> {
    let group = row.group()?;
    if row == ApplicationRow::Other {
        return None;
    }
    group
        .members()
        .iter()
        .position(|r| *r == row)
        .map(|i| i + 1)
}

/// Where a row's label ends in `text`, searching from `from`.
fn find_label(text: &str, from: usize, row: ApplicationRow) -> Option<usize> {
    let rest = text.get(from..)?;
    let found = match row {
        ApplicationRow::OtherOther => rest.find("3.其他").map(|i| i + "3.其他".len()),
        _ => row
            .keywords()
            .iter()
            .filter_map(|k| rest.find(k).map(|i| i + k.len()))
            .min(),
    }?;
    Some(from + found)
}

/// The digits after a label: from the first digit to the first non-digit.
fn digits_after(text: &str, from: usize) -> Option<(usize, usize)> {
    let rest = text.get(from..)?;
    let start = from + rest.find(|c: char| c.is_ascii_digit())?;
    let len = text[start..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len() - start);
    Some((start, start + len))
}

struct RowRun {
    row: ApplicationRow,
    /// The runs of digits as printed; more than one where cells print one per line.
    printed: Vec<String>,
    candidates: Vec<Vec<u64>>,
}

impl RowRun {
    fn shown(&self) -> String {
        self.printed.join(" ")
    }
}

/// Table 三 from running text. `text` is the document normalised (see `normalize_label`).
pub fn applications(text: &str, template: Template, report: &mut Report) -> TableOutcome {
    let mut outcome = TableOutcome::default();
    let Some(header) = text.find("申请人情况") else {
        return outcome;
    };
    let end_of_table = text[header..]
        .find("四、政府信息公开行政复议")
        .map_or(text.len(), |i| header + i);
    let text = &text[..end_of_table];
    let single_other = !text.contains("逾期不补正");
    let rows = expected_application_rows(template, single_other);
    let mut runs: Vec<RowRun> = Vec::new();
    let mut pos = header;
    for (i, &row) in rows.iter().enumerate() {
        let Some(label_end) = find_label(text, pos, row) else {
            outcome.missing.push(format!("applications.{}", row.key()));
            continue;
        };
        let Some(mut printed) = runs_after(text, label_end) else {
            outcome.missing.push(format!("applications.{}", row.key()));
            continue;
        };
        let end = printed.end;
        // `…00000002.其他法律…`: the next row's number is glued to this row's figures.
        let glued = text[end..].starts_with('.') || text[end..].starts_with('、');
        let mut number_len = 0;
        if let (true, Some(last)) = (glued, printed.runs.last_mut()) {
            // The next row's number, or after the last row the next section's (`4、`).
            let next = match rows.get(i + 1) {
                Some(&next) => child_number(next),
                None => Some(4),
            };
            if let Some(figures) = next.and_then(|n| last.strip_suffix(&n.to_string())) {
                number_len = last.len() - figures.len();
                *last = figures;
            }
        }
        // The next label starts where this row's figures end (its number included).
        pos = end - number_len;
        let candidates: Vec<Vec<u64>> = printed
            .splits(7)
            .into_iter()
            .filter(|s| s[..6].iter().sum::<u64>() == s[6])
            .collect();
        runs.push(RowRun {
            row,
            printed: printed.runs.iter().map(|r| r.to_string()).collect(),
            candidates,
        });
    }
    if runs.is_empty() {
        return outcome;
    }
    outcome.found = true;
    let chosen = disambiguate(&runs);
    let mut solved = Vec::new();
    for (r, choice) in runs.iter().zip(&chosen) {
        let location = format!("applications.{}", r.row.key());
        match choice {
            Some(values) => {
                let printed: Vec<&str> = r.printed.iter().map(String::as_str).collect();
                let raws = raws(&printed, values);
                for ((applicant, v), raw) in Applicant::ALL.iter().zip(values).zip(raws) {
                    report.applications.push(ApplicationCell {
                        row: r.row,
                        applicant: *applicant,
                        figure: figure(raw, *v),
                    });
                }
                let how = if r.candidates.len() == 1 {
                    "its only split whose row total holds"
                } else {
                    "the only split the column relations allow"
                };
                solved.push(format!(
                    "{} {} → {} ({how})",
                    r.row.key(),
                    r.shown(),
                    join(values)
                ));
            }
            None => {
                outcome.missing.push(location.clone());
                let candidates: Vec<String> =
                    r.candidates.iter().take(6).map(|c| join(c)).collect();
                report.warn(
                    WarningCode::JoinedCellsAmbiguous,
                    location,
                    format!(
                        "cells printed as {:?}: {} splits fit ({}); left empty",
                        r.shown(),
                        r.candidates.len(),
                        if candidates.is_empty() {
                            "none".into()
                        } else {
                            candidates.join("; ")
                        }
                    ),
                );
            }
        }
    }
    if !solved.is_empty() {
        report.warn(
            WarningCode::JoinedCells,
            "applications",
            format!(
                "cells printed run together, split by the table's arithmetic: {}",
                solved.join(", ")
            ),
        );
    }
    report.applications.sort_by_key(|c| (c.row, c.applicant));
    outcome
}

fn figure(raw: String, v: u64) -> Figure {
    Figure {
        raw,
        value: parse_figure(&v.to_string()).ok().map(|p| p.value),
    }
}

fn join(values: &[u64]) -> String {
    values
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join("|")
}

/// The split of each row: unique ones as they are; ambiguous ones only if exactly one
/// combination satisfies the column relations.
fn disambiguate(runs: &[RowRun]) -> Vec<Option<Vec<u64>>> {
    let mut chosen: Vec<Option<Vec<u64>>> = runs
        .iter()
        .map(|r| (r.candidates.len() == 1).then(|| r.candidates[0].clone()))
        .collect();
    let ambiguous: Vec<usize> = (0..runs.len())
        .filter(|&i| runs[i].candidates.len() > 1)
        .collect();
    let combinations = ambiguous
        .iter()
        .try_fold(1usize, |acc, &i| acc.checked_mul(runs[i].candidates.len()))
        .filter(|&n| n <= MAX_COMBINATIONS);
    if ambiguous.is_empty()
        || combinations.is_none()
        || chosen.iter().filter(|c| c.is_none()).count() != ambiguous.len()
    {
        return chosen;
    }
    let mut survivors: Vec<Vec<usize>> = Vec::new();
    let mut index = vec![0usize; ambiguous.len()];
    loop {
        let mut trial = chosen.clone();
        for (k, &i) in ambiguous.iter().enumerate() {
            trial[i] = Some(runs[i].candidates[index[k]].clone());
        }
        if columns_hold(runs, &trial) {
            survivors.push(index.clone());
            if survivors.len() > 1 {
                return chosen;
            }
        }
        // Next combination.
        let mut k = 0;
        loop {
            if k == index.len() {
                if let [only] = survivors.as_slice() {
                    for (k, &i) in ambiguous.iter().enumerate() {
                        chosen[i] = Some(runs[i].candidates[only[k]].clone());
                    }
                }
                return chosen;
            }
            index[k] += 1;
            if index[k] < runs[ambiguous[k]].candidates.len() {
                break;
            }
            index[k] = 0;
            k += 1;
        }
    }
}

/// 一 + 二 = （七） + 四 and （七） = the result rows, for every column, where all rows are known.
fn columns_hold(runs: &[RowRun], values: &[Option<Vec<u64>>]) -> bool {
    let get = |row: ApplicationRow, col: usize| {
        runs.iter()
            .zip(values)
            .find(|(r, _)| r.row == row)
            .and_then(|(_, v)| v.as_ref().map(|v| v[col]))
    };
    use ApplicationRow::*;
    (0..7).all(|col| {
        let balance = match (
            get(NewReceived, col),
            get(CarriedOver, col),
            get(TotalProcessed, col),
            get(CarriedForward, col),
        ) {
            (Some(a), Some(b), Some(c), Some(d)) => a + b == c + d,
            _ => true,
        };
        let results: Option<u64> = runs
            .iter()
            .zip(values)
            .filter(|(r, _)| r.row.is_result())
            .map(|(_, v)| v.as_ref().map(|v| v[col]))
            .sum();
        let sum = match (results, get(TotalProcessed, col)) {
            (Some(r), Some(t)) => r == t,
            _ => true,
        };
        balance && sum
    })
}

/// Table 四 from running text: fifteen figures, each proceeding's 总计 the sum of its four.
pub fn review(text: &str, report: &mut Report) -> TableOutcome {
    let mut outcome = TableOutcome::default();
    let Some(heading) = text
        .find("行政复议、行政诉讼情况")
        .or_else(|| text.find("行政复议和行政诉讼情况"))
    else {
        return outcome;
    };
    let section_end = text[heading..]
        .find("五、")
        .map_or(text.len(), |i| heading + i);
    let Some(mut printed) = runs_after(&text[..section_end], heading) else {
        return outcome;
    };
    outcome.found = true;
    // `…0003` + `5、存在的主要问题`: the next section's number glued on.
    let end = printed.end;
    if let (true, Some(last)) = (
        text[end..].starts_with('、') || text[end..].starts_with('.'),
        printed.runs.last_mut(),
    ) {
        *last = last.strip_suffix('5').unwrap_or(last);
    }
    let run = printed.shown();
    // Proceeding by proceeding: each group of five is four outcomes and their total.
    fn groups(rest: &str, left: usize, acc: &mut Vec<u64>, out: &mut Vec<Vec<u64>>) {
        if out.len() > 1 {
            return;
        }
        if left == 0 {
            if rest.is_empty() {
                out.push(acc.clone());
            }
            return;
        }
        for len in 5..=rest.len().min(5 * MAX_DIGITS) {
            for group in splits(&rest[..len], 5) {
                if group[..4].iter().sum::<u64>() == group[4] {
                    acc.extend(&group);
                    groups(&rest[len..], left - 1, acc, out);
                    acc.truncate(acc.len() - 5);
                }
            }
        }
    }
    let mut found = Vec::new();
    if let ([whole], false) = (printed.runs.as_slice(), printed.apart) {
        groups(whole, Proceeding::ALL.len(), &mut Vec::new(), &mut found);
    } else {
        // Printed apart (one cell per line): each run is one cell or more.
        let cells = Proceeding::ALL.len() * Outcome::ALL.len();
        found = printed
            .splits(cells)
            .into_iter()
            .filter(|s| s.chunks(5).all(|g| g[..4].iter().sum::<u64>() == g[4]))
            .take(2)
            .collect();
    }
    match found.as_slice() {
        [values] => {
            let cells = Proceeding::ALL
                .iter()
                .flat_map(|p| Outcome::ALL.iter().map(move |o| (*p, *o)));
            for (((proceeding, outcome_key), v), raw) in
                cells.zip(values).zip(raws(&printed.runs, values))
            {
                report.review_litigation.push(ReviewCell {
                    proceeding,
                    outcome: outcome_key,
                    figure: figure(raw, *v),
                });
            }
            report.warn(
                WarningCode::JoinedCells,
                "review_litigation",
                format!("cells printed as {run:?}, split as {} (the only split whose proceeding totals hold)", join(values)),
            );
        }
        _ => {
            outcome.missing.push("review_litigation".into());
            report.warn(
                WarningCode::JoinedCellsAmbiguous,
                "review_litigation",
                format!(
                    "cells printed as {run:?}: {} splits fit the proceeding totals; left empty",
                    if found.is_empty() { "no" } else { "several" }
                ),
            );
        }
    }
    outcome
}

/// Table 二 from running text: a row is taken only when its run splits one way (one
/// metric, or every cell a single digit); the table has no arithmetic to decide more.
pub fn active(
    text: &str,
    template: Template,
    evidence: &Evidence,
    report: &mut Report,
) -> TableOutcome {
    let mut outcome = TableOutcome::default();
    let expected = expected_active_cells(template);
    let Some(first) = text.find("第二十条第(") else {
        return outcome;
    };
    let end = text[first..]
        .find("三、收到和处理")
        .map_or(text.len(), |i| first + i);
    let section = &text[first..end];
    outcome.found = true;
    let mut items: Vec<ActiveItem> = expected.iter().map(|(i, _, _)| *i).collect();
    items.dedup();
    let mut pos = 0;
    for item in items {
        let categories: Vec<ActiveCategory> = {
            let mut c: Vec<ActiveCategory> = expected
                .iter()
                .filter(|(i, _, _)| *i == item)
                .map(|(_, c, _)| *c)
                .collect();
            c.dedup();
            c
        };
        let metrics: Vec<ActiveMetric> = {
            let mut m: Vec<ActiveMetric> = expected
                .iter()
                .filter(|(i, _, _)| *i == item)
                .map(|(_, _, m)| *m)
                .collect();
            let mut seen = Vec::new();
            m.retain(|x| {
                let new = !seen.contains(x);
                seen.push(*x);
                new
            });
            m
        };
        // The unit the item's header states (`采购总金额（万元）`), above its first row.
        let mut header_unit = None;
        for category in categories {
            let location = format!("active_disclosure.{}.{}", item.key(), category.key());
            let Some(label_end) = category
                .keywords()
                .iter()
                .filter_map(|k| section[pos..].find(k).map(|i| pos + i + k.len()))
                .min()
            else {
                outcome.missing.push(location);
                continue;
            };
            header_unit =
                header_unit.or_else(|| crate::active::header_unit(&section[pos..label_end]));
            // The rest of the label (`其他对外管理服务` + `事项`), then the figures.
            let Some(skip) = section[label_end..]
                .find(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
                .filter(|&n| n <= 12)
            else {
                outcome.missing.push(location);
                continue;
            };
            let start = label_end + skip;
            let rest = &section[start..];
            // Thousands separators belong to the figure (`2,806`), a trailing comma not.
            let run_len = rest
                .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-' | ',')))
                .unwrap_or(rest.len());
            let run_len = rest[..run_len].trim_end_matches(',').len();
            let mut run = &rest[..run_len];
            // `…0` + `3、收到和处理…`: the next section's number glued on.
            if rest[run_len..].starts_with('、') {
                run = run.strip_suffix('3').unwrap_or(run);
            }
            // The row's other cells, where they print one per line.
            let printed = runs_from(section, start, start + run.len());
            pos = printed.end.max(start + run_len);
            // A figure never starts with 0 unless it is 0 or 0.x; such a run is not one cell.
            let leading_zero = |v: &str| v.len() > 1 && v.starts_with('0') && !v.starts_with("0.");
            let amount = metrics.len() == 1 && metrics[0].is_amount();
            let values: Option<Vec<String>> = if printed.apart {
                // Printed apart: one cell a line, or no reading.
                (printed.runs.len() == metrics.len()
                    && printed
                        .runs
                        .iter()
                        .all(|v| !leading_zero(v) && parse_figure(v).is_ok()))
                .then(|| printed.runs.iter().map(|v| v.to_string()).collect())
            } else if metrics.len() == 1
                && (amount || run.bytes().all(|b| b.is_ascii_digit() || b == b','))
                && !leading_zero(run)
                && parse_figure(run).is_ok()
                && !run.is_empty()
            {
                Some(vec![run.to_string()])
            } else if run.len() == metrics.len() && run.bytes().all(|b| b.is_ascii_digit()) {
                Some(run.chars().map(String::from).collect())
            } else {
                None
            };
            match values {
                Some(values) => {
                    for (metric, v) in metrics.iter().zip(values) {
                        let parsed = parse_figure(&v).ok();
                        let unit = if metric.is_amount() {
                            parsed
                                .as_ref()
                                .and_then(|p| p.unit)
                                .or(header_unit)
                                .unwrap_or(metric.default_unit())
                        } else {
                            ""
                        };
                        report.active_disclosure.push(ActiveCell {
                            item,
                            category,
                            metric: *metric,
                            figure: Figure {
                                value: parsed.map(|p| p.value),
                                raw: v,
                            },
                            unit: unit.to_string(),
                        });
                    }
                }
                None => {
                    // No arithmetic binds these cells; the narrative may state some. Only
                    // counts: an amount's digits and decimals have no bound to split by.
                    let counts = !metrics.iter().any(|m| m.is_amount());
                    let candidates = if counts {
                        printed.splits(metrics.len())
                    } else {
                        Vec::new()
                    };
                    let stated = narrative_counts(&text[..first], category, &metrics);
                    let (survivors, mut said, mut decided) = narrow(candidates, &stated);
                    // Then what the corpus says: the same report in another format, and
                    // last year's 现行有效 (this year's = last year's + 制发 − 废止).
                    let (survivors, more, by_corpus) =
                        corroborate(survivors, item, category, &metrics, evidence);
                    decided |= by_corpus;
                    if !more.is_empty() {
                        said = [said, more]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join("; ");
                    }
                    let evidence = said;
                    if let ([only], true) = (survivors.as_slice(), decided) {
                        for (metric, v) in metrics.iter().zip(only) {
                            report.active_disclosure.push(ActiveCell {
                                item,
                                category,
                                metric: *metric,
                                figure: figure(v.to_string(), *v),
                                unit: String::new(),
                            });
                        }
                        report.warn(
                            WarningCode::JoinedCells,
                            location,
                            format!(
                                "{:?} split as {} by {evidence}",
                                printed.shown(),
                                join(only)
                            ),
                        );
                    } else {
                        outcome.missing.push(location.clone());
                        if counts && survivors.len() > 1 {
                            report.ambiguous.push(AmbiguousRow { item, category });
                        }
                        let shown: Vec<String> =
                            survivors.iter().take(12).map(|c| join(c)).collect();
                        let more = survivors.len().saturating_sub(shown.len());
                        report.warn(
                            WarningCode::JoinedCellsAmbiguous,
                            location,
                            format!(
                                "{} cells printed as {:?}: the table has no arithmetic to split them; left empty{}{}{}",
                                metrics.len(),
                                printed.shown(),
                                if shown.is_empty() { String::new() } else { format!(". Candidates: {}", shown.join(", ")) },
                                if more > 0 { format!(" and {more} more") } else { String::new() },
                                if evidence.is_empty() { String::new() } else { format!(" ({evidence})") },
                            ),
                        );
                    }
                }
            }
        }
    }
    if !report.active_disclosure.is_empty() {
        report.warn(
            WarningCode::JoinedCells,
            "active_disclosure",
            "cells printed run together; only rows that split one way were read",
        );
    }
    outcome
}

/// Counts the narrative states for a table 二 row of the 2021 form (规章 / 行政规范性文件:
/// 制发, 废止, 现行有效), as (column, value, sentence).
fn narrative_counts(
    narrative: &str,
    category: ActiveCategory,
    metrics: &[ActiveMetric],
) -> Vec<(usize, u64, String)> {
    use std::sync::LazyLock;
    static STATED: LazyLock<[(ActiveMetric, regex::Regex); 3]> = LazyLock::new(|| {
        let re = |verb: &str| {
            regex::Regex::new(&format!(
                r"{verb}(?:了)?(?:本年度|本年|全年)?(?:的)?(?:行政)?(规范性文件|规章)(?:共)?(\d+)件"
            ))
            .expect("static regex")
        };
        [
            (ActiveMetric::Issued, re("(?:制发|印发|出台)")),
            (ActiveMetric::Repealed, re("废止")),
            (ActiveMetric::InForce, re("现行有效")),
        ]
    });
    let subject = match category {
        ActiveCategory::NormativeDocuments => "规范性文件",
        ActiveCategory::Regulations => "规章",
        _ => return Vec::new(),
    };
    let mut stated = Vec::new();
    for (metric, pattern) in STATED.iter() {
        let Some(column) = metrics.iter().position(|m| m == metric) else {
            continue;
        };
        for caps in pattern.captures_iter(narrative) {
            if &caps[1] == subject {
                if let Ok(v) = caps[2].parse() {
                    stated.push((column, v, caps[0].to_string()));
                }
            }
        }
    }
    stated
}

/// Narrows a row's splits by other documents: the twin's figures for this row, then last
/// year's 现行有效 through 现行有效 = last year's + 制发 − 废止. Evidence no split agrees
/// with is not used. Returns the survivors, what decided them, and whether it did.
fn corroborate(
    candidates: Vec<Vec<u64>>,
    item: ActiveItem,
    category: ActiveCategory,
    metrics: &[ActiveMetric],
    evidence: &Evidence,
) -> (Vec<Vec<u64>>, String, bool) {
    if candidates.len() < 2 {
        return (candidates, String::new(), false);
    }
    let twin: Vec<(usize, u64, &str)> = evidence
        .twin
        .iter()
        .filter(|(i, c, _, _, _)| *i == item && *c == category)
        .filter_map(|(_, _, m, v, format)| {
            Some((metrics.iter().position(|x| x == m)?, *v, format.as_str()))
        })
        .collect();
    if !twin.is_empty() {
        let agreeing: Vec<Vec<u64>> = candidates
            .iter()
            .filter(|c| twin.iter().all(|(col, v, _)| c.get(*col) == Some(v)))
            .cloned()
            .collect();
        if agreeing.len() == 1 {
            let figures: Vec<String> = twin.iter().map(|(_, v, _)| v.to_string()).collect();
            let said = format!("the same report as {} ({})", twin[0].2, figures.join("|"));
            return (agreeing, said, true);
        }
    }
    let column = |m: ActiveMetric| metrics.iter().position(|x| *x == m);
    let last = evidence
        .last_year_in_force
        .iter()
        .find(|(c, _)| *c == category)
        .map(|(_, v)| *v);
    if let (Some(last), Some(i), Some(r), Some(f)) = (
        last,
        column(ActiveMetric::Issued),
        column(ActiveMetric::Repealed),
        column(ActiveMetric::InForce),
    ) {
        let agreeing: Vec<Vec<u64>> = candidates
            .iter()
            .filter(|c| last.checked_add(c[i]).and_then(|s| s.checked_sub(c[r])) == Some(c[f]))
            .cloned()
            .collect();
        if agreeing.len() == 1 {
            let said = format!("last year's 现行有效 {last} + 制发 − 废止");
            return (agreeing, said, true);
        }
    }
    (candidates, String::new(), false)
}

/// Keeps the splits every narrative statement agrees with, and whether a statement
/// narrowed them. A statement no split agrees with contradicts the table (the printed
/// figures can be wrong): it is not used, and the evidence says so.
fn narrow(
    mut candidates: Vec<Vec<u64>>,
    stated: &[(usize, u64, String)],
) -> (Vec<Vec<u64>>, String, bool) {
    let mut evidence = Vec::new();
    let mut narrowed = false;
    for (column, value, sentence) in stated {
        let agreeing: Vec<Vec<u64>> = candidates
            .iter()
            .filter(|c| c.get(*column) == Some(value))
            .cloned()
            .collect();
        if agreeing.is_empty() {
            evidence.push(format!(
                "the narrative's 「{sentence}」 matches no split, not used"
            ));
        } else {
            evidence.push(format!("the narrative's 「{sentence}」"));
            narrowed |= agreeing.len() < candidates.len();
            candidates = agreeing;
        }
    }
    (candidates, evidence.join("; "), narrowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_printed_one_per_line_are_never_split_to_make_up_a_row() {
        // `行政许可` / `131` / `0` / `475`: three cells, not 1|3|1.
        let text = "行政许可\n131\n0\n475\n其他";
        let runs = runs_after(text, "行政许可".len()).unwrap();
        assert_eq!(runs.runs, ["131", "0", "475"]);
        assert_eq!(runs.splits(3), vec![vec![131, 0, 475]]);
        // `规章` / `212` with two cells printed empty (no line left): no reading.
        let runs = runs_after("规章\n212\n规范性文件", "规章".len()).unwrap();
        assert!(runs.apart);
        assert!(runs.splits(3).is_empty());
        // Joined on the label's line, the digits still split.
        let runs = runs_after("规章000规范性文件", "规章".len()).unwrap();
        assert_eq!(runs.splits(3), vec![vec![0, 0, 0]]);
        // A line that is one figure with separators is one cell.
        let runs = runs_after("总计\n1,549\n7", "总计".len()).unwrap();
        assert_eq!(runs.splits(2), vec![vec![1549, 7]]);
    }

    #[test]
    fn the_narrative_narrows_a_table_two_row_only_where_it_agrees() {
        let metrics = [
            ActiveMetric::Issued,
            ActiveMetric::Repealed,
            ActiveMetric::InForce,
        ];
        let category = ActiveCategory::NormativeDocuments;
        // pingtan-2023: 制发 77 agrees with several splits; 现行有效 393 with none.
        let narrative =
            "清理并集中发布现行有效行政规范性文件393件，动态更新本年度制发的规范性文件77件。";
        let stated = narrative_counts(narrative, category, &metrics);
        assert_eq!(stated.len(), 2, "{stated:?}");
        let (left, evidence, _) = narrow(splits("77132470", 3), &stated);
        assert!(
            left.len() > 1 && left.iter().all(|c| c[0] == 77),
            "{left:?}"
        );
        assert!(left.contains(&vec![77, 132, 470]));
        assert!(evidence.contains("393件」 matches no split"), "{evidence}");
        // Stated whole, the row is decided.
        let narrative = "本年制发规范性文件58件，废止规范性文件45件，现行有效规范性文件546件。";
        let stated = narrative_counts(narrative, category, &metrics);
        let (left, _, decided) = narrow(splits("5845546", 3), &stated);
        assert_eq!(left, vec![vec![58, 45, 546]]);
        assert!(decided);
        // One split and no statement: nothing decided it.
        assert!(!narrow(splits("123", 3), &[]).2);
        // 规章 statements say nothing of 规范性文件.
        assert!(narrative_counts("制发规章2件", category, &metrics).is_empty());
    }

    #[test]
    fn the_corpus_decides_a_row_only_where_one_split_agrees() {
        use ActiveMetric::{InForce, Issued, Repealed};
        let metrics = [Issued, Repealed, InForce];
        let (item, category) = (ActiveItem::Item1, ActiveCategory::NormativeDocuments);
        let candidates = || splits("5845546", 3);
        assert!(candidates().len() > 1);
        // The same report as a web page prints 58 | 45 | 546.
        let twin = Evidence {
            twin: vec![
                (item, category, Issued, 58, "html".into()),
                (item, category, Repealed, 45, "html".into()),
                (item, category, InForce, 546, "html".into()),
            ],
            ..Evidence::default()
        };
        let (left, said, decided) = corroborate(candidates(), item, category, &metrics, &twin);
        assert_eq!((left, decided), (vec![vec![58, 45, 546]], true));
        assert!(said.contains("html"), "{said}");
        // Last year 533 in force: 533 + 58 − 45 = 546, and no other split adds up.
        let last_year = Evidence {
            last_year_in_force: vec![(category, 533)],
            ..Evidence::default()
        };
        let (left, _, decided) = corroborate(candidates(), item, category, &metrics, &last_year);
        assert_eq!((left, decided), (vec![vec![58, 45, 546]], true));
        // Evidence that fits no split, or several, decides nothing.
        for evidence in [
            Evidence {
                last_year_in_force: vec![(category, 1)],
                ..Evidence::default()
            },
            Evidence {
                twin: vec![(item, category, Issued, 5, "docx".into())],
                ..Evidence::default()
            },
            Evidence::default(),
        ] {
            let (left, _, decided) = corroborate(candidates(), item, category, &metrics, &evidence);
            assert!(!decided && left.len() == candidates().len(), "{evidence:?}");
        }
    }

    #[test]
    fn splits_respect_leading_zeros_and_counts() {
        assert_eq!(splits("000", 3), vec![vec![0, 0, 0]]);
        assert_eq!(splits("100", 2), vec![vec![10, 0]]);
        let row: Vec<Vec<u64>> = splits("801000081", 7)
            .into_iter()
            .filter(|s| s[..6].iter().sum::<u64>() == s[6])
            .collect();
        assert_eq!(row, vec![vec![80, 1, 0, 0, 0, 0, 81]]);
        assert!(splits("12", 3).is_empty());
    }
}
