//! Test kit, for the tests and `nianbao demo`: synthetic annual reports with their truth,
//! laid out as the official forms print them and rendered in the formats reports are
//! published in, a fixture district web site serving them on 127.0.0.1, and generated
//! government portals (TRS or Hanweb) that know which of their pages are reports.
//!
//! Input: a seed and a template (or a real report's expected values). Output: the
//! [`Truth`] — every figure as printed and the value it must read as — and the document
//! bytes in each format, so tests compare whole tables.

mod docx;
pub mod fuzz;
mod hostile;
mod html;
mod layout;
mod markdown;
mod portal;
mod rng;
mod score;
mod sheet;
mod site;
mod text;
mod truth;

pub use docx::render_docx;
pub use fuzz::{ClassSet, FuzzClass, FuzzRendering, FuzzedReport, Variation, SECTION_HEADINGS};
pub use hostile::{cases as hostile_cases, HostileSite};
pub use html::{render_html_page, PageEncoding};

pub use layout::{
    active_grid, applications_grid, layout, layout_with_active_sentences, review_grid, Grid,
    GridCell, Part,
};
pub use portal::{ExpectedReport, Family, Portal, PortalTruth};
pub use rng::Rng;
pub use score::{metadata_difference, score_tables, Score, Verdict};
pub use site::{paths as site_paths, FixtureSite, LoggedRequest, PublishedReport, SLOW_PAGE_DELAY};
pub use text::{flatten, render_joined, render_text, slots, Slot, TextStyle};
pub use truth::{ActiveTruth, Noise, Place, Printed, Truth, PLACES};

/// The formats a generated report can be rendered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rendering {
    Text(TextStyle),
    Html(PageEncoding),
    Docx,
}

impl Rendering {
    pub const ALL: [Rendering; 6] = [
        Rendering::Text(TextStyle::Tabbed),
        Rendering::Text(TextStyle::PipeRows),
        Rendering::Html(PageEncoding::Utf8),
        Rendering::Html(PageEncoding::Gb2312Declared),
        Rendering::Html(PageEncoding::GbkUndeclared),
        Rendering::Docx,
    ];
}

/// The document bytes of a report in one format.
pub fn render(truth: &Truth, rendering: Rendering, seed: u64) -> Vec<u8> {
    let parts = layout(truth);
    match rendering {
        Rendering::Text(style) => render_text(&parts, style).into_bytes(),
        Rendering::Html(encoding) => render_html_page(truth, &parts, encoding, seed),
        Rendering::Docx => render_docx(&parts, seed),
    }
}

/// A report as tabbed text whose title is `lines` (one line, or a title broken over
/// several) instead of the one the truth's layout prints.
pub fn render_text_titled(truth: &Truth, lines: &[&str]) -> Vec<u8> {
    let mut parts = layout(truth);
    parts.drain(..if truth.split_title { 2 } else { 1 });
    for (i, line) in lines.iter().enumerate() {
        parts.insert(i, Part::Paragraph(line.to_string()));
    }
    render_text(&parts, TextStyle::Tabbed).into_bytes()
}

/// A real report copied into the repository (`testdata/real/`), or its expected values
/// (`NAME.expected.json`).
pub fn real_report(name: &str) -> std::path::PathBuf {
    let path = repository().join("testdata/real").join(name);
    assert!(path.exists(), "{name} is not in testdata/real");
    path
}

/// A real report that may not be redistributed (`hongze-2023.pdf`): read from the
/// reference set beside the repository (`../shared/real`) when it is there; when it is
/// not, `None`, and the test is said to be skipped on the terminal.
pub fn unredistributed_report(name: &str, test: &str) -> Option<std::path::PathBuf> {
    let path = repository().join("../shared/real").join(name);
    if path.exists() {
        return Some(path);
    }
    skipped(
        test,
        &format!("{name} is not redistributed and ../shared/real is not beside the repository"),
    );
    None
}

/// Says on the terminal that a test did not run, and why. Written to stderr directly, so
/// that the test harness does not hide it with a passing test's output.
pub fn skipped(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

fn repository() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A CSV file of the output as header-keyed records, for tests that read what a run wrote.
pub fn csv_records(path: &std::path::Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}
