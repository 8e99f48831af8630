//! Real-world page layouts (domain.md §1, §3.7): one table split over several `<table>`s,
//! several tables in one, header cells that differ from the template, `<th>` cells, a
//! layout table around the article, blank 总计 cells, characters beyond GB2312 — and the
//! seed's figures re-rendered as a web page and a Word file. Each compares whole tables.

mod common;

use common::{
    active_map, applications_map, assert_matches_truth, read_file, repo_path, review_map,
};
use nianbao_extract::extract;
use nianbao_model::{Applicant, CheckStatus, Report, Status, Template, WarningCode};
use nianbao_read::read;
use nianbao_testkit::{
    layout, render, render_html_page, Noise, PageEncoding, Printed, Rendering, TextStyle, Truth,
};
use serde_json::{json, Map, Value};

fn page(truth: &Truth, seed: u64) -> String {
    let bytes = render_html_page(truth, &layout(truth), PageEncoding::Utf8, seed);
    String::from_utf8(bytes).unwrap()
}

fn extract_html(html: &str) -> Report {
    extract(&read(html.as_bytes()).unwrap())
}

/// Cuts the page's tables at the first row containing `label`: `…</table><table>…`.
fn split_table_before(html: &str, label: &str) -> String {
    let at = html.find(label).expect("label on the page");
    let row_start = html[..at].rfind("<tr>").expect("row start");
    format!(
        "{}</tbody></table>\n<p>&nbsp;</p>\n<table border=\"1\"><tbody>{}",
        &html[..row_start],
        &html[row_start..]
    )
}

#[test]
fn table_three_split_over_two_tables() {
    for (seed, template) in [(11, Template::T2021), (12, Template::T2019)] {
        let truth = Truth::random(seed, template, Noise::ALL);
        let html = split_table_before(&page(&truth, seed), "（四）无法提供");
        let report = extract_html(&html);
        assert_matches_truth(&report, &truth, "split before （四）");
        assert_eq!(report.status, Status::Ok, "{}", report.error);
    }
}

#[test]
fn table_four_header_and_figures_in_separate_tables() {
    let truth = Truth::random(13, Template::T2021, Noise::ALL);
    let html = page(&truth, 13);
    // The figures row of table 四 is the last row of the last table.
    let last_table = html.rfind("<table").unwrap();
    let last_row = last_table + html[last_table..].rfind("<tr>").unwrap();
    let html = format!(
        "{}</tbody></table><table><tbody>{}",
        &html[..last_row],
        &html[last_row..]
    );
    let report = extract_html(&html);
    assert_matches_truth(&report, &truth, "table 四 split");
    assert_eq!(report.status, Status::Ok, "{}", report.error);
}

#[test]
fn all_three_tables_in_one() {
    let truth = Truth::random(14, Template::T2021, Noise::ALL);
    let html = page(&truth, 14);
    // Join the tables: drop each table end and the heading between it and the next table,
    // moving the heading into a full-width row as some pages print it.
    let mut joined = html.clone();
    for heading in [
        "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况",
    ] {
        let at = joined.find(heading).unwrap();
        let table_end = joined[..at].rfind("</tbody></table>").unwrap();
        let next_table = at + joined[at..].find("<tbody>").unwrap() + "<tbody>".len();
        joined = format!(
            "{}<tr><td colspan=\"15\">{heading}</td></tr>{}",
            &joined[..table_end],
            &joined[next_table..]
        );
    }
    let doc = read(joined.as_bytes()).unwrap();
    assert_eq!(doc.tables().count(), 1, "one table on the page");
    let report = extract(&doc);
    assert_matches_truth(&report, &truth, "one table");
    assert_eq!(report.status, Status::Ok, "{}", report.error);
}

#[test]
fn header_wording_and_th_cells_that_differ_from_the_template() {
    let truth = Truth::random(15, Template::T2021, Noise::default());
    let html = page(&truth, 15)
        .replace("法人或其他组织", "法人或者其他组织")
        .replace("申请人情况", "申请人类别")
        .replace("（七）总计", "（七）合计")
        .replace("<td", "<th")
        .replace("</td>", "</th>");
    let report = extract_html(&html);
    assert_matches_truth(&report, &truth, "header variants");
    assert_eq!(report.status, Status::Ok, "{}", report.error);
}

#[test]
fn a_layout_table_around_the_article() {
    let truth = Truth::random(16, Template::T2019, Noise::ALL);
    let html = page(&truth, 16);
    let start = html.find("<div class=\"article\">").unwrap();
    let end = html.find("<div class=\"footer\">").unwrap();
    let wrapped = format!(
        "{}<table width=\"100%\"><tr><td>{}</td></tr></table>{}",
        &html[..start],
        &html[start..end],
        &html[end..]
    );
    let report = extract_html(&wrapped);
    assert_matches_truth(&report, &truth, "layout table");
    assert_eq!(report.sections.len(), 6);
    assert_eq!(report.status, Status::Ok, "{}", report.error);
}

#[test]
fn blank_totals_for_result_rows_are_blank_and_their_checks_skip() {
    // Shanghai 2019 prints 总计 only for 一, 二, （七） and 四 (domain.md §1.6).
    let mut truth = Truth::random(17, Template::T2019, Noise::default());
    for (row, cells) in &mut truth.applications {
        if row.is_result() && row.key() != "total_processed" {
            cells[6] = Printed::blank();
        }
    }
    let report = extract_html(&page(&truth, 17));
    assert_matches_truth(&report, &truth, "blank totals");
    let granted_total = report
        .application(nianbao_model::ApplicationRow::Granted, Applicant::Total)
        .unwrap();
    assert_eq!(
        (granted_total.raw.as_str(), granted_total.value),
        ("", None)
    );
    let row_total = report
        .checks
        .iter()
        .find(|c| c.name == "row_total.granted")
        .unwrap();
    assert_eq!(row_total.status, CheckStatus::Skip);
    let results_total = report
        .checks
        .iter()
        .find(|c| c.name == "results_sum.total")
        .unwrap();
    assert_eq!(
        results_total.status,
        CheckStatus::Fail,
        "the blank rows add up to 0, not to （七）"
    );
    assert!(results_total.detail.contains("blank counted as 0"));
    assert!(report
        .checks
        .iter()
        .filter(|c| c.name.starts_with("balance."))
        .all(|c| c.status == CheckStatus::Pass));
}

#[test]
fn characters_beyond_gb2312_survive_a_gb2312_page() {
    let truth = Truth::random(18, Template::T2021, Noise::default());
    let html = page(&truth, 18).replace("坚持以公开为常态", "䶮堃镕𠀀坚持以公开为常态");
    let html = html.replace(
        "<meta charset=\"utf-8\">",
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\" />",
    );
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&html);
    assert!(!unmappable);
    let doc = read(&bytes).unwrap();
    assert_eq!(doc.encoding, "gb18030");
    assert!(doc
        .paragraphs()
        .any(|p| p.contains("䶮堃镕𠀀坚持以公开为常态")));
    assert_matches_truth(&extract(&doc), &truth, "gb2312 page");
}

/// The seed's extracted figures in the shape of `shared/real/*.expected.json`.
fn as_expected(report: &Report) -> Value {
    let number = |f: &nianbao_model::Figure| match f.value {
        Some(v) if v.is_integer() => json!(v.to_string().parse::<i64>().unwrap()),
        Some(v) => json!(v.to_string()),
        None => Value::Null,
    };
    let mut applications = Map::new();
    for c in &report.applications {
        applications
            .entry(c.row.key())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .unwrap()
            .insert(c.applicant.key().into(), number(&c.figure));
    }
    let mut review = Map::new();
    for c in &report.review_litigation {
        review
            .entry(c.proceeding.key())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .unwrap()
            .insert(c.outcome.key().into(), number(&c.figure));
    }
    let mut active = json!({});
    for c in &report.active_disclosure {
        active[c.item.key()][c.category.key()][c.metric.key()] =
            json!({"value": number(&c.figure), "unit": c.unit});
    }
    json!({
        "metadata": {"template": report.template.as_str(), "year": report.metadata.year, "published_date": ""},
        "applications": applications,
        "review_litigation": review,
        "active_disclosure": active,
    })
}

#[test]
fn the_seed_as_a_web_page_and_a_word_file_gives_the_text_seed_tables() {
    let text_seed = extract(&read(&read_file(&repo_path("corpus/beigong-2024.txt"))).unwrap());
    let truth = Truth::from_expected(&as_expected(&text_seed)).unwrap();
    assert_eq!(truth.place.agency_full, text_seed.metadata.agency_full);
    for rendering in [
        Rendering::Html(PageEncoding::Utf8),
        Rendering::Html(PageEncoding::Gb2312Declared),
        Rendering::Docx,
    ] {
        let report = extract(&read(&render(&truth, rendering, 1)).unwrap());
        let context = format!("{rendering:?}");
        assert_eq!(
            applications_map(&report),
            applications_map(&text_seed),
            "{context}"
        );
        assert_eq!(review_map(&report), review_map(&text_seed), "{context}");
        assert_eq!(active_map(&report), active_map(&text_seed), "{context}");
        assert_eq!(report.template, text_seed.template);
        assert_eq!(report.metadata.agency, text_seed.metadata.agency);
        assert_eq!(report.status, Status::Ok, "{context}: {}", report.error);
    }
}

#[test]
fn a_header_row_of_empty_cells_does_not_take_the_first_half_of_a_cut_label() {
    // A header label followed by as many empty cells as the table has columns, then the
    // first row's label cut in two, its figures under the second half.
    let truth = Truth::random(21, Template::T2021, Noise::default());
    let text = pipe_text(&truth, 21);
    let header = text
        .lines()
        .find(|l| l.contains("申请人情况"))
        .expect("the header row");
    let new_received = text
        .lines()
        .find(|l| l.contains("一、本年新收政府信息公开申请数量"))
        .expect("the first row");
    let empties = " |".repeat(7);
    let cut = new_received.replace(
        "| 一、本年新收政府信息公开申请数量 |",
        &format!("| 一、本年新收政 |{empties}\n| 府信息公开申请数量 |"),
    );
    let text = text
        .replace(header, &format!("{}{empties}", header.trim_end()))
        .replace(new_received, &cut);
    let report = extract(&read(text.as_bytes()).unwrap());
    assert_matches_truth(
        &report,
        &truth,
        "cut first label under a header of empty cells",
    );
    assert_eq!(report.status, Status::Ok, "{}", report.error);
}

#[test]
fn table_four_in_an_order_of_its_own_is_read_by_its_header() {
    use nianbao_model::{Outcome, Proceeding};
    // 总计 first in each proceeding, 复议后起诉 before 未经复议直接起诉: both as the header says.
    let truth = Truth::random(22, Template::T2021, Noise::default());
    let text = pipe_text(&truth, 22);
    let outcomes = [
        Outcome::Total,
        Outcome::Upheld,
        Outcome::Corrected,
        Outcome::Other,
        Outcome::Pending,
    ];
    let labels = ["总计", "结果维持", "结果纠正", "其他结果", "尚未审结"];
    let proceedings = [
        Proceeding::Review,
        Proceeding::LitigationAfterReview,
        Proceeding::LitigationDirect,
    ];
    let figure = |p: Proceeding, o: Outcome| {
        let (_, cells) = truth.review.iter().find(|(q, _)| *q == p).unwrap();
        cells[Outcome::ALL.iter().position(|x| *x == o).unwrap()]
            .raw
            .clone()
    };
    let row = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let blank = |n: usize| vec![String::new(); n];
    let mut table = String::new();
    table += &row([
        vec!["行政复议".into()],
        blank(4),
        vec!["行政诉讼".into()],
        blank(9),
    ]
    .concat());
    table += &row([
        labels.iter().map(|l| l.to_string()).collect(),
        vec!["复议后起诉".into()],
        blank(4),
        vec!["未经复议直接起诉".into()],
        blank(4),
    ]
    .concat());
    table += &row([
        blank(5),
        labels
            .iter()
            .chain(&labels)
            .map(|l| l.to_string())
            .collect(),
    ]
    .concat());
    let figures = proceedings
        .iter()
        .flat_map(|p| outcomes.iter().map(move |o| (*p, *o)))
        .map(|(p, o)| figure(p, o))
        .collect();
    table += &row(figures);
    let text = with_table_four(&text, &table);
    let report = extract(&read(text.as_bytes()).unwrap());
    assert_matches_truth(&report, &truth, "table 四 in its own order");
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::ColumnsByHeader));
}

#[test]
fn two_columns_naming_one_metric_are_neither_read() {
    // 上年处理决定数量 beside 本年处理决定数量: the template means one of them.
    let truth = Truth::random(23, Template::T2021, Noise::default());
    let text = pipe_text(&truth, 23);
    let text = text
        .replace(
            "| 信息内容 | 本年处理决定数量 |",
            "| 信息内容 | 上年处理决定数量 | 本年处理决定数量 |",
        )
        .replace("| 行政许可 | ", "| 行政许可 | 999 | ")
        .replace("| 行政处罚 | ", "| 行政处罚 | 999 | ")
        .replace("| 行政强制 | ", "| 行政强制 | 999 | ");
    assert!(text.contains("上年处理决定数量"));
    let report = extract(&read(text.as_bytes()).unwrap());
    let decisions: Vec<_> = report
        .active_disclosure
        .iter()
        .filter(|c| c.metric.key() == "decisions")
        .collect();
    assert!(decisions.is_empty(), "{decisions:?}");
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::ColumnAmbiguous));
    assert_eq!(report.status, Status::Partial);
}

#[test]
fn a_subtotal_row_of_other_handling_is_not_the_2019_single_row() {
    use nianbao_model::ApplicationRow::{OtherNoCorrection, OtherOther, OtherUnpaidFee};
    // （六）其他处理 with figures of its own (the sum of its three rows) above them.
    let truth = Truth::random(24, Template::T2021, Noise::default());
    let text = pipe_text(&truth, 24);
    let first_child = text
        .lines()
        .find(|l| l.contains("逾期不补正"))
        .expect("the first row of （六）");
    let sums: Vec<String> = (0..7)
        .map(|a| {
            [OtherNoCorrection, OtherUnpaidFee, OtherOther]
                .iter()
                .map(|r| {
                    let (_, cells) = truth.applications.iter().find(|(row, _)| row == r).unwrap();
                    cells[a]
                        .value
                        .as_deref()
                        .unwrap_or("0")
                        .parse::<u64>()
                        .unwrap()
                })
                .sum::<u64>()
                .to_string()
        })
        .collect();
    let subtotal = format!("| （六）其他处理 | {} |\n", sums.join(" | "));
    let text = text.replace(first_child, &format!("{subtotal}{first_child}"));
    let report = extract(&read(text.as_bytes()).unwrap());
    assert_matches_truth(&report, &truth, "（六） subtotal above its rows");
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::UnknownRow && w.location.contains("其他处理")));
}

#[test]
fn a_merged_header_printed_in_each_column_it_covers_is_read_once() {
    // Converters that flatten a merge print its text, and the figure, in every column.
    let truth = Truth::random(25, Template::T2021, Noise::default());
    let text = pipe_text(&truth, 25);
    let mut lines: Vec<String> = Vec::new();
    let mut repeat = false;
    for line in text.lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() == 2 && cells[0] == "信息内容" && !cells[1].contains("件数") {
            repeat = true;
        } else if cells.len() != 2 {
            repeat = false;
        }
        if repeat && cells.len() == 2 {
            lines.push(format!(
                "| {} | {} | {} | {} |",
                cells[0], cells[1], cells[1], cells[1]
            ));
        } else {
            lines.push(line.to_string());
        }
    }
    let text = lines.join("\n");
    assert!(text.contains("本年处理决定数量 | 本年处理决定数量"));
    let report = extract(&read(text.as_bytes()).unwrap());
    assert_matches_truth(&report, &truth, "merged header repeated in each column");
    assert!(!report
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::ColumnAmbiguous));
}

/// `text` (a report as `|` rows) with table 四 replaced by `table`.
fn with_table_four(text: &str, table: &str) -> String {
    let start = text.find("政府信息公开行政复议、行政诉讼情况").unwrap();
    let start = start + text[start..].find('\n').unwrap() + 1;
    let end = start + text[start..].find("存在的主要问题").unwrap();
    let end = text[..end].rfind('\n').unwrap() + 1;
    format!("{}{table}\n{}", &text[..start], &text[end..])
}

#[test]
fn table_four_printed_as_a_review_table_and_a_litigation_table_is_one_table() {
    let truth = Truth::random(26, Template::T2021, Noise::default());
    let text = pipe_text(&truth, 26);
    let figures =
        |i: usize| -> Vec<String> { truth.review[i].1.iter().map(|p| p.raw.clone()).collect() };
    let outcomes = "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计";
    let table = format!(
        "| 行政复议 |\n| {outcomes} |\n| {} |\n\n| 行政诉讼 |\n| 未经复议直接起诉 | 复议后起诉 |\n| {outcomes} | {outcomes} |\n| {} | {} |\n",
        figures(0).join(" | "),
        figures(1).join(" | "),
        figures(2).join(" | "),
    );
    let report = extract(&read(with_table_four(&text, &table).as_bytes()).unwrap());
    assert_matches_truth(&report, &truth, "table 四 in two tables");
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::RowsJoined));
}

/// A generated report as `|` rows.
fn pipe_text(truth: &Truth, seed: u64) -> String {
    String::from_utf8(render(truth, Rendering::Text(TextStyle::PipeRows), seed)).unwrap()
}
