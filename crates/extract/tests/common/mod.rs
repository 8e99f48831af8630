//! Helpers shared by the extraction tests: paths to the corpus and to the shared real
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

/// A file of the shared real reports, which sit beside the repository.
pub fn shared_real(name: &str) -> PathBuf {
    repo_path("../shared/real").join(name)
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
