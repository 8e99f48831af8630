//! A crawled corpus is read as the crawl stored it: an object changed or lost since is a
//! `failed` row naming the cause, and none of its numbers reach the dataset.

use std::path::Path;

use nianbao_corpus::{Kind, Outcome, Record, Store};
use nianbao_export::{collect_inputs, run_batch, BatchOptions};
use nianbao_model::Template;
use nianbao_testkit::{csv_records, render_text_titled, Noise, Truth};

fn report(year: u16, seed: u64) -> Vec<u8> {
    let mut truth = Truth::random(seed, Template::T2021, Noise::default());
    truth.year = year;
    render_text_titled(
        &truth,
        &[&format!(
            "北京市某某区财政局{year}年政府信息公开工作年度报告"
        )],
    )
}

/// A corpus as a crawl leaves it: three reports, stored and listed. Returns their
/// object paths.
fn crawled_corpus(corpus: &Path) -> Vec<String> {
    let mut store = Store::open(corpus).unwrap();
    let mut paths = Vec::new();
    for year in [2022, 2023, 2024] {
        let (sha256, path) = store.put(&report(year, u64::from(year)), "txt").unwrap();
        store
            .append(&Record {
                url: format!("http://127.0.0.1/nb/{year}.html"),
                kind: Some(Kind::Report),
                outcome: Some(Outcome::Fetched),
                status: Some(200),
                sha256,
                path: path.clone(),
                ..Record::default()
            })
            .unwrap();
        paths.push(path);
    }
    paths
}

fn run_on(corpus: &Path, out: &Path, cache: bool) {
    let options = BatchOptions {
        cache,
        jobs: 2,
        ..BatchOptions::default()
    };
    let inputs = collect_inputs(&[corpus.to_path_buf()]).unwrap();
    run_batch(inputs, out, &options, &|_| {}).unwrap();
}

#[test]
fn a_changed_or_missing_object_is_a_failed_row_and_gives_no_number() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let paths = crawled_corpus(&corpus);
    let out = dir.path().join("out");
    // A first run fills the cache: the changed object must not be served from it either.
    run_on(&corpus, &out, true);
    assert_eq!(
        csv_records(&out.join("reports.csv"))
            .iter()
            .filter(|r| r["status"] == "ok")
            .count(),
        3
    );

    // 2022's object now holds another report's bytes; 2023's is gone.
    std::fs::write(corpus.join(&paths[0]), report(2022, 99)).unwrap();
    std::fs::remove_file(corpus.join(&paths[1])).unwrap();
    run_on(&corpus, &out, true);

    let reports = csv_records(&out.join("reports.csv"));
    // A crawled document's source is its URL.
    let row = |year: u16| {
        let url = format!("http://127.0.0.1/nb/{year}.html");
        reports
            .iter()
            .find(|r| r["source"] == url)
            .unwrap_or_else(|| panic!("no row for {url}: {reports:#?}"))
    };
    let changed = row(2022);
    assert_eq!(changed["status"], "failed");
    assert!(
        changed["error"].contains("stored object altered"),
        "{changed:?}"
    );
    let missing = row(2023);
    assert_eq!(missing["status"], "failed");
    assert!(
        missing["error"].contains("stored object missing"),
        "{missing:?}"
    );
    assert_eq!(row(2024)["status"], "ok");
    // The failed rows keep the crawl's ids, and no cell of theirs is in the tables.
    let sha_id = |path: &str| format!("r{}", &path.rsplit('/').next().unwrap()[..16]);
    assert_eq!(changed["report_id"], sha_id(&paths[0]));
    assert_eq!(missing["report_id"], sha_id(&paths[1]));
    for file in [
        "applications.csv",
        "review_litigation.csv",
        "active_disclosure.csv",
    ] {
        let cells = csv_records(&out.join(file));
        assert!(!cells.is_empty());
        assert!(
            cells.iter().all(|c| c["report_id"] == sha_id(&paths[2])),
            "{file} holds cells of a document not as crawled"
        );
    }
}

#[test]
fn one_object_at_several_urls_is_a_document_at_each_and_a_path_outside_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let mut store = Store::open(&corpus).unwrap();
    // The same report reached from two columns and another host.
    let (sha256, path) = store.put(&report(2023, 5), "txt").unwrap();
    let urls = [
        "http://127.0.0.1/a/2023.html",
        "http://127.0.0.1/b/2023.html",
        "http://127.0.0.2/2023.html",
    ];
    for url in urls {
        store
            .append(&Record {
                url: url.into(),
                kind: Some(Kind::Report),
                outcome: Some(Outcome::Fetched),
                status: Some(200),
                sha256: sha256.clone(),
                path: path.clone(),
                ..Record::default()
            })
            .unwrap();
    }
    // A manifest that names a file outside the corpus.
    let outside = dir.path().join("outside.txt");
    let bytes = report(2022, 6);
    std::fs::write(&outside, &bytes).unwrap();
    let sha = nianbao_export::report_id(&bytes);
    store
        .append(&Record {
            url: "http://127.0.0.1/escape.html".into(),
            kind: Some(Kind::Report),
            outcome: Some(Outcome::Fetched),
            sha256: sha,
            path: "../outside.txt".into(),
            ..Record::default()
        })
        .unwrap();
    let out = dir.path().join("out");
    run_on(&corpus, &out, false);
    let reports = csv_records(&out.join("reports.csv"));
    for url in urls {
        let row = reports.iter().find(|r| r["source"] == url);
        assert_eq!(
            row.map(|r| r["status"].as_str()),
            Some("ok"),
            "{url}: {reports:#?}"
        );
    }
    let escape = reports
        .iter()
        .find(|r| r["source"] == "http://127.0.0.1/escape.html")
        .expect("a row for the escaping record");
    // One report, its cells once, however many URLs it was reached at.
    let cells = std::fs::read_to_string(out.join("applications.csv")).unwrap();
    let lines: Vec<&str> = cells.lines().collect();
    let distinct: std::collections::HashSet<&&str> = lines.iter().collect();
    assert!(lines.len() > 100);
    assert_eq!(distinct.len(), lines.len(), "no cell written twice");
    assert_eq!(escape["status"], "failed");
    assert!(escape["error"].contains("outside the corpus"), "{escape:?}");
    assert_eq!(reports.len(), 4);
    // Each source of the one report has its row in report_sources.csv, told apart by
    // its source: one primary, the others alternates of it.
    let sources = csv_records(&out.join("report_sources.csv"));
    for url in urls {
        let rows: Vec<_> = sources.iter().filter(|r| r["source"] == url).collect();
        assert_eq!(rows.len(), 1, "{url}: {sources:#?}");
    }
    let id = &reports.iter().find(|r| r["source"] == urls[0]).unwrap()["report_id"];
    let roles: Vec<&str> = sources
        .iter()
        .filter(|r| &r["report_id"] == id)
        .map(|r| r["role"].as_str())
        .collect();
    assert_eq!(
        roles.iter().filter(|r| **r == "primary").count(),
        1,
        "{roles:?}"
    );
    // A failed document is in no panel row: its wide row has no panel key.
    let wide = csv_records(&out.join("wide.csv"));
    let failed = wide
        .iter()
        .find(|r| r["report_id"] == escape["report_id"])
        .unwrap();
    assert_eq!(failed["panel_key"], "");
}
