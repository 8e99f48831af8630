//! The parse floor of a corpus: the time to merely decode and tokenise its documents
//! (HTML through html5ever, DOCX unzipped and its XML tokenised, text decoded), with no
//! extraction, for comparison with an end-to-end run on the same threads:
//! `cargo run --release -p nianbao-export --example floor -- DIR`.

use std::io::Read;
use std::time::Instant;

use nianbao_read::{decode_html, decode_text, sniff, Format};
use rayon::prelude::*;

fn tokenise(bytes: &[u8]) -> usize {
    match sniff(bytes) {
        Format::Html => {
            let (decoded, _) = decode_html(bytes, None);
            scraper::Html::parse_document(&decoded.text)
                .tree
                .nodes()
                .count()
        }
        Format::Docx => {
            let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
                return 0;
            };
            let Ok(mut entry) = zip.by_name("word/document.xml") else {
                return 0;
            };
            let mut xml = Vec::new();
            if entry.read_to_end(&mut xml).is_err() {
                return 0;
            }
            let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
            let mut buf = Vec::new();
            let mut events = 0;
            while !matches!(
                reader.read_event_into(&mut buf),
                Ok(quick_xml::events::Event::Eof) | Err(_)
            ) {
                events += 1;
                buf.clear();
            }
            events
        }
        _ => decode_text(bytes).map(|d| d.text.len()).unwrap_or(0),
    }
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/nianbao-bench".into());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    let started = Instant::now();
    let (docs, bytes, units) = paths
        .par_iter()
        .map(|p| {
            let data = std::fs::read(p).unwrap_or_default();
            (1usize, data.len(), tokenise(&data))
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "parse floor: {docs} documents, {:.1} MB in {seconds:.2} s = {:.0} docs/s, {:.1} MB/s ({units} tokens)",
        bytes as f64 / 1e6,
        docs as f64 / seconds,
        bytes as f64 / 1e6 / seconds
    );
    Ok(())
}
