//! Prints the document model a file reads to: `cargo run -p nianbao-read --example dump FILE`.
//! Paragraphs as lines, tables as rows of `[col+span] text` cells, then the diagnostics.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(1);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    match nianbao_read::read(&bytes) {
        Ok(doc) => {
            println!(
                "format {} encoding {} meta {:?}",
                doc.format, doc.encoding, doc.page_meta
            );
            for block in &doc.blocks {
                match block {
                    nianbao_read::Block::Paragraph(p) => println!("P {p}"),
                    nianbao_read::Block::Table(t) => {
                        println!("TABLE");
                        for row in &t.rows {
                            let cells: Vec<String> = row
                                .cells
                                .iter()
                                .map(|c| {
                                    let span = if c.row_span > 1 || c.col_span > 1 {
                                        format!("+{}x{}", c.row_span, c.col_span)
                                    } else {
                                        String::new()
                                    };
                                    format!("[{}{span}] {}", c.col, c.text.replace('\n', "⏎"))
                                })
                                .collect();
                            println!("  | {}", cells.join(" | "));
                        }
                    }
                }
            }
            for d in &doc.diagnostics {
                println!("! {d}");
            }
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    }
}
