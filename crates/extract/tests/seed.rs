//! The seed report (北宫镇 2024, a real township report saved as text), extracted whole:
//! every cell of the three tables against the printed figures.

mod common;

use common::{active_map, applications_map, read_file, repo_path, review_map, seed_text};
use nianbao_extract::extract;
use nianbao_model::{CheckStatus, Level, Status, Template, WarningCode};
use nianbao_read::{read, read_text};

/// Table 三 of the seed as printed: row key → the seven applicant columns.
const SEED_APPLICATIONS: &[(&str, [i64; 7])] = &[
    ("new_received", [23, 3, 0, 0, 0, 0, 26]),
    ("carried_over", [2, 0, 0, 0, 0, 0, 2]),
    ("granted", [3, 0, 0, 0, 0, 0, 3]),
    ("partially_granted", [4, 1, 0, 0, 0, 0, 5]),
    ("denied_state_secret", [0, 0, 0, 0, 0, 0, 0]),
    ("denied_prohibited_by_law", [0, 0, 0, 0, 0, 0, 0]),
    ("denied_three_safeties", [0, 0, 0, 0, 0, 0, 0]),
    ("denied_third_party", [0, 0, 0, 0, 0, 0, 0]),
    ("denied_internal_affairs", [2, 0, 0, 0, 0, 0, 2]),
    ("denied_process_info", [3, 0, 0, 0, 0, 0, 3]),
    ("denied_enforcement_file", [1, 1, 0, 0, 0, 0, 2]),
    ("denied_administrative_query", [0, 0, 0, 0, 0, 0, 0]),
    ("unavailable_not_held", [9, 1, 0, 0, 0, 0, 10]),
    ("unavailable_needs_creation", [0, 0, 0, 0, 0, 0, 0]),
    ("unavailable_unclear", [0, 0, 0, 0, 0, 0, 0]),
    ("rejected_petition", [0, 0, 0, 0, 0, 0, 0]),
    ("rejected_duplicate", [0, 0, 0, 0, 0, 0, 0]),
    ("rejected_publication", [0, 0, 0, 0, 0, 0, 0]),
    ("rejected_excessive", [0, 0, 0, 0, 0, 0, 0]),
    ("rejected_confirmation", [0, 0, 0, 0, 0, 0, 0]),
    ("other_no_correction", [0, 0, 0, 0, 0, 0, 0]),
    ("other_unpaid_fee", [0, 0, 0, 0, 0, 0, 0]),
    ("other_other", [0, 0, 0, 0, 0, 0, 0]),
    ("total_processed", [22, 3, 0, 0, 0, 0, 25]),
    ("carried_forward", [3, 0, 0, 0, 0, 0, 3]),
];

const APPLICANTS: [&str; 7] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
];

/// Table 四: review | direct litigation | litigation after review, each 维持 纠正 其他 未审结 总计.
const SEED_REVIEW: [(&str, [i64; 5]); 3] = [
    ("review", [3, 0, 0, 0, 3]),
    ("litigation_direct", [2, 0, 0, 0, 2]),
    ("litigation_after_review", [0, 0, 0, 0, 0]),
];
const OUTCOMES: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

/// Table 二: (item, category, metric, value, unit).
const SEED_ACTIVE: &[(&str, &str, &str, &str, &str)] = &[
    ("20.1", "regulations", "issued", "0", ""),
    ("20.1", "regulations", "repealed", "0", ""),
    ("20.1", "regulations", "in_force", "0", ""),
    ("20.1", "normative_documents", "issued", "1", ""),
    ("20.1", "normative_documents", "repealed", "1", ""),
    ("20.1", "normative_documents", "in_force", "1", ""),
    ("20.5", "administrative_license", "decisions", "0", ""),
    ("20.6", "administrative_penalty", "decisions", "1549", ""),
    ("20.6", "administrative_coercion", "decisions", "0", ""),
    ("20.8", "administrative_fees", "fee_amount", "0", "万元"),
];

fn expected_applications() -> Vec<(String, String, String)> {
    SEED_APPLICATIONS
        .iter()
        .flat_map(|(row, values)| {
            APPLICANTS
                .iter()
                .zip(values)
                .map(move |(a, v)| (row.to_string(), a.to_string(), v.to_string()))
        })
        .collect()
}

fn expected_review() -> Vec<(String, String, String)> {
    SEED_REVIEW
        .iter()
        .flat_map(|(p, values)| {
            OUTCOMES
                .iter()
                .zip(values)
                .map(move |(o, v)| (p.to_string(), o.to_string(), v.to_string()))
        })
        .collect()
}

fn expected_active() -> Vec<(String, String, String, String, String)> {
    SEED_ACTIVE
        .iter()
        .map(|(i, c, m, v, u)| {
            (
                i.to_string(),
                c.to_string(),
                m.to_string(),
                v.to_string(),
                u.to_string(),
            )
        })
        .collect()
}

#[test]
fn seed_tables_are_extracted_cell_for_cell() {
    let report = extract(&read(&read_file(&repo_path("corpus/beigong-2024.txt"))).unwrap());
    assert_eq!(applications_map(&report), expected_applications());
    assert_eq!(review_map(&report), expected_review());
    assert_eq!(active_map(&report), expected_active());
    assert_eq!(report.status, Status::Ok, "{}", report.error);
    assert_eq!(report.warnings, vec![], "the seed reads without a warning");
}

#[test]
fn seed_metadata_and_sections() {
    let report = extract(&read(&read_file(&repo_path("corpus/beigong-2024.txt"))).unwrap());
    let m = &report.metadata;
    assert_eq!(
        m.title,
        "北京市丰台区北宫镇人民政府2024年政府信息公开工作年度报告"
    );
    assert_eq!(m.agency, "北宫镇人民政府");
    assert_eq!(m.agency_full, "北京市丰台区北宫镇人民政府");
    assert_eq!(
        (
            m.province.as_str(),
            m.city.as_str(),
            m.county.as_str(),
            m.township.as_str()
        ),
        ("北京市", "", "丰台区", "北宫镇")
    );
    assert_eq!(m.level, Level::Township);
    assert_eq!(
        m.division_code, "110106100",
        "北宫镇 in the 2023 division list"
    );
    assert_eq!(m.year, Some(2024));
    assert_eq!(report.template, Template::T2021);
    let headings: Vec<(u8, &str)> = report
        .sections
        .iter()
        .map(|s| (s.index, s.heading.as_str()))
        .collect();
    assert_eq!(
        headings,
        vec![
            (1, "一、总体情况"),
            (2, "2、 主动公开政府信息情况"),
            (3, "3、 收到和处理政府信息公开申请情况"),
            (4, "四、政府信息公开行政复议、行政诉讼情况"),
            (5, "五、存在的主要问题及改进情况"),
            (6, "六、其他需要报告的事项"),
        ]
    );
    assert!(report.sections[0]
        .text
        .starts_with("（一）组织领导\n北宫镇人民政府高度重视"));
    assert_eq!(
        report.sections[5].text,
        "本年度发出收费通知的件数和总金额以及实际收取的总金额均为0。"
    );
}

#[test]
fn seed_checks_all_pass_including_the_narrative() {
    let report = extract(&read(&read_file(&repo_path("corpus/beigong-2024.txt"))).unwrap());
    let failing: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status != CheckStatus::Pass)
        .collect();
    assert!(failing.is_empty(), "{failing:#?}");
    let names: Vec<&str> = report.checks.iter().map(|c| c.name).collect();
    // 7 balance + 7 results_sum + 25 row totals + 3 proceedings + narrative figures.
    assert_eq!(
        names.iter().filter(|n| n.starts_with("balance.")).count(),
        7
    );
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("results_sum."))
            .count(),
        7
    );
    assert_eq!(
        names.iter().filter(|n| n.starts_with("row_total.")).count(),
        25
    );
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("proceeding_total."))
            .count(),
        3
    );
    let narrative: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.starts_with("narrative."))
        .collect();
    assert_eq!(
        narrative,
        vec![
            "narrative.new_received",
            "narrative.carried_over",
            "narrative.granted",
            "narrative.partially_granted",
            "narrative.unavailable",
            "narrative.other_handling",
            "narrative.carried_forward",
            "narrative.litigation",
        ]
    );
}

#[test]
fn one_changed_figure_fails_exactly_its_checks() {
    // （一）予以公开, 自然人: 3 → 4. The row total and the column's result sum break;
    // the balance (which uses the totals) and the narrative (which quotes the total) hold.
    let text = seed_text();
    let needle = "\t（一）予以公开\n\t3\n";
    assert_eq!(text.matches(needle).count(), 1);
    let changed = text.replace(needle, "\t（一）予以公开\n\t4\n");
    let report = extract(&read_text(&changed, "UTF-8"));
    let failing: Vec<(&str, String)> = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .map(|c| (c.name, c.detail.clone()))
        .collect();
    let names: Vec<&str> = failing.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        vec!["results_sum.natural_person", "row_total.granted"]
    );
    assert!(
        failing[0].1.contains("natural_person") && failing[0].1.contains("granted[natural_person]")
    );
    assert!(
        failing[1].1.contains("row granted")
            && failing[1].1.contains("= 3")
            && failing[1].1.contains("= 4")
    );
    // Nothing else changes: the same cells but one.
    let original = extract(&read_text(&text, "UTF-8"));
    let diff: Vec<_> = applications_map(&original)
        .into_iter()
        .zip(applications_map(&report))
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(diff.len(), 1);
    assert_eq!(report.status, Status::Ok);
}

#[test]
fn a_blank_total_skips_and_a_blank_addend_counts_as_zero() {
    let text = seed_text();
    // Blank the 总计 of （一）予以公开 and the 自然人 cell of 部分公开 (a lone tab is a blank cell
    // once the label has been seen).
    let granted = "\t（一）予以公开\n\t3\n\t0\n\t0\n\t0\n\t0\n\t0\n\t3\n";
    let partial = "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n\t4\n";
    let changed = text
        .replace(
            granted,
            "\t（一）予以公开\n\t3\n\t0\n\t0\n\t0\n\t0\n\t0\n\t\n",
        )
        .replace(
            partial,
            "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n\t\n",
        );
    let report = extract(&read_text(&changed, "UTF-8"));
    let check = |name: &str| {
        report
            .checks
            .iter()
            .find(|c| c.name == name)
            .unwrap()
            .clone()
    };
    assert_eq!(check("row_total.granted").status, CheckStatus::Skip);
    let partial_total = check("row_total.partially_granted");
    assert_eq!(
        partial_total.status,
        CheckStatus::Fail,
        "{}",
        partial_total.detail
    );
    assert!(partial_total
        .detail
        .contains("blank counted as 0: partially_granted[natural_person]"));
    let cell = report
        .applications
        .iter()
        .find(|c| c.row.key() == "partially_granted" && c.applicant.key() == "natural_person")
        .unwrap();
    assert_eq!((cell.figure.raw.as_str(), cell.figure.value), ("", None));
}

#[test]
fn a_cell_that_is_not_a_number_keeps_its_raw_text_and_warns() {
    let text = seed_text().replace("\t行政处罚\n\t1549\n", "\t行政处罚\n\t—\n");
    let report = extract(&read_text(&text, "UTF-8"));
    let cell = report
        .active_disclosure
        .iter()
        .find(|c| c.category.key() == "administrative_penalty")
        .unwrap();
    assert_eq!((cell.figure.raw.as_str(), cell.figure.value), ("—", None));
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::NotANumber
            && w.location == "active_disclosure.20.6.administrative_penalty.decisions"));
}
