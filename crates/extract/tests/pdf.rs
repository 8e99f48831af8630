//! PDF reports: generated reports printed to PDF by LibreOffice extract to the generator's
//! truth, cell for cell (committed fixtures always; a fresh round trip over many seeds
//! where `soffice` is installed); PDFs that cannot be read fail with their reason.
//! The real hongze-2023.pdf is in `real.rs`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_is_truth, read_file, repo_path};
use nianbao_extract::extract;
use nianbao_model::Template;
use nianbao_read::{read, ReadError};
use nianbao_testkit::{render, Noise, Rendering, Truth};

fn fixture(name: &str) -> Vec<u8> {
    read_file(&repo_path(&format!("crates/extract/tests/pdf/{name}")))
}

#[test]
fn generated_reports_printed_by_libreoffice_extract_to_their_truth() {
    // Made by scripts/pdf-fixtures.sh: tables cut by page breaks, rows split across
    // pages, labels wrapped in narrow cells, full-width digits and blank cells.
    for (name, seed, template) in [
        ("gen-7-2021.pdf", 7, Template::T2021),
        ("gen-8-2019.pdf", 8, Template::T2019),
    ] {
        let truth = Truth::random(seed, template, Noise::ALL);
        let doc = read(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_is_truth(&extract(&doc), &truth, name);
    }
}

#[test]
fn a_pdf_with_only_an_owner_password_is_read() {
    let doc =
        read(&fixture("encrypted-owner-password-only.pdf")).expect("opens without a password");
    assert!(doc.diagnostics.iter().any(|d| d.contains("decrypted")));
    let truth = Truth::random(7, Template::T2021, Noise::ALL);
    assert_is_truth(&extract(&doc), &truth, "owner password only");
}

#[test]
fn unreadable_pdfs_fail_with_their_reason() {
    let err = read(&fixture("encrypted-open-password.pdf")).unwrap_err();
    assert_eq!(err, ReadError::Encrypted);
    assert!(err.to_string().contains("password"), "{err}");

    let err = read(&fixture("scanned.pdf")).unwrap_err();
    assert_eq!(
        err,
        ReadError::NoTextLayer {
            pages: 2,
            images: 2
        }
    );
    assert!(
        err.to_string().starts_with("no text layer (scanned)"),
        "{err}"
    );

    let whole = fixture("gen-7-2021.pdf");
    for cut in [whole.len() / 3, whole.len() - 200] {
        let err = read(&whole[..cut]).unwrap_err();
        assert!(err.to_string().contains("truncated PDF"), "{cut}: {err}");
    }
    let err = read(b"%PDF-1.7\n%%EOF\n").unwrap_err();
    assert!(matches!(err, ReadError::Corrupt(_)), "{err}");
}

/// LibreOffice, or `None` with the test said to be skipped on the terminal.
fn soffice(test: &str) -> Option<PathBuf> {
    let found = ["soffice", "libreoffice"].iter().find_map(|name| {
        let found = Command::new(name).arg("--version").output().ok()?;
        found.status.success().then(|| PathBuf::from(name))
    });
    if found.is_none() {
        nianbao_testkit::skipped(test, "soffice (LibreOffice) is not installed");
    }
    found
}

/// Prints every DOCX in `dir` to PDF with LibreOffice, a few dozen per run; a file a run
/// missed is printed again on its own.
fn print_to_pdf(soffice: &Path, dir: &Path, names: &[String]) {
    let run = |batch: &[String]| {
        let output = Command::new(soffice)
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(dir)
            .args(batch.iter().map(|n| dir.join(n)))
            .env("HOME", dir) // a profile of its own, so a running instance is not joined
            .output()
            .expect("soffice runs");
        assert!(output.status.success(), "{output:?}");
    };
    for batch in names.chunks(40) {
        run(batch);
    }
    for name in names {
        if !dir.join(name.replace(".docx", ".pdf")).exists() {
            eprintln!("{name}: printed again, the batch run missed it");
            run(std::slice::from_ref(name));
        }
    }
}

#[test]
fn generated_reports_round_trip_through_libreoffice_pdf() {
    let Some(soffice) = soffice("generated_reports_round_trip_through_libreoffice_pdf") else {
        return;
    };
    const SEEDS: u64 = 20;
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut cases = Vec::new();
    for template in [Template::T2021, Template::T2019] {
        for seed in 100..100 + SEEDS {
            let truth = Truth::random(seed, template, Noise::ALL);
            let name = format!("r{seed}-{template:?}.docx");
            std::fs::write(
                dir.path().join(&name),
                render(&truth, Rendering::Docx, seed),
            )
            .expect("write DOCX");
            cases.push((name, truth));
        }
    }
    let names: Vec<String> = cases.iter().map(|(n, _)| n.clone()).collect();
    print_to_pdf(&soffice, dir.path(), &names);
    for (name, truth) in &cases {
        let pdf = dir.path().join(name.replace(".docx", ".pdf"));
        let doc = read(&read_file(&pdf)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.format.as_str(), "pdf");
        assert_is_truth(&extract(&doc), truth, name);
    }
}

#[test]
fn fuzzed_layouts_round_trip_through_libreoffice_pdf() {
    use nianbao_testkit::{
        metadata_difference, score_tables, ClassSet, FuzzRendering, FuzzedReport,
    };
    let Some(soffice) = soffice("fuzzed_layouts_round_trip_through_libreoffice_pdf") else {
        return;
    };
    const SEEDS: u64 = 40;
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut cases = Vec::new();
    for seed in 0..SEEDS {
        let fuzzed = FuzzedReport::draw(seed, ClassSet::ALL);
        let name = format!("fuzz-{seed}.docx");
        std::fs::write(dir.path().join(&name), fuzzed.render(FuzzRendering::Docx))
            .expect("write DOCX");
        cases.push((name, fuzzed));
    }
    let names: Vec<String> = cases.iter().map(|(n, _)| n.clone()).collect();
    print_to_pdf(&soffice, dir.path(), &names);
    let mut failing = Vec::new();
    let mut raw_differs = 0;
    for (name, fuzzed) in &cases {
        let pdf = dir.path().join(name.replace(".docx", ".pdf"));
        let doc = read(&read_file(&pdf)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = extract(&doc);
        let score = score_tables(&report, &fuzzed.truth);
        assert_eq!(score.wrong, 0, "{name}: {:?}", score.first_wrong);
        let metadata = metadata_difference(&report, &fuzzed.truth);
        raw_differs += score.raw_differs;
        // Every value and the metadata; the raw text may differ in how the PDF lays out
        // a cell's characters (`0 件` for `0件`), which the values read past.
        let values_exact = score.empty == 0 && score.extra == 0;
        if !values_exact || metadata.is_some() {
            failing.push(format!(
                "{name} [{}]: {:?} {metadata:?}",
                fuzzed.variation.summary(),
                score.first_difference,
            ));
        }
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "fuzzed PDFs: {} of {SEEDS} with every value right ({raw_differs} raw texts laid out otherwise)\n{}\n",
            SEEDS as usize - failing.len(),
            failing.join("\n")
        )
        .as_bytes(),
    );
    assert!(
        failing.is_empty(),
        "{} not exact:\n{}",
        failing.len(),
        failing.join("\n")
    );
}
