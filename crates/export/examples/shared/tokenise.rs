//! What the `floor` and `stages` examples share: the corpus they read and the parse
//! floor's work on one document.

use std::io::Read;
use std::path::PathBuf;

use nianbao_read::{decode_html, decode_text, sniff, Format};

/// Decodes and tokenises one document the cheapest way its format allows; returns the
/// number of tokens (nodes, XML events or bytes of text) so nothing is optimised away.
pub fn tokenise(bytes: &[u8]) -> usize {
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
            let mut events = 0;
            while !matches!(
                reader.read_event(),
                Ok(quick_xml::events::Event::Eof) | Err(_)
            ) {
                events += 1;
            }
            events
        }
        _ => decode_text(bytes).map(|d| d.text.len()).unwrap_or(0),
    }
}

/// The files of the folder named by the first argument (default `/tmp/nianbao-bench`),
/// sorted.
pub fn corpus_files() -> std::io::Result<Vec<PathBuf>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/nianbao-bench".into());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    Ok(paths)
}
