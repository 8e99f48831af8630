//! The same report in other encodings and flattenings gives the same tables.

mod common;

use common::{active_map, applications_map, review_map, seed_text};
use nianbao_extract::extract;
use nianbao_model::{Report, Status};
use nianbao_read::{read, read_text, Block, Document};

fn same_tables(a: &Report, b: &Report) {
    assert_eq!(applications_map(a), applications_map(b));
    assert_eq!(review_map(a), review_map(b));
    assert_eq!(active_map(a), active_map(b));
    assert_eq!(a.metadata, b.metadata);
    assert_eq!(a.template, b.template);
}

/// Flattenings that print a one-cell row (第二十条第（一）项) as a bare line make it
/// indistinguishable from a paragraph; the encodings keep everything.
fn same_report(a: &Report, b: &Report) {
    same_tables(a, b);
    assert_eq!(a.sections, b.sections);
    assert_eq!(a.checks, b.checks);
    assert_eq!(a.warnings, b.warnings);
}

fn seed_report() -> Report {
    let report = extract(&read_text(&seed_text(), "UTF-8"));
    assert_eq!(applications_map(&report).len(), 25 * 7);
    report
}

#[test]
fn gb18030_bytes_give_the_same_report() {
    let text = seed_text();
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "really GBK-family bytes"
    );
    let doc = read(&bytes).unwrap();
    assert_eq!(doc.encoding, "gb18030");
    same_report(&extract(&doc), &seed_report());
}

#[test]
fn utf16_and_bom_variants_give_the_same_report() {
    let text = seed_text();
    let mut utf16le = vec![0xFF, 0xFE];
    utf16le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
    utf8_bom.extend(text.as_bytes());
    let crlf = text.replace('\n', "\r\n");
    for bytes in [utf16le, utf8_bom, crlf.into_bytes()] {
        same_report(&extract(&read(&bytes).unwrap()), &seed_report());
    }
}

/// Renders a document's tables in one of the `|` flattenings saved pages show.
fn render_with_pipes(doc: &Document, one_line_rows: bool) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => {
                out.push_str(p);
                out.push('\n');
            }
            Block::Table(t) => {
                out.push('\n');
                for row in &t.rows {
                    let cells: Vec<String> = row.texts().map(|c| c.replace('\n', "")).collect();
                    if one_line_rows {
                        out.push_str(&format!("| {} |\n", cells.join(" | ")));
                    } else {
                        out.push_str(&cells.join("\n|\n").replace("\n\n", "\n"));
                        out.push_str("\n\n");
                    }
                }
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn pipe_flattened_variants_give_the_same_tables() {
    let doc = read_text(&seed_text(), "UTF-8");
    for one_line_rows in [true, false] {
        let text = render_with_pipes(&doc, one_line_rows);
        assert!(!text.contains('\t'));
        let report = extract(&read_text(&text, "UTF-8"));
        assert_eq!(
            report.status,
            Status::Ok,
            "{}: {}",
            one_line_rows,
            report.error
        );
        same_tables(&report, &seed_report());
    }
}

#[test]
fn tab_separated_rows_give_the_same_tables() {
    let doc = read_text(&seed_text(), "UTF-8");
    let mut text = String::new();
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => text.push_str(&format!("{p}\n")),
            Block::Table(t) => {
                for row in &t.rows {
                    let cells: Vec<String> = row.texts().map(|c| c.replace('\n', "")).collect();
                    text.push_str(&format!("{}\n", cells.join("\t")));
                }
            }
        }
    }
    // The first sub-table title follows a paragraph, so it reads as one; the rest is equal.
    let report = extract(&read_text(&text, "UTF-8"));
    same_tables(&report, &seed_report());
    let headings = |r: &Report| {
        r.sections
            .iter()
            .map(|s| s.heading.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(headings(&report), headings(&seed_report()));
    assert_eq!(report.checks, seed_report().checks);
}
