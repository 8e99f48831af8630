//! The parse floor of a corpus: the time to merely decode and tokenise its documents
//! (HTML through html5ever, DOCX unzipped and its XML tokenised, text decoded), with no
//! extraction, for comparison with an end-to-end run on the same threads:
//! `cargo run --release -p nianbao-export --example floor -- DIR`.
//!
//! With `--html-tokens` after the folder, HTML pages are only tokenised (html5ever's
//! tokeniser with no tree builder): a lower floor than any reader that needs the page's
//! structure can reach, reported for comparison.

use std::time::Instant;

use rayon::prelude::*;

// The allocator `nianbao` itself runs with, so the comparison is of the work alone.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "shared/tokenise.rs"]
mod tokenise;
use tokenise::{tokenise_to, HtmlFloor};

fn main() -> std::io::Result<()> {
    // As the binary does: the same allocator, on the same pages.
    nianbao_export::avoid_transparent_huge_pages();
    let paths = tokenise::corpus_files()?;
    let html = if std::env::args().nth(2).as_deref() == Some("--html-tokens") {
        HtmlFloor::Tokens
    } else {
        HtmlFloor::Tree
    };
    let started = Instant::now();
    let (docs, bytes, units) = paths
        .par_iter()
        .map(|p| {
            let data = std::fs::read(p).unwrap_or_default();
            (1usize, data.len(), tokenise_to(&data, html))
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "parse floor{}: {docs} documents, {:.1} MB in {seconds:.2} s = {:.0} docs/s, {:.1} MB/s ({units} tokens)",
        if html == HtmlFloor::Tokens {
            " (HTML tokens only)"
        } else {
            ""
        },
        bytes as f64 / 1e6,
        docs as f64 / seconds,
        bytes as f64 / 1e6 / seconds
    );
    Ok(())
}
