//! Writes the generated reports shipped in `corpus/generated/` (web pages and Word
//! attachments of several bodies and years, both templates):
//! `cargo run -p nianbao-testkit --example corpus -- corpus/generated`.

use std::path::PathBuf;

use nianbao_model::Template;
use nianbao_testkit::{render, Noise, PageEncoding, Rendering, Truth, PLACES};

/// (seed, template, rendering, index into PLACES): townships and sub-districts mostly,
/// several years, both templates, UTF-8 and GBK pages, Word attachments.
const SHIPPED: &[(u64, Template, Rendering, usize)] = &[
    (101, Template::T2021, Rendering::Html(PageEncoding::Utf8), 1),
    (
        102,
        Template::T2021,
        Rendering::Html(PageEncoding::Gb2312Declared),
        2,
    ),
    (
        103,
        Template::T2019,
        Rendering::Html(PageEncoding::GbkUndeclared),
        0,
    ),
    (104, Template::T2021, Rendering::Docx, 6),
    (105, Template::T2019, Rendering::Docx, 1),
    (106, Template::T2021, Rendering::Docx, 3),
];

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "corpus/generated".into()),
    );
    std::fs::create_dir_all(&dir)?;
    for &(seed, template, rendering, place) in SHIPPED {
        let mut truth = Truth::random(seed, template, Noise::ALL);
        truth.place = PLACES[place].clone();
        let extension = match rendering {
            Rendering::Docx => "docx",
            Rendering::Html(_) => "html",
            Rendering::Text(_) => "txt",
        };
        let name = format!(
            "gen{seed}-{}-{}.{extension}",
            truth.place.agency, truth.year
        );
        std::fs::write(dir.join(&name), render(&truth, rendering, seed))?;
        println!("{name}");
    }
    Ok(())
}
