//! Bad input gets a clear reason, within bounded time and memory, and the batch goes on.

use std::io::Write;
use std::time::{Duration, Instant};

use nianbao_export::{process_bytes, run_batch, BatchOptions, Input};
use nianbao_model::{Status, Template};
use nianbao_read::MAX_TABLES;
use nianbao_testkit::{render, Noise, Rendering, Truth};

/// Generous bound for a debug build on a slow machine: a hang or a quadratic blow-up
/// exceeds it by far, a working limit check stays well inside.
const BOUND: Duration = Duration::from_secs(20);

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn good_docx() -> Vec<u8> {
    let truth = Truth::random(3, Template::T2021, Noise::default());
    render(&truth, Rendering::Docx, 3)
}

/// Processes the bytes and returns (status, error), checking the time bound.
fn outcome(name: &str, bytes: &[u8]) -> (Status, String) {
    let started = Instant::now();
    let result = process_bytes(name, bytes);
    assert!(
        started.elapsed() < BOUND,
        "{name} took {:?}",
        started.elapsed()
    );
    (result.report.status, result.report.error)
}

fn assert_failed(name: &str, bytes: &[u8], reason: &str) {
    let (status, error) = outcome(name, bytes);
    assert_eq!(status, Status::Failed, "{name}: {error}");
    assert!(error.contains(reason), "{name}: {error}");
}

#[test]
fn a_docx_that_is_not_a_zip() {
    assert_failed(
        "x.docx",
        b"PK\x03\x04 this is not a zip archive",
        "not a readable zip archive",
    );
}

#[test]
fn a_truncated_docx() {
    let docx = good_docx();
    assert_failed("cut.docx", &docx[..docx.len() / 2], "corrupt document");
}

#[test]
fn a_zip_without_a_word_document() {
    let bytes = zip_with(&[("hello.txt", b"hello")]);
    assert_failed("other.docx", &bytes, "no word/document.xml");
}

#[test]
fn a_zip_bomb_by_ratio() {
    // 8 MiB of one byte deflates to a few kilobytes: a ratio in the thousands.
    let xml = vec![b' '; 8 * 1024 * 1024];
    let bytes = zip_with(&[("word/document.xml", &xml)]);
    assert!(bytes.len() < 100 * 1024);
    assert_failed("bomb.docx", &bytes, "zip bomb");
}

#[test]
fn a_zip_bomb_by_size() {
    // Past the absolute limit, whatever the ratio: read no further than the limit.
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    writer.start_file("word/document.xml", options).unwrap();
    let chunk = vec![b'a'; 1024 * 1024];
    for _ in 0..(nianbao_read::MAX_XML_BYTES / (1024 * 1024) + 2) {
        writer.write_all(&chunk).unwrap();
    }
    let bytes = writer.finish().unwrap().into_inner();
    assert_failed("huge.docx", &bytes, "inflates past");
}

#[test]
fn xml_entity_expansion_is_not_performed() {
    let mut xml = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        xml.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str("]><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>");
    let bytes = zip_with(&[("word/document.xml", xml.as_bytes())]);
    let started = Instant::now();
    let result = process_bytes("lol.docx", &bytes);
    assert!(started.elapsed() < BOUND);
    assert_eq!(
        result.report.status,
        Status::Failed,
        "{}",
        result.report.error
    );
    assert!(result
        .report
        .warnings
        .iter()
        .any(|w| w.message.contains("entities are not expanded")));
}

#[test]
fn xml_nested_too_deep() {
    let xml = format!(
        "<w:document xmlns:w=\"w\"><w:body>{}</w:body></w:document>",
        "<w:sdt>".repeat(5000) + &"</w:sdt>".repeat(5000)
    );
    let bytes = zip_with(&[("word/document.xml", xml.as_bytes())]);
    assert_failed("deep.docx", &bytes, "deeper than");
}

#[test]
fn a_huge_html_page() {
    let mut page = String::from("<html><body><div>");
    while page.len() < 50 * 1024 * 1024 {
        page.push_str("<p>一、总体情况 这是一段很长的重复内容，用来测试页面大小的限制。</p>");
    }
    assert_failed("huge.html", page.as_bytes(), "exceeds the");
}

#[test]
fn a_page_with_no_article() {
    let page = "<html><head><title>首页</title></head><body><div class=\"nav\"><a href=\"/\">首页</a><a href=\"/a\">政务公开</a></div></body></html>";
    assert_failed(
        "empty.html",
        page.as_bytes(),
        "not recognised as an annual report",
    );
}

#[test]
fn binary_garbage_named_html() {
    let garbage: Vec<u8> = (0u32..20_000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_failed("garbage.html", &garbage, "binary data");
}

#[test]
fn a_docx_with_no_tables_is_partial_or_failed_with_a_reason() {
    let xml = "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>北京市丰台区北宫镇人民政府2024年政府信息公开工作年度报告</w:t></w:r></w:p><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p><w:p><w:r><w:t>本年度工作平稳有序。</w:t></w:r></w:p></w:body></w:document>";
    let bytes = zip_with(&[("word/document.xml", xml.as_bytes())]);
    let (status, error) = outcome("notables.docx", &bytes);
    assert_eq!(status, Status::Partial);
    assert!(error.contains("no statistical tables"), "{error}");
}

#[test]
fn the_batch_goes_on_around_bad_documents() {
    let dir = tempfile::tempdir().unwrap();
    let good = render(
        &Truth::random(9, Template::T2019, Noise::ALL),
        Rendering::Docx,
        9,
    );
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "a-bomb.docx",
            zip_with(&[("word/document.xml", &vec![b' '; 4 * 1024 * 1024])]),
        ),
        ("b-good.docx", good),
        ("c-cut.docx", good_docx()[..500].to_vec()),
    ];
    let mut inputs = Vec::new();
    for (name, bytes) in &files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        inputs.push(Input {
            path,
            source: name.to_string(),
            provenance: None,
            problem: None,
        });
    }
    let out = dir.path().join("out");
    let summary = run_batch(inputs.as_slice(), &out, &Default::default(), &|_| {}).unwrap();
    assert_eq!((summary.ok, summary.failed), (1, 2));
    let reports = std::fs::read_to_string(out.join("reports.csv")).unwrap();
    assert!(reports
        .lines()
        .any(|l| l.contains("b-good.docx") && l.contains(",\"ok\",")));
    let applications = std::fs::read_to_string(out.join("applications.csv")).unwrap();
    assert_eq!(applications.lines().count(), 1 + 23 * 7);
}

/// Writes each (name, bytes) into `dir` and returns the batch inputs.
fn inputs_in(dir: &std::path::Path, files: &[(&str, Vec<u8>)]) -> Vec<Input> {
    files
        .iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            Input {
                path,
                source: name.to_string(),
                provenance: None,
                problem: None,
            }
        })
        .collect()
}

#[test]
fn a_stuck_document_is_failed_by_the_watchdog_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(&str, Vec<u8>)> = (0..3)
        .map(|i| {
            let truth = Truth::random(i, Template::T2021, Noise::ALL);
            (
                ["a.docx", "b.docx", "c.docx"][i as usize],
                render(&truth, Rendering::Docx, i),
            )
        })
        .collect();
    let inputs = inputs_in(dir.path(), &files);
    // At the edge: no document can be read in a microsecond; all are failed, with the
    // limit named, and the run still finishes and writes its files.
    let out = dir.path().join("tight");
    let tight = BatchOptions {
        time_limit: Duration::from_micros(1),
        ..BatchOptions::default()
    };
    let summary = run_batch(inputs.as_slice(), &out, &tight, &|_| {}).unwrap();
    assert_eq!((summary.ok, summary.failed), (0, 3));
    let reports = std::fs::read_to_string(out.join("reports.csv")).unwrap();
    assert_eq!(
        reports.matches("stuck document, abandoned").count(),
        3,
        "{reports}"
    );
    // Under the default limit the same documents are read.
    let out = dir.path().join("default");
    let summary = run_batch(inputs.as_slice(), &out, &BatchOptions::default(), &|_| {}).unwrap();
    assert_eq!((summary.ok, summary.failed), (3, 0));
}

#[test]
fn tables_per_document_are_bounded_at_the_edge() {
    let page = |tables: usize| {
        let mut html = String::from("<html><body><div class=\"TRS_Editor\"><p>一、总体情况</p>");
        for i in 0..tables {
            html.push_str(&format!(
                "<table><tr><td>行{i}</td><td>{i}</td></tr></table>"
            ));
        }
        html.push_str("</div></body></html>");
        html.into_bytes()
    };
    let at_limit = process_bytes("many.html", &page(MAX_TABLES));
    assert_ne!(
        at_limit.report.status,
        Status::Failed,
        "{}",
        at_limit.report.error
    );
    assert_failed(
        "too-many.html",
        &page(MAX_TABLES + 1),
        "tables in one document",
    );
}

#[test]
fn a_document_cut_by_a_bound_is_partial_with_the_bound_named() {
    let mut html = String::from(
        "<html><body><div class=\"TRS_Editor\"><p>北京市丰台区北宫镇人民政府2024年政府信息公开工作年度报告</p><p>一、总体情况</p><table>",
    );
    for row in 0..=nianbao_read::MAX_TABLE_CELLS / 10 {
        html.push_str("<tr>");
        for col in 0..10 {
            html.push_str(&format!("<td>{row}-{col}</td>"));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table></div></body></html>");
    let result = process_bytes("cut.html", html.as_bytes());
    assert_eq!(
        result.report.status,
        Status::Partial,
        "{}",
        result.report.error
    );
    assert!(
        result
            .report
            .error
            .contains("limit: table cut at the grid limits"),
        "{}",
        result.report.error
    );
}
