//! The PDF reader: a PDF's text layer → paragraphs and tables in reading order.
//!
//! Pure Rust: lopdf parses the file (and decrypts one with an empty user password);
//! this module runs each page's content stream for glyph positions and ruling lines
//! ([`content`]), decodes text through the fonts' `ToUnicode` maps ([`font`]), rebuilds
//! ruled tables and lines of text ([`layout`]), then drops running headers, footers and
//! page numbers, joins paragraphs wrapped across lines and pages, and joins a table that
//! continues on the next page. Lines outside ruled tables go through the text reader, so
//! an unruled table printed with wide gaps is read as tab-separated rows.
//!
//! A PDF without any text (scanned pages) is an error, not an empty document.

mod content;
mod font;
mod layout;

use std::collections::HashMap;

use crate::document::{Block, Cell, Document, Format, Row};
use crate::ReadError;

use layout::{Item, Line, PageTable};

pub use content::{MAX_CONTENT_BYTES, MAX_PAGE_GLYPHS};

/// Most pages read from one PDF (reports run to 5–30 pages).
pub const MAX_PDF_PAGES: usize = 500;

pub fn read_pdf(bytes: &[u8]) -> Result<Document, ReadError> {
    // A download cut short loses the end-of-file marker; what lopdf could rebuild of the
    // rest would be a report with pages missing, so it is refused whole.
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(ReadError::Corrupt(format!(
            "truncated PDF: no end-of-file marker after {} bytes",
            bytes.len()
        )));
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_CONTENT_BYTES),
        ..lopdf::LoadOptions::default()
    };
    let doc = lopdf::Document::load_mem_with_options(bytes, options)
        .map_err(|e| ReadError::Corrupt(format!("not a readable PDF: {e}")))?;
    let mut diagnostics = Vec::new();
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(ReadError::Encrypted);
    }
    if doc.was_encrypted() {
        diagnostics.push("encrypted with an empty user password: decrypted".to_string());
    }
    if let Some(recovery) = doc.xref_recovery {
        diagnostics.push(format!(
            "cross-reference data damaged and rebuilt ({recovery:?}): the file may be truncated"
        ));
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ReadError::Corrupt(
            "no pages could be read (truncated or damaged PDF)".into(),
        ));
    }
    if pages.len() > MAX_PDF_PAGES {
        diagnostics.push(format!(
            "limit: {} pages: only the first {MAX_PDF_PAGES} read",
            pages.len()
        ));
    }
    let mut fonts = HashMap::new();
    let mut page_items = Vec::new();
    let (mut images, mut glyphs, mut unmapped) = (0, 0, 0);
    for (number, id) in pages.iter().take(MAX_PDF_PAGES) {
        let page = content::run_page(&doc, *id, &mut fonts);
        images += page.images;
        glyphs += page.glyphs.len();
        unmapped += page.unmapped;
        if page.truncated {
            diagnostics.push(format!(
                "limit: page {number}: more than {MAX_PAGE_GLYPHS} glyphs, the rest not read"
            ));
        }
        for e in &page.errors {
            diagnostics.push(match e.strip_prefix(crate::LIMIT_PREFIX) {
                Some(rest) => format!("{}page {number}: {rest}", crate::LIMIT_PREFIX),
                None => format!("page {number}: {e}"),
            });
        }
        let height = page.height;
        page_items.push((height, layout::page_items(page, &mut diagnostics)));
    }
    if glyphs == 0 {
        return Err(ReadError::NoTextLayer {
            pages: pages.len(),
            images,
        });
    }
    if unmapped > 0 {
        diagnostics.push(format!(
            "{unmapped} glyphs have no Unicode mapping (font without ToUnicode) and read as U+FFFD"
        ));
    }
    drop_running_lines(&mut page_items);
    let blocks = assemble(page_items);
    Ok(Document {
        format: Format::Pdf,
        encoding: "UTF-16",
        blocks,
        page_meta: info_fields(&doc),
        diagnostics,
    })
}

/// The document information dictionary's title, as a page field.
fn info_fields(doc: &lopdf::Document) -> Vec<(String, String)> {
    let title = doc
        .trailer
        .get_deref(b"Info", doc)
        .and_then(lopdf::Object::as_dict)
        .and_then(|info| info.get_deref(b"Title", doc))
        .and_then(lopdf::Object::as_str)
        .ok()
        .map(|bytes| text_string(bytes).trim().to_string())
        .filter(|t| !t.is_empty());
    title
        .map(|t| vec![("标题".to_string(), t)])
        .unwrap_or_default()
}

/// A PDF text string: UTF-16 with its byte-order mark (big-endian by the standard,
/// little-endian from some Chinese producers), UTF-8 with one, else PDFDocEncoding — or
/// GBK, which producers here write too.
fn text_string(bytes: &[u8]) -> String {
    let decode = |encoding: &'static encoding_rs::Encoding, body: &[u8]| {
        encoding.decode_without_bom_handling(body).0.into_owned()
    };
    match bytes {
        [0xFE, 0xFF, rest @ ..] => decode(encoding_rs::UTF_16BE, rest),
        [0xFF, 0xFE, rest @ ..] => decode(encoding_rs::UTF_16LE, rest),
        [0xEF, 0xBB, 0xBF, rest @ ..] => decode(encoding_rs::UTF_8, rest),
        _ if bytes.is_ascii() => String::from_utf8_lossy(bytes).into_owned(),
        _ => {
            match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(text) => text.into_owned(),
                None => bytes.iter().map(|&b| char::from(b)).collect(),
            }
        }
    }
}

/// Page numbers, and lines repeated at the top or bottom of most pages (running heads,
/// footers), are not part of the report.
fn drop_running_lines(pages: &mut [(f64, Vec<Item>)]) {
    let margin = |height: f64, line: &Line| line.base < 0.1 * height || line.top > 0.9 * height;
    let shape = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let mut repeats: HashMap<String, usize> = HashMap::new();
    for (height, items) in pages.iter() {
        let mut seen: Vec<String> = Vec::new();
        for item in items {
            if let Item::Line(line) = item {
                let s = shape(&line.text);
                if margin(*height, line) && !seen.contains(&s) {
                    *repeats.entry(s.clone()).or_default() += 1;
                    seen.push(s);
                }
            }
        }
    }
    let many = (pages.len() / 2).max(2);
    for (height, items) in pages.iter_mut() {
        items.retain(|item| match item {
            Item::Line(line) if margin(*height, line) => {
                !(is_page_number(&line.text) || repeats.get(&shape(&line.text)) >= Some(&many))
            }
            _ => true,
        });
    }
}

/// `3`, `- 3 -`, `—3—`, `第3页`, `第 3 页 共 5 页`, `3/5`.
fn is_page_number(text: &str) -> bool {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '—' | '–' | '－' | '·'))
        .collect();
    let rest = t.trim_matches(|c: char| c.is_ascii_digit());
    let digits = t.chars().any(|c| c.is_ascii_digit());
    digits
        && (rest.is_empty()
            || t.chars().all(|c| c.is_ascii_digit() || c == '/')
            || t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '第' | '页' | '共')))
}

/// Lines become paragraphs (a line wrapped at the right margin continues on the next
/// unindented line, across a page break too), runs of paragraphs go through the text
/// reader, and a table cut by a page break is joined with its continuation.
fn assemble(pages: Vec<(f64, Vec<Item>)>) -> Vec<Block> {
    let all_lines = || {
        pages.iter().flat_map(|(_, items)| {
            items.iter().filter_map(|i| match i {
                Item::Line(l) => Some(l),
                Item::Table(_) => None,
            })
        })
    };
    let left = all_lines().map(|l| l.x0).fold(f64::MAX, f64::min);
    let right = all_lines().map(|l| l.x1).fold(f64::MIN, f64::max);

    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut last_line: Option<Line> = None;
    let mut last_table: Option<PageTable> = None;
    for (_, items) in pages {
        let mut page_break = true;
        for item in items {
            match item {
                Item::Line(line) => {
                    if let Some(t) = last_table.take() {
                        blocks.push(Block::Table(t.table));
                    }
                    let continues = last_line.as_ref().is_some_and(|prev| {
                        (prev.size - line.size).abs() <= 0.15 * line.size
                            && prev.x1 >= right - 1.5 * line.size
                            && line.x0 <= left + 0.5 * line.size
                            && (page_break || line.top - prev.base < 1.2 * line.size)
                    });
                    if !continues && !text.is_empty() {
                        text.push('\n');
                    }
                    if continues && ends_and_starts_ascii(&text, &line.text) {
                        text.push(' ');
                    }
                    text.push_str(&line.text);
                    last_line = Some(line);
                }
                Item::Table(table) => {
                    flush_text(&mut text, &mut blocks);
                    last_line = None;
                    last_table = match last_table.take() {
                        Some(mut prev) if page_break && same_columns(&prev, &table) => {
                            let mut rows = table.table.rows;
                            // Merged cells cut by the break leave empty stubs before the
                            // first cell with text; the cells above already cover them.
                            if let Some(first) = rows.first_mut() {
                                let stubs =
                                    first.cells.iter().take_while(|c| c.text.is_empty()).count();
                                first.cells.drain(..stubs);
                            }
                            rows.retain(|r| !r.cells.is_empty());
                            let mut rows = rows.into_iter().peekable();
                            if let (Some(last), Some(first)) =
                                (prev.table.rows.last_mut(), rows.peek())
                            {
                                if continues_row(last, first) {
                                    for cell in first.cells.iter().filter(|c| !c.text.is_empty()) {
                                        if let Some(above) =
                                            last.cells.iter_mut().find(|a| a.col == cell.col)
                                        {
                                            above.text.push('\n');
                                            above.text.push_str(&cell.text);
                                        }
                                    }
                                    rows.next();
                                }
                            }
                            prev.table.rows.extend(rows);
                            Some(prev)
                        }
                        Some(prev) => {
                            blocks.push(Block::Table(prev.table));
                            Some(table)
                        }
                        None => Some(table),
                    };
                }
            }
            page_break = false;
        }
    }
    flush_text(&mut text, &mut blocks);
    if let Some(t) = last_table {
        blocks.push(Block::Table(t.table));
    }
    blocks
}

fn ends_and_starts_ascii(text: &str, next: &str) -> bool {
    text.chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && next
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

fn flush_text(text: &mut String, blocks: &mut Vec<Block>) {
    if !text.is_empty() {
        blocks.extend(crate::text::read_text(text, "UTF-16").blocks);
        text.clear();
    }
}

/// Whether the first row after a page break is the rest of the row the break cut: only
/// cells that have text above carry text, some are empty, and the text does not start a
/// numbered item of its own (`3.`, `（四）`, `二、`).
fn continues_row(last: &Row, first: &Row) -> bool {
    let with_text: Vec<&Cell> = first.cells.iter().filter(|c| !c.text.is_empty()).collect();
    !with_text.is_empty()
        && with_text.len() < first.cells.len()
        && with_text.iter().all(|c| {
            last.cells
                .iter()
                .any(|above| above.col == c.col && !above.text.is_empty())
        })
        && !starts_numbered_item(&with_text[0].text)
}

fn starts_numbered_item(text: &str) -> bool {
    let mut chars = text.chars();
    let first = chars.next();
    let second = chars.next();
    match (first, second) {
        (Some('（' | '('), _) => true,
        (Some(c), Some('.' | '、' | '．')) => {
            c.is_ascii_digit() || "一二三四五六七八九十".contains(c)
        }
        (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => text
            .chars()
            .nth(2)
            .is_some_and(|e| matches!(e, '.' | '、' | '．')),
        _ => false,
    }
}

/// A table continues across a page break when its columns sit where the last one's did.
fn same_columns(a: &PageTable, b: &PageTable) -> bool {
    a.columns.len() == b.columns.len()
        && a.columns
            .iter()
            .zip(&b.columns)
            .all(|(x, y)| (x - y).abs() <= 3.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_recognised() {
        for t in [
            "3",
            "- 3 -",
            "—12—",
            "第3页",
            "第 3 页 共 5 页",
            "3/5",
            "-1-",
        ] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["2023年", "一、总体情况", "第三章", "共5件"] {
            assert!(!is_page_number(t), "{t}");
        }
    }
}
