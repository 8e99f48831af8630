//! A report laid out as the official form prints it: paragraphs and tables whose cells
//! carry row and column spans exactly where the template merges them. Every renderer
//! (text, HTML, DOCX) starts from this layout.
//!
//! The printed labels here are written out as the form prints them, independently of the
//! extractor's dictionary, so that a test compares two sources.

use nianbao_model::{ActiveCategory, ActiveItem, ActiveMetric, ApplicationRow, Template};

use crate::truth::{Printed, Truth};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridCell {
    /// May hold `\n` where the page breaks a label (`商业\n企业`).
    pub text: String,
    pub rows: usize,
    pub cols: usize,
}

fn cell(text: impl Into<String>) -> GridCell {
    GridCell {
        text: text.into(),
        rows: 1,
        cols: 1,
    }
}

fn span(text: impl Into<String>, rows: usize, cols: usize) -> GridCell {
    GridCell {
        text: text.into(),
        rows,
        cols,
    }
}

/// Rows of the cells that start in them.
pub type Grid = Vec<Vec<GridCell>>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Paragraph(String),
    Table(Grid),
}

/// The printed label of a row of table 三, and the parent label printed in its row when it
/// is the first child of （三）…（六）.
fn application_label(row: ApplicationRow, variants: bool) -> (&'static str, &'static str) {
    use ApplicationRow::*;
    match row {
        NewReceived => ("", "一、本年新收政府信息公开申请数量"),
        CarriedOver => ("", "二、上年结转政府信息公开申请数量"),
        Granted => (
            "",
            if variants {
                "(一)予以公开"
            } else {
                "（一）予以公开"
            },
        ),
        PartiallyGranted => (
            "",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ),
        DeniedStateSecret => ("（三）不予公开", "1.属于国家秘密"),
        DeniedProhibitedByLaw => ("", "2.其他法律行政法规禁止公开"),
        DeniedThreeSafeties => (
            "",
            if variants {
                "3.危及\"三安全一稳定\""
            } else {
                "3.危及“三安全一稳定”"
            },
        ),
        DeniedThirdParty => ("", "4.保护第三方合法权益"),
        DeniedInternalAffairs => ("", "5.属于三类内部事务信息"),
        DeniedProcessInfo => ("", "6.属于四类过程性信息"),
        DeniedEnforcementFile => ("", "7.属于行政执法案卷"),
        DeniedAdministrativeQuery => ("", "8.属于行政查询事项"),
        UnavailableNotHeld => ("（四）无法提供", "1.本机关不掌握相关政府信息"),
        UnavailableNeedsCreation => ("", "2.没有现成信息需要另行制作"),
        UnavailableUnclear => ("", "3.补正后申请内容仍不明确"),
        RejectedPetition => ("（五）不予处理", "1.信访举报投诉类申请"),
        RejectedDuplicate => ("", "2.重复申请"),
        RejectedPublication => ("", "3.要求提供公开出版物"),
        RejectedExcessive => ("", "4.无正当理由大量反复申请"),
        RejectedConfirmation => ("", "5.要求行政机关确认或重新出具已获取信息"),
        OtherNoCorrection => (
            "（六）其他处理",
            if variants {
                "1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请"
            } else {
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
            },
        ),
        OtherUnpaidFee => (
            "",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        OtherOther => ("", "3.其他"),
        Other => ("", "（六）其他处理"),
        TotalProcessed => ("", "（七）总计"),
        CarriedForward => ("", "四、结转下年度继续办理"),
    }
}

fn figures(cells: &[Printed]) -> impl Iterator<Item = GridCell> + '_ {
    cells.iter().map(|p| cell(p.raw.clone()))
}

/// Table 三 with the official merges (domain.md §1.4).
pub fn applications_grid(truth: &Truth) -> Grid {
    let v = truth.label_variants;
    let mut grid: Grid = vec![
        vec![
            span(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                3,
                3,
            ),
            span("申请人情况", 1, 7),
        ],
        vec![
            span("自然人", 2, 1),
            span("法人或其他组织", 1, 5),
            span("总计", 2, 1),
        ],
        vec![
            cell("商业\n企业"),
            cell("科研\n机构"),
            cell("社会公益组织"),
            cell("法律服务机构"),
            cell(if v { "其他组织" } else { "其他" }),
        ],
    ];
    // 三、本年度办理结果 spans every result row and （七）总计.
    let results = truth
        .applications
        .iter()
        .filter(|(r, _)| r.is_result())
        .count()
        + 1;
    let group_sizes = |parent: &str| {
        truth
            .applications
            .iter()
            .filter(|(r, _)| {
                r.group().is_some_and(|g| parent.contains(g.keyword()))
                    && *r != ApplicationRow::Other
            })
            .count()
    };
    let mut first_result = true;
    for (row, cells) in &truth.applications {
        let (parent, label) = application_label(*row, v);
        let mut out = Vec::new();
        if row.is_result() {
            if first_result {
                out.push(span("三、本年度办理结果", results, 1));
                first_result = false;
            }
            if parent.is_empty() {
                if row.group().is_none() || *row == ApplicationRow::Other {
                    out.push(span(label, 1, 2));
                } else {
                    out.push(cell(label));
                }
            } else {
                out.push(span(parent, group_sizes(parent), 1));
                out.push(cell(label));
            }
        } else if *row == ApplicationRow::TotalProcessed {
            // Under 三、本年度办理结果, which covers the first label column.
            out.push(span(label, 1, 2));
        } else {
            out.push(span(label, 1, 3));
        }
        out.extend(figures(cells));
        grid.push(out);
    }
    grid
}

/// Table 四 (domain.md §1.5).
pub fn review_grid(truth: &Truth) -> Grid {
    let outcomes = [
        "结果\n维持",
        "结果\n纠正",
        "其他\n结果",
        "尚未\n审结",
        "总计",
    ];
    let mut second = outcomes.iter().map(|o| span(*o, 2, 1)).collect::<Vec<_>>();
    second.push(span("未经复议直接起诉", 1, 5));
    second.push(span("复议后起诉", 1, 5));
    vec![
        vec![span("行政复议", 1, 5), span("行政诉讼", 1, 10)],
        second,
        outcomes
            .iter()
            .chain(outcomes.iter())
            .map(|o| cell(*o))
            .collect(),
        truth
            .review
            .iter()
            .flat_map(|(_, cells)| figures(cells))
            .collect(),
    ]
}

fn item_title(item: ActiveItem) -> &'static str {
    match item {
        ActiveItem::Item1 => "第二十条第（一）项",
        ActiveItem::Item5 => "第二十条第（五）项",
        ActiveItem::Item6 => "第二十条第（六）项",
        ActiveItem::Item8 => "第二十条第（八）项",
        ActiveItem::Item9 => "第二十条第（九）项",
    }
}

fn metric_header(metric: ActiveMetric, truth: &Truth) -> String {
    use ActiveMetric::*;
    match metric {
        Issued => "本年制发件数".into(),
        Repealed => "本年废止件数".into(),
        InForce => "现行有效件数".into(),
        FeeAmount => "本年收费金额（单位：万元）".into(),
        NewlyMade => "本年新\n制作数量".into(),
        NewlyPublished => "本年新\n公开数量".into(),
        TotalPublished => "对外公开总数量".into(),
        PriorYearCount => "上一年项目数量".into(),
        Change => "本年增/减".into(),
        Decisions if truth.template == Template::T2019 => "处理决定数量".into(),
        Decisions => "本年处理决定数量".into(),
        ProcurementCount => "采购项目数量".into(),
        ProcurementAmount if truth.procurement_unit_in_cell => "采购总金额".into(),
        ProcurementAmount => "采购总金额(万元)".into(),
    }
}

fn category_label(category: ActiveCategory, truth: &Truth) -> &'static str {
    match category {
        ActiveCategory::NormativeDocuments if truth.template == Template::T2019 => "规范性文件",
        other => other.zh(),
    }
}

/// Table 二: sub-tables under a title row each, in one grid four columns wide (narrower
/// sub-tables widen their last cell, as pages do).
pub fn active_grid(truth: &Truth) -> Grid {
    const WIDTH: usize = 4;
    let mut grid = Grid::new();
    let mut items: Vec<ActiveItem> = truth.active.iter().map(|c| c.item).collect();
    items.dedup();
    for item in items {
        let cells: Vec<_> = truth.active.iter().filter(|c| c.item == item).collect();
        let mut metrics: Vec<ActiveMetric> = cells.iter().map(|c| c.metric).collect();
        let mut seen = Vec::new();
        metrics.retain(|m| {
            let new = !seen.contains(m);
            seen.push(*m);
            new
        });
        let mut categories: Vec<ActiveCategory> = cells.iter().map(|c| c.category).collect();
        categories.dedup();
        let last_span = WIDTH - metrics.len();
        let widen = |i: usize, c: GridCell| {
            if i + 1 == metrics.len() {
                span(c.text, 1, last_span)
            } else {
                c
            }
        };
        grid.push(vec![span(item_title(item), 1, WIDTH)]);
        let mut header = vec![cell("信息内容")];
        header.extend(
            metrics
                .iter()
                .enumerate()
                .map(|(i, m)| widen(i, cell(metric_header(*m, truth)))),
        );
        grid.push(header);
        for category in categories {
            let mut row = vec![cell(category_label(category, truth))];
            for (i, metric) in metrics.iter().enumerate() {
                let printed = cells
                    .iter()
                    .find(|c| c.category == category && c.metric == *metric)
                    .map_or(String::new(), |c| c.printed.raw.clone());
                row.push(widen(i, cell(printed)));
            }
            grid.push(row);
        }
    }
    grid
}

const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

/// A section heading numbered in the truth's style.
fn heading(truth: &Truth, index: usize, text: &str) -> String {
    let style = match truth.heading_style {
        3 => (index % 3) as u8, // mixed within one report, as the seed does
        s => s,
    };
    match style {
        0 => format!("{}、{text}", NUMERALS[index]),
        1 => format!("{}、\u{3000}{text}", index + 1),
        _ => format!("{}.{text}", index + 1),
    }
}

/// The whole report: title, sections with their headings, narrative and tables.
/// [`layout`] with table 二 printed as sentences, a category's a sentence: its label, a
/// colon, and each column's label followed by its figure and unit (`规章：本年制发件数2件，
/// …。`); with the truth whose raw texts are the figures so printed. Cells printed blank are
/// left out of the sentence.
pub fn layout_with_active_sentences(truth: &Truth) -> (Vec<Part>, Truth) {
    let mut parts = layout(truth);
    let mut printed = truth.clone();
    let Some(at) = parts
        .iter()
        .position(|p| matches!(p, Part::Table(grid) if *grid == active_grid(truth)))
    else {
        return (parts, printed);
    };
    for cell in printed
        .active
        .iter_mut()
        .filter(|a| !a.printed.raw.is_empty())
    {
        let unit = if !cell.metric.is_amount() {
            "件"
        } else if cell.printed.raw.ends_with('元') {
            ""
        } else {
            cell.unit.as_str()
        };
        cell.printed.raw = format!("{}{unit}", cell.printed.raw);
    }
    let mut categories: Vec<_> = printed.active.iter().map(|a| a.category).collect();
    categories.dedup();
    let sentences = categories.into_iter().map(|category| {
        let clauses: Vec<String> = printed
            .active
            .iter()
            .filter(|a| a.category == category && !a.printed.raw.is_empty())
            .map(|a| {
                let label = a.metric.zh().split('（').next().unwrap_or_default();
                format!("{label}{}", a.printed.raw)
            })
            .collect();
        Part::Paragraph(format!("{}：{}。", category.zh(), clauses.join("，")))
    });
    parts.splice(at..=at, sentences);
    (parts, printed)
}

pub fn layout(truth: &Truth) -> Vec<Part> {
    let p = |s: String| Part::Paragraph(s);
    let h = |i: usize, s: &str| Part::Paragraph(heading(truth, i, s));
    let mut parts = Vec::new();
    if truth.split_title {
        parts.push(p(format!("{}{}年", truth.place.agency_full, truth.year)));
        parts.push(p("政府信息公开工作年度报告".into()));
    } else {
        parts.push(p(format!(
            "{}{}年政府信息公开工作年度报告",
            truth.place.agency_full, truth.year
        )));
    }
    parts.push(p(
        "依据《中华人民共和国政府信息公开条例》第五十条规定，编制本报告。".into(),
    ));
    parts.push(h(0, "总体情况"));
    parts.push(p("（一）主动公开".into()));
    parts.push(p(
        "坚持以公开为常态、不公开为例外，持续做好政府信息主动公开工作。".into(),
    ));
    parts.push(p("（二）依申请公开".into()));
    parts.push(p(narrative(truth)));
    parts.push(h(1, "主动公开政府信息情况"));
    parts.push(Part::Table(active_grid(truth)));
    parts.push(h(2, "收到和处理政府信息公开申请情况"));
    parts.push(Part::Table(applications_grid(truth)));
    parts.push(h(3, "政府信息公开行政复议、行政诉讼情况"));
    parts.push(Part::Table(review_grid(truth)));
    parts.push(h(4, "存在的主要问题及改进情况"));
    parts.push(p("（一）存在的问题：信息公开的及时性有待提升。".into()));
    parts.push(p("（二）改进措施：加强培训，规范流程。".into()));
    parts.push(h(5, "其他需要报告的事项"));
    parts.push(p(
        "本年度发出收费通知的件数和总金额以及实际收取的总金额均为0。".into(),
    ));
    parts
}

/// The figures an agency states in its narrative, consistent with its tables.
fn narrative(truth: &Truth) -> String {
    use ApplicationRow::*;
    let total = |r| truth.application_total(r);
    let sum = |rows: &[ApplicationRow]| rows.iter().map(|&r| total(r)).sum::<u64>();
    format!(
        "{}年新收政府信息公开申请{}件，上年结转{}件，其中予以公开{}件，部分公开{}件，无法提供{}件，结转下年度办理{}件。",
        truth.year,
        total(NewReceived),
        total(CarriedOver),
        total(Granted),
        total(PartiallyGranted),
        sum(&[UnavailableNotHeld, UnavailableNeedsCreation, UnavailableUnclear]),
        total(CarriedForward),
    )
}
