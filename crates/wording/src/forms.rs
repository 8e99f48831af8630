//! Real-looking titles of every form in use (domain.md §3.8) and the look-alikes that are
//! not reports, each with what it says. The grammar's tests and the extraction's tests
//! read this one table.

use crate::TitleKind::{self, *};

/// (title as printed, agency, year, kind); the agency is given for reports only.
pub const TITLE_FORMS: &[(&str, &str, Option<u16>, TitleKind)] = &[
    // agency + year + 年 + 政府信息公开工作年度报告
    (
        "北京市丰台区北宫镇人民政府2024年政府信息公开工作年度报告",
        "北京市丰台区北宫镇人民政府",
        Some(2024),
        AnnualReport,
    ),
    (
        "北宫镇人民政府2023年政府信息公开工作年度报告",
        "北宫镇人民政府",
        Some(2023),
        AnnualReport,
    ),
    (
        "南京市鼓楼区人民政府华侨路街道办事处2021年政府信息公开工作年度报告",
        "南京市鼓楼区人民政府华侨路街道办事处",
        Some(2021),
        AnnualReport,
    ),
    (
        "杭州市余杭区市场监督管理局2023年政府信息公开工作年度报告",
        "杭州市余杭区市场监督管理局",
        Some(2023),
        AnnualReport,
    ),
    (
        "区财政局2022年政府信息公开工作年度报告",
        "区财政局",
        Some(2022),
        AnnualReport,
    ),
    (
        "北京市大兴区城市管理委员会2020年度政府信息公开工作年度报告",
        "北京市大兴区城市管理委员会",
        Some(2020),
        AnnualReport,
    ),
    (
        "平潭综合实验区2023年度政府信息公开工作年度报告",
        "平潭综合实验区",
        Some(2023),
        AnnualReport,
    ),
    (
        "北宫镇人民政府 2024 年政府信息公开工作年度报告",
        "北宫镇人民政府",
        Some(2024),
        AnnualReport,
    ),
    (
        "北宫镇人民政府２０２４年政府信息公开工作年度报告",
        "北宫镇人民政府",
        Some(2024),
        AnnualReport,
    ),
    // agency + 政府信息公开工作 + year + 年度报告
    (
        "某某局政府信息公开工作2023年度报告",
        "某某局",
        Some(2023),
        AnnualReport,
    ),
    (
        "杭州市余杭区教育局政府信息公开工作2022年度报告",
        "杭州市余杭区教育局",
        Some(2022),
        AnnualReport,
    ),
    (
        "良渚街道办事处政府信息公开工作2024年度报告",
        "良渚街道办事处",
        Some(2024),
        AnnualReport,
    ),
    (
        "浙江省丽水市莲都区人民政府政府信息公开工作2021年度报告",
        "浙江省丽水市莲都区人民政府",
        Some(2021),
        AnnualReport,
    ),
    // year + 年度 + agency + 政府信息公开工作年度报告
    (
        "2023年度杭州市余杭区人民政府政府信息公开工作年度报告",
        "杭州市余杭区人民政府",
        Some(2023),
        AnnualReport,
    ),
    (
        "2019年上海市人民政府办公厅政府信息公开工作年度报告",
        "上海市人民政府办公厅",
        Some(2019),
        AnnualReport,
    ),
    (
        "2024年上海市科委政府信息公开工作年度报告",
        "上海市科委",
        Some(2024),
        AnnualReport,
    ),
    (
        "2022年度区卫生健康委员会政府信息公开工作年度报告",
        "区卫生健康委员会",
        Some(2022),
        AnnualReport,
    ),
    // agency + year + 年度政府信息公开年报 / 年度报告
    (
        "某某区教育局2023年度政府信息公开年报",
        "某某区教育局",
        Some(2023),
        AnnualReport,
    ),
    (
        "2019年度北京市政府信息公开年报",
        "北京市",
        Some(2019),
        AnnualReport,
    ),
    (
        "西城区政务服务管理局2021年度信息公开年报",
        "西城区政务服务管理局",
        Some(2021),
        AnnualReport,
    ),
    (
        "甘州区党寨镇2025年政府信息公开年度报告",
        "甘州区党寨镇",
        Some(2025),
        AnnualReport,
    ),
    // Chinese-numeral years
    (
        "二〇二一年度北京市西城区人民政府政府信息公开工作年度报告",
        "北京市西城区人民政府",
        Some(2021),
        AnnualReport,
    ),
    (
        "北京市西城区展览路街道办事处二〇二二年政府信息公开工作年度报告",
        "北京市西城区展览路街道办事处",
        Some(2022),
        AnnualReport,
    ),
    (
        "二零二三年某某县农业农村局政府信息公开工作年度报告",
        "某某县农业农村局",
        Some(2023),
        AnnualReport,
    ),
    (
        "沭阳县人民政府二○二○年政府信息公开工作年度报告",
        "沭阳县人民政府",
        Some(2020),
        AnnualReport,
    ),
    (
        "某某局政府信息公开工作二〇二三年度报告",
        "某某局",
        Some(2023),
        AnnualReport,
    ),
    // the 政府 of 人民政府 shared with the subject; the year in brackets after it
    (
        "北京市人民政府信息公开工作年度报告（2023年）",
        "北京市人民政府",
        Some(2023),
        AnnualReport,
    ),
    (
        "天津市河西区人民政府政府信息公开工作年度报告(2022年度)",
        "天津市河西区人民政府",
        Some(2022),
        AnnualReport,
    ),
    // markup, site names, file names, numbering, attachments
    (
        "# 沭阳县人民政府2023年政府信息公开工作年度报告",
        "沭阳县人民政府",
        Some(2023),
        AnnualReport,
    ),
    (
        "**北宫镇2024年政府信息公开工作年度报告**",
        "北宫镇",
        Some(2024),
        AnnualReport,
    ),
    (
        "北宫镇2023年政府信息公开工作年度报告_北京市丰台区人民政府网站",
        "北宫镇",
        Some(2023),
        AnnualReport,
    ),
    (
        "北京市丰台区人民政府-北宫镇人民政府2023年政府信息公开工作年度报告",
        "北宫镇人民政府",
        Some(2023),
        AnnualReport,
    ),
    (
        "附件：北宫镇2022年政府信息公开工作年度报告.docx",
        "北宫镇",
        Some(2022),
        AnnualReport,
    ),
    (
        "附件1.区司法局2021年政府信息公开工作年度报告.pdf",
        "区司法局",
        Some(2021),
        AnnualReport,
    ),
    (
        "1.区民政局2023年度政府信息公开工作年度报告",
        "区民政局",
        Some(2023),
        AnnualReport,
    ),
    (
        "《丰台区2021年政府信息公开工作年度报告》",
        "丰台区",
        Some(2021),
        AnnualReport,
    ),
    (
        "北宫镇人民政府关于2023年政府信息公开工作年度报告",
        "北宫镇人民政府",
        Some(2023),
        AnnualReport,
    ),
    // no agency in the title: the body comes from the page or the column
    (
        "2023年政府信息公开工作年度报告",
        "",
        Some(2023),
        AnnualReport,
    ),
    ("2023年度报告", "", Some(2023), YearOnly),
    ("2022年报", "", Some(2022), YearOnly),
    ("良渚街道2023年度报告", "良渚街道", Some(2023), YearOnly),
    // columns: the subject without a year
    ("政府信息公开年报", "", None, AnnualReport),
    ("政府信息公开工作年度报告", "", None, AnnualReport),
    // cut short
    (
        "杭州市余杭区市场监督管理局2023年政府信息公开...",
        "",
        Some(2023),
        Truncated,
    ),
    ("北宫镇人民政府2023年政府信…", "", Some(2023), Truncated),
    (
        "北宫镇人民政府2023年政府信息公开工作年度报告...",
        "北宫镇人民政府",
        Some(2023),
        AnnualReport,
    ),
    ("区财政局政府信息公开工...", "", None, Truncated),
    (
        "南京市鼓楼区挹江门街道办事处2023...",
        "",
        Some(2023),
        Truncated,
    ),
    ("关于做好2023年政府信息公开...", "", Some(2023), Notice),
    (
        "关于公开2023年度各街道（镇）政府信息公开工作年度报告的...",
        "",
        Some(2023),
        Notice,
    ),
    // not reports, though the words are there
    (
        "关于做好2023年政府信息公开工作年度报告编制工作的通知",
        "",
        Some(2023),
        Notice,
    ),
    (
        "关于印发《2022年政府信息公开工作年度报告》的通知",
        "",
        Some(2022),
        Notice,
    ),
    (
        "北宫镇2023年政府信息公开工作年度报告解读",
        "",
        Some(2023),
        Interpretation,
    ),
    (
        "图解：2023年政府信息公开工作年度报告",
        "",
        Some(2023),
        Graphic,
    ),
    (
        "一图读懂北宫镇2023年政府信息公开工作年度报告",
        "",
        Some(2023),
        Graphic,
    ),
    (
        "北宫镇2023年政府信息公开工作年度报告（送审稿）",
        "",
        Some(2023),
        Draft,
    ),
    (
        "区教育局2023年政府信息公开工作年度报告（内部审核稿）",
        "",
        Some(2023),
        Draft,
    ),
    (
        "丰台区2023年法治政府建设年度报告",
        "",
        Some(2023),
        OtherReport,
    ),
    ("关于2023年度市场主体年报工作的公告", "", Some(2023), Notice),
    ("2023年度市场主体年报", "", Some(2023), OtherReport),
    ("企业年报公示", "", None, OtherReport),
    ("丰台区2022年统计年报", "", Some(2022), OtherReport),
    ("北宫镇2024年部门预算", "", Some(2024), OtherReport),
    ("2023年政府工作报告", "", Some(2023), OtherReport),
    ("政府信息公开指南", "", None, Unrelated),
    (
        "北宫镇人民政府2023年政府信息公开",
        "",
        Some(2023),
        Unrelated,
    ),
    ("办事服务", "", None, Unrelated),
    (
        "贵安新区2019年政府信息公开工作年度报告编制说明",
        "",
        Some(2019),
        Notice,
    ),
    (
        "贵安新区财政局（国资局）2023 年政府信息公开工作年度报告",
        "贵安新区财政局(国资局)",
        Some(2023),
        AnnualReport,
    ),
    ("区审计局", "", None, Unrelated),
    (
        "南京市鼓楼区审计局2023年政府信息公开工作年度报告",
        "南京市鼓楼区审计局",
        Some(2023),
        AnnualReport,
    ),
    (
        "区统计局政府信息公开工作2022年度报告",
        "区统计局",
        Some(2022),
        AnnualReport,
    ),
];
