//! The report's own arithmetic (勾稽关系) and the figures its narrative states, checked
//! against the tables. A failing check is a finding about the source; no figure is ever
//! changed to make a check pass.

use std::fmt::Write;
use std::sync::LazyLock;

use nianbao_model::{
    to_halfwidth, Applicant, ApplicationRow, Check, CheckStatus, Decimal, Figure, Outcome,
    Proceeding, Report, RowGroup,
};
use regex::Regex;

/// Which cell a term is; printed only when a detail names it.
#[derive(Clone, Copy)]
enum TermName {
    Application(ApplicationRow, Applicant),
    Review(Proceeding, Outcome),
}

impl TermName {
    /// The name appended to `out`, as [`Display`](std::fmt::Display) prints it.
    fn push_to(self, out: &mut String) {
        let (first, second) = match self {
            TermName::Application(r, a) => (r.key(), a.key()),
            TermName::Review(p, o) => (p.key(), o.key()),
        };
        out.push_str(first);
        out.push('[');
        out.push_str(second);
        out.push(']');
    }
}

impl std::fmt::Display for TermName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TermName::Application(r, a) => write!(f, "{}[{}]", r.key(), a.key()),
            TermName::Review(p, o) => write!(f, "{}[{}]", p.key(), o.key()),
        }
    }
}

/// One side of an equation: named terms, each a figure if the table had that cell.
struct Term<'a> {
    name: TermName,
    figure: Option<&'a Figure>,
}

fn term(name: TermName, figure: Option<&Figure>) -> Term<'_> {
    Term { name, figure }
}

/// Evaluates `expected_side = actual_side`. A blank cell counts as 0 and is named in the
/// detail; a blank printed total (a one-term expected side) makes the check `skip`, as do
/// missing and unreadable cells.
fn equation(name: &'static str, what: &str, expected: &[Term], actual: &[Term]) -> Check {
    let skip = |detail: String| Check {
        name,
        status: CheckStatus::Skip,
        expected: None,
        actual: None,
        detail: format!("{what}: {detail}"),
    };
    let all = || expected.iter().chain(actual);
    if let Some(t) = all().find(|t| t.figure.is_none()) {
        return skip(format!("{} was not extracted", t.name));
    }
    if let Some(t) = all().find(|t| t.figure.is_some_and(|f| !f.is_blank() && f.value.is_none())) {
        return skip(format!("{} is not a number", t.name));
    }
    let is_blank = |t: &&Term| t.figure.is_some_and(Figure::is_blank);
    if let [total] = expected {
        if is_blank(&total) {
            return skip(format!("printed total {} is blank", total.name));
        }
    }
    if all().all(|t| is_blank(&t)) {
        return skip("every cell is blank".into());
    }
    let sum = |terms: &[Term]| -> Decimal {
        terms
            .iter()
            .filter_map(|t| t.figure.and_then(|f| f.value))
            .sum()
    };
    let (lhs, rhs) = (sum(expected), sum(actual));
    // A passing check says only that it holds; a failing one names every cell.
    let render = |terms: &[Term]| match terms {
        [first, .., last] if terms.len() > 7 => {
            format!("the {} cells {} … {}", terms.len(), first.name, last.name)
        }
        _ => terms
            .iter()
            .map(|t| t.name.to_string())
            .collect::<Vec<_>>()
            .join(" + "),
    };
    let mut detail = String::with_capacity(what.len() + 40);
    detail.push_str(what);
    // Writing into a String cannot fail.
    let _ = if lhs == rhs {
        // The common case, written without the formatting machinery.
        detail.push_str(": holds, ");
        detail.push_str(&lhs.printed());
        detail.push_str(" = ");
        detail.push_str(&rhs.printed());
        Ok(())
    } else {
        write!(
            detail,
            ": {} = {lhs}, {} = {rhs}",
            render(expected),
            render(actual)
        )
    };
    let mut blanks = all().filter(|t| is_blank(t));
    if let Some(first) = blanks.next() {
        detail.push_str("; blank counted as 0: ");
        first.name.push_to(&mut detail);
        for t in blanks {
            detail.push_str(", ");
            t.name.push_to(&mut detail);
        }
    }
    Check {
        name,
        status: if lhs == rhs {
            CheckStatus::Pass
        } else {
            CheckStatus::Fail
        },
        expected: Some(lhs),
        actual: Some(rhs),
        detail,
    }
}

/// The result rows this report printed (the 2019 form has `other`, the 2021 form its three sub-rows).
fn result_rows(report: &Report) -> Vec<ApplicationRow> {
    let printed = |r: ApplicationRow| report.applications.iter().any(|c| c.row == r);
    ApplicationRow::ALL
        .iter()
        .copied()
        .filter(|r| r.is_result())
        .filter(|r| match r {
            ApplicationRow::Other => printed(ApplicationRow::Other),
            ApplicationRow::OtherNoCorrection
            | ApplicationRow::OtherUnpaidFee
            | ApplicationRow::OtherOther => !printed(ApplicationRow::Other),
            _ => true,
        })
        .collect()
}

/// A check's name and the constant start of its detail.
struct CheckLabel {
    name: String,
    what: String,
}

/// The labels of the table checks, made once, in the order of the key lists.
struct TableCheckLabels {
    balance: Vec<CheckLabel>,
    results_sum: Vec<CheckLabel>,
    row_total: Vec<CheckLabel>,
    proceeding_total: Vec<CheckLabel>,
}

static TABLE_CHECKS: LazyLock<TableCheckLabels> = LazyLock::new(|| {
    let label = |name: String, what: String| CheckLabel { name, what };
    TableCheckLabels {
        balance: Applicant::ALL
            .iter()
            .map(|a| {
                label(
                    format!("balance.{}", a.key()),
                    format!(
                        "column {} ({}): 一 + 二 = 三（七）总计 + 四",
                        a.key(),
                        a.zh()
                    ),
                )
            })
            .collect(),
        results_sum: Applicant::ALL
            .iter()
            .map(|a| {
                label(
                    format!("results_sum.{}", a.key()),
                    format!(
                        "column {} ({}): （七）总计 = the sum of the result rows",
                        a.key(),
                        a.zh()
                    ),
                )
            })
            .collect(),
        row_total: ApplicationRow::ALL
            .iter()
            .map(|r| {
                label(
                    format!("row_total.{}", r.key()),
                    format!(
                        "row {} ({}): 总计 = the six applicant columns",
                        r.key(),
                        r.zh()
                    ),
                )
            })
            .collect(),
        proceeding_total: Proceeding::ALL
            .iter()
            .map(|p| {
                label(
                    format!("proceeding_total.{}", p.key()),
                    format!(
                        "{} ({}): 总计 = 维持 + 纠正 + 其他 + 尚未审结",
                        p.key(),
                        p.zh()
                    ),
                )
            })
            .collect(),
    }
});

pub fn table_checks(report: &Report) -> Vec<Check> {
    let labels = &*TABLE_CHECKS;
    let mut checks = Vec::new();
    if !report.applications.is_empty() {
        use ApplicationRow::*;
        let results = result_rows(report);
        for (i, &applicant) in Applicant::ALL.iter().enumerate() {
            let get = |row| {
                term(
                    TermName::Application(row, applicant),
                    report.application(row, applicant),
                )
            };
            let label = &labels.balance[i];
            checks.push(equation(
                label.name.as_str(),
                &label.what,
                &[get(NewReceived), get(CarriedOver)],
                &[get(TotalProcessed), get(CarriedForward)],
            ));
            let label = &labels.results_sum[i];
            let result_terms: Vec<Term> = results.iter().map(|&r| get(r)).collect();
            checks.push(equation(
                label.name.as_str(),
                &label.what,
                &[get(TotalProcessed)],
                &result_terms,
            ));
        }
        for (i, &row) in ApplicationRow::ALL.iter().enumerate() {
            if !report.applications.iter().any(|c| c.row == row) {
                continue;
            }
            let get = |applicant| {
                term(
                    TermName::Application(row, applicant),
                    report.application(row, applicant),
                )
            };
            let label = &labels.row_total[i];
            let columns: [Term; 6] = std::array::from_fn(|a| get(Applicant::ALL[a]));
            checks.push(equation(
                label.name.as_str(),
                &label.what,
                &[get(Applicant::Total)],
                &columns,
            ));
        }
    }
    if !report.review_litigation.is_empty() {
        for (i, &proceeding) in Proceeding::ALL.iter().enumerate() {
            let get = |o: Outcome| {
                term(
                    TermName::Review(proceeding, o),
                    report.review(proceeding, o),
                )
            };
            let label = &labels.proceeding_total[i];
            let outcomes: [Term; 4] = std::array::from_fn(|o| get(Outcome::ALL[o]));
            checks.push(equation(
                label.name.as_str(),
                &label.what,
                &[get(Outcome::Total)],
                &outcomes,
            ));
        }
    }
    checks
}

/// What a narrative figure is compared with.
enum Target {
    /// The 总计 column of these application rows, summed.
    Applications(&'static [ApplicationRow]),
    Group(RowGroup),
    /// The 总计 of these proceedings, summed.
    Proceedings(&'static [Proceeding]),
}

struct NarrativeFigure {
    /// The check's name, `narrative.` and the figure.
    name: &'static str,
    patterns: Vec<Regex>,
    target: Target,
}

fn patterns(sources: &[&str]) -> Vec<Regex> {
    sources
        .iter()
        .map(|s| Regex::new(s).expect("static regex"))
        .collect()
}

/// Sentence parts between a keyword and its figure may not cross a clause boundary.
static NARRATIVE: LazyLock<Vec<NarrativeFigure>> = LazyLock::new(|| {
    use ApplicationRow::*;
    vec![
        NarrativeFigure {
            name: "narrative.new_received",
            patterns: patterns(&[
                r"新收[^,，。;；\d]{0,12}?(\d+)\s*件",
                r"共收到[^,，。;；\d]{0,12}?申请(\d+)\s*件",
            ]),
            target: Target::Applications(&[NewReceived]),
        },
        NarrativeFigure {
            name: "narrative.carried_over",
            patterns: patterns(&[
                r"(?:上一?年度?|\d{4}\s*年度?)结转[^,，。;；\d下]{0,12}?(\d+)\s*件",
            ]),
            target: Target::Applications(&[CarriedOver]),
        },
        NarrativeFigure {
            name: "narrative.granted",
            patterns: patterns(&[r"予以公开[^,，。;；\d]{0,4}?(\d+)\s*件"]),
            target: Target::Applications(&[Granted]),
        },
        NarrativeFigure {
            // `予以公开及部分公开42件`: the two rows together.
            name: "narrative.granted_and_partially_granted",
            patterns: patterns(&[r"予以公开[及和与、]部分公开[^,，。;；\d]{0,4}?(\d+)\s*件"]),
            target: Target::Applications(&[Granted, PartiallyGranted]),
        },
        NarrativeFigure {
            name: "narrative.partially_granted",
            patterns: patterns(&[r"(?:^|[^及和与、])部分公开[^,，。;；\d]{0,4}?(\d+)\s*件"]),
            target: Target::Applications(&[PartiallyGranted]),
        },
        NarrativeFigure {
            name: "narrative.denied",
            patterns: patterns(&[r"不予公开[^,，。;；\d]{0,4}?(\d+)\s*件"]),
            target: Target::Group(RowGroup::Denied),
        },
        NarrativeFigure {
            name: "narrative.unavailable",
            patterns: patterns(&[r"无法提供[^,，。;；\d]{0,4}?(\d+)\s*件"]),
            target: Target::Group(RowGroup::Unavailable),
        },
        NarrativeFigure {
            name: "narrative.rejected",
            patterns: patterns(&[r"不予处理[^,，。;；\d]{0,4}?(\d+)\s*件"]),
            target: Target::Group(RowGroup::Rejected),
        },
        NarrativeFigure {
            name: "narrative.other_handling",
            patterns: patterns(&[r"其他处理[^,，。;；\d]{0,4}?(\d+)\s*件"]),
            target: Target::Group(RowGroup::OtherHandling),
        },
        NarrativeFigure {
            name: "narrative.carried_forward",
            patterns: patterns(&[
                r"结转(?:至|到)?下一?年度?[^,，。;；\d]{0,8}?(\d+)\s*件",
                r"结转(?:至|到)\d{4}\s*年度?(\d+)\s*件",
            ]),
            target: Target::Applications(&[CarriedForward]),
        },
        NarrativeFigure {
            name: "narrative.review",
            patterns: patterns(&[
                r"行政复议[^,，。;；\d]{0,6}?(\d+)\s*[件起宗]",
                r"(\d+)\s*[件起宗][^,，。;；\d]{0,12}?行政复议",
            ]),
            target: Target::Proceedings(&[Proceeding::Review]),
        },
        NarrativeFigure {
            name: "narrative.litigation",
            patterns: patterns(&[
                r"行政诉讼[^,，。;；\d]{0,6}?(\d+)\s*[件起宗]",
                r"(\d+)\s*[件起宗][^,，。;；\d]{0,12}?诉讼",
            ]),
            target: Target::Proceedings(&[
                Proceeding::LitigationDirect,
                Proceeding::LitigationAfterReview,
            ]),
        },
    ]
});

/// Sums the given figures; `None` if any is missing or unreadable (blank counts as 0).
fn sum_figures<'a>(figures: impl Iterator<Item = Option<&'a Figure>>) -> Option<Decimal> {
    let mut total = Decimal::ZERO;
    let mut any = false;
    for f in figures {
        let f = f?;
        if !f.is_blank() {
            total = total.checked_add(f.value?)?;
        }
        any = true;
    }
    any.then_some(total)
}

fn table_value(report: &Report, target: &Target) -> Option<Decimal> {
    match target {
        Target::Applications(rows) => sum_figures(
            rows.iter()
                .map(|&r| report.application(r, Applicant::Total)),
        ),
        Target::Group(group) => {
            let printed: Vec<ApplicationRow> = group
                .members()
                .iter()
                .copied()
                .filter(|&r| report.application(r, Applicant::Total).is_some())
                .collect();
            sum_figures(
                printed
                    .iter()
                    .map(|&r| report.application(r, Applicant::Total)),
            )
        }
        Target::Proceedings(ps) => {
            sum_figures(ps.iter().map(|&p| report.review(p, Outcome::Total)))
        }
    }
}

/// Figures the narrative states (新收…26件, 予以公开3件, 诉讼案件2件), compared with the tables.
pub fn narrative_checks(report: &Report, narrative: &str) -> Vec<Check> {
    let text = to_halfwidth(narrative);
    let mut checks = Vec::new();
    for figure in NARRATIVE.iter() {
        let Some(caps) = figure.patterns.iter().find_map(|p| p.captures(&text)) else {
            continue;
        };
        let quoted = caps.get(0).map_or("", |m| m.as_str());
        let stated = caps.get(1).and_then(|m| Decimal::parse(m.as_str()));
        let name = figure.name;
        let table = table_value(report, &figure.target);
        let mut detail = String::with_capacity(quoted.len() + 60);
        detail.push_str("the text says ");
        push_quoted(&mut detail, quoted);
        checks.push(match (stated, table) {
            (Some(stated), Some(table)) => {
                detail.push_str("; the table gives ");
                detail.push_str(&table.printed());
                Check {
                    name,
                    status: if stated == table {
                        CheckStatus::Pass
                    } else {
                        CheckStatus::Fail
                    },
                    expected: Some(stated),
                    actual: Some(table),
                    detail,
                }
            }
            _ => {
                detail.push_str("; the table figure is not available");
                Check {
                    name,
                    status: CheckStatus::Skip,
                    expected: stated,
                    actual: None,
                    detail,
                }
            }
        });
    }
    checks
}

/// Appends `text` quoted as `{:?}` prints it. Sentences of CJK, ASCII and common CJK
/// punctuation print as they are, so they are copied without the formatter's
/// per-character escaping test; anything else goes through the formatter.
fn push_quoted(out: &mut String, text: &str) {
    let plain = |c: char| {
        matches!(c, ' '..='~' if c != '"' && c != '\\')
            || matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{FF01}'..='\u{FF5E}')
            || matches!(
                c,
                '\u{3001}' | '\u{3002}' | '\u{300A}'
                    ..='\u{3011}' | '\u{2014}' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
            )
    };
    if text.chars().all(plain) {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        // Writing into a String cannot fail.
        let _ = write!(out, "{text:?}");
    }
}

/// Builds the check labels and narrative patterns now (see [`crate::prepare`]).
pub(crate) fn prepare() {
    LazyLock::force(&TABLE_CHECKS);
    LazyLock::force(&NARRATIVE);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> String {
        let mut out = String::new();
        push_quoted(&mut out, text);
        out
    }

    #[test]
    fn quoting_matches_the_debug_format() {
        // Every character the fast path copies is one `{:?}` prints as itself.
        let ranges = [
            (' ', '~'),
            ('\u{4E00}', '\u{9FFF}'),
            ('\u{FF01}', '\u{FF5E}'),
            ('\u{3001}', '\u{3002}'),
            ('\u{300A}', '\u{3011}'),
            ('\u{2014}', '\u{2014}'),
            ('\u{2018}', '\u{2019}'),
            ('\u{201C}', '\u{201D}'),
        ];
        for (first, last) in ranges {
            for c in first..=last {
                let text = c.to_string();
                assert_eq!(quoted(&text), format!("{text:?}"), "U+{:04X}", u32::from(c));
            }
        }
        for text in [
            "本年度新收政府信息公开申请26件",
            "共收到申请 3 件, 其中\"依申请\"",
            "tab\there\nnew line \\ back",
            "\u{3000}全角空格\u{200B}零宽\u{0301}",
            "",
        ] {
            assert_eq!(quoted(text), format!("{text:?}"));
        }
    }
}
