//! The tree of columns a portal is drawn with: decoy sections that lead nowhere useful,
//! the way from the home page to the 年报 hub (rarely by a link called 年报), and the hub
//! organised by body, type or year, with its listings.

use super::names::{pick, BodyKind};
use super::plan::{
    Article, Column, Date, Delivery, Entry, HubMode, Items, Kind, Paging, Placement, Plan, Xxgk,
};
use super::Family;

/// Hub names with 年报 in them, and without.
const HUBS_NIANBAO: [&str; 3] = ["政府信息公开年报", "信息公开年报", "年报"];
const HUBS_PLAIN: [&str; 3] = [
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "年度报告",
];
const HUBS_ALL: [&str; 6] = [
    "政府信息公开年报",
    "信息公开年报",
    "年报",
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "年度报告",
];
const HUB_SLUGS: [&str; 6] = [
    "ndbg",
    "xxgknb",
    "zfxxgknb",
    "zfxxgkndbg",
    "ndxxgkbg",
    "gknb",
];
const TOPICS: [&str; 8] = [
    "安全生产",
    "垃圾分类",
    "优化营商环境",
    "防汛防台",
    "文明城市创建",
    "乡村振兴",
    "基层治理",
    "民生实事",
];

impl Plan {
    pub(super) fn draw_tree(&mut self) {
        self.new_column("首页", "", None);
        self.draw_decoys();
        self.hub = self.draw_entry();
        self.draw_hub();
        self.draw_viewers();
        self.draw_traps();
        self.draw_paging();
        let pages: Vec<usize> = (0..self.articles.len())
            .filter(|&a| match self.articles[a].kind {
                Kind::Report(r) => matches!(self.reports[r].delivery, Delivery::Page { .. }),
                _ => false,
            })
            .collect();
        if !pages.is_empty() {
            self.flaky = Some(pages[self.rng.range(0, pages.len() as u64 - 1) as usize]);
        }
        self.draw_json();
        self.draw_site_map();
        self.draw_banner();
        self.draw_numbers();
        self.draw_side_menu();
    }

    pub(super) fn new_column(&mut self, name: &str, slug: &str, parent: Option<usize>) -> usize {
        let id = self.columns.len();
        self.columns.push(Column {
            name: name.to_string(),
            parent,
            children: Vec::new(),
            listed: Vec::new(),
            body: None,
            text: None,
            xxgk: None,
            placement: Placement::Nav,
            paging: Paging::TrsScript,
            per_page: 20,
            items: Items::Full,
            slug: slug.to_string(),
            dir: String::new(),
            col_id: 0,
            path: String::new(),
            link: String::new(),
            by_name: false,
            json: None,
            site_map: false,
            menu: false,
            matrix: false,
        });
        if let Some(p) = parent {
            self.columns[p].children.push(id);
        }
        id
    }

    /// A column of the hub's subtree: named by pinyin or by a TRS id, as the site does.
    fn sub_column(&mut self, name: &str, named_slug: &str, parent: usize) -> usize {
        let slug = if self.cids || named_slug.is_empty() {
            self.next_cid += self.rng.range(1, 3);
            format!("c{}", self.next_cid)
        } else {
            named_slug.to_string()
        };
        self.new_column(name, &slug, Some(parent))
    }

    fn text_column(&mut self, name: &str, slug: &str, parent: usize, text: &str) -> usize {
        let c = self.new_column(name, slug, Some(parent));
        self.columns[c].text = Some(text.to_string());
        c
    }

    pub(super) fn add_article(
        &mut self,
        title: String,
        date: Date,
        kind: Kind,
        home: usize,
    ) -> usize {
        let id = self.articles.len();
        self.articles.push(Article {
            title,
            date,
            kind,
            home,
            path: String::new(),
            id: 0,
            folder: false,
        });
        self.columns[home].listed.push(id);
        id
    }

    fn recent(&mut self) -> Date {
        Date::publication(self.last + 1, &mut self.rng)
    }

    fn topic(&mut self) -> &'static str {
        TOPICS[self.rng.range(0, TOPICS.len() as u64 - 1) as usize]
    }

    fn news(&mut self, column: usize, n: usize) {
        let short = self.district.short();
        for _ in 0..n {
            let topic = self.topic();
            let township = self.district.townships[0].0;
            let title = match self.rng.range(0, 3) {
                0 => format!("{short}区召开{}年{topic}工作会议", self.last + 1),
                1 => format!("区领导调研{topic}工作"),
                2 => format!("{township}开展{topic}宣传活动"),
                _ => format!("{short}区{topic}工作取得新成效"),
            };
            let date = self.recent();
            self.add_article(title, date, Kind::News, column);
        }
    }

    /// 新闻中心, 办事服务, 互动交流, 走进…: sections a few levels deep with nothing of the
    /// reports in them.
    fn draw_decoys(&mut self) {
        let news = self.new_column("新闻中心", "xwzx", Some(0));
        let subs = [
            ("政务要闻", "zwyw"),
            ("部门动态", "bmdt"),
            ("街镇动态", "jzdt"),
        ];
        for i in pick(subs.len(), self.rng.range(2, 3) as usize, &mut self.rng) {
            let c = self.new_column(subs[i].0, subs[i].1, Some(news));
            let n = self.rng.range(2, 5) as usize;
            self.news(c, n);
        }
        if self.rng.chance(0.8) {
            let services = self.new_column("办事服务", "bsfw", Some(0));
            for (name, slug) in [("个人办事", "grbs"), ("法人办事", "frbs")] {
                let c = self.new_column(name, slug, Some(services));
                for topic in ["户籍办理", "社会保障卡申领", "不动产登记"]
                    .into_iter()
                    .take(self.rng.range(1, 3) as usize)
                {
                    let date = self.recent();
                    self.add_article(format!("{topic}办事指南"), date, Kind::News, c);
                }
            }
        }
        if self.rng.chance(0.8) {
            let talk = self.new_column("互动交流", "hdjl", Some(0));
            self.text_column("领导信箱", "ldxx", talk, "请选择信件类型后填写。");
            let c = self.new_column("征集调查", "zjdc", Some(talk));
            let topic = self.topic();
            let date = self.recent();
            self.add_article(format!("关于{topic}意见征集的公告"), date, Kind::News, c);
        }
        if self.rng.chance(0.5) {
            let name = format!("走进{}", self.district.county);
            let about = self.new_column(&name, "zj", Some(0));
            self.text_column("区情概况", "qqgk", about, "区位优越，交通便利。");
            self.text_column("历史沿革", "lsyg", about, "历史悠久，人文荟萃。");
        }
    }

    /// The way to the hub, returning it; the 通知公告 column is made on the way.
    fn draw_entry(&mut self) -> usize {
        self.entry = match self.rng.range(0, 19) {
            0..=5 => Entry::Statutory,
            6..=10 => Entry::Disclosure,
            11..=13 => Entry::SideMenu,
            14..=17 => Entry::Footer,
            _ => Entry::Direct,
        };
        let (top_name, top_slug) = if self.entry == Entry::Disclosure {
            ("信息公开", "xxgk")
        } else {
            ("政务公开", "zwgk")
        };
        let top = self.new_column(top_name, top_slug, Some(0));
        self.shuffle_last_child(0);
        let guides = self.draw_guides(top);
        let hub_parent = match self.entry {
            Entry::Statutory => {
                let fd = self.new_column("法定主动公开内容", "fdzdgknr", Some(top));
                self.text_column("机构职能", "jgzn", fd, "主要职责、内设机构。");
                let finance = self.new_column("财政资金", "czzj", Some(fd));
                self.finance = Some(finance);
                self.news(finance, 1);
                fd
            }
            Entry::Direct => 0,
            _ => guides,
        };
        let policy = self.new_column("政策文件", "zcwj", Some(top));
        self.news(policy, 2);
        self.notices = self.new_column("通知公告", "tzgg", Some(top));
        self.news(self.notices, 2);
        let (name, slug) = self.hub_name();
        let hub = self.new_column(name, slug, Some(hub_parent));
        self.shuffle_last_child(hub_parent);
        let contact = self.text_column("联系我们", "lxwm", 0, "地址、电话、邮编。");
        self.columns[contact].placement = Placement::Footer;
        hub
    }

    /// The hub's name: with 年报 when the home page links it, never in a side menu.
    fn hub_name(&mut self) -> (&'static str, &'static str) {
        let names: &[&str] = match self.entry {
            Entry::Direct => &HUBS_NIANBAO,
            Entry::SideMenu => &HUBS_PLAIN,
            _ => &HUBS_ALL,
        };
        let name = names[self.rng.range(0, names.len() as u64 - 1) as usize];
        (name, HUB_SLUGS[self.rng.range(0, 5) as usize])
    }

    /// 指南 and 制度 under the top column, or under a 政府信息公开 column of the side menu
    /// or the footer (which is then the hub's parent): returns their parent.
    fn draw_guides(&mut self, top: usize) -> usize {
        const GUIDE: &str = "本指南依据《中华人民共和国政府信息公开条例》编制。\
                             行政机关应当在每年1月31日前向社会公布本机关上一年度政府信息公开工作年度报告。";
        let parent = match self.entry {
            Entry::SideMenu | Entry::Footer => {
                let c = self.new_column("政府信息公开", "zfxxgk", Some(0));
                self.columns[c].placement = if self.entry == Entry::SideMenu {
                    Placement::Side
                } else {
                    Placement::Footer
                };
                self.text_column("依申请公开", "ysqgk", c, "申请方式：当面、信函、网络。");
                c
            }
            _ => top,
        };
        self.text_column("政府信息公开指南", "xxgkzn", parent, GUIDE);
        let rules = "建立健全政府信息公开工作制度。";
        self.text_column("政府信息公开制度", "xxgkzd", parent, rules);
        parent
    }

    /// Moves a column's newest child to a random place among its siblings: the way in
    /// is not always the last link.
    fn shuffle_last_child(&mut self, parent: usize) {
        let siblings = &mut self.columns[parent].children;
        let at = self.rng.range(0, siblings.len() as u64 - 1) as usize;
        if let Some(last) = siblings.pop() {
            siblings.insert(at, last);
        }
    }

    fn draw_hub(&mut self) {
        let r = self.rng.range(0, 19);
        self.hub_mode = match r {
            0..=5 => HubMode::Bodies,
            6..=9 => HubMode::Types,
            10..=12 => HubMode::FlatTypes,
            13..=16 => HubMode::Years,
            _ => HubMode::NestedYears,
        };
        // A hub of bodies drawn as a table of bodies × years lists every report itself.
        let matrix = self.vary.matrix && self.hub_mode == HubMode::Bodies;
        if self.family == Family::Hanweb
            && matches!(self.hub_mode, HubMode::Bodies | HubMode::Types)
            && !matrix
        {
            self.draw_xxgk_bodies();
        }
        self.draw_bundle_members();
        let hub = self.hub;
        match self.hub_mode {
            HubMode::Bodies if matrix => {
                self.columns[hub].matrix = true;
                for b in 0..self.bodies.len() {
                    for r in self.reports_of(b) {
                        self.list_report(r, hub);
                    }
                }
            }
            HubMode::Bodies => {
                for b in 0..self.bodies.len() {
                    self.body_column(b, hub);
                }
            }
            HubMode::Types | HubMode::FlatTypes => self.by_type(hub, None),
            HubMode::Years => self.by_year(hub, false),
            HubMode::NestedYears => self.by_year(hub, true),
        }
        let has_bodies = matches!(
            self.hub_mode,
            HubMode::Bodies | HubMode::Types | HubMode::FlatTypes
        );
        if has_bodies && self.rng.chance(0.3) {
            self.also_by_year = true;
            self.by_year(hub, false);
        }
        self.draw_bundle();
    }

    /// Hanweb bodies that publish through the xxgk module: every report of theirs a
    /// module page, their column a list of years (some answering 暂无).
    fn draw_xxgk_bodies(&mut self) {
        let n = match self.rng.range(0, 9) {
            0..=3 => 0,
            4..=7 => 1,
            _ => 2,
        };
        for b in pick(self.bodies.len() - 1, n, &mut self.rng) {
            for r in self.reports_of(b + 1) {
                self.reports[r].delivery = Delivery::Xxgk;
            }
        }
    }

    /// Two or three township reports of one year made the attachments of a notice.
    fn draw_bundle_members(&mut self) {
        if !self.rng.chance(0.3) {
            return;
        }
        let year = self.last - self.rng.range(0, 1) as u16;
        let members: Vec<usize> = (0..self.reports.len())
            .filter(|&r| {
                let rep = &self.reports[r];
                rep.year == year
                    && self.bodies[rep.body].kind == BodyKind::Township
                    && rep.delivery != Delivery::Xxgk
            })
            .take(self.rng.range(2, 3) as usize)
            .collect();
        if members.len() >= 2 {
            for &r in &members {
                self.reports[r].delivery = Delivery::Bundled;
            }
        }
    }

    /// The notice holding the bundled reports, listed in the hub or a listing near it.
    fn draw_bundle(&mut self) {
        let members: Vec<usize> = (0..self.reports.len())
            .filter(|&r| self.reports[r].delivery == Delivery::Bundled)
            .collect();
        let Some(&first) = members.first() else {
            return;
        };
        let year = self.reports[first].year;
        let title = format!("关于公开{year}年度各街道（镇）政府信息公开工作年度报告的公告");
        let date = self.reports[first].date;
        let home = self.hub;
        self.add_article(title, date, Kind::Bundle(members), home);
    }

    /// A report listed in a column; its article is made (and lives) in the first, in a
    /// folder of its own once a column lists it by its body's name.
    fn list_report(&mut self, r: usize, column: usize) {
        let a = match self.report_article[r] {
            Some(a) => {
                self.columns[column].listed.push(a);
                a
            }
            None => {
                let rep = &self.reports[r];
                let (title, date) = (rep.title.clone(), rep.date);
                let a = self.add_article(title, date, Kind::Report(r), column);
                self.report_article[r] = Some(a);
                a
            }
        };
        if self.columns[column].by_name {
            self.articles[a].folder = true;
        }
    }

    /// One body's column: its listing, or its xxgk module years.
    fn body_column(&mut self, body: usize, parent: usize) -> usize {
        let short = self.bodies[body].short.clone();
        let kind = self.bodies[body].kind;
        let named = match kind {
            BodyKind::Government => "qzf".to_string(),
            BodyKind::Department => format!("bm{body:02}"),
            BodyKind::Township => format!("jd{body:02}"),
        };
        let c = self.sub_column(&short, &named, parent);
        self.columns[c].body = Some(body);
        let reports = self.reports_of(body);
        let xxgk = reports
            .first()
            .is_some_and(|&r| self.reports[r].delivery == Delivery::Xxgk);
        if !xxgk {
            for r in reports {
                self.list_report(r, c);
            }
            return c;
        }
        let first = reports
            .iter()
            .map(|&r| self.reports[r].year)
            .min()
            .unwrap_or(self.last);
        let from = first.saturating_sub(self.rng.range(0, 2) as u16).max(2019);
        let area = format!(
            "11{}{:010}",
            self.district.code,
            self.rng.next_u64() % 10_000_000_000
        );
        self.columns[c].xxgk = Some(Xxgk {
            area,
            years: (from..=self.last).rev().collect(),
            select: self.rng.chance(0.5),
        });
        for r in reports {
            // Made here, listed by the module's own links.
            let rep = &self.reports[r];
            let (title, date) = (rep.title.clone(), rep.date);
            let a = self.add_article(title, date, Kind::Report(r), c);
            self.columns[c].listed.pop();
            self.report_article[r] = Some(a);
        }
        c
    }

    /// 区政府 / 区政府部门 / 街道乡镇, each a column of bodies or (flat) of reports; only
    /// the bodies with a report of `year`, when given. Within a year the bodies may be
    /// named in the type columns, each linking its report (区政府's in the year column).
    fn by_type(&mut self, parent: usize, year: Option<u16>) {
        let names = [
            ("区政府", "区政府部门", "街道乡镇"),
            ("区政府", "政府部门", "镇街"),
            ("区人民政府", "区级部门", "乡镇（街道）"),
        ][self.rng.range(0, 2) as usize];
        let flat = self.hub_mode == HubMode::FlatTypes;
        let by_name = year.is_some() && self.vary.by_name && !flat;
        let has_year = |plan: &Plan, b: usize| {
            year.is_none_or(|y| {
                plan.reports_of(b)
                    .iter()
                    .any(|&r| plan.reports[r].year == y)
            })
        };
        if has_year(self, 0) && by_name {
            self.columns[parent].by_name = true;
            self.list_of_year(0, parent, year);
        } else if has_year(self, 0) {
            let c = self.body_column_in_year(0, parent, year);
            self.columns[c].name = names.0.to_string();
        }
        for (kind, name, slug) in [
            (BodyKind::Department, names.1, "qzfbm"),
            (BodyKind::Township, names.2, "jdxz"),
        ] {
            let bodies: Vec<usize> = (0..self.bodies.len())
                .filter(|&b| self.kind_of(b) == kind && has_year(self, b))
                .collect();
            if bodies.is_empty() {
                continue;
            }
            let t = self.sub_column(name, slug, parent);
            self.columns[t].by_name = by_name;
            for b in bodies {
                if by_name {
                    self.list_of_year(b, t, year);
                } else if flat {
                    for r in self.reports_of(b) {
                        self.list_report(r, t);
                    }
                } else {
                    self.body_column_in_year(b, t, year);
                }
            }
        }
    }

    fn body_column_in_year(&mut self, body: usize, parent: usize, year: Option<u16>) -> usize {
        if year.is_none() {
            return self.body_column(body, parent);
        }
        let short = self.bodies[body].short.clone();
        let c = self.sub_column(&short, "", parent);
        self.columns[c].body = Some(body);
        self.list_of_year(body, c, year);
        c
    }

    /// A body's reports of `year` (of every year when `None`) listed in `column`.
    fn list_of_year(&mut self, body: usize, column: usize, year: Option<u16>) {
        for r in self.reports_of(body) {
            if year.is_none_or(|y| self.reports[r].year == y) {
                self.list_report(r, column);
            }
        }
    }

    /// Year columns, newest first; older years perhaps together in 往年年报 (or under a
    /// range label, `2021年度及以前`, listing their reports flat even in a nested hub);
    /// each a list of the year's reports (perhaps by body name) or (nested) of type and
    /// body columns.
    fn by_year(&mut self, parent: usize, nested: bool) {
        let mut years: Vec<u16> = self.reports.iter().map(|r| r.year).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let range = self.vary.older_range;
        let own = match (nested, range) {
            (true, false) => years.len(),
            (true, true) => self.vary.rng.range(2, 3) as usize,
            (false, _) => self.rng.range(2, 4) as usize,
        };
        let together = years.len() > own && ((!nested && self.rng.chance(0.5)) || range);
        let label = if self.rng.chance(0.7) {
            "年度"
        } else {
            "年"
        };
        let mut older = None;
        for (i, &y) in years.iter().enumerate() {
            let in_older = i >= own && together;
            let column = if in_older {
                *older.get_or_insert_with(|| {
                    let old = if range {
                        self.older_label(y)
                    } else if self.rng.chance(0.5) {
                        "往年年报".to_string()
                    } else {
                        "历年年报".to_string()
                    };
                    self.sub_column(&old, "wnnb", parent)
                })
            } else {
                let c = self.sub_column(&format!("{y}{label}"), &format!("{y}n"), parent);
                self.columns[c].by_name = self.vary.by_name && !nested;
                c
            };
            if nested && !in_older {
                self.by_type(column, Some(y));
                continue;
            }
            let mut of_year: Vec<usize> = (0..self.reports.len())
                .filter(|&r| self.reports[r].year == y)
                .filter(|&r| self.reports[r].delivery != Delivery::Bundled)
                .collect();
            of_year.sort_by_key(|&r| std::cmp::Reverse(self.reports[r].date));
            for r in of_year {
                self.list_report(r, column);
            }
        }
    }
}
