//! The statistics form of a pre-2019 report (政府信息公开情况统计表: 指标名称 | 计量单位 |
//! this year | 历年累计), read as printed. Its labels have no canonical keys, and its
//! look-alikes (行政复议数, 同意公开答复数) are never mapped into the standard tables.

use std::sync::LazyLock;

use nianbao_model::{parse_figure, Figure, Report, StatisticCell};
use nianbao_read::Document;
use regex::Regex;

/// A row as printed with spaces between its cells: `主动公开信息数 条 425 1516`.
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\S+?)\s+(条|件|个|项|次|人次|元|万元)\s+(\d+(?:\.\d+)?)(?:\s+(\d+(?:\.\d+)?))?(?:\s|$)",
    )
    .expect("static regex")
});
static YEAR_COLUMN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年度?").expect("static regex"));

/// Reads the form if the report prints one; says so when its cells run together.
pub fn statistics(doc: &Document, report: &mut Report) {
    let text: String = doc.paragraphs().collect::<Vec<_>>().join(" ");
    // The form's header row: 指标名称 计量单位 2011年度 历年累计.
    let Some(start) = text.find("指标名称") else {
        return;
    };
    let form = &text[start..];
    let form = &form[..form.find("附件下载").unwrap_or(form.len())];
    let header_end = form.find("单位").map_or(0, |i| i + "单位".len());
    let header: String = form[header_end..].chars().take(30).collect();
    let this_year = YEAR_COLUMN
        .captures(&header)
        .map(|c| format!("{}年度", &c[1]))
        .unwrap_or_else(|| "本年度".to_string());
    let cumulative = if header.contains("历年累计") {
        "历年累计"
    } else {
        "累计"
    };
    let cell = |raw: &str| Figure {
        raw: raw.to_string(),
        value: parse_figure(raw).ok().map(|p| p.value),
    };
    for caps in ROW.captures_iter(&form[header_end..]) {
        let label = caps[1].trim_start_matches("其中：").to_string();
        for (column, raw) in [(this_year.as_str(), caps.get(3)), (cumulative, caps.get(4))] {
            if let Some(raw) = raw {
                report.statistics.push(StatisticCell {
                    label: label.clone(),
                    unit: caps[2].to_string(),
                    column: column.to_string(),
                    figure: cell(raw.as_str()),
                });
            }
        }
    }
    if report.statistics.is_empty() {
        report.warn(
            "statistics_joined",
            "pre2019_statistics",
            "the statistics form prints its cells run together (label, unit and figures with no separator); not read",
        );
    }
}
