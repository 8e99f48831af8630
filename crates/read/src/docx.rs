//! The DOCX reader: a Word attachment → paragraphs and tables in body order.
//!
//! Reads `word/document.xml` from the zip with its inflated size bounded, and streams the
//! XML (no DTD, no entity expansion). Tables: `gridSpan`, `vMerge`, legacy `hMerge` and
//! `gridBefore` resolved (`gridAfter` needs nothing); line breaks inside cells kept; a table holding other
//! tables is layout, read as blocks. Content controls (`w:sdt`), simple fields, smart tags
//! and tracked insertions are read through; deleted text and field codes are not;
//! `mc:AlternateContent` contributes its first choice only.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::document::{
    Block, Document, Format, TableBuilder, MAX_DOCUMENT_CELLS, MAX_DOCUMENT_PARAGRAPHS, TABLE_CUT,
};
use crate::ReadError;

/// Largest `word/document.xml` inflated; a zip entry inflating past it is refused.
pub const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;
/// Largest inflation ratio accepted for an entry of more than a mebibyte (a zip bomb's is
/// in the thousands; Word's XML compresses about tenfold).
pub const MAX_INFLATION_RATIO: u64 = 100;
/// Deepest XML element nesting accepted.
pub const MAX_XML_DEPTH: usize = 256;

pub fn read_docx(bytes: &[u8]) -> Result<Document, ReadError> {
    let xml = document_xml(bytes)?;
    let mut parser = Parser::default();
    parser.parse(&xml)?;
    let mut blocks = Vec::new();
    let mut diagnostics = parser.diagnostics;
    for node in parser.body {
        node.into_blocks(&mut blocks, &mut diagnostics);
    }
    Ok(Document {
        format: Format::Docx,
        encoding: "UTF-8",
        blocks,
        page_meta: Vec::new(),
        diagnostics,
    })
}

/// The main document part, inflated within the limits.
fn document_xml(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    let corrupt = |why: String| ReadError::Corrupt(why);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| corrupt(format!("not a readable zip archive: {e}")))?;
    let mut entry = archive.by_name("word/document.xml").map_err(|e| {
        corrupt(format!(
            "no word/document.xml in the archive ({e}): not a Word document"
        ))
    })?;
    let compressed = entry.compressed_size();
    let mut xml = Vec::new();
    (&mut entry)
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| corrupt(format!("word/document.xml cannot be inflated: {e}")))?;
    let inflated = xml.len() as u64;
    if inflated > MAX_XML_BYTES {
        return Err(ReadError::LimitExceeded(format!(
            "word/document.xml inflates past {MAX_XML_BYTES} bytes"
        )));
    }
    if !inflation_allowed(inflated, compressed) {
        return Err(ReadError::LimitExceeded(format!(
            "word/document.xml inflates {inflated} bytes from {compressed}: more than {MAX_INFLATION_RATIO}× (zip bomb?)"
        )));
    }
    Ok(xml)
}

/// Whether an entry inflating to `inflated` bytes from `compressed` is within the bounds
/// (the size bound is checked while inflating).
fn inflation_allowed(inflated: u64, compressed: u64) -> bool {
    inflated <= 1024 * 1024 || inflated <= compressed.saturating_mul(MAX_INFLATION_RATIO)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Merge {
    #[default]
    None,
    Restart,
    Continue,
}

#[derive(Debug, Default)]
struct RawCell {
    span: usize,
    vmerge: Merge,
    hmerge: Merge,
    content: Vec<Node>,
}

#[derive(Debug, Default)]
struct RawRow {
    grid_before: usize,
    cells: Vec<RawCell>,
}

#[derive(Debug, Default)]
struct RawTable {
    rows: Vec<RawRow>,
}

#[derive(Debug)]
enum Node {
    Paragraph(String),
    Table(RawTable),
}

impl Node {
    /// The node's text, a table's cells one per line.
    fn into_text(self) -> String {
        match self {
            Node::Paragraph(p) => p,
            Node::Table(t) => lines(
                t.rows
                    .into_iter()
                    .flat_map(|r| r.cells)
                    .flat_map(|c| c.content),
            ),
        }
    }

    fn into_blocks(self, blocks: &mut Vec<Block>, diagnostics: &mut Vec<String>) {
        match self {
            Node::Paragraph(p) if !p.contains('\n') => {
                // One line, the usual case: the String moves on when nothing is trimmed.
                let line = p.trim_matches(crate::is_trim_char);
                if line.len() == p.len() {
                    if !p.is_empty() {
                        blocks.push(Block::Paragraph(p));
                    }
                } else if !line.is_empty() {
                    blocks.push(Block::Paragraph(line.to_string()));
                }
            }
            Node::Paragraph(p) => {
                for line in p.split('\n') {
                    let line = line.trim_matches(crate::is_trim_char);
                    if !line.is_empty() {
                        blocks.push(Block::Paragraph(line.to_string()));
                    }
                }
            }
            Node::Table(table) if table.has_nested_table() => {
                // A layout table: its cells are the document's blocks.
                for row in table.rows {
                    for cell in row.cells {
                        for node in cell.content {
                            node.into_blocks(blocks, diagnostics);
                        }
                    }
                }
            }
            Node::Table(table) => {
                let (table, truncated) = table.resolve();
                if truncated {
                    diagnostics.push(TABLE_CUT.into());
                }
                if !table.rows.is_empty() {
                    blocks.push(Block::Table(table));
                }
            }
        }
    }
}

/// The texts of these nodes, one per line; the first one's String reused.
fn lines(nodes: impl IntoIterator<Item = Node>) -> String {
    let mut texts = nodes.into_iter().map(Node::into_text);
    let first = texts.next().unwrap_or_default();
    texts.fold(first, |mut text, next| {
        text.push('\n');
        text.push_str(&next);
        text
    })
}

impl RawTable {
    fn has_nested_table(&self) -> bool {
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .any(|c| c.content.iter().any(|n| matches!(n, Node::Table(_))))
    }

    /// Grid columns of each cell, then row spans from `vMerge` runs, into the shared model.
    fn resolve(self) -> (crate::Table, bool) {
        // (grid column, span, vmerge, text) per cell, horizontal merges folded first.
        let rows: Vec<Vec<(usize, usize, Merge, String)>> = self
            .rows
            .into_iter()
            .map(|row| {
                let mut col = row.grid_before;
                let mut cells: Vec<(usize, usize, Merge, String)> =
                    Vec::with_capacity(row.cells.len());
                for cell in row.cells {
                    let span = cell.span.max(1);
                    if cell.hmerge == Merge::Continue {
                        if let Some(last) = cells.last_mut() {
                            last.1 += span;
                            col += span;
                            continue;
                        }
                    }
                    cells.push((col, span, cell.vmerge, lines(cell.content)));
                    col += span;
                }
                cells
            })
            .collect();
        // Row spans first: the texts move into the table after.
        let row_spans: Vec<Vec<usize>> = rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .map(|(col, _, vmerge, _)| match vmerge {
                        Merge::Restart => {
                            1 + rows[r + 1..]
                                .iter()
                                .take_while(|below| {
                                    below
                                        .iter()
                                        .any(|(c, _, m, _)| c == col && *m == Merge::Continue)
                                })
                                .count()
                        }
                        _ => 1,
                    })
                    .collect()
            })
            .collect();
        let mut builder = TableBuilder::new();
        for (row, spans) in rows.into_iter().zip(row_spans) {
            builder.start_row();
            for ((col, span, vmerge, text), row_span) in row.into_iter().zip(spans) {
                if vmerge == Merge::Continue {
                    continue; // covered by the cell that restarted the merge above
                }
                builder.skip_to_column(col);
                builder.push_cell(text, row_span, span);
            }
            builder.end_row();
        }
        builder.finish()
    }
}

/// What is open while streaming the XML.
#[derive(Debug)]
enum Frame {
    Table(RawTable),
    Row(RawRow),
    Cell(RawCell),
    Paragraph(String),
}

#[derive(Default)]
struct Parser {
    body: Vec<Node>,
    stack: Vec<Frame>,
    diagnostics: Vec<String>,
    /// Table cells opened so far, all tables together.
    cells: usize,
    /// Paragraphs opened so far, in cells or not.
    paragraphs: usize,
}

fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|&b| b == b':').next().unwrap_or(name)
}

fn val(e: &BytesStart<'_>) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| local(a.key.as_ref()) == b"val")
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

fn merge_of(e: &BytesStart<'_>) -> Merge {
    match val(e).as_deref() {
        Some("restart") => Merge::Restart,
        _ => Merge::Continue,
    }
}

/// Elements whose content is not document text.
fn skipped(name: &[u8]) -> bool {
    matches!(
        name,
        b"instrText" | b"delText" | b"del" | b"moveFrom" | b"Fallback" | b"rPr" | b"pPr"
    )
}

impl Parser {
    fn parse(&mut self, xml: &[u8]) -> Result<(), ReadError> {
        let mut reader = Reader::from_reader(xml);
        reader.config_mut().trim_text(false);
        let mut depth = 0usize;
        // Depth at which skipped content ends, if inside it.
        let mut skip_until: Option<usize> = None;
        // For each open mc:AlternateContent: whether a choice was already taken.
        let mut alternates: Vec<bool> = Vec::new();
        loop {
            // Events borrow from the inflated XML: nothing is copied per event. The result
            // is matched where it lands: moving it out first cost a copy per event.
            match reader.read_event() {
                Err(e) => {
                    return Err(ReadError::Corrupt(format!(
                        "word/document.xml is not well-formed XML at byte {}: {e}",
                        reader.buffer_position()
                    )))
                }
                Ok(Event::Start(e)) => {
                    depth += 1;
                    if depth > MAX_XML_DEPTH {
                        return Err(ReadError::LimitExceeded(format!(
                            "word/document.xml nests elements deeper than {MAX_XML_DEPTH}"
                        )));
                    }
                    if skip_until.is_some() {
                        continue;
                    }
                    let name = e.name();
                    let name = local(name.as_ref());
                    if name == b"AlternateContent" {
                        alternates.push(false);
                    } else if name == b"Choice" {
                        match alternates.last_mut() {
                            Some(taken) if !*taken => *taken = true,
                            _ => skip_until = Some(depth),
                        }
                    } else if skipped(name) {
                        skip_until = Some(depth);
                    } else {
                        self.open(name, &e);
                        self.count(name)?;
                    }
                }
                Ok(Event::Empty(e)) if skip_until.is_none() => {
                    let name = e.name();
                    let name = local(name.as_ref());
                    self.empty(name, &e);
                    self.count(name)?;
                }
                Ok(Event::End(e)) => {
                    if skip_until == Some(depth) {
                        skip_until = None;
                    } else if skip_until.is_none() {
                        let name = e.name();
                        let name = local(name.as_ref());
                        if name == b"AlternateContent" {
                            alternates.pop();
                        } else {
                            self.close(name);
                        }
                    }
                    depth = depth.saturating_sub(1);
                }
                Ok(Event::Text(t)) if skip_until.is_none() => {
                    if let Some(Frame::Paragraph(p)) = self.stack.last_mut() {
                        p.push_str(&t.decode().unwrap_or_default());
                    }
                }
                Ok(Event::GeneralRef(r)) if skip_until.is_none() => {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match &*r as &[u8] {
                            b"amp" => Some('&'),
                            b"lt" => Some('<'),
                            b"gt" => Some('>'),
                            b"quot" => Some('"'),
                            b"apos" => Some('\''),
                            _ => None, // no entity is expanded
                        },
                    };
                    if let (Some(c), Some(Frame::Paragraph(p))) = (c, self.stack.last_mut()) {
                        p.push(c);
                    }
                }
                Ok(Event::DocType(_)) => {
                    self.diagnostics
                        .push("document declares a DTD; its entities are not expanded".into());
                }
                Ok(Event::Eof) => break,
                _ => {}
            }
        }
        // Close whatever a truncated document left open.
        while let Some(frame) = self.stack.pop() {
            self.finish(frame);
        }
        Ok(())
    }

    /// Refuses a document of more than [`MAX_DOCUMENT_CELLS`] cells or
    /// [`MAX_DOCUMENT_PARAGRAPHS`] paragraphs before building them.
    fn count(&mut self, name: &[u8]) -> Result<(), ReadError> {
        let (count, limit, what) = match name {
            b"tc" => (&mut self.cells, MAX_DOCUMENT_CELLS, "table cells"),
            b"p" => (&mut self.paragraphs, MAX_DOCUMENT_PARAGRAPHS, "paragraphs"),
            _ => return Ok(()),
        };
        *count += 1;
        if *count > limit {
            return Err(ReadError::LimitExceeded(format!(
                "word/document.xml has more than {limit} {what}"
            )));
        }
        Ok(())
    }

    fn open(&mut self, name: &[u8], e: &BytesStart<'_>) {
        match name {
            b"tbl" => self.stack.push(Frame::Table(RawTable::default())),
            b"tr" => self.stack.push(Frame::Row(RawRow::default())),
            b"tc" => self.stack.push(Frame::Cell(RawCell {
                span: 1,
                ..RawCell::default()
            })),
            b"p" => self.stack.push(Frame::Paragraph(String::new())),
            _ => self.empty(name, e),
        }
    }

    /// Properties and breaks, which arrive as empty elements (or with children we ignore).
    fn empty(&mut self, name: &[u8], e: &BytesStart<'_>) {
        match name {
            b"gridSpan" => {
                if let Some(Frame::Cell(c)) = self.innermost(|f| matches!(f, Frame::Cell(_))) {
                    c.span = val(e).and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
                }
            }
            b"vMerge" => {
                if let Some(Frame::Cell(c)) = self.innermost(|f| matches!(f, Frame::Cell(_))) {
                    c.vmerge = merge_of(e);
                }
            }
            b"hMerge" => {
                if let Some(Frame::Cell(c)) = self.innermost(|f| matches!(f, Frame::Cell(_))) {
                    c.hmerge = merge_of(e);
                }
            }
            b"gridBefore" => {
                let n: usize = val(e).and_then(|v| v.parse().ok()).unwrap_or(0);
                if let Some(Frame::Row(r)) = self.innermost(|f| matches!(f, Frame::Row(_))) {
                    r.grid_before = n.min(crate::MAX_SPAN);
                }
            }
            b"br" | b"cr" => {
                if let Some(Frame::Paragraph(p)) = self.stack.last_mut() {
                    p.push('\n');
                }
            }
            b"tab" => {
                if let Some(Frame::Paragraph(p)) = self.stack.last_mut() {
                    p.push(' ');
                }
            }
            b"p" => self.add(Node::Paragraph(String::new())),
            _ => {}
        }
    }

    fn innermost(&mut self, want: impl Fn(&Frame) -> bool) -> Option<&mut Frame> {
        self.stack.iter_mut().rev().find(|f| want(f))
    }

    fn close(&mut self, name: &[u8]) {
        let closes = |f: &Frame| match f {
            Frame::Table(_) => name == b"tbl",
            Frame::Row(_) => name == b"tr",
            Frame::Cell(_) => name == b"tc",
            Frame::Paragraph(_) => name == b"p",
        };
        // Close the matching frame, and any left open inside it by malformed XML.
        if let Some(pos) = self.stack.iter().rposition(closes) {
            while self.stack.len() > pos {
                if let Some(frame) = self.stack.pop() {
                    self.finish(frame);
                }
            }
        }
    }

    fn finish(&mut self, frame: Frame) {
        match frame {
            Frame::Paragraph(text) => self.add(Node::Paragraph(text)),
            Frame::Table(table) => self.add(Node::Table(table)),
            Frame::Row(row) => {
                if let Some(Frame::Table(t)) = self.stack.last_mut() {
                    t.rows.push(row);
                }
            }
            Frame::Cell(cell) => {
                if let Some(Frame::Row(r)) = self.stack.last_mut() {
                    r.cells.push(cell);
                }
            }
        }
    }

    /// Adds a finished paragraph or table to the innermost cell, or the body.
    fn add(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some(Frame::Cell(c)) => c.content.push(node),
            // A paragraph inside a paragraph (a text box): its text joins the outer one.
            Some(Frame::Paragraph(p)) => {
                if !p.is_empty() {
                    p.push('\n');
                }
                p.push_str(&node.into_text());
            }
            Some(Frame::Table(_)) | Some(Frame::Row(_)) => {
                self.diagnostics
                    .push("content outside any table cell was dropped".into());
            }
            None => self.body.push(node),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::Table;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"";

    fn docx(body: &str) -> Vec<u8> {
        let xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {W}><w:body>{body}</w:body></w:document>");
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        writer
            .start_file(
                "word/document.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
        writer.write_all(xml.as_bytes()).unwrap();
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn the_inflation_ratio_is_bounded_at_its_edge() {
        let mib = 1024 * 1024;
        // Small entries may inflate any amount; larger ones at most MAX_INFLATION_RATIO×.
        assert!(inflation_allowed(mib, 1));
        let compressed = mib / 50;
        assert!(inflation_allowed(
            compressed * MAX_INFLATION_RATIO,
            compressed
        ));
        assert!(!inflation_allowed(
            compressed * MAX_INFLATION_RATIO + 1,
            compressed
        ));
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn tc(props: &str, content: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>")
    }

    fn grid(t: &Table) -> Vec<Vec<(String, usize, usize, usize)>> {
        t.rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| (c.text.clone(), c.col, c.row_span, c.col_span))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn merges_resolve_into_the_grid() {
        let body = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}{}</w:tr></w:tbl>",
            tc("<w:gridSpan w:val=\"2\"/>", &p("甲")),
            tc("<w:vMerge w:val=\"restart\"/>", &p("乙")),
            tc("<w:hMerge w:val=\"restart\"/>", &p("丙")),
            tc("<w:hMerge/>", &p("")),
            tc("<w:vMerge/>", &p("")),
            tc("", &p("丁")),
            tc("", &p("戊")),
        );
        let doc = read_docx(&docx(&body)).unwrap();
        let t = doc.tables().next().unwrap();
        let s = |x: &str| x.to_string();
        assert_eq!(
            grid(t),
            vec![
                vec![(s("甲"), 0, 1, 2), (s("乙"), 2, 2, 1)],
                vec![(s("丙"), 0, 1, 2)],
                vec![(s("丁"), 1, 1, 1), (s("戊"), 2, 1, 1)],
            ]
        );
    }

    #[test]
    fn what_counts_as_text() {
        let body = [
            // A content control, a smart tag and a tracked insertion are read through.
            "<w:sdt><w:sdtContent><w:p><w:smartTag><w:r><w:t>一、总体</w:t></w:r></w:smartTag><w:ins><w:r><w:t>情况</w:t></w:r></w:ins></w:p></w:sdtContent></w:sdt>",
            // Deleted text and field codes are not; a simple field's result is.
            "<w:p><w:del><w:r><w:delText>删去</w:delText></w:r></w:del><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:fldSimple w:instr=\"DATE\"><w:r><w:t>保留</w:t></w:r></w:fldSimple></w:p>",
            // One branch of alternate content only.
            "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:t>甲</w:t></mc:Choice><mc:Fallback><w:t>乙</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>",
            // Entities and character references.
            "<w:p><w:r><w:t>A&amp;B&#x4E00;</w:t></w:r></w:p>",
            // A line break splits a body paragraph.
            "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>",
        ]
        .concat();
        let doc = read_docx(&docx(&body)).unwrap();
        assert_eq!(
            doc.paragraphs().collect::<Vec<_>>(),
            vec!["一、总体情况", "保留", "甲", "A&B一", "第一行", "第二行"]
        );
    }

    #[test]
    fn breaks_in_cells_and_nested_layout_tables() {
        let inner = format!(
            "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
            tc("", &p("规章")),
            tc("", &p("0"))
        );
        let cell_with_break = "<w:p><w:r><w:t>商业</w:t><w:br/><w:t>企业</w:t></w:r></w:p>";
        let body = format!(
            "<w:tbl><w:tr>{}</w:tr></w:tbl><w:tbl><w:tr>{}</w:tr></w:tbl>",
            tc("", cell_with_break),
            tc("", &format!("{}{}", p("一、总体情况"), inner)),
        );
        let doc = read_docx(&docx(&body)).unwrap();
        let tables: Vec<&Table> = doc.tables().collect();
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].rows[0].cells[0].text, "商业\n企业");
        assert_eq!(doc.paragraphs().collect::<Vec<_>>(), vec!["一、总体情况"]);
        assert_eq!(
            tables[1].rows[0].texts().collect::<Vec<_>>(),
            vec!["规章", "0"]
        );
    }

    #[test]
    fn malformed_xml_is_a_clear_error() {
        let err = read_docx(&docx("<w:p><w:r><w:t>未闭合</w:r></w:p>")).unwrap_err();
        assert!(err.to_string().contains("not well-formed"), "{err}");
    }
}
