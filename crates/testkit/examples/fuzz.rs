//! Writes one fuzzed report to a file, so that a seed the fuzz test names can be looked at.
//!
//! Usage: `cargo run -p nianbao-testkit --example fuzz -- SEED RENDERER OUTFILE`, where
//! RENDERER is tabbed, pipe, markdown, html or docx. `NIANBAO_FUZZ_CLASSES` (a comma list
//! of class names) restricts the classes drawn, as in the test. The variation drawn and
//! the truth's template are printed on stderr.

use nianbao_testkit::{ClassSet, FuzzRendering, FuzzedReport};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [seed, renderer, out] = args.as_slice() else {
        eprintln!("usage: fuzz SEED RENDERER OUTFILE (RENDERER: tabbed|pipe|markdown|html|docx)");
        std::process::exit(2);
    };
    let seed: u64 = seed.parse().expect("SEED is a number");
    let rendering = FuzzRendering::from_name(renderer).expect("a known RENDERER");
    let classes = match std::env::var("NIANBAO_FUZZ_CLASSES") {
        Ok(list) => ClassSet::from_names(&list).expect("known class names"),
        Err(_) => ClassSet::ALL,
    };
    let report = FuzzedReport::draw(seed, classes);
    std::fs::write(out, report.render(rendering)).expect("OUTFILE is writable");
    eprintln!(
        "seed {seed}: {:?} {} {}\n{:#?}",
        report.truth.template, report.truth.place.agency_full, report.truth.year, report.variation
    );
}
