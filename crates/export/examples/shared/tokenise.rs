//! What the `floor` and `stages` examples share: the corpus they read and the parse
//! floor's work on one document.
#![allow(dead_code)] // each example uses part of it

use std::io::Read;
use std::path::PathBuf;

use nianbao_read::{decode_html, decode_text, sniff, Format};

/// How far the floor takes an HTML page.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum HtmlFloor {
    /// html5ever's tokeniser and tree builder, into scraper's tree (what any reader that
    /// looks at a page's structure needs).
    Tree,
    /// html5ever's tokeniser alone, its tokens counted and dropped: no tree at all.
    Tokens,
}

/// Decodes and tokenises one document the cheapest way its format allows; returns the
/// number of tokens (nodes, XML events or bytes of text) so nothing is optimised away.
pub fn tokenise(bytes: &[u8]) -> usize {
    tokenise_to(bytes, HtmlFloor::Tree)
}

/// [`tokenise`], with HTML taken as far as `html` says.
pub fn tokenise_to(bytes: &[u8], html: HtmlFloor) -> usize {
    match sniff(bytes) {
        Format::Html => {
            let (decoded, _) = decode_html(bytes, None);
            match html {
                HtmlFloor::Tree => scraper::Html::parse_document(&decoded.text)
                    .tree
                    .nodes()
                    .count(),
                HtmlFloor::Tokens => html_tokens(&decoded.text),
            }
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

/// Counts the tokens html5ever's tokeniser finds in a page, with no tree builder behind
/// it.
fn html_tokens(text: &str) -> usize {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    struct Counter(std::cell::Cell<usize>);
    impl TokenSink for Counter {
        type Handle = ();
        fn process_token(&self, _token: Token, _line: u64) -> TokenSinkResult<()> {
            self.0.set(self.0.get() + 1);
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(Counter(Default::default()), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(text));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.get()
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
