//! Word 97 (.doc) attachments, still common on government sites: converted by LibreOffice
//! and read like DOCX, to the generator's truth. Skipped with a message where LibreOffice
//! is not installed (the failure path is tested in nianbao-read).

mod common;

use std::process::Command;

use common::{assert_is_truth, read_file};
use nianbao_extract::extract;
use nianbao_model::Template;
use nianbao_read::{find_soffice, read, Format};
use nianbao_testkit::{render, Noise, Rendering, Truth};

#[test]
fn doc_attachments_are_read_through_libreoffice() {
    let Some(soffice) = find_soffice() else {
        nianbao_testkit::skipped(
            "doc_attachments_are_read_through_libreoffice",
            "soffice (LibreOffice) is not installed",
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut cases = Vec::new();
    for (seed, template) in [(11, Template::T2021), (12, Template::T2019)] {
        let truth = Truth::random(seed, template, Noise::ALL);
        let name = format!("d{seed}.docx");
        std::fs::write(
            dir.path().join(&name),
            render(&truth, Rendering::Docx, seed),
        )
        .unwrap();
        cases.push((name, truth));
    }
    // Word 97 files made from the generated DOCX.
    let output = Command::new(&soffice)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "doc",
            "--outdir",
        ])
        .arg(dir.path())
        .args(cases.iter().map(|(n, _)| dir.path().join(n)))
        .env("HOME", dir.path())
        .output()
        .expect("soffice runs");
    assert!(output.status.success(), "{output:?}");
    for (name, truth) in &cases {
        let bytes = read_file(&dir.path().join(name.replace(".docx", ".doc")));
        assert!(bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]), "an OLE file");
        let doc = read(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.format, Format::LegacyOffice);
        assert_is_truth(&extract(&doc), truth, name);
    }
}
