//! Renders a laid-out report as markdown, as OCR tools and converters write it: each
//! paragraph a line with a blank line after it, each table a block of `| a | b |` rows
//! with a `|---|---|` rule after its first row and blank lines around it.
//!
//! Input: the report's parts. Output: the markdown text. Markdown has no merged cells:
//! every grid column is a cell of every row, a merged cell's text in its top-left
//! position and the positions it covers empty.

use crate::layout::{Grid, Part};
use crate::sheet::Sheet;

pub fn render_markdown(parts: &[Part]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Paragraph(p) => {
                out.push_str(p);
                out.push_str("\n\n");
            }
            Part::Table(grid) => {
                out.push('\n');
                out.push_str(&table(grid));
                out.push('\n');
            }
        }
    }
    out
}

fn table(grid: &Grid) -> String {
    let mut out = String::new();
    for (i, row) in Sheet::from_grid(grid).dense_texts().iter().enumerate() {
        // Line breaks inside a cell cannot be written in a markdown row.
        let cells: Vec<String> = row.iter().map(|c| c.replace('\n', "")).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            out.push_str(&format!("|{}\n", "---|".repeat(cells.len())));
        }
    }
    out
}
