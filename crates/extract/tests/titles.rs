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

/// A generated report titled `title` whose text ends with `ending` (a signature, a date).
fn report_ending(truth: &Truth, title: &[&str], ending: &str) -> Vec<u8> {
    let mut bytes = render_text_titled(truth, title);
    bytes.extend_from_slice(format!("\n{ending}\n").as_bytes());
    bytes
}

#[test]
fn a_title_without_a_body_takes_the_body_that_signs_the_report() {
    let mut wrong = Vec::new();
    for (seed, place) in nianbao_testkit::PLACES.iter().enumerate() {
        let truth = Truth::random(seed as u64, Template::T2021, Noise::default());
        let title = format!("{}年政府信息公开工作年度报告", truth.year);
        let name = place.agency_full;
        for ending in [
            format!("{name}\n{}年1月20日", truth.year + 1),
            format!("{name}　　{}年1月20日", truth.year + 1),
            format!("**{name}**\n\n{}-01-20", truth.year + 1),
        ] {
            let doc = read(&report_ending(&truth, &[&title], &ending)).unwrap();
            let report = extract(&doc);
            if report.metadata.agency_full != name || report.metadata.year != Some(truth.year) {
                wrong.push(format!("{ending:?}: {:?}", report.metadata.agency_full));
            }
            if let Some(w) = report
                .warnings
                .iter()
                .find(|w| w.code == "metadata_missing")
            {
                wrong.push(format!("{ending:?}: {}", w.message));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn markdown_around_a_title_is_not_part_of_the_body() {
    let truth = Truth::random(7, Template::T2021, Noise::default());
    for place in nianbao_testkit::PLACES {
        let title = format!(
            "{}{}年政府信息公开工作年度报告",
            place.agency_full, truth.year
        );
        for printed in [
            format!("# {title}"),
            format!("**{title}**"),
            format!("## **{title}**"),
        ] {
            let metadata =
                extract(&read(&render_text_titled(&truth, &[&printed])).unwrap()).metadata;
            assert_eq!(metadata.agency_full, place.agency_full, "{printed}");
            assert_eq!(metadata.title, title, "{printed}");
        }
    }
}

#[test]
fn a_report_naming_no_body_says_so() {
    let truth = Truth::random(8, Template::T2021, Noise::default());
    let title = format!("{}年政府信息公开工作年度报告", truth.year);
    let report = extract(&read(&render_text_titled(&truth, &[&title])).unwrap());
    assert_eq!(report.metadata.agency_full, "");
    let missing = report
        .warnings
        .iter()
        .find(|w| w.code == "metadata_missing")
        .expect("a warning names the gap");
    assert_eq!(missing.location, "metadata.agency");
}

#[test]
fn a_report_naming_no_body_takes_it_from_the_crawls_listing() {
    let truth = Truth::random(9, Template::T2021, Noise::default());
    let title = format!("{}年政府信息公开工作年度报告", truth.year);
    for place in nianbao_testkit::PLACES {
        let listed = format!(
            "{}{}年度政府信息公开工作年度报告",
            place.agency_full, truth.year
        );
        for (key, value) in [
            (nianbao_read::LISTING_TITLE, listed.as_str()),
            (nianbao_read::LISTING_COLUMN, place.agency_full),
        ] {
            let mut doc = read(&render_text_titled(&truth, &[&title])).unwrap();
            doc.page_meta.push((key.to_string(), value.to_string()));
            let report = extract(&doc);
            assert_eq!(report.metadata.agency_full, place.agency_full, "{key}");
            assert_eq!(report.metadata.year, Some(truth.year));
            let codes: Vec<&str> = report.warnings.iter().map(|w| w.code).collect();
            assert!(codes.contains(&"metadata_from_listing"), "{codes:?}");
            assert!(!codes.contains(&"metadata_missing"), "{codes:?}");
        }
    }
    // A listing column that is no body's name (年报) names none.
    let mut doc = read(&render_text_titled(&truth, &[&title])).unwrap();
    doc.page_meta.push((
        nianbao_read::LISTING_COLUMN.to_string(),
        "政府信息公开年报".into(),
    ));
    assert_eq!(extract(&doc).metadata.agency_full, "");
}
