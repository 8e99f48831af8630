//! Every title form of the shared table, printed as a report's first line, gives the
//! agency and year the title grammar reads from it: crawl and extraction agree.

use nianbao_extract::extract;
use nianbao_model::Template;
use nianbao_read::read;
use nianbao_testkit::{render_text_titled, Noise, Truth};
use nianbao_wording::forms::TITLE_FORMS;
use nianbao_wording::TitleKind;

/// A generated report whose title is `title`, on one line or broken before `split_at`.
fn report_titled(title: &str, seed: u64, split_at: Option<&str>) -> Vec<u8> {
    let truth = Truth::random(seed, Template::T2021, Noise::default());
    match split_at.and_then(|s| title.find(s)).filter(|i| *i > 0) {
        Some(i) => render_text_titled(&truth, &[&title[..i], &title[i..]]),
        None => render_text_titled(&truth, &[title]),
    }
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
