//! The canonical report: what the extractor produces and the exporter writes.

use crate::{ActiveCategory, ActiveItem, ActiveMetric, Applicant, ApplicationRow, Decimal};
use crate::{Outcome, Proceeding, WarningCode};

/// Which national format the report's tables follow (decided from labels, not the year).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Template {
    /// 国办公开办函〔2021〕30号.
    T2021,
    /// 国办公开办函〔2019〕60号 (试行).
    T2019,
    /// Reports before 2019: no standard tables.
    Pre2019,
    #[default]
    Unknown,
}

impl Template {
    /// The template whose [`Template::as_str`] this is; `Unknown` for anything else.
    pub fn from_key(key: &str) -> Template {
        [Template::T2021, Template::T2019, Template::Pre2019]
            .into_iter()
            .find(|t| t.as_str() == key)
            .unwrap_or(Template::Unknown)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Template::T2021 => "2021",
            Template::T2019 => "2019",
            Template::Pre2019 => "pre2019",
            Template::Unknown => "unknown",
        }
    }
}

/// The level of the reporting body; every body that is not a people's government is a
/// department.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Level {
    Province,
    City,
    County,
    Township,
    Department,
    #[default]
    Unknown,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
            Level::Township => "township",
            Level::Department => "department",
            Level::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Ok,
    /// Some tables missing or some cells unreadable.
    Partial,
    /// Nothing usable could be read.
    Failed,
}

impl Status {
    /// The status whose [`Status::as_str`] this is; anything else is `Failed`.
    pub fn from_key(key: &str) -> Status {
        match key {
            "ok" => Status::Ok,
            "partial" => Status::Partial,
            _ => Status::Failed,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Failed => "failed",
        }
    }
}

/// A printed figure: the raw cell text, and its value when it reads as a number.
/// Blank (`raw` empty) means "not stated", which is never the same as zero.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Figure {
    pub raw: String,
    pub value: Option<Decimal>,
}

impl Figure {
    pub fn is_blank(&self) -> bool {
        self.raw.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Metadata {
    pub title: String,
    /// The body's own name without the places above it (北宫镇人民政府).
    pub agency: String,
    /// The name as printed (北京市丰台区北宫镇人民政府).
    pub agency_full: String,
    pub province: String,
    pub city: String,
    pub county: String,
    pub township: String,
    pub level: Level,
    pub division_code: String,
    /// The year reported on.
    pub year: Option<u16>,
    /// YYYY-MM-DD.
    pub published_date: String,
    pub source_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// 1 总体情况 … 6 其他需要报告的事项.
    pub index: u8,
    pub heading: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationCell {
    pub row: ApplicationRow,
    pub applicant: Applicant,
    pub figure: Figure,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewCell {
    pub proceeding: Proceeding,
    pub outcome: Outcome,
    pub figure: Figure,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveCell {
    pub item: ActiveItem,
    pub category: ActiveCategory,
    pub metric: ActiveMetric,
    pub figure: Figure,
    /// As the report states it (`万元`, `元`), empty for counts.
    pub unit: String,
}

/// One figure of a pre-2019 statistics form (统计指标 | 单位 | 数量, often a cumulative
/// column too), kept as printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatisticCell {
    pub label: String,
    pub unit: String,
    /// The printed column: `2011年度`, `历年累计`.
    pub column: String,
    pub figure: Figure,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckStatus {
    Pass,
    Fail,
    /// An input is missing (e.g. the printed total is blank).
    Skip,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::Skip => "skip",
        }
    }
}

/// One of the report's own arithmetic relations, evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// e.g. `balance.natural_person`, `row_total.granted`, `narrative.new_received`: one of
    /// a fixed set, so not a String of its own in every report.
    pub name: &'static str,
    pub status: CheckStatus,
    /// The printed figure the relation should produce.
    pub expected: Option<Decimal>,
    /// What the other printed figures add up to.
    pub actual: Option<Decimal>,
    pub detail: String,
}

/// Something a reader of the dataset should know about a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// What the warning is about: its key is the `code` column of `warnings.csv`.
    pub code: WarningCode,
    /// Where: table, row and column, or section.
    pub location: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Report {
    pub metadata: Metadata,
    pub template: Template,
    pub sections: Vec<Section>,
    /// Kept in (row, applicant) order: [`Report::application`] searches it so.
    pub applications: Vec<ApplicationCell>,
    /// Kept in (proceeding, outcome) order: [`Report::review`] searches it so.
    pub review_litigation: Vec<ReviewCell>,
    pub active_disclosure: Vec<ActiveCell>,
    /// A pre-2019 report's statistics form, as printed (no canonical keys).
    pub statistics: Vec<StatisticCell>,
    pub checks: Vec<Check>,
    pub warnings: Vec<Warning>,
    pub status: Status,
    /// Why the status is not `ok`.
    pub error: String,
    /// Table 二 rows whose cells ran together and split more than one way, left empty:
    /// other documents of the corpus may decide them ([`Evidence`]).
    pub ambiguous: Vec<AmbiguousRow>,
}

/// A table 二 row printed with its cells run together that its own document could not
/// split one way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmbiguousRow {
    pub item: ActiveItem,
    pub category: ActiveCategory,
}

/// What other documents of a corpus say about a report, for splitting its joined cells:
/// the same report in another format, and last year's report of the same body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Table 二 counts of the same report printed elsewhere, with that document's format.
    pub twin: Vec<(ActiveItem, ActiveCategory, ActiveMetric, u64, String)>,
    /// 现行有效件数 in last year's report of the same body, by category.
    pub last_year_in_force: Vec<(ActiveCategory, u64)>,
}

impl Report {
    /// The figure of table 三 at (row, applicant), if the table had that cell.
    pub fn application(&self, row: ApplicationRow, applicant: Applicant) -> Option<&Figure> {
        let usual = (row as usize) * Applicant::ALL.len() + applicant as usize;
        find_in_order(&self.applications, usual, (row, applicant), |c| {
            (c.row, c.applicant)
        })
        .map(|c| &c.figure)
    }

    /// The figure of table 四 at (proceeding, outcome), if the table had that cell.
    pub fn review(&self, proceeding: Proceeding, outcome: Outcome) -> Option<&Figure> {
        let usual = (proceeding as usize) * Outcome::ALL.len() + outcome as usize;
        find_in_order(&self.review_litigation, usual, (proceeding, outcome), |c| {
            (c.proceeding, c.outcome)
        })
        .map(|c| &c.figure)
    }

    pub fn warn(
        &mut self,
        code: WarningCode,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.warnings.push(Warning {
            code,
            location: location.into(),
            message: message.into(),
        });
    }
}

/// The cell with this key among cells kept in key order: at `usual`, its place when every
/// cell before it was printed, if it is there, else found by bisection.
fn find_in_order<T, K: Ord>(
    cells: &[T],
    usual: usize,
    key: K,
    key_of: impl Fn(&T) -> K,
) -> Option<&T> {
    if let Some(cell) = cells.get(usual).filter(|c| key_of(c) == key) {
        return Some(cell);
    }
    let at = cells.binary_search_by(|c| key_of(c).cmp(&key)).ok()?;
    cells.get(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(raw: &str) -> Figure {
        Figure {
            raw: raw.into(),
            value: Decimal::parse(raw),
        }
    }

    #[test]
    fn cells_are_found_off_their_usual_place() {
        // Every other row of table 三 left out: most cells sit before their usual place.
        let mut report = Report::default();
        for (i, &row) in ApplicationRow::ALL.iter().enumerate().step_by(2) {
            for (j, &applicant) in Applicant::ALL.iter().enumerate() {
                report.applications.push(ApplicationCell {
                    row,
                    applicant,
                    figure: figure(&(i * 10 + j).to_string()),
                });
            }
        }
        for (i, &row) in ApplicationRow::ALL.iter().enumerate() {
            for (j, &applicant) in Applicant::ALL.iter().enumerate() {
                let found = report.application(row, applicant).map(|f| f.raw.clone());
                let expected = (i % 2 == 0).then(|| (i * 10 + j).to_string());
                assert_eq!(found, expected, "{row:?} {applicant:?}");
            }
        }
        // Table 四 without its first proceeding.
        for (i, &proceeding) in Proceeding::ALL.iter().enumerate().skip(1) {
            for (j, &outcome) in Outcome::ALL.iter().enumerate() {
                report.review_litigation.push(ReviewCell {
                    proceeding,
                    outcome,
                    figure: figure(&(i * 10 + j).to_string()),
                });
            }
        }
        for (i, &proceeding) in Proceeding::ALL.iter().enumerate() {
            for (j, &outcome) in Outcome::ALL.iter().enumerate() {
                let found = report.review(proceeding, outcome).map(|f| f.raw.clone());
                let expected = (i > 0).then(|| (i * 10 + j).to_string());
                assert_eq!(found, expected, "{proceeding:?} {outcome:?}");
            }
        }
    }
}
