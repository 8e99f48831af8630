//! What a fetched page links to: report links (by title), pagination of a listing,
//! navigation towards the report columns, and attachments. Pure functions over HTML text
//! and its URL; nothing here fetches.

use std::sync::LazyLock;

use nianbao_wording::site::{NEXT_PAGE, VACANT_LINK_TEXTS};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use url::Url;

/// A link as printed: where it goes, its text, its `title` attribute (listings cut long
/// titles short with `...` and keep the full one there), a date printed beside it, and
/// where on the page it sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub url: Url,
    pub text: String,
    pub title: String,
    pub date: Option<String>,
    pub position: Position,
    /// The file name of the image a link shows instead of words (`banner03.jpg`), when
    /// neither it nor the image says anything (no text, `alt` or `title`).
    pub image: String,
}

/// Where a link sits: the site's own menus (header, navigation bar, breadcrumb, footer),
/// repeated on every page, or the page's content (a listing, a hub, an article, a side
/// column list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    Menu,
    Content,
    /// Not a link but part of the page: a frame or iframe it is made of, the page a
    /// `<meta http-equiv="refresh">` moves to.
    Frame,
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
static SELECT_IMG: LazyLock<Selector> = LazyLock::new(|| Selector::parse("img").expect("static"));
static SELECT_TR: LazyLock<Selector> = LazyLock::new(|| Selector::parse("tr").expect("static"));
static SELECT_BASE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("base[href]").expect("static"));
static SELECT_OPTION: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("option[value]").expect("static"));
static SELECT_ONCLICK: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("[onclick]").expect("static"));
static SELECT_REFRESH: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("meta[http-equiv=refresh], meta[http-equiv=Refresh], meta[http-equiv=REFRESH]")
        .expect("static")
});
static SELECT_FRAME: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("iframe[src], embed[src], frame[src]").expect("static"));
/// An address inside an `onclick` handler: `window.open('/a/t2024_1.html')`.
static ONCLICK_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["']([^"'\s]+\.(?i:s?html?|jsp|aspx?|php|do|docx?|pdf|wps|xlsx?|et)(?:\?[^"'\s]*)?)["']"#)
        .expect("static regex")
});
/// A list a script loads: `$.getJSON("/api/list?…")`, `fetch('/api/…')`, `url: "…"`.
static SCRIPT_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:getJSON|\$\.get|\bfetch|axios\.get|\burl)\s*[:(]\s*["']([^"'\s]+)["']"#)
        .expect("static regex")
});
static SELECT_SCRIPT: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("script").expect("static"));
static SELECT_HEADINGS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("h1, h2, h3, [class*=title], [id*=title], meta[name=ArticleTitle]")
        .expect("static")
});
/// A file address inside a script's string: `'…/P020240120.pdf'`.
static SCRIPT_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["']([^"'\s<>]+\.(?i:docx?|pdf|wps|xlsx?|et))["']"#).expect("static regex")
});
static SELECT_TITLE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("title").expect("static"));
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})").expect("static regex")
});
/// A TRS pager call, its arguments unparsed: `createPageHTML(7, 0, "index", "html")`,
/// `createPageHTML(countPage, currentPage, "index", "shtml")`,
/// `createPageHTML('page_div', 3, 1, 'index', 'shtml', 22)`.
static CREATE_PAGE_HTML: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"createPageHTML\(([^()]*)\)").expect("static regex"));
/// `var countPage = 7`, or any other variable a pager call may name.
static SCRIPT_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"var\s+(\w+)\s*=\s*(\d+)\s*[;,\n]").expect("static regex"));
/// What a listing prints of its page count: `共3页`, `第1/3页`, `1/3页`.
static PAGE_COUNT_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"共\s*(\d+)\s*页|第?\s*(\d+)\s*/\s*(\d+)\s*页").expect("static regex")
});
/// `index_3.html`, `column-index-3.shtml`: a page of a static listing.
static NUMBERED_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([\w-]+?)[_-](\d+)\.(s?html?)$").expect("static regex"));

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
/// File types reports are attached as.
pub const ATTACHMENT_EXTENSIONS: &[&str] = &["docx", "doc", "pdf", "wps", "xls", "xlsx", "et"];
/// Most pages one listing may announce; a larger count is a mistake or a trap.
const MAX_ANNOUNCED_PAGES: usize = 500;

/// Every link of a page, resolved against `<base href>` or the page URL: `<a href>`, the
/// options of a `<select>` whose values are addresses (a year picker), and files named
/// only inside a script's strings (`var file_appendix = '…/P020240120.pdf'`).
pub fn page_links(html: &Html, page_url: &Url) -> Vec<Link> {
    let base = html
        .select(&SELECT_BASE)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .unwrap_or_else(|| page_url.clone());
    let mut links: Vec<Link> = html
        .select(&SELECT_A)
        .filter_map(|a| {
            let (text, title, image) = anchor_words(a);
            Some(Link {
                url: resolve(&base, a.value().attr("href")?)?,
                text,
                title,
                date: date_near(a),
                position: position(a),
                image,
            })
        })
        .collect();
    links.extend(html.select(&SELECT_OPTION).filter_map(|o| {
        let value = o.value().attr("value")?;
        let looks_like_address =
            value.contains('/') || value.contains(".htm") || value.contains(".jsp");
        Some(Link {
            url: resolve(&base, value).filter(|_| looks_like_address)?,
            text: collapse(&o.text().collect::<String>()),
            title: String::new(),
            date: None,
            position: Position::Content,
            image: String::new(),
        })
    }));
    links.extend(html.select(&SELECT_ONCLICK).flat_map(|e| {
        let handler = e.value().attr("onclick").unwrap_or("");
        // A list item made a link: its text without the date printed in it, its title
        // from the element or the first inside it that has one.
        let text = collapse(&e.text().collect::<String>());
        let text = DATE
            .find_iter(&text)
            .last()
            .filter(|d| d.end() == text.len())
            .map_or(text.as_str(), |d| text[..d.start()].trim_end())
            .to_string();
        let title = std::iter::once(e)
            .chain(e.descendants().filter_map(ElementRef::wrap))
            .find_map(|el| el.value().attr("title"))
            .map(collapse)
            .unwrap_or_default();
        let position = position(e);
        ONCLICK_ADDRESS
            .captures_iter(handler)
            .filter_map(|c| resolve(&base, &c[1]))
            .map(move |url| Link {
                url,
                text: text.clone(),
                title: title.clone(),
                date: date_near(e),
                position,
                image: String::new(),
            })
            .collect::<Vec<_>>()
    }));
    links.extend(html.select(&SELECT_FRAME).filter_map(|f| {
        Some(Link {
            url: resolve(&base, f.value().attr("src")?)?,
            text: String::new(),
            title: collapse(f.value().attr("title").unwrap_or("")),
            date: None,
            position: Position::Frame,
            image: String::new(),
        })
    }));
    links.extend(html.select(&SELECT_REFRESH).filter_map(|m| {
        // `0;url=/web/index.htm`, `5; URL='index.htm'`
        let content = m.value().attr("content")?;
        let at = content.to_ascii_lowercase().find("url=")?;
        let target = content[at + 4..].trim().trim_matches(['\'', '"']);
        Some(Link {
            url: resolve(&base, target)?,
            text: String::new(),
            title: String::new(),
            date: None,
            position: Position::Frame,
            image: String::new(),
        })
    }));
    for script in html.select(&SELECT_SCRIPT) {
        let code: String = script.text().collect();
        for caps in SCRIPT_FILE.captures_iter(&code) {
            if let Some(url) = resolve(&base, &caps[1]) {
                links.push(Link {
                    url,
                    text: String::new(),
                    title: String::new(),
                    date: None,
                    position: Position::Content,
                    image: String::new(),
                });
            }
        }
    }
    links
}

/// An anchor's text, title and image file name. A banner or icon link says what it
/// leads to by its image: the image's `alt` is its text, the image's `title` its title;
/// with neither, the image's file name (`ztzl_zfxxgknb.jpg`) is all it shows.
fn anchor_words(a: ElementRef<'_>) -> (String, String, String) {
    let own = collapse(&a.text().collect::<String>());
    let mut title = collapse(a.value().attr("title").unwrap_or(""));
    // A cell's heads are its text; its own word (下载) stays as the title.
    let text = match cell_heads(a, &own) {
        Some(heads) => {
            if title.is_empty() {
                title = own;
            }
            heads
        }
        None => own,
    };
    let Some(img) = a.select(&SELECT_IMG).next().filter(|_| text.is_empty()) else {
        return (text, title, String::new());
    };
    let attr = |name: &str| collapse(img.value().attr(name).unwrap_or(""));
    let (alt, img_title) = (attr("alt"), attr("title"));
    let title = if title.is_empty() { img_title } else { title };
    let image = if alt.is_empty() && title.is_empty() {
        let src = attr("src");
        let name = src.split(['?', '#']).next().unwrap_or("");
        name.rsplit('/').next().unwrap_or("").to_string()
    } else {
        String::new()
    };
    (alt, title, image)
}

/// The words a table gives a link that says nothing itself (查看, 下载, see
/// [`VACANT_LINK_TEXTS`]): its row's first cell and its column's head, `区教育局 2023年`
/// (a hub of bodies × years). `None` outside a table, or where neither says anything.
fn cell_heads(a: ElementRef<'_>, text: &str) -> Option<String> {
    let bare = text.trim_matches(['【', '】', '[', ']', '>', ' ', '»']);
    if !VACANT_LINK_TEXTS.contains(&bare) {
        return None;
    }
    let element = |e: &ElementRef, names: &[&str]| names.contains(&e.value().name());
    let cell = a
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| element(e, &["td", "th"]))?;
    let row = ElementRef::wrap(cell.parent()?).filter(|r| element(r, &["tr"]))?;
    fn cells(r: ElementRef<'_>) -> Vec<ElementRef<'_>> {
        r.children()
            .filter_map(ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .collect()
    }
    let in_row = cells(row);
    let column = in_row.iter().position(|c| c.id() == cell.id())?;
    let words = |c: &ElementRef| collapse(&c.text().collect::<String>());
    let row_head = if column > 0 {
        words(&in_row[0])
    } else {
        String::new()
    };
    let table = row
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| element(e, &["table"]))?;
    let first_row = table.select(&SELECT_TR).next()?;
    let column_head = (first_row.id() != row.id())
        .then(|| cells(first_row).get(column).map(words))
        .flatten()
        .unwrap_or_default();
    let heads = format!("{row_head} {column_head}").trim().to_string();
    (!heads.is_empty()).then_some(heads)
}

/// An address as a page prints it, resolved; `None` for fragments, scripts, mail and
/// anything not HTTP.
fn resolve(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let lower = href.to_ascii_lowercase();
    if ["javascript:", "mailto:", "tel:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return None;
    }
    let mut url = base.join(href).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(viewed_file(&url).unwrap_or(url))
}

/// The file a document viewer shows (`/pdfjs/web/viewer.html?file=/uploads/123.pdf`).
fn viewed_file(url: &Url) -> Option<Url> {
    url.query_pairs()
        .filter(|(key, _)| matches!(key.as_ref(), "file" | "url" | "src" | "path"))
        .filter_map(|(_, value)| url.join(value.trim()).ok())
        .find(|file| attachment_extension(file).is_some())
}

/// The lists a page's scripts load (`$.getJSON("/api/list?…")`): addresses on the page's
/// host, not files or scripts.
pub fn script_lists(html_text: &str, page_url: &Url) -> Vec<Url> {
    SCRIPT_LIST
        .captures_iter(html_text)
        .filter_map(|c| page_url.join(&c[1]).ok())
        .filter(|u| {
            let path = u.path().to_ascii_lowercase();
            u.host_str() == page_url.host_str()
                && attachment_extension(u).is_none()
                && ![".js", ".css", ".png", ".jpg", ".gif"]
                    .iter()
                    .any(|e| path.ends_with(e))
        })
        .collect()
}

/// Links in a JSON list (`{"data":[{"title":"…","url":"/…html","date":"2024-01-05"}]}`):
/// every object with an address field and a title field, however the API names them.
pub fn json_links(text: &str, page_url: &Url) -> Vec<Link> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}'))
    else {
        return Vec::new();
    };
    let mut links = Vec::new();
    collect_json_links(&value, page_url, &mut links, 0);
    links
}

const JSON_ADDRESS: &[&str] = &[
    "url",
    "href",
    "link",
    "linkurl",
    "path",
    "docpuburl",
    "pageurl",
];
const JSON_TITLE: &[&str] = &["title", "name", "text", "doctitle", "subject", "showtitle"];
const JSON_DATE: &[&str] = &[
    "date",
    "pubdate",
    "publishdate",
    "time",
    "docreltime",
    "createtime",
];
/// JSON nests no deeper than this in a list API; deeper is a trap.
const MAX_JSON_DEPTH: usize = 16;

fn collect_json_links(
    value: &serde_json::Value,
    page_url: &Url,
    out: &mut Vec<Link>,
    depth: usize,
) {
    use serde_json::Value;
    if depth > MAX_JSON_DEPTH {
        return;
    }
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_json_links(v, page_url, out, depth + 1)),
        Value::Object(map) => {
            let field = |names: &[&str]| {
                map.iter()
                    .find(|(k, v)| {
                        names.contains(&k.to_ascii_lowercase().as_str()) && v.is_string()
                    })
                    .and_then(|(_, v)| v.as_str())
            };
            if let (Some(address), Some(title)) = (field(JSON_ADDRESS), field(JSON_TITLE)) {
                if let Some(url) = resolve(page_url, address) {
                    out.push(Link {
                        url,
                        text: collapse(title),
                        title: String::new(),
                        date: field(JSON_DATE).and_then(iso_date),
                        position: Position::Content,
                        image: String::new(),
                    });
                }
            }
            map.values()
                .for_each(|v| collect_json_links(v, page_url, out, depth + 1));
        }
        _ => {}
    }
}

/// Class and id words of the site's own menus.
const MENU_WORDS: &[&str] = &[
    "nav",
    "menu",
    "header",
    "footer",
    "foot",
    "crumb",
    "position",
    "location",
    "dqwz",
    "top",
    "bottom",
    "copyright",
];

/// Whether a link sits in the site's menus: inside `<nav>`, `<header>` or `<footer>`, or
/// an element whose class or id says it is one.
fn position(a: ElementRef<'_>) -> Position {
    let in_menu = a.ancestors().filter_map(ElementRef::wrap).any(|e| {
        let el = e.value();
        matches!(el.name(), "nav" | "header" | "footer")
            || [el.attr("class"), el.attr("id")]
                .into_iter()
                .flatten()
                .any(|names| {
                    let names = names.to_ascii_lowercase();
                    MENU_WORDS.iter().any(|w| names.contains(w))
                })
    });
    if in_menu {
        Position::Menu
    } else {
        Position::Content
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `2024-01-05`, `2024/1/5 10:00`, `2024年1月5日` as `2024-01-05`.
fn iso_date(text: &str) -> Option<String> {
    let caps = DATE.captures(text)?;
    let month: u8 = caps[2].parse().ok()?;
    let day: u8 = caps[3].parse().ok()?;
    Some(format!("{}-{month:02}-{day:02}", &caps[1]))
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
    iso_date(&text)
}

/// The page's `<title>`.
pub fn page_title(html: &Html) -> String {
    html.select(&SELECT_TITLE)
        .next()
        .map(|t| collapse(&t.text().collect::<String>()))
        .unwrap_or_default()
}

/// The titles a page gives itself, best first: `<title>`, the article's headings and
/// title elements, the `ArticleTitle` meta field (short texts only).
pub fn page_titles(html: &Html) -> Vec<String> {
    let mut titles = vec![page_title(html)];
    for e in html.select(&SELECT_HEADINGS) {
        let text = match e.value().attr("content") {
            Some(content) => collapse(content),
            None => collapse(&e.text().collect::<String>()),
        };
        if !text.is_empty() && text.chars().count() <= 80 && !titles.contains(&text) {
            titles.push(text);
        }
    }
    titles
}

/// Narrows the reports taken to the titles a user's pattern matches (`--match`); the
/// title grammar decides what a report is.
#[derive(Clone, Debug, Default)]
pub struct ReportFilter {
    narrow: Option<Regex>,
}

impl ReportFilter {
    /// An empty pattern takes every report.
    pub fn new(pattern: &str) -> Result<ReportFilter, regex::Error> {
        Ok(ReportFilter {
            narrow: (!pattern.is_empty())
                .then(|| Regex::new(pattern))
                .transpose()?,
        })
    }

    pub fn takes(&self, title: &str) -> bool {
        self.narrow.as_ref().is_none_or(|r| r.is_match(title))
    }
}

/// A link that leads to an article rather than a listing: `t20240120_1.html`,
/// `art_1001_501.html`, `content/post_123.html`.
pub fn is_article(url: &Url) -> bool {
    static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(^|/)t?\d{8}_\d+(_\d+)?\.s?html?$|/art_\d+_\d+\.html$|/post_\d+\.html$")
            .expect("static regex")
    });
    ARTICLE.is_match(url.path())
}

/// The attachment type of a link, from its path.
pub fn attachment_extension(url: &Url) -> Option<&'static str> {
    file_extension(url.path())
}

/// The document type a file name ends in (`北宫镇2023年报告.PDF` → `pdf`).
pub fn file_extension(name: &str) -> Option<&'static str> {
    let lower = name.trim().to_ascii_lowercase();
    let ext = lower.rsplit_once('.')?.1;
    ATTACHMENT_EXTENSIONS.iter().copied().find(|e| *e == ext)
}

/// A link to a file: by the extension of its path, the file name it shows
/// (`/attach/download?id=124` shown as `…年度报告.wps`), or a download address shown as
/// one (`DownFile.asp?id=77` 下载, 【下载附件】).
pub fn is_file_link(link: &Link) -> bool {
    let path = link.url.path().to_ascii_lowercase();
    let says = |w: &str| link.text.contains(w) || link.title.contains(w);
    attachment_extension(&link.url).is_some()
        || file_extension(link.label()).is_some()
        || (path.contains("down") && ["下载", "附件"].into_iter().any(says))
}

/// Another page of a listing: fetched (TRS static pages, `index_N`, `?page=N`, 下一页/尾页)
/// or asked for by POST (a Hanweb column's whole list from `dataproxy.jsp`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MorePage {
    Get(Url),
    Post(Jpage),
}

/// The other pages of a listing, whatever the family of its site (domain.md §3.2). A list
/// that was itself asked for by POST announces no further POST.
pub fn more_pages(html_text: &str, page_url: &Url, links: &[Link], posted: bool) -> Vec<MorePage> {
    let mut more: Vec<MorePage> = pagination(html_text, page_url, links)
        .into_iter()
        .map(MorePage::Get)
        .collect();
    if let Some(jpage) = hanweb_jpage(html_text, page_url).filter(|_| !posted) {
        more.push(MorePage::Post(jpage));
    }
    more
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
    if let Some(pager) = trs_pager(html_text) {
        for n in 1..pager.count.min(MAX_ANNOUNCED_PAGES) {
            if let Ok(url) = page_url.join(&format!("{}_{n}.{}", pager.stem, pager.ext)) {
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
        let is_next = text == ">" || NEXT_PAGE.iter().any(|t| text.contains(t));
        // A page number (`2`, `[3]`) linking into the listing's own folder.
        let page_number = same_dir(page_url, &link.url)
            && link.url.query().is_none()
            && !is_article(&link.url)
            && (1..=3).contains(&text.trim_matches(['[', ']']).len())
            && text
                .trim_matches(['[', ']'])
                .chars()
                .all(|c| c.is_ascii_digit());
        let same_listing_page = same_path_other_page(page_url, &link.url)
            || (same_dir(page_url, &link.url)
                && last_segment(&link.url)
                    .and_then(|s| NUMBERED_PAGE.captures(s))
                    .is_some_and(|c| Some(c[1].to_string()) == current_stem));
        if is_next || same_listing_page || page_number {
            add(link.url.clone(), &mut pages);
        }
    }
    pages
}

/// A TRS listing's pages as its pager script announces them: `index_1.html` … up to
/// `count`.
#[derive(Debug, PartialEq, Eq)]
struct TrsPager {
    count: usize,
    stem: String,
    ext: String,
}

/// Reads a `createPageHTML` call whatever the template's argument order: the page's name
/// and suffix are the two quoted arguments in a row whose second is a page suffix; the
/// count is the first bare argument before them (a number, or a variable the script sets;
/// a quoted argument before it is the pager's element id). Without a call, `var countPage`
/// alone announces `index_N.html`.
fn trs_pager(html_text: &str) -> Option<TrsPager> {
    let variable = |name: &str| {
        SCRIPT_NUMBER
            .captures_iter(html_text)
            .find(|c| &c[1] == name)
            .and_then(|c| c[2].parse::<usize>().ok())
    };
    let Some(call) = CREATE_PAGE_HTML.captures(html_text) else {
        let count = variable("countPage")?;
        return Some(TrsPager {
            count,
            stem: "index".into(),
            ext: "html".into(),
        });
    };
    let args: Vec<&str> = call[1].split(',').map(str::trim).collect();
    let quoted = |a: &str| {
        let q = a.strip_prefix(['"', '\''])?.strip_suffix(['"', '\''])?;
        Some(q.to_string())
    };
    let at = (1..args.len()).find(|&i| {
        quoted(args[i - 1]).is_some() && quoted(args[i]).is_some_and(|e| PAGE_SUFFIX.is_match(&e))
    })?;
    let count = args[..at - 1]
        .iter()
        .find(|a| quoted(a).is_none())
        .and_then(|a| a.parse::<usize>().ok().or_else(|| variable(a)))?;
    Some(TrsPager {
        count,
        stem: quoted(args[at - 1])?,
        ext: quoted(args[at])?,
    })
}

static PAGE_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:s?html?|jsp|php|aspx?)$").expect("static regex"));

/// How many pages a listing says it has: by its pager script, or by its text (`共3页`,
/// `第1/3页`). `None` when it says nothing.
pub fn announced_pages(html_text: &str, text: &str) -> Option<usize> {
    trs_pager(html_text).map(|p| p.count).or_else(|| {
        let c = PAGE_COUNT_TEXT.captures(text)?;
        c.get(1).or(c.get(3))?.as_str().parse().ok()
    })
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

    /// A link in a page's content.
    fn link(href: &str, text: &str) -> Link {
        Link {
            url: url(href),
            text: text.into(),
            title: String::new(),
            date: None,
            position: Position::Content,
            image: String::new(),
        }
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
    fn an_image_link_says_what_its_image_says() {
        let html = Html::parse_document(
            r#"<html><body>
            <a href="/a/"><img src="/images/b1.jpg" alt="政府信息公开年度报告专栏"></a>
            <a href="/b/"><img src="/images/b2.jpg" title="信息公开年报"></a>
            <a href="/c/"><img src="/images/ztzl_zfxxgknb.jpg?v=2"></a>
            <a href="/d/" title="年报专栏"><img src="/images/b4.jpg"></a></body></html>"#,
        );
        let links = page_links(&html, &url("http://x.gov.cn/"));
        let found: Vec<(&str, &str, &str)> = links
            .iter()
            .map(|l| (l.text.as_str(), l.title.as_str(), l.image.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("政府信息公开年度报告专栏", "", ""),
                ("", "信息公开年报", ""),
                ("", "", "ztzl_zfxxgknb.jpg"),
                ("", "年报专栏", ""),
            ]
        );
    }

    #[test]
    fn a_cell_that_says_nothing_is_named_by_its_row_and_column() {
        let html = Html::parse_document(
            r#"<html><body><table><tr><th>单位</th><th>2023年</th><th>2022年</th></tr>
            <tr><td>区教育局</td><td><a href="/a/1.shtml">查看</a></td><td><a href="/a/2.doc">【下载】</a></td></tr>
            </table><p><a href="/a/3.shtml">查看</a></p></body></html>"#,
        );
        let links = page_links(&html, &url("http://x.gov.cn/"));
        let found: Vec<(&str, &str)> = links
            .iter()
            .map(|l| (l.text.as_str(), l.title.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("区教育局 2023年", "查看"),
                ("区教育局 2022年", "【下载】"),
                ("查看", "")
            ]
        );
        assert!(is_file_link(&links[1]));
    }

    #[test]
    fn year_pickers_script_files_and_menus_are_links() {
        let html = Html::parse_document(
            r#"<html><body><div class="nav"><a href="/zwgk/">政务公开</a></div>
            <select onchange="location=this.value"><option value="">请选择</option>
            <option value="/module/xxgk/xxgkAnnualReport.jsp?area=1&fbtime=2023">2023</option></select>
            <script>var file_appendix = '/upload/P020240120.pdf'; var n = 'a.js';</script>
            <ul><li><a href="/col/col9/index.html">区财政局</a></li></ul></body></html>"#,
        );
        let links = page_links(&html, &url("http://x.gov.cn/col/col1/index.html"));
        let found: Vec<(&str, &str, Position)> = links
            .iter()
            .map(|l| (l.url.path(), l.text.as_str(), l.position))
            .collect();
        assert_eq!(
            found,
            vec![
                ("/zwgk/", "政务公开", Position::Menu),
                ("/col/col9/index.html", "区财政局", Position::Content),
                (
                    "/module/xxgk/xxgkAnnualReport.jsp",
                    "2023",
                    Position::Content
                ),
                ("/upload/P020240120.pdf", "", Position::Content),
            ]
        );
    }

    #[test]
    fn onclick_handlers_viewers_script_lists_and_json_items_are_links() {
        let page = url("http://x.gov.cn/zwgk/ndbg/index.html");
        let html = Html::parse_document(
            r#"<html><body><ul>
            <li><a href="javascript:void(0)" onclick="window.open('/zwgk/ndbg/t20240105_1.html')">区财政局2023年政府信息公开工作年度报告</a></li>
            <li onclick="location.href='./t20240106_2.shtml'"><span title="区统计局2023年政府信息公开工作年度报告">区统计局2023年政府信息公开...</span><span>2024-01-06</span></li></ul>
            <iframe src="/pdfjs/web/viewer.html?file=%2Fuploadfiles%2F2024%2F01%2F123.PDF"></iframe>
            <script>$.getJSON("/api/news/list?channelId=jz2023&pageNo=1", function(d){});
            var s = '/static/app.js';</script></body></html>"#,
        );
        let links = page_links(&html, &page);
        let found: Vec<(&str, &str)> = links.iter().map(|l| (l.url.path(), l.label())).collect();
        assert_eq!(
            found,
            vec![
                (
                    "/zwgk/ndbg/t20240105_1.html",
                    "区财政局2023年政府信息公开工作年度报告"
                ),
                (
                    "/zwgk/ndbg/t20240106_2.shtml",
                    "区统计局2023年政府信息公开工作年度报告"
                ),
                ("/uploadfiles/2024/01/123.PDF", ""),
            ]
        );
        assert_eq!(attachment_extension(&links[2].url), Some("pdf"));
        let lists = script_lists(&html.html(), &page);
        assert_eq!(
            lists.iter().map(Url::as_str).collect::<Vec<_>>(),
            vec!["http://x.gov.cn/api/news/list?channelId=jz2023&pageNo=1"]
        );
        let json = r#"{"total":2,"rows":[{"Title":"乔口镇人民政府2023年度政府信息公开工作年度报告","linkUrl":"/zwgk/ndbg/2023/t20240205_61017.html","pubDate":"2024/2/5 10:00"},{"name":"no address"}]}"#;
        let items = json_links(json, &page);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].url.path(), "/zwgk/ndbg/2023/t20240205_61017.html");
        assert_eq!(
            items[0].text,
            "乔口镇人民政府2023年度政府信息公开工作年度报告"
        );
        assert_eq!(items[0].date.as_deref(), Some("2024-02-05"));
        assert!(json_links("<html>not json</html>", &page).is_empty());
    }

    #[test]
    fn frames_refreshes_and_download_links() {
        let page = url("http://x.gov.cn/");
        let html = Html::parse_document(
            r#"<html><head><meta http-equiv="refresh" content="0; URL='web/index.htm'"></head>
            <frameset><frame src="/web/top.htm"></frameset></html>"#,
        );
        let links = page_links(&html, &page);
        let found: Vec<(&str, Position)> =
            links.iter().map(|l| (l.url.path(), l.position)).collect();
        assert_eq!(
            found,
            vec![
                ("/web/top.htm", Position::Frame),
                ("/web/index.htm", Position::Frame)
            ]
        );
        assert!(is_file_link(&link(
            "http://x.gov.cn/attach/download?id=124",
            "水务局2023年政府信息公开工作年度报告.wps"
        )));
        assert!(is_file_link(&link(
            "http://x.gov.cn/xxgk/DownFile.asp?id=77",
            "【下载附件】"
        )));
        assert!(is_file_link(&link("http://x.gov.cn/up/a.PDF", "")));
        assert!(!is_file_link(&link(
            "http://x.gov.cn/xxgk/list.asp?ClassID=11",
            "下载中心"
        )));
        assert_eq!(file_extension("北宫镇2023年报告.DOCX"), Some("docx"));
    }

    #[test]
    fn page_titles_best_first() {
        let html = Html::parse_document(
            r#"<html><head><title>良渚街道</title><meta name="ArticleTitle" content="良渚街道2023年政府信息公开工作年度报告"></head>
            <body><h1>2023年度报告</h1></body></html>"#,
        );
        assert_eq!(
            page_titles(&html),
            vec![
                "良渚街道".to_string(),
                "良渚街道2023年政府信息公开工作年度报告".into(),
                "2023年度报告".into()
            ]
        );
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
        // The count in a variable, the pages in `.shtml`.
        let script = r#"<script>var countPage = 2;//共多少页
            createPageHTML(countPage, currentPage, "index", "shtml");</script>"#;
        assert_eq!(
            pagination(script, &url("http://x.gov.cn/ndbg/2025n/"), &[])
                .iter()
                .map(Url::as_str)
                .collect::<Vec<_>>(),
            vec!["http://x.gov.cn/ndbg/2025n/index_1.shtml"]
        );
        // The newer template: the pager's element id first, the item count last; single
        // quotes; no `countPage` variable.
        let script = r#"<div id="page_div"></div><script>createPageHTML('page_div',3, 1,'index','shtml',22);</script>"#;
        assert_eq!(
            pagination(script, &url("http://x.gov.cn/ndbg/index.shtml"), &[])
                .iter()
                .map(Url::as_str)
                .collect::<Vec<_>>(),
            vec![
                "http://x.gov.cn/ndbg/index_1.shtml",
                "http://x.gov.cn/ndbg/index_2.shtml"
            ]
        );
        assert_eq!(announced_pages(script, ""), Some(3));
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
        // Page numbers only: `column-index-N.shtml` (Chengdu style) and `/N.html`.
        let list = url("http://x.gov.cn/c139025/column-index-1.shtml");
        let links = vec![
            link("http://x.gov.cn/c139025/column-index-2.shtml", "2"),
            link("http://x.gov.cn/c139025/column-index-3.shtml", "[3]"),
            link("http://x.gov.cn/c139026/column-index-1.shtml", "区级部门"),
        ];
        assert_eq!(pagination("", &list, &links).len(), 2);
        let list = url("http://x.gov.cn/zwgk/xxgknb/2022/");
        let links = vec![
            link("http://x.gov.cn/zwgk/xxgknb/2022/2.html", "2"),
            link("http://x.gov.cn/zwgk/xxgknb/2022/t20230121_1.html", "12"),
        ];
        assert_eq!(
            pagination("", &list, &links)
                .iter()
                .map(Url::as_str)
                .collect::<Vec<_>>(),
            vec!["http://x.gov.cn/zwgk/xxgknb/2022/2.html",]
        );
    }

    #[test]
    fn a_listing_says_how_many_pages_it_has() {
        assert_eq!(announced_pages("", "共16条 第1/3页 下一页 尾页"), Some(3));
        assert_eq!(announced_pages("", "第1页/共4页 首页"), Some(4));
        assert_eq!(announced_pages("", "共 2 页"), Some(2));
        let script = "<script>var countPage = 5;//共多少页\ncreatePageHTML(countPage, currentPage, \"index\", \"html\");</script>";
        assert_eq!(announced_pages(script, ""), Some(5));
        assert_eq!(announced_pages("", "2024/01/20 区财政局"), None);
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
    fn url_shapes_attachments_and_challenges() {
        assert!(is_article(&url(
            "http://x.gov.cn/ndbg/202401/t20240120_1.html"
        )));
        assert!(is_article(&url(
            "http://x.gov.cn/art/2025/1/20/art_1001_501.html"
        )));
        assert!(!is_article(&url("http://x.gov.cn/col/col1001/index.html")));
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
