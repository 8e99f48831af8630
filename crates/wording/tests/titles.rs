//! The title grammar against the table of title forms.

use nianbao_wording::forms::TITLE_FORMS;
use nianbao_wording::{parse_title, TitleKind::*};

#[test]
fn every_title_form_reads_into_agency_year_and_kind() {
    assert!(TITLE_FORMS.len() >= 40);
    let mut wrong = Vec::new();
    for &(printed, agency, year, kind) in TITLE_FORMS {
        let title = parse_title(printed);
        let got = (title.agency.as_str(), title.year, title.kind);
        let want_agency = if matches!(kind, AnnualReport | YearOnly) {
            agency
        } else {
            got.0
        };
        if got != (want_agency, year, kind) {
            wrong.push(format!(
                "{printed}: got {got:?}, want {:?}",
                (agency, year, kind)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} titles misread:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn a_report_needs_its_year_and_a_cut_title_may_be_one() {
    assert!(parse_title("某某局政府信息公开工作2023年度报告").is_report());
    assert!(!parse_title("政府信息公开年报").is_report());
    assert!(parse_title("政府信息公开年报").is_report_column());
    assert!(parse_title("2023年度报告").may_be_report());
    assert!(parse_title("北宫镇人民政府2023年政府信息公开...").may_be_report());
    assert!(!parse_title("北宫镇2023年政府信息公开工作年度报告解读").may_be_report());
    assert!(parse_title("北宫镇人民政府2023年政府信息公开...").cut);
}

#[test]
fn the_part_of_a_page_title_that_names_the_report() {
    use nianbao_wording::title_part;
    for (page_title, part) in [
        (
            "甘州区北街街道办事处2024年度政府信息公开年报-张掖市甘州区人民政府",
            "甘州区北街街道办事处2024年度政府信息公开年报",
        ),
        (
            "首页_政务公开_北宫镇2023年政府信息公开工作年度报告",
            "北宫镇2023年政府信息公开工作年度报告",
        ),
        ("良渚街道 | 2023年度报告", "2023年度报告"),
        ("余杭区人民政府门户网站", "余杭区人民政府门户网站"),
    ] {
        assert_eq!(title_part(page_title), part, "{page_title}");
    }
}
