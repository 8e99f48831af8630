//! The one document model every reader produces: ordered blocks of text and tables.

use std::fmt;

/// The format a document was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Docx,
    Pdf,
    /// Legacy OLE compound files: .doc, .wps, .xls, .et.
    LegacyOffice,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::LegacyOffice => "doc",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The [`Document::page_meta`] field that the caller adds for a crawled document: the
/// text of the link the crawl followed to it, as the listing printed it.
pub const LISTING_TITLE: &str = "列表标题";
/// The [`Document::page_meta`] field that the caller adds for a crawled document: the
/// name of the listing's column (区财政局), which a listing of bare years leaves out.
pub const LISTING_COLUMN: &str = "列表栏目";

/// A document as a sequence of blocks, with what the page said about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub format: Format,
    /// The character encoding the bytes were decoded from (`UTF-8`, `GB18030`, …).
    pub encoding: &'static str,
    pub blocks: Vec<Block>,
    /// Page metadata fields as printed (`标题`, `发布时间`, `发布机构`, `原文链接`, …).
    pub page_meta: Vec<(String, String)>,
    /// What the reader noticed but could read past.
    pub diagnostics: Vec<String>,
}

impl Document {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.page_meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.as_str()),
            Block::Table(_) => None,
        })
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A heading or paragraph, one line of text.
    Paragraph(String),
    Table(Table),
}

/// A table as rows of the cells that start in them. A cell spanning rows appears only in
/// its first row; a reader that cannot know spans (flattened text) leaves the empty
/// placeholder cells it found instead.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Table {
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Trimmed text; line breaks inside the cell are kept as `\n`.
    pub text: String,
    /// Grid column where the cell starts, spans of the cells above and left resolved.
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
}

impl Row {
    /// The cell texts in column order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.cells.iter().map(|c| c.text.as_str())
    }
}

/// Most cells one table may have; past it the rest of the table is dropped with a
/// diagnostic rather than allocated.
pub const MAX_TABLE_CELLS: usize = 50_000;
/// Most table cells one document may have, all its tables together (a report has a few
/// hundred); a document with more is refused before its tables are built. Twice
/// [`MAX_TABLE_CELLS`], so that one oversized table is cut rather than refused.
pub const MAX_DOCUMENT_CELLS: usize = 100_000;
/// Most paragraphs one document may have: the lines of a text document, the `w:p` of a
/// DOCX (a table cell holds at least one). A report has a few thousand; a document with
/// more is refused before its paragraphs are built.
pub const MAX_DOCUMENT_PARAGRAPHS: usize = 200_000;
/// Largest row or column span honoured; larger spans are clamped.
pub const MAX_SPAN: usize = 1_000;
/// Widest grid built, in columns (report tables have at most 16); cells past it are
/// dropped like cells past [`MAX_TABLE_CELLS`], so that spans cannot make every row cost
/// millions of columns.
pub const MAX_COLUMNS: usize = 1_000;
/// The reader's diagnostic for a table cut at [`MAX_TABLE_CELLS`] or [`MAX_COLUMNS`].
pub const TABLE_CUT: &str = "limit: table cut at the grid limits (50,000 cells, 1,000 columns)";

/// Builds a table row by row, resolving row and column spans into grid columns: the one
/// place spans are resolved, whatever the format.
#[derive(Debug, Default)]
pub struct TableBuilder {
    table: Table,
    current: Option<Row>,
    /// For each grid column, how many further rows an earlier cell still covers.
    covered: Vec<usize>,
    next_col: usize,
    cells: usize,
    truncated: bool,
}

impl TableBuilder {
    pub fn new() -> TableBuilder {
        TableBuilder::default()
    }

    pub fn start_row(&mut self) {
        self.end_row();
        // Rows of a table mostly have as many cells as the one before.
        let width = self.table.rows.last().map_or(0, |r| r.cells.len());
        self.current = Some(Row {
            cells: Vec::with_capacity(width),
        });
        self.next_col = 0;
    }

    /// Adds a cell at the next free grid column; its text is trimmed (an owned text
    /// with nothing to trim is kept as it is).
    pub fn push_cell<T: AsRef<str> + Into<String>>(
        &mut self,
        text: T,
        row_span: usize,
        col_span: usize,
    ) {
        if self.cells >= MAX_TABLE_CELLS {
            self.truncated = true;
            return;
        }
        if self.current.is_none() {
            self.start_row();
        }
        let row_span = row_span.clamp(1, MAX_SPAN);
        let col_span = col_span.clamp(1, MAX_SPAN);
        while self.covered.get(self.next_col).is_some_and(|&n| n > 0) {
            self.next_col += 1;
        }
        let col = self.next_col;
        if col >= MAX_COLUMNS {
            self.truncated = true;
            return;
        }
        let col_span = col_span.min(MAX_COLUMNS - col);
        if self.covered.len() < col + col_span {
            self.covered.resize(col + col_span, 0);
        }
        for c in &mut self.covered[col..col + col_span] {
            *c = row_span; // decremented at the end of this row
        }
        self.next_col += col_span;
        self.cells += 1;
        if let Some(row) = self.current.as_mut() {
            let whole = text.as_ref();
            let trimmed = whole.trim_matches(is_trim_char);
            let text = if trimmed.len() == whole.len() {
                text.into()
            } else {
                trimmed.to_string()
            };
            row.cells.push(Cell {
                text,
                col,
                row_span,
                col_span,
            });
        }
    }

    /// Leaves the grid columns before `col` empty in this row (DOCX `gridBefore`, or a
    /// cell whose grid position the format states).
    pub fn skip_to_column(&mut self, col: usize) {
        self.next_col = self
            .next_col
            .max(col.min(self.next_col + MAX_SPAN))
            .min(MAX_COLUMNS);
    }

    /// Appends a line to the last cell (a label broken over two lines).
    pub fn continue_cell(&mut self, text: &str) -> bool {
        match self.current.as_mut().and_then(|r| r.cells.last_mut()) {
            Some(cell) => {
                cell.text.push('\n');
                cell.text.push_str(text.trim_matches(is_trim_char));
                true
            }
            None => false,
        }
    }

    pub fn end_row(&mut self) {
        if let Some(row) = self.current.take() {
            for c in &mut self.covered {
                *c = c.saturating_sub(1);
            }
            if !row.cells.is_empty() {
                self.table.rows.push(row);
            }
        }
    }

    pub fn has_rows(&self) -> bool {
        !self.table.rows.is_empty() || self.current.as_ref().is_some_and(|r| !r.cells.is_empty())
    }

    /// The finished table, and whether cells were dropped at the cap.
    pub fn finish(mut self) -> (Table, bool) {
        self.end_row();
        (self.table, self.truncated)
    }
}

/// Whitespace as reports use it: ASCII, ideographic space, no-break space, zero-width.
pub fn is_trim_char(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_resolved_into_grid_columns() {
        // | A (2 rows) | B (2 cols)   |
        // |            | C    | D     |
        let mut b = TableBuilder::new();
        b.start_row();
        b.push_cell("A", 2, 1);
        b.push_cell("B", 1, 2);
        b.start_row();
        b.push_cell("C", 1, 1);
        b.push_cell("D", 1, 1);
        let (t, truncated) = b.finish();
        assert!(!truncated);
        let cols: Vec<Vec<(String, usize)>> = t
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| (c.text.clone(), c.col)).collect())
            .collect();
        assert_eq!(
            cols,
            vec![
                vec![("A".into(), 0), ("B".into(), 1)],
                vec![("C".into(), 1), ("D".into(), 2)]
            ]
        );
    }

    #[test]
    fn the_grid_is_at_most_max_columns_wide() {
        let mut b = TableBuilder::new();
        b.start_row();
        for _ in 0..3 {
            b.push_cell("wide", 1, MAX_SPAN); // the first fills the width
        }
        b.push_cell("past", 1, 1);
        let (t, truncated) = b.finish();
        assert!(truncated);
        let cells = &t.rows[0].cells;
        assert_eq!(cells.len(), 1, "only the first fits whole: {cells:?}");
        assert_eq!(cells[0].col + cells[0].col_span, MAX_COLUMNS);
    }

    #[test]
    fn absurd_spans_are_clamped() {
        let mut b = TableBuilder::new();
        b.start_row();
        b.push_cell("x", usize::MAX, usize::MAX);
        let (t, _) = b.finish();
        assert_eq!(t.rows[0].cells[0].col_span, MAX_SPAN);
    }
}
