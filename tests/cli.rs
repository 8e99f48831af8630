//! End-to-end: the real `nianbao` binary over real folders, its exit codes and the CSV
//! files it writes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn nianbao(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .current_dir(cwd)
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed_bytes() -> Vec<u8> {
    fs::read(repo().join("corpus/beigong-2024.txt")).expect("seed in corpus")
}

use nianbao_testkit::csv_records as records;

const FILES: [&str; 8] = [
    "reports.csv",
    "applications.csv",
    "review_litigation.csv",
    "active_disclosure.csv",
    "checks.csv",
    "sections.csv",
    "warnings.csv",
    "SCHEMA_VERSION",
];

#[test]
fn a_mixed_folder_reads_the_seed_and_names_every_failure() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(input.join("sub")).unwrap();
    fs::write(input.join("beigong-2024.txt"), seed_bytes()).unwrap();
    fs::write(input.join("empty.txt"), b"").unwrap();
    let binary: Vec<u8> = (0u32..5000).map(|i| (i * 7919 % 251) as u8).collect();
    fs::write(input.join("sub/garbage.bin"), binary).unwrap();
    fs::write(
        input.join("sub/notes.txt"),
        "会议纪要\n今天讨论了绿化工作，没有表格。\n",
    )
    .unwrap();
    fs::write(input.join("sub/report.docx"), b"PK\x03\x04not really a zip").unwrap();
    let out = dir.path().join("out");

    let result = nianbao(
        &[
            "extract",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(
        result.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        stdout.contains("5 documents: 1 ok, 0 partial, 4 failed"),
        "{stdout}"
    );
    for file in FILES {
        assert!(out.join(file).is_file(), "{file} written");
    }

    let reports = records(&out.join("reports.csv"));
    let by_source = |s: &str| {
        reports
            .iter()
            .find(|r| r["source"] == s)
            .unwrap_or_else(|| panic!("{s}"))
    };
    assert_eq!(reports.len(), 5);
    let seed = by_source("beigong-2024.txt");
    assert_eq!(
        (seed["status"].as_str(), seed["error"].as_str()),
        ("ok", "")
    );
    assert_eq!(seed["template"], "2021");
    for (source, status, reason) in [
        ("empty.txt", "failed", "empty file"),
        ("sub/garbage.bin", "failed", "binary data"),
        (
            "sub/notes.txt",
            "failed",
            "not recognised as an annual report",
        ),
        (
            "sub/report.docx",
            "failed",
            "corrupt document: not a readable zip archive",
        ),
    ] {
        let row = by_source(source);
        assert_eq!(row["status"], status, "{source}");
        assert!(row["error"].contains(reason), "{source}: {}", row["error"]);
    }
    // Only the seed has figures, and all of them.
    let applications = records(&out.join("applications.csv"));
    assert_eq!(applications.len(), 25 * 7);
    assert!(applications
        .iter()
        .all(|r| r["report_id"] == seed["report_id"]));
    assert_eq!(records(&out.join("review_litigation.csv")).len(), 15);
    assert_eq!(records(&out.join("active_disclosure.csv")).len(), 10);
    // The version on the first line, then the notes on the files it covers.
    let version = fs::read_to_string(out.join("SCHEMA_VERSION")).unwrap();
    assert_eq!(version.lines().next(), Some("2"));
    assert!(version.contains("pre2019_statistics.csv: report_id, label, unit, column, value, raw"));
    let codebook = records(&out.join("codebook.csv"));
    assert!(codebook
        .iter()
        .any(|r| r["file"] == "pre2019_statistics.csv"
            && r["column"] == "value"
            && r["templates"] == "pre2019"));
    // No temporary file is left behind.
    let leftovers: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn run_without_arguments_uses_the_shipped_corpus() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("corpus")).unwrap();
    fs::write(dir.path().join("corpus/beigong-2024.txt"), seed_bytes()).unwrap();
    fs::write(dir.path().join("corpus/README.md"), "# corpus\n").unwrap();
    let result = nianbao(&[], dir.path());
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        stdout.contains("1 documents: 1 ok, 0 partial, 0 failed; 0 checks failed"),
        "{stdout}"
    );
    let reports = records(&dir.path().join("out/reports.csv"));
    assert_eq!(reports.len(), 1, "the corpus README is not a document");
    let r = &reports[0];
    assert_eq!(r["report_id"], "r8604a462bce91f23");
    assert_eq!(
        (
            r["agency"].as_str(),
            r["province"].as_str(),
            r["city"].as_str(),
            r["county"].as_str(),
            r["township"].as_str()
        ),
        ("北宫镇人民政府", "北京市", "", "丰台区", "北宫镇")
    );
    assert_eq!(
        (r["level"].as_str(), r["year"].as_str()),
        ("township", "2024")
    );
    let checks = records(&dir.path().join("out/checks.csv"));
    assert!(checks.len() > 40);
    assert!(checks.iter().all(|c| c["status"] == "pass"));
    assert_eq!(records(&dir.path().join("out/sections.csv")).len(), 6);
}

#[test]
fn the_same_corpus_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    for i in 0..6 {
        let mut bytes = seed_bytes();
        bytes.extend(format!("\n附：副本{i}\n").as_bytes());
        fs::write(corpus.join(format!("copy-{i}.txt")), bytes).unwrap();
    }
    let outputs: Vec<Vec<Vec<u8>>> = ["out-a", "out-b"]
        .iter()
        .map(|out| {
            let result = nianbao(&["run", "--out", out, "--quiet"], dir.path());
            assert_eq!(result.status.code(), Some(0));
            assert!(result.stdout.is_empty(), "--quiet prints nothing");
            FILES
                .iter()
                .map(|f| fs::read(dir.path().join(out).join(f)).unwrap())
                .collect()
        })
        .collect();
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn a_run_that_cannot_start_exits_1_and_keeps_earlier_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("reports.csv"), "earlier results\n").unwrap();
    let result = nianbao(&["run", "--corpus", "missing", "--out", "out"], dir.path());
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stderr).contains("corpus folder missing not found"));
    assert_eq!(
        fs::read_to_string(out.join("reports.csv")).unwrap(),
        "earlier results\n"
    );

    fs::write(dir.path().join("a-file.txt"), "x").unwrap();
    let result = nianbao(
        &["run", "--corpus", "a-file.txt", "--out", "out"],
        dir.path(),
    );
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stderr).contains("is a file, not a folder"));

    let result = nianbao(&["extract", "--no-such-flag"], dir.path());
    assert_eq!(
        result.status.code(),
        Some(1),
        "usage errors are not 'documents failed'"
    );
    let result = nianbao(&["--help"], dir.path());
    assert_eq!(result.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&result.stdout).contains("Exit codes"));
}

#[test]
fn the_shipped_corpus_reads_clean_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = repo().join("corpus");
    let out = dir.path().join("out");
    let result = nianbao(
        &[
            "run",
            "--corpus",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let reports = records(&out.join("reports.csv"));
    assert!(reports.len() >= 7);
    assert!(
        reports
            .iter()
            .all(|r| r["status"] == "ok" && r["warnings"] == "0"),
        "{reports:#?}"
    );
    for format in ["text", "html", "docx"] {
        assert!(reports.iter().any(|r| r["format"] == format), "{format}");
    }
    for template in ["2019", "2021"] {
        assert!(
            reports.iter().any(|r| r["template"] == template),
            "{template}"
        );
    }
    let checks = records(&out.join("checks.csv"));
    assert!(
        checks.iter().all(|c| c["status"] == "pass"),
        "every shipped report balances"
    );
}

#[test]
fn the_summary_counts_failed_checks_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let seed = String::from_utf8(seed_bytes()).unwrap();
    let changed = seed.replace("\t（一）予以公开\n\t3\n", "\t（一）予以公开\n\t4\n");
    assert_ne!(seed, changed);
    fs::write(dir.path().join("changed.txt"), changed).unwrap();
    let result = nianbao(
        &["extract", "changed.txt", "--out", "out", "--no-cache"],
        dir.path(),
    );
    assert_eq!(
        result.status.code(),
        Some(0),
        "a failing check is a finding, not a failure"
    );
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(stdout.contains("2 checks failed"), "{stdout}");
    assert!(stdout.contains("failed checks (findings about the sources, see checks.csv): results_sum 1, row_total 1"), "{stdout}");
}

#[test]
fn a_report_naming_no_body_is_an_unresolved_panel_row_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let seed = String::from_utf8(seed_bytes()).unwrap();
    // The seed names its body only in its title.
    let nameless = seed.replacen("北京市丰台区北宫镇人民政府", "", 1);
    assert_ne!(seed, nameless);
    fs::write(dir.path().join("nameless.txt"), nameless).unwrap();
    fs::write(dir.path().join("seed.txt"), &seed).unwrap();
    let result = nianbao(&["extract", ".", "--out", "out", "--no-cache"], dir.path());
    assert_eq!(result.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        stdout.contains("1 documents name no body or year they report on (metadata_missing)"),
        "{stdout}"
    );
    let out = dir.path().join("out");
    let reports = records(&out.join("reports.csv"));
    let id = |source: &str| {
        reports
            .iter()
            .find(|r| r["source"] == source)
            .map(|r| r["report_id"].clone())
            .expect("a row for every document")
    };
    let panel = records(&out.join("panel.csv"));
    assert_eq!(panel.len(), 2, "{panel:?}");
    let unresolved = panel
        .iter()
        .find(|r| r["panel_key"] == format!("unresolved|{}", id("nameless.txt")))
        .expect("the nameless report is a panel row of its own");
    assert_eq!(unresolved["agency"], "");
    assert_eq!(unresolved["primary_report_id"], id("nameless.txt"));
    assert!(panel
        .iter()
        .any(|r| r["primary_report_id"] == id("seed.txt")
            && r["panel_key"] == "110106100|北宫镇人民政府"));
    let warnings = records(&out.join("warnings.csv"));
    assert!(warnings.iter().any(|w| w["report_id"] == id("nameless.txt")
        && w["code"] == "metadata_missing"
        && w["location"] == "metadata.agency"));
}
