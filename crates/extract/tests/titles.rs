//! Every title form of the shared table, printed as a report's first line, gives the
//! agency and year the title grammar reads from it: crawl and extraction agree.

use nianbao_extract::extract;
use nianbao_model::Template;
use nianbao_read::read;
use nianbao_testkit::{layout, render_text, Noise, Part, TextStyle, Truth};
use nianbao_wording::forms::TITLE_FORMS;
use nianbao_wording::TitleKind;

/// A generated report whose title is `title`, on one line or broken before its subject.
fn report_titled(title: &str, seed: u64, split_at: Option<&str>) -> Vec<u8> {
    let truth = Truth::random(seed, Template::T2021, Noise::default());
    let mut parts = layout(&truth);
    let title_lines = if truth.split_title { 2 } else { 1 };
    parts.drain(..title_lines);
    let lines: Vec<String> = match split_at.and_then(|s| title.find(s)) {
        Some(i) if i > 0 => vec![title[..i].to_string(), title[i..].to_string()],
        _ => vec![title.to_string()],
    };
    for (i, line) in lines.into_iter().enumerate() {
        parts.insert(i, Part::Paragraph(line));
    }
    render_text(&parts, TextStyle::Tabbed).into_bytes()
}

#[test]
fn every_report_title_form_gives_the_grammars_agency_and_year() {
    let mut wrong = Vec::new();
    let reports = TITLE_FORMS.iter().filter(|(_, agency, year, kind)| {
        *kind == TitleKind::AnnualReport && !agency.is_empty() && year.is_some()
    });
    for (seed, &(title, agency, year, _)) in reports.enumerate() {
        // Whole, and broken over two lines before the subject as PDFs and OCR print it.
        for split_at in [None, Some("政府信息公开")] {
            let doc = read(&report_titled(title, seed as u64, split_at)).unwrap();
            let metadata = extract(&doc).metadata;
            if (metadata.agency_full.as_str(), metadata.year) != (agency, year) {
                wrong.push(format!(
                    "{title} (split at {split_at:?}): agency {:?}, year {:?}",
                    metadata.agency_full, metadata.year
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
