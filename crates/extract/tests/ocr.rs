//! OCR'd copies as users paste them: tables in markdown (`| a | b |` with `|---|` rules),
//! the header rows wrong (generic 数据1…数据7), repeated in the middle of the table, and
//! labels misread by a character. Rows are mapped by their labels and columns by the
//! template's order; the figures still equal the truth, and the document says what it
//! could not trust.

mod common;

use common::assert_matches_truth;
use nianbao_extract::extract;
use nianbao_model::{Template, WarningCode};
use nianbao_read::read;
use nianbao_testkit::{render, Noise, Rendering, TextStyle, Truth};

/// OCR misreadings of label characters that look alike.
const MISREAD: [(&str, &str); 4] = [
    ("予以公开", "子以公开"),
    ("信访举报投诉类申请", "信访举报投拆类申请"),
    ("不掌握相关", "不掌据相关"),
    ("重复申请", "重夏申请"),
];

/// The markdown an OCR tool makes of a table 三 printed with `|` rows.
fn ocr_markdown(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_applications = false;
    let mut rows_seen = 0;
    let generic = "| 项目 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 |";
    let rule = "|---|---|---|---|---|---|---|---|";
    for line in text.lines() {
        if line.contains("收到和处理政府信息公开申请情况") {
            in_applications = true;
            out.push(line.to_string());
            continue;
        }
        if in_applications && line.starts_with('|') {
            // The three printed header rows become one generic header and its rule.
            if line.contains("勾稽关系") {
                out.push(generic.to_string());
                out.push(rule.to_string());
                continue;
            }
            if line.contains("自然人") || line.contains("商业企业") {
                continue;
            }
            rows_seen += 1;
            if rows_seen == 8 {
                // A page break in the scan: the header again.
                out.push(generic.to_string());
                out.push(rule.to_string());
            }
            let mut line = line.to_string();
            for (right, wrong) in MISREAD {
                line = line.replace(right, wrong);
            }
            out.push(line);
            continue;
        }
        if in_applications && !line.starts_with('|') && !line.trim().is_empty() {
            in_applications = false;
        }
        out.push(line.to_string());
    }
    out.join("\n")
}

#[test]
fn ocr_markdown_tables_map_by_row_labels_and_template_order() {
    for template in [Template::T2021, Template::T2019] {
        for seed in 0..100u64 {
            let truth = Truth::random(seed, template, Noise::ALL);
            let text =
                String::from_utf8(render(&truth, Rendering::Text(TextStyle::PipeRows), seed))
                    .expect("text rendering is UTF-8");
            let ocr = ocr_markdown(&text);
            assert!(ocr.contains("数据1") && ocr.contains("子以公开"), "mangled");
            let report = extract(&read(ocr.as_bytes()).expect("readable"));
            let context = format!("{template:?} seed {seed}");
            assert_matches_truth(&report, &truth, &context);
            let codes: Vec<WarningCode> = report.warnings.iter().map(|w| w.code).collect();
            assert!(
                codes.contains(&WarningCode::HeaderDiffers),
                "{context}: {codes:?}"
            );
            assert!(
                codes.contains(&WarningCode::LabelMisread),
                "{context}: {codes:?}"
            );
        }
    }
}
