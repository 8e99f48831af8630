//! Where everything lives, in the family's URL scheme (domain.md §3.2, §3.9). TRS nests
//! columns as directories (`/zwgk/fdzdgknr/ndbg/c100205/`) and dates its articles
//! (`202401/t20240118_5512345.html`), attachments beside them (`P020240118….pdf`);
//! Hanweb numbers its columns flat (`/col/col1229102/index.html`, siblings of the hub
//! whatever the tree) and its articles by column and day (`/art/2024/1/18/art_1229102_…`).
//! A report listed by its body's name sits in a folder of its own under its column
//! (`…/c100205/5512345/index.html`, `/col/col1229102/58696553/index.html`).

use super::plan::{Delivery, Kind, Plan};
use super::server::xxgk_path;
use super::Family;

impl Plan {
    pub(super) fn assign_paths(&mut self) {
        match self.family {
            Family::Trs => self.trs_columns(),
            Family::Hanweb => self.hanweb_columns(),
        }
        let mut next_id = match self.family {
            Family::Trs => 5_000_000 + self.rng.range(0, 999_999),
            Family::Hanweb => 50_000_000 + self.rng.range(0, 9_999_999),
        };
        for a in 0..self.articles.len() {
            next_id += self.rng.range(1, 40);
            self.articles[a].id = next_id;
            self.articles[a].path = self.article_path(a);
        }
        self.attachments = vec![Vec::new(); self.reports.len()];
        for r in 0..self.reports.len() {
            let file = match self.reports[r].delivery {
                Delivery::Page { docx: true } => Some("docx"),
                Delivery::Attachment { pdf, .. } => Some(if pdf { "pdf" } else { "docx" }),
                Delivery::Bundled => Some(if self.rng.chance(0.5) { "pdf" } else { "docx" }),
                _ => None,
            };
            let article = match self.reports[r].delivery {
                Delivery::Bundled => self.bundle_article(r),
                _ => self.report_article[r],
            };
            if let (Some(ext), Some(a)) = (file, article) {
                let path = match self.reports[r].delivery {
                    Delivery::Attachment { viewer: true, .. } => self.viewer_file(a),
                    _ => self.attachment_path(a, ext),
                };
                self.attachments[r].push(path);
            }
        }
        self.rename_odd_files();
        self.draw_downloads();
    }

    /// In a portal with odd file names, some attachments renamed in Chinese, some with
    /// capital extensions, at least one of each (a viewer's PDF keeps its number).
    fn rename_odd_files(&mut self) {
        if !self.vary.odd_files {
            return;
        }
        let files: Vec<usize> = (0..self.reports.len())
            .filter(|&r| !self.attachments[r].is_empty())
            .collect();
        let mut named = false;
        for (i, &r) in files.iter().enumerate() {
            let viewed = matches!(
                self.reports[r].delivery,
                Delivery::Attachment { viewer: true, .. }
            );
            let chinese = !viewed && (!named || self.vary.rng.chance(0.4));
            named |= chinese;
            let upper = i == 1 || files.len() == 1 || self.vary.rng.chance(0.3);
            let path = self.attachments[r][0].clone();
            self.attachments[r][0] = self.odd_file(r, &path, chinese, upper);
        }
    }

    fn bundle_article(&self, report: usize) -> Option<usize> {
        self.articles
            .iter()
            .position(|a| matches!(&a.kind, Kind::Bundle(members) if members.contains(&report)))
    }

    /// Directories nested as the tree goes, but for township columns put under another
    /// branch now and then; linked by directory or by `index.html`.
    fn trs_columns(&mut self) {
        self.dir_links = self.rng.chance(0.5);
        if self.rng.chance(0.3) {
            let branch = ["/jdxx/", "/xzjd/xxgk/", "/zjdt/gk/"][self.rng.range(0, 2) as usize];
            self.township_branch = Some(branch.to_string());
        }
        for c in 0..self.columns.len() {
            let Some(parent) = self.columns[c].parent else {
                let home = &mut self.columns[c];
                home.dir = "/".into();
                home.path = "/".into();
                home.link = "/".into();
                continue;
            };
            let township = self.columns[c]
                .body
                .is_some_and(|b| self.bodies[b].kind == super::names::BodyKind::Township);
            let base = match &self.township_branch {
                Some(branch) if township => branch.clone(),
                _ => self.columns[parent].dir.clone(),
            };
            let column = &mut self.columns[c];
            column.dir = format!("{base}{}/", column.slug);
            column.path = format!("{}index.{}", column.dir, self.ext);
            column.link = if self.dir_links {
                column.dir.clone()
            } else {
                column.path.clone()
            };
        }
    }

    /// Flat ids in the order the columns were made, with gaps.
    fn hanweb_columns(&mut self) {
        let mut id = self.rng.range(1_200, 1_600) * 1000 + self.rng.range(0, 500);
        for c in 0..self.columns.len() {
            let column = &mut self.columns[c];
            if column.parent.is_none() {
                column.path = "/".into();
                column.link = "/".into();
                continue;
            }
            id += self.rng.range(1, 4);
            column.col_id = id;
            column.path = format!("/col/col{id}/index.html");
            column.link = column.path.clone();
        }
    }

    fn article_path(&self, a: usize) -> String {
        let article = &self.articles[a];
        let column = &self.columns[article.home];
        let date = article.date;
        if let Kind::Offsite(url) = &article.kind {
            return url.clone();
        }
        if let Kind::Report(r) = article.kind {
            if self.reports[r].delivery == Delivery::Xxgk {
                let area = &column.xxgk.as_ref().expect("an xxgk column").area;
                return xxgk_path(area, &self.reports[r].year.to_string());
            }
        }
        if article.folder {
            return match self.family {
                Family::Trs => format!("{}{}/index.{}", column.dir, article.id, self.ext),
                Family::Hanweb => format!("/col/col{}/{}/index.html", column.col_id, article.id),
            };
        }
        let base = if article.kind == Kind::Draft {
            self.disallowed.clone()
        } else {
            column.dir.clone()
        };
        match self.family {
            Family::Trs => format!(
                "{base}{}{:02}/t{}_{}.{}",
                date.y,
                date.m,
                date.compact(),
                article.id,
                self.ext
            ),
            Family::Hanweb => {
                let base = if article.kind == Kind::Draft {
                    base
                } else {
                    "/".into()
                };
                format!(
                    "{base}art/{}/{}/{}/art_{}_{}.html",
                    date.y, date.m, date.d, column.col_id, article.id
                )
            }
        }
    }

    /// TRS: `P0<day><digits>.<ext>` beside the article; Hanweb: `/attach/0/<hex>.<ext>`.
    fn attachment_path(&mut self, article: usize, ext: &str) -> String {
        let a = &self.articles[article];
        match self.family {
            Family::Trs => {
                let dir = &a.path[..a.path.rfind('/').map_or(0, |i| i + 1)];
                format!(
                    "{dir}P0{}{:06}{}.{ext}",
                    a.date.compact(),
                    self.rng.range(0, 999_999),
                    self.rng.range(100, 999)
                )
            }
            Family::Hanweb => format!(
                "/attach/0/{:016x}{:016x}.{ext}",
                self.rng.next_u64(),
                self.rng.next_u64()
            ),
        }
    }
}
