//! The batch over a mixed corpus: thread count, incremental runs, the wide file, BOM and
//! codebook.

use std::collections::HashMap;
use std::path::Path;

use nianbao_export::{
    collect_inputs, output_files, run_batch, BatchOptions, Summary, DOCUMENT_TIME_LIMIT,
};
use nianbao_model::Template;
use nianbao_testkit::{render, Noise, Rendering, Truth};

/// Writes `count` generated reports in every format, starting at `first` (seed).
fn generate(dir: &Path, first: u64, count: u64) {
    std::fs::create_dir_all(dir).unwrap();
    for seed in first..first + count {
        let template = if seed % 2 == 0 {
            Template::T2021
        } else {
            Template::T2019
        };
        let rendering = Rendering::ALL[(seed % Rendering::ALL.len() as u64) as usize];
        let extension = match rendering {
            Rendering::Text(_) => "txt",
            Rendering::Html(_) => "html",
            Rendering::Docx => "docx",
        };
        let bytes = render(&Truth::random(seed, template, Noise::ALL), rendering, seed);
        std::fs::write(dir.join(format!("{seed:04}.{extension}")), bytes).unwrap();
    }
}

fn run_with(corpus: &Path, out: &Path, threads: usize, options: &BatchOptions) -> Summary {
    let inputs = collect_inputs(&[corpus.to_path_buf()]).unwrap();
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| run_batch(&inputs, out, options, &|_| {}))
        .unwrap()
}

fn files(out: &Path) -> Vec<(String, Vec<u8>)> {
    output_files()
        .into_iter()
        .map(|f| (f.to_string(), std::fs::read(out.join(f)).unwrap()))
        .collect()
}

const NO_CACHE: BatchOptions = BatchOptions {
    bom: false,
    cache: false,
    time_limit: DOCUMENT_TIME_LIMIT,
};
const CACHE: BatchOptions = BatchOptions {
    bom: false,
    cache: true,
    time_limit: DOCUMENT_TIME_LIMIT,
};

#[test]
fn one_and_two_threads_give_byte_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    generate(&corpus, 0, 60);
    // A corrupt document among them changes nothing for the others.
    std::fs::write(corpus.join("broken.docx"), b"PK\x03\x04broken").unwrap();
    let one = run_with(&corpus, &dir.path().join("one"), 1, &NO_CACHE);
    let two = run_with(&corpus, &dir.path().join("two"), 2, &NO_CACHE);
    assert_eq!(one, two);
    assert_eq!((one.documents, one.ok, one.failed), (61, 60, 1));
    assert_eq!(
        files(&dir.path().join("one")),
        files(&dir.path().join("two"))
    );
}

#[test]
fn an_incremental_run_extracts_only_new_documents_and_equals_a_full_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    generate(&corpus, 100, 30);
    let out = dir.path().join("out");
    let first = run_with(&corpus, &out, 2, &CACHE);
    assert_eq!(first.cached, 0);
    generate(&corpus, 200, 3);
    let second = run_with(&corpus, &out, 2, &CACHE);
    assert_eq!(
        (second.documents, second.cached),
        (33, 30),
        "3 extracted, 30 reused"
    );
    let full = dir.path().join("full");
    run_with(&corpus, &full, 1, &NO_CACHE);
    assert_eq!(files(&out), files(&full));
    // A changed document is extracted again.
    let changed = corpus.join("0102.txt");
    assert!(changed.is_file());
    std::fs::write(&changed, b"changed").unwrap();
    let third = run_with(&corpus, &out, 2, &CACHE);
    assert_eq!((third.documents, third.cached), (33, 32));
}

use nianbao_testkit::csv_records as records;

#[test]
fn the_wide_file_and_the_long_files_agree_cell_for_cell() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    generate(&corpus, 300, 24);
    let out = dir.path().join("out");
    run_with(&corpus, &out, 2, &NO_CACHE);
    let wide = records(&out.join("wide.csv"));
    let by_id: HashMap<&str, &HashMap<String, String>> =
        wide.iter().map(|r| (r["report_id"].as_str(), r)).collect();
    assert_eq!(by_id.len(), 24);
    let mut compared = 0;
    for (file, key) in [
        ("applications.csv", vec!["row", "applicant"]),
        ("review_litigation.csv", vec!["proceeding", "outcome"]),
        ("active_disclosure.csv", vec!["item", "category", "metric"]),
    ] {
        let table = file.trim_end_matches(".csv");
        for long in records(&out.join(file)) {
            let column = std::iter::once(table.to_string())
                .chain(key.iter().map(|k| long[*k].clone()))
                .collect::<Vec<_>>()
                .join(".");
            assert_eq!(
                by_id[long["report_id"].as_str()][&column],
                long["value"],
                "{column}"
            );
            if long.contains_key("unit") && !long["unit"].is_empty() && !long["value"].is_empty() {
                assert_eq!(
                    by_id[long["report_id"].as_str()][&format!("{column}.unit")],
                    long["unit"]
                );
            }
            compared += 1;
        }
    }
    // And nothing in the wide file that the long files do not have.
    let filled: usize = wide
        .iter()
        .map(|r| {
            r.iter()
                .filter(|(k, v)| k.contains('.') && !k.ends_with(".unit") && !v.is_empty())
                .count()
        })
        .sum();
    let long_filled: usize = [
        "applications.csv",
        "review_litigation.csv",
        "active_disclosure.csv",
    ]
    .iter()
    .map(|f| {
        records(&out.join(f))
            .iter()
            .filter(|r| !r["value"].is_empty())
            .count()
    })
    .sum();
    assert_eq!(filled, long_filled);
    assert!(compared > 24 * 180);
    // The codebook describes every cell column of the wide file, and the columns of the
    // pre-2019 statistics file.
    let codebook = records(&out.join("codebook.csv"));
    let wide_columns = wide[0].keys().filter(|k| k.contains('.')).count();
    let (pre2019, cells): (Vec<_>, Vec<_>) = codebook
        .iter()
        .partition(|c| c["table"] == "pre2019_statistics");
    assert_eq!(cells.len(), wide_columns);
    assert!(cells.iter().all(|c| wide[0].contains_key(&c["column"])));
    assert_eq!(pre2019.len(), 5);
    assert!(codebook
        .iter()
        .any(|c| c["column"] == "applications.new_received.total"
            && c["label_zh"] == "一、本年新收政府信息公开申请数量 / 总计"));
}

#[test]
fn bom_opens_every_file_for_excel() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    generate(&corpus, 400, 3);
    let out = dir.path().join("out");
    run_with(
        &corpus,
        &out,
        1,
        &BatchOptions {
            bom: true,
            ..NO_CACHE
        },
    );
    for file in output_files().into_iter().filter(|f| f.ends_with(".csv")) {
        let bytes = std::fs::read(out.join(file)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file}");
        let header = String::from_utf8_lossy(&bytes[3..]);
        assert!(
            ["report_id,", "column,", "panel_key,"]
                .iter()
                .any(|h| header.starts_with(h)),
            "{file}"
        );
    }
}
