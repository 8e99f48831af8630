//! Writes a generated report to stdout:
//! `cargo run -p nianbao-testkit --example render -- SEED 2019|2021 text|pipes|lines|html|gbk|docx`.
use std::io::Write;

use nianbao_model::Template;
use nianbao_testkit::{render, Noise, PageEncoding, Rendering, TextStyle, Truth};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let template = match args.get(2).map(String::as_str) {
        Some("2019") => Template::T2019,
        _ => Template::T2021,
    };
    let rendering = match args.get(3).map(String::as_str) {
        Some("pipes") => Rendering::Text(TextStyle::PipeRows),
        Some("lines") => Rendering::Text(TextStyle::CellLines),
        Some("html") => Rendering::Html(PageEncoding::Utf8),
        Some("gbk") => Rendering::Html(PageEncoding::Gb2312Declared),
        Some("docx") => Rendering::Docx,
        _ => Rendering::Text(TextStyle::Tabbed),
    };
    let truth = Truth::random(seed, template, Noise::ALL);
    std::io::stdout()
        .write_all(&render(&truth, rendering, seed))
        .expect("stdout");
}
