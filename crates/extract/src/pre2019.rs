//! The statistics form of a pre-2019 report (政府信息公开情况统计表: 指标名称 | 计量单位 |
//! this year | 历年累计), read as printed. Its labels have no canonical keys, and its
//! look-alikes (行政复议数, 同意公开答复数) are never mapped into the standard tables.
//!
//! The narrative's figures whose meaning is one canonical cell (受理申请N件, 未收到…申请,
//! 行政复议N件) are kept beside the form, in the column `narrative` under the cell's key,
//! with the sentence as their raw text — never in the standard tables.

use std::sync::LazyLock;

use nianbao_model::{parse_figure, Figure, Report, StatisticCell, WarningCode};
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

/// Narrative sentences with one meaning, and the canonical cell each states.
static NARRATIVE: LazyLock<[(Regex, &'static str); 4]> = LazyLock::new(|| {
    let re = |p: &str| Regex::new(p).expect("static regex");
    [
        (
            re(
                r"(?:受理|收到)(?:了)?(?:各类|有关)?(?:政府信息公开)?(?:的)?申请(?:共计|共|总数)?(\d+)件",
            ),
            "applications.new_received.total",
        ),
        (
            re(r"未(?:收到|受理)(?:过)?(?:任何|有关)?(?:的)?(?:政府信息公开)?(?:的)?申请"),
            "applications.new_received.total",
        ),
        (
            re(r"(?:因政府信息公开)?(?:申请)?行政复议(?:案件|申请)?(?:共)?(\d+)件"),
            "review_litigation.review.total",
        ),
        (
            re(
                r"未(?:收到|发生)(?:任何|有关)?(?:的)?(?:因?政府信息公开(?:申请)?(?:的)?)?(?:提起)?行政复议",
            ),
            "review_litigation.review.total",
        ),
    ]
});

/// The narrative's figures that state one canonical cell. A cell stated twice with
/// different figures is not a figure but a question: left out, with a warning.
pub fn narrative(doc: &Document, report: &mut Report) {
    let text: String = doc.paragraphs().collect::<Vec<_>>().join(" ");
    // The form itself is not narrative.
    let text = &text[..text.find("指标名称").unwrap_or(text.len())];
    let mut found: Vec<StatisticCell> = Vec::new();
    for (pattern, key) in NARRATIVE.iter() {
        for caps in pattern.captures_iter(text) {
            let value = caps.get(1).map_or("0", |m| m.as_str());
            let cell = StatisticCell {
                label: key.to_string(),
                unit: "件".to_string(),
                column: "narrative".to_string(),
                figure: Figure {
                    raw: caps[0].to_string(),
                    value: parse_figure(value).ok().map(|p| p.value),
                },
            };
            if !found
                .iter()
                .any(|f| f.label == cell.label && f.figure.value == cell.figure.value)
            {
                found.push(cell);
            }
        }
    }
    let mut keys: Vec<String> = found.iter().map(|f| f.label.clone()).collect();
    keys.dedup();
    for key in keys {
        let stated: Vec<&StatisticCell> = found.iter().filter(|f| f.label == key).collect();
        if stated.len() > 1 {
            let raws: Vec<&str> = stated.iter().map(|f| f.figure.raw.as_str()).collect();
            report.warn(
                WarningCode::NarrativeConflict,
                format!("pre2019_statistics.{key}"),
                format!(
                    "the narrative states {key} differently ({}); not taken",
                    raws.join(" / ")
                ),
            );
            continue;
        }
        report.warn(
            WarningCode::NarrativeFigure,
            format!("pre2019_statistics.{key}"),
            format!(
                "from the narrative, not a table: 「{}」",
                stated[0].figure.raw
            ),
        );
        report.statistics.push(stated[0].clone());
    }
}

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
            WarningCode::StatisticsJoined,
            "pre2019_statistics",
            "the statistics form prints its cells run together (label, unit and figures with no separator); not read",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_read::read_text;

    fn narrative_of(text: &str) -> (Vec<(String, String)>, Vec<WarningCode>) {
        let doc = read_text(text, "UTF-8");
        let mut report = Report::default();
        narrative(&doc, &mut report);
        let cells = report
            .statistics
            .iter()
            .map(|c| {
                (
                    c.label.clone(),
                    c.figure.value.map(|v| v.to_string()).unwrap_or_default(),
                )
            })
            .collect();
        (cells, report.warnings.iter().map(|w| w.code).collect())
    }

    #[test]
    fn one_meaning_is_taken_two_are_a_question() {
        let (cells, _) =
            narrative_of("全年共受理政府信息公开申请12件，因政府信息公开申请行政复议1件。");
        assert_eq!(
            cells,
            vec![
                (
                    "applications.new_received.total".to_string(),
                    "12".to_string()
                ),
                (
                    "review_litigation.review.total".to_string(),
                    "1".to_string()
                ),
            ]
        );
        let (cells, warnings) = narrative_of("受理申请12件。后又受理申请3件。");
        assert!(cells.is_empty());
        assert_eq!(warnings, vec![WarningCode::NarrativeConflict]);
        // Figures of the form are not narrative; numbers of other things are not taken.
        let (cells, _) = narrative_of("主动公开政府信息425条。指标名称 计量单位 受理申请数 件 5");
        assert!(cells.is_empty());
    }
}
