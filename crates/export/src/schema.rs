//! What every column of every output file is: its type, its labels in Chinese and
//! English, its unit and what a blank means. The one description of the files' columns:
//! the writer quotes by it, the codebook is made from it.

/// How a column's values are written and what a reader should load them as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Free text, as printed or as recorded.
    Text,
    /// One of a fixed set of keys, or an official code (`division_code`): text, never a
    /// number, although some are all digits.
    Code,
    /// `r` and 16 hex digits.
    Id,
    /// A whole number.
    Integer,
    /// A plain decimal (`1549`, `12.5`, `-3`).
    Decimal,
    /// `YYYY-MM-DD`.
    Date,
    /// `true` or `false`.
    Boolean,
}

impl ColumnType {
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Code => "code",
            ColumnType::Id => "id",
            ColumnType::Integer => "integer",
            ColumnType::Decimal => "decimal",
            ColumnType::Date => "date",
            ColumnType::Boolean => "boolean",
        }
    }

    pub fn from_name(name: &str) -> Option<ColumnType> {
        [
            ColumnType::Text,
            ColumnType::Code,
            ColumnType::Id,
            ColumnType::Integer,
            ColumnType::Decimal,
            ColumnType::Date,
            ColumnType::Boolean,
        ]
        .into_iter()
        .find(|t| t.as_str() == name)
    }

    /// Whether values are written in quotes. Every textual value is, so that a reader
    /// that guesses types from a sample (DuckDB, readr) sees that the file quotes text
    /// from its first row on; numbers and booleans are written bare.
    pub fn quoted(self) -> bool {
        matches!(
            self,
            ColumnType::Text | ColumnType::Code | ColumnType::Id | ColumnType::Date
        )
    }
}

/// One column of an output file.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnType,
    pub label_zh: &'static str,
    pub label_en: &'static str,
    pub unit: &'static str,
    /// What a blank value means.
    pub missing: &'static str,
    /// The templates whose reports have rows here; empty: every document.
    pub templates: &'static str,
}

const fn column(
    name: &'static str,
    kind: ColumnType,
    label_zh: &'static str,
    label_en: &'static str,
    missing: &'static str,
) -> Column {
    Column {
        name,
        kind,
        label_zh,
        label_en,
        unit: "",
        missing,
        templates: "",
    }
}

const fn with_unit(mut c: Column, unit: &'static str) -> Column {
    c.unit = unit;
    c
}

/// A column of a file only reports of `templates` have rows in.
const fn of_templates(mut c: Column, templates: &'static str) -> Column {
    c.templates = templates;
    c
}

const fn with_missing(mut c: Column, missing: &'static str) -> Column {
    c.missing = missing;
    c
}

use ColumnType::{Boolean, Code, Date, Decimal, Id, Integer, Text};

const NEVER_BLANK: &str = "never blank";
const PRE2019: &str = "pre2019";
const NOT_STATED: &str = "blank: not stated in the document or its listing";
/// A figure's value: blank is not zero.
const BLANK_FIGURE: &str = "blank: the cell was empty, a dash or not a number (see raw and \
                            warnings.csv); never read as 0";

const REPORT_ID: Column = column(
    "report_id",
    Id,
    "报告编号",
    "Report id: r + the first 16 hex digits of the SHA-256 of the document's bytes",
    NEVER_BLANK,
);
const RAW: Column = column(
    "raw",
    Text,
    "原文",
    "The cell's text as printed, trimmed",
    "blank: the cell was printed empty",
);
const VALUE: Column = with_unit(
    column(
        "value",
        Decimal,
        "数值",
        "The figure as a plain decimal",
        BLANK_FIGURE,
    ),
    "件",
);
const DIVISION_CODE: Column = column(
    "division_code",
    Code,
    "行政区划代码",
    "GB/T 2260 code of the body's most specific place (6 digits; 9 or 12 for townships)",
    "blank: the place could not be resolved (warning division_unresolved)",
);
const YEAR: Column = column(
    "year",
    Integer,
    "年度",
    "The year reported on (not the publication year)",
    "blank: not determined (warning metadata_missing)",
);
const TEMPLATE: Column = column(
    "template",
    Code,
    "模板",
    "Table format: 2021, 2019, pre2019 or unknown",
    NEVER_BLANK,
);
const AGENCY: Column = column(
    "agency",
    Text,
    "机关名称",
    "The reporting body without the places above it",
    "blank: not determined (warning metadata_missing)",
);
const STATUS: Column = column(
    "status",
    Code,
    "状态",
    "ok, partial (some tables missing or unreadable) or failed",
    NEVER_BLANK,
);
const SOURCE: Column = column(
    "source",
    Text,
    "来源",
    "Path relative to the corpus, or the URL the document was fetched from",
    NEVER_BLANK,
);
const PANEL_KEY: Column = column(
    "panel_key",
    Text,
    "面板键",
    "The body: division_code|agency (the name as printed where the code is not known); \
     unresolved|report_id when body or year is unknown",
    "blank: a failed document, in no panel row",
);
const ROLE: Column = column(
    "role",
    Code,
    "来源角色",
    "primary (the document the panel uses for its body and year) or alternate",
    NEVER_BLANK,
);
const PRIMARY_REPORT_ID: Column = column(
    "primary_report_id",
    Id,
    "主来源编号",
    "The report id of the primary document of the same body and year",
    NEVER_BLANK,
);

pub const REPORTS: &[Column] = &[
    REPORT_ID,
    SOURCE,
    column(
        "source_url",
        Text,
        "发布页面",
        "The page the document was published on",
        "blank: not known (not crawled)",
    ),
    column(
        "format",
        Code,
        "格式",
        "text, html, docx, pdf, …; unknown when unreadable",
        NEVER_BLANK,
    ),
    TEMPLATE,
    column(
        "title",
        Text,
        "标题",
        "The report's title as printed",
        NOT_STATED,
    ),
    AGENCY,
    column(
        "province",
        Text,
        "省级",
        "Province of the body",
        "blank: none above the body or not stated",
    ),
    column(
        "city",
        Text,
        "市级",
        "City of the body",
        "blank: none above the body or not stated",
    ),
    column(
        "county",
        Text,
        "县级",
        "County or district of the body",
        "blank: none above the body or not stated",
    ),
    column(
        "township",
        Text,
        "乡级",
        "Township, town or subdistrict of the body",
        "blank: none above the body or not stated",
    ),
    column(
        "level",
        Code,
        "层级",
        "province, city, county, township, department or unknown",
        NEVER_BLANK,
    ),
    DIVISION_CODE,
    YEAR,
    column(
        "published_date",
        Date,
        "发布日期",
        "Publication date",
        NOT_STATED,
    ),
    STATUS,
    with_unit(
        column(
            "warnings",
            Integer,
            "警告数",
            "Warnings for this document (warnings.csv)",
            NEVER_BLANK,
        ),
        "条",
    ),
    column(
        "error",
        Text,
        "错误",
        "Why the document is not ok",
        "blank: status ok",
    ),
    column(
        "agency_full",
        Text,
        "机关全称",
        "The body's name with the places above it",
        "blank: not determined",
    ),
    column(
        "encoding",
        Code,
        "编码",
        "The character encoding the document was read in",
        "blank: not read",
    ),
];

pub const APPLICATIONS: &[Column] = &[
    REPORT_ID,
    column(
        "row",
        Code,
        "行",
        "Row of table 三 (see the codebook's applications.* columns)",
        NEVER_BLANK,
    ),
    column(
        "applicant",
        Code,
        "申请人",
        "Applicant column of table 三",
        NEVER_BLANK,
    ),
    VALUE,
    RAW,
];

pub const REVIEW_LITIGATION: &[Column] = &[
    REPORT_ID,
    column(
        "proceeding",
        Code,
        "程序",
        "review, litigation_direct or litigation_after_review",
        NEVER_BLANK,
    ),
    column(
        "outcome",
        Code,
        "结果",
        "upheld, corrected, other, pending or total",
        NEVER_BLANK,
    ),
    VALUE,
    RAW,
];

pub const ACTIVE_DISCLOSURE: &[Column] = &[
    REPORT_ID,
    column(
        "item",
        Code,
        "条款",
        "Item of Art. 20 (第二十条第（N）项): 20.1, 20.5, 20.6, 20.8, 20.9",
        NEVER_BLANK,
    ),
    column(
        "category",
        Code,
        "类别",
        "Category of table 二",
        NEVER_BLANK,
    ),
    column("metric", Code, "指标", "Metric of table 二", NEVER_BLANK),
    with_unit(VALUE, "件, or the unit column for amounts"),
    column(
        "unit",
        Code,
        "单位",
        "Unit of an amount as printed (万元 or 元)",
        "blank: a count",
    ),
    RAW,
];

pub const CHECKS: &[Column] = &[
    REPORT_ID,
    column(
        "check",
        Code,
        "校验",
        "The check: kind.detail (balance.total, cross_year.carried_over.total, …)",
        NEVER_BLANK,
    ),
    column(
        "status",
        Code,
        "结果",
        "pass, fail or skip (inputs missing)",
        NEVER_BLANK,
    ),
    column(
        "expected",
        Decimal,
        "应为",
        "The value the relation asks for",
        "blank: skipped",
    ),
    column(
        "actual",
        Decimal,
        "实为",
        "The value printed",
        "blank: skipped",
    ),
    column(
        "detail",
        Text,
        "说明",
        "The relation, with its inputs",
        NEVER_BLANK,
    ),
];

pub const SECTIONS: &[Column] = &[
    REPORT_ID,
    column(
        "index",
        Integer,
        "序号",
        "Section number, 1 (总体情况) to 6 (其他需要报告的事项)",
        NEVER_BLANK,
    ),
    column(
        "heading",
        Text,
        "标题",
        "The section heading as printed",
        "blank: the section was found without a heading",
    ),
    column(
        "text",
        Text,
        "正文",
        "The section's text as printed",
        "blank: the section is empty",
    ),
];

pub const WARNINGS: &[Column] = &[
    REPORT_ID,
    column(
        "code",
        Code,
        "代码",
        "Warning code (docs/warnings.md)",
        NEVER_BLANK,
    ),
    column(
        "location",
        Text,
        "位置",
        "Table, row and column, or section",
        "blank: the whole document",
    ),
    column(
        "message",
        Text,
        "说明",
        "What happened, in words",
        NEVER_BLANK,
    ),
];

pub const PRE2019_STATISTICS: &[Column] = &[
    of_templates(REPORT_ID, PRE2019),
    of_templates(
        column(
            "label",
            Text,
            "统计指标",
            "统计指标 / 指标名称, as printed",
            NEVER_BLANK,
        ),
        PRE2019,
    ),
    of_templates(
        column(
            "unit",
            Text,
            "单位",
            "单位 / 计量单位, as printed",
            "blank: not printed",
        ),
        PRE2019,
    ),
    of_templates(
        column(
            "column",
            Text,
            "栏目",
            "The form's value column (本年度 / 2011年度 / 历年累计 …), as printed",
            "blank: one value column",
        ),
        PRE2019,
    ),
    of_templates(with_unit(VALUE, "see the unit column"), PRE2019),
    of_templates(RAW, PRE2019),
];

pub const REPORT_SOURCES: &[Column] = &[
    REPORT_ID,
    SOURCE,
    ROLE,
    PRIMARY_REPORT_ID,
    column(
        "group",
        Text,
        "分组",
        "division_code|agency|year of the report",
        "blank: body or year unknown, or failed",
    ),
];

pub const PANEL: &[Column] = &[
    with_missing(PANEL_KEY, NEVER_BLANK),
    DIVISION_CODE,
    column(
        "agency",
        Text,
        "机关全称",
        "The body's name with the places above it",
        NOT_STATED,
    ),
    YEAR,
    TEMPLATE,
    PRIMARY_REPORT_ID,
    with_unit(
        column(
            "documents",
            Integer,
            "文件数",
            "Documents of this body and year",
            NEVER_BLANK,
        ),
        "份",
    ),
    column(
        "conflict",
        Boolean,
        "冲突",
        "Whether complete documents of this body and year disagree",
        NEVER_BLANK,
    ),
    column(
        "conflict_detail",
        Text,
        "冲突说明",
        "The documents that disagree",
        "blank: no conflict",
    ),
];

/// The identifying columns of `wide.csv`, before its cells.
/// The identifying columns of `wide.csv`, before its cells. `role` and
/// `primary_report_id` are known once the run has seen every document: they are put into
/// each row, after its id, when the file is finished.
pub const WIDE_IDS: &[Column] = &[
    REPORT_ID,
    ROLE,
    PRIMARY_REPORT_ID,
    SOURCE,
    PANEL_KEY,
    DIVISION_CODE,
    AGENCY,
    YEAR,
    TEMPLATE,
    STATUS,
    with_unit(
        column(
            "checks_failed",
            Integer,
            "校验未通过数",
            "The report's own checks that fail (checks.csv)",
            NEVER_BLANK,
        ),
        "项",
    ),
];

pub const CODEBOOK: &[Column] = &[
    column("file", Code, "文件", "The file", NEVER_BLANK),
    column("column", Code, "列", "The column's name", NEVER_BLANK),
    column(
        "stata_name",
        Code,
        "Stata变量名",
        "The column's name in wide_stata.csv (32 characters at most)",
        "blank: not in wide.csv",
    ),
    column(
        "type",
        Code,
        "类型",
        "text, code, id, integer, decimal, date or boolean",
        NEVER_BLANK,
    ),
    column(
        "label_zh",
        Text,
        "中文标签",
        "Label in Chinese",
        NEVER_BLANK,
    ),
    column(
        "label_en",
        Text,
        "英文标签",
        "Label in English",
        NEVER_BLANK,
    ),
    column("unit", Text, "单位", "Unit of the values", "blank: none"),
    column(
        "missing",
        Text,
        "缺失值",
        "What a blank value means",
        NEVER_BLANK,
    ),
    column(
        "templates",
        Code,
        "模板",
        "The templates that print it",
        "blank: every document",
    ),
    with_unit(
        column(
            "coverage",
            Integer,
            "覆盖数",
            "Rows of this run with a value in this column",
            NEVER_BLANK,
        ),
        "行",
    ),
];
