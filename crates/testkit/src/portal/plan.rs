//! What a portal holds, drawn from its seed before any page is written: the district and
//! its bodies, each body's reports (title form, publication day, how it is delivered),
//! and the tree of columns from the home page down to the listings. Paths come after
//! (`paths.rs`, by family), pages last (`render.rs`).

use nianbao_model::Template;

use super::names::{self, Body, BodyKind, District, Form, DISTRICTS};
use super::vary::Variations;
use super::Family;
use crate::rng::Rng;
use crate::truth::{Noise, Truth};

/// A day, as pages print it and as TRS and Hanweb put it in paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Date {
    pub y: u16,
    pub m: u8,
    pub d: u8,
}

impl Date {
    pub fn iso(self) -> String {
        format!("{}-{:02}-{:02}", self.y, self.m, self.d)
    }

    /// `20240118`, as in TRS's `t20240118_…`.
    pub fn compact(self) -> String {
        format!("{}{:02}{:02}", self.y, self.m, self.d)
    }

    /// A day of the first quarter of `year` (when reports come out), or now and then a
    /// late upload later in the year.
    pub fn publication(year: u16, rng: &mut Rng) -> Date {
        let m = if rng.chance(0.9) {
            rng.range(1, 3)
        } else {
            rng.range(4, 11)
        };
        Date {
            y: year,
            m: m as u8,
            d: rng.range(1, 28) as u8,
        }
    }
}

/// How a report reaches the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Delivery {
    /// An HTML page with the whole report, perhaps with a DOCX of it attached.
    Page { docx: bool },
    /// An almost empty article whose only content is the file, linked by an anchor,
    /// named only in a script string (`var file_appendix = '…'`) or (a PDF) only in the
    /// `file=` parameter of an embedded PDF.js viewer.
    Attachment {
        pdf: bool,
        in_script: bool,
        viewer: bool,
    },
    /// A page of the Hanweb xxgk module, one per body and year.
    Xxgk,
    /// One of the attachments of a notice that is not itself a report.
    Bundled,
}

#[derive(Clone, Debug)]
pub(super) struct Report {
    pub body: usize,
    pub year: u16,
    pub title: String,
    pub date: Date,
    pub delivery: Delivery,
    pub seed: u64,
}

impl Report {
    /// The figures the report prints, its place and year those of the body.
    pub fn truth(&self, body: &Body) -> Truth {
        let template = if self.year >= 2021 {
            Template::T2021
        } else {
            Template::T2019
        };
        let mut truth = Truth::random(self.seed, template, Noise::ALL);
        truth.place = body.place.clone();
        truth.year = self.year;
        truth.published = self.date.iso();
        truth
    }
}

/// What a listed item is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Report(usize),
    /// A page that names reports and is not one (notice, 解读, 图解, …).
    Trap,
    /// A notice whose attachments are reports (of these indices).
    Bundle(Vec<usize>),
    News,
    /// A 送审稿 under the path robots.txt disallows.
    Draft,
    /// Listed, answering 404.
    Dead,
    /// On another host: linked, never served here.
    Offsite(String),
}

#[derive(Clone, Debug)]
pub(super) struct Article {
    pub title: String,
    pub date: Date,
    pub kind: Kind,
    /// The column the article's URL lives under.
    pub home: usize,
    pub path: String,
    /// The CMS's number for it (TRS `t…_<id>`, Hanweb `art_<col>_<id>`).
    pub id: u64,
    /// Lives in a folder of its own (`…/5512345/index.html`) rather than at a dated
    /// path: a report a column lists by its body's name.
    pub folder: bool,
}

/// How a listing spreads over pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Paging {
    /// TRS: `index.html`, `index_1.html`, … announced by `createPageHTML` in a script.
    TrsScript,
    /// `?page=N` links: 首页/上一页/下一页/尾页.
    Query,
    /// `list_N.html` pages reached only by 下一页/尾页 anchors.
    NextLinks,
    /// Hanweb: the first page in the column, the rest from `dataproxy.jsp` by POST.
    Jpage,
    /// Page-number links alone (`column-index-2.shtml` or `2.html`), no 下一页, no script.
    Numbers,
}

/// How a listing prints its items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Items {
    Full,
    /// Cut at 18–30 characters with `...`, the whole title in `title=`.
    CutTitled,
    /// Cut, and nothing else tells: only the page's own title does.
    CutBare,
    /// `2023年度报告`: the body is the column's.
    YearOnly,
    /// `区统计局`: a report printed as its body's name alone.
    BodyName,
}

/// Where the home page shows a top-level column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Placement {
    Nav,
    /// In a side menu, its children listed under its name.
    Side,
    Footer,
    /// Nowhere on the home page or in the navigation: only the site map links it.
    Hidden,
}

/// A body that publishes through the xxgk module: its organisation id and the years its
/// page offers (some without a report).
#[derive(Clone, Debug)]
pub(super) struct Xxgk {
    pub area: String,
    pub years: Vec<u16>,
    /// The years sit in a `<select>`'s options rather than in links.
    pub select: bool,
}

#[derive(Clone, Debug)]
pub(super) struct Column {
    pub name: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub listed: Vec<usize>,
    /// The body the column belongs to, when it is one body's.
    pub body: Option<usize>,
    /// A page of text instead of a list.
    pub text: Option<String>,
    pub xxgk: Option<Xxgk>,
    pub placement: Placement,
    pub paging: Paging,
    pub per_page: usize,
    pub items: Items,
    /// TRS: the directory's name; `dir` the whole directory.
    pub slug: String,
    pub dir: String,
    /// Hanweb: the column id.
    pub col_id: u64,
    /// The first page's path, and the form links to the column take.
    pub path: String,
    pub link: String,
    /// Its reports are printed by their bodies' names (see [`Items::BodyName`]).
    pub by_name: bool,
    /// Its items come from the JSON API by a script, under this channel id.
    pub json: Option<String>,
    /// The site map: every column of the site, in a tree.
    pub site_map: bool,
    /// Its sub-columns shown only in a left menu, here and on their own pages.
    pub menu: bool,
    /// Its reports shown as a table of bodies × years, every cell's link saying 查看.
    pub matrix: bool,
}

/// How the 年报 hub is organised (domain.md §3.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum HubMode {
    /// A column per body.
    Bodies,
    /// 区政府 / 区政府部门 / 街道乡镇, then a column per body.
    Types,
    /// Type columns listing their bodies' reports.
    FlatTypes,
    /// A column per recent year, older ones perhaps in 往年年报.
    Years,
    /// Year, then type, then body.
    NestedYears,
}

/// The way from the home page to the hub.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Entry {
    /// 政务公开 → 法定主动公开内容 → hub.
    Statutory,
    /// 信息公开 → hub.
    Disclosure,
    /// A side menu on the home page links the hub.
    SideMenu,
    /// A footer link to 政府信息公开, which links the hub.
    Footer,
    /// The home page links the hub by a name with 年报 in it.
    Direct,
}

pub(super) struct Plan {
    pub seed: u64,
    pub family: Family,
    pub district: &'static District,
    /// TRS pages end in `.html` or `.shtml`.
    pub ext: &'static str,
    /// TRS: pages in GBK declared as gb2312, as older sites are.
    pub gbk: bool,
    pub bodies: Vec<Body>,
    pub reports: Vec<Report>,
    pub columns: Vec<Column>,
    pub articles: Vec<Article>,
    pub entry: Entry,
    pub hub: usize,
    pub hub_mode: HubMode,
    /// The hub also has year columns listing the same articles as the body columns.
    pub also_by_year: bool,
    /// The path prefix robots.txt disallows (drafts live there).
    pub disallowed: String,
    pub crawl_delay: f64,
    /// The article that answers 503 once.
    pub flaky: Option<usize>,
    /// The latest report year.
    pub last: u16,
    /// TRS: columns named `c100205`-style rather than by pinyin.
    pub cids: bool,
    pub next_cid: u64,
    /// The article of each report, once listed.
    pub report_article: Vec<Option<usize>>,
    /// The 通知公告 column, where notices go.
    pub notices: usize,
    /// The 财政资金 column, if the portal has one.
    pub finance: Option<usize>,
    /// The attachment paths of each report (set with the paths).
    pub attachments: Vec<Vec<String>>,
    /// TRS: links to a column name its directory (`…/ndbg/`) rather than `index.html`.
    pub dir_links: bool,
    /// TRS: the directory township columns sit under, away from the hub's branch.
    pub township_branch: Option<String>,
    /// The real-site variations drawn for the portal, with their own random stream.
    pub vary: Variations,
    pub rng: Rng,
}

impl Plan {
    pub fn draw(seed: u64) -> Plan {
        let mut rng = Rng::new(seed ^ 0x0B0B_7A11);
        let family = if rng.chance(0.5) {
            Family::Trs
        } else {
            Family::Hanweb
        };
        let district = &DISTRICTS[rng.range(0, DISTRICTS.len() as u64 - 1) as usize];
        let ext = if family == Family::Trs && rng.chance(0.4) {
            "shtml"
        } else {
            "html"
        };
        let gbk = family == Family::Trs && rng.chance(0.2);
        let disallowed = ["/private/", "/internal/", "/preview/", "/shgk/"]
            [rng.range(0, 3) as usize]
            .to_string();
        let crawl_delay = rng.range(20, 50) as f64 / 1000.0;
        let cids = rng.chance(0.5);
        let mut plan = Plan {
            seed,
            family,
            district,
            ext,
            gbk,
            bodies: Vec::new(),
            reports: Vec::new(),
            columns: Vec::new(),
            articles: Vec::new(),
            entry: Entry::Statutory,
            hub: 0,
            hub_mode: HubMode::Bodies,
            also_by_year: false,
            disallowed,
            crawl_delay,
            flaky: None,
            last: 0,
            cids,
            next_cid: 100_200 + rng.range(0, 80) * 10,
            report_article: Vec::new(),
            notices: 0,
            finance: None,
            attachments: Vec::new(),
            dir_links: false,
            township_branch: None,
            vary: Variations::draw(seed),
            rng,
        };
        plan.draw_reports();
        plan.draw_wider_titles();
        plan.draw_tree();
        plan
    }

    /// The bodies and their reports: 15–60 in all, each body a run of years ending in the
    /// latest (or the one before: a body late to publish).
    fn draw_reports(&mut self) {
        let target = self.rng.range(15, 60) as usize;
        self.last = 2023 + self.rng.range(0, 2) as u16;
        let per_body = self.rng.range(2, 5) as usize;
        let count = target.div_ceil(per_body).clamp(5, 18);
        let townships = (count / 2).min(self.district.townships.len()).max(2);
        let departments = count - 1 - townships;
        self.bodies = names::bodies(self.district, departments, townships, &mut self.rng);
        for (b, (first, end)) in self.draw_years(target).into_iter().enumerate() {
            self.draw_body_reports(b, first, end);
        }
        self.report_article = vec![None; self.reports.len()];
    }

    /// Each body's first and last report year: runs grown back from the latest year (or
    /// the one before) until the portal holds `target` reports, or all it can.
    fn draw_years(&mut self, target: usize) -> Vec<(u16, u16)> {
        let (last, rng) = (self.last, &mut self.rng);
        let span = usize::from(last - 2019 + 1);
        let mut years: Vec<(u16, u16)> = (0..self.bodies.len())
            .map(|_| {
                let end = if rng.chance(0.15) { last - 1 } else { last };
                (end, end)
            })
            .collect();
        let mut total = years.len();
        while total < target.min(years.len() * (span - 1)) {
            let b = rng.range(0, years.len() as u64 - 1) as usize;
            if years[b].0 > 2019 {
                years[b].0 -= 1;
                total += 1;
            }
        }
        years
    }

    /// A body's reports, newest first: mostly in the body's title form and printed name.
    fn draw_body_reports(&mut self, b: usize, first: u16, end: u16) {
        let rng = &mut self.rng;
        let form = Form::draw(rng);
        let printed = pick_weighted(&self.bodies[b].printed, rng).clone();
        for year in (first..=end).rev() {
            let form = if rng.chance(0.25) {
                Form::draw(rng)
            } else {
                form
            };
            let title = names::title(form, &printed, year, rng);
            let delivery = if rng.chance(0.6) {
                Delivery::Page {
                    docx: rng.chance(0.35),
                }
            } else {
                Delivery::Attachment {
                    pdf: rng.chance(0.5),
                    in_script: rng.chance(0.3),
                    viewer: false,
                }
            };
            self.reports.push(Report {
                body: b,
                year,
                title,
                date: Date::publication(year + 1, rng),
                delivery,
                seed: rng.next_u64() % 1_000_000,
            });
        }
    }

    /// Reports of a body, newest first, that a listing of the body shows.
    pub fn reports_of(&self, body: usize) -> Vec<usize> {
        (0..self.reports.len())
            .filter(|&r| self.reports[r].body == body)
            .filter(|&r| self.reports[r].delivery != Delivery::Bundled)
            .collect()
    }

    pub fn kind_of(&self, body: usize) -> BodyKind {
        self.bodies[body].kind
    }
}

/// The first printed form most of the time (the full name), the others now and then.
fn pick_weighted<'a>(forms: &'a [String], rng: &mut Rng) -> &'a String {
    if rng.chance(0.55) {
        &forms[0]
    } else {
        &forms[rng.range(1, forms.len() as u64 - 1) as usize]
    }
}
