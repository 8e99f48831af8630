//! A district government web site served on 127.0.0.1, for crawling over real HTTP:
//! navigation from the home page to the 年报 column, one sub-column per body with each
//! pagination scheme real sites use (TRS `createPageHTML` static pages, `?page=N`,
//! 下一页 links), UTF-8 and GBK pages, DOCX attachments, notices about the reports that are
//! not reports — and the trouble real servers give: a robots.txt disallowing a path, a
//! page that answers 503 twice, a slow page, a dead link, a redirect, an anti-bot 412.
//! It records every request it receives, and answers conditional requests.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nianbao_model::Template;
use tiny_http::{Header, Response, Server};

use crate::html::PageEncoding;
use crate::truth::{Noise, Truth, PLACES};
use crate::{layout, render_docx, render_html_page};

/// How a path answers.
#[derive(Clone, Debug)]
enum Behavior {
    Normal,
    /// Answers 503 this many times, then normally.
    FailFirst(usize),
    Slow(Duration),
    Redirect(String),
    Status(u16),
    /// A Hanweb list: only a POST with this column id and a Referer gets it.
    HanwebList {
        columnid: String,
    },
}

#[derive(Clone, Debug)]
struct Resource {
    body: Vec<u8>,
    content_type: String,
    behavior: Behavior,
}

/// One request as the site saw it.
#[derive(Clone, Debug)]
pub struct LoggedRequest {
    pub at: Instant,
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub status: u16,
}

impl LoggedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_conditional(&self) -> bool {
        self.header("If-None-Match").is_some() || self.header("If-Modified-Since").is_some()
    }
}

/// A report the site publishes, with the truth of its figures.
#[derive(Clone, Debug)]
pub struct PublishedReport {
    pub page: String,
    pub attachment: Option<String>,
    pub truth: Truth,
}

#[derive(Default)]
struct SiteState {
    resources: BTreeMap<String, Resource>,
    log: Vec<LoggedRequest>,
    served: HashMap<String, usize>,
}

pub struct FixtureSite {
    addr: SocketAddr,
    state: Arc<Mutex<SiteState>>,
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
    reports: Vec<PublishedReport>,
}

/// One report to publish on the site.
struct Publish<'a> {
    seed: u64,
    place: usize,
    year: u16,
    page: &'a str,
    encoding: PageEncoding,
    attach: bool,
    behavior: Behavior,
}

/// Paths of the trouble the site makes.
pub mod paths {
    pub const HOME: &str = "/";
    pub const DISALLOWED: &str = "/private/ndbg/t20240110_9.html";
    pub const FLAKY: &str = "/zwgk/xxgk/ndbg/bgz/202101/t20210120_7.html";
    pub const SLOW: &str = "/zwgk/xxgk/ndbg/bgz/202201/t20220118_8.html";
    pub const DEAD: &str = "/zwgk/xxgk/ndbg/bgz/201901/t20190120_404.html";
    pub const REDIRECTED: &str = "/zwgk/xxgk/ndbg/qzf/old/2022.html";
    pub const REDIRECT_TARGET: &str = "/zwgk/xxgk/ndbg/qzf/202302/t20230210_2.html";
    pub const BLOCKED: &str = "/zwgk/xxgk/ndbg/qzf/202401/t20240115_3.html";
    pub const NOTICE: &str = "/zwgk/xxgk/ndbg/bgz/202312/t20231201_1.html";
    /// A Hanweb (大汉) column whose list comes from `dataproxy.jsp` by POST.
    pub const HANWEB_COLUMN: &str = "/col/col1001/index.html";
    pub const HANWEB_PROXY: &str = "/module/web/jpage/dataproxy.jsp";
}

/// How long the slow page takes to answer.
pub const SLOW_PAGE_DELAY: Duration = Duration::from_millis(1500);

fn html_page(title: &str, body: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\
         <div class=\"header\"><a href=\"/\">首页</a></div>{body}\
         <div class=\"footer\">主办单位：北京市丰台区人民政府办公室</div></body></html>"
    )
    .into_bytes()
}

fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

fn item(href: &str, title: &str, date: &str) -> String {
    let short: String = title.chars().take(18).collect();
    format!("<li><a href=\"{href}\" title=\"{title}\" target=\"_blank\">{short}...</a><span>{date}</span></li>")
}

/// A listing item with its text cut short after the year and no `title` to recover the
/// rest from: only the page's own title says it is a report.
fn cut_item(item: &str) -> String {
    let (Some(start), Some(title_start)) = (item.find(" title=\""), item.find("title=\"")) else {
        return item.to_string();
    };
    let title: String = item[title_start + 7..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let cut: String = title
        .chars()
        .take(
            title
                .find('年')
                .map_or(20, |i| title[..i].chars().count() + 1),
        )
        .collect();
    let href_end = item[..start].to_string();
    let date = item.rsplit("<span>").next().unwrap_or("");
    format!("{href_end}>{cut}...</a><span>{date}")
}

impl FixtureSite {
    /// Starts the site on a free loopback port.
    pub fn start() -> std::io::Result<FixtureSite> {
        let server = Server::http("127.0.0.1:0").map_err(std::io::Error::other)?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| std::io::Error::other("no IP address"))?;
        let server = Arc::new(server);
        let state = Arc::new(Mutex::new(SiteState::default()));
        let mut site = FixtureSite {
            addr,
            state: state.clone(),
            server: server.clone(),
            thread: None,
            reports: Vec::new(),
        };
        site.build();
        site.thread = Some(std::thread::spawn(move || serve(server, state)));
        Ok(site)
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.lock().log.clone()
    }

    /// The reports (and attachments) a complete crawl must store.
    pub fn reports(&self) -> &[PublishedReport] {
        &self.reports
    }

    /// Replaces a page's body (its ETag changes with it).
    pub fn set_body(&self, path: &str, body: Vec<u8>) {
        if let Some(r) = self.lock().resources.get_mut(path) {
            r.body = body;
        }
    }

    pub fn body(&self, path: &str) -> Option<Vec<u8>> {
        self.lock().resources.get(path).map(|r| r.body.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SiteState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn put(&self, path: &str, body: Vec<u8>, content_type: &str, behavior: Behavior) {
        self.lock().resources.insert(
            path.to_string(),
            Resource {
                body,
                content_type: content_type.to_string(),
                behavior,
            },
        );
    }

    fn html(&self, path: &str, body: Vec<u8>) {
        self.put(path, body, "text/html; charset=utf-8", Behavior::Normal);
    }

    /// Publishes one report page (and its attachment), returning its listing item.
    fn publish(&mut self, p: Publish<'_>) -> String {
        let Publish {
            seed,
            place,
            year,
            page,
            encoding,
            attach,
            behavior,
        } = p;
        let template = if year >= 2021 {
            Template::T2021
        } else {
            Template::T2019
        };
        let mut truth = Truth::random(seed, template, Noise::ALL);
        truth.place = PLACES[place].clone();
        truth.year = year;
        let parts = layout(&truth);
        let mut html = render_html_page(&truth, &parts, encoding, seed);
        let attachment = attach.then(|| page.replace(".html", ".docx"));
        if let Some(docx_path) = &attachment {
            let link = format!(
                "<p class=\"fj\">附件：<a href=\"./{}\">{}{}年政府信息公开工作年度报告.docx</a></p></body>",
                docx_path.rsplit('/').next().unwrap_or(""),
                truth.place.agency_full,
                year
            );
            let text = match encoding {
                PageEncoding::Utf8 => String::from_utf8_lossy(&html).into_owned(),
                _ => encoding_rs::GB18030.decode(&html).0.into_owned(),
            };
            let text = text.replacen("</body>", &link, 1);
            html = match encoding {
                PageEncoding::Utf8 => text.into_bytes(),
                _ => gbk(&text),
            };
            self.put(
                docx_path,
                render_docx(&parts, seed),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                Behavior::Normal,
            );
        }
        let content_type = match encoding {
            PageEncoding::Utf8 => "text/html; charset=utf-8",
            PageEncoding::Gb2312Declared => "text/html; charset=gb2312",
            PageEncoding::GbkUndeclared => "text/html",
        };
        self.put(page, html, content_type, behavior);
        let title = format!(
            "{}{}年政府信息公开工作年度报告",
            truth.place.agency_full, year
        );
        self.reports.push(PublishedReport {
            page: page.to_string(),
            attachment,
            truth,
        });
        item(
            page,
            &title,
            &format!("{}-01-{:02}", year + 1, 10 + (seed % 18)),
        )
    }

    fn build(&mut self) {
        self.put(
            "/robots.txt",
            b"User-agent: *\nDisallow: /private/\n".to_vec(),
            "text/plain",
            Behavior::Normal,
        );
        self.html(
            "/",
            html_page(
                "北京市丰台区人民政府",
                "<ul class=\"nav\"><li><a href=\"/\">首页</a></li><li><a href=\"/xwzx/\">新闻中心</a></li>\
                 <li><a href=\"/zwgk/\">政务公开</a></li><li><a href=\"/hdjl/\">互动交流</a></li></ul>\
                 <div class=\"news\"><a href=\"/xwzx/2024/n1.html\">区领导调研重点项目</a></div>",
            ),
        );
        self.html(
            "/xwzx/",
            html_page(
                "新闻中心",
                "<a href=\"/xwzx/2024/n1.html\">区领导调研重点项目</a>",
            ),
        );
        self.html(
            "/zwgk/",
            html_page(
                "政务公开",
                "<a href=\"/zwgk/xxgk/\">政府信息公开</a> <a href=\"/zwgk/zcwj/\">政策文件</a>",
            ),
        );
        self.html(
            "/zwgk/xxgk/",
            html_page(
                "政府信息公开",
                "<a href=\"/zwgk/xxgk/zn/\">政府信息公开指南</a> <a href=\"/zwgk/xxgk/ndbg/\">政府信息公开年报</a> \
                 <a href=\"/col/col1001/index.html\">街道信息公开年报</a>",
            ),
        );
        self.html(
            "/zwgk/xxgk/zn/",
            html_page("政府信息公开指南", "<p>申请方式：当面、信函、网络。</p>"),
        );
        self.html(
            "/zwgk/xxgk/ndbg/",
            html_page(
                "政府信息公开年报",
                "<ul class=\"sub-columns\"><li><a href=\"qzf/index.html\">区政府</a></li>\
                 <li><a href=\"bgz/index.html\">北宫镇</a></li><li><a href=\"wzz/list.jsp?page=1\">王佐镇</a></li>\
                 <li><a href=\"hqljd/index.html\">华侨路街道</a></li></ul>",
            ),
        );

        // 北宫镇: TRS static pagination over three pages, with notices among the reports.
        let u = PageEncoding::Utf8;
        let bgz: Vec<String> = vec![
            self.publish(Publish {
                seed: 1,
                place: 0,
                year: 2024,
                page: "/zwgk/xxgk/ndbg/bgz/202501/t20250120_1.html",
                encoding: u,
                attach: true,
                behavior: Behavior::Normal,
            }),
            item(
                paths::NOTICE,
                "关于做好2023年度政府信息公开工作年度报告编制工作的通知",
                "2023-12-01",
            ),
            self.publish(Publish {
                seed: 2,
                place: 0,
                year: 2023,
                page: "/zwgk/xxgk/ndbg/bgz/202401/t20240118_2.html",
                encoding: u,
                attach: false,
                behavior: Behavior::Normal,
            }),
            item(
                "/zwgk/xxgk/ndbg/bgz/202401/t20240125_5.html",
                "北宫镇2023年政府信息公开工作年度报告解读",
                "2024-01-25",
            ),
            self.publish(Publish {
                seed: 3,
                place: 0,
                year: 2021,
                page: paths::SLOW,
                encoding: u,
                attach: false,
                behavior: Behavior::Slow(SLOW_PAGE_DELAY),
            }),
            self.publish(Publish {
                seed: 4,
                place: 0,
                year: 2020,
                page: paths::FLAKY,
                encoding: u,
                attach: true,
                behavior: Behavior::FailFirst(2),
            }),
            item(
                paths::DEAD,
                "北宫镇人民政府2018年政府信息公开工作年度报告",
                "2019-01-20",
            ),
        ];
        self.html(
            paths::NOTICE,
            html_page("通知", "<p>请各单位做好年度报告编制工作。</p>"),
        );
        self.html(
            "/zwgk/xxgk/ndbg/bgz/202401/t20240125_5.html",
            html_page("解读", "<p>图文解读。</p>"),
        );
        let pages: Vec<Vec<String>> = bgz.chunks(3).map(<[String]>::to_vec).collect();
        for (n, items) in pages.iter().enumerate() {
            let path = if n == 0 {
                "/zwgk/xxgk/ndbg/bgz/index.html".to_string()
            } else {
                format!("/zwgk/xxgk/ndbg/bgz/index_{n}.html")
            };
            let script = format!(
                "<script>var countPage = {count};createPageHTML({count}, {n}, \"index\", \"html\");</script>",
                count = pages.len()
            );
            let items: String = items
                .iter()
                .map(|i| i.replace("href=\"/zwgk/xxgk/ndbg/bgz/", "href=\"./"))
                .collect();
            self.html(
                &path,
                html_page(
                    "北宫镇",
                    &format!("<ul class=\"list\">{items}</ul>{script}"),
                ),
            );
        }

        // 王佐镇: GBK pages, `?page=N` pagination.
        let g = PageEncoding::Gb2312Declared;
        let wzz = [
            self.publish(Publish {
                seed: 11,
                place: 1,
                year: 2024,
                page: "/zwgk/xxgk/ndbg/wzz/202501/t20250115_11.html",
                encoding: g,
                attach: true,
                behavior: Behavior::Normal,
            }),
            self.publish(Publish {
                seed: 12,
                place: 1,
                year: 2023,
                page: "/zwgk/xxgk/ndbg/wzz/202401/t20240112_12.html",
                encoding: g,
                attach: false,
                behavior: Behavior::Normal,
            }),
            self.publish(Publish {
                seed: 13,
                place: 1,
                year: 2019,
                page: "/zwgk/xxgk/ndbg/wzz/202001/t20200114_13.html",
                encoding: PageEncoding::GbkUndeclared,
                attach: false,
                behavior: Behavior::Normal,
            }),
        ];
        for (n, items) in [(1, &wzz[..2]), (2, &wzz[2..])] {
            let nav = "<div class=\"page\"><a href=\"list.jsp?page=1\">1</a> <a href=\"list.jsp?page=2\">2</a></div>";
            let page = format!(
                "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>王佐镇</title></head><body><ul>{}</ul>{nav}</body></html>",
                items.concat()
            );
            self.put(
                &format!("/zwgk/xxgk/ndbg/wzz/list.jsp?page={n}"),
                gbk(&page),
                "text/html; charset=gb2312",
                Behavior::Normal,
            );
        }

        // 华侨路街道: 下一页 links.
        let hq = [
            self.publish(Publish {
                seed: 21,
                place: 2,
                year: 2024,
                page: "/zwgk/xxgk/ndbg/hqljd/202501/t20250116_21.html",
                encoding: u,
                attach: true,
                behavior: Behavior::Normal,
            }),
            self.publish(Publish {
                seed: 22,
                place: 2,
                year: 2022,
                page: "/zwgk/xxgk/ndbg/hqljd/202301/t20230117_22.html",
                encoding: u,
                attach: false,
                behavior: Behavior::Normal,
            }),
        ];
        self.html(
            "/zwgk/xxgk/ndbg/hqljd/index.html",
            html_page(
                "华侨路街道",
                &format!("<ul>{}</ul><a href=\"list_2.html\">下一页</a>", hq[0]),
            ),
        );
        self.html(
            "/zwgk/xxgk/ndbg/hqljd/list_2.html",
            html_page(
                "华侨路街道",
                &format!(
                    "<ul>{}</ul><a href=\"index.html\">上一页</a>",
                    cut_item(&hq[1])
                ),
            ),
        );

        // 区政府: a redirect, an anti-bot page, a disallowed path.
        // Listed under its old address only.
        self.publish(Publish {
            seed: 31,
            place: 3,
            year: 2022,
            page: paths::REDIRECT_TARGET,
            encoding: u,
            attach: false,
            behavior: Behavior::Normal,
        });
        self.put(
            paths::REDIRECTED,
            Vec::new(),
            "text/html",
            Behavior::Redirect(paths::REDIRECT_TARGET.into()),
        );
        self.put(
            paths::BLOCKED,
            b"<html><script>var _0x1=['cookie'];document.cookie='FSSBBIl1UgzbN7N80S=x';location.reload();</script></html>".to_vec(),
            "text/html",
            Behavior::Status(412),
        );
        let qzf = [
            item(
                paths::REDIRECTED,
                "北京市大兴区城市管理委员会2022年政府信息公开工作年度报告",
                "2023-02-10",
            ),
            item(
                paths::BLOCKED,
                "北京市丰台区人民政府2023年政府信息公开工作年度报告",
                "2024-01-15",
            ),
            item(
                paths::DISALLOWED,
                "北京市丰台区人民政府2023年政府信息公开年报",
                "2024-01-10",
            ),
        ];
        self.html(
            "/zwgk/xxgk/ndbg/qzf/index.html",
            html_page("区政府", &format!("<ul>{}</ul>", qzf.concat())),
        );
        // 北街街道, on a Hanweb column: the first record is in the page, the whole list
        // comes from dataproxy.jsp by POST (form fields, Referer required).
        let records = [
            self.publish(Publish {
                seed: 41,
                place: 6,
                year: 2024,
                page: "/art/2025/1/20/art_1001_501.html",
                encoding: u,
                attach: true,
                behavior: Behavior::Normal,
            }),
            self.publish(Publish {
                seed: 42,
                place: 6,
                year: 2023,
                page: "/art/2024/1/18/art_1001_502.html",
                encoding: u,
                attach: false,
                behavior: Behavior::Normal,
            }),
            self.publish(Publish {
                seed: 43,
                place: 6,
                year: 2022,
                page: "/art/2023/1/16/art_1001_503.html",
                encoding: u,
                attach: false,
                behavior: Behavior::Normal,
            }),
        ];
        let record = |item: &String| format!("<record><![CDATA[{item}]]></record>");
        let column = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>街道信息公开年报</title>\
             <script type=\"text/javascript\" src=\"/module/web/jpage/jpage.js\"></script></head><body>\
             <div id=\"4567\"><script type=\"text/xml\"><datastore><nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid=1001&unitid=4567&webname=丰台区&permissiontype=0\"></a>]]></nextgroup>\
             <recordset>{}</recordset></datastore></script></div></body></html>",
            record(&records[0])
        );
        self.html(paths::HANWEB_COLUMN, column.into_bytes());
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><datastore><totalrecord>{}</totalrecord><recordset>{}</recordset></datastore>",
            records.len(),
            records.iter().map(record).collect::<String>()
        );
        self.put(
            &format!(
                "{}?startrecord=1&endrecord=5000&perpage=5000&columnid=1001",
                paths::HANWEB_PROXY
            ),
            xml.into_bytes(),
            "text/xml; charset=utf-8",
            Behavior::HanwebList {
                columnid: "1001".into(),
            },
        );
        self.html(
            paths::DISALLOWED,
            html_page("不应抓取", "<p>robots.txt 禁止</p>"),
        );
    }
}

impl Drop for FixtureSite {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn etag(body: &[u8]) -> String {
    // FNV-1a: enough to tell versions of a page apart.
    let hash = body.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x1000_0000_01b3)
    });
    format!("\"{hash:016x}\"")
}

const LAST_MODIFIED: &str = "Mon, 20 Jan 2025 08:00:00 GMT";

fn serve(server: Arc<Server>, state: Arc<Mutex<SiteState>>) {
    let mut workers = Vec::new();
    for request in server.incoming_requests() {
        let state = state.clone();
        // A thread per request, so the slow page does not hold the others up.
        workers.push(std::thread::spawn(move || answer(request, &state)));
        workers.retain(|w| !w.is_finished());
    }
    for w in workers {
        let _ = w.join();
    }
}

fn answer(mut request: tiny_http::Request, state: &Mutex<SiteState>) {
    let at = Instant::now();
    let method = request.method().to_string();
    let path = request.url().to_string();
    let mut form = String::new();
    let _ = std::io::Read::read_to_string(&mut request.as_reader(), &mut form);
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| (h.field.to_string(), h.value.to_string()))
        .collect();
    let (resource, served, logged) = {
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        // Logged on arrival (status filled in once answered), so a request the client
        // gave up on is in the log too.
        s.log.push(LoggedRequest {
            at,
            method: method.clone(),
            path: path.clone(),
            headers: headers.clone(),
            status: 0,
        });
        let logged = s.log.len() - 1;
        let served = {
            let n = s.served.entry(path.clone()).or_insert(0);
            *n += 1;
            *n
        };
        (s.resources.get(&path).cloned(), served, logged)
    };
    let header =
        |k: &str, v: &str| Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("valid header");
    let (status, response) = match resource {
        None => (
            404,
            Response::from_data(b"<html>404</html>".to_vec()).with_status_code(404),
        ),
        Some(r) => match r.behavior {
            Behavior::FailFirst(n) if served <= n => (
                503,
                Response::from_data(b"busy".to_vec())
                    .with_status_code(503)
                    .with_header(header("Retry-After", "0")),
            ),
            Behavior::Redirect(to) => (
                301,
                Response::from_data(Vec::new())
                    .with_status_code(301)
                    .with_header(header("Location", &to)),
            ),
            Behavior::Status(code) => (code, Response::from_data(r.body).with_status_code(code)),
            Behavior::HanwebList { columnid } => {
                let asked = form
                    .split('&')
                    .any(|kv| kv == format!("columnid={columnid}"));
                let referer = headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("Referer"));
                if method == "POST" && asked && referer {
                    (
                        200,
                        Response::from_data(r.body)
                            .with_header(header("Content-Type", &r.content_type)),
                    )
                } else {
                    (
                        400,
                        Response::from_data(b"bad request".to_vec()).with_status_code(400),
                    )
                }
            }
            behavior => {
                if let Behavior::Slow(d) = behavior {
                    std::thread::sleep(d);
                }
                let tag = etag(&r.body);
                let matches = headers
                    .iter()
                    .any(|(k, v)| k.eq_ignore_ascii_case("If-None-Match") && *v == tag);
                if matches {
                    (
                        304,
                        Response::from_data(Vec::new())
                            .with_status_code(304)
                            .with_header(header("ETag", &tag)),
                    )
                } else {
                    (
                        200,
                        Response::from_data(r.body)
                            .with_header(header("Content-Type", &r.content_type))
                            .with_header(header("ETag", &tag))
                            .with_header(header("Last-Modified", LAST_MODIFIED)),
                    )
                }
            }
        },
    };
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
