//! A generated government portal served on 127.0.0.1, which knows its own truth: every
//! report a complete crawl from its home page must store, and every page it must not.
//!
//! Each seed draws a district portal of one CMS family (TRS WCM or Hanweb jcms) with the
//! structures domain.md §3 describes: the way from the home page to the 年报 hub (rarely
//! by a link called 年报), decoy sections, a hub organised by body, type or year (or
//! nested), listings cut, titled or showing only the year, paged the family's way,
//! reports as pages, as pages with a DOCX, as attachments alone (some named only in a
//! script), as xxgk module pages or as attachments of a notice, in every title form of
//! §3.8; and traps: notices, 解读, 图解, other annual reports, drafts under a path
//! robots.txt disallows, a dead link, another host's link, a page failing once.
//!
//! On top of that, each of these variations real portals show is drawn in a share of the
//! seeds, independently (`vary.rs`), in either family:
//! * the site map (网站地图 / 站点地图, in the footer) as the only way from the home page
//!   to the hub's branch; and, apart from it, `/` answering 302 to the home page's own
//!   path (`/index.html`, `/index.shtml`);
//! * a year hub's older years under a range label (`2021年度及以前`, `2019年度及以前年报`);
//! * year columns (or type columns within a year) listing reports by body name alone
//!   (区统计局), each linking a report page kept in a folder of its own (`…/index.html`);
//! * listing items opened by `onclick` (`window.open('…')`, `location.href='…'`);
//! * attachment-only PDFs shown through `/pdfjs/web/viewer.html?file=…`;
//! * listings a script fills from a JSON API (`$.getJSON`, `fetch`), field names varying;
//! * attachments named in Chinese (percent-encoded or raw in links) or with `.PDF`/`.DOCX`;
//! * report listings paged by page-number links alone (`column-index-2.shtml`, or `2.html`
//!   beside `index.html`), with no 下一页 and no script;
//! * `/` a tiny page, a meta refresh to `/web/index.htm` or a frameset whose main frame
//!   `/web/main.htm` is the home page;
//! * attachments at `/attach/download?id=N` or `DownFile.asp?id=N`, named only by their
//!   `Content-Disposition` (`filename="…"` or `filename*=UTF-8''…`), linked as 下载,
//!   【下载附件】 or by a file name; the truth names them by that path and query;
//! * a hub of type columns linking them only from a left menu (`<div class="left-menu">`)
//!   shown on its page and on theirs;
//! * a banner image as the home page's only link towards the hub, naming it by its `alt`,
//!   its `title` or (wordless) its file name (`ztzl_xxgknb.jpg`);
//! * a hub of bodies drawn as a table of bodies × years, every cell's link saying only
//!   查看, 详情 or 点击查看;
//! * TRS pagers in the newer template, `createPageHTML('page_div', 3, 0, 'index', 'html',
//!   22)`, with no `countPage` variable.
//!
//! [`Portal::describe`] names the variations a portal has.
//!
//! Drawing is split: `plan.rs`/`tree.rs`/`traps.rs`/`vary.rs` decide what exists,
//! `paths.rs` where it lives, `render.rs`/`articles.rs` write it, `server.rs` serves it.

mod articles;
mod names;
mod paths;
mod plan;
mod render;
mod server;
mod traps;
mod tree;
mod vary;

use std::net::SocketAddr;
use std::sync::Arc;

use crate::site::LoggedRequest;
use crate::truth::Truth;

use plan::{Delivery, Plan};
use render::{Pages, Site};
use server::{Content, Running};

/// The CMS family a portal is built like (domain.md §3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// TRS WCM: nested column directories, dated articles, `createPageHTML` paging.
    Trs,
    /// Hanweb jcms: flat `/col/col<ID>/` columns, lists from `dataproxy.jsp` by POST.
    Hanweb,
}

/// A report a complete crawl must store.
#[derive(Clone, Debug)]
pub struct ExpectedReport {
    /// The report's own page (with the query, for xxgk module pages); `None` when the
    /// report is only an attachment of a notice that is not a report.
    pub page: Option<String>,
    /// Its files (DOCX or PDF), as paths a URL carries: beyond ASCII percent-encoded
    /// (UTF-8, capital hex), whatever form the page links them in.
    pub attachments: Vec<String>,
    /// The body's full name (`杭州市余杭区财政局`), whatever prefix the title prints.
    pub agency: String,
    pub year: u16,
    /// The title as the report's page (or the attachment's link) prints it.
    pub title: String,
    /// The figures its page and DOCX print; `None` when its file is a PDF, which holds
    /// a fixed generated report (`Truth::random(7, T2021, Noise::ALL)`) instead.
    pub truth: Option<Truth>,
}

/// What a crawl of the portal should and should not do.
#[derive(Clone, Debug, Default)]
pub struct PortalTruth {
    /// Every report a complete crawl must store.
    pub reports: Vec<ExpectedReport>,
    /// Paths served that must never be stored as a report: notices, 解读, 图解, other
    /// annual reports, budgets, a notice whose attachments are reports, drafts, the xxgk
    /// module's "暂无" years.
    pub traps: Vec<String>,
    /// Served paths that robots.txt disallows (drafts): never to be requested.
    pub disallowed: Vec<String>,
    /// Seconds between requests, as robots.txt asks.
    pub crawl_delay: Option<f64>,
    /// Listed paths that answer 404.
    pub dead: Vec<String>,
    /// Links to other hosts (whole URLs): never to be requested.
    pub offsite: Vec<String>,
    /// Paths that answer 503 on the first request, then normally.
    pub flaky: Vec<String>,
    /// Paths that answer 302, with the path their `Location` names (as a whole URL):
    /// `/` when the home page lives at `/index.html` only.
    pub redirects: Vec<(String, String)>,
}

/// A running generated portal; the server stops when it is dropped.
pub struct Portal {
    running: Running,
    family: Family,
    truth: PortalTruth,
    description: String,
    size: usize,
}

impl Portal {
    /// Draws the portal of `seed` and serves it on a free loopback port.
    pub fn generate(seed: u64) -> std::io::Result<Portal> {
        let mut plan = Plan::draw(seed);
        plan.assign_paths();
        let (server, addr) = server::bind()?;
        let truth = PortalTruth {
            crawl_delay: Some(plan.crawl_delay),
            ..PortalTruth::default()
        };
        let mut site = Site {
            pages: Arc::new(Pages {
                plan,
                host: addr.to_string(),
            }),
            content: Content::default(),
            truth,
        };
        site.robots();
        site.home();
        site.columns();
        site.articles();
        let Site {
            pages,
            content,
            truth,
        } = site;
        let json_lists = content.json.as_ref().map_or(0, |api| api.lists.len());
        let size = content.resources.len() + content.records.len() + json_lists;
        let description = describe(&pages.plan, &truth, size, addr);
        Ok(Portal {
            running: Running::start(server, addr, content),
            family: pages.plan.family,
            truth,
            description,
            size,
        })
    }

    /// `http://127.0.0.1:PORT/`
    pub fn home(&self) -> String {
        self.url("/")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.running.addr)
    }

    pub fn family(&self) -> Family {
        self.family
    }

    pub fn truth(&self) -> &PortalTruth {
        &self.truth
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.running.requests()
    }

    /// The number of resources served (pages, files, Hanweb and JSON lists): a bound on
    /// a crawl.
    pub fn size(&self) -> usize {
        self.size
    }

    /// One line on the structure drawn and the variations it shows, for failure messages.
    pub fn describe(&self) -> String {
        self.description.clone()
    }
}

fn describe(plan: &Plan, truth: &PortalTruth, size: usize, addr: SocketAddr) -> String {
    let count =
        |f: &dyn Fn(&Delivery) -> bool| plan.reports.iter().filter(|r| f(&r.delivery)).count();
    format!(
        "portal seed {} at {addr}: {:?}{} {}, entry {:?} to hub \"{}\" by {:?}{}; {} reports \
         ({} pages, {} with DOCX, {} attachment-only of which {} in a script, {} xxgk, {} in a notice); \
         {} traps, {} dead, {} offsite, {} flaky; {size} resources; crawl-delay {}; variations: {}",
        plan.seed,
        plan.family,
        if plan.gbk { " (GBK)" } else { "" },
        plan.district.long_prefix(),
        plan.entry,
        plan.columns[plan.hub].name,
        plan.hub_mode,
        if plan.also_by_year { " + year columns" } else { "" },
        plan.reports.len(),
        count(&|d| matches!(d, Delivery::Page { .. })),
        count(&|d| matches!(d, Delivery::Page { docx: true })),
        count(&|d| matches!(d, Delivery::Attachment { .. })),
        count(&|d| matches!(d, Delivery::Attachment { in_script: true, .. })),
        count(&|d| *d == Delivery::Xxgk),
        count(&|d| *d == Delivery::Bundled),
        truth.traps.len(),
        truth.dead.len(),
        truth.offsite.len(),
        truth.flaky.len(),
        plan.crawl_delay,
        match plan.classes() {
            classes if classes.is_empty() => "none".to_string(),
            classes => classes.join(", "),
        },
    )
}
