//! Renders a laid-out report as the flattened text that saving a page leaves: one cell per
//! tab-prefixed line, a blank line after each row, a lone tab where a merged cell from a
//! row above stands (as in the seed), or one `|`-separated line per row.

use crate::layout::{Grid, GridCell, Part};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextStyle {
    /// The seed's form: `\tcell` lines, blank line between rows.
    Tabbed,
    /// `| a | b |` lines, one per row.
    PipeRows,
    /// Every cell on a line of its own and nothing to mark rows, as a page's text taken
    /// element by element prints it; a merged cell once, an empty cell as an empty line.
    CellLines,
}

/// A position in a rendered row: a cell that starts here, or the place of a cell from a
/// row above that still covers the grid here (one per covering cell, with its width).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot<'a> {
    Own(&'a GridCell),
    Covered { cols: usize },
}

/// The slots of every grid row, in column order.
pub fn slots(grid: &Grid) -> Vec<Vec<Slot<'_>>> {
    // Per grid column: how many more rows a cell from above covers it, and that cell's
    // width on its first column (0 on the columns it covers to the right).
    let mut covers: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::new();
    for row in grid {
        let mut next: Vec<(usize, usize)> = covers
            .iter()
            .map(|&(n, w)| (n.saturating_sub(1), w))
            .collect();
        let mut printed = Vec::new();
        let mut own = row.iter();
        let mut col = 0;
        loop {
            if let Some(&(_, width)) = covers.get(col).filter(|(rows, _)| *rows > 0) {
                if width > 0 {
                    printed.push(Slot::Covered { cols: width });
                }
                col += width.max(1);
                continue;
            }
            match own.next() {
                Some(cell) => {
                    printed.push(Slot::Own(cell));
                    if next.len() < col + cell.cols {
                        next.resize(col + cell.cols, (0, 0));
                    }
                    if cell.rows > 1 {
                        for (i, slot) in next[col..col + cell.cols].iter_mut().enumerate() {
                            *slot = (cell.rows - 1, if i == 0 { cell.cols } else { 0 });
                        }
                    }
                    col += cell.cols;
                }
                None if covers
                    .get(col..)
                    .is_some_and(|rest| rest.iter().any(|(n, _)| *n > 0)) =>
                {
                    col += 1
                }
                None => break,
            }
        }
        covers = next;
        out.push(printed);
    }
    out
}

/// For each grid row, the texts it prints when flattened: its own cells, and an empty
/// placeholder where a merged cell from a row above stands.
pub fn flatten(grid: &Grid) -> Vec<Vec<String>> {
    slots(grid)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|slot| match slot {
                    Slot::Own(cell) => cell.text.clone(),
                    Slot::Covered { .. } => String::new(),
                })
                .collect()
        })
        .collect()
}

pub fn render_text(parts: &[Part], style: TextStyle) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Paragraph(p) => {
                out.push_str(p);
                out.push('\n');
            }
            Part::Table(grid) if style == TextStyle::CellLines => {
                for slot in slots(grid).into_iter().flatten() {
                    if let Slot::Own(cell) = slot {
                        out.push_str(&cell.text);
                        out.push('\n');
                    }
                }
            }
            Part::Table(grid) => {
                for row in flatten(grid) {
                    match style {
                        TextStyle::CellLines => unreachable!("laid out above"),
                        TextStyle::Tabbed => {
                            for cell in row {
                                out.push('\t');
                                out.push_str(&cell);
                                out.push('\n');
                            }
                            out.push('\n');
                        }
                        TextStyle::PipeRows => {
                            let cells: Vec<String> =
                                row.iter().map(|c| c.replace('\n', "")).collect();
                            out.push_str(&format!("| {} |\n", cells.join(" | ")));
                        }
                    }
                }
                out.push_str("\n\n");
            }
        }
    }
    out
}

/// Renders a report as crawled archives' "text version" pages do: the whole body on one
/// line, table cells run together with no separator (`行政规范性文件693665`).
pub fn render_joined(parts: &[Part]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Paragraph(p) => {
                out.push_str(p);
                out.push(' ');
            }
            Part::Table(grid) => {
                for row in flatten(grid) {
                    for cell in row {
                        out.push_str(&cell.replace('\n', ""));
                    }
                }
            }
        }
    }
    out.push('\n');
    out
}
