//! The portal's HTTP side: a tiny_http server on 127.0.0.1 answering from the generated
//! resources, logging every request, answering conditional requests with 304, failing a
//! flaky page once, and doing what the two CMS families do at request time — Hanweb's
//! `dataproxy.jsp` answering a POSTed form with a slice of a column's records, and the
//! xxgk module answering any year of a known body, with "暂无" where there is no report —
//! and what other sites do: a JSON list API paged by `pageNo`/`pageSize`, a PDF.js
//! viewer page for any file, `/` redirecting, and paths found however their Chinese is
//! encoded.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::Instant;

use tiny_http::{Header, Response, Server};

use super::vary::JsonStyle;
use crate::site::LoggedRequest;

/// Where Hanweb columns get their lists from.
pub(super) const DATAPROXY: &str = "/module/web/jpage/dataproxy.jsp";
/// The Hanweb xxgk module's page of one body's report for one year.
pub(super) const XXGK_REPORT: &str = "/module/xxgk/xxgkAnnualReport.jsp";
/// The PDF.js viewer, which shows the file its `file=` parameter names.
pub(super) const VIEWER: &str = "/pdfjs/web/viewer.html";

/// How a path answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Behavior {
    Normal,
    /// 503 on the first request, then normally.
    FailOnce,
}

/// How a resource's bytes are made, when first asked for.
pub(super) type Make = Arc<dyn Fn() -> Vec<u8> + Send + Sync>;

/// A resource, rendered on its first request (so drawing a portal costs little, and a
/// test that reads a few pages renders only those) and kept.
pub(super) struct Resource {
    /// The bytes and their ETag, once made.
    body: Arc<OnceLock<(Vec<u8>, String)>>,
    make: Make,
    pub content_type: String,
    /// An HTTP date, the page's publication day.
    pub last_modified: String,
    pub behavior: Behavior,
    /// A `Content-Disposition` to answer with (a file at a download address).
    pub disposition: Option<String>,
}

impl Resource {
    pub fn new(make: Make, content_type: &str, last_modified: String) -> Resource {
        Resource {
            body: Arc::default(),
            make,
            content_type: content_type.to_string(),
            last_modified,
            behavior: Behavior::Normal,
            disposition: None,
        }
    }

    /// The same resource under another path (a TRS column's directory), rendered once.
    pub fn alias(&self) -> Resource {
        Resource {
            body: self.body.clone(),
            make: self.make.clone(),
            content_type: self.content_type.clone(),
            last_modified: self.last_modified.clone(),
            behavior: self.behavior.clone(),
            disposition: self.disposition.clone(),
        }
    }

    /// The bytes and their ETag.
    pub fn made(&self) -> &(Vec<u8>, String) {
        self.body.get_or_init(|| {
            let bytes = (self.make)();
            let tag = etag(&bytes);
            (bytes, tag)
        })
    }
}

/// Everything the server answers from, built once by the generator.
#[derive(Default)]
pub(super) struct Content {
    /// By path with its query, exactly as linked.
    pub resources: BTreeMap<String, Resource>,
    /// Hanweb column id → its list's records (`<li>…</li>`), newest first.
    pub records: HashMap<String, Vec<String>>,
    /// xxgk module area → the page for a year it has no report for.
    pub xxgk_empty: HashMap<String, Resource>,
    /// Paths that answer 302, with their `Location`.
    pub redirects: HashMap<String, String>,
    /// The JSON list API, when the portal has one.
    pub json: Option<JsonApi>,
}

/// A JSON list API: how it names things, and each channel's items, newest first.
pub(super) struct JsonApi {
    pub style: JsonStyle,
    pub lists: HashMap<String, Vec<serde_json::Value>>,
}

#[derive(Default)]
struct State {
    log: Vec<LoggedRequest>,
    served: HashMap<String, usize>,
}

/// A running server; stopped when dropped.
pub(super) struct Running {
    pub addr: SocketAddr,
    server: Arc<Server>,
    state: Arc<Mutex<State>>,
    thread: Option<JoinHandle<()>>,
}

/// Binds a free loopback port first, so the generator can write absolute links with it.
pub(super) fn bind() -> std::io::Result<(Server, SocketAddr)> {
    let server = Server::http("127.0.0.1:0").map_err(std::io::Error::other)?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| std::io::Error::other("no IP address"))?;
    Ok((server, addr))
}

impl Running {
    pub fn start(server: Server, addr: SocketAddr, content: Content) -> Running {
        let server = Arc::new(server);
        let state = Arc::new(Mutex::new(State::default()));
        let content = Arc::new(content);
        let (s, st) = (server.clone(), state.clone());
        let thread = std::thread::spawn(move || serve(s, st, content));
        Running {
            addr,
            server,
            state,
            thread: Some(thread),
        }
    }

    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .log
            .clone()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(server: Arc<Server>, state: Arc<Mutex<State>>, content: Arc<Content>) {
    let mut workers = Vec::new();
    for request in server.incoming_requests() {
        let (state, content) = (state.clone(), content.clone());
        workers.push(std::thread::spawn(move || {
            answer(request, &state, &content)
        }));
        workers.retain(|w| !w.is_finished());
    }
    for w in workers {
        let _ = w.join();
    }
}

/// A request as the answering code needs it.
struct Asked {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    form: String,
}

impl Asked {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Answer = (u16, Response<std::io::Cursor<Vec<u8>>>);

fn answer(mut request: tiny_http::Request, state: &Mutex<State>, content: &Content) {
    let mut form = String::new();
    let _ = std::io::Read::read_to_string(&mut request.as_reader(), &mut form);
    let asked = Asked {
        method: request.method().to_string(),
        path: request.url().to_string(),
        headers: request
            .headers()
            .iter()
            .map(|h| (h.field.to_string(), h.value.to_string()))
            .collect(),
        form,
    };
    // Logged on arrival, the status filled in once answered.
    let (logged, served) = {
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        s.log.push(LoggedRequest {
            at: Instant::now(),
            method: asked.method.clone(),
            path: asked.path.clone(),
            headers: asked.headers.clone(),
            status: 0,
        });
        let logged = s.log.len() - 1;
        let n = s.served.entry(canonical(&asked.path)).or_insert(0);
        *n += 1;
        (logged, *n)
    };
    let (status, response) = respond(&asked, served, content);
    if let Some(entry) = state
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .log
        .get_mut(logged)
    {
        entry.status = status;
    }
    let _ = request.respond(response);
}

fn header(k: &str, v: &str) -> Header {
    Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("valid header")
}

fn status(code: u16, body: &[u8]) -> Answer {
    (
        code,
        Response::from_data(body.to_vec())
            .with_status_code(code)
            .with_header(header("Content-Type", "text/html; charset=utf-8")),
    )
}

fn respond(asked: &Asked, served: usize, content: &Content) -> Answer {
    let full = canonical(&asked.path);
    let (path, query) = full.split_once('?').unwrap_or((&full, ""));
    if path == DATAPROXY {
        return dataproxy(asked, query, content);
    }
    if path == XXGK_REPORT {
        return xxgk(asked, query, content);
    }
    if path == VIEWER {
        return status(200, VIEWER_PAGE.as_bytes());
    }
    if let Some(api) = content.json.as_ref().filter(|api| api.style.api == path) {
        return json_list(api, query);
    }
    if let Some(to) = content.redirects.get(&full) {
        return (
            302,
            Response::from_data(b"<html><body>302 Found</body></html>".to_vec())
                .with_status_code(302)
                .with_header(header("Location", to))
                .with_header(header("Content-Type", "text/html; charset=utf-8")),
        );
    }
    match content.resources.get(&full) {
        None => status(404, "<html><body>404 页面不存在</body></html>".as_bytes()),
        Some(r) if r.behavior == Behavior::FailOnce && served == 1 => (
            503,
            Response::from_data(b"Service Unavailable".to_vec())
                .with_status_code(503)
                .with_header(header("Retry-After", "0")),
        ),
        Some(r) => resource(asked, r),
    }
}

/// A stored resource, or 304 when the client's validator still holds.
fn resource(asked: &Asked, r: &Resource) -> Answer {
    let (body, tag) = r.made();
    let fresh = match asked.header("If-None-Match") {
        Some(tags) => tags.split(',').any(|t| t.trim() == tag || t.trim() == "*"),
        None => asked.header("If-Modified-Since") == Some(r.last_modified.as_str()),
    };
    if fresh {
        return (
            304,
            Response::from_data(Vec::new())
                .with_status_code(304)
                .with_header(header("ETag", tag))
                .with_header(header("Last-Modified", &r.last_modified)),
        );
    }
    let mut response = Response::from_data(body.to_vec())
        .with_header(header("Content-Type", &r.content_type))
        .with_header(header("ETag", tag))
        .with_header(header("Last-Modified", &r.last_modified));
    if let Some(disposition) = &r.disposition {
        response = response.with_header(header("Content-Disposition", disposition));
    }
    (200, response)
}

fn etag(body: &[u8]) -> String {
    // FNV-1a: enough to tell versions of a page apart.
    let hash = body.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x1000_0000_01b3)
    });
    format!("\"{hash:016x}\"")
}

/// `key=value` pairs of a query or a form (values left encoded: only ids are read).
fn param<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// Hanweb's list service: a POST from a column page (Referer set) with the column id in
/// the form; `startrecord`/`endrecord` (query or form, 1-based, inclusive) pick the slice.
fn dataproxy(asked: &Asked, query: &str, content: &Content) -> Answer {
    let get = |k: &str| param(&asked.form, k).or_else(|| param(query, k));
    let records = get("columnid").and_then(|c| content.records.get(c));
    let (Some(records), true, Some(_)) = (records, asked.method == "POST", asked.header("Referer"))
    else {
        return status(400, b"bad request");
    };
    let number = |k: &str, default: usize| {
        get(k)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(default)
    };
    let start = number("startrecord", 1).max(1);
    let end = number("endrecord", start + 19).min(records.len());
    let slice = if start <= end {
        &records[start - 1..end]
    } else {
        &[][..]
    };
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><datastore><totalrecord>{}</totalrecord><recordset>{}</recordset></datastore>",
        records.len(),
        slice
            .iter()
            .map(|r| format!("<record><![CDATA[{r}]]></record>\n"))
            .collect::<String>()
    );
    (
        200,
        Response::from_data(xml.into_bytes())
            .with_header(header("Content-Type", "text/xml; charset=UTF-8")),
    )
}

/// The xxgk module: the stored page of an area and year (whatever the order of the
/// parameters), or the area's "暂无" page for any other year; unknown areas are 404.
fn xxgk(asked: &Asked, query: &str, content: &Content) -> Answer {
    let (Some(area), Some(year)) = (param(query, "area"), param(query, "fbtime")) else {
        return status(404, "<html><body>参数错误</body></html>".as_bytes());
    };
    let key = xxgk_path(area, year);
    if let Some(r) = content.resources.get(&key) {
        return resource(asked, r);
    }
    match content.xxgk_empty.get(area) {
        Some(page) => resource(asked, page),
        None => status(404, "<html><body>404 页面不存在</body></html>".as_bytes()),
    }
}

/// The viewer's shell: the file is fetched by its script, so the page links nothing.
const VIEWER_PAGE: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>PDF.js viewer</title></head>\
     <body><div id=\"outerContainer\"><div id=\"viewerContainer\"><div id=\"viewer\" class=\"pdfViewer\">\
     </div></div></div></body></html>";

/// A JSON list API: the channel's items, `pageSize` of them (all by default) from page
/// `pageNo` (1-based), with the total; unknown channels answer 404.
fn json_list(api: &JsonApi, query: &str) -> Answer {
    let style = api.style;
    let Some(items) = param(query, style.param).and_then(|c| api.lists.get(c)) else {
        return json(404, serde_json::json!({"code": 404, "msg": "栏目不存在"}));
    };
    let number = |k: &str, default: usize| {
        param(query, k)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(default)
            .max(1)
    };
    let size = number("pageSize", items.len());
    let page = number("pageNo", 1);
    let slice: Vec<serde_json::Value> = items
        .iter()
        .skip((page - 1).saturating_mul(size))
        .take(size)
        .cloned()
        .collect();
    let mut answer = serde_json::Map::new();
    answer.insert("code".into(), 200.into());
    answer.insert("total".into(), items.len().into());
    answer.insert("pageNo".into(), page.into());
    answer.insert("pageSize".into(), size.into());
    answer.insert(style.list.into(), slice.into());
    json(200, answer.into())
}

fn json(code: u16, value: serde_json::Value) -> Answer {
    (
        code,
        Response::from_data(value.to_string().into_bytes())
            .with_status_code(code)
            .with_header(header("Content-Type", "application/json; charset=utf-8")),
    )
}

/// A path as resources are keyed: bytes beyond ASCII and spaces percent-encoded, escapes
/// in capitals; so a raw `北宫镇2023年报告.docx`, its `%e5…` and its `%E5…` find one file.
pub(super) fn canonical(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        let escape = bytes
            .get(i + 1..i + 3)
            .filter(|h| bytes[i] == b'%' && h.iter().all(u8::is_ascii_hexdigit));
        if let Some(hex) = escape {
            out.push('%');
            out.extend(hex.iter().map(|h| char::from(h.to_ascii_uppercase())));
            i += 3;
            continue;
        }
        match bytes[i] {
            b @ (b' ' | 0x80..=0xFF) => out += &format!("%{b:02X}"),
            b => out.push(char::from(b)),
        }
        i += 1;
    }
    out
}

/// A canonical path as a page may print it: the escapes of bytes beyond ASCII decoded.
pub(super) fn decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok())
            .filter(|&b| b >= 0x80);
        match byte {
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

/// The path the xxgk module's page of an area and year is linked and stored under.
pub(super) fn xxgk_path(area: &str, year: &str) -> String {
    format!("{XXGK_REPORT}?area={area}&fbtime={year}")
}

/// `Mon, 20 Jan 2025 08:00:00 GMT` for a day.
pub(super) fn http_date(y: u16, m: u8, d: u8) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // Days since 1970-01-01 (a Thursday), by the civil-from-days inverse.
    let (y0, m0) = if m <= 2 {
        (i64::from(y) - 1, i64::from(m) + 9)
    } else {
        (i64::from(y), i64::from(m) - 3)
    };
    let era = y0.div_euclid(400);
    let yoe = y0 - era * 400;
    let doy = (153 * m0 + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    format!(
        "{}, {d:02} {} {y} 08:00:00 GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[usize::from(m) - 1]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_are_keyed_one_way_however_their_chinese_is_encoded() {
        let canonical = "/uploadfiles/%E5%8C%97%E5%AE%AB%E9%95%87.PDF";
        assert_eq!(super::canonical("/uploadfiles/北宫镇.PDF"), canonical);
        assert_eq!(
            super::canonical("/uploadfiles/%e5%8c%97%e5%ae%ab%e9%95%87.PDF"),
            canonical
        );
        assert_eq!(super::canonical(canonical), canonical);
        assert_eq!(super::decoded(canonical), "/uploadfiles/北宫镇.PDF");
        assert_eq!(super::decoded("/a%2Fb?x=%41"), "/a%2Fb?x=%41");
        assert_eq!(super::canonical("/a b?p=1"), "/a%20b?p=1");
    }

    #[test]
    fn http_dates_have_their_weekday() {
        assert_eq!(
            super::http_date(2025, 1, 20),
            "Mon, 20 Jan 2025 08:00:00 GMT"
        );
        assert_eq!(
            super::http_date(2024, 2, 29),
            "Thu, 29 Feb 2024 08:00:00 GMT"
        );
        assert_eq!(
            super::http_date(1970, 1, 1),
            "Thu, 01 Jan 1970 08:00:00 GMT"
        );
    }
}
