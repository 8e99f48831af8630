//! Writes a drawn portal's pages: the furniture every page shares, the home page (or its
//! redirect), each column (a page of text, a list of sub-columns, a listing paged the
//! family's way or filled from JSON by a script, an xxgk module's years, the site map)
//! and robots.txt. Articles are in `articles.rs`.
//!
//! [`Pages`] renders (read-only, shared with the server); [`Site`] registers each path
//! with how to render it, and records the truth as it goes. Pages are rendered when first
//! requested, so drawing a portal stays cheap.

use std::collections::HashMap;
use std::sync::Arc;

use super::plan::{Column, Items, Kind, Paging, Placement, Plan};
use super::server::{http_date, Content, JsonApi, Make, Resource, DATAPROXY};
use super::vary::{Banner, JsonStyle};
use super::{Family, PortalTruth};

/// A day, for `Last-Modified`.
pub(super) type Day = (u16, u8, u8);

/// The renderer: the drawn portal and the address its absolute links name.
pub(super) struct Pages {
    pub plan: Plan,
    /// `127.0.0.1:PORT`.
    pub host: String,
}

/// The paths being registered, with what the truth records as they go.
pub(super) struct Site {
    pub pages: Arc<Pages>,
    pub content: Content,
    pub truth: PortalTruth,
}

pub(super) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Site {
    /// An HTML page made by `make` in the site's encoding when first requested.
    pub fn page<F>(&mut self, path: &str, day: Day, make: F)
    where
        F: Fn(&Pages) -> String + Send + Sync + 'static,
    {
        let pages = self.pages.clone();
        let gbk = pages.plan.gbk;
        let content_type = if gbk {
            "text/html; charset=gb2312"
        } else {
            "text/html; charset=utf-8"
        };
        let make: Make = Arc::new(move || {
            let html = make(&pages);
            if gbk {
                encoding_rs::GB18030.encode(&html).0.into_owned()
            } else {
                html.into_bytes()
            }
        });
        self.insert(
            path,
            Resource::new(make, content_type, http_date(day.0, day.1, day.2)),
        );
    }

    /// A file made by `make` when first requested.
    pub fn file<F>(&mut self, path: &str, content_type: &str, day: Day, make: F)
    where
        F: Fn(&Pages) -> Vec<u8> + Send + Sync + 'static,
    {
        let pages = self.pages.clone();
        let make: Make = Arc::new(move || make(&pages));
        self.insert(
            path,
            Resource::new(make, content_type, http_date(day.0, day.1, day.2)),
        );
    }

    fn insert(&mut self, path: &str, resource: Resource) {
        self.content.resources.insert(path.to_string(), resource);
    }

    /// The same resource under a second path.
    fn alias(&mut self, path: &str, also: &str) {
        if let Some(r) = self.content.resources.get(path) {
            let copy = r.alias();
            self.insert(also, copy);
        }
    }

    pub fn home(&mut self) {
        let plan = &self.pages.plan;
        let day = (plan.last + 1, 3, 1);
        let index = match plan.family {
            Family::Trs => format!("/index.{}", plan.ext),
            Family::Hanweb => "/index.html".into(),
        };
        if let Some(refresh) = plan.vary.home_meta {
            let charset = self.pages.charset();
            let tiny = if refresh {
                format!(
                    "<html><head>{charset}\n<meta http-equiv=\"refresh\" content=\"0;url=/web/index.htm\">\n                     <title></title></head><body></body></html>"
                )
            } else {
                format!(
                    "<html><head>{charset}\n<title>{}</title></head>\n<frameset rows=\"120,*\" frameborder=\"0\">                     <frame src=\"/web/top.htm\" name=\"top\" scrolling=\"no\"><frame src=\"/web/main.htm\" name=\"main\">                     </frameset></html>",
                    self.pages.site_name()
                )
            };
            self.page("/", day, move |_| tiny.clone());
            if refresh {
                self.page("/web/index.htm", day, Pages::home);
            } else {
                let top = format!(
                    "<html><head>{charset}\n<title></title></head><body><div class=\"logo\">{}</div></body></html>",
                    self.pages.site_name()
                );
                self.page("/web/top.htm", day, move |_| top.clone());
                self.page("/web/main.htm", day, Pages::home);
            }
            return;
        }
        if plan.vary.home_redirect {
            let to = format!("http://{}{index}", self.pages.host);
            self.content.redirects.insert("/".into(), to);
            self.truth.redirects.push(("/".into(), index.clone()));
            self.page(&index, day, Pages::home);
        } else {
            self.page("/", day, Pages::home);
            self.alias("/", &index);
        }
    }

    pub fn robots(&mut self) {
        let plan = &self.pages.plan;
        let text = format!(
            "# robots.txt\nUser-agent: Baiduspider\nDisallow: /search/\n\n\
             User-agent: *\nDisallow: {}\nDisallow: /search/\nCrawl-delay: {}\n",
            plan.disallowed, plan.crawl_delay
        );
        let day = (plan.last + 1, 1, 1);
        self.file("/robots.txt", "text/plain", day, move |_| {
            text.clone().into_bytes()
        });
    }

    /// Every column but the home page.
    pub fn columns(&mut self) {
        let pages = self.pages.clone();
        for (c, col) in pages.plan.columns.iter().enumerate().skip(1) {
            if col.site_map {
                self.column_page(col, move |p| p.site_map_page(c));
            } else if col.matrix {
                self.column_page(col, move |p| p.matrix_page(c));
            } else if col.text.is_some() {
                self.column_page(col, move |p| p.text_page(c));
            } else if col.json.is_some() {
                self.json_column(c);
            } else if col.xxgk.is_some() {
                self.xxgk_column(c);
            } else if pages.plan.family == Family::Hanweb
                && !col.listed.is_empty()
                && col.paging != Paging::Numbers
            {
                let records = col.listed.iter().map(|&a| pages.item(c, a, "")).collect();
                self.content.records.insert(col.col_id.to_string(), records);
                self.column_page(col, move |p| p.jpage_page(c));
            } else {
                self.trs_column(c);
            }
        }
    }

    /// A column's first page, under its path and (TRS) its directory.
    fn column_page<F>(&mut self, col: &Column, make: F)
    where
        F: Fn(&Pages) -> String + Send + Sync + 'static,
    {
        let day = self.pages.column_day(col);
        self.page(&col.path, day, make);
        if !col.dir.is_empty() {
            self.alias(&col.path, &col.dir);
        }
    }

    /// A column whose page asks the JSON API for its items.
    fn json_column(&mut self, c: usize) {
        let pages = self.pages.clone();
        let col = &pages.plan.columns[c];
        let style = pages.plan.vary.json.expect("a portal with a JSON API");
        let items = col
            .listed
            .iter()
            .map(|&a| pages.json_item(style, a))
            .collect();
        let api = self.content.json.get_or_insert_with(|| JsonApi {
            style,
            lists: HashMap::new(),
        });
        let channel = col.json.clone().expect("a JSON column");
        api.lists.insert(channel, items);
        self.column_page(col, move |p| p.json_page(c));
    }

    fn trs_column(&mut self, c: usize) {
        let pages = self.pages.clone();
        let col = &pages.plan.columns[c];
        let day = pages.column_day(col);
        for i in 0..pages.page_count(col) {
            if i == 0 {
                self.column_page(col, move |p| p.trs_page(c, 0));
                if col.paging == Paging::Query && !col.listed.is_empty() {
                    self.alias(&col.path, &format!("{}?page=1", col.path));
                }
            } else {
                self.page(&pages.page_path(col, i), day, move |p| p.trs_page(c, i));
            }
        }
    }
}

impl Pages {
    pub fn site_name(&self) -> String {
        format!("{}人民政府", self.plan.district.prefix())
    }

    pub fn charset(&self) -> &'static str {
        if self.plan.gbk {
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\" />"
        } else {
            "<meta charset=\"utf-8\">"
        }
    }

    fn links(&self, columns: impl Iterator<Item = usize>) -> String {
        columns
            .map(|c| {
                let col = &self.plan.columns[c];
                format!("<li><a href=\"{}\">{}</a></li>", col.link, col.name)
            })
            .collect()
    }

    fn top_level(&self, placement: Placement) -> impl Iterator<Item = usize> + '_ {
        self.plan.columns[0]
            .children
            .iter()
            .copied()
            .filter(move |&c| self.plan.columns[c].placement == placement)
    }

    /// A page with the site's header, navigation, breadcrumb (of `column`) and footer.
    pub fn chrome(&self, title: &str, column: usize, head: &str, main: &str) -> String {
        let mut crumbs = Vec::new();
        let mut at = Some(column);
        while let Some(c) = at.filter(|&c| c != 0) {
            crumbs.push(c);
            at = self.plan.columns[c].parent;
        }
        let crumbs: String = crumbs
            .iter()
            .rev()
            .map(|&c| {
                let col = &self.plan.columns[c];
                format!(" &gt; <a href=\"{}\">{}</a>", col.link, col.name)
            })
            .collect();
        format!(
            "<!DOCTYPE html>\n<html><head>{charset}\n<title>{title}_{site}</title>\n{head}</head><body>\n\
             <div class=\"header\"><div class=\"logo\">{site}</div>\
             <div class=\"aged\"><a href=\"javascript:void(0);\">长者模式</a> <a href=\"#\">无障碍浏览</a></div>\n\
             <ul class=\"nav\"><li><a href=\"/\">首页</a></li>{nav}</ul></div>\n\
             <div class=\"position\">当前位置：<a href=\"/\">首页</a>{crumbs}</div>\n\
             <div class=\"main\">\n{main}\n</div>\n{footer}\n</body></html>",
            charset = self.charset(),
            site = self.site_name(),
            nav = self.links(self.top_level(Placement::Nav)),
            footer = self.footer(),
        )
    }

    fn footer(&self) -> String {
        format!(
            "<div class=\"footer\"><ul class=\"foot-links\">{}<li><a href=\"/\">网站首页</a></li></ul>\
             <p>主办单位：{}办公室　网站标识码：{}0001　ICP备案号：{}</p></div>",
            self.links(self.top_level(Placement::Footer)),
            self.site_name(),
            self.plan.district.code,
            self.plan.district.code,
        )
    }

    /// The home page: navigation, news, perhaps a side menu, the footer. It never links a
    /// listing of reports, and links the hub by name only when the entry is direct.
    fn home(&self) -> String {
        let plan = &self.plan;
        let news: String = plan
            .articles
            .iter()
            .filter(|a| a.kind == Kind::News)
            .take(6)
            .map(|a| {
                format!(
                    "<li><a href=\"{}\" target=\"_blank\">{}</a><span>{}</span></li>",
                    a.path,
                    escape(&a.title),
                    a.date.iso()
                )
            })
            .collect();
        let side: String = self
            .top_level(Placement::Side)
            .map(|c| {
                let col = &plan.columns[c];
                format!(
                    "<div class=\"side-menu\"><h3>{}</h3><ul>{}</ul></div>",
                    col.name,
                    self.links(col.children.iter().copied())
                )
            })
            .collect();
        format!(
            "<!DOCTYPE html>\n<html><head>{charset}\n<title>{site}</title></head><body>\n\
             <div class=\"header\"><div class=\"logo\">{site}</div>\
             <div class=\"search\"><form action=\"/search/\"><input name=\"q\"></form></div>\n\
             <ul class=\"nav\"><li><a href=\"/\">首页</a></li>{nav}</ul></div>\n\
             <div class=\"banner\">{banner}</div>\n\
             <div class=\"news\"><h3>要闻动态</h3><ul>{news}</ul></div>\n{side}\n{footer}\n</body></html>",
            charset = self.charset(),
            site = self.site_name(),
            nav = self.links(self.top_level(Placement::Nav)),
            footer = self.footer(),
            banner = self.banner(),
        )
    }

    /// The banner: an image, linking the hub when the portal's way in is the banner.
    fn banner(&self) -> String {
        let Some(banner) = self.plan.vary.banner else {
            return "<img alt=\"\" src=\"data:,\">".to_string();
        };
        let hub = &self.plan.columns[self.plan.hub];
        let img = match banner {
            Banner::Alt => format!("<img src=\"/images/banner2.jpg\" alt=\"{}专栏\">", hub.name),
            Banner::Title => format!("<img src=\"/images/banner2.jpg\" title=\"{}\">", hub.name),
            Banner::FileName => format!("<img src=\"/images/ztzl_{}.jpg\">", hub.slug),
        };
        format!("<a href=\"{}\" target=\"_blank\">{img}</a>", hub.link)
    }

    /// A hub as a table of bodies × years, each cell's link saying only 查看 (详情,
    /// 点击查看); what else it lists (a notice, traps) in a list below.
    fn matrix_page(&self, c: usize) -> String {
        let plan = &self.plan;
        let col = &plan.columns[c];
        let report = |a: usize| match plan.articles[a].kind {
            Kind::Report(r) => Some(&plan.reports[r]),
            _ => None,
        };
        let mut years: Vec<u16> = col
            .listed
            .iter()
            .filter_map(|&a| report(a))
            .map(|r| r.year)
            .collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let mut bodies: Vec<usize> = Vec::new();
        for r in col.listed.iter().filter_map(|&a| report(a)) {
            if !bodies.contains(&r.body) {
                bodies.push(r.body);
            }
        }
        let head: String = years.iter().map(|y| format!("<th>{y}年</th>")).collect();
        let rows: String = bodies
            .iter()
            .map(|&b| {
                let cells: String = years
                    .iter()
                    .map(|&y| {
                        let found = col
                            .listed
                            .iter()
                            .copied()
                            .find(|&a| report(a).is_some_and(|r| r.body == b && r.year == y));
                        match found {
                            Some(a) => {
                                let article = &plan.articles[a];
                                let word = ["查看", "详情", "点击查看"][article.id as usize % 3];
                                format!(
                                    "<td><a href=\"{}\" target=\"_blank\">{word}</a></td>",
                                    article.path
                                )
                            }
                            None => "<td>—</td>".to_string(),
                        }
                    })
                    .collect();
                format!("<tr><td>{}</td>{cells}</tr>", escape(&plan.bodies[b].short))
            })
            .collect();
        let others: String = col
            .listed
            .iter()
            .filter(|&&a| report(a).is_none())
            .map(|&a| self.item(c, a, ""))
            .collect();
        let main = format!(
            "<h2>{}</h2>{}<table class=\"nbtable\"><tr><th>单位</th>{head}</tr>{rows}</table>\
             <ul class=\"list\">{others}</ul>",
            col.name,
            self.sub_columns(col)
        );
        self.chrome(&col.name, c, "", &main)
    }

    fn text_page(&self, c: usize) -> String {
        let col = &self.plan.columns[c];
        let text = col.text.as_deref().unwrap_or("");
        let main = format!(
            "<h2>{}</h2><div class=\"content\"><p>{text}</p></div>",
            col.name
        );
        self.chrome(&col.name, c, "", &main)
    }

    pub fn column_day(&self, col: &Column) -> Day {
        col.listed
            .iter()
            .map(|&a| self.plan.articles[a].date)
            .max()
            .map_or((self.plan.last + 1, 3, 1), |d| (d.y, d.m, d.d))
    }

    /// The sub-columns as a list, or in a left menu; with the left menu of the parent's
    /// when it shows its sub-columns so.
    fn sub_columns(&self, col: &Column) -> String {
        let mut out = self.parent_menu(col);
        if col.children.is_empty() {
            return out;
        }
        if col.menu {
            out += &self.left_menu(col);
        } else {
            out += &format!(
                "<ul class=\"sub-columns\">{}</ul>",
                self.links(col.children.iter().copied())
            );
        }
        out
    }

    fn left_menu(&self, col: &Column) -> String {
        format!(
            "<div class=\"left-menu\"><h3>{}</h3><ul>{}</ul></div>",
            col.name,
            self.links(col.children.iter().copied())
        )
    }

    /// The left menu of the column's parent, when the parent shows its sub-columns so.
    pub fn parent_menu(&self, col: &Column) -> String {
        match col.parent.map(|p| &self.plan.columns[p]) {
            Some(parent) if parent.menu => self.left_menu(parent),
            _ => String::new(),
        }
    }

    /// A listing item as the column prints it. Links are relative when the article sits
    /// under the page's directory (TRS), absolute otherwise, with the host now and then.
    pub fn item(&self, c: usize, a: usize, page_dir: &str) -> String {
        let col = &self.plan.columns[c];
        let article = &self.plan.articles[a];
        let href = match article.path.strip_prefix(page_dir) {
            Some(rest) if !page_dir.is_empty() && page_dir != "/" => format!("./{rest}"),
            _ if self.plan.family == Family::Hanweb
                && article.id.is_multiple_of(4)
                && article.path.starts_with('/') =>
            {
                format!("http://{}{}", self.host, article.path)
            }
            _ => article.path.clone(),
        };
        let title = escape(&article.title);
        let text = match (article.kind.clone(), col.items) {
            (Kind::Report(r), Items::BodyName) => {
                escape(&self.plan.bodies[self.plan.reports[r].body].short)
            }
            (Kind::Report(r), Items::YearOnly) => {
                let year = self.plan.reports[r].year;
                if a.is_multiple_of(3) {
                    format!("{year}年度政府信息公开工作年度报告")
                } else {
                    format!("{year}年度报告")
                }
            }
            (_, Items::CutTitled | Items::CutBare) => {
                cut(&article.title, 18 + (article.id % 13) as usize)
            }
            _ => title.clone(),
        };
        let attr = if col.items == Items::CutTitled {
            format!(" title=\"{title}\"")
        } else {
            String::new()
        };
        let date = article.date.iso();
        if !self.plan.vary.onclick || article.id % 5 >= 2 {
            return format!(
                "<li><a href=\"{href}\"{attr} target=\"_blank\">{text}</a><span class=\"date\">{date}</span></li>"
            );
        }
        // Opened by a script: the anchor's own href leads nowhere, or there is none.
        if article.id.is_multiple_of(2) {
            format!(
                "<li><a href=\"javascript:void(0)\" onclick=\"window.open('{href}')\"{attr}>{text}</a>\
                 <span class=\"date\">{date}</span></li>"
            )
        } else {
            format!(
                "<li onclick=\"location.href='{href}'\" style=\"cursor:pointer\"><span class=\"title\"{attr}>{text}</span>\
                 <span class=\"date\">{date}</span></li>"
            )
        }
    }

    /// An item of the JSON API: the whole title, the link (with the host now and then).
    fn json_item(&self, style: JsonStyle, a: usize) -> serde_json::Value {
        let article = &self.plan.articles[a];
        let url = if article.path.starts_with('/') && article.id.is_multiple_of(4) {
            format!("http://{}{}", self.host, article.path)
        } else {
            article.path.clone()
        };
        let mut item = serde_json::Map::new();
        item.insert("id".into(), article.id.into());
        item.insert(style.title.into(), article.title.clone().into());
        item.insert(style.url.into(), url.into());
        item.insert(style.date.into(), article.date.iso().into());
        item.into()
    }

    /// A column whose list a script fills from the JSON API, one call for all items.
    fn json_page(&self, c: usize) -> String {
        let col = &self.plan.columns[c];
        let style = self.plan.vary.json.expect("a portal with a JSON API");
        let channel = col.json.as_deref().unwrap_or("");
        let size = [20, 50, 100, 500]
            .into_iter()
            .find(|&s| s >= col.listed.len())
            .unwrap_or(1000);
        let url = format!(
            "{}?{}={channel}&pageNo=1&pageSize={size}",
            style.api, style.param
        );
        let call = if style.fetch {
            format!("fetch('{url}').then(function (r) {{ return r.json(); }}).then(render);")
        } else {
            format!("$.getJSON(\"{url}\", render);")
        };
        let script = format!(
            "<script type=\"text/javascript\">\nfunction render(res) {{\n  var html = '';\n  \
             (res.{list} || []).forEach(function (item) {{\n    html += '<li><a href=\"' + item.{u} + \
             '\" target=\"_blank\">' + item.{t} + '</a><span class=\"date\">' + item.{d} + '</span></li>';\n  }});\n  \
             document.getElementById('list').innerHTML = html;\n}}\n{call}\n</script>",
            list = style.list,
            u = style.url,
            t = style.title,
            d = style.date,
        );
        let main = format!(
            "<h2>{}</h2>{}<ul class=\"list\" id=\"list\"></ul>\n{script}",
            col.name,
            self.sub_columns(col)
        );
        self.chrome(&col.name, c, "", &main)
    }

    /// The site map: every column but itself, nested as the tree goes.
    fn site_map_page(&self, c: usize) -> String {
        let col = &self.plan.columns[c];
        let main = format!(
            "<h2>{}</h2><div class=\"sitemap\">{}</div>",
            col.name,
            self.map_of(0)
        );
        self.chrome(&col.name, c, "", &main)
    }

    fn map_of(&self, parent: usize) -> String {
        let items: String = self.plan.columns[parent]
            .children
            .iter()
            .filter(|&&k| !self.plan.columns[k].site_map)
            .map(|&k| {
                let col = &self.plan.columns[k];
                format!(
                    "<li><a href=\"{}\">{}</a>{}</li>",
                    col.link,
                    col.name,
                    self.map_of(k)
                )
            })
            .collect();
        if items.is_empty() {
            String::new()
        } else {
            format!("<ul>{items}</ul>")
        }
    }

    fn page_count(&self, col: &Column) -> usize {
        col.listed.len().div_ceil(col.per_page.max(1)).max(1)
    }

    pub fn page_path(&self, col: &Column, i: usize) -> String {
        let ext = self.plan.ext;
        match (col.paging, i) {
            (_, 0) => col.path.clone(),
            (Paging::TrsScript, i) => format!("{}index_{i}.{ext}", col.dir),
            (Paging::Query, i) => format!("{}?page={}", col.path, i + 1),
            (Paging::Numbers, i) => {
                let dir = &col.path[..col.path.rfind('/').map_or(0, |k| k + 1)];
                format!("{dir}{}", self.number_name(i))
            }
            (_, i) => format!("{}list_{}.{ext}", col.dir, i + 1),
        }
    }

    /// The file name of page `i` of a listing paged by numbers.
    fn number_name(&self, i: usize) -> String {
        let ext = self.plan.ext;
        match (i, self.plan.vary.numbers) {
            (0, _) => format!("index.{ext}"),
            (i, Some(true)) => format!("column-index-{}.{ext}", i + 1),
            (i, _) => format!("{}.{ext}", i + 1),
        }
    }

    /// Page `i` of a TRS column: sub-columns (first page), the items, the page links.
    fn trs_page(&self, c: usize, i: usize) -> String {
        let col = &self.plan.columns[c];
        let per = col.per_page.max(1);
        let count = self.page_count(col);
        let list: String = col
            .listed
            .iter()
            .skip(i * per)
            .take(per)
            .map(|&a| self.item(c, a, &col.dir))
            .collect();
        let pager = if col.listed.is_empty() {
            String::new()
        } else {
            self.pager(col, i, count)
        };
        let subs = if i == 0 {
            self.sub_columns(col)
        } else {
            String::new()
        };
        let main = format!(
            "<h2>{}</h2>{subs}<ul class=\"list\">{list}</ul>{pager}",
            col.name
        );
        self.chrome(&col.name, c, "", &main)
    }

    /// The page links: TRS's script (no anchors at all), `?page=N` or 下一页/尾页 anchors.
    fn pager(&self, col: &Column, i: usize, count: usize) -> String {
        let ext = self.plan.ext;
        match col.paging {
            Paging::TrsScript => {
                if self.plan.vary.page_div {
                    // The newer template sets no `countPage`: the call alone says the count.
                    let total = col.listed.len();
                    return format!(
                        "<div id=\"page_div\"></div><script type=\"text/javascript\">\n\
                         createPageHTML('page_div', {count}, {i}, 'index', '{ext}', {total});\n</script>"
                    );
                }
                let call = if col.per_page.is_multiple_of(2) {
                    format!("createPageHTML({count}, {i}, \"index\", \"{ext}\");")
                } else {
                    format!("createPageHTML(countPage, currentPage, \"index\", \"{ext}\");")
                };
                format!(
                    "<div class=\"page\"><script type=\"text/javascript\">\n\
                     var currentPage = {i};//所在页从0开始\nvar prevPage = currentPage-1;\n\
                     var nextPage = currentPage+1;\nvar countPage = {count};//共多少页\n{call}\n</script></div>"
                )
            }
            Paging::Query => {
                let link =
                    |n: usize, text: &str| format!("<a href=\"index.{ext}?page={n}\">{text}</a>");
                let mut nav = format!("共{count}页 {}", link(1, "首页"));
                if i > 0 {
                    nav += &link(i, "上一页");
                }
                if i + 1 < count {
                    nav += &link(i + 2, "下一页");
                }
                format!("<div class=\"page\">{nav}{}</div>", link(count, "尾页"))
            }
            Paging::Numbers => {
                let nav: String = (0..count)
                    .map(|n| {
                        if n == i {
                            format!("<span class=\"current\">{}</span>", n + 1)
                        } else {
                            format!("<a href=\"{}\">{}</a>", self.number_name(n), n + 1)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                format!("<div class=\"page\">{nav}</div>")
            }
            Paging::NextLinks | Paging::Jpage => {
                let name = |n: usize| {
                    if n == 0 {
                        format!("index.{ext}")
                    } else {
                        format!("list_{}.{ext}", n + 1)
                    }
                };
                let mut nav = format!("第{}页/共{count}页 <a href=\"{}\">首页</a>", i + 1, name(0));
                if i > 0 {
                    nav += &format!(" <a href=\"{}\">上一页</a>", name(i - 1));
                }
                if i + 1 < count {
                    nav += &format!(" <a href=\"{}\">下一页</a>", name(i + 1));
                }
                format!(
                    "<div class=\"page\">{nav} <a href=\"{}\">尾页</a></div>",
                    name(count - 1)
                )
            }
        }
    }

    /// A Hanweb column: the first page of records inside the page, the whole list from
    /// `dataproxy.jsp` by POST with the column's form.
    fn jpage_page(&self, c: usize) -> String {
        let col = &self.plan.columns[c];
        let unit = 4000 + col.col_id % 5000;
        let webid = 1 + self.plan.seed % 90;
        let webname = self.site_name();
        let first: String = col
            .listed
            .iter()
            .take(col.per_page)
            .map(|&a| format!("<record><![CDATA[{}]]></record>\n", self.item(c, a, "")))
            .collect();
        let main = format!(
            "<h2>{name}</h2>{subs}<div id=\"{unit}\"><script type=\"text/xml\"><datastore>\
             <nextgroup><![CDATA[<a href=\"{DATAPROXY}?page=1&webid={webid}&path=/&columnid={id}&unitid={unit}&webname={webname}&permissiontype=0\"></a>]]></nextgroup>\
             <recordset>{first}</recordset></datastore></script></div>\n\
             <script type=\"text/javascript\">$(function(){{ $('#{unit}').jpage({{ dataStore: null, \
             proxyUrl: '{DATAPROXY}', totalRecord: {total}, perPage: {per}, groupSize: 3, \
             ajaxParam: {{ col: 1, appid: 1, webid: {webid}, path: '/', columnid: {id}, sourceContentType: 1, \
             unitid: '{unit}', webname: '{webname}', permissiontype: 0 }} }}); }});</script>",
            name = col.name,
            subs = self.sub_columns(col),
            id = col.col_id,
            total = col.listed.len(),
            per = col.per_page,
        );
        let head =
            "<script type=\"text/javascript\" src=\"/module/web/jpage/jquery.jpage.js\"></script>";
        self.chrome(&col.name, c, head, &main)
    }
}

/// A title cut after `n` characters with `...`, as listings print long titles.
fn cut(title: &str, n: usize) -> String {
    let chars: Vec<char> = title.chars().collect();
    if chars.len() <= n {
        return escape(title);
    }
    escape(&format!("{}...", chars[..n].iter().collect::<String>()))
}
