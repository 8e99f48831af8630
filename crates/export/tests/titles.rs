//! A body's reports land on one panel key whatever form their titles take.

use nianbao_export::{collect_inputs, run_batch, BatchOptions};
use nianbao_model::Template;
use nianbao_testkit::{csv_records, render_text_titled, Noise, Truth};

/// A generated report of `year` whose title is `title`.
fn report_titled(title: &str, year: u16, seed: u64) -> Vec<u8> {
    let mut truth = Truth::random(seed, Template::T2021, Noise::default());
    truth.year = year;
    render_text_titled(&truth, &[title])
}

/// Runs the batch over `corpus` into `out`, one thread, no cache.
fn run_on(corpus: &std::path::Path, out: &std::path::Path) {
    let options = BatchOptions {
        cache: false,
        jobs: 1,
        ..BatchOptions::default()
    };
    run_batch(
        collect_inputs(&[corpus.to_path_buf()]).unwrap(),
        out,
        &options,
        &|_| {},
    )
    .unwrap();
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
    run_on(&corpus, &out);
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

#[test]
fn a_crawled_report_naming_no_body_takes_it_from_the_crawls_listing() {
    use nianbao_corpus::{Kind, Outcome, Record, Store};
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let mut store = Store::open(&corpus).unwrap();
    let body = "杭州市余杭区市场监督管理局";
    // One listing prints the whole title; a listing of bare years under the body's
    // column prints only the year.
    for (year, link_text, column) in [
        (2023, format!("{body}2023年政府信息公开工作年度报告"), ""),
        (2024, "2024年度".to_string(), body),
    ] {
        let bytes = report_titled(&format!("{year}年政府信息公开工作年度报告"), year, 7);
        let (sha256, path) = store.put(&bytes, "txt").unwrap();
        store
            .append(&Record {
                url: format!("http://127.0.0.1/nb/{year}.html"),
                kind: Some(Kind::Report),
                outcome: Some(Outcome::Fetched),
                status: Some(200),
                sha256,
                path,
                link_text,
                column: column.to_string(),
                ..Record::default()
            })
            .unwrap();
    }
    let out = dir.path().join("out");
    run_on(&corpus, &out);
    let reports = csv_records(&out.join("reports.csv"));
    assert_eq!(reports.len(), 2, "{reports:#?}");
    assert!(
        reports.iter().all(|r| r["agency_full"] == body),
        "{reports:#?}"
    );
    let panel = csv_records(&out.join("panel.csv"));
    assert_eq!(panel.len(), 2, "{panel:#?}");
    // The body's own name after its division code: one body however many of its places
    // a document prints.
    assert!(
        panel
            .iter()
            .all(|r| r["panel_key"] == format!("{}|{}", r["division_code"], reports[0]["agency"])),
        "{panel:#?}"
    );
    let warnings = csv_records(&out.join("warnings.csv"));
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w["code"] == "metadata_from_listing")
            .count(),
        2
    );
}
