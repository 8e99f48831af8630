//! The flattened-text reader: rebuilds paragraphs and tables from what copy-paste and
//! "save as text" leave of a report page.
//!
//! Table forms recognised:
//! - one cell per line, each line starting with a tab; a blank line ends a row; a line
//!   holding only a tab is a placeholder left by a merged cell; a line without a leading
//!   tab right after a cell continues that cell (`商业` / `企业`);
//! - one row per line, cells separated by tabs (`规章\t0\t0\t0`);
//! - one row per line, cells separated by `|` (markdown-like; `|---|` rules are skipped);
//! - one cell per line with lines holding only `|` between the cells of a row.
//!
//! A crawler header block (`标题: …` lines closed by a `==== 正文 ====` line) becomes page
//! metadata.

use crate::document::{is_trim_char, Block, Document, Format, TableBuilder, TABLE_CUT};

/// Header lines a crawler puts above the body; more than this and it is not a header.
const MAX_HEADER_LINES: usize = 40;

pub fn read_text(text: &str, encoding: &'static str) -> Document {
    let (page_meta, body) = split_header(text);
    let mut reader = LineReader::default();
    // Each line classified once: a line is also the next one's look-ahead.
    let lines: Vec<(&str, LineKind<'_>)> = body
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .map(|l| (l, classify(l)))
        .collect();
    for (i, &(line, kind)) in lines.iter().enumerate() {
        let next_kind = lines.get(i + 1).map(|&(_, k)| k);
        reader.feed(line, kind, next_kind);
    }
    let (blocks, diagnostics) = reader.finish();
    Document {
        format: Format::Text,
        encoding,
        blocks,
        page_meta,
        diagnostics,
    }
}

/// Splits off a `key: value` header block that ends in a `=== 正文 ===` line.
fn split_header(text: &str) -> (Vec<(String, String)>, &str) {
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if n >= MAX_HEADER_LINES {
            break;
        }
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.starts_with("==") && trimmed.contains("正文") {
            let meta = text[..offset - line.len()]
                .lines()
                .filter_map(|l| {
                    let (k, v) = l.split_once(':').or_else(|| l.split_once('：'))?;
                    let key = k.trim();
                    (!key.is_empty() && key.chars().count() <= 10)
                        .then(|| (key.to_string(), v.trim_matches(is_trim_char).to_string()))
                })
                .collect();
            return (meta, &text[offset..]);
        }
    }
    (Vec::new(), text)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LineKind<'a> {
    Blank,
    /// `\tcell` — one cell on its own line (text may be empty: a placeholder).
    TabCell(&'a str),
    /// Several cells on one line, separated by tabs, `|` or (`' '`) runs of spaces.
    RowLine(char),
    /// A line holding only `|`, between the cells of a row.
    PipeOnly,
    Text(&'a str),
}

fn classify(line: &str) -> LineKind<'_> {
    let trimmed = line.trim_matches(is_trim_char);
    if let Some(rest) = line.strip_prefix('\t') {
        if !rest.contains('\t') {
            return LineKind::TabCell(rest);
        }
        return LineKind::RowLine('\t');
    }
    if trimmed.is_empty() {
        return LineKind::Blank;
    }
    if trimmed == "|" {
        return LineKind::PipeOnly;
    }
    if trimmed.starts_with('|')
        || trimmed.ends_with('|')
        || trimmed.bytes().filter(|&b| b == b'|').nth(1).is_some()
    {
        return LineKind::RowLine('|');
    }
    if line.trim_end_matches(is_trim_char).contains('\t') {
        return LineKind::RowLine('\t');
    }
    if is_spaced_row(trimmed) {
        return LineKind::RowLine(' ');
    }
    LineKind::Text(trimmed)
}

#[derive(Default)]
struct LineReader {
    blocks: Vec<Block>,
    table: Option<TableBuilder>,
    /// Whether the previous line put a cell that a following text line may continue.
    after_cell: bool,
    /// Inside a row of cells separated by `|`-only lines.
    pipe_column_row: bool,
    /// The previous line held only `|` (two in a row enclose an empty cell).
    after_pipe: bool,
    /// The previous line was a whole row (tab- or `|`-separated cells).
    after_row_line: bool,
    diagnostics: Vec<String>,
}

impl LineReader {
    fn feed(&mut self, line: &str, kind: LineKind<'_>, next_kind: Option<LineKind<'_>>) {
        let next_is_pipe = next_kind == Some(LineKind::PipeOnly);
        let after_pipe = std::mem::replace(&mut self.after_pipe, kind == LineKind::PipeOnly);
        let is_row_line = matches!(kind, LineKind::RowLine(_));
        let was_row_line = std::mem::replace(&mut self.after_row_line, is_row_line);
        match kind {
            LineKind::Blank => {
                if let Some(t) = self.table.as_mut() {
                    t.end_row();
                }
                self.pipe_column_row = false;
                self.after_cell = false;
            }
            LineKind::TabCell(cell) => {
                self.table().push_cell(cell, 1, 1);
                self.after_cell = !cell.trim_matches(is_trim_char).is_empty();
            }
            LineKind::RowLine(sep) => {
                let cells = split_row(line, sep);
                if !cells.is_empty() {
                    let table = self.table();
                    table.start_row();
                    for cell in cells {
                        table.push_cell(cell, 1, 1);
                    }
                    table.end_row();
                }
                self.after_cell = false;
            }
            LineKind::PipeOnly => {
                // `|` `|` encloses an empty cell; a row may also open with one.
                let opens_row = !self.pipe_column_row
                    && matches!(
                        next_kind,
                        Some(LineKind::Text(_)) | Some(LineKind::PipeOnly)
                    );
                if opens_row {
                    self.pipe_column_row = true;
                    let table = self.table();
                    table.start_row();
                    table.push_cell("", 1, 1);
                } else if self.pipe_column_row && after_pipe {
                    self.table().push_cell("", 1, 1);
                }
                self.after_cell = false;
            }
            LineKind::Text(text) => {
                let between_rows = was_row_line
                    && matches!(next_kind, Some(LineKind::RowLine(_)))
                    && !starts_numbered(text);
                if between_rows {
                    // A one-cell row (a sub-table title) among tab- or `|`-separated rows.
                    let table = self.table();
                    table.start_row();
                    table.push_cell(text, 1, 1);
                    table.end_row();
                } else if next_is_pipe || self.pipe_column_row {
                    if !self.pipe_column_row {
                        self.table().start_row();
                    }
                    self.pipe_column_row = true;
                    self.table().push_cell(text, 1, 1);
                    self.after_cell = false;
                } else if self.after_cell
                    && self.table.as_mut().is_some_and(|t| t.continue_cell(text))
                {
                    // a label broken over two lines: stays in the same cell
                } else {
                    self.flush_table();
                    self.blocks.push(Block::Paragraph(text.to_string()));
                    self.after_cell = false;
                }
            }
        }
    }

    fn table(&mut self) -> &mut TableBuilder {
        self.table.get_or_insert_with(TableBuilder::new)
    }

    fn flush_table(&mut self) {
        if let Some(builder) = self.table.take() {
            if builder.has_rows() {
                let (table, truncated) = builder.finish();
                if truncated {
                    self.diagnostics.push(TABLE_CUT.to_string());
                }
                self.blocks.push(Block::Table(table));
            }
        }
        self.pipe_column_row = false;
    }

    fn finish(mut self) -> (Vec<Block>, Vec<String>) {
        self.flush_table();
        (self.blocks, self.diagnostics)
    }
}

/// A numbered line (`3、…`, `四、…`, `2.…`) is a heading, not a one-cell table row.
fn starts_numbered(text: &str) -> bool {
    let mut chars = text.chars().skip_while(|c| {
        c.is_ascii_digit() || "一二三四五六七八九十０１２３４５６７８９".contains(*c)
    });
    text.chars().next().is_some_and(|c| {
        c.is_ascii_digit() || "一二三四五六七八九十０１２３４５６７８９".contains(c)
    }) && matches!(chars.next(), Some('、' | '.' | '．'))
}

/// Whether a line is a table row laid out with spaces (`pdftotext -layout`, text pages
/// aligned by hand): cells apart by runs of two or more spaces, at least three of them,
/// or two whose last is a figure (`行政许可      4`). Prose does not space its words.
fn is_spaced_row(line: &str) -> bool {
    let two_spaces = ["  ", "\u{3000}\u{3000}", " \u{3000}", "\u{3000} "];
    if !two_spaces.iter().any(|s| line.contains(s)) {
        return false;
    }
    let cells = spaced_cells(line);
    match cells.len() {
        0 | 1 => false,
        2 => {
            cells[1]
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-'))
                || cells[1].chars().all(|c| ('０'..='９').contains(&c))
        }
        _ => true,
    }
}

/// A spaced row's cells: the text between runs of two or more spaces (ASCII or
/// ideographic).
fn spaced_cells(line: &str) -> Vec<&str> {
    let mut cells = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_space = |c: char| c == ' ' || c == '\u{3000}';
        if !is_space(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut run = 1;
        while let Some(&(j, next)) = chars.peek() {
            if !is_space(next) {
                break;
            }
            end = j + next.len_utf8();
            run += 1;
            chars.next();
        }
        if run >= 2 {
            if i > start {
                cells.push(&line[start..i]);
            }
            start = end;
        }
    }
    if start < line.len() {
        cells.push(&line[start..]);
    }
    cells
}

/// Cells of a one-line row; outer `|` are borders, not empty cells; `|---|` rules vanish.
fn split_row(line: &str, sep: char) -> Vec<&str> {
    if sep == ' ' {
        return spaced_cells(line.trim_matches(is_trim_char));
    }
    let trimmed = if sep == '|' {
        let t = line.trim_matches(is_trim_char);
        let t = t.strip_prefix('|').unwrap_or(t);
        t.strip_suffix('|').unwrap_or(t)
    } else {
        line.trim_end_matches(is_trim_char)
    };
    let cells: Vec<&str> = trimmed.split(sep).collect();
    let is_rule = sep == '|'
        && cells.iter().all(|c| {
            let c = c.trim();
            !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | '='))
        });
    if is_rule {
        Vec::new()
    } else {
        cells
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Table;

    fn tables(doc: &Document) -> Vec<&Table> {
        doc.tables().collect()
    }

    fn texts(t: &Table) -> Vec<Vec<&str>> {
        t.rows.iter().map(|r| r.texts().collect()).collect()
    }

    #[test]
    fn tab_cells_placeholders_and_continuations() {
        let src = "标题行\n\t\n\t自然人\n\t商业\n企业\n\n\t一、本年新收\n\t23\n\t3\n\n\n下一段\n";
        let doc = read_text(src, "UTF-8");
        assert_eq!(doc.blocks.len(), 3);
        let t = tables(&doc)[0];
        assert_eq!(
            texts(t),
            vec![
                vec!["", "自然人", "商业\n企业"],
                vec!["一、本年新收", "23", "3"]
            ]
        );
        let paragraphs: Vec<&str> = doc.paragraphs().collect();
        assert_eq!(paragraphs, vec!["标题行", "下一段"]);
    }

    #[test]
    fn rows_laid_out_with_spaces() {
        let src = "一、总体情况\n信息内容     本年制发件数   本年废止件数\n规章         3              0\n行政许可　　4\n（二）部分公开（区\n分处理的        0    4\n第一部分  总体情况\n本年度 主动公开 信息。\n";
        let doc = read_text(src, "UTF-8");
        let t = tables(&doc)[0];
        assert_eq!(
            texts(t),
            vec![
                vec!["信息内容", "本年制发件数", "本年废止件数"],
                vec!["规章", "3", "0"],
                vec!["行政许可", "4"],
                vec!["（二）部分公开（区"],
                vec!["分处理的", "0", "4"],
            ]
        );
        // Two cells without a figure, and single spaces, are prose.
        assert_eq!(
            doc.paragraphs().collect::<Vec<_>>(),
            vec![
                "一、总体情况",
                "第一部分  总体情况",
                "本年度 主动公开 信息。"
            ]
        );
    }

    #[test]
    fn pipe_rows_and_pipe_columns() {
        let src = "| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 0 |\n\n规章\n|\n0\n|\n|\n0\n\n|\n自然人\n\n正文\n";
        let doc = read_text(src, "UTF-8");
        let t = tables(&doc)[0];
        assert_eq!(
            texts(t),
            vec![
                vec!["信息内容", "本年制发件数"],
                vec!["规章", "0"],
                vec!["规章", "0", "", "0"],
                vec!["", "自然人"]
            ]
        );
        assert_eq!(doc.paragraphs().collect::<Vec<_>>(), vec!["正文"]);
    }

    #[test]
    fn tab_separated_rows() {
        let doc = read_text(
            "信息内容\t本年制发件数\n规章\t0\t0\t0\n第二十条第（五）项\n行政规范性文件\t1\t\t1\n",
            "UTF-8",
        );
        assert_eq!(
            texts(tables(&doc)[0]),
            vec![
                vec!["信息内容", "本年制发件数"],
                vec!["规章", "0", "0", "0"],
                vec!["第二十条第（五）项"],
                vec!["行政规范性文件", "1", "", "1"]
            ]
        );
    }

    #[test]
    fn crawler_header_becomes_page_metadata() {
        let src = "标题: 某镇2023年度政府信息公开工作年度报告\n发布时间: 2024-03-08 15:34\n文号: \n==================== 正文 ====================\n一、总体情况\n";
        let doc = read_text(src, "UTF-8");
        assert_eq!(doc.meta("发布时间"), Some("2024-03-08 15:34"));
        assert_eq!(doc.meta("文号"), None);
        assert_eq!(doc.paragraphs().collect::<Vec<_>>(), vec!["一、总体情况"]);
    }
}
