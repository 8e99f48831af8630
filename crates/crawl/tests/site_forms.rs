//! Small sites, each in one of the forms real portals take on the way to their reports,
//! crawled from their home pages over loopback HTTP: what is found, and what the crawl
//! says of what it could not follow.

mod common;

use std::time::Duration;

use common::latest;
use common::server::{Reply, ScriptedServer};
use nianbao_crawl::store::{Kind, Manifest, Outcome};
use nianbao_crawl::{crawl, CrawlConfig, CrawlSummary};
use url::Url;

fn run(server: &ScriptedServer, corpus: &std::path::Path) -> CrawlSummary {
    let start = Url::parse(&server.url("/")).unwrap();
    let mut config = CrawlConfig::new(vec![start], corpus.to_path_buf());
    config.rate = 200.0;
    config.backoff = Duration::from_millis(10);
    crawl(&config, &|_| {}).expect("the crawl ends")
}

fn page(title: &str, body: &str) -> Reply {
    Reply::html(&format!(
        "<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>{body}</body></html>"
    ))
}

/// A report page whose title names it.
fn report(n: usize) -> Reply {
    let title = format!("第{n}街道2023年政府信息公开工作年度报告");
    page(&title, &format!("<h1>{title}</h1><p>一、总体情况</p>"))
}

fn item(n: usize) -> String {
    format!(
        "<li><a href=\"/ndbg/t20240120_{n}.html\">第{n}街道2023年政府信息公开工作年度报告</a></li>"
    )
}

fn stored_reports(corpus: &std::path::Path) -> Vec<String> {
    let mut urls: Vec<String> = latest(corpus)
        .into_values()
        .filter(|r| r.kind == Some(Kind::Report) && r.outcome == Some(Outcome::Fetched))
        .map(|r| Url::parse(&r.url).unwrap().path().to_string())
        .collect();
    urls.sort();
    urls
}

#[test]
fn a_pager_call_with_its_element_id_first_is_read_to_the_last_page() {
    let server = ScriptedServer::start(|asked| {
        let pager = |current: usize| {
            format!("<div id=\"page_div\"></div><script>createPageHTML('page_div', 3, {current}, 'index', 'shtml', 6);</script>")
        };
        match asked.path.as_str() {
            "/" => page("某区", "<a href=\"/ndbg/index.shtml\">政府信息公开年报</a>"),
            "/ndbg/index.shtml" => page("年报", &format!("{}{}{}", item(1), item(2), pager(0))),
            "/ndbg/index_1.shtml" => page("年报", &format!("{}{}{}", item(3), item(4), pager(1))),
            "/ndbg/index_2.shtml" => page("年报", &format!("{}{}{}", item(5), item(6), pager(2))),
            p if p.starts_with("/ndbg/t20240120_") => {
                let n = p["/ndbg/t20240120_".len()..p.len() - 5].parse().unwrap();
                report(n)
            }
            _ => Reply::status(404),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let summary = run(&server, dir.path());
    assert_eq!(stored_reports(dir.path()).len(), 6);
    assert!(summary.pages_unread.is_empty());
}

#[test]
fn a_listing_whose_later_pages_cannot_be_followed_is_recorded() {
    let server = ScriptedServer::start(|asked| match asked.path.as_str() {
        "/" => page("某区", "<a href=\"/ndbg/List.aspx\">政府信息公开年报</a>"),
        "/ndbg/List.aspx" => page(
            "年报",
            &format!(
                "{}{}<div class=\"pager\">共6条 第1/3页 \
                 <a href=\"javascript:__doPostBack('ctl00$pager','2')\">下一页</a> \
                 <a href=\"javascript:__doPostBack('ctl00$pager','3')\">尾页</a></div>",
                item(1),
                item(2)
            ),
        ),
        p if p.starts_with("/ndbg/t20240120_") => report(1),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let summary = run(&server, dir.path());
    let listing = server.url("/ndbg/List.aspx");
    assert_eq!(summary.pages_unread, vec![listing.clone()]);
    let manifest = Manifest::load(dir.path()).unwrap();
    let note = manifest
        .records
        .iter()
        .find(|r| r.event == "pages_unread")
        .expect("a pages_unread record");
    assert_eq!(note.url, listing);
    assert!(note.error.contains("3 pages"), "{}", note.error);
    // The first page's reports are still taken.
    assert_eq!(stored_reports(dir.path()).len(), 2);
}

/// A report's whole text: its six sections and its tables' labels.
const REPORT_TEXT: &str = "<p>一、总体情况</p><p>二、主动公开政府信息情况</p>\
    <table><tr><td>信息内容</td><td>本年制发件数</td></tr></table>\
    <p>三、收到和处理政府信息公开申请情况</p><table><tr><td>本年新收政府信息公开申请数量</td><td>4</td></tr></table>\
    <p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况</p><p>六、其他需要报告的事项</p>";

#[test]
fn a_page_fetched_on_the_way_that_shows_a_report_is_stored_once_as_one() {
    let server = ScriptedServer::start(|asked| {
        let column = format!(
            "<h1>某区2023年政府信息公开工作年度报告</h1>{REPORT_TEXT}\
             <p>往年年报</p><ul><li><a href=\"/ndbg/t20230120_1.html\">某区2022年政府信息公开工作年度报告</a></li></ul>"
        );
        match asked.path.as_str() {
            "/" => page(
                "某区",
                "<a href=\"/ndbg/index.html\">政府信息公开年报</a>\
                 <a href=\"/tzgg/index.html\">部门信息公开年报</a>",
            ),
            // A column in single-article mode, also reached by its article's own URL
            // under a cut title (only the page can tell).
            "/ndbg/index.html" | "/ndbg/t20240120_9.html" => page("某区2023年政府信息公开工作年度报告", &column),
            "/ndbg/t20230120_1.html" => report(1),
            "/tzgg/index.html" => page(
                "部门信息公开年报",
                "<a href=\"/tzgg/t1.html\">关于印发《某区2023年政府信息公开工作年度报告》的通知</a>\
                 <a href=\"/tzgg/t2.html\">关于做好2023年政府信息公开工作年度报告编制工作的通知</a>\
                 <a href=\"/tzgg/t3.html\">某区2023年政府信息公开工作年度报告解读</a>\
                 <a href=\"/ndbg/t20240120_9.html\">某区2023年政府信息公开...</a>",
            ),
            // A notice printing the report it publishes.
            "/tzgg/t1.html" => page(
                "关于印发《某区2023年政府信息公开工作年度报告》的通知",
                &format!("<p>现将报告印发给你们。</p><p>某区2023年政府信息公开工作年度报告</p>{REPORT_TEXT}"),
            ),
            // Naming the sections, printing no table.
            "/tzgg/t2.html" => page(
                "关于做好2023年政府信息公开工作年度报告编制工作的通知",
                "<p>一、总体情况；二、主动公开情况；三、收到和处理政府信息公开申请情况；\
                 四、复议诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。</p>",
            ),
            // Quoting the report, tables and all.
            "/tzgg/t3.html" => page("某区2023年政府信息公开工作年度报告解读", REPORT_TEXT),
            _ => Reply::status(404),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    run(&server, dir.path());
    let reports = stored_reports(dir.path());
    // The column's article bytes are the column's: one of the two, never both.
    let copies = ["/ndbg/index.html", "/ndbg/t20240120_9.html"]
        .iter()
        .filter(|p| reports.contains(&p.to_string()))
        .count();
    assert_eq!(copies, 1, "{reports:?}");
    // Its older years are still followed.
    assert!(
        reports.contains(&"/ndbg/t20230120_1.html".to_string()),
        "{reports:?}"
    );
    let notice = reports
        .iter()
        .filter(|p| p.starts_with("/tzgg/"))
        .collect::<Vec<_>>();
    assert_eq!(notice, ["/tzgg/t1.html"], "{reports:?}");
}
