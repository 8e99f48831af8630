//! Renders a laid-out report as a Word attachment (docx-rs): merged cells as Word stores
//! them — `gridSpan` across, `vMerge` restart/continue down — and labels broken by line
//! breaks or split into paragraphs.

use docx_rs::{BreakType, Docx, Paragraph, Run, Table, TableCell, TableRow, VMergeType};

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

fn table(grid: &Grid, rng: &mut Rng) -> Table {
    let rows = slots(grid)
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .map(|slot| match slot {
                    Slot::Own(cell) => {
                        let mut c = TableCell::new();
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
