//! Cross-year checks: a body's consecutive reports, whose carried figures chain or do not.

use std::path::Path;

use nianbao_export::{collect_inputs, run_batch, BatchOptions};
use nianbao_model::{ActiveCategory, ActiveMetric, Applicant, ApplicationRow, Template};
use nianbao_testkit::{csv_records as records, render, Noise, Printed, Rendering, Truth};

fn value(p: &Printed) -> u64 {
    p.value.as_deref().unwrap_or("0").parse().unwrap()
}

fn row(truth: &Truth, row: ApplicationRow) -> Vec<u64> {
    let (_, printed) = truth.applications.iter().find(|(r, _)| *r == row).unwrap();
    printed.iter().map(value).collect()
}

fn set_row(truth: &mut Truth, row: ApplicationRow, values: &[u64]) {
    let (_, printed) = truth
        .applications
        .iter_mut()
        .find(|(r, _)| *r == row)
        .unwrap();
    *printed = values.iter().map(|v| Printed::plain(*v)).collect();
}

fn active(truth: &Truth, category: ActiveCategory, metric: ActiveMetric) -> u64 {
    let cell = truth
        .active
        .iter()
        .find(|c| c.category == category && c.metric == metric);
    value(&cell.unwrap().printed)
}

fn set_active(truth: &mut Truth, category: ActiveCategory, metric: ActiveMetric, v: u64) {
    for cell in truth.active.iter_mut() {
        if cell.category == category && cell.metric == metric {
            cell.printed = Printed::plain(v);
        }
    }
}

const CHAINED: [ActiveCategory; 2] = [
    ActiveCategory::Regulations,
    ActiveCategory::NormativeDocuments,
];

/// Last year's report and this year's, whose 上年结转 and 现行有效 follow from last year's.
fn two_years(seed: u64) -> (Truth, Truth) {
    let before = Truth::random(seed, Template::T2021, Noise::default());
    let mut now = Truth::random(seed + 1000, Template::T2021, Noise::default());
    now.place = before.place.clone();
    now.year = before.year + 1;
    set_row(
        &mut now,
        ApplicationRow::CarriedOver,
        &row(&before, ApplicationRow::CarriedForward),
    );
    for category in CHAINED {
        let last = active(&before, category, ActiveMetric::InForce);
        let issued = active(&now, category, ActiveMetric::Issued);
        let repealed = active(&now, category, ActiveMetric::Repealed).min(last + issued);
        set_active(&mut now, category, ActiveMetric::Repealed, repealed);
        set_active(
            &mut now,
            category,
            ActiveMetric::InForce,
            last + issued - repealed,
        );
    }
    (before, now)
}

fn run(
    corpus: &Path,
    out: &Path,
    reports: &[(&str, &Truth)],
) -> Vec<std::collections::HashMap<String, String>> {
    std::fs::create_dir_all(corpus).unwrap();
    for (name, truth) in reports {
        let rendering = Rendering::ALL[0];
        std::fs::write(corpus.join(name), render(truth, rendering, 1)).unwrap();
    }
    let inputs = collect_inputs(&[corpus.to_path_buf()]).unwrap();
    run_batch(inputs, out, &BatchOptions::default(), &|_| {}).unwrap();
    records(&out.join("checks.csv"))
}

fn ids(out: &Path) -> std::collections::HashMap<String, String> {
    records(&out.join("reports.csv"))
        .into_iter()
        .map(|r| (r["source"].clone(), r["report_id"].clone()))
        .collect()
}

#[test]
fn figures_that_chain_pass_and_name_both_reports() {
    let dir = tempfile::tempdir().unwrap();
    let (before, now) = two_years(11);
    let (corpus, out) = (dir.path().join("corpus"), dir.path().join("out"));
    let checks = run(&corpus, &out, &[("before.txt", &before), ("now.txt", &now)]);
    let ids = ids(&out);
    let cross: Vec<_> = checks
        .iter()
        .filter(|c| c["check"].starts_with("cross_year."))
        .collect();
    let names: Vec<&str> = cross.iter().map(|c| c["check"].as_str()).collect();
    let mut expected: Vec<String> = Applicant::ALL
        .iter()
        .map(|a| format!("cross_year.carried_over.{}", a.key()))
        .collect();
    expected.extend(
        CHAINED
            .iter()
            .map(|c| format!("cross_year.in_force.{}", c.key())),
    );
    assert_eq!(names, expected);
    for c in &cross {
        assert_eq!(c["status"], "pass", "{c:?}");
        assert_eq!(c["report_id"], ids["now.txt"]);
        assert!(c["detail"].contains(&ids["now.txt"]) && c["detail"].contains(&ids["before.txt"]));
        assert_eq!(c["expected"], c["actual"]);
    }
}

#[test]
fn figures_that_do_not_chain_fail_with_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let (before, mut now) = two_years(12);
    let mut carried = row(&now, ApplicationRow::CarriedOver);
    carried[0] += 1; // natural persons
    carried[6] += 1; // total
    set_row(&mut now, ApplicationRow::CarriedOver, &carried);
    let in_force = active(
        &now,
        ActiveCategory::NormativeDocuments,
        ActiveMetric::InForce,
    );
    set_active(
        &mut now,
        ActiveCategory::NormativeDocuments,
        ActiveMetric::InForce,
        in_force + 2,
    );
    let (corpus, out) = (dir.path().join("corpus"), dir.path().join("out"));
    let checks = run(&corpus, &out, &[("before.txt", &before), ("now.txt", &now)]);
    let failed: Vec<(&str, &str, &str)> = checks
        .iter()
        .filter(|c| c["check"].starts_with("cross_year.") && c["status"] == "fail")
        .map(|c| {
            (
                c["check"].as_str(),
                c["expected"].as_str(),
                c["actual"].as_str(),
            )
        })
        .collect();
    let forward = row(&before, ApplicationRow::CarriedForward);
    assert_eq!(
        failed,
        vec![
            (
                "cross_year.carried_over.natural_person",
                &*forward[0].to_string(),
                &*carried[0].to_string()
            ),
            (
                "cross_year.carried_over.total",
                &*forward[6].to_string(),
                &*carried[6].to_string()
            ),
            (
                "cross_year.in_force.normative_documents",
                &*in_force.to_string(),
                &*(in_force + 2).to_string()
            ),
        ]
    );
    let passed = checks
        .iter()
        .filter(|c| c["check"].starts_with("cross_year.") && c["status"] == "pass")
        .count();
    assert_eq!(passed, 6, "the other applicants and 规章 still chain");
}

#[test]
fn years_apart_or_other_bodies_are_not_compared() {
    let dir = tempfile::tempdir().unwrap();
    let (before, mut now) = two_years(13);
    let mut other_body = now.clone();
    now.year += 1; // a gap year
    other_body.place = Truth::random(99, Template::T2021, Noise::default()).place;
    assert_ne!(
        other_body.place.agency_full, before.place.agency_full,
        "the test needs another body"
    );
    let (corpus, out) = (dir.path().join("corpus"), dir.path().join("out"));
    let checks = run(
        &corpus,
        &out,
        &[
            ("before.txt", &before),
            ("later.txt", &now),
            ("other.txt", &other_body),
        ],
    );
    assert!(
        !checks.iter().any(|c| c["check"].starts_with("cross_year.")),
        "{checks:?}"
    );
}

/// One body printed with fewer of its places one year (北京市丰台区… then 丰台区…) is one
/// body: one panel key, and its years are compared.
#[test]
fn a_body_printed_with_fewer_of_its_places_is_one_body() {
    let dir = tempfile::tempdir().unwrap();
    let seed = (20..)
        .find(|&s| two_years(s).0.place.agency_full.starts_with("北京市丰台区"))
        .unwrap();
    let (before, now) = two_years(seed);
    let (corpus, out) = (dir.path().join("corpus"), dir.path().join("out"));
    std::fs::create_dir_all(&corpus).unwrap();
    let full = before.place.agency_full;
    let shorter = full.trim_start_matches("北京市");
    let text = |t: &Truth| String::from_utf8(render(t, Rendering::ALL[0], 1)).unwrap();
    std::fs::write(corpus.join("before.txt"), text(&before)).unwrap();
    std::fs::write(corpus.join("now.txt"), text(&now).replace(full, shorter)).unwrap();
    let inputs = collect_inputs(std::slice::from_ref(&corpus)).unwrap();
    run_batch(inputs, &out, &BatchOptions::default(), &|_| {}).unwrap();
    let reports = records(&out.join("reports.csv"));
    assert_eq!(reports.len(), 2);
    assert_ne!(
        reports[0]["agency_full"], reports[1]["agency_full"],
        "printed differently"
    );
    let panel = records(&out.join("panel.csv"));
    let keys: Vec<&str> = panel.iter().map(|r| r["panel_key"].as_str()).collect();
    assert_eq!(keys, [keys[0], keys[0]], "one body, two years: {keys:?}");
    let checks = records(&out.join("checks.csv"));
    assert!(checks
        .iter()
        .any(|c| c["check"] == "cross_year.carried_over.total" && c["status"] == "pass"));
}

/// A blank 本年制发 or 本年废止 counts as 0, as in a report's own checks, and says so.
#[test]
fn a_blank_addend_counts_as_zero() {
    let dir = tempfile::tempdir().unwrap();
    let (before, mut now) = two_years(15);
    let category = ActiveCategory::Regulations;
    let last = active(&before, category, ActiveMetric::InForce);
    for cell in now.active.iter_mut() {
        if cell.category == category && cell.metric == ActiveMetric::Issued {
            cell.printed = Printed::blank();
        }
    }
    let repealed = active(&now, category, ActiveMetric::Repealed).min(last);
    set_active(&mut now, category, ActiveMetric::Repealed, repealed);
    set_active(&mut now, category, ActiveMetric::InForce, last - repealed);
    let (corpus, out) = (dir.path().join("corpus"), dir.path().join("out"));
    let checks = run(&corpus, &out, &[("before.txt", &before), ("now.txt", &now)]);
    let check = checks
        .iter()
        .find(|c| c["check"] == "cross_year.in_force.regulations")
        .unwrap();
    assert_eq!(check["status"], "pass", "{check:?}");
    assert!(
        check["detail"].ends_with("blank counted as 0: 本年制发"),
        "{check:?}"
    );
}
