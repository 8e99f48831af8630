//! The extractor on arbitrary Documents: lines starting with `|` are table rows (cells
//! split on `|`, `~` starting a new table), others paragraphs. No panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nianbao_read::{Block, Document, Format, TableBuilder};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut blocks = Vec::new();
    let mut table: Option<TableBuilder> = None;
    for line in text.lines() {
        if let Some(row) = line.strip_prefix('|') {
            let builder = table.get_or_insert_with(TableBuilder::new);
            builder.start_row();
            for cell in row.split('|') {
                // The first two characters give the spans, the rest is the text.
                let mut chars = cell.chars();
                let mut span = || chars.next().map_or(1, |c| c as usize % 4 + 1);
                let (rows, cols) = (span(), span());
                builder.push_cell(chars.as_str(), rows, cols);
            }
        } else {
            if let Some(done) = table.take() {
                blocks.push(Block::Table(done.finish().0));
            }
            if line != "~" {
                blocks.push(Block::Paragraph(line.to_string()));
            }
        }
    }
    if let Some(done) = table.take() {
        blocks.push(Block::Table(done.finish().0));
    }
    let doc = Document {
        format: Format::Text,
        encoding: "UTF-8",
        blocks,
        page_meta: vec![("标题".into(), text.chars().take(40).collect())],
        diagnostics: Vec::new(),
    };
    let _ = nianbao_extract::extract(&doc);
});
