//! Prints a generated report: `cargo run -p nianbao-testkit --example render -- SEED [2019|2021] [pipes]`.
use nianbao_model::Template;
use nianbao_testkit::{layout, render_text, Noise, TextStyle, Truth};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let template = if args.get(2).map(String::as_str) == Some("2019") {
        Template::T2019
    } else {
        Template::T2021
    };
    let style = if args.get(3).map(String::as_str) == Some("pipes") {
        TextStyle::PipeRows
    } else {
        TextStyle::Tabbed
    };
    print!(
        "{}",
        render_text(&layout(&Truth::random(seed, template, Noise::ALL)), style)
    );
}
