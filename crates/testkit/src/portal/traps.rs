//! What a crawl must not store, put among the reports: notices about compiling them,
//! 解读 and 图解 of them, other annual reports (法治政府建设, 市场主体, 统计), budgets,
//! drafts under a path robots.txt disallows, a dead link and a link to another host —
//! and how each listing is paged and printed.

use super::plan::{Date, Delivery, Items, Kind, Paging, Plan};
use super::Family;

impl Plan {
    /// Columns of the hub's subtree that list reports: where traps hide best.
    pub(super) fn report_listings(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&c| {
                self.columns[c]
                    .listed
                    .iter()
                    .any(|&a| matches!(self.articles[a].kind, Kind::Report(_)))
            })
            .collect()
    }

    fn any_of(&mut self, columns: &[usize]) -> usize {
        columns[self.rng.range(0, columns.len() as u64 - 1) as usize]
    }

    /// A report listed somewhere, with the column its article lives in.
    fn listed_report(&mut self) -> Option<(usize, usize)> {
        let listed: Vec<(usize, usize)> = self
            .report_article
            .iter()
            .enumerate()
            .filter_map(|(r, a)| a.map(|a| (r, self.articles[a].home)))
            .filter(|&(r, _)| self.reports[r].delivery != Delivery::Xxgk)
            .collect();
        if listed.is_empty() {
            return None;
        }
        Some(listed[self.rng.range(0, listed.len() as u64 - 1) as usize])
    }

    fn trap(&mut self, title: String, date: Date, column: usize) {
        self.add_article(title, date, Kind::Trap, column);
    }

    pub(super) fn draw_traps(&mut self) {
        let listings = self.report_listings();
        if listings.is_empty() {
            return;
        }
        let year = self.last;
        let notice_date = Date {
            y: year,
            m: 12,
            d: self.rng.range(1, 28) as u8,
        };
        // Notices about compiling the reports: in 通知公告 or among the reports.
        let title = if self.rng.chance(0.5) {
            format!("关于做好{year}年政府信息公开工作年度报告编制发布工作的通知")
        } else {
            format!("关于做好{year}年度政府信息公开工作年度报告编制和公开工作的通知")
        };
        let at = if self.rng.chance(0.5) {
            self.notices
        } else {
            self.any_of(&listings)
        };
        self.trap(title, notice_date, at);
        self.draw_report_traps();
        self.draw_other_annual_traps(&listings);
        self.draw_unreachable(&listings);
        self.draw_wider_traps(&listings);
    }

    /// 解读, 图解 and 法治政府建设 reports of bodies, next to the reports they follow.
    fn draw_report_traps(&mut self) {
        for n in 0..4 {
            if n >= 2 && self.rng.chance(0.35) {
                continue;
            }
            let Some((r, column)) = self.listed_report() else {
                return;
            };
            let rep = self.reports[r].clone();
            let agency = self.bodies[rep.body].printed[0].clone();
            let y = rep.year;
            let title = match n {
                0 if self.rng.chance(0.5) => format!("{}解读", rep.title),
                0 => format!("《{}》政策解读", rep.title),
                1 => format!("{agency}{y}年法治政府建设年度报告"),
                2 if self.rng.chance(0.5) => format!("图解：{}", rep.title),
                2 => format!("一图读懂{agency}{y}年政府信息公开工作年度报告"),
                _ => format!("{agency}关于{y}年度法治政府建设情况的报告"),
            };
            let date = Date {
                d: (rep.date.d % 28) + 1,
                ..rep.date
            };
            self.trap(title, date, column);
        }
    }

    /// 市场主体年报, 统计年报, budgets: annual reports that are not these.
    fn draw_other_annual_traps(&mut self, listings: &[usize]) {
        let y = self.last;
        let district = format!("{}{}", self.district.city, self.district.county);
        let titles = [
            if self.rng.chance(0.5) {
                format!("关于开展{y}年度市场主体年报工作的通告")
            } else {
                format!("关于做好{y}年度企业年报公示工作的提醒")
            },
            if self.rng.chance(0.5) {
                format!(
                    "关于做好{y}年统计年报和{}年定期统计报表布置工作的通知",
                    y + 1
                )
            } else {
                format!("{district}{y}年统计年报")
            },
            format!("{}{}年部门预算公开", self.bodies[0].printed[0], y + 1),
        ];
        for (i, title) in titles.into_iter().enumerate() {
            if i > 0 && self.rng.chance(0.3) {
                continue;
            }
            let column = match (i, self.finance) {
                (2, Some(f)) => f,
                _ if self.rng.chance(0.5) => self.notices,
                _ => self.any_of(listings),
            };
            let date = Date::publication(y + 1, &mut self.rng);
            self.trap(title, date, column);
        }
    }

    /// Drafts under the disallowed path, a dead link and another host's report, all
    /// listed among the reports.
    fn draw_unreachable(&mut self, listings: &[usize]) {
        for _ in 0..self.rng.range(1, 2) {
            self.draw_draft();
        }
        let column = self.any_of(listings);
        let body = self.columns[column]
            .body
            .unwrap_or_else(|| self.rng.range(0, self.bodies.len() as u64 - 1) as usize);
        let title = format!(
            "{}2018年政府信息公开工作年度报告",
            self.bodies[body].printed[0]
        );
        let date = Date {
            y: 2019,
            m: 1,
            d: 20,
        };
        self.add_article(title, date, Kind::Dead, column);
        self.draw_offsite(listings);
    }

    /// A 送审稿 (or 内部审核稿) of a listed report, listed next to it.
    fn draw_draft(&mut self) {
        let Some((r, column)) = self.listed_report() else {
            return;
        };
        let rep = self.reports[r].clone();
        let agency = &self.bodies[rep.body].printed[0];
        let stage = if self.rng.chance(0.7) {
            "送审稿"
        } else {
            "内部审核稿"
        };
        let title = format!("{agency}{}年政府信息公开工作年度报告（{stage}）", rep.year);
        let date = Date {
            m: 1,
            d: 5,
            ..rep.date
        };
        self.add_article(title, date, Kind::Draft, column);
    }

    /// A report of another host, listed in the hub or among the reports.
    fn draw_offsite(&mut self, listings: &[usize]) {
        let (title, url) = if self.rng.chance(0.5) {
            (
                format!("国务院办公厅{}年政府信息公开工作年度报告", self.last),
                format!("http://www.gov.cn/zhengce/xxgk/gknb/{}.htm", self.last),
            )
        } else {
            let province = self.district.province;
            (
                format!("{province}人民政府{}年政府信息公开工作年度报告", self.last),
                "http://www.gov.cn/zhengce/zhengceku/".to_string(),
            )
        };
        let column = if self.rng.chance(0.5) {
            self.hub
        } else {
            self.any_of(listings)
        };
        let date = Date::publication(self.last + 1, &mut self.rng);
        self.add_article(title, date, Kind::Offsite(url), column);
    }

    /// Each listing newest first, paged in the family's way, its items printed in one of
    /// the ways sites print them; at least one report listing spills onto a second page.
    pub(super) fn draw_paging(&mut self) {
        for c in 0..self.columns.len() {
            let mut listed = std::mem::take(&mut self.columns[c].listed);
            listed.sort_by_key(|&a| std::cmp::Reverse(self.articles[a].date));
            listed.dedup();
            self.columns[c].listed = listed;
            let paging = match self.family {
                Family::Hanweb => Paging::Jpage,
                Family::Trs => match self.rng.range(0, 9) {
                    0..=5 => Paging::TrsScript,
                    6 | 7 => Paging::Query,
                    _ => Paging::NextLinks,
                },
            };
            let one_body = self.columns[c].body.is_some();
            let items = match self.rng.range(0, 9) {
                _ if self.columns[c].by_name => Items::BodyName,
                0..=2 => Items::Full,
                3 | 4 => Items::CutTitled,
                5 | 6 => Items::CutBare,
                _ if one_body => Items::YearOnly,
                _ => Items::CutTitled,
            };
            let column = &mut self.columns[c];
            column.paging = paging;
            column.items = items;
            column.per_page = self.rng.range(3, 10) as usize;
        }
        let listings = self.report_listings();
        let longest = listings
            .iter()
            .copied()
            .max_by_key(|&c| self.columns[c].listed.len());
        if let Some(c) = longest {
            let n = self.columns[c].listed.len();
            let column = &mut self.columns[c];
            if n > 1 && column.per_page >= n {
                column.per_page = (n - 1).max(1);
            }
        }
    }
}
