//! What a fetched page links to: report links (by title), pagination of a listing,
//! navigation towards the report columns, and attachments. Pure functions over HTML text
//! and its URL; nothing here fetches.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use url::Url;

/// A link as printed: where it goes, its text, its `title` attribute (listings cut long
/// titles short with `...` and keep the full one there), and a date printed beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub url: Url,
    pub text: String,
    pub title: String,
    pub date: Option<String>,
}

impl Link {
    /// The fuller of text and title.
    pub fn label(&self) -> &str {
        if self.title.chars().count() > self.text.trim_end_matches(['.', '…']).chars().count() {
            &self.title
        } else {
            &self.text
        }
    }
}

static SELECT_A: LazyLock<Selector> = LazyLock::new(|| Selector::parse("a[href]").expect("static"));
static SELECT_BASE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("base[href]").expect("static"));
static SELECT_TITLE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("title").expect("static"));
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})").expect("static regex")
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").expect("static regex"));
/// `createPageHTML(7, 0, "index", "html")` (TRS) and `var countPage = 7`.
static CREATE_PAGE_HTML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']"#)
        .expect("static regex")
});
static COUNT_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"var\s+countPage\s*=\s*(\d+)").expect("static regex"));
/// `index_3.html`: a page of a static listing.
static NUMBERED_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([\w-]+?)_(\d+)\.(s?html?)$").expect("static regex"));

/// Query parameters that number a listing's pages.
const PAGE_PARAMS: &[&str] = &[
    "page",
    "pageno",
    "cur_page",
    "curpage",
    "pageindex",
    "currentpage",
    "p",
    "pagenum",
];
/// Link texts that lead to the next pages of a listing.
const NEXT_TEXTS: &[&str] = &["下一页", "下页", "尾页", "末页", "下一頁", "后页", ">"];
/// Navigation texts that lead towards the report columns (domain.md §3.1).
const NAVIGATION: &[&str] = &["政府信息公开", "信息公开", "年报", "年度报告", "政务公开"];
/// File types reports are attached as.
pub const ATTACHMENT_EXTENSIONS: &[&str] = &["docx", "doc", "pdf", "wps", "xls", "xlsx", "et"];
/// Most pages one listing may announce; a larger count is a mistake or a trap.
const MAX_ANNOUNCED_PAGES: usize = 500;

/// Every `<a href>` of a page, resolved against `<base href>` or the page URL.
pub fn page_links(html: &Html, page_url: &Url) -> Vec<Link> {
    let base = html
        .select(&SELECT_BASE)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .unwrap_or_else(|| page_url.clone());
    html.select(&SELECT_A)
        .filter_map(|a| {
            let href = a.value().attr("href")?.trim();
            if href.is_empty() || href.starts_with('#') {
                return None;
            }
            let lower = href.to_ascii_lowercase();
            if lower.starts_with("javascript:")
                || lower.starts_with("mailto:")
                || lower.starts_with("tel:")
            {
                return None;
            }
            let mut url = base.join(href).ok()?;
            if !matches!(url.scheme(), "http" | "https") {
                return None;
            }
            url.set_fragment(None);
            Some(Link {
                url,
                text: collapse(&a.text().collect::<String>()),
                title: collapse(a.value().attr("title").unwrap_or("")),
                date: date_near(a),
            })
        })
        .collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A date printed in the link's list item or table row (`<li><a>…</a><span>2024-01-20</span>`).
fn date_near(a: ElementRef<'_>) -> Option<String> {
    let item = a
        .ancestors()
        .filter_map(ElementRef::wrap)
        .take(3)
        .find(|e| matches!(e.value().name(), "li" | "tr" | "dd" | "dl" | "p" | "div"))?;
    let text: String = item.text().collect();
    if text.chars().count() > 300 {
        return None; // a container of many links, not one item
    }
    let caps = DATE.captures(&text)?;
    let month: u8 = caps[2].parse().ok()?;
    let day: u8 = caps[3].parse().ok()?;
    Some(format!("{}-{month:02}-{day:02}", &caps[1]))
}

/// The page's `<title>`.
pub fn page_title(html: &Html) -> String {
    html.select(&SELECT_TITLE)
        .next()
        .map(|t| collapse(&t.text().collect::<String>()))
        .unwrap_or_default()
}

/// Which link titles are reports. Titles about reports (notices, interpretations,
/// graphics) are not reports.
#[derive(Clone, Debug)]
pub struct ReportPattern {
    include: Regex,
    exclude: Regex,
}

impl ReportPattern {
    pub const DEFAULT: &'static str =
        r"政府信息公开(工作)?年度报告|政府信息公开年报|信息公开年报|年报";
    const EXCLUDE: &'static str =
        r"关于|通知|解读|图解|一图读懂|指南|目录|制度|意见|要点|部署|培训|会议|答记者问|专栏";

    pub fn new(include: &str) -> Result<ReportPattern, regex::Error> {
        Ok(ReportPattern {
            include: Regex::new(include)?,
            exclude: Regex::new(Self::EXCLUDE)?,
        })
    }

    /// A report title names a year and matches the pattern, and is not about a report.
    pub fn is_report(&self, title: &str) -> bool {
        self.include.is_match(title)
            && !self.exclude.is_match(title)
            && report_year(title).is_some()
    }

    /// A link text cut short (`…2023年政府信息公开...`) that may be a report: only the page's
    /// own title can tell. Inside a report column a year is enough; elsewhere the text
    /// must also start to name a report.
    pub fn may_be_cut_report(&self, text: &str, in_column: bool) -> bool {
        let cut = text.ends_with("...") || text.ends_with('…') || text.ends_with("。。。");
        let names_report = ["信息公开", "政府信息", "年度", "年报"]
            .iter()
            .any(|k| text.contains(k));
        cut && report_year(text).is_some()
            && (in_column || names_report)
            && !self.exclude.is_match(text)
    }
}

/// The year a report title names.
pub fn report_year(title: &str) -> Option<u16> {
    YEAR.captures(title).and_then(|c| c[1].parse().ok())
}

/// A link towards the report columns: navigation text, no year (a year names one report).
pub fn is_navigation(link: &Link) -> bool {
    let label = link.label();
    label.chars().count() <= 20
        && NAVIGATION.iter().any(|n| label.contains(n))
        && report_year(label).is_none()
}

/// A link inside a report column that leads to a sub-column or listing rather than an
/// article: `…/bgz/`, `index.html`, `list.jsp?page=1`, or a short name with no year
/// (北宫镇, 区政府部门). Articles (`t20240120_1.html`), notices and files are not.
pub fn is_sub_column(link: &Link) -> bool {
    static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(^|/)t?\d{8}_\d+\.s?html?$|/art_\d+_\d+\.html$").expect("static regex")
    });
    if attachment_extension(&link.url).is_some() || ARTICLE.is_match(link.url.path()) {
        return false;
    }
    let last = last_segment(&link.url).unwrap_or("").to_ascii_lowercase();
    let listing_name = last.is_empty()
        || last.starts_with("index")
        || last.starts_with("list")
        || [".jsp", ".aspx", ".php", ".do"]
            .iter()
            .any(|e| last.ends_with(e));
    let short_name = link.label().chars().count() <= 12 && report_year(link.label()).is_none();
    listing_name || short_name
}

/// The attachment type of a link, from its path.
pub fn attachment_extension(url: &Url) -> Option<&'static str> {
    let path = url.path().to_ascii_lowercase();
    let ext = path.rsplit('.').next()?;
    ATTACHMENT_EXTENSIONS.iter().copied().find(|e| *e == ext)
}

/// The other pages of a listing: announced by a `createPageHTML`/`countPage` script,
/// linked as 下一页/尾页, or linked as the same page with another page number.
pub fn pagination(html_text: &str, page_url: &Url, links: &[Link]) -> Vec<Url> {
    let mut pages: Vec<Url> = Vec::new();
    let add = |url: Url, pages: &mut Vec<Url>| {
        if &url != page_url && !pages.contains(&url) {
            pages.push(url);
        }
    };
    let announced = CREATE_PAGE_HTML
        .captures(html_text)
        .map(|c| {
            (
                c[1].parse::<usize>().unwrap_or(0),
                c[2].to_string(),
                c[3].to_string(),
            )
        })
        .or_else(|| {
            COUNT_PAGE.captures(html_text).map(|c| {
                (
                    c[1].parse::<usize>().unwrap_or(0),
                    "index".to_string(),
                    "html".to_string(),
                )
            })
        });
    if let Some((count, stem, ext)) = announced {
        for n in 1..count.min(MAX_ANNOUNCED_PAGES) {
            if let Ok(url) = page_url.join(&format!("{stem}_{n}.{ext}")) {
                add(url, &mut pages);
            }
        }
    }
    let current_stem = last_segment(page_url)
        .and_then(|s| NUMBERED_PAGE.captures(s).map(|c| c[1].to_string()))
        .or_else(|| {
            last_segment(page_url)
                .and_then(|s| s.split('.').next())
                .map(String::from)
        });
    for link in links {
        let text = link.text.trim();
        let is_next = NEXT_TEXTS
            .iter()
            .any(|t| text == *t || (t.chars().count() > 1 && text.contains(t)));
        let same_listing_page = same_path_other_page(page_url, &link.url)
            || (same_dir(page_url, &link.url)
                && last_segment(&link.url)
                    .and_then(|s| NUMBERED_PAGE.captures(s))
                    .is_some_and(|c| Some(c[1].to_string()) == current_stem));
        if is_next || same_listing_page {
            add(link.url.clone(), &mut pages);
        }
    }
    pages
}

fn last_segment(url: &Url) -> Option<&str> {
    url.path_segments()?.next_back().filter(|s| !s.is_empty())
}

fn same_dir(a: &Url, b: &Url) -> bool {
    let dir = |u: &Url| u.path().rsplit_once('/').map(|(d, _)| d.to_string());
    a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
        && dir(a) == dir(b)
}

/// The same path with a different page-number query parameter (`?page=2`).
fn same_path_other_page(a: &Url, b: &Url) -> bool {
    if a.host_str() != b.host_str() || a.path() != b.path() || b.query().is_none() {
        return false;
    }
    let params = |u: &Url| -> Vec<(String, String)> {
        u.query_pairs()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.into_owned()))
            .collect()
    };
    let (pa, pb) = (params(a), params(b));
    let is_page = |k: &str| PAGE_PARAMS.contains(&k);
    let rest = |p: &[(String, String)]| {
        let mut r: Vec<(String, String)> = p.iter().filter(|(k, _)| !is_page(k)).cloned().collect();
        r.sort();
        r
    };
    pb.iter().any(|(k, _)| is_page(k)) && rest(&pa) == rest(&pb)
}

/// A Hanweb (大汉) column whose list is filled by AJAX from `dataproxy.jsp`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jpage {
    /// `…/dataproxy.jsp?startrecord=1&endrecord=5000&perpage=5000&columnid=N`: every record
    /// at once.
    pub proxy: Url,
    pub fields: Vec<(String, String)>,
}

static JPAGE_PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)[?&'"\s](columnid|unitid|webid|webname|appid|path|permissiontype)\s*['"]?\s*[:=]\s*['"]?([^'"&<>\s,}]*)"#)
        .expect("static regex")
});
static CDATA_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>").expect("static regex")
});

/// Recognises a Hanweb jpage column and the form that asks for its whole list
/// (domain.md §3.2): the column, unit and site ids come from the page's scripts or its
/// `nextgroup` link.
pub fn hanweb_jpage(html_text: &str, page_url: &Url) -> Option<Jpage> {
    let proxy_path = if html_text.contains("/module/web/jpage/dataproxy.jsp") {
        "/module/web/jpage/dataproxy.jsp"
    } else if html_text.contains("/module/jpage/dataproxy.jsp") {
        "/module/jpage/dataproxy.jsp"
    } else {
        return None;
    };
    let mut params: Vec<(String, String)> = Vec::new();
    for caps in JPAGE_PARAM.captures_iter(html_text) {
        let key = caps[1].to_ascii_lowercase();
        if !params.iter().any(|(k, _)| *k == key) {
            params.push((key, caps[2].to_string()));
        }
    }
    let get = |k: &str, default: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map_or(default.to_string(), |(_, v)| v.clone())
    };
    let columnid = get("columnid", "");
    if columnid.is_empty() {
        return None;
    }
    // The column id in the query too, so each column's list has its own URL.
    let proxy = page_url
        .join(&format!(
            "{proxy_path}?startrecord=1&endrecord=5000&perpage=5000&columnid={columnid}"
        ))
        .ok()?;
    let fields = vec![
        ("col".to_string(), "1".to_string()),
        ("appid".into(), get("appid", "1")),
        ("webid".into(), get("webid", "1")),
        ("path".into(), get("path", "/")),
        ("columnid".into(), columnid),
        ("sourceContentType".into(), "1".into()),
        ("unitid".into(), get("unitid", "")),
        ("webname".into(), get("webname", "")),
        ("permissiontype".into(), get("permissiontype", "0")),
    ];
    Some(Jpage { proxy, fields })
}

/// Links inside `<record><![CDATA[<li>…</li>]]></record>`: Hanweb lists, embedded in the
/// column page or answered by `dataproxy.jsp`, which an HTML parser takes for comments.
pub fn record_links(text: &str, page_url: &Url) -> Vec<Link> {
    CDATA_RECORD
        .captures_iter(text)
        .flat_map(|c| page_links(&Html::parse_fragment(&c[1]), page_url))
        .collect()
}

/// An anti-bot answer instead of content (domain.md §3.6).
pub fn challenge(status: u16, body: &[u8]) -> Option<&'static str> {
    let head = String::from_utf8_lossy(&body[..body.len().min(8192)]);
    if status == 412 {
        Some("blocked_412_js: an anti-bot JavaScript challenge (瑞数-style) answered instead of the page")
    } else if status == 521 || head.contains("__jsl_clearance") {
        Some("blocked_521_js: an anti-bot JavaScript challenge (加速乐-style) answered instead of the page")
    } else if head.contains("wzwschallenge") || head.contains("wzws_cid") {
        Some("blocked_wzws: a WZWS challenge answered instead of the page")
    } else {
        None
    }
}

/// A short 200 page that says the page does not exist.
pub fn soft_404(body: &[u8]) -> bool {
    if body.len() > 4096 {
        return false;
    }
    let text = String::from_utf8_lossy(body);
    [
        "页面不存在",
        "访问的页面不存在",
        "找不到",
        "页面未找到",
        "404 Not Found",
    ]
    .iter()
    .any(|s| text.contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn links_resolve_against_base_and_keep_title_and_date() {
        let html = Html::parse_document(
            r##"<html><head><base href="http://x.gov.cn/col/"></head><body><ul>
            <li><a href="./202401/t20240120_1.html" title="北宫镇人民政府2023年政府信息公开工作年度报告">北宫镇人民政府2023年政府信息公开...</a><span>2024-01-20</span></li>
            <li><a href="javascript:void(0)">打印</a></li><li><a href="#top">顶部</a></li></ul></body></html>"##,
        );
        let links = page_links(&html, &url("http://x.gov.cn/other/page.html"));
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0].url.as_str(),
            "http://x.gov.cn/col/202401/t20240120_1.html"
        );
        assert_eq!(
            links[0].label(),
            "北宫镇人民政府2023年政府信息公开工作年度报告"
        );
        assert_eq!(links[0].date.as_deref(), Some("2024-01-20"));
    }

    #[test]
    fn report_titles_and_notices() {
        let p = ReportPattern::new(ReportPattern::DEFAULT).unwrap();
        assert!(p.is_report("北宫镇人民政府2023年政府信息公开工作年度报告"));
        assert!(p.is_report("2019年度北京市政府信息公开年报"));
        assert!(!p.is_report("关于做好2023年政府信息公开工作年度报告编制工作的通知"));
        assert!(!p.is_report("北宫镇2023年政府信息公开工作年度报告解读"));
        assert!(!p.is_report("图解：2023年政府信息公开工作年度报告"));
        assert!(!p.is_report("政府信息公开年报"), "a column, not a report");
        assert!(p.may_be_cut_report("北宫镇人民政府2023年政府信息公开...", false));
        assert!(p.may_be_cut_report("华侨路街道办事处2022年...", true));
        assert!(!p.may_be_cut_report("华侨路街道办事处2022年...", false));
        assert!(!p.may_be_cut_report("关于做好2023年政府信息公开...", true));
        assert!(!p.may_be_cut_report("北宫镇人民政府2023年政府信息公开", true));
    }

    #[test]
    fn pagination_schemes() {
        let page = url("http://x.gov.cn/ndbg/index.html");
        let script =
            r#"<script>var countPage = 3; createPageHTML(3, 0, "index", "html");</script>"#;
        let pages = pagination(script, &page, &[]);
        assert_eq!(
            pages.iter().map(Url::as_str).collect::<Vec<_>>(),
            vec![
                "http://x.gov.cn/ndbg/index_1.html",
                "http://x.gov.cn/ndbg/index_2.html"
            ]
        );
        let link = |href: &str, text: &str| Link {
            url: url(href),
            text: text.into(),
            title: String::new(),
            date: None,
        };
        let list = url("http://x.gov.cn/list.jsp?col=5&page=1");
        let links = vec![
            link("http://x.gov.cn/list.jsp?col=5&page=2", "2"),
            link("http://x.gov.cn/list.jsp?col=6&page=2", "2"),
            link("http://x.gov.cn/a/next.html", "下一页"),
            link("http://x.gov.cn/a/report.html", "报告"),
        ];
        let pages = pagination("", &list, &links);
        assert_eq!(
            pages.iter().map(Url::as_str).collect::<Vec<_>>(),
            vec![
                "http://x.gov.cn/list.jsp?col=5&page=2",
                "http://x.gov.cn/a/next.html"
            ]
        );
    }

    #[test]
    fn hanweb_jpage_columns() {
        let page = r#"<div id="4567"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid=1001&unitid=4567&webname=某区&permissiontype=0"></a>]]></nextgroup>
            <recordset><record><![CDATA[<li><a href="/art/2025/1/20/art_1001_501.html" title="某街道2024年政府信息公开工作年度报告">某街道2024年...</a><span>2025-01-20</span></li>]]></record></recordset></datastore></script></div>"#;
        let base = url("http://x.gov.cn/col/col1001/index.html");
        let jpage = hanweb_jpage(page, &base).unwrap();
        assert_eq!(
            jpage.proxy.as_str(),
            "http://x.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=5000&perpage=5000&columnid=1001"
        );
        let field = |k: &str| {
            jpage
                .fields
                .iter()
                .find(|(key, _)| key == k)
                .unwrap()
                .1
                .clone()
        };
        assert_eq!(
            (field("columnid"), field("unitid"), field("webid")),
            ("1001".into(), "4567".into(), "3".into())
        );
        let links = record_links(page, &base);
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0].url.as_str(),
            "http://x.gov.cn/art/2025/1/20/art_1001_501.html"
        );
        assert_eq!(links[0].date.as_deref(), Some("2025-01-20"));
        assert!(hanweb_jpage("<p>no list</p>", &base).is_none());
    }

    #[test]
    fn navigation_attachments_and_challenges() {
        let nav = Link {
            url: url("http://x.gov.cn/xxgk/"),
            text: "政府信息公开".into(),
            title: String::new(),
            date: None,
        };
        assert!(is_navigation(&nav));
        assert_eq!(
            attachment_extension(&url("http://x.gov.cn/P020240120.DOCX")),
            Some("docx")
        );
        assert_eq!(attachment_extension(&url("http://x.gov.cn/a.html")), None);
        assert!(challenge(412, b"<script>eval</script>").is_some());
        assert!(challenge(200, b"document.cookie='__jsl_clearance=1'").is_some());
        assert!(challenge(200, b"<html>report</html>").is_none());
        assert!(soft_404("<html>您访问的页面不存在</html>".as_bytes()));
    }
}
