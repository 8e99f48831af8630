//! The generated portals over real HTTP: both families over the seeds, the home page
//! rarely naming the reports, every title form, and — by a small crawler that knows every
//! way the portals link (anchors, `<option>` values, script strings, `createPageHTML`,
//! Hanweb's POSTed lists, page-number links, a meta refresh and frames, download links
//! without an extension) — every report reachable from the home page, the traps served,
//! nothing needed behind robots.txt, no link dead but the one meant to be.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::LazyLock;

use nianbao_testkit::{Family, Portal};
use regex::Regex;

const SEEDS: u64 = 60;

/// A status and body, by HTTP/1.0 over a plain socket.
struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

fn request(portal: &Portal, method: &str, path: &str, extra: &[(&str, &str)], body: &str) -> Reply {
    let home = portal.home();
    let addr = home.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(addr).expect("connects");
    let path: String = path
        .bytes()
        .map(|b| {
            if b.is_ascii_graphic() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut head = format!("{method} {path} HTTP/1.0\r\nHost: {addr}\r\n");
    for (k, v) in extra {
        head += &format!("{k}: {v}\r\n");
    }
    if !body.is_empty() {
        head += &format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        );
    }
    head += "\r\n";
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header");
    let headers = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = headers
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(portal: &Portal, path: &str) -> Reply {
    request(portal, "GET", path, &[], "")
}

fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply.headers.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// A page, following redirects, a meta refresh and a frameset's last frame on the portal.
fn get_following(portal: &Portal, path: &str) -> Reply {
    let mut reply = get(portal, path);
    for _ in 0..3 {
        let page = text(&reply);
        let to = match header(&reply, "Location") {
            Some(to) if (300..400).contains(&reply.status) => to.to_string(),
            _ => match META_REFRESH
                .captures(&page)
                .or_else(|| FRAME.captures_iter(&page).last())
            {
                Some(c) => c[1].to_string(),
                None => break,
            },
        };
        match resolve(portal, path, &to) {
            Some(Target::Here(next)) => reply = get(portal, &next),
            _ => break,
        }
    }
    reply
}

/// The page's text: GBK when it says gb2312, UTF-8 otherwise.
fn text(reply: &Reply) -> String {
    if reply.headers.contains("gb2312") {
        encoding_rs::GB18030.decode(&reply.body).0.into_owned()
    } else {
        String::from_utf8_lossy(&reply.body).into_owned()
    }
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap()
}

static ANCHOR: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?s)<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>"#));
static OPTION: LazyLock<Regex> = LazyLock::new(|| re(r#"<option value="([^"]+)""#));
static SCRIPT_FILE: LazyLock<Regex> = LazyLock::new(|| re(r"var file_appendix = '([^']+)'"));
static ONCLICK: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:window\.open\(|location\.href\s*=\s*)'([^']+)'"));
static VIEWER: LazyLock<Regex> = LazyLock::new(|| re(r#"viewer\.html\?file=([^"'&\s]+)"#));
static JSON_CALL: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?:\$\.getJSON|fetch)\(\s*["']([^"']+)["']"#));
static META_REFRESH: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)<meta http-equiv="refresh" content="\d+;\s*url=([^"]+)""#));
static FRAME: LazyLock<Regex> = LazyLock::new(|| re(r#"(?i)<frame\s[^>]*src="([^"]+)""#));
static NUMBER_LINK: LazyLock<Regex> =
    LazyLock::new(|| re(r#"<a href="((?:column-index-)?\d+\.s?html)">\d+</a>"#));
static LEFT_MENU: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?s)<div class="left-menu">(.*?)</div>"#));
static COUNT_PAGE: LazyLock<Regex> = LazyLock::new(|| re(r"var countPage = (\d+)"));
static CREATE_PAGE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"createPageHTML\([^)]*"index", "(\w+)"\)"#));
/// The newer TRS template: `createPageHTML('page_div', 3, 0, 'index', 'shtml', 22)`.
static PAGE_DIV: LazyLock<Regex> =
    LazyLock::new(|| re(r"createPageHTML\('page_div', (\d+), \d+, 'index', '(\w+)', \d+\)"));
static JPAGE: LazyLock<Regex> = LazyLock::new(|| re(r"columnid: (\d+),"));
static RECORD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?s)<record><!\[CDATA\[(.*?)\]\]></record>"));

/// `%XX` escapes decoded (UTF-8).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).filter(|_| bytes[i] == b'%');
        match hex.and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()) {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A path as a URL carries it: bytes beyond ASCII and spaces percent-encoded.
fn canonical(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b' ' | 0x80..=0xFF => format!("%{b:02X}"),
            b => char::from(b).to_string(),
        })
        .collect()
}

/// A link resolved against the page it is on: a path on the portal, or another host's URL.
enum Target {
    Here(String),
    Elsewhere(String),
}

fn resolve(portal: &Portal, page: &str, href: &str) -> Option<Target> {
    let href = href.replace("&amp;", "&");
    let origin = portal.home();
    let origin = origin.trim_end_matches('/');
    // A script building a link (`'<a href="' + item.url + '"'`) is not one.
    let scripted = href.contains('\'');
    if scripted
        || href.starts_with("javascript:")
        || href.starts_with('#')
        || href.starts_with("data:")
    {
        return None;
    }
    if let Some(rest) = href.strip_prefix(origin) {
        return Some(Target::Here(canonical(rest)));
    }
    if href.starts_with("http://") || href.starts_with("https://") {
        return Some(Target::Elsewhere(href));
    }
    let page_path = page.split('?').next().unwrap_or(page);
    if href.starts_with('/') {
        return Some(Target::Here(canonical(&href)));
    }
    if href.starts_with('?') {
        return Some(Target::Here(format!("{page_path}{href}")));
    }
    let mut parts: Vec<&str> = page_path.split('/').collect();
    parts.pop();
    for piece in href.split('/') {
        match piece {
            "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(Target::Here(canonical(&parts.join("/"))))
}

/// How a link was found.
#[derive(Clone, Debug, PartialEq)]
enum Via {
    /// An anchor, with its text.
    Anchor(String),
    Onclick,
    /// The `file=` of a PDF viewer.
    Viewer,
    /// An item of a JSON list.
    Json,
    /// An option, a script string, a page announced by script.
    Other,
}

/// What the small crawler saw of a portal.
#[derive(Default)]
struct Crawl {
    fetched: HashMap<String, u16>,
    bodies: HashMap<String, String>,
    /// Every link found to a path of the portal, fetched or not.
    linked: BTreeSet<String>,
    offsite: BTreeSet<String>,
    disallowed: Vec<String>,
    /// Every link to a path of the portal, with how it was found.
    found: Vec<(Via, String)>,
    /// Paths answering a redirect, with where to.
    redirects: BTreeSet<(String, String)>,
    requests: usize,
}

impl Crawl {
    /// The targets of the links found one way.
    fn via(&self, pick: impl Fn(&Via) -> bool) -> BTreeSet<&String> {
        self.found
            .iter()
            .filter(|(v, _)| pick(v))
            .map(|(_, p)| p)
            .collect()
    }
}

fn robots_disallows(portal: &Portal) -> Vec<String> {
    let robots = text(&get(portal, "/robots.txt"));
    let mut in_star = false;
    let mut rules = Vec::new();
    for line in robots.lines() {
        if let Some(agent) = line.strip_prefix("User-agent:") {
            in_star = agent.trim() == "*";
        } else if let Some(path) = line.strip_prefix("Disallow:") {
            if in_star && !path.trim().is_empty() {
                rules.push(path.trim().to_string());
            }
        }
    }
    rules
}

/// The links written in a piece of HTML: anchors (page numbers and download links among
/// them), options, script strings, `onclick` targets, a meta refresh, frames and PDF
/// viewers' files.
fn html_links(html: &str) -> Vec<(Via, String)> {
    let mut out: Vec<(Via, String)> = ANCHOR
        .captures_iter(html)
        .map(|c| (Via::Anchor(c[2].to_string()), c[1].to_string()))
        .collect();
    let other = OPTION
        .captures_iter(html)
        .chain(SCRIPT_FILE.captures_iter(html));
    out.extend(other.map(|c| (Via::Other, c[1].to_string())));
    out.extend(
        ONCLICK
            .captures_iter(html)
            .map(|c| (Via::Onclick, c[1].to_string())),
    );
    let frames = META_REFRESH
        .captures_iter(html)
        .chain(FRAME.captures_iter(html));
    out.extend(frames.map(|c| (Via::Other, c[1].to_string())));
    let files = VIEWER.captures_iter(html);
    out.extend(files.map(|c| (Via::Viewer, percent_decode(&c[1]))));
    out
}

/// The pages a TRS `createPageHTML` script announces.
fn trs_pages(page: &str) -> Vec<(Via, String)> {
    let (count, ext) = match (COUNT_PAGE.captures(page), CREATE_PAGE.captures(page)) {
        (Some(count), Some(ext)) => (count[1].parse::<usize>().unwrap(), ext[1].to_string()),
        _ => match PAGE_DIV.captures(page) {
            Some(c) => (c[1].parse().unwrap(), c[2].to_string()),
            None => return Vec::new(),
        },
    };
    (1..count)
        .map(|i| (Via::Other, format!("index_{i}.{ext}")))
        .collect()
}

/// The links of a Hanweb column's whole list, asked for by POST.
fn hanweb_list(portal: &Portal, path: &str, page: &str, crawl: &mut Crawl) -> Vec<(Via, String)> {
    let Some(column) = JPAGE.captures(page) else {
        return Vec::new();
    };
    let form = format!(
        "col=1&appid=1&webid=1&path=/&columnid={}&permissiontype=0",
        &column[1]
    );
    let referer = portal.url(path);
    let reply = request(
        portal,
        "POST",
        "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=1000&perpage=1000",
        &[("Referer", &referer)],
        &form,
    );
    crawl.requests += 1;
    assert_eq!(reply.status, 200, "{path}: dataproxy");
    let xml = text(&reply);
    RECORD
        .captures_iter(&xml)
        .flat_map(|record| html_links(&record[1]))
        .collect()
}

/// The links of the JSON lists a page's scripts ask for: whatever the field names, the
/// string values of `url`, `link` and `href`.
fn json_lists(portal: &Portal, path: &str, page: &str, crawl: &mut Crawl) -> Vec<(Via, String)> {
    fn urls(value: &serde_json::Value, out: &mut Vec<(Via, String)>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match v.as_str() {
                        Some(s) if ["url", "link", "href"].contains(&k.as_str()) => {
                            out.push((Via::Json, s.to_string()))
                        }
                        _ => urls(v, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| urls(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for call in JSON_CALL.captures_iter(page) {
        let Some(Target::Here(api)) = resolve(portal, path, &call[1]) else {
            continue;
        };
        let reply = get(portal, &api);
        crawl.requests += 1;
        assert_eq!(reply.status, 200, "{path}: {api}");
        let value = serde_json::from_slice(&reply.body).expect("a JSON list");
        urls(&value, &mut out);
    }
    out
}

/// Links of a page in every form the portals use, TRS pages announced by script, Hanweb
/// lists asked for by POST and JSON lists by GET included; anchors whose text is in
/// `skip` left out.
fn links(portal: &Portal, path: &str, page: &str, crawl: &mut Crawl, skip: &[&str]) -> Vec<String> {
    let mut hrefs = html_links(page);
    hrefs.extend(trs_pages(page));
    hrefs.extend(hanweb_list(portal, path, page, crawl));
    hrefs.extend(json_lists(portal, path, page, crawl));
    // The `nextgroup` link inside a Hanweb list names the list service, asked by POST.
    hrefs.retain(|(_, h)| !h.contains("dataproxy.jsp"));
    let mut out = Vec::new();
    for (via, href) in hrefs {
        if matches!(&via, Via::Anchor(text) if skip.contains(&text.as_str())) {
            continue;
        }
        match resolve(portal, path, &href) {
            Some(Target::Here(p)) => {
                crawl.found.push((via, p.clone()));
                out.push(p);
            }
            Some(Target::Elsewhere(url)) => {
                crawl.offsite.insert(url);
            }
            None => {}
        }
    }
    out
}

/// Breadth first from the home page, obeying robots.txt, retrying a 503 once, following
/// redirects; DOCX and PDF files fetched only when `files`; anchors whose text is in
/// `skip` not followed.
fn crawl_with(portal: &Portal, files: bool, skip: &[&str]) -> Crawl {
    let rules = robots_disallows(portal);
    let mut crawl = Crawl::default();
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut seen: HashSet<String> = HashSet::from(["/".to_string()]);
    while let Some(path) = queue.pop_front() {
        if rules.iter().any(|r| path.starts_with(r.as_str())) {
            crawl.disallowed.push(path);
            continue;
        }
        let lower = path.to_ascii_lowercase();
        if !files && (lower.ends_with(".docx") || lower.ends_with(".pdf")) {
            continue;
        }
        let mut reply = get(portal, &path);
        crawl.requests += 1;
        if reply.status == 503 {
            reply = get(portal, &path);
            crawl.requests += 1;
        }
        crawl.fetched.insert(path.clone(), reply.status);
        let mut next = Vec::new();
        if let Some(to) = header(&reply, "Location") {
            if let Some(Target::Here(to)) = resolve(portal, &path, to) {
                crawl.redirects.insert((path.clone(), to.clone()));
                next.push(to);
            }
        }
        let is_html = reply.headers.contains("text/html");
        if reply.status == 200 && is_html {
            let page = text(&reply);
            next.extend(links(portal, &path, &page, &mut crawl, skip));
            crawl.bodies.insert(path, page);
        }
        for n in next {
            crawl.linked.insert(n.clone());
            if seen.insert(n.clone()) {
                queue.push_back(n);
            }
        }
    }
    crawl
}

fn crawl(portal: &Portal, files: bool) -> Crawl {
    crawl_with(portal, files, &[])
}

fn check_crawl(portal: &Portal, crawl: &Crawl) {
    let info = portal.describe();
    let truth = portal.truth();
    for report in &truth.reports {
        for path in report.page.iter().chain(&report.attachments) {
            assert_eq!(
                crawl.fetched.get(path),
                Some(&200),
                "{path} not reached\n{info}"
            );
        }
    }
    for path in &truth.traps {
        let ok = crawl.fetched.get(path) == Some(&200) || truth.disallowed.contains(path);
        assert!(ok, "trap {path} not reached\n{info}");
    }
    for path in &truth.disallowed {
        assert!(
            crawl.linked.contains(path),
            "draft {path} not linked\n{info}"
        );
        assert!(!crawl.fetched.contains_key(path), "{path}\n{info}");
    }
    let dead: BTreeSet<&String> = crawl
        .fetched
        .iter()
        .filter(|(_, &s)| s != 200 && !(300..400).contains(&s))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(dead, truth.dead.iter().collect(), "{info}");
    assert_eq!(
        crawl.redirects,
        truth.redirects.iter().cloned().collect(),
        "{info}"
    );
    assert_eq!(
        crawl.offsite.iter().collect::<BTreeSet<_>>(),
        truth.offsite.iter().collect(),
        "{info}"
    );
    assert!(crawl.requests < 400, "{} requests\n{info}", crawl.requests);
}

#[test]
fn a_crawl_from_the_home_page_reaches_every_report_and_trap_and_nothing_disallowed() {
    for seed in 0..12 {
        let portal = Portal::generate(seed).unwrap();
        let crawl = crawl(&portal, true);
        check_crawl(&portal, &crawl);
        let log = portal.requests();
        for path in &portal.truth().flaky {
            let statuses: Vec<u16> = log
                .iter()
                .filter(|r| &r.path == path)
                .map(|r| r.status)
                .collect();
            assert_eq!(statuses, [503, 200], "{path}\n{}", portal.describe());
        }
    }
}

#[test]
fn both_families_appear_and_a_seed_always_gives_the_same_portal() {
    let mut families = HashSet::new();
    for seed in 0..SEEDS {
        let portal = Portal::generate(seed).unwrap();
        let again = Portal::generate(seed).unwrap();
        families.insert(format!("{:?}", portal.family()));
        let titles = |p: &Portal| -> Vec<(Option<String>, String)> {
            p.truth()
                .reports
                .iter()
                .map(|r| (r.page.clone(), r.title.clone()))
                .collect()
        };
        assert_eq!(titles(&portal), titles(&again));
        assert_eq!(portal.truth().traps, again.truth().traps);
        let n = portal.truth().reports.len();
        assert!((15..=60).contains(&n), "{n} reports\n{}", portal.describe());
        for r in &portal.truth().reports {
            assert!((2019..=2025).contains(&r.year), "{}", r.title);
        }
        assert!(portal.size() < 400, "{}", portal.describe());
    }
    assert_eq!(families.len(), 2, "{families:?}");
    let _ = Family::Trs;
}

#[test]
fn the_home_page_rarely_links_anything_called_nianbao() {
    let mut naming = 0;
    for seed in 0..SEEDS {
        let portal = Portal::generate(seed).unwrap();
        let home = text(&get_following(&portal, "/"));
        let texts: Vec<String> = ANCHOR
            .captures_iter(&home)
            .map(|c| c[2].to_string())
            .collect();
        assert!(texts.len() >= 5, "{}", portal.describe());
        if texts.iter().any(|t| t.contains("年报")) {
            naming += 1;
        }
    }
    assert!(
        naming * 5 <= SEEDS,
        "{naming} of {SEEDS} home pages link 年报"
    );
}

#[test]
fn every_expected_file_and_trap_is_served_and_the_rest_answers_as_recorded() {
    for seed in [0, 1, 2, 3, 6] {
        let portal = Portal::generate(seed).unwrap();
        let info = portal.describe();
        let truth = portal.truth();
        for path in truth.flaky.iter() {
            assert_eq!(get(&portal, path).status, 503, "{path}\n{info}");
        }
        for report in &truth.reports {
            for path in report.page.iter().chain(&report.attachments) {
                let reply = get(&portal, path);
                assert_eq!(reply.status, 200, "{path}\n{info}");
                let lower = path.to_ascii_lowercase();
                let named = header(&reply, "Content-Disposition").unwrap_or_default();
                if named.starts_with("attachment") {
                    let magic: &[u8] = if named.ends_with(".pdf\"") || named.ends_with(".pdf") {
                        b"%PDF"
                    } else {
                        b"PK"
                    };
                    assert!(reply.body.starts_with(magic), "{path}: {named}");
                } else if lower.ends_with(".docx") {
                    assert!(reply.body.starts_with(b"PK"), "{path}");
                } else if lower.ends_with(".pdf") {
                    assert!(reply.body.starts_with(b"%PDF"), "{path}");
                } else {
                    assert!(text(&reply).contains(&report.title), "{path}\n{info}");
                }
            }
        }
        for path in &truth.traps {
            assert_eq!(get(&portal, path).status, 200, "{path}\n{info}");
        }
        for path in &truth.dead {
            assert_eq!(get(&portal, path).status, 404, "{path}\n{info}");
        }
        for (from, to) in &truth.redirects {
            let reply = get(&portal, from);
            assert_eq!(reply.status, 302, "{from}\n{info}");
            let location = header(&reply, "Location").unwrap_or_default();
            assert_eq!(location, portal.url(to), "{info}");
        }
        let rules = robots_disallows(&portal);
        for path in &truth.disallowed {
            assert!(rules.iter().any(|r| path.starts_with(r.as_str())), "{path}");
        }
        let robots = text(&get(&portal, "/robots.txt"));
        let delay = truth.crawl_delay.unwrap();
        assert!((0.02..=0.05).contains(&delay));
        assert!(
            robots.contains(&format!("Crawl-delay: {delay}")),
            "{robots}"
        );
    }
}

#[test]
fn conditional_requests_are_answered_304() {
    let portal = Portal::generate(5).unwrap();
    let path = portal.truth().reports[0].page.clone().unwrap();
    let first = get(&portal, &path);
    let value = |name: &str| {
        first
            .headers
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("no {name}"))
            .to_string()
    };
    let (etag, modified) = (value("ETag"), value("Last-Modified"));
    let by_tag = request(&portal, "GET", &path, &[("If-None-Match", &etag)], "");
    assert_eq!(by_tag.status, 304);
    let by_date = request(
        &portal,
        "GET",
        &path,
        &[("If-Modified-Since", &modified)],
        "",
    );
    assert_eq!(by_date.status, 304);
    let stale = request(&portal, "GET", &path, &[("If-None-Match", "\"0\"")], "");
    assert_eq!(stale.status, 200);
    assert!(portal.requests().iter().any(|r| r.is_conditional()));
}

#[test]
fn hanweb_lists_answer_only_a_post_from_the_column() {
    let seed = (0..SEEDS)
        .find(|&s| Portal::generate(s).unwrap().family() == Family::Hanweb)
        .unwrap();
    let portal = Portal::generate(seed).unwrap();
    let crawl = crawl(&portal, false);
    let (column, id) = crawl
        .bodies
        .iter()
        .find_map(|(p, page)| JPAGE.captures(page).map(|c| (p.clone(), c[1].to_string())))
        .expect("a Hanweb listing");
    let proxy = "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=2&perpage=2";
    let form = format!("col=1&columnid={id}");
    let referer = portal.url(&column);
    assert_eq!(request(&portal, "GET", proxy, &[], "").status, 400);
    assert_eq!(request(&portal, "POST", proxy, &[], &form).status, 400);
    let reply = request(&portal, "POST", proxy, &[("Referer", &referer)], &form);
    assert_eq!(reply.status, 200);
    let xml = text(&reply);
    assert!(xml.contains("<totalrecord>"), "{xml}");
    assert!(RECORD.captures_iter(&xml).count() <= 2, "{xml}");
}

/// The title forms of domain.md §3.8 and the wider ones, told apart by their shape.
fn form(title: &str) -> &'static str {
    let chinese = ['〇', '零', '○'];
    if title.contains(chinese) {
        "chinese-year"
    } else if title.contains(" 年") {
        "space-before-年"
    } else if title.ends_with("年度政府信息公开年报") {
        "年报"
    } else if title.contains("政府信息公开工作")
        && title.ends_with("年度报告")
        && !title.ends_with("工作年度报告")
    {
        "work-then-year"
    } else if title.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        "year-first"
    } else if title.contains("年度政府信息公开工作年度报告") {
        "年度-report"
    } else if title.contains("年政府信息公开工作年度报告") {
        "standard"
    } else if title.contains("政务公开工作年度报告") {
        "政务公开"
    } else if title.contains("工作情况的报告") {
        "关于-情况的报告"
    } else if re(r"年度报告（\d{4}）$").is_match(title) {
        "year-in-brackets"
    } else {
        "other"
    }
}

#[test]
fn the_titles_take_every_form_and_the_agency_with_and_without_its_prefix() {
    let mut forms: HashMap<&str, usize> = HashMap::new();
    let (mut zeros, mut prefixes) = (BTreeSet::new(), BTreeSet::new());
    for seed in 0..SEEDS {
        let portal = Portal::generate(seed).unwrap();
        for r in &portal.truth().reports {
            *forms.entry(form(&r.title)).or_default() += 1;
            zeros.extend(r.title.chars().filter(|c| ['〇', '零', '○'].contains(c)));
            let province = ["北京市", "浙江省", "江苏省", "甘肃省", "广东省"];
            let with = if province.iter().any(|p| r.title.contains(p)) {
                "province"
            } else if r.title.contains(&r.agency) {
                "full"
            } else {
                "short"
            };
            prefixes.insert(with);
        }
    }
    for f in [
        "standard",
        "work-then-year",
        "year-first",
        "年报",
        "年度-report",
        "chinese-year",
        "space-before-年",
        "政务公开",
        "关于-情况的报告",
        "year-in-brackets",
    ] {
        assert!(forms.get(f).copied().unwrap_or(0) > 0, "{f}: {forms:?}");
    }
    assert_eq!(forms.get("other"), None, "{forms:?}");
    assert_eq!(zeros.len(), 3, "{zeros:?}");
    assert_eq!(prefixes.len(), 3, "{prefixes:?}");
}

#[test]
fn the_listings_and_deliveries_of_domain_md_all_appear() {
    let features: [(&str, Regex); 11] = [
        ("TRS script paging", re(r"createPageHTML\(")),
        ("?page=N", re(r#"href="index\.s?html\?page=\d+""#)),
        (
            "下一页 anchor",
            re(r#"<a href="list_\d+\.s?html">下一页</a>"#),
        ),
        ("Hanweb jpage", re(r"dataproxy\.jsp")),
        (
            "cut with title",
            re(r#"title="[^"]+" target="_blank">[^<]{18,30}\.\.\.</a>"#),
        ),
        (
            "cut bare",
            re(r#"<a href="[^"]+" target="_blank">[^<]{18,30}\.\.\.</a>"#),
        ),
        ("year only", re(r#">20\d\d年度报告</a>"#)),
        ("file in a script", re(r"var file_appendix = '")),
        (
            "xxgk select",
            re(r#"<option value="/module/xxgk/xxgkAnnualReport\.jsp"#),
        ),
        (
            "xxgk links",
            re(r#"<a href="/module/xxgk/xxgkAnnualReport\.jsp"#),
        ),
        ("暂无", re("暂无该年度报告")),
    ];
    let mut found: HashSet<&str> = HashSet::new();
    let mut gbk = false;
    for seed in 0..40 {
        let portal = Portal::generate(seed).unwrap();
        let crawl = crawl(&portal, false);
        for page in crawl.bodies.values() {
            for (name, pattern) in &features {
                if pattern.is_match(page) {
                    found.insert(name);
                }
            }
        }
        gbk |= get_following(&portal, "/").headers.contains("gb2312");
        if found.len() == features.len() && gbk {
            return;
        }
    }
    let missing: Vec<&str> = features
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !found.contains(n))
        .collect();
    panic!("never seen: {missing:?}, GBK pages: {gbk}");
}

/// The seeds of each variation real portals show, each found from outside: by what is
/// served and where a crawl finds the reports.
fn classes_of(portal: &Portal, crawl: &Crawl) -> Vec<&'static str> {
    let truth = portal.truth();
    let pages: BTreeSet<&String> = truth.reports.iter().flat_map(|r| &r.page).collect();
    let files: BTreeSet<&String> = truth.reports.iter().flat_map(|r| &r.attachments).collect();
    let home = text(&get_following(portal, "/"));
    let map = ["网站地图", "站点地图"];
    let mut classes = Vec::new();
    // The site map is the only way: without it, no report is reached.
    if map.iter().any(|m| home.contains(&format!(">{m}</a>"))) {
        let without = crawl_with(portal, false, &map);
        if !pages.iter().any(|p| without.fetched.contains_key(*p)) {
            classes.push("site-map-only entry");
        }
    }
    // A banner image link is the only way: without it, no report is reached.
    let banner = re(r#"<div class="banner"><a [^>]*>(.*?)</a>"#);
    if let Some(image) = banner.captures(&home) {
        let without = crawl_with(portal, false, &[&image[1]]);
        if !pages.iter().any(|p| without.fetched.contains_key(*p)) {
            classes.push("banner-only entry");
        }
    }
    if get(portal, "/").status == 302 {
        classes.push("/ answers 302");
    }
    let range = re(r"^20\d\d年(度)?(\(含\)|及)以前(年报|年度)?$");
    let anchors = crawl.via(|v| matches!(v, Via::Anchor(t) if range.is_match(t)));
    if !anchors.is_empty() {
        classes.push("older years under a range label");
    }
    // A body's name alone, leading straight to a report in a folder of its own.
    let name = re(r"^(区[^\d年]{1,12}|[^\d年]{1,6}(街道|镇|乡))$");
    let named = crawl.via(|v| matches!(v, Via::Anchor(t) if name.is_match(t)));
    let foldered = |p: &&String| re(r"/\d+/index\.s?html$").is_match(p) && pages.contains(p);
    if named.iter().any(foldered) {
        classes.push("reports listed by body name");
    }
    let leads =
        |via: Via, to: &BTreeSet<&String>| crawl.via(|v| *v == via).iter().any(|p| to.contains(p));
    // Reports reached from a table's cells that say nothing but 查看.
    let vacant = crawl
        .via(|v| matches!(v, Via::Anchor(t) if ["查看", "详情", "点击查看"].contains(&t.as_str())));
    if vacant.iter().any(|p| pages.contains(p)) {
        classes.push("a hub of bodies × years whose cells say 查看");
    }
    if leads(Via::Onclick, &pages) {
        classes.push("onclick items");
    }
    if leads(Via::Viewer, &files) {
        classes.push("PDF in a viewer");
    }
    if leads(Via::Json, &pages) {
        classes.push("JSON list");
    }
    let upper = files
        .iter()
        .any(|f| f.ends_with(".PDF") || f.ends_with(".DOCX"));
    if upper && files.iter().any(|f| f.contains("%E")) {
        classes.push("Chinese and capital file names");
    }
    // Listings paged by numbers alone, a page beyond the first reached by its number.
    let numbered = crawl.bodies.iter().any(|(path, page)| {
        let plain = !page.contains("下一页") && !page.contains("createPageHTML");
        plain
            && NUMBER_LINK.captures_iter(page).any(|c| {
                let target = match resolve(portal, path, &c[1]) {
                    Some(Target::Here(t)) => t,
                    _ => return false,
                };
                !target.ends_with("/index.html")
                    && !target.ends_with("/index.shtml")
                    && crawl.fetched.get(&target) == Some(&200)
            })
    });
    if numbered {
        classes.push("number-only paging");
    }
    let root = text(&get(portal, "/"));
    if META_REFRESH.is_match(&root) || (FRAME.is_match(&root) && root.contains("<frameset")) {
        classes.push("home by meta refresh or frames");
    }
    // Files at an address without an extension, named by Content-Disposition.
    let downloads = files.iter().filter(|f| {
        let last = f.rsplit('/').next().unwrap_or("");
        !last.split('?').next().unwrap_or("").contains('.') || last.contains(".asp?")
    });
    let disposed = downloads.into_iter().any(|f| {
        let reply = get(portal, f);
        header(&reply, "Content-Disposition").is_some_and(|d| d.starts_with("attachment"))
            && crawl.fetched.get(*f) == Some(&200)
    });
    if disposed {
        classes.push("download links without an extension");
    }
    // A column whose sub-columns are in a left menu only, not in its list.
    let menu = crawl.bodies.values().any(|page| {
        LEFT_MENU
            .captures(page)
            .is_some_and(|m| ANCHOR.captures_iter(&m[1]).count() >= 2)
            && !page.contains("class=\"sub-columns\"")
    });
    if menu {
        classes.push("type columns in a left menu");
    }
    // A listing paged by the newer TRS pager call, a page beyond the first reached.
    let page_div = crawl.bodies.iter().any(|(path, page)| {
        PAGE_DIV.is_match(page)
            && trs_pages(page).iter().any(|(_, name)| {
                matches!(resolve(portal, path, name), Some(Target::Here(t)) if crawl.fetched.get(&t) == Some(&200))
            })
    });
    if page_div {
        classes.push("createPageHTML('page_div', …) pagers");
    }
    classes
}

#[test]
fn every_variation_of_real_portals_appears_in_both_families_and_is_crawled_through() {
    const CLASSES: [&str; 14] = [
        "site-map-only entry",
        "banner-only entry",
        "a hub of bodies × years whose cells say 查看",
        "/ answers 302",
        "older years under a range label",
        "reports listed by body name",
        "onclick items",
        "PDF in a viewer",
        "JSON list",
        "Chinese and capital file names",
        "number-only paging",
        "home by meta refresh or frames",
        "download links without an extension",
        "type columns in a left menu",
    ];
    let mut seeds: HashMap<&str, Vec<(u64, String)>> = HashMap::new();
    for seed in 0..SEEDS {
        let portal = Portal::generate(seed).unwrap();
        let crawl = crawl(&portal, true);
        check_crawl(&portal, &crawl);
        let family = format!("{:?}", portal.family());
        for class in classes_of(&portal, &crawl) {
            seeds.entry(class).or_default().push((seed, family.clone()));
        }
    }
    // Of one family only: TRS's pager.
    let class = "createPageHTML('page_div', …) pagers";
    let found = seeds.get(class).cloned().unwrap_or_default();
    eprintln!("{class}: {} seeds {found:?}", found.len());
    assert!(
        (3..=SEEDS as usize / 3).contains(&found.len()),
        "{class}: seeds {found:?}"
    );
    for class in CLASSES {
        let found = seeds.get(class).cloned().unwrap_or_default();
        let list: Vec<u64> = found.iter().map(|(s, _)| *s).collect();
        eprintln!("{class}: {} seeds {list:?}", list.len());
        let families: HashSet<&String> = found.iter().map(|(_, f)| f).collect();
        assert!(
            (3..=SEEDS as usize / 3).contains(&found.len()) && families.len() == 2,
            "{class}: seeds {found:?}"
        );
    }
}
