//! The articles: reports (a full page, a page with a DOCX, an almost empty page whose file
//! is linked, named only in a script or shown through a PDF viewer, an xxgk module page),
//! the notice whose attachments are reports, the traps, drafts and news — and the truth
//! they make.

use std::sync::Arc;

use super::plan::{Article, Delivery, Kind};
use super::render::{escape, Day, Pages, Site};
use super::server::{decoded, http_date, Behavior, Make, Resource, VIEWER, XXGK_REPORT};
use super::{ExpectedReport, Family};
use crate::html::article_html;
use crate::layout::{layout, Part};
use crate::render_docx;
use crate::rng::Rng;
use crate::truth::{Noise, Truth};

/// A generated report printed to PDF by LibreOffice: what PDF attachments hold. Its
/// figures are those of `Truth::random(7, T2021, Noise::ALL)`, not the listed body's.
const PDF: &[u8] = include_bytes!("../../../extract/tests/pdf/gen-7-2021.pdf");
const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The report's layout with its title printed as the site prints it (over two lines when
/// the truth says so).
fn retitled(truth: &Truth, title: &str) -> Vec<Part> {
    let mut parts = layout(truth);
    if truth.split_title {
        let at = title.find("政府信息公开").unwrap_or(title.len());
        parts[0] = Part::Paragraph(title[..at].to_string());
        parts[1] = Part::Paragraph(title[at..].to_string());
    } else {
        parts[0] = Part::Paragraph(title.to_string());
    }
    parts
}

/// A URL's component percent-encoded, as `file=` parameters often are.
fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn day(article: &Article) -> Day {
    (article.date.y, article.date.m, article.date.d)
}

impl Site {
    pub fn articles(&mut self) {
        let pages = self.pages.clone();
        for (a, article) in pages.plan.articles.iter().enumerate() {
            let path = article.path.as_str();
            match &article.kind {
                Kind::Report(r) => self.report(a, *r),
                Kind::Bundle(members) => {
                    self.page(path, day(article), move |p| p.bundle_page(a));
                    self.truth.traps.push(path.to_string());
                    for &r in members {
                        self.report_files(r, day(article));
                        self.expect(r, None);
                    }
                }
                Kind::Trap => {
                    self.page(path, day(article), move |p| p.trap_page(a));
                    self.truth.traps.push(path.to_string());
                }
                Kind::Draft => {
                    self.page(path, day(article), move |p| p.draft_page(a));
                    self.truth.traps.push(path.to_string());
                    self.truth.disallowed.push(path.to_string());
                }
                Kind::News => self.page(path, day(article), move |p| p.news_page(a)),
                Kind::Dead => self.truth.dead.push(path.to_string()),
                Kind::Offsite(url) => self.truth.offsite.push(url.clone()),
            }
        }
        if let Some(a) = pages.plan.flaky {
            let path = &pages.plan.articles[a].path;
            if let Some(r) = self.content.resources.get_mut(path) {
                r.behavior = Behavior::FailOnce;
                self.truth.flaky.push(path.clone());
            }
        }
    }

    fn report(&mut self, a: usize, r: usize) {
        let pages = self.pages.clone();
        let article = &pages.plan.articles[a];
        self.page(&article.path, day(article), move |p| p.report_page(a, r));
        self.report_files(r, day(article));
        self.expect(r, Some(article.path.clone()));
    }

    /// A report's attachments: its DOCX, or the PDF.
    fn report_files(&mut self, r: usize, day: Day) {
        let pages = self.pages.clone();
        for file in &pages.plan.attachments[r] {
            if pages.plan.file_is_pdf(file) {
                self.file(file, "application/pdf", day, |_| PDF.to_vec());
            } else {
                self.file(file, DOCX_TYPE, day, move |p| {
                    let (_, parts) = p.report_parts(r);
                    render_docx(&parts, p.plan.reports[r].seed)
                });
            }
            if let Some((_, disposition)) = pages.plan.vary.download.get(file) {
                if let Some(resource) = self.content.resources.get_mut(file) {
                    resource.disposition = Some(disposition.clone());
                }
            }
        }
    }

    fn expect(&mut self, r: usize, page: Option<String>) {
        let plan = &self.pages.plan;
        let report = &plan.reports[r];
        let attachments = plan.attachments[r].clone();
        let pdf = attachments.iter().any(|f| plan.file_is_pdf(f));
        let (truth, _) = self.pages.report_parts(r);
        self.truth.reports.push(ExpectedReport {
            page,
            attachments,
            agency: plan.bodies[report.body].place.agency_full.to_string(),
            year: report.year,
            title: report.title.clone(),
            truth: (!pdf).then_some(truth),
        });
    }

    /// An xxgk body's column: its years as links or as a `<select>`'s options; years
    /// with no report answer "暂无" from the module.
    pub fn xxgk_column(&mut self, c: usize) {
        let pages = self.pages.clone();
        let plan = &pages.plan;
        let col = &plan.columns[c];
        let xxgk = col.xxgk.as_ref().expect("an xxgk column");
        self.page(&col.path, (plan.last + 1, 3, 1), move |p| {
            p.xxgk_column_page(c)
        });
        for &y in &xxgk.years {
            let has = plan
                .reports
                .iter()
                .any(|r| r.year == y && Some(r.body) == col.body && r.delivery == Delivery::Xxgk);
            if !has {
                self.truth.traps.push(xxgk_url(&xxgk.area, y));
            }
        }
        let title = format!("{}政府信息公开工作年度报告", col.name);
        let make: Make =
            Arc::new(move || Pages::xxgk_page(&title, "<p>暂无该年度报告。</p>").into_bytes());
        let day = http_date(plan.last + 1, 3, 1);
        let page = Resource::new(make, "text/html; charset=utf-8", day);
        self.content.xxgk_empty.insert(xxgk.area.clone(), page);
    }
}

fn xxgk_url(area: &str, year: u16) -> String {
    format!("{XXGK_REPORT}?area={area}&fbtime={year}")
}

impl Pages {
    /// A report's truth (its body's place and year) and its layout under its title.
    fn report_parts(&self, r: usize) -> (Truth, Vec<Part>) {
        let report = &self.plan.reports[r];
        let truth = report.truth(&self.plan.bodies[report.body]);
        let parts = retitled(&truth, &report.title);
        (truth, parts)
    }

    /// The metadata block above an article (domain.md §3.4).
    fn meta(&self, article: &Article, publisher: &str, category: &str) -> String {
        format!(
            "<table class=\"xxgk-meta\"><tr><td>索引号：</td><td>{code}00/{y}-{id:05}</td>\
             <td>发布机构：</td><td>{publisher}</td></tr><tr><td>发布日期：</td><td>{date}</td>\
             <td>主题分类：</td><td>{category}</td></tr></table>",
            code = self.plan.district.code,
            y = article.date.y,
            id = article.id % 100_000,
            date = article.date.iso(),
        )
    }

    /// An article page in the family's furniture.
    fn article_page(
        &self,
        article: &Article,
        publisher: &str,
        category: &str,
        body: &str,
    ) -> String {
        let title = escape(&article.title);
        let (head, class) = match self.plan.family {
            Family::Trs => (String::new(), "TRS_Editor"),
            Family::Hanweb => (
                format!(
                    "<meta name=\"ArticleTitle\" content=\"{title}\">\n<meta name=\"ColumnName\" content=\"{}\">\n",
                    self.plan.columns[article.home].name
                ),
                "zoom",
            ),
        };
        let main = format!(
            "{meta}<div class=\"article\"><h1 class=\"title\">{title}</h1>\
             <div class=\"{class}\">\n{body}</div></div>",
            meta = self.meta(article, publisher, category),
        );
        self.chrome(&title, article.home, &head, &main)
    }

    /// How an article links a file of its own: beside it (TRS, relative) or absolute;
    /// a Chinese name printed raw on some pages, percent-encoded on others.
    fn href(&self, article: &Article, file: &str) -> String {
        let dir = &article.path[..article.path.rfind('/').map_or(0, |i| i + 1)];
        let href = match (self.plan.family, file.strip_prefix(dir)) {
            (Family::Trs, Some(rest)) => format!("./{rest}"),
            _ => file.to_string(),
        };
        if article.id.is_multiple_of(2) {
            decoded(&href)
        } else {
            href
        }
    }

    fn report_page(&self, a: usize, r: usize) -> String {
        let article = &self.plan.articles[a];
        let report = &self.plan.reports[r];
        let (truth, parts) = self.report_parts(r);
        let files = &self.plan.attachments[r];
        let publisher = truth.place.agency_full;
        let category = "政府信息公开年报";
        let mut rng = Rng::new(report.seed ^ 0x5EED);
        match report.delivery {
            Delivery::Page { .. } => {
                let mut body = article_html(&parts, &mut rng);
                for file in files {
                    body += &format!(
                        "<p class=\"fj\">附件：<a href=\"{}\">{}.docx</a></p>\n",
                        self.href(article, file),
                        escape(&report.title)
                    );
                }
                self.article_page(article, publisher, category, &body)
            }
            Delivery::Attachment { viewer: true, .. } => {
                let body = self.viewer(article, &files[0]);
                self.article_page(article, publisher, category, &body)
            }
            Delivery::Attachment { in_script, .. } => {
                let body = self.attachment_only(article, &files[0], in_script, &report.title);
                self.article_page(article, publisher, category, &body)
            }
            Delivery::Xxgk => Pages::xxgk_page(&report.title, &article_html(&parts, &mut rng)),
            Delivery::Bundled => unreachable!("bundled reports have no article"),
        }
    }

    /// An article whose only content is the file: an anchor in one of the ways sites word
    /// it, or only a script string that puts the link in at load time.
    fn attachment_only(
        &self,
        article: &Article,
        file: &str,
        in_script: bool,
        title: &str,
    ) -> String {
        let pdf = self.plan.file_is_pdf(file);
        let ext = match self.plan.vary.download.get(file) {
            Some(_) if pdf => "pdf",
            Some(_) => "docx",
            None => file.rsplit('.').next().unwrap_or("pdf"),
        };
        if in_script {
            return format!(
                "<div id=\"appendix\"></div>\n<script type=\"text/javascript\">\n\
                 var file_appendix = '{file}';\n\
                 if (file_appendix != '') {{ var a = document.createElement('a'); a.href = file_appendix; \
                 a.innerHTML = '附件下载'; document.getElementById('appendix').appendChild(a); }}\n</script>\n"
            );
        }
        let word = if pdf { "PDF" } else { "Word" };
        let download = self.plan.vary.download.contains_key(file);
        let text = match article.id % 3 {
            0 if download => "下载".to_string(),
            0 => format!("附件：{}.{ext}", escape(title)),
            1 => format!("{}.{ext}", escape(title)),
            _ if download => "【下载附件】".to_string(),
            _ => format!("【下载{word}】"),
        };
        format!(
            "<p style=\"text-indent: 2em;\"><a href=\"{}\" target=\"_blank\">{text}</a></p>\n",
            self.href(article, file)
        )
    }

    /// A PDF shown in an embedded PDF.js viewer, the file only in its `file=` parameter:
    /// as a path, percent-encoded, or a whole URL percent-encoded.
    fn viewer(&self, article: &Article, file: &str) -> String {
        let param = match article.id % 3 {
            0 => file.to_string(),
            1 => encode_component(file),
            _ => encode_component(&format!("http://{}{file}", self.host)),
        };
        format!(
            "<div class=\"pdf-view\"><iframe src=\"{VIEWER}?file={param}\" width=\"100%\" \
             height=\"900\" frameborder=\"0\"></iframe></div>\n"
        )
    }

    /// The xxgk module's own page around a report (or around "暂无").
    fn xxgk_page(title: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{t}</title></head><body>\n\
             <div class=\"xxgk-nb\"><div class=\"nb-title\"><h1>{t}</h1></div>\n\
             <div class=\"nb-content\">{body}</div>\n\
             <div class=\"nb-back\"><a href=\"/\">返回首页</a></div></div></body></html>",
            t = escape(title)
        )
    }

    fn xxgk_column_page(&self, c: usize) -> String {
        let col = &self.plan.columns[c];
        let xxgk = col.xxgk.as_ref().expect("an xxgk column");
        let years = if xxgk.select {
            let options: String = xxgk
                .years
                .iter()
                .map(|&y| {
                    format!(
                        "<option value=\"{}\">{y}年度</option>",
                        xxgk_url(&xxgk.area, y)
                    )
                })
                .collect();
            format!(
                "<select id=\"nbYear\" onchange=\"if(this.value!='')window.open(this.value)\">\
                 <option value=\"\">请选择年度</option>{options}</select>"
            )
        } else {
            let links: String = xxgk
                .years
                .iter()
                .map(|&y| {
                    let url = xxgk_url(&xxgk.area, y);
                    format!("<li><a href=\"{url}\" target=\"_blank\">{y}年</a></li>")
                })
                .collect();
            format!("<ul class=\"nb-years\">{links}</ul>")
        };
        let main = format!(
            "<h2>{}</h2>{}<div class=\"xxgk-nb\">{years}</div>",
            col.name,
            self.parent_menu(col)
        );
        self.chrome(&col.name, c, "", &main)
    }

    fn office(&self) -> String {
        format!("{}人民政府办公室", self.plan.district.prefix())
    }

    /// A notice, not a report, whose attachments are the reports of several bodies.
    fn bundle_page(&self, a: usize) -> String {
        let article = &self.plan.articles[a];
        let Kind::Bundle(members) = &article.kind else {
            unreachable!("a bundle")
        };
        let mut links = String::new();
        for &r in members {
            let report = &self.plan.reports[r];
            for file in &self.plan.attachments[r] {
                let ext = file.rsplit('.').next().unwrap_or("pdf");
                links += &format!(
                    "<p><a href=\"{}\">{}.{ext}</a></p>\n",
                    self.href(article, file),
                    escape(&report.title)
                );
            }
        }
        let body = format!(
            "<p style=\"text-indent: 2em;\">根据《中华人民共和国政府信息公开条例》规定，现将各街道（镇）\
             政府信息公开工作年度报告予以公开。</p>\n{links}"
        );
        self.article_page(article, &self.office(), "通知公告", &body)
    }

    fn trap_page(&self, a: usize) -> String {
        let article = &self.plan.articles[a];
        let text = if article.title.starts_with("关于") {
            "各街道办事处、镇人民政府，区政府各部门：现将有关事项通知如下，请认真贯彻落实。"
        } else if article.title.contains("解读") || article.title.contains('图') {
            "一、报告的主要内容。二、主动公开情况。三、依申请公开情况。（图文解读）"
        } else {
            "一、主要工作情况。二、存在的问题。三、下一步工作安排。"
        };
        let body = format!("<p style=\"text-indent: 2em;\">{text}</p>\n");
        self.article_page(article, &self.office(), "通知公告", &body)
    }

    /// A draft with a whole report in it, where robots.txt forbids crawling.
    fn draft_page(&self, a: usize) -> String {
        let article = &self.plan.articles[a];
        let truth = Truth::random(article.id, nianbao_model::Template::T2021, Noise::ALL);
        let mut rng = Rng::new(article.id);
        let body = article_html(&retitled(&truth, &article.title), &mut rng);
        self.article_page(article, "", "政府信息公开年报", &body)
    }

    fn news_page(&self, a: usize) -> String {
        let article = &self.plan.articles[a];
        let body = format!(
            "<p style=\"text-indent: 2em;\">{}。会议强调，要坚持问题导向，压实工作责任。</p>\n",
            escape(&article.title)
        );
        self.article_page(article, "区融媒体中心", "新闻", &body)
    }
}
