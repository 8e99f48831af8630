//! Variations real portals show on top of their structure, each drawn in a share of seeds
//! independently of the others: a site map as the only way to the hub, `/` redirecting,
//! an older-years column under a range label (`2021年度及以前`), reports listed by their
//! bodies' names and kept in folders of their own, items opened by `onclick`, PDFs shown
//! through a PDF.js viewer, listings loaded as JSON, and attachments named in Chinese or
//! with capital extensions; and, from a second stream, listings paged by page numbers
//! alone, `/` a meta refresh or a frameset, attachments at download addresses without an
//! extension, and type columns linked only from a left menu. They draw from a random stream of their own, so a portal
//! that draws none of them is drawn exactly as if they did not exist, and one that draws
//! some changes little beyond them.

use std::collections::HashMap;

use super::names;
use super::plan::{Date, Delivery, HubMode, Kind, Paging, Placement, Plan};
use super::server::canonical;
use crate::rng::Rng;

/// How a portal's JSON list API names things: its path, the channel parameter, and the
/// fields of its answer.
#[derive(Clone, Copy, Debug)]
pub(super) struct JsonStyle {
    pub api: &'static str,
    pub param: &'static str,
    /// The array of items: `data`, `list` or `rows`.
    pub list: &'static str,
    pub title: &'static str,
    pub url: &'static str,
    pub date: &'static str,
    /// Asked by `fetch('…')` rather than `$.getJSON("…")`.
    pub fetch: bool,
}

const JSON_STYLES: [JsonStyle; 3] = [
    JsonStyle {
        api: "/api/list",
        param: "channelId",
        list: "data",
        title: "title",
        url: "url",
        date: "date",
        fetch: false,
    },
    JsonStyle {
        api: "/api/content/list",
        param: "columnId",
        list: "list",
        title: "name",
        url: "link",
        date: "pubDate",
        fetch: true,
    },
    JsonStyle {
        api: "/api/v1/articles",
        param: "catId",
        list: "rows",
        title: "title",
        url: "href",
        date: "publishTime",
        fetch: false,
    },
];

/// The variations drawn for a portal. Some are wishes that apply only where the
/// structure allows (a range label needs year columns).
pub(super) struct Variations {
    /// The hub's branch is off the home page: the footer's 网站地图 is the only way.
    pub site_map_only: bool,
    /// A 网站地图 in the footer, though the home page links the way in too.
    pub site_map: bool,
    /// `/` answers 302 to the home page's own path.
    pub home_redirect: bool,
    /// Year hubs put their older years under a range label.
    pub older_range: bool,
    /// The label given, once a hub has such a column.
    pub older_label: Option<String>,
    /// Year columns (and type columns within a year) list reports by body name.
    pub by_name: bool,
    /// Some listing items open by `onclick`, with no usable `href`.
    pub onclick: bool,
    /// Some attachment-only PDF reports show their file through a PDF.js viewer.
    pub viewer: bool,
    /// Some report listings are filled by a script from a JSON API.
    pub json: Option<JsonStyle>,
    /// Attachments with Chinese names and capital extensions.
    pub odd_files: bool,
    pub rng: Rng,
    /// Some report listings paged by page-number links alone: `column-index-2.shtml`
    /// (`true`) or `2.html` beside `index.html` (`false`).
    pub numbers: Option<bool>,
    /// `/` a tiny page leading to the real home page: a meta refresh to
    /// `/web/index.htm` (`true`) or a frameset whose main frame is `/web/main.htm`.
    pub home_meta: Option<bool>,
    /// Some attachments served at an address without an extension, named by
    /// `Content-Disposition`: `/attach/download?id=N` (`true`) or `DownFile.asp?id=N`.
    pub downloads: Option<bool>,
    /// Each such address, with whether its file is a PDF and its `Content-Disposition`.
    pub download: HashMap<String, (bool, String)>,
    /// A hub of type columns links them only from a left menu, on its page and theirs.
    pub side_menu: bool,
    /// The stream of the variations above, apart from `rng` so that drawing them leaves
    /// the others as they were.
    pub more: Rng,
    /// TRS pagers call `createPageHTML('page_div', count, current, 'index', 'html', total)`
    /// (the newer template: the element id first, the item count last).
    pub page_div: bool,
    /// The home page's only way to the hub is a banner image linking it, which says so
    /// by its `alt`, by its `title`, or — wordless — by its file name (`ztzl_xxgknb.jpg`).
    pub banner: Option<Banner>,
    /// A hub of bodies is a table of bodies × years whose every cell says only 查看
    /// (详情, 点击查看).
    pub matrix: bool,
    /// Some reports titled in forms beyond the common ones that name the report all the
    /// same (`…2023年政务公开工作年度报告`, `…关于2023年度政府信息公开工作情况的报告`,
    /// `…政府信息公开工作年度报告（2023）`), beside their look-alikes (`…政务公开工作要点`,
    /// `…政务公开工作年度报告解读`).
    pub wider_titles: bool,
    /// The stream of `wider_titles`, apart from the others.
    pub wider: Rng,
}

/// How a banner image link names the 年报 hub.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Banner {
    Alt,
    Title,
    FileName,
}

impl Variations {
    pub fn draw(seed: u64) -> Variations {
        let mut rng = Rng::new(seed ^ 0x7A41_E5C0_0DD5);
        let site_map_only = rng.chance(0.2);
        let site_map = rng.chance(0.5);
        let home_redirect = rng.chance(0.2);
        let older_range = rng.chance(0.2);
        let by_name = rng.chance(0.3);
        let onclick = rng.chance(0.2);
        let viewer = rng.chance(0.2);
        let json = rng
            .chance(0.2)
            .then(|| JSON_STYLES[rng.range(0, 2) as usize]);
        let odd_files = rng.chance(0.2);
        let mut more = Rng::new(seed ^ 0x3C9D_15A0_77B1);
        let numbers = more.chance(0.15).then(|| more.chance(0.5));
        let home_meta = (more.chance(0.15) && !home_redirect).then(|| more.chance(0.5));
        let downloads = more.chance(0.15).then(|| more.chance(0.5));
        let side_menu = more.chance(0.3);
        // From here on a stream of their own, so that the draws above stay as they were.
        let mut later = Rng::new(seed ^ 0x51DE_0B0E_2E57);
        let page_div = later.chance(0.3);
        // Where no site map is another way in.
        let banner = (later.chance(0.4) && !site_map && !site_map_only)
            .then(|| [Banner::Alt, Banner::Title, Banner::FileName][later.range(0, 2) as usize]);
        let matrix = later.chance(0.5);
        let mut wider = Rng::new(seed ^ 0x6A3E_D1C7_90F5);
        let wider_titles = wider.chance(0.4);
        Variations {
            site_map_only,
            site_map,
            home_redirect,
            older_range,
            older_label: None,
            by_name,
            onclick,
            viewer,
            json,
            odd_files,
            rng,
            numbers,
            home_meta,
            downloads,
            download: HashMap::new(),
            side_menu,
            more,
            page_div,
            banner,
            matrix,
            wider_titles,
            wider,
        }
    }
}

impl Plan {
    /// The label of a column holding `newest` and every year before it.
    pub(super) fn older_label(&mut self, newest: u16) -> String {
        let label = match self.vary.rng.range(0, 4) {
            0 => format!("{newest}年度及以前"),
            1 => format!("{newest}年及以前"),
            2 => format!("{newest}年度(含)以前"),
            3 => format!("{newest}年度及以前年报"),
            _ => format!("{newest}年及以前年度"),
        };
        self.vary.older_label = Some(label.clone());
        label
    }

    /// Attachment-only reports (not named in a script) made PDFs behind the viewer, at
    /// least one (a page report made one, if there is no other).
    pub(super) fn draw_viewers(&mut self) {
        if !self.vary.viewer {
            return;
        }
        let viewed = Delivery::Attachment {
            pdf: true,
            in_script: false,
            viewer: true,
        };
        let mut any = false;
        for r in 0..self.reports.len() {
            let plain = matches!(
                self.reports[r].delivery,
                Delivery::Attachment {
                    in_script: false,
                    ..
                }
            );
            if plain && self.vary.rng.chance(0.6) {
                self.reports[r].delivery = viewed;
                any = true;
            }
        }
        let pages: Vec<usize> = (0..self.reports.len())
            .filter(|&r| matches!(self.reports[r].delivery, Delivery::Page { .. }))
            .collect();
        if !any && !pages.is_empty() {
            let r = pages[self.vary.rng.range(0, pages.len() as u64 - 1) as usize];
            self.reports[r].delivery = viewed;
        }
    }

    /// Report listings (not by name, not xxgk) made JSON-loaded: some, at least one.
    pub(super) fn draw_json(&mut self) {
        if self.vary.json.is_none() {
            return;
        }
        let listings: Vec<usize> = self
            .report_listings()
            .into_iter()
            .filter(|&c| !self.columns[c].by_name && self.columns[c].xxgk.is_none())
            .collect();
        if listings.is_empty() {
            return;
        }
        let rng = &mut self.vary.rng;
        let mut chosen: Vec<usize> = listings
            .iter()
            .copied()
            .filter(|_| rng.chance(0.4))
            .collect();
        if chosen.is_empty() {
            chosen.push(listings[rng.range(0, listings.len() as u64 - 1) as usize]);
        }
        let base = rng.range(10_000, 90_000);
        for c in chosen {
            self.columns[c].json = Some((base + c as u64).to_string());
        }
    }

    /// The 网站地图 column in the footer; when it is the only way in, the hub's top-level
    /// ancestor leaves the home page and the navigation.
    pub(super) fn draw_site_map(&mut self) {
        if !self.vary.site_map_only && !self.vary.site_map {
            return;
        }
        let name = if self.vary.rng.chance(0.6) {
            "网站地图"
        } else {
            "站点地图"
        };
        let c = self.new_column(name, "wzdt", Some(0));
        self.columns[c].placement = Placement::Footer;
        self.columns[c].site_map = true;
        if self.vary.site_map_only {
            let mut top = self.hub;
            while let Some(p) = self.columns[top].parent.filter(|&p| p != 0) {
                top = p;
            }
            self.columns[top].placement = Placement::Hidden;
        }
    }

    /// The banner's way in: the hub's top-level column leaves the home page and the
    /// navigation, so that the banner is the only link towards it.
    pub(super) fn draw_banner(&mut self) {
        if self.vary.banner.is_none() {
            return;
        }
        let mut top = self.hub;
        while let Some(p) = self.columns[top].parent.filter(|&p| p != 0) {
            top = p;
        }
        self.columns[top].placement = Placement::Hidden;
    }

    /// Some reports retitled in the wider forms (see [`Variations::wider_titles`]), at
    /// least one; before the tree is drawn, so that every listing and page prints them.
    pub(super) fn draw_wider_titles(&mut self) {
        if !self.vary.wider_titles || self.reports.is_empty() {
            return;
        }
        let first = self.vary.wider.range(0, self.reports.len() as u64 - 1) as usize;
        for r in 0..self.reports.len() {
            if r != first && !self.vary.wider.chance(0.3) {
                continue;
            }
            let (body, year) = (self.reports[r].body, self.reports[r].year);
            let agency = &self.bodies[body].printed[0];
            self.reports[r].title = names::wider_title(agency, year, &mut self.vary.wider);
        }
    }

    /// The look-alikes of the wider forms, among the reports and in 通知公告.
    pub(super) fn draw_wider_traps(&mut self, listings: &[usize]) {
        if !self.vary.wider_titles || listings.is_empty() {
            return;
        }
        let y = self.last;
        let district = format!("{}{}", self.district.city, self.district.county);
        let rng = &mut self.vary.wider;
        let listing = listings[rng.range(0, listings.len() as u64 - 1) as usize];
        let titles = [
            (
                format!("{district}{}年政务公开工作要点", y + 1),
                self.notices,
            ),
            (format!("{district}{y}年政务公开工作年度报告解读"), listing),
            (
                format!("关于做好{y}年度政务公开工作年度报告编制发布工作的通知"),
                listing,
            ),
        ];
        for (title, column) in titles {
            let date = Date::publication(y + 1, &mut self.vary.wider);
            self.add_article(title, date, Kind::Trap, column);
        }
    }

    /// Where a viewer's PDF is uploaded: `/uploadfiles/2024/01/1705550123456.pdf`.
    pub(super) fn viewer_file(&mut self, article: usize) -> String {
        let date = self.articles[article].date;
        let rng = &mut self.vary.rng;
        format!(
            "/uploadfiles/{}/{:02}/{}{:03}.pdf",
            date.y,
            date.m,
            1_700_000_000 + rng.range(0, 99_999_999),
            rng.range(0, 999)
        )
    }

    /// `path` as some sites name files: by body and year in Chinese (beside it or under
    /// `/uploadfiles/`) and/or with the extension in capitals; percent-encoded, as a
    /// URL carries it.
    pub(super) fn odd_file(&mut self, r: usize, path: &str, chinese: bool, upper: bool) -> String {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, "pdf"));
        let ext = if upper {
            ext.to_ascii_uppercase()
        } else {
            ext.to_string()
        };
        if !chinese {
            return format!("{dir}/{stem}.{ext}");
        }
        let report = &self.reports[r];
        let short = &self.bodies[report.body].short;
        let rng = &mut self.vary.rng;
        let stem = match rng.range(0, 2) {
            0 => format!("{short}{}年报告", report.year),
            1 => report.title.replace(' ', ""),
            _ => format!("{short}{}年度政府信息公开工作年度报告", report.year),
        };
        let dir = if rng.chance(0.5) { dir } else { "/uploadfiles" };
        canonical(&format!("{dir}/{stem}.{ext}"))
    }

    /// Report listings (not JSON, not xxgk, of two items or more) paged by number links
    /// alone: the longest, and some others; each cut into two pages at least.
    pub(super) fn draw_numbers(&mut self) {
        if self.vary.numbers.is_none() {
            return;
        }
        let mut listings: Vec<usize> = self
            .report_listings()
            .into_iter()
            .filter(|&c| {
                let col = &self.columns[c];
                col.json.is_none() && col.xxgk.is_none() && col.listed.len() > 1
            })
            .collect();
        listings.sort_by_key(|&c| std::cmp::Reverse(self.columns[c].listed.len()));
        for (i, c) in listings.into_iter().enumerate() {
            if i > 0 && !self.vary.more.chance(0.3) {
                continue;
            }
            let n = self.columns[c].listed.len();
            let column = &mut self.columns[c];
            column.paging = Paging::Numbers;
            if column.per_page >= n {
                column.per_page = (n - 1).max(1);
            }
        }
    }

    /// A hub of type columns showing them in a left menu only.
    pub(super) fn draw_side_menu(&mut self) {
        if self.vary.side_menu && matches!(self.hub_mode, HubMode::Types | HubMode::FlatTypes) {
            self.columns[self.hub].menu = true;
        }
    }

    /// Some attachments (of report pages, not in a script, not in a viewer) moved to a
    /// download address without an extension; at least one.
    pub(super) fn draw_downloads(&mut self) {
        let Some(asp) = self.vary.downloads.map(|attach| !attach) else {
            return;
        };
        let files: Vec<usize> = (0..self.reports.len())
            .filter(|&r| {
                let plain = matches!(
                    self.reports[r].delivery,
                    Delivery::Page { docx: true }
                        | Delivery::Attachment {
                            in_script: false,
                            viewer: false,
                            ..
                        }
                );
                plain && self.report_article[r].is_some() && !self.attachments[r].is_empty()
            })
            .collect();
        let Some(&first) = files.first() else {
            return;
        };
        let mut id = self.vary.more.range(10_000, 90_000);
        for r in files {
            if r != first && !self.vary.more.chance(0.5) {
                continue;
            }
            id += self.vary.more.range(1, 30);
            let old = self.attachments[r][0].clone();
            let pdf = old.to_ascii_lowercase().ends_with(".pdf");
            let ext = if pdf { "pdf" } else { "docx" };
            let path = if asp {
                let page = &self.articles[self.report_article[r].unwrap_or(0)].path;
                let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
                format!("{dir}DownFile.asp?id={id}")
            } else {
                format!("/attach/download?id={id}")
            };
            let report = &self.reports[r];
            let disposition = if self.vary.more.chance(0.5) {
                format!("attachment; filename=\"{}{id}.{ext}\"", report.year)
            } else {
                let name = format!("{}{}.{ext}", self.bodies[report.body].short, report.year);
                let name = canonical(&name).replace('/', "%2F");
                format!("attachment; filename*=UTF-8''{name}")
            };
            self.vary.download.insert(path.clone(), (pdf, disposition));
            self.attachments[r][0] = path;
        }
    }

    /// Whether an attachment is a PDF, by its extension or (a download address) as
    /// recorded.
    pub(super) fn file_is_pdf(&self, file: &str) -> bool {
        match self.vary.download.get(file) {
            Some(&(pdf, _)) => pdf,
            None => file.to_ascii_lowercase().ends_with(".pdf"),
        }
    }

    /// The variations the portal shows, for its description.
    pub(super) fn classes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let v = &self.vary;
        if v.site_map_only {
            out.push("site-map-only entry".to_string());
        } else if v.site_map {
            out.push("site map".to_string());
        }
        if v.home_redirect {
            out.push("/ answers 302".to_string());
        }
        if self.columns.iter().any(|c| c.matrix) {
            out.push("a hub of bodies × years whose cells say 查看".to_string());
        }
        if let Some(banner) = v.banner {
            out.push(format!("banner-only entry ({banner:?})"));
        }
        if let Some(label) = &v.older_label {
            out.push(format!("older years under \"{label}\""));
        }
        let named = self.columns.iter().filter(|c| c.by_name).count();
        if named > 0 {
            out.push(format!("body-name columns ×{named}"));
        }
        if v.onclick {
            out.push("onclick items".to_string());
        }
        let viewed = self
            .reports
            .iter()
            .filter(|r| matches!(r.delivery, Delivery::Attachment { viewer: true, .. }))
            .count();
        if viewed > 0 {
            out.push(format!("PDF viewer ×{viewed}"));
        }
        let json = self.columns.iter().filter(|c| c.json.is_some()).count();
        if json > 0 {
            out.push(format!("JSON lists ×{json}"));
        }
        let odd = self
            .attachments
            .iter()
            .flatten()
            .filter(|f| f.contains('%') || f.ends_with("PDF") || f.ends_with("DOCX"))
            .count();
        if odd > 0 {
            out.push(format!("odd file names ×{odd}"));
        }
        let numbered = self
            .columns
            .iter()
            .filter(|c| c.paging == Paging::Numbers)
            .count();
        if numbered > 0 {
            let style = if v.numbers == Some(true) {
                "column-index-N"
            } else {
                "N.html"
            };
            out.push(format!("number-only paging ({style}) ×{numbered}"));
        }
        match v.home_meta {
            Some(true) => out.push("/ a meta refresh to /web/index.htm".to_string()),
            Some(false) => out.push("/ a frameset of /web/top.htm and /web/main.htm".to_string()),
            None => {}
        }
        if !v.download.is_empty() {
            let style = if v.downloads == Some(true) {
                "/attach/download?id="
            } else {
                "DownFile.asp?id="
            };
            out.push(format!("download links {style} ×{}", v.download.len()));
        }
        let trs_paged = self
            .columns
            .iter()
            .any(|c| c.paging == Paging::TrsScript && c.listed.len() > c.per_page);
        if v.page_div && trs_paged {
            out.push("createPageHTML('page_div', …) pagers".to_string());
        }
        if self.columns.iter().any(|c| c.menu) {
            out.push("type columns in a left menu only".to_string());
        }
        if v.wider_titles {
            out.push("titles 政务公开…, 关于…情况的报告, …报告（YYYY）".to_string());
        }
        out
    }
}
