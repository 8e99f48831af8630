//! Where a page's links lead, scored for the best-first search (domain.md §3.9).
//!
//! A link is judged by its words (the title grammar and the names of sections, report
//! columns, years, kinds of body and bodies), where it sits (the site's menus or the
//! page's content), the shape of its URL (report-column slugs, articles, listings) and
//! what the search knows of the page it is on: whether that page is inside the report
//! columns. A page is inside them because of what it links to (reports) or how it was
//! reached (a report column's name, a hub's body, kind or year), not where it sits.

use nianbao_wording::site::{
    body_and_year, heading, Heading, DISCLOSURE_SLUGS, REPORT_COLUMN_SLUGS,
};
use nianbao_wording::{parse_title, Title, TitleKind};
use url::Url;

use crate::discover::{is_article, is_file_link, Link, Position};

/// What the search knows of a page when it reads the page's links.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// Inside the report columns: a 年报 hub, a body's or a year's column, a listing of
    /// reports.
    pub in_reports: bool,
    /// Pages since the last one that listed reports or was named as a report column.
    pub hops: u8,
    /// The column's name as the link to it printed it (区财政局): what a bare-year listing
    /// item (`2023年度报告`) leaves out.
    pub column: String,
}

/// Priorities of the search, highest first. Reports are fetched as soon as they are
/// found; then listings of reports go on; then the way towards them.
pub mod score {
    pub const REPORT: u32 = 100;
    pub const MAYBE_REPORT: u32 = 90;
    pub const MORE_PAGES: u32 = 70;
    pub const REPORT_COLUMN: u32 = 60;
    pub const HUB_CHILD: u32 = 50;
    pub const NOTICE: u32 = 30;
    pub const SECTION: u32 = 20;
    /// Lost for each page since the last evidence, so nearer ways are taken first.
    pub const PER_HOP: u32 = 3;
}

/// Where a link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lead {
    /// A report page or file, by its title; `verify`: only the page itself can say.
    Report {
        verify: bool,
    },
    /// A file of the report page the link is on.
    Attachment,
    /// A page to visit, with its priority and what the search will know there.
    Page {
        score: u32,
        context: Context,
    },
    Nowhere,
}

/// What a page is, from its links and how it was reached.
pub fn page_context(reached: &Context, links: &[Link], title: &str) -> Context {
    // Report titles, and bare years (`2023年度报告`) beside at least one of them.
    let (mut reports, mut bare_years) = (0, 0);
    for link in links {
        let listed = parse_title(link.label());
        if listed.is_report() {
            reports += 1;
        } else if listed.kind == TitleKind::YearOnly {
            bare_years += 1;
        }
    }
    let named_column = parse_title(title).is_report_column();
    let evidence = (reports >= 1 && reports + bare_years >= 2)
        || (reports == 1 && reached.in_reports)
        || named_column;
    Context {
        in_reports: reached.in_reports || evidence,
        hops: if evidence { 0 } else { reached.hops },
        column: reached.column.clone(),
    }
}

/// Where `link`, on a page of `context` (a report page if `on_report`), leads; pages
/// further than `max_hops` from any evidence lead nowhere.
pub fn lead(link: &Link, context: &Context, on_report: bool, max_hops: u8) -> Lead {
    let label = link.label();
    let title = parse_title(label);
    // A body and a year inside the report columns: a table cell of a hub (区教育局 ×
    // 2023年) whose own word (查看, 下载) said nothing.
    let body_year = context.in_reports && body_and_year(label).is_some();
    if is_file_link(link) {
        return if on_report {
            Lead::Attachment
        } else if title.is_report() || body_year {
            // A file cannot be read for what it is: its title, or its cell, says.
            Lead::Report { verify: false }
        } else {
            Lead::Nowhere
        };
    }
    if on_report {
        return Lead::Nowhere; // a report page's other links lead to other articles and menus
    }
    if link.position == Position::Frame {
        // Part of this page (a frame, a refresh): read with what is known of the page.
        let base = if context.in_reports {
            score::HUB_CHILD
        } else {
            score::SECTION
        };
        return Lead::Page {
            score: base.saturating_sub(u32::from(context.hops) * score::PER_HOP),
            context: context.clone(),
        };
    }
    if title.is_report() {
        // A title cut short may have lost what makes it no report (…解读, （送审稿）).
        return Lead::Report { verify: title.cut };
    }
    let named = heading(label);
    let content = link.position == Position::Content;
    if body_year || may_be_report(link, &title, named, context) {
        return Lead::Report { verify: true };
    }
    if title.kind == TitleKind::Notice && context.in_reports && content {
        // A notice publishing reports may carry them as its attachments.
        return Lead::Page {
            score: score::NOTICE,
            context: Context {
                hops: context.hops.saturating_add(1),
                ..context.clone()
            },
        };
    }
    let names_a_way = matches!(named, Heading::ReportColumn | Heading::Year);
    if is_article(&link.url)
        || !(names_a_way || matches!(title.kind, TitleKind::Unrelated | TitleKind::AnnualReport))
    {
        return Lead::Nowhere;
    }
    page_lead(link, named, context, max_hops)
}

/// A link only the page it leads to can tell a report or not: a bare year or a cut title
/// inside the report columns, a title cut after its year, the xxgk module's page, a body's
/// or a year's name linking straight to an article.
fn may_be_report(link: &Link, title: &Title, named: Heading, context: &Context) -> bool {
    match title.kind {
        TitleKind::YearOnly => context.in_reports,
        TitleKind::Truncated => context.in_reports || title.year.is_some(),
        TitleKind::Unrelated => {
            (title.cut && context.in_reports)
                || is_report_module(&link.url)
                || (context.in_reports
                    && link.position == Position::Content
                    && is_article(&link.url)
                    && matches!(named, Heading::Body | Heading::Year))
        }
        _ => false,
    }
}

/// A link to a page that is not a report: a section, a report column, a hub's child. A
/// link without words (an image without `alt` or `title`) is judged by its URL and its
/// image's file name alone: it leads to a report column or a section where they name one.
fn page_lead(link: &Link, named: Heading, context: &Context, max_hops: u8) -> Lead {
    let content = link.position == Position::Content;
    let wordless = link.label().is_empty();
    let report_slug =
        has_slug(&link.url, REPORT_COLUMN_SLUGS) || names_slug(&link.image, REPORT_COLUMN_SLUGS);
    // Words that name nothing on the way are taken over a slug; no words leave the slug.
    let named_or_wordless = named != Heading::Other || wordless;
    // A hub's children sit in its content, or — years and kinds of body, which a site's
    // own menus never name — in a side menu of the report columns.
    let hub_child = context.in_reports
        && match named {
            Heading::Body => content,
            Heading::Year | Heading::BodyKind => true,
            _ => false,
        };
    let (base, in_reports) = match named {
        Heading::ReportColumn => (score::REPORT_COLUMN, true),
        _ if report_slug && named_or_wordless => (score::REPORT_COLUMN, true),
        _ if hub_child => (score::HUB_CHILD, true),
        Heading::Section => (score::SECTION, false),
        _ if has_slug(&link.url, DISCLOSURE_SLUGS) && named_or_wordless => (score::SECTION, false),
        _ => return Lead::Nowhere,
    };
    let evidence = matches!(named, Heading::ReportColumn) || report_slug;
    let hops = if evidence {
        0
    } else {
        context.hops.saturating_add(1)
    };
    if hops > max_hops {
        return Lead::Nowhere;
    }
    let column = if hub_child && named == Heading::Body {
        link.label().to_string()
    } else {
        context.column.clone()
    };
    Lead::Page {
        score: base.saturating_sub(u32::from(hops) * score::PER_HOP),
        context: Context {
            in_reports,
            hops,
            column,
        },
    }
}

/// The Hanweb xxgk module's page of one body and year (`xxgkAnnualReport.jsp?…fbtime=`).
pub fn is_report_module(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    path.contains("/module/xxgk/") && path.contains("annualreport")
}

/// A file name whose words (`ztzl_zfxxgknb.jpg`: `ztzl`, `zfxxgknb`) include a slug.
fn names_slug(file: &str, slugs: &[&str]) -> bool {
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    stem.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| slugs.contains(&word.to_ascii_lowercase().as_str()))
}

fn has_slug(url: &Url, slugs: &[&str]) -> bool {
    url.path_segments().is_some_and(|mut segments| {
        segments.any(|s| {
            let s = s.to_ascii_lowercase();
            slugs.iter().any(|slug| s == *slug)
        })
    })
}

/// The first of a page's own titles that is a report title.
pub fn names_report(titles: &[String]) -> Option<&String> {
    titles.iter().find(|t| parse_title(t).is_report())
}

/// The text of a report: the subject's words and the headings of four of its six
/// sections.
pub fn reads_as_report(text: &str) -> bool {
    text.contains("政府信息公开")
        && nianbao_wording::markers::SECTION_KEYWORDS
            .iter()
            .filter(|keywords| keywords.iter().any(|k| text.contains(k)))
            .count()
            >= 4
}

/// The text of a report with its tables: what a page fetched as a way onwards (a column,
/// a notice, the xxgk module's page) must print to be stored as the report it shows. The
/// headings alone are not enough there: a notice about compiling reports names the six
/// sections too, but never prints the tables' labels.
pub fn prints_report(text: &str) -> bool {
    use nianbao_wording::markers::{FORMAT_2019, FORMAT_2021, FORMAT_SHARED};
    reads_as_report(text)
        && [FORMAT_SHARED, FORMAT_2021, FORMAT_2019]
            .iter()
            .any(|labels| labels.iter().any(|l| text.contains(l)))
}

/// A page whose own title names a report's look-alike other than a notice (解读, 图解, a
/// draft, another kind of report): never stored as the report, whatever it quotes of it.
/// A notice may carry the report it publishes (关于印发《…年度报告》的通知).
pub fn titled_look_alike(titles: &[String]) -> bool {
    titles.first().is_some_and(|t| {
        let kind = parse_title(t).kind;
        kind != TitleKind::Notice && kind.look_alike().is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(href: &str, text: &str, position: Position) -> Link {
        Link {
            url: Url::parse(href).unwrap(),
            text: text.into(),
            title: String::new(),
            date: None,
            position,
            image: String::new(),
        }
    }

    fn outside() -> Context {
        Context::default()
    }

    fn inside() -> Context {
        Context {
            in_reports: true,
            ..Context::default()
        }
    }

    /// A report's text: its six sections' headings and, with `tables`, its tables' labels.
    fn report_text(tables: bool) -> String {
        let mut text =
            "姑苏区2023年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n\
             三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n\
             五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
                .to_string();
        if tables {
            text += "信息内容 本年制发件数 本年废止件数 现行有效件数\n本年新收政府信息公开申请数量 461\n";
        }
        text
    }

    #[test]
    fn a_page_prints_a_report_with_its_tables_not_with_its_headings_alone() {
        assert!(prints_report(&report_text(true)));
        // A notice about compiling reports names every section, and prints no table.
        assert!(reads_as_report(&report_text(false)));
        assert!(!prints_report(&report_text(false)));
        assert!(!prints_report(
            "2024年政务公开工作要点：一、主动公开。二、依申请公开。"
        ));
    }

    #[test]
    fn a_page_titled_as_a_look_alike_other_than_a_notice_is_no_report() {
        let titled = |t: &str| titled_look_alike(&[t.to_string()]);
        assert!(titled(
            "北宫镇2023年政府信息公开工作年度报告解读_丰台区人民政府"
        ));
        assert!(titled("图解：2023年政府信息公开工作年度报告"));
        assert!(titled("丰台区2023年法治政府建设年度报告"));
        assert!(!titled(
            "区政府办公室关于印发《姑苏区2023年政府信息公开工作年度报告》的通知_姑苏区"
        ));
        assert!(!titled("丽水市人民政府政府信息公开年度报告"));
        assert!(!titled("首页_丽水市人民政府"));
        assert!(!titled_look_alike(&[]));
    }

    #[test]
    fn the_way_in_is_named_by_sections_and_report_columns() {
        let nav = link("http://x.gov.cn/zwgk/", "政务公开", Position::Menu);
        assert!(
            matches!(lead(&nav, &outside(), false, 4), Lead::Page { score: s, .. } if s < score::REPORT_COLUMN)
        );
        let column = link(
            "http://x.gov.cn/col/col5/index.html",
            "政府信息公开年报",
            Position::Menu,
        );
        assert!(
            matches!(lead(&column, &outside(), false, 4), Lead::Page { context, .. } if context.in_reports)
        );
        let news = link("http://x.gov.cn/xwzx/", "新闻中心", Position::Menu);
        assert_eq!(lead(&news, &inside(), false, 4), Lead::Nowhere);
        let far = Context {
            hops: 4,
            ..outside()
        };
        assert_eq!(lead(&nav, &far, false, 4), Lead::Nowhere);
    }

    #[test]
    fn an_image_link_leads_by_its_words_or_else_by_its_slugs() {
        let banner = link(
            "http://x.gov.cn/xxfb/c100218/index.html",
            "政府信息公开年度报告专栏",
            Position::Content,
        );
        assert!(
            matches!(lead(&banner, &outside(), false, 4), Lead::Page { context, .. } if context.in_reports)
        );
        let wordless = |href: &str, image: &str| Link {
            image: image.into(),
            ..link(href, "", Position::Content)
        };
        let by_url = wordless("http://x.gov.cn/zwgk/zfxxgknb/index.html", "banner03.jpg");
        let by_image = wordless("http://x.gov.cn/c100218/index.html", "ztzl_zfxxgknb.jpg");
        for l in [by_url, by_image] {
            assert!(
                matches!(lead(&l, &outside(), false, 4), Lead::Page { score: score::REPORT_COLUMN, context } if context.in_reports),
                "{l:?}"
            );
        }
        let section = wordless(
            "http://x.gov.cn/xxfb/xxgk/c100218/index.html",
            "banner03.jpg",
        );
        assert!(
            matches!(lead(&section, &outside(), false, 4), Lead::Page { score, context } if score < score::REPORT_COLUMN && !context.in_reports)
        );
        let nothing = wordless("http://x.gov.cn/c100218/index.html", "banner03.jpg");
        assert_eq!(lead(&nothing, &outside(), false, 4), Lead::Nowhere);
        // Words that name nothing on the way are not overruled by a slug.
        let other = link(
            "http://x.gov.cn/zwgk/ndbg/a.html",
            "视频新闻",
            Position::Content,
        );
        assert_eq!(lead(&other, &outside(), false, 4), Lead::Nowhere);
    }

    #[test]
    fn a_hubs_cell_of_a_body_and_a_year_may_be_a_report() {
        let cell = link(
            "http://x.gov.cn/zwgk/xxgknb/2024/5504.shtml",
            "区教育局 2023年",
            Position::Content,
        );
        assert_eq!(
            lead(&cell, &inside(), false, 4),
            Lead::Report { verify: true }
        );
        assert_eq!(lead(&cell, &outside(), false, 4), Lead::Nowhere);
        let file = link(
            "http://x.gov.cn/zwgk/xxgknb/5504.docx",
            "区教育局 2023年",
            Position::Content,
        );
        assert_eq!(
            lead(&file, &inside(), false, 4),
            Lead::Report { verify: false }
        );
    }

    #[test]
    fn a_frame_is_read_with_what_is_known_of_its_page() {
        let frame = link("http://x.gov.cn/web/main.htm", "", Position::Frame);
        let Lead::Page { context, .. } = lead(&frame, &inside(), false, 4) else {
            panic!("a frame is part of its page")
        };
        assert_eq!(context, inside());
        assert!(matches!(
            lead(&frame, &outside(), false, 4),
            Lead::Page { .. }
        ));
    }

    #[test]
    fn a_hubs_bodies_kinds_and_years_are_followed_only_inside() {
        for text in ["区财政局", "良渚街道", "区政府部门", "2023年度"] {
            let child = link(
                "http://x.gov.cn/col/col9/index.html",
                text,
                Position::Content,
            );
            assert!(
                matches!(lead(&child, &inside(), false, 4), Lead::Page { .. }),
                "{text}"
            );
            assert_eq!(lead(&child, &outside(), false, 4), Lead::Nowhere, "{text}");
        }
        let body = link(
            "http://x.gov.cn/col/col9/index.html",
            "区财政局",
            Position::Content,
        );
        let Lead::Page { context, .. } = lead(&body, &inside(), false, 4) else {
            panic!()
        };
        assert_eq!(context.column, "区财政局");
    }

    #[test]
    fn reports_cut_titles_and_bare_years() {
        let report = link(
            "http://x.gov.cn/a/t20240120_1.html",
            "某某局政府信息公开工作2023年度报告",
            Position::Content,
        );
        assert_eq!(
            lead(&report, &outside(), false, 4),
            Lead::Report { verify: false }
        );
        let year_only = link(
            "http://x.gov.cn/a/t20240120_2.html",
            "2023年度报告",
            Position::Content,
        );
        assert_eq!(
            lead(&year_only, &inside(), false, 4),
            Lead::Report { verify: true }
        );
        assert_eq!(lead(&year_only, &outside(), false, 4), Lead::Nowhere);
        let cut = link(
            "http://x.gov.cn/a/t20240120_3.html",
            "北宫镇人民政府2023年政府信息公开...",
            Position::Content,
        );
        assert_eq!(
            lead(&cut, &outside(), false, 4),
            Lead::Report { verify: true }
        );
        let module = link(
            "http://x.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=1&fbtime=2023",
            "2023",
            Position::Content,
        );
        assert_eq!(
            lead(&module, &outside(), false, 4),
            Lead::Report { verify: true }
        );
        for trap in [
            "北宫镇2023年政府信息公开工作年度报告解读",
            "丰台区2023年法治政府建设年度报告",
            "关于做好2023年政府信息公开...",
        ] {
            let l = link(
                "http://x.gov.cn/a/t20240120_4.html",
                trap,
                Position::Content,
            );
            assert!(
                !matches!(lead(&l, &inside(), false, 4), Lead::Report { .. }),
                "{trap}"
            );
            assert_eq!(lead(&l, &outside(), false, 4), Lead::Nowhere, "{trap}");
        }
        // A notice inside the report columns is read for the reports it attaches.
        let notice = link(
            "http://x.gov.cn/a/t20240120_5.html",
            "关于公布2023年度政府信息公开工作年度报告的通知",
            Position::Content,
        );
        assert!(matches!(
            lead(&notice, &inside(), false, 4),
            Lead::Page { .. }
        ));
        let file = link("http://x.gov.cn/a/P0.pdf", "", Position::Content);
        assert_eq!(lead(&file, &outside(), true, 4), Lead::Attachment);
        assert_eq!(lead(&file, &outside(), false, 4), Lead::Nowhere);
    }
}
