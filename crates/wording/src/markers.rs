//! Marker phrases of the report's body: the headings of its six sections and the labels
//! that tell the national formats apart.

/// Keywords of each canonical section's heading (index 1–6), most specific first.
pub const SECTION_KEYWORDS: [&[&str]; 6] = [
    &["总体情况", "概述", "总体工作情况", "基本情况"],
    &["主动公开"],
    &["收到和处理", "依申请公开"],
    &["复议", "诉讼"],
    &["问题", "改进"],
    &["其他需要报告", "其他事项", "其它需要报告"],
];

/// Column labels that only the 2021 format prints (table 二, table 三's （六） sub-rows).
pub const FORMAT_2021: &[&str] = &[
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
    "逾期不补正",
];

/// Column labels that only the 2019 format prints (table 二).
pub const FORMAT_2019: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "采购项目数量",
    "采购总金额",
];

/// Labels of the application table that both formats print.
pub const FORMAT_SHARED: &[&str] = &["本年新收政府信息公开申请", "三安全一稳定", "本年度办理结果"];
