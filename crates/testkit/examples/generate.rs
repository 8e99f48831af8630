//! Writes N generated reports in one format, for benchmarks:
//! `cargo run --release -p nianbao-testkit --example generate -- DIR N text|html|gbk|docx|mixed`.
//! Seeds run from 0, templates alternate, so the same command gives the same files.

use std::path::PathBuf;

use nianbao_model::Template;
use nianbao_testkit::{render, Noise, PageEncoding, Rendering, TextStyle, Truth};

fn rendering(name: &str, seed: u64) -> (Rendering, &'static str) {
    match name {
        "text" => (Rendering::Text(TextStyle::Tabbed), "txt"),
        "html" => (Rendering::Html(PageEncoding::Utf8), "html"),
        "gbk" => (Rendering::Html(PageEncoding::Gb2312Declared), "html"),
        "docx" => (Rendering::Docx, "docx"),
        _ => rendering(["text", "html", "gbk", "docx"][(seed % 4) as usize], seed),
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(args.get(1).map_or("/tmp/nianbao-bench", String::as_str));
    let count: u64 = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let format = args.get(3).map_or("mixed", String::as_str);
    std::fs::create_dir_all(&dir)?;
    for seed in 0..count {
        let template = if seed % 2 == 0 {
            Template::T2021
        } else {
            Template::T2019
        };
        let (r, extension) = rendering(format, seed);
        let truth = Truth::random(seed, template, Noise::ALL);
        std::fs::write(
            dir.join(format!("{seed:06}.{extension}")),
            render(&truth, r, seed),
        )?;
    }
    Ok(())
}
