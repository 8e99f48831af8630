//! Checks between a body's reports of consecutive years, which the template makes
//! possible: this year's 二、上年结转 is last year's 四、结转下年度继续办理 (per applicant),
//! and this year's 现行有效件数 is last year's plus 本年制发件数 minus 本年废止件数 (per
//! category). Findings about the sources: no figure is changed.
//!
//! Each check is a `checks.csv` row of the later report, named `cross_year.carried_over.
//! <applicant>` or `cross_year.in_force.<category>`, with both sides and both report ids
//! in its detail.

use std::borrow::Cow;
use std::collections::BTreeMap;

use nianbao_model::{ActiveCategory, ActiveMetric, Applicant, CheckStatus};

use crate::ledger::Record;

/// One cross-year check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrossYearCheck {
    /// The later report, whose row it is.
    pub report_id: String,
    pub earlier_report_id: String,
    /// The body: `division_code|agency`.
    pub body: String,
    pub year: u16,
    pub check: String,
    pub status: CheckStatus,
    pub expected: Option<i64>,
    pub actual: Option<i64>,
    pub detail: String,
}

impl CrossYearCheck {
    /// The check as a `checks.csv` row.
    pub fn row(&self) -> [Cow<'_, str>; 6] {
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default().into();
        [
            self.report_id.as_str().into(),
            self.check.as_str().into(),
            self.status.as_str().into(),
            number(self.expected),
            number(self.actual),
            self.detail.as_str().into(),
        ]
    }
}

/// The figures of one report that the checks compare.
#[derive(Default)]
struct Figures<'a> {
    report_id: &'a str,
    /// (row, applicant) → value; row 0 上年结转, 1 结转下年度.
    carry: BTreeMap<(u8, u8), u64>,
    /// (category, metric) → value, for 制发, 废止 and 现行有效.
    in_force: BTreeMap<(u8, u8), u64>,
}

fn metric_position(m: ActiveMetric) -> u8 {
    ActiveMetric::ALL.iter().position(|x| *x == m).unwrap_or(0) as u8
}

impl<'a> Figures<'a> {
    fn of(record: &Record<'a>) -> Figures<'a> {
        let wanted = [
            ActiveMetric::Issued,
            ActiveMetric::Repealed,
            ActiveMetric::InForce,
        ]
        .map(metric_position);
        Figures {
            report_id: record.entry.report_id,
            carry: record.carry().map(|(r, a, v)| ((r, a), v)).collect(),
            in_force: record
                .table_two()
                .filter(|(_, _, m, _)| wanted.contains(m))
                .map(|(_, c, m, v)| ((c, m), v))
                .collect(),
        }
    }
}

/// What the quality page shows of the cross-year checks: counts, the failures by body,
/// and the first failures in full. The checks themselves go to `checks.csv` as they are
/// made, so that a large panel's hundreds of thousands are never held at once.
#[derive(Default)]
pub struct Findings {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Failed checks per body.
    pub failed_by_body: BTreeMap<String, u64>,
    /// The first failures, in full.
    pub first_failed: Vec<CrossYearCheck>,
}

impl Findings {
    /// How many failures are kept in full.
    pub const KEPT: usize = 500;

    fn add(&mut self, check: CrossYearCheck) {
        match check.status {
            CheckStatus::Pass => self.passed += 1,
            CheckStatus::Skip => self.skipped += 1,
            CheckStatus::Fail => {
                self.failed += 1;
                *self.failed_by_body.entry(check.body.clone()).or_default() += 1;
                if self.first_failed.len() < Self::KEPT {
                    self.first_failed.push(check);
                }
            }
        }
    }

    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped
    }
}

/// Every cross-year check of the panel, given to `write` a body at a time: `primaries` are
/// the positions, among `records`, of each body's primary report of a year.
pub fn checks<E>(
    records: &[Record<'_>],
    primaries: &[usize],
    mut write: impl FnMut(&[CrossYearCheck]) -> Result<(), E>,
) -> Result<Findings, E> {
    // Body → year → primary.
    let mut bodies: BTreeMap<String, BTreeMap<u16, usize>> = BTreeMap::new();
    for &p in primaries {
        let entry = &records[p].entry;
        if let Some(year) = entry.year {
            bodies.entry(entry.body()).or_default().insert(year, p);
        }
    }
    let mut findings = Findings::default();
    let mut out = Vec::new();
    for (body, years) in &bodies {
        out.clear();
        for (&year, &later) in years {
            let Some(&earlier) = year.checked_sub(1).and_then(|y| years.get(&y)) else {
                continue;
            };
            let (before, now) = (Figures::of(&records[earlier]), Figures::of(&records[later]));
            let pair = Pair {
                body,
                year,
                before: &before,
                now: &now,
            };
            pair.carried_over(&mut out);
            pair.in_force(&mut out);
        }
        write(&out)?;
        for check in out.drain(..) {
            findings.add(check);
        }
    }
    Ok(findings)
}

struct Pair<'p, 'a> {
    body: &'p str,
    year: u16,
    before: &'p Figures<'a>,
    now: &'p Figures<'a>,
}

impl Pair<'_, '_> {
    fn check(
        &self,
        check: String,
        expected: Option<i64>,
        actual: Option<i64>,
        detail: String,
    ) -> CrossYearCheck {
        let status = match (expected, actual) {
            (Some(e), Some(a)) if e == a => CheckStatus::Pass,
            (Some(_), Some(_)) => CheckStatus::Fail,
            _ => CheckStatus::Skip,
        };
        CrossYearCheck {
            report_id: self.now.report_id.to_string(),
            earlier_report_id: self.before.report_id.to_string(),
            body: self.body.to_string(),
            year: self.year,
            check,
            status,
            expected,
            actual,
            detail,
        }
    }

    /// This year's 上年结转 against last year's 结转下年度, for every applicant column
    /// either report prints; none when either report has no carried rows at all.
    fn carried_over(&self, out: &mut Vec<CrossYearCheck>) {
        if self.before.carry.is_empty() || self.now.carry.is_empty() {
            return;
        }
        for (a, applicant) in Applicant::ALL.iter().enumerate() {
            let a = a as u8;
            let expected = self.before.carry.get(&(1, a)).and_then(|&v| signed(v));
            let actual = self.now.carry.get(&(0, a)).and_then(|&v| signed(v));
            if expected.is_none() && actual.is_none() {
                continue;
            }
            let detail = format!(
                "{} report {} 二、上年结转 ({}) = {}; {} report {} 四、结转下年度继续办理 = {}",
                self.year,
                self.now.report_id,
                applicant.key(),
                shown(actual),
                self.year - 1,
                self.before.report_id,
                shown(expected),
            );
            out.push(self.check(
                format!("cross_year.carried_over.{}", applicant.key()),
                expected,
                actual,
                detail,
            ));
        }
    }

    /// This year's 现行有效 against last year's plus 本年制发 minus 本年废止, for every
    /// category whose 现行有效 either report prints.
    fn in_force(&self, out: &mut Vec<CrossYearCheck>) {
        let [issued, repealed, in_force] = [
            ActiveMetric::Issued,
            ActiveMetric::Repealed,
            ActiveMetric::InForce,
        ]
        .map(metric_position);
        for (c, category) in ActiveCategory::ALL.iter().enumerate() {
            let c = c as u8;
            let get = |f: &Figures<'_>, m: u8| f.in_force.get(&(c, m)).and_then(|&v| signed(v));
            let last = get(self.before, in_force);
            let actual = get(self.now, in_force);
            if last.is_none() && actual.is_none() {
                continue;
            }
            let (made, ended) = (get(self.now, issued), get(self.now, repealed));
            // A blank addend counts as 0, as in a report's own checks, and the detail says so.
            let expected = last.and_then(|l| {
                l.checked_add(made.unwrap_or(0))?
                    .checked_sub(ended.unwrap_or(0))
            });
            let blanks: Vec<&str> = [(made, "本年制发"), (ended, "本年废止")]
                .iter()
                .filter(|(v, _)| v.is_none())
                .map(|(_, name)| *name)
                .collect();
            let detail = format!(
                "{} report {} 现行有效件数 ({}) = {}; {} report {} 现行有效件数 = {}, \
                 plus 本年制发 {}, minus 本年废止 {}",
                self.year,
                self.now.report_id,
                category.key(),
                shown(actual),
                self.year - 1,
                self.before.report_id,
                shown(last),
                shown(made),
                shown(ended),
            ) + &if blanks.is_empty() || last.is_none() {
                String::new()
            } else {
                format!("; blank counted as 0: {}", blanks.join(", "))
            };
            out.push(self.check(
                format!("cross_year.in_force.{}", category.key()),
                expected,
                actual,
                detail,
            ));
        }
    }
}

fn signed(v: u64) -> Option<i64> {
    i64::try_from(v).ok()
}

fn shown(n: Option<i64>) -> String {
    n.map_or_else(|| "not printed".to_string(), |n| n.to_string())
}
