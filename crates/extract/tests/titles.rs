//! Every title form of the shared table, printed as a report's first line, gives the
//! agency and year the title grammar reads from it: crawl and extraction agree.

use nianbao_extract::extract;
use nianbao_model::{Status, Template, WarningCode};
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
                .find(|w| w.code == WarningCode::MetadataMissing)
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
        .find(|w| w.code == WarningCode::MetadataMissing)
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
            let codes: Vec<WarningCode> = report.warnings.iter().map(|w| w.code).collect();
            assert!(
                codes.contains(&WarningCode::MetadataFromListing),
                "{codes:?}"
            );
            assert!(!codes.contains(&WarningCode::MetadataMissing), "{codes:?}");
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

#[test]
fn the_pages_h1_names_the_report_over_a_site_title_of_another_year() {
    let truth = Truth::random(10, Template::T2021, Noise::default());
    let parts = nianbao_testkit::layout(&truth);
    let page =
        nianbao_testkit::render_html_page(&truth, &parts, nianbao_testkit::PageEncoding::Utf8, 10);
    let page = String::from_utf8(page).unwrap();
    let title = format!(
        "{}{}年政府信息公开工作年度报告",
        truth.place.agency_full, truth.year
    );
    let site_title = format!(
        "南京市人民政府门户网站-政务公开-{}年度政府信息公开工作年度报告汇总",
        truth.year + 1
    );
    // The report's title only in an <h1> outside the article; the site's <title> names
    // another year.
    let page = page.replace(&title, "").replace(
        "<div class=\"article\">",
        &format!("<h1 class=\"title\">{title}</h1><div class=\"article\">"),
    );
    let page = regex_lite_title(&page, &site_title);
    let metadata = extract(&read(page.as_bytes()).unwrap()).metadata;
    assert_eq!(metadata.year, Some(truth.year));
    assert_eq!(metadata.title, title);
    assert_eq!(metadata.agency_full, truth.place.agency_full);
}

/// `page` with its `<title>` element's text replaced.
fn regex_lite_title(page: &str, title: &str) -> String {
    let start = page.find("<title>").unwrap() + "<title>".len();
    let end = page.find("</title>").unwrap();
    format!("{}{title}{}", &page[..start], &page[end..])
}

#[test]
fn a_field_line_above_a_title_is_no_part_of_it_and_the_publisher_line_names_the_body() {
    let truth = Truth::random(11, Template::T2021, Noise::default());
    let title = format!("{}年政府信息公开工作年度报告", truth.year);
    for place in nianbao_testkit::PLACES {
        let lines = [
            format!("发布机构：{}", place.agency_full),
            format!("发布日期：{}", truth.published),
            "索引号：000014349/2025-00012".to_string(),
            title.clone(),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let metadata = extract(&read(&render_text_titled(&truth, &lines)).unwrap()).metadata;
        assert_eq!(metadata.title, title);
        assert_eq!(metadata.agency_full, place.agency_full);
    }
}

#[test]
fn a_title_broken_after_its_places_keeps_them() {
    let truth = Truth::random(12, Template::T2021, Noise::default());
    let mut tried = 0;
    for place in nianbao_testkit::PLACES {
        // 北京市丰台区 / 北宫镇人民政府2024年…: the places on a line of their own.
        let Some(places) = place.agency_full.strip_suffix(place.agency) else {
            continue;
        };
        if places.is_empty() {
            continue;
        }
        tried += 1;
        let rest = format!("{}{}年政府信息公开工作年度报告", place.agency, truth.year);
        let metadata =
            extract(&read(&render_text_titled(&truth, &[places, &rest])).unwrap()).metadata;
        assert_eq!(metadata.agency_full, place.agency_full, "{places} / {rest}");
    }
    assert!(tried > 3, "places to break after: {tried}");
}

/// Prose about a year's report, in the words a notice or an interpretation uses: it names
/// the six sections but prints none of the tables.
fn prose_titled(title: &str) -> Vec<u8> {
    format!(
        "{title}\n各单位：\n一、总体情况。各单位应于次年1月31日前公布本单位政府信息公开工作年度报告。\n\
         二、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况按格式填报。\n\
         三、存在的主要问题及改进情况，其他需要报告的事项，如实报告。\n某某区人民政府办公室\n2023年1月5日\n"
    )
    .into_bytes()
}

#[test]
fn a_look_alike_without_tables_is_no_report_and_says_what_it_is() {
    let mut wrong = Vec::new();
    for &(title, _, _, kind) in TITLE_FORMS {
        // A title cut short is a link's text, never a document's own.
        let Some(what) = kind.look_alike().filter(|_| !title.ends_with("...")) else {
            continue;
        };
        let report = extract(&read(&prose_titled(title)).unwrap());
        if report.status != Status::Failed
            || !report.error.starts_with("not an annual report")
            || !report.error.contains(what)
        {
            wrong.push(format!("{title}: {:?} {}", report.status, report.error));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_report_title_over_prose_and_a_look_alike_over_tables_stay_reports() {
    let mut wrong = Vec::new();
    for (seed, &(title, _, _, kind)) in TITLE_FORMS.iter().enumerate() {
        let mut documents = vec![report_titled(title, seed as u64, None)];
        if kind.look_alike().is_none() {
            documents.push(prose_titled(title));
        }
        for bytes in documents {
            let report = extract(&read(&bytes).unwrap());
            if report.error.starts_with("not an annual report") {
                wrong.push(format!("{title}: {}", report.error));
            }
        }
    }
    // A notice that prints the report it publishes keeps its tables.
    let notice = "某某区人民政府办公室关于印发某某区2023年政府信息公开工作年度报告的通知";
    let report = extract(&read(&report_titled(notice, 1, None)).unwrap());
    assert_eq!(report.status, Status::Ok, "{}", report.error);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// What a page prints around its article, copied with it: breadcrumbs above (the last one
/// naming the 年报 column), buttons, links to the articles before and after.
const CHROME_ABOVE: &[&str] = &[
    "首页 > 政务公开 > 法定主动公开内容 > 政府信息公开年报",
    "当前位置：首页 » 信息公开 » 政府信息公开年报",
    "您的位置：首页 > 政府信息公开 > 年度报告",
    "【字体：大 中 小】 打印本页",
];
const CHROME_BELOW: &[&str] = &[
    "上一篇：北京市朝阳区人民政府2023年政府信息公开工作年度报告",
    "下一篇：关于做好2025年政府信息公开工作年度报告编制发布工作的通知",
    "【关闭窗口】",
    "【打印本页】 【关闭本页】",
    "分享到：",
];

#[test]
fn a_pages_chrome_around_the_article_is_neither_title_nor_signature() {
    let mut wrong = Vec::new();
    for (seed, place) in nianbao_testkit::PLACES.iter().enumerate() {
        let truth = Truth::random(seed as u64, Template::T2021, Noise::default());
        let name = place.agency_full;
        // The title names the body, or only the year and the signature names it.
        for title in [
            format!("{name}{}年政府信息公开工作年度报告", truth.year),
            format!("{}年政府信息公开工作年度报告", truth.year),
        ] {
            for n in 1..=CHROME_ABOVE.len() {
                let mut lines: Vec<&str> = CHROME_ABOVE[..n].to_vec();
                lines.push(&title);
                let below = CHROME_BELOW[..n.min(CHROME_BELOW.len())].join("\n");
                let ending = format!("{name}\n{}年1月20日\n{below}", truth.year + 1);
                let doc = read(&report_ending(&truth, &lines, &ending)).unwrap();
                let m = extract(&doc).metadata;
                if (m.title.as_str(), m.agency_full.as_str(), m.year)
                    != (title.as_str(), name, Some(truth.year))
                {
                    wrong.push(format!(
                        "{title} under {n} chrome lines: title {:?}, body {:?}, year {:?}",
                        m.title, m.agency_full, m.year
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_body_signing_its_report_wins_over_the_office_publishing_it() {
    let mut wrong = Vec::new();
    for (seed, place) in nianbao_testkit::PLACES.iter().enumerate() {
        let truth = Truth::random(seed as u64, Template::T2021, Noise::default());
        let name = place.agency_full;
        let title = format!("{}年政府信息公开工作年度报告", truth.year);
        let ending = format!("{name}\n{}年1月20日", truth.year + 1);
        let office = "某某区人民政府办公室";
        let mut bytes = format!("发布机构: {office}\n==== 正文 ====\n").into_bytes();
        bytes.extend(report_ending(&truth, &[&title], &ending));
        let m = extract(&read(&bytes).unwrap()).metadata;
        if m.agency_full != name {
            wrong.push(format!("{name}: {:?}", m.agency_full));
        }
        // With no signature, the publisher is the body there is.
        let mut bytes = format!("发布机构: {office}\n==== 正文 ====\n").into_bytes();
        bytes.extend(render_text_titled(&truth, &[&title]));
        let m = extract(&read(&bytes).unwrap()).metadata;
        if m.agency_full != office {
            wrong.push(format!("{name} unsigned: {:?}", m.agency_full));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
