//! Real reports as their publishers' sites served them (`testdata/real/`), against the
//! expected values read by hand. Their tables print cells joined with no separator, which
//! this extractor does not split: they must come out `partial` with a clear reason and no
//! figure at all — never a wrong one. Everything else (template, year, title, dates, URL,
//! body) must be right.

mod common;

use common::read_file;
use nianbao_extract::extract;
use nianbao_model::{Report, Status, Template, WarningCode};
use nianbao_read::read;
use nianbao_testkit::real_report;
use serde_json::Value;

fn expected(name: &str) -> Value {
    let path = real_report(&format!("{name}.expected.json"));
    serde_json::from_slice(&read_file(&path)).expect("expected values are JSON")
}

fn extract_real(name: &str) -> Report {
    extract_file(&real_report(name))
}

fn extract_file(path: &std::path::Path) -> Report {
    extract(&read(&read_file(path)).expect("readable"))
}

fn assert_metadata(report: &Report, expected: &Value) {
    let meta = &expected["metadata"];
    let m = &report.metadata;
    assert_eq!(
        Some(i64::from(m.year.expect("year found"))),
        meta["year"].as_i64()
    );
    assert_eq!(Some(report.template.as_str()), meta["template"].as_str());
    // ` / ` marks where the printed title breaks its line.
    let title = meta["title"].as_str().unwrap().replace(" / ", "");
    assert_eq!(m.title, title);
    assert_eq!(
        Some(m.published_date.as_str()),
        meta["published_date"].as_str()
    );
    // Where the page is not known the expected value says so in words.
    let url = meta["source_url"].as_str().unwrap();
    if !url.contains(' ') {
        assert_eq!(m.source_url, url);
    }
    // The agency read by hand is the page's publisher, the title's body or the statistics
    // table's; the README accepts the title's name and the publisher too. All of them
    // extend the title's name, so one must be a prefix of the other — or, where the title
    // leaves out the city above (洪泽区人民政府 for 淮安市洪泽区人民政府), a suffix.
    // The short name the title prints (上海市科委 for 上海市科学技术委员会) is accepted too.
    let agency = meta["agency"].as_str().unwrap();
    assert!(
        !m.agency_full.is_empty()
            && (agency.starts_with(&m.agency_full)
                || m.agency_full.starts_with(agency)
                || agency.ends_with(&m.agency_full)
                || title.contains(&m.agency_full)),
        "{} vs {agency}",
        m.agency_full
    );
}

fn assert_no_figures(report: &Report) {
    // Only for reports with no standard tables at all.
    assert!(
        report.applications.is_empty(),
        "{:?}",
        report.applications.first()
    );
    assert!(report.review_litigation.is_empty());
    assert!(report.active_disclosure.is_empty());
}

/// Every figure extracted equals the expected one; returns how many of each table.
fn assert_never_wrong(report: &Report, expected: &Value, name: &str) -> (usize, usize, usize) {
    // `null` is a blank cell: no value.
    let number = |v: &Value| match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    };
    for c in &report.applications {
        let want = &expected["applications"][c.row.key()][c.applicant.key()];
        let got = c.figure.value.map(|v| v.to_string());
        assert_eq!(
            got,
            number(want),
            "{name}: applications.{}.{}",
            c.row.key(),
            c.applicant.key()
        );
    }
    for c in &report.review_litigation {
        let want = &expected["review_litigation"][c.proceeding.key()][c.outcome.key()];
        let got = c.figure.value.map(|v| v.to_string());
        assert_eq!(
            got,
            number(want),
            "{name}: review.{}.{}",
            c.proceeding.key(),
            c.outcome.key()
        );
    }
    for c in &report.active_disclosure {
        let want = &expected["active_disclosure"][c.item.key()][c.category.key()][c.metric.key()];
        let got = c.figure.value.map(|v| v.to_string());
        assert_eq!(
            got,
            number(&want["value"]),
            "{name}: active.{}.{}.{}",
            c.item.key(),
            c.category.key(),
            c.metric.key()
        );
        assert_eq!(c.unit, want["unit"].as_str().unwrap_or(""), "{name}");
    }
    (
        report.applications.len(),
        report.review_litigation.len(),
        report.active_disclosure.len(),
    )
}

#[test]
fn joined_cells_are_split_by_arithmetic_and_never_wrong() {
    // (file, application cells, active-disclosure cells the arithmetic can decide)
    for (name, rows, active) in [
        ("pingtan-2023.txt", 25, 7),
        ("pingtan-2025.txt", 25, 7),
        ("pingtan-2019.txt", 23, 3),
    ] {
        let report = extract_real(name);
        let expected = expected(name);
        assert_metadata(&report, &expected);
        let (applications, review, active_cells) = assert_never_wrong(&report, &expected, name);
        assert_eq!(applications, rows * 7, "{name}: table 三 solved whole");
        assert_eq!(review, 15, "{name}: table 四 solved whole");
        assert_eq!(active_cells, active, "{name}");
        // What the arithmetic cannot decide stays empty, named in a warning: the document
        // is partial.
        assert_eq!(report.status, Status::Partial, "{name}");
        assert!(
            report.error.contains("could not be split one way"),
            "{name}: {}",
            report.error
        );
        assert!(report
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::JoinedCellsAmbiguous));
        assert!(report
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::JoinedCells && w.location == "applications"));
    }
}

#[test]
fn pre2019_reports_have_no_standard_tables() {
    for name in ["pingtan-2011.txt", "pingtan-2017.txt"] {
        let report = extract_real(name);
        let expected = expected(name);
        assert!(expected["applications"].is_null());
        assert_eq!(report.template, Template::Pre2019, "{name}");
        assert_metadata(&report, &expected);
        assert_no_figures(&report);
        assert_eq!(report.status, Status::Ok, "{name}: {}", report.error);
    }
}

#[test]
fn pingtan_2025_html_extracts_to_its_expected_values() {
    let name = "pingtan-2025.html";
    let report = extract_real(name);
    let expected = expected(name);
    assert_metadata(&report, &expected);
    let truth = nianbao_testkit::Truth::from_expected(&expected).unwrap();
    common::assert_matches_truth(&report, &truth, name);
    assert_eq!(report.status, Status::Ok, "{}", report.error);
    // The one warning: 平潭综合实验区 is a management zone, not a formal division (the
    // county is 平潭县), so no code is given rather than a guessed one.
    let codes: Vec<WarningCode> = report.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, vec![WarningCode::DivisionUnresolved]);
    assert_eq!(report.metadata.division_code, "");
    assert_eq!(report.sections.len(), 6);
    // No site furniture in the narrative.
    for section in &report.sections {
        for furniture in [
            "当前位置",
            "长者模式",
            "无障碍",
            "相关链接",
            "文件下载",
            "版权所有",
        ] {
            assert!(
                !section.text.contains(furniture),
                "{furniture} in section {}",
                section.index
            );
        }
    }
    // The narrative's figures agree with the tables.
    let narrative: Vec<(&str, &str)> = report
        .checks
        .iter()
        .filter(|c| c.name.starts_with("narrative."))
        .map(|c| (c.name, c.status.as_str()))
        .collect();
    assert_eq!(
        narrative,
        vec![
            ("narrative.new_received", "pass"),
            ("narrative.carried_forward", "pass"),
            ("narrative.review", "pass"),
            ("narrative.litigation", "pass"),
        ]
    );
}

#[test]
fn the_text_twin_agrees_with_the_html_page_where_it_is_readable() {
    let html = extract_real("pingtan-2025.html");
    let text = extract_real("pingtan-2025.txt");
    assert_eq!(html.metadata, text.metadata);
    assert_eq!(html.template, text.template);
    // The text twin prints its cells joined: what it could split equals the page, cell for
    // cell; what it could not is missing, never different.
    assert_eq!(text.applications, html.applications);
    assert_eq!(text.review_litigation, html.review_litigation);
    assert!(!text.active_disclosure.is_empty());
    for cell in &text.active_disclosure {
        assert!(html.active_disclosure.contains(cell), "{cell:?}");
    }
}

#[test]
fn the_2011_statistics_form_is_read_as_printed() {
    let report = extract_real("pingtan-2011.txt");
    let rows: Vec<(String, String, String, String)> = report
        .statistics
        .iter()
        .filter(|c| c.column != "narrative")
        .map(|c| {
            (
                c.label.clone(),
                c.unit.clone(),
                c.column.clone(),
                c.figure.value.map(|v| v.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    let printed: &[(&str, &str, &str)] = &[
        ("主动公开信息数", "425", "1516"),
        ("1.网站公开", "418", "1509"),
        ("2.政府公报公开", "7", "7"),
        ("受理依申请公开信息总数", "0", "0"),
        ("1.当面申请数", "0", "0"),
        ("2.传真申请数", "0", "0"),
        ("3.电子邮件申请数", "0", "0"),
        ("4.网上申请数", "0", "0"),
        ("5.信函申请数", "0", "0"),
        ("6.其它形式申请数", "0", "0"),
        ("对申请的答复数", "0", "0"),
        ("1.同意公开答复数", "0", "0"),
        ("2.同意部分公开答复数", "0", "0"),
        ("3.否决公开答复数", "0", "0"),
        ("行政复议数", "0", "0"),
        ("行政诉讼数", "0", "0"),
        ("行政申诉数", "0", "0"),
    ];
    let expected: Vec<(String, String, String, String)> = printed
        .iter()
        .flat_map(|(label, year, total)| {
            [("2011年度", year), ("历年累计", total)]
                .into_iter()
                .map(|(column, v)| {
                    (
                        label.to_string(),
                        "条".to_string(),
                        column.to_string(),
                        v.to_string(),
                    )
                })
        })
        .collect();
    assert_eq!(rows, expected);
    // Its look-alikes stay out of the standard tables.
    assert!(report.applications.is_empty() && report.review_litigation.is_empty());
    // 2017 prints the form with its cells run together: said, not guessed.
    let joined = extract_real("pingtan-2017.txt");
    assert!(joined.statistics.iter().all(|c| c.column == "narrative"));
    assert!(joined
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::StatisticsJoined));
}

#[test]
fn hongze_2023_pdf_extracts_to_its_expected_values() {
    let name = "hongze-2023.pdf";
    let Some(pdf) = nianbao_testkit::unredistributed_report(
        name,
        "hongze_2023_pdf_extracts_to_its_expected_values",
    ) else {
        return;
    };
    let report = extract_file(&pdf);
    let expected = expected(name);
    assert_metadata(&report, &expected);
    let truth = nianbao_testkit::Truth::from_expected(&expected).unwrap();
    common::assert_matches_truth(&report, &truth, name);
    assert_eq!(report.sections.len(), 6, "{:?}", report.sections);
    // The printed totals contradict their rows (维持 10 + 纠正 1, 总计 0): the values
    // are kept as printed and the checks fail, naming the proceedings.
    let failing: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status.as_str() == "fail")
        .map(|c| c.name)
        .collect();
    assert!(
        failing.iter().any(|n| n.contains("review"))
            && failing.iter().any(|n| n.contains("after_review")),
        "{failing:?}"
    );
    // （六）其他处理 printed as one row: mapped to `other`, said in a warning.
    assert!(report.applications.iter().any(|c| c.row.key() == "other"));
    // The county is found in the division list though the title leaves out its city.
    assert_eq!(report.metadata.division_code, "320813");
    // No page number or running line reaches the narrative.
    assert!(!report
        .sections
        .iter()
        .any(|s| s.text.contains("-1-") || s.text.contains("- 1 -")));
}

#[test]
fn pre2019_narrative_figures_are_kept_beside_the_form_never_in_the_tables() {
    // Both say 未收到有关政府信息公开(的)申请 and 未收到…行政复议: zero applications and
    // zero reviews, stated in words.
    for name in ["pingtan-2011.txt", "pingtan-2017.txt"] {
        let report = extract_real(name);
        let narrative: Vec<(&str, String, &str)> = report
            .statistics
            .iter()
            .filter(|c| c.column == "narrative")
            .map(|c| {
                (
                    c.label.as_str(),
                    c.figure.value.map(|v| v.to_string()).unwrap_or_default(),
                    c.unit.as_str(),
                )
            })
            .collect();
        assert_eq!(
            narrative,
            vec![
                ("applications.new_received.total", "0".to_string(), "件"),
                ("review_litigation.review.total", "0".to_string(), "件"),
            ],
            "{name}"
        );
        assert!(report
            .statistics
            .iter()
            .filter(|c| c.column == "narrative")
            .all(|c| c.figure.raw.starts_with("未收到")));
        assert_eq!(
            report
                .warnings
                .iter()
                .filter(|w| w.code == WarningCode::NarrativeFigure)
                .count(),
            2,
            "{name}"
        );
        assert!(report.applications.is_empty() && report.review_litigation.is_empty());
    }
}

#[test]
fn shanghai_style_rows_without_labels_are_placed_by_the_template_order() {
    // Markdown made from a PDF: the statistics restart at 一、, table 二's rows print as
    // lines of text or under another item's title, table 四's header prints as text above
    // its figures, and eleven rows of table 三 print without their labels.
    let name = "shanghai-kewei-2024.txt";
    let report = extract_real(name);
    let expected = expected(name);
    assert_metadata(&report, &expected);
    let cells = assert_never_wrong(&report, &expected, name);
    assert_eq!(cells, (25 * 7, 15, 10), "{name}: every table whole");
    assert_eq!(report.status, Status::Ok, "{name}: {}", report.error);
    // The 四、结转 总计 cell is blank in the source: blank, never 0.
    let blank = report
        .applications
        .iter()
        .find(|c| c.row.key() == "carried_forward" && c.applicant.key() == "total")
        .expect("the cell is written");
    assert_eq!(blank.figure.value, None);
    let placed = report
        .warnings
        .iter()
        .find(|w| w.code == WarningCode::RowsPlacedByOrder)
        .expect("the rule used is named");
    assert!(placed.message.starts_with("11 rows"), "{}", placed.message);
}
