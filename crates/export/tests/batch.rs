//! The batch over a mixed corpus: thread count, incremental runs, the wide file, BOM and
//! codebook.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

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
    let options = BatchOptions {
        jobs: threads,
        ..options.clone()
    };
    run_batch(inputs, out, &options, &|_| {}).unwrap()
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
    jobs: 0,
    lock_wait: Duration::ZERO,
    parquet: false,
};
const CACHE: BatchOptions = BatchOptions {
    bom: false,
    cache: true,
    time_limit: DOCUMENT_TIME_LIMIT,
    jobs: 0,
    lock_wait: Duration::ZERO,
    parquet: false,
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
    // A changed document is extracted again, and its old entry is removed.
    let changed = corpus.join("0102.txt");
    assert!(changed.is_file());
    std::fs::write(&changed, b"changed").unwrap();
    let third = run_with(&corpus, &out, 2, &CACHE);
    assert_eq!((third.documents, third.cached), (33, 32));
    assert_eq!(files_under(&out.join(".cache")).len(), 33);
    // A document gone: its entry too.
    std::fs::remove_file(&changed).unwrap();
    let fourth = run_with(&corpus, &out, 2, &CACHE);
    assert_eq!((fourth.documents, fourth.cached), (32, 32));
    assert_eq!(files_under(&out.join(".cache")).len(), 32);
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn a_damaged_or_swapped_cache_entry_is_extracted_again() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    generate(&corpus, 400, 12);
    let out = dir.path().join("out");
    run_with(&corpus, &out, 2, &CACHE);
    let entries = files_under(&out.join(".cache"));
    assert_eq!(entries.len(), 12, "one entry a document");
    // One byte flipped in every entry, each at another place.
    for (i, entry) in entries.iter().enumerate() {
        let mut bytes = std::fs::read(entry).unwrap();
        let at = (i * 7919) % bytes.len();
        bytes[at] ^= 0x01;
        std::fs::write(entry, bytes).unwrap();
    }
    let rerun = run_with(&corpus, &out, 2, &CACHE);
    assert_eq!(rerun.cached, 0, "no damaged entry is served");
    let clean = dir.path().join("clean");
    run_with(&corpus, &clean, 2, &NO_CACHE);
    assert_eq!(files(&out), files(&clean));

    // Two whole entries swapped: each is whole, but under the other's key.
    let entries = files_under(&out.join(".cache"));
    let (a, b) = (
        std::fs::read(&entries[0]).unwrap(),
        std::fs::read(&entries[1]).unwrap(),
    );
    std::fs::write(&entries[0], &b).unwrap();
    std::fs::write(&entries[1], &a).unwrap();
    let swapped = run_with(&corpus, &out, 2, &CACHE);
    assert_eq!(swapped.cached, 10);
    assert_eq!(files(&out), files(&clean));
}

#[test]
fn another_builds_cache_entries_are_removed_and_never_served() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    generate(&corpus, 500, 4);
    let out = dir.path().join("out");
    run_with(&corpus, &out, 1, &CACHE);
    // The same entries as another build left them.
    let cache = out.join(".cache");
    let this_build = cache.join(nianbao_export::ROWS_FINGERPRINT);
    std::fs::rename(&this_build, cache.join("0123456789abcdef")).unwrap();
    let again = run_with(&corpus, &out, 1, &CACHE);
    assert_eq!(again.cached, 0);
    let left: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        [nianbao_export::ROWS_FINGERPRINT],
        "the other build's folder is gone"
    );
}

#[test]
#[cfg(unix)]
fn the_cache_touches_nothing_of_others_and_reads_no_endless_entry() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    generate(&corpus, 600, 4);
    // An output folder at someone's home: its `.cache` holds other tools' files.
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".cache/pip/http")).unwrap();
    std::fs::write(home.join(".cache/pip/http/blob"), b"pip").unwrap();
    std::fs::write(home.join(".cache/top.txt"), b"top").unwrap();
    std::fs::create_dir_all(home.join(".cache/ab")).unwrap();
    std::fs::write(
        home.join(".cache/ab/notes.txt"),
        b"two hex digits, not ours",
    )
    .unwrap();
    run_with(&corpus, &home, 1, &CACHE);
    run_with(&corpus, &home, 1, &CACHE);
    for kept in ["pip/http/blob", "top.txt", "ab/notes.txt"] {
        assert!(home.join(".cache").join(kept).is_file(), "{kept} removed");
    }
    // A `.cache` that is a link to a user's folder: nothing in it is removed.
    let precious = dir.path().join("precious");
    std::fs::create_dir_all(precious.join("0123456789abcdef")).unwrap();
    std::fs::write(precious.join("0123456789abcdef/keep"), b"keep").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(&precious, out.join(".cache")).unwrap();
    run_with(&corpus, &out, 1, &CACHE);
    run_with(&corpus, &out, 1, &CACHE);
    assert!(precious.join("0123456789abcdef/keep").is_file());

    // Entries that never end (a device, a pipe) are misses, read not at all.
    let clean = dir.path().join("clean");
    run_with(&corpus, &clean, 1, &NO_CACHE);
    let entries = files_under(&home.join(".cache").join(nianbao_export::ROWS_FINGERPRINT));
    assert_eq!(entries.len(), 4);
    std::fs::remove_file(&entries[0]).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &entries[0]).unwrap();
    std::fs::remove_file(&entries[1]).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&entries[1])
        .status()
        .unwrap();
    assert!(made.success());
    let started = std::time::Instant::now();
    let rerun = run_with(&corpus, &home, 1, &CACHE);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!((rerun.cached, rerun.failed), (2, 0));
    assert_eq!(files(&home), files(&clean));
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
    assert_codebook_describes_every_file(&out);
}

/// The codebook has a row for every column of every file, in the files' own order, and
/// its coverage is the number of the file's rows with a value in that column.
fn assert_codebook_describes_every_file(out: &Path) {
    let codebook = records(&out.join("codebook.csv"));
    let mut described = 0;
    for file in output_files().into_iter().filter(|f| f.ends_with(".csv")) {
        let mut reader = csv::Reader::from_path(out.join(file)).unwrap();
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let entries: Vec<_> = codebook.iter().filter(|c| c["file"] == file).collect();
        if file == "wide_stata.csv" {
            let stata: Vec<&str> = codebook
                .iter()
                .filter(|c| c["file"] == "wide.csv")
                .map(|c| c["stata_name"].as_str())
                .collect();
            assert_eq!(
                header, stata,
                "wide_stata.csv is named as the codebook says"
            );
            assert!(stata.iter().all(|n| n.len() <= 32));
            continue;
        }
        let columns: Vec<&str> = entries.iter().map(|c| c["column"].as_str()).collect();
        assert_eq!(header, columns, "{file}: the codebook's columns");
        for (i, entry) in entries.iter().enumerate() {
            let filled = rows.iter().filter(|r| !r[i].is_empty()).count();
            if file != "codebook.csv" {
                assert_eq!(
                    entry["coverage"],
                    filled.to_string(),
                    "{file} {}",
                    entry["column"]
                );
            }
            for field in ["type", "label_zh", "label_en", "missing"] {
                assert!(
                    !entry[field].is_empty(),
                    "{file} {}: {field}",
                    entry["column"]
                );
            }
        }
        described += entries.len();
    }
    assert_eq!(
        described
            + codebook
                .iter()
                .filter(|c| c["file"] == "wide_stata.csv")
                .count(),
        codebook.len()
    );
    assert!(codebook
        .iter()
        .any(|c| c["column"] == "applications.new_received.total"
            && c["label_zh"] == "一、本年新收政府信息公开申请数量 / 总计"
            && c["type"] == "decimal"));
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
            ["\"report_id\",", "\"file\",", "\"panel_key\","]
                .iter()
                .any(|h| header.starts_with(h)),
            "{file}"
        );
    }
}

#[test]
fn the_same_report_in_another_format_decides_cells_its_text_twin_could_not_split() {
    // pingtan-2025.txt prints 行政规范性文件 as "5845546": 58|45|546 or 5|84|5546 or …;
    // alone it is left empty. Beside the page it was crawled from, the page decides it.
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("alone");
    let both = dir.path().join("both");
    std::fs::create_dir_all(&alone).unwrap();
    std::fs::create_dir_all(&both).unwrap();
    for (folder, names) in [
        (&alone, &["pingtan-2025.txt"][..]),
        (&both, &["pingtan-2025.txt", "pingtan-2025.html"][..]),
    ] {
        for name in names {
            std::fs::copy(nianbao_testkit::real_report(name), folder.join(name)).unwrap();
        }
    }
    let normative = |out: &Path, source: &str| -> Vec<(String, String)> {
        let reports = records(&out.join("reports.csv"));
        let id = &reports.iter().find(|r| r["source"] == source).unwrap()["report_id"];
        records(&out.join("active_disclosure.csv"))
            .into_iter()
            .filter(|r| &r["report_id"] == id && r["category"] == "normative_documents")
            .map(|r| (r["metric"].clone(), r["value"].clone()))
            .collect()
    };
    let out_alone = dir.path().join("out-alone");
    run_with(&alone, &out_alone, 2, &NO_CACHE);
    assert!(normative(&out_alone, "pingtan-2025.txt").is_empty());

    let out_both = dir.path().join("out-both");
    let summary = run_with(&both, &out_both, 2, &NO_CACHE);
    assert_eq!(summary.ok, 2, "{summary:?}");
    assert_eq!(
        normative(&out_both, "pingtan-2025.txt"),
        vec![
            ("issued".to_string(), "58".to_string()),
            ("repealed".to_string(), "45".to_string()),
            ("in_force".to_string(), "546".to_string()),
        ]
    );
    let warnings = std::fs::read_to_string(out_both.join("warnings.csv")).unwrap();
    assert!(
        warnings.contains("split as 58|45|546 by the same report as html"),
        "{warnings}"
    );
    // The same with one thread, and with the cache: the same files.
    let one = dir.path().join("out-one");
    run_with(&both, &one, 1, &CACHE);
    let again = dir.path().join("out-one");
    run_with(&both, &again, 1, &CACHE);
    assert_eq!(files(&out_both), files(&again));
}

#[test]
fn last_years_report_decides_this_years_joined_row_through_in_force() {
    use nianbao_model::{ActiveCategory, ActiveMetric};
    use nianbao_testkit::{layout, render_joined, PageEncoding, Printed};
    // This year's report prints table 二 run together: 规章 000, 行政规范性文件 5845546.
    let mut this_year = Truth::random(5, Template::T2021, Noise::default());
    let set = |truth: &mut Truth, category: ActiveCategory, values: [u64; 3]| {
        for cell in truth.active.iter_mut().filter(|c| c.category == category) {
            let i = match cell.metric {
                ActiveMetric::Issued => 0,
                ActiveMetric::Repealed => 1,
                _ => 2,
            };
            cell.printed = Printed::plain(values[i]);
        }
    };
    set(&mut this_year, ActiveCategory::Regulations, [0, 0, 0]);
    set(
        &mut this_year,
        ActiveCategory::NormativeDocuments,
        [58, 45, 546],
    );
    // Last year's page of the same body: 533 in force, and 533 + 58 − 45 = 546.
    let mut last_year = this_year.clone();
    last_year.year -= 1;
    set(
        &mut last_year,
        ActiveCategory::NormativeDocuments,
        [20, 7, 533],
    );

    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    // As a crawler saves the page's text: its header block, then the body in one run.
    let header = format!(
        "标题: {}{}年政府信息公开工作年度报告\n==== 正文 ====\n",
        this_year.place.agency_full, this_year.year
    );
    let text = header + &render_joined(&layout(&this_year));
    std::fs::write(corpus.join("this.txt"), text).unwrap();
    std::fs::write(
        corpus.join("last.html"),
        render(&last_year, Rendering::Html(PageEncoding::Utf8), 5),
    )
    .unwrap();
    let out = dir.path().join("out");
    run_with(&corpus, &out, 2, &NO_CACHE);
    let reports = records(&out.join("reports.csv"));
    let id = &reports.iter().find(|r| r["source"] == "this.txt").unwrap()["report_id"];
    let normative: Vec<String> = records(&out.join("active_disclosure.csv"))
        .into_iter()
        .filter(|r| &r["report_id"] == id && r["category"] == "normative_documents")
        .map(|r| r["value"].clone())
        .collect();
    let dump = std::fs::read_to_string(out.join("reports.csv")).unwrap()
        + &std::fs::read_to_string(out.join("warnings.csv")).unwrap();
    assert_eq!(normative, vec!["58", "45", "546"], "{dump}");
    let warnings = std::fs::read_to_string(out.join("warnings.csv")).unwrap();
    assert!(warnings.contains("last year's 现行有效 533"), "{warnings}");
}
