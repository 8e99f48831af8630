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
    strip_numbering, Applicant, ApplicationCell, ApplicationRow, CheckStatus, Report, RowGroup,
    Template,
};

use crate::tables::{
    expected_application_rows, fit_figures, read_figure, split_row, Figures, NormRow, TableOutcome,
};

/// One row of the region, as printed.
enum Line<'a> {
    /// A label with figure cells after it (`group` is the parent label seen last).
    Row {
        label: &'a str,
        figures: Figures<'a>,
        group: Option<RowGroup>,
    },
    /// Figures only, as many as the table has columns.
    Unlabelled(Figures<'a>),
    /// A label with no figures: a header, a parent label, or part of a cut row.
    LabelOnly(&'a str),
}

/// A line with what is known of its row of the template.
enum Named<'a> {
    Row(ApplicationRow, Figures<'a>),
    /// No label to name it: only the template's order can.
    Unlabelled(Figures<'a>),
    /// A label that names several rows (`3.其他` away from its parent label): the
    /// template's order must agree with `hint`.
    Hinted(ApplicationRow, Figures<'a>),
    /// A labelled row whose label names no row: the rows around it cannot be placed.
    Unknown,
}

pub fn extract_applications(
    tables: &[Vec<NormRow<'_>>],
    template: Template,
    report: &mut Report,
) -> TableOutcome {
    let mut outcome = TableOutcome::default();
    let mut header_text = String::new();
    let lines = scan(tables, &mut outcome, &mut header_text);
    if !outcome.found {
        return outcome;
    }
    let mut named = name_lines(&lines, template, report);
    let single_other = named
        .iter()
        .any(|n| matches!(n, Named::Row(ApplicationRow::Other, _)));
    place_unlabelled(&mut named, template, single_other, report);
    let seen = emit(&named, report);
    check_applicant_header(&header_text, report);
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
    outcome
}

/// The region's rows as lines: from the applicant header (or the first row only table 三
/// has) up to another table's header. A page may split table 三 over several tables, or
/// run tables 二, 三 and 四 together.
fn scan<'a>(
    tables: &'a [Vec<NormRow<'a>>],
    outcome: &mut TableOutcome,
    header_text: &mut String,
) -> Vec<Line<'a>> {
    let columns = Applicant::ALL.len();
    let mut inside = false;
    let mut group: Option<RowGroup> = None;
    let mut lines = Vec::new();
    for norm in tables.iter().flatten() {
        if norm.marks.applications_table() || norm.marks.applicants() {
            inside = true;
            outcome.found = true;
        } else if norm.marks.starts_other_table() {
            inside = false;
        }
        if !inside {
            continue;
        }
        let (labels, figures) = split_row(norm);
        let figures = fit_figures(figures, columns);
        let blank = figures.texts().all(|t| t.trim().is_empty());
        if blank {
            header_text.push_str(&norm.joined);
        }
        let Some((&label, context)) = labels.split_last() else {
            if figures.len() == columns && !blank && figures.all_read() {
                lines.push(Line::Unlabelled(figures));
            }
            continue;
        };
        for context in context {
            if let Some(g) = group_named(context, true) {
                group = Some(g);
            }
        }
        // Trailing placeholders after a header label are not figures.
        if figures.is_empty() || (blank && figures.len() < columns) {
            match group_named(label, false) {
                Some(g) => group = Some(g),
                // A header prints several labels, or names the applicants.
                None if context.is_empty() && !norm.marks.applications_table() => {
                    lines.push(Line::LabelOnly(label))
                }
                None => {}
            }
            continue;
        }
        lines.push(Line::Row {
            label,
            figures,
            group,
        });
        group = match row_by_label(label, group) {
            Ok(key) if key.group().is_some() && key != ApplicationRow::Other => group,
            Ok(_) => None,
            Err(_) => group,
        };
    }
    lines
}

/// The parent label （三）…（六） a label is (`exact`) or starts with.
fn group_named(label: &str, prefix: bool) -> Option<RowGroup> {
    let core = strip_numbering(label);
    RowGroup::ALL.iter().copied().find(|g| {
        if prefix {
            core.starts_with(g.keyword())
        } else {
            core == g.keyword()
        }
    })
}

/// Gives each line its row by its label: as printed, with one character misread, or
/// joined with a label-only line cut from it by a page break (before or after).
fn name_lines<'a>(lines: &[Line<'a>], template: Template, report: &mut Report) -> Vec<Named<'a>> {
    let mut named = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        match &lines[i] {
            Line::Row {
                label,
                figures,
                group,
            } => {
                let before = match i.checked_sub(1).map(|p| &lines[p]) {
                    Some(Line::LabelOnly(l)) => Some(*l),
                    _ => None,
                };
                let after = match lines.get(i + 1) {
                    Some(Line::LabelOnly(l)) => Some(*l),
                    _ => None,
                };
                named.push(name_row(
                    label,
                    *figures,
                    *group,
                    (before, after),
                    template,
                    report,
                ));
            }
            Line::Unlabelled(figures) => named.push(Named::Unlabelled(*figures)),
            Line::LabelOnly(label) => {
                // A label whose figures a page break moved to the next row.
                if let (Some(Line::Unlabelled(figures)), Ok(key)) =
                    (lines.get(i + 1), row_by_label(label, None))
                {
                    named.push(Named::Row(key, *figures));
                    i += 1;
                }
            }
        }
        i += 1;
    }
    named
}

fn name_row<'a>(
    label: &str,
    figures: Figures<'a>,
    group: Option<RowGroup>,
    (before, after): (Option<&str>, Option<&str>),
    template: Template,
    report: &mut Report,
) -> Named<'a> {
    let why = match row_by_label(label, group) {
        Ok(key) => return Named::Row(key, figures),
        Err(Unnamed::OtherWithoutGroup) if template == Template::T2021 => {
            return Named::Hinted(ApplicationRow::OtherOther, figures)
        }
        Err(why) => why,
    };
    let joined = [
        before.map(|b| format!("{b}{label}")),
        after.map(|a| format!("{label}{a}")),
    ];
    for label in joined.iter().flatten() {
        if let Ok(key) = row_by_label(label, group) {
            return Named::Row(key, figures);
        }
    }
    let core = strip_numbering(label);
    if let Some((key, keyword)) = misread_row(core, group) {
        report.warn(
            "label_misread",
            format!("applications.{}", key.key()),
            format!("label 「{label}」 read as 「{keyword}」 with one character misread (OCR?)"),
        );
        return Named::Row(key, figures);
    }
    report.warn(
        "unknown_row",
        format!("applications: {label}"),
        format!("{}; row not extracted", why.describe(core)),
    );
    Named::Unknown
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
            "rows_unlabelled",
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
        if let (Named::Unlabelled(f) | Named::Hinted(_, f), Some(row)) = (&*line, row) {
            *line = Named::Row(*row, *f);
        }
    }
    report.warn(
        "rows_placed_by_order",
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
                if pending.is_empty() {
                    continue;
                }
                return None;
            }
            Named::Unknown => order.len(),
            Named::Row(row, _) => position(*row)?,
        };
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
        let (row, figures) = match (line, row) {
            (Named::Row(r, f), _) => (*r, f),
            (Named::Unlabelled(f) | Named::Hinted(_, f), Some(r)) => (*r, f),
            _ => continue,
        };
        push_row(&mut trial, row, *figures);
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
        seen.push(*key);
        push_row(report, *key, *figures);
    }
    seen
}

fn push_row(report: &mut Report, row: ApplicationRow, figures: Figures<'_>) {
    for (applicant, text) in Applicant::ALL.iter().zip(figures.texts()) {
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
            "header_differs",
            "applications",
            format!(
                "header does not print {}; columns mapped by the template's order",
                printed.join("、")
            ),
        );
    }
}
