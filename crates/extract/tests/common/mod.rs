//! Helpers shared by the extraction tests: paths to the corpus and to the real
//! reports, and the tables of a report as comparable rows.
#![allow(dead_code)]

use std::path::PathBuf;

use nianbao_model::{Figure, Report};

/// A path relative to the repository root.
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

pub fn read_file(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn seed_text() -> String {
    String::from_utf8(read_file(&repo_path("corpus/beigong-2024.txt"))).expect("seed is UTF-8")
}

fn value(f: &Figure) -> String {
    f.value.map(|v| v.to_string()).unwrap_or_default()
}

/// (row, applicant, value) in output order.
pub fn applications_map(report: &Report) -> Vec<(String, String, String)> {
    report
        .applications
        .iter()
        .map(|c| {
            (
                c.row.key().to_string(),
                c.applicant.key().to_string(),
                value(&c.figure),
            )
        })
        .collect()
}

/// (proceeding, outcome, value) in output order.
pub fn review_map(report: &Report) -> Vec<(String, String, String)> {
    report
        .review_litigation
        .iter()
        .map(|c| {
            (
                c.proceeding.key().to_string(),
                c.outcome.key().to_string(),
                value(&c.figure),
            )
        })
        .collect()
}

/// (item, category, metric, value, unit) in output order.
pub fn active_map(report: &Report) -> Vec<(String, String, String, String, String)> {
    report
        .active_disclosure
        .iter()
        .map(|c| {
            (
                c.item.key().to_string(),
                c.category.key().to_string(),
                c.metric.key().to_string(),
                value(&c.figure),
                c.unit.clone(),
            )
        })
        .collect()
}

/// Compares every extracted cell with the generator's truth: raw text, value and unit.
pub fn assert_matches_truth(report: &Report, truth: &nianbao_testkit::Truth, context: &str) {
    use nianbao_model::Applicant;
    let expected_apps: Vec<(String, String, String, Option<String>)> = truth
        .applications
        .iter()
        .flat_map(|(row, cells)| {
            Applicant::ALL.iter().zip(cells).map(move |(a, p)| {
                (
                    row.key().to_string(),
                    a.key().to_string(),
                    p.raw.clone(),
                    p.value.clone(),
                )
            })
        })
        .collect();
    let got_apps: Vec<(String, String, String, Option<String>)> = report
        .applications
        .iter()
        .map(|c| {
            (
                c.row.key().to_string(),
                c.applicant.key().to_string(),
                c.figure.raw.clone(),
                c.figure.value.map(|v| v.to_string()),
            )
        })
        .collect();
    assert_eq!(got_apps, expected_apps, "{context}: applications");

    let expected_review: Vec<(String, String, Option<String>)> = truth
        .review
        .iter()
        .flat_map(|(p, cells)| {
            nianbao_model::Outcome::ALL
                .iter()
                .zip(cells)
                .map(move |(o, c)| (p.key().to_string(), o.key().to_string(), c.value.clone()))
        })
        .collect();
    let got_review: Vec<(String, String, Option<String>)> = report
        .review_litigation
        .iter()
        .map(|c| {
            (
                c.proceeding.key().to_string(),
                c.outcome.key().to_string(),
                c.figure.value.map(|v| v.to_string()),
            )
        })
        .collect();
    assert_eq!(got_review, expected_review, "{context}: review_litigation");

    let expected_active: Vec<(String, String, String, String, Option<String>, String)> = truth
        .active
        .iter()
        .map(|c| {
            (
                c.item.key().to_string(),
                c.category.key().to_string(),
                c.metric.key().to_string(),
                c.printed.raw.clone(),
                c.printed.value.clone(),
                c.unit.clone(),
            )
        })
        .collect();
    let got_active: Vec<(String, String, String, String, Option<String>, String)> = report
        .active_disclosure
        .iter()
        .map(|c| {
            (
                c.item.key().to_string(),
                c.category.key().to_string(),
                c.metric.key().to_string(),
                c.figure.raw.clone(),
                c.figure.value.map(|v| v.to_string()),
                c.unit.clone(),
            )
        })
        .collect();
    assert_eq!(got_active, expected_active, "{context}: active_disclosure");
    assert_eq!(report.template, truth.template, "{context}: template");
}

/// Compares the metadata the generator printed with what was extracted.
pub fn assert_metadata_matches_truth(
    report: &Report,
    truth: &nianbao_testkit::Truth,
    context: &str,
) {
    let m = &report.metadata;
    let p = &truth.place;
    assert_eq!(m.year, Some(truth.year), "{context}");
    assert_eq!(m.agency_full, p.agency_full, "{context}");
    assert_eq!(
        (
            m.agency.as_str(),
            m.province.as_str(),
            m.city.as_str(),
            m.county.as_str(),
            m.township.as_str(),
            m.level
        ),
        (p.agency, p.province, p.city, p.county, p.township, p.level),
        "{context}"
    );
    assert_eq!(m.division_code, p.code, "{context}");
}

/// A clean extraction of a generated report: every cell and the metadata equal the truth,
/// status `ok`, no failing check, six sections.
pub fn assert_is_truth(report: &Report, truth: &nianbao_testkit::Truth, context: &str) {
    use nianbao_model::{CheckStatus, Status};
    assert_matches_truth(report, truth, context);
    assert_metadata_matches_truth(report, truth, context);
    assert_eq!(report.status, Status::Ok, "{context}: {}", report.error);
    let failed: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .collect();
    assert!(failed.is_empty(), "{context}: {failed:#?}");
    assert_eq!(report.sections.len(), 6, "{context}");
}

/// Every cell the extraction read equals the generator's truth; cells it did not read are
/// allowed (a caller checks that a warning names them).
pub fn assert_read_cells_are_truth(report: &Report, truth: &nianbao_testkit::Truth, context: &str) {
    for cell in &report.applications {
        let (_, printed) = truth
            .applications
            .iter()
            .find(|(r, _)| *r == cell.row)
            .unwrap();
        let i = nianbao_model::Applicant::ALL
            .iter()
            .position(|a| *a == cell.applicant)
            .unwrap();
        assert_eq!(
            cell.figure.value.map(|v| v.to_string()),
            printed[i].value,
            "{context} {:?}",
            cell.row
        );
    }
    for cell in &report.review_litigation {
        let (_, printed) = truth
            .review
            .iter()
            .find(|(p, _)| *p == cell.proceeding)
            .unwrap();
        let i = nianbao_model::Outcome::ALL
            .iter()
            .position(|o| *o == cell.outcome)
            .unwrap();
        assert_eq!(
            cell.figure.value.map(|v| v.to_string()),
            printed[i].value,
            "{context}"
        );
    }
    for cell in &report.active_disclosure {
        let t = truth
            .active
            .iter()
            .find(|t| t.item == cell.item && t.category == cell.category && t.metric == cell.metric)
            .unwrap();
        assert_eq!(
            cell.figure.value.map(|v| v.to_string()),
            t.printed.value,
            "{context} {:?} {:?} {:?}",
            cell.item,
            cell.category,
            cell.metric
        );
    }
}
