//! Scores an extracted report against its truth cell by cell, counting where the
//! extraction tests' comparison (`assert_matches_truth`) stops at the first difference.
//!
//! Input: a [`Report`] and the [`Truth`] it was rendered from. Output: a [`Score`] — the
//! cells right, empty (the value missing), wrong (another value or unit, or a value in a
//! cell the truth does not have), and right values whose raw text differs — with the
//! first difference and the first wrong cell named; and the metadata's first difference.

use std::collections::HashMap;

use nianbao_model::{Applicant, Outcome, Report};

use crate::truth::Truth;

/// What became of one cell of the truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Right,
    /// Not extracted, or extracted blank where a figure is printed.
    Empty,
    /// A value (or unit) other than the printed one, or a value for a blank cell.
    Wrong,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Score {
    pub right: usize,
    pub empty: usize,
    pub wrong: usize,
    /// Extracted cells the truth has no place for; those holding a value count as wrong.
    pub extra: usize,
    /// Right values whose raw text is not the printed one.
    pub raw_differs: usize,
    pub first_difference: Option<String>,
    pub first_wrong: Option<String>,
}

impl Score {
    /// Every cell right, raw text included, and nothing extra.
    pub fn is_exact(&self) -> bool {
        self.empty == 0 && self.wrong == 0 && self.extra == 0 && self.raw_differs == 0
    }

    fn note(&mut self, verdict: Verdict, what: impl FnOnce() -> String) {
        match verdict {
            Verdict::Right => self.right += 1,
            Verdict::Empty => self.empty += 1,
            Verdict::Wrong => self.wrong += 1,
        }
        if verdict == Verdict::Right {
            return;
        }
        let what = what();
        if verdict == Verdict::Wrong && self.first_wrong.is_none() {
            self.first_wrong = Some(what.clone());
        }
        self.first_difference.get_or_insert(what);
    }
}

/// One cell: its key (`applications.granted.natural_person`), raw text, value, unit.
#[derive(Clone, Debug)]
struct CellText {
    raw: String,
    value: Option<String>,
    unit: String,
}

fn describe(cell: Option<&CellText>) -> String {
    match cell {
        None => "absent".into(),
        Some(c) if c.unit.is_empty() => format!("{:?} (raw {:?})", c.value, c.raw),
        Some(c) => format!("{:?} {} (raw {:?})", c.value, c.unit, c.raw),
    }
}

/// The truth's cells in printed order: table 二, 三, 四.
fn expected(truth: &Truth) -> Vec<(String, CellText)> {
    let mut out = Vec::new();
    for c in &truth.active {
        let key = format!(
            "active.{}.{}.{}",
            c.item.key(),
            c.category.key(),
            c.metric.key()
        );
        out.push((key, text(&c.printed.raw, c.printed.value.clone(), &c.unit)));
    }
    for (row, cells) in &truth.applications {
        for (applicant, p) in Applicant::ALL.iter().zip(cells) {
            let key = format!("applications.{}.{}", row.key(), applicant.key());
            out.push((key, text(&p.raw, p.value.clone(), "")));
        }
    }
    for (proceeding, cells) in &truth.review {
        for (outcome, p) in Outcome::ALL.iter().zip(cells) {
            let key = format!("review.{}.{}", proceeding.key(), outcome.key());
            out.push((key, text(&p.raw, p.value.clone(), "")));
        }
    }
    out
}

fn text(raw: &str, value: Option<String>, unit: &str) -> CellText {
    CellText {
        raw: raw.to_string(),
        value,
        unit: unit.to_string(),
    }
}

fn extracted(report: &Report) -> HashMap<String, CellText> {
    let value = |f: &nianbao_model::Figure| f.value.map(|v| v.to_string());
    let mut out = HashMap::new();
    for c in &report.active_disclosure {
        let key = format!(
            "active.{}.{}.{}",
            c.item.key(),
            c.category.key(),
            c.metric.key()
        );
        out.insert(key, text(&c.figure.raw, value(&c.figure), &c.unit));
    }
    for c in &report.applications {
        let key = format!("applications.{}.{}", c.row.key(), c.applicant.key());
        out.insert(key, text(&c.figure.raw, value(&c.figure), ""));
    }
    for c in &report.review_litigation {
        let key = format!("review.{}.{}", c.proceeding.key(), c.outcome.key());
        out.insert(key, text(&c.figure.raw, value(&c.figure), ""));
    }
    out
}

fn verdict(want: &CellText, got: Option<&CellText>) -> Verdict {
    let Some(got) = got else {
        return Verdict::Empty;
    };
    match (&want.value, &got.value) {
        (None, None) => Verdict::Right,
        (None, Some(_)) => Verdict::Wrong,
        (Some(_), None) => Verdict::Empty,
        (Some(w), Some(g)) if w != g || want.unit != got.unit => Verdict::Wrong,
        (Some(_), Some(_)) => Verdict::Right,
    }
}

/// Every table cell of the truth compared with the report's.
pub fn score_tables(report: &Report, truth: &Truth) -> Score {
    let mut got = extracted(report);
    let mut score = Score::default();
    for (key, want) in expected(truth) {
        let found = got.remove(&key);
        let verdict = verdict(&want, found.as_ref());
        score.note(verdict, || {
            format!(
                "{key}: want {}, got {}",
                describe(Some(&want)),
                describe(found.as_ref())
            )
        });
        if verdict == Verdict::Right && found.is_some_and(|g| g.raw != want.raw) {
            score.raw_differs += 1;
        }
    }
    let mut extra: Vec<(String, CellText)> = got.into_iter().collect();
    extra.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, cell) in extra {
        score.extra += 1;
        if cell.value.is_some() {
            score.note(Verdict::Wrong, || {
                format!("{key}: extra cell {}", describe(Some(&cell)))
            });
        }
    }
    score
}

/// The first of year, template and agency (as printed in full) that the report does not
/// give as the truth has it.
pub fn metadata_difference(report: &Report, truth: &Truth) -> Option<String> {
    let m = &report.metadata;
    if m.year != Some(truth.year) {
        return Some(format!("year: want {}, got {:?}", truth.year, m.year));
    }
    if report.template != truth.template {
        return Some(format!(
            "template: want {:?}, got {:?}",
            truth.template, report.template
        ));
    }
    if m.agency_full != truth.place.agency_full {
        return Some(format!(
            "agency: want {}, got {:?}",
            truth.place.agency_full, m.agency_full
        ));
    }
    None
}
