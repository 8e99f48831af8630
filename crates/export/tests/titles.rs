//! A body's reports land on one panel key whatever form their titles take.

use nianbao_export::{collect_inputs, run_batch, BatchOptions, DOCUMENT_TIME_LIMIT};
use nianbao_model::Template;
use nianbao_testkit::{csv_records, render_text_titled, Noise, Truth};

/// A generated report of `year` whose title is `title`.
fn report_titled(title: &str, year: u16, seed: u64) -> Vec<u8> {
    let mut truth = Truth::random(seed, Template::T2021, Noise::default());
    truth.year = year;
    render_text_titled(&truth, &[title])
}

#[test]
fn the_agency_then_year_form_and_the_common_form_share_a_panel_key() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for (name, title, year) in [
        (
            "a.txt",
            "杭州市余杭区市场监督管理局政府信息公开工作2023年度报告",
            2023,
        ),
        (
            "b.txt",
            "杭州市余杭区市场监督管理局2024年政府信息公开工作年度报告",
            2024,
        ),
        (
            "c.txt",
            "2022年度杭州市余杭区市场监督管理局政府信息公开工作年度报告",
            2022,
        ),
    ] {
        std::fs::write(
            corpus.join(name),
            report_titled(title, year, u64::from(year)),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let options = BatchOptions {
        bom: false,
        cache: false,
        time_limit: DOCUMENT_TIME_LIMIT,
        jobs: 1,
    };
    run_batch(collect_inputs(&[corpus]).unwrap(), &out, &options, &|_| {}).unwrap();
    let panel = csv_records(&out.join("panel.csv"));
    let mut keys: Vec<(&str, &str, &str)> = panel
        .iter()
        .map(|r| {
            (
                r["panel_key"].as_str(),
                r["agency"].as_str(),
                r["year"].as_str(),
            )
        })
        .collect();
    keys.sort_by_key(|k| k.2);
    assert_eq!(keys.len(), 3, "{panel:#?}");
    assert!(keys.iter().all(|k| k.0 == keys[0].0), "{keys:?}");
    assert!(!keys[0].1.contains("政府信息公开"), "{keys:?}");
    assert_eq!(
        keys.iter().map(|k| k.2).collect::<Vec<_>>(),
        ["2022", "2023", "2024"]
    );
    let reports = csv_records(&out.join("reports.csv"));
    assert!(
        reports
            .iter()
            .all(|r| r["agency"] == "余杭区市场监督管理局"),
        "{reports:#?}"
    );
}
