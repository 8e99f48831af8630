//! The wording of the sites that publish reports (domain.md §3.1, §3.9): the names of the
//! sections and columns on the way to the reports, their URL slugs, the names a 年报 hub
//! gives its sub-columns (bodies, kinds of body, years) and the words of pagination.

use std::sync::LazyLock;

use regex::Regex;

use crate::title::parse_title;
use crate::year::YEAR_NUMBER;

/// Sections on the way from a home page to the report columns.
pub const DISCLOSURE_SECTIONS: &[&str] = &[
    "政府信息公开",
    "信息公开",
    "政务公开",
    "法定主动公开",
    "主动公开",
    "公开目录",
    "政府信息",
    "公开专栏",
];
/// A site's map of all its columns: a way to every section when the menus name none.
pub const SITE_MAPS: &[&str] = &["网站地图", "站点地图", "网站导航", "栏目导航"];
/// Short names of a report column (the full ones are the title's subject without a year).
pub const REPORT_COLUMNS: &[&str] = &["年报", "年度报告", "公开年报"];
/// URL path segments of report columns.
pub const REPORT_COLUMN_SLUGS: &[&str] = &[
    "ndbg",
    "xxgknb",
    "zfxxgknb",
    "zfxxgkndbg",
    "ndxxgkbg",
    "gknb",
    "gknbxq",
    "xxgkndbg",
    "annualreport",
];
/// URL path segments of disclosure sections.
pub const DISCLOSURE_SLUGS: &[&str] = &["xxgk", "zwgk", "zfxxgk", "xxgkzl", "fdzdgknr", "gkml"];
/// How a hub names the kinds of body it groups (区政府部门, 街道乡镇).
pub const BODY_KINDS: &[&str] = &[
    "部门",
    "街道",
    "乡镇",
    "镇街",
    "区政府",
    "市政府",
    "县政府",
    "单位",
    "直属",
    "派出",
];
/// How the name of a body ends (domain.md §4.1).
pub const BODY_SUFFIXES: &[&str] = &[
    "局",
    "委员会",
    "委",
    "办公室",
    "办",
    "中心",
    "厅",
    "署",
    "处",
    "街道",
    "镇",
    "乡",
    "政府",
    "管委会",
    "院",
    "所",
    "站",
    "队",
    "会",
    "社",
    "馆",
    "苏木",
    "办事处",
];
/// Link texts that lead to the next pages of a listing.
pub const NEXT_PAGE: &[&str] = &["下一页", "下页", "尾页", "末页", "下一頁", "后页"];
/// Link texts that say nothing of where they lead: a table's cell says it by its row and
/// column (a hub of bodies × years whose every cell is 查看).
pub const VACANT_LINK_TEXTS: &[&str] = &[
    "查看",
    "详情",
    "查看详情",
    "点击查看",
    "点击进入",
    "浏览",
    "阅读",
    "下载",
    "点击下载",
    "全文",
];
/// Link texts of a hub's older years.
pub const EARLIER_YEARS: &[&str] = &["往年", "历年", "以往", "更多"];

/// What a short link text in a listing or hub names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heading {
    /// A disclosure section (政务公开, 法定主动公开内容), or the site map.
    Section,
    /// A column of reports (政府信息公开年报, 年报).
    ReportColumn,
    /// A year (2023年度, 往年年报).
    Year,
    /// A kind of body (区政府部门, 街道乡镇).
    BodyKind,
    /// One body (区财政局, 良渚街道).
    Body,
    /// Anything else.
    Other,
}

/// What a short link text names, as a hub or navigation uses it.
pub fn heading(text: &str) -> Heading {
    let text: String = nianbao_model::to_halfwidth(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // A column's name as a banner or a special topic prints it: 年报专栏, 年度报告专题.
    let text = ["专栏", "专题"]
        .iter()
        .find_map(|s| text.strip_suffix(s).filter(|t| !t.is_empty()))
        .map_or(text.clone(), str::to_string);
    let chars = text.chars().count();
    if chars == 0 || chars > 24 {
        return Heading::Other;
    }
    if EARLIER_YEARS.iter().any(|w| text.starts_with(w)) {
        return Heading::Year;
    }
    let title = parse_title(&text);
    if title.is_report_column()
        || (REPORT_COLUMNS.iter().any(|c| text.ends_with(c)) && title.year.is_none())
    {
        return Heading::ReportColumn;
    }
    if names_years(&text) {
        return Heading::Year;
    }
    if DISCLOSURE_SECTIONS
        .iter()
        .chain(SITE_MAPS)
        .any(|s| text.contains(s))
    {
        return Heading::Section;
    }
    if chars <= 12 && names_only_kinds(&text) {
        return Heading::BodyKind;
    }
    if chars <= 20 && BODY_SUFFIXES.iter().any(|s| text.ends_with(s)) {
        return Heading::Body;
    }
    Heading::Other
}

/// A body and a year, as a table cell's row and column name them (`区教育局 2023年`, in
/// either order, apart by a space): the body's name and the year.
pub fn body_and_year(text: &str) -> Option<(String, u16)> {
    let (a, b) = text.trim().split_once(' ')?;
    let (body, year) = match (heading(a), heading(b)) {
        (Heading::Body | Heading::BodyKind, Heading::Year) => (a, b),
        (Heading::Year, Heading::Body | Heading::BodyKind) => (b, a),
        _ => return None,
    };
    static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(YEAR_NUMBER).expect("static regex"));
    let year = crate::year::parse_year_number(YEAR.find(year)?.as_str())?;
    Some((body.to_string(), year))
}

/// Words that may stand beside a year in a hub's link to it (`2021年度及以前`,
/// `2020年(含)以前年报`).
/// Longest first, so that 年报 goes before 年.
const YEAR_WORDS: &[&str] = &[
    "政府信息公开",
    "信息公开",
    "以前",
    "之前",
    "以往",
    "年报",
    "报告",
    "年度",
    "工作",
    "年",
    "及",
    "含",
    "前",
    "(",
    ")",
];

/// `2023年度`, `2023`, `二〇二二年`, `2021年度及以前`: a year, or a year and the years
/// before it, and nothing else.
fn names_years(text: &str) -> bool {
    static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(YEAR_NUMBER).expect("static regex"));
    let Some(found) = YEAR.find(text) else {
        return false;
    };
    let mut rest = format!("{}{}", &text[..found.start()], &text[found.end()..]);
    for word in YEAR_WORDS {
        rest = rest.replace(word, "");
    }
    rest.is_empty()
}

/// `区政府部门`, `街道乡镇`, `区直单位`: kinds of body and nothing that names one body.
fn names_only_kinds(text: &str) -> bool {
    let mut rest = text.to_string();
    for kind in BODY_KINDS {
        rest = rest.replace(kind, "");
    }
    let rest: String = rest
        .chars()
        .filter(|c| !"区市县镇乡各直属级人民政府和及、()".contains(*c))
        .collect();
    rest.is_empty() && text != rest
}

/// How the lines a page prints around an article begin: its breadcrumb, its links to the
/// articles before and after, its print and close buttons. A page's text copied whole
/// keeps them above the title and below the signature.
const PAGE_CHROME: &[&str] = &[
    "首页",
    "当前位置",
    "您的位置",
    "您当前的位置",
    "您现在的位置",
    "上一篇",
    "下一篇",
    "上一条",
    "下一条",
    "关闭窗口",
    "关闭本页",
    "打印本页",
    "打印此页",
    "字体",
    "字号",
    "分享到",
    "扫一扫",
    "相关链接",
    "相关文章",
];

/// Whether a line of a page's text is its chrome (breadcrumb, 上一篇/下一篇, buttons), not
/// part of the article.
pub fn is_page_chrome(line: &str) -> bool {
    let words = line.trim_start_matches(['【', '[', '(', '（', ' ', '\u{3000}']);
    PAGE_CHROME.iter().any(|w| words.starts_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_of_hubs_and_navigation() {
        for (text, expected) in [
            ("政务公开", Heading::Section),
            ("法定主动公开内容", Heading::Section),
            ("政府信息公开", Heading::Section),
            ("政府信息公开年报", Heading::ReportColumn),
            ("政府信息公开工作年度报告", Heading::ReportColumn),
            ("年报", Heading::ReportColumn),
            ("年报专栏", Heading::ReportColumn),
            ("政府信息公开年度报告专栏", Heading::ReportColumn),
            ("专栏", Heading::Other),
            ("2023年度", Heading::Year),
            ("2023年", Heading::Year),
            ("2023", Heading::Year),
            ("二〇二二年度", Heading::Year),
            ("2021年度及以前", Heading::Year),
            ("2021年度(含)以前", Heading::Year),
            ("2019年度及以前年报", Heading::Year),
            ("2020年及以前", Heading::Year),
            ("2023年度报告", Heading::Year),
            ("往年年报", Heading::Year),
            ("区政府部门", Heading::BodyKind),
            ("街道乡镇", Heading::BodyKind),
            ("区直单位", Heading::BodyKind),
            ("乡镇（街道）", Heading::BodyKind),
            ("镇（街道）", Heading::BodyKind),
            ("区级部门", Heading::BodyKind),
            ("区人民政府", Heading::BodyKind),
            ("北宫镇人民政府", Heading::Body),
            ("北宫镇", Heading::Body),
            ("区财政局", Heading::Body),
            ("良渚街道", Heading::Body),
            ("区教育委员会", Heading::Body),
            ("新闻中心", Heading::Body),
            ("办事服务", Heading::Other),
            ("网站地图", Heading::Section),
            ("首页", Heading::Other),
        ] {
            assert_eq!(heading(text), expected, "{text}");
        }
    }

    #[test]
    fn a_cell_names_a_body_and_a_year() {
        assert_eq!(
            body_and_year("区教育局 2023年"),
            Some(("区教育局".to_string(), 2023))
        );
        assert_eq!(
            body_and_year("2022年度 玉林街道"),
            Some(("玉林街道".to_string(), 2022))
        );
        assert_eq!(body_and_year("区政府 2021"), Some(("区政府".into(), 2021)));
        for no in ["区教育局", "2023年", "首页 2023年", "区教育局 区财政局"] {
            assert_eq!(body_and_year(no), None, "{no}");
        }
    }
}
