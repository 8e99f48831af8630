//! Where one thread's time goes, stage by stage, over a corpus: reading the file, hashing
//! it, parsing it (by format), extracting, rendering the CSV rows. Same allocator as the
//! binary. `cargo run --release -p nianbao-export --example stages -- DIR`.
//!
//! Each document goes through every stage before the next one starts, where the batch
//! runs each stage over a group of documents: extraction and rendering take longer here
//! than in a run, their code evicted by the parsers' in between (see BENCHMARKS.md).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use nianbao_export::{render, DocumentResult};
use nianbao_extract::extract;
use nianbao_read::read;
use sha2::{Digest, Sha256};

#[path = "shared/tokenise.rs"]
mod tokenise;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn timed<T>(total: &mut Duration, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = f();
    *total += started.elapsed();
    value
}

fn main() -> std::io::Result<()> {
    // As the binary does: the same allocator, on the same pages.
    nianbao_export::avoid_transparent_huge_pages();
    let paths = tokenise::corpus_files()?;
    let (mut file, mut hash, mut extracting, mut rendering) = Default::default();
    let mut parsing: BTreeMap<String, (usize, Duration, Duration)> = BTreeMap::new();
    let mut rendered_bytes = 0usize;
    for path in &paths {
        let bytes = timed(&mut file, || std::fs::read(path))?;
        let digest = timed(&mut hash, || Sha256::digest(&bytes));
        let mut floor = Duration::ZERO;
        std::hint::black_box(timed(&mut floor, || tokenise::tokenise(&bytes)));
        let started = Instant::now();
        let Ok(doc) = read(&bytes) else { continue };
        let entry = parsing.entry(doc.format.as_str().to_string()).or_default();
        entry.0 += 1;
        entry.1 += started.elapsed();
        entry.2 += floor;
        let report = timed(&mut extracting, || extract(&doc));
        let result = DocumentResult {
            report_id: format!("r{:02x}", digest[0]),
            source: path.display().to_string(),
            format: doc.format.as_str().to_string(),
            encoding: doc.encoding.to_string(),
            report,
        };
        let rows = timed(&mut rendering, || render(&result));
        rendered_bytes += rows.rows.iter().map(Vec::len).sum::<usize>();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{} documents, one thread", paths.len());
    println!("  read file   {:8.0} ms", ms(file));
    println!("  SHA-256     {:8.0} ms", ms(hash));
    for (format, (n, d, floor)) in &parsing {
        println!(
            "  parse {format:<5} {:8.0} ms  ({n} documents; the parse floor {:.0} ms)",
            ms(*d),
            ms(*floor)
        );
    }
    println!("  extract     {:8.0} ms", ms(extracting));
    println!(
        "  render      {:8.0} ms  ({:.1} MB of CSV)",
        ms(rendering),
        rendered_bytes as f64 / 1e6
    );
    Ok(())
}
