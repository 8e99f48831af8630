//! Renders a laid-out report as a Word attachment (docx-rs): merged cells as Word stores
//! them — `gridSpan` across, `vMerge` restart/continue down — and labels broken by line
//! breaks or split into paragraphs.

use docx_rs::{
    BreakType, Docx, Paragraph, Run, Table, TableCell, TableLayoutType, TableRow, VMergeType,
    WidthType,
};

use crate::layout::{Grid, Part};
use crate::rng::Rng;
use crate::text::{slots, Slot};

fn cell_paragraphs(text: &str, rng: &mut Rng) -> Vec<Paragraph> {
    let lines: Vec<&str> = text.split('\n').collect();
    if lines.len() > 1 && rng.chance(0.5) {
        let mut run = Run::new();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            run = run.add_text(*line);
        }
        vec![Paragraph::new().add_run(run)]
    } else {
        lines
            .iter()
            .map(|l| Paragraph::new().add_run(Run::new().add_text(*l)))
            .collect()
    }
}

/// Width of the tables, in twips (A4 less Word's default margins).
const TABLE_WIDTH: usize = 8_300;

fn table(grid: &Grid, rng: &mut Rng) -> Table {
    let slots = slots(grid);
    // Word writes the column grid and each cell's width; a fixed layout keeps every row
    // on the same columns when the file is printed to PDF.
    let columns: usize = slots.first().map_or(1, |row| {
        row.iter()
            .map(|s| match s {
                Slot::Own(cell) => cell.cols,
                Slot::Covered { cols } => *cols,
            })
            .sum()
    });
    let column_width = TABLE_WIDTH / columns.max(1);
    let width = |cols: usize| column_width * cols;
    let rows = slots
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .map(|slot| match slot {
                    Slot::Own(cell) => {
                        let mut c = TableCell::new().width(width(cell.cols), WidthType::Dxa);
                        for p in cell_paragraphs(&cell.text, rng) {
                            c = c.add_paragraph(p);
                        }
                        if cell.cols > 1 {
                            c = c.grid_span(cell.cols);
                        }
                        if cell.rows > 1 {
                            c = c.vertical_merge(VMergeType::Restart);
                        }
                        c
                    }
                    Slot::Covered { cols } => {
                        let mut c = TableCell::new()
                            .width(width(cols), WidthType::Dxa)
                            .add_paragraph(Paragraph::new())
                            .vertical_merge(VMergeType::Continue);
                        if cols > 1 {
                            c = c.grid_span(cols);
                        }
                        c
                    }
                })
                .collect();
            TableRow::new(cells)
        })
        .collect();
    Table::new(rows)
        .set_grid(vec![column_width; columns])
        .layout(TableLayoutType::Fixed)
        .width(column_width * columns, WidthType::Dxa)
}

/// The .docx bytes of the report.
pub fn render_docx(parts: &[Part], seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed ^ 0xD0C5);
    let mut doc = Docx::new();
    for part in parts {
        doc = match part {
            Part::Paragraph(p) => {
                doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(p)))
            }
            Part::Table(grid) => doc.add_table(table(grid, &mut rng)),
        };
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .expect("docx-rs writes to memory");
    bytes.into_inner()
}
