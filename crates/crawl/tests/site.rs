//! Crawling the fixture district site over real HTTP on 127.0.0.1.

mod common;

use std::time::Duration;

use common::latest;
use nianbao_crawl::store::{Kind, Manifest, Outcome, Record};
use nianbao_crawl::{crawl, CrawlConfig, CrawlSummary};
use nianbao_testkit::{site_paths, FixtureSite};
use url::Url;

/// Requests per second per host in these tests: fast, but slow enough to measure spacing.
const RATE: f64 = 20.0;

fn config(site: &FixtureSite, corpus: &std::path::Path) -> CrawlConfig {
    let mut config = CrawlConfig::new(
        vec![Url::parse(&site.url("/")).unwrap()],
        corpus.to_path_buf(),
    );
    config.rate = RATE;
    config.backoff = Duration::from_millis(50);
    config
}

fn run(site: &FixtureSite, corpus: &std::path::Path) -> CrawlSummary {
    crawl(&config(site, corpus), &|_| {}).expect("crawl runs")
}

#[test]
fn from_the_home_page_every_report_and_attachment_is_stored() {
    let site = FixtureSite::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let summary = run(&site, dir.path());
    let records = latest(dir.path());
    for report in site.reports() {
        let record = records
            .get(&site.url(&report.page))
            .or_else(|| {
                // The redirected report is recorded under the address the listing gave.
                (report.page == site_paths::REDIRECT_TARGET)
                    .then(|| records.get(&site.url(site_paths::REDIRECTED)))
                    .flatten()
            })
            .unwrap_or_else(|| panic!("{} not crawled", report.page));
        assert_eq!(record.kind, Some(Kind::Report), "{}", report.page);
        assert_eq!(
            record.outcome,
            Some(Outcome::Fetched),
            "{}: {}",
            report.page,
            record.error
        );
        let stored = std::fs::read(dir.path().join(&record.path)).unwrap();
        assert_eq!(Some(stored), site.body(&report.page), "{}", report.page);
        assert!(
            !record.listing.is_empty() && record.link_text.contains("年度报告"),
            "{record:?}"
        );
        assert!(!record.listed_date.is_empty(), "{record:?}");
        if let Some(attachment) = &report.attachment {
            let a = &records[&site.url(attachment)];
            assert_eq!(
                (a.kind, a.outcome),
                (Some(Kind::Attachment), Some(Outcome::Fetched))
            );
            assert_eq!(a.parent, site.url(&report.page));
            assert!(a.path.ends_with(".docx"));
        }
    }
    // Notices and interpretations are not reports (a notice inside the report column is
    // read, as a page, for reports it may attach); the news section is never visited.
    assert!(records
        .get(&site.url(site_paths::NOTICE))
        .is_none_or(|r| r.kind == Some(Kind::Page)));
    assert!(records
        .keys()
        .all(|u| !u.contains("/xwzx/") && !u.contains("t20240125_5")));
    // Trouble is recorded with its cause; the crawl still finished.
    assert_eq!(
        records[&site.url(site_paths::DEAD)].outcome,
        Some(Outcome::Failed)
    );
    assert!(records[&site.url(site_paths::DEAD)].error.contains("404"));
    let blocked = &records[&site.url(site_paths::BLOCKED)];
    assert_eq!(blocked.outcome, Some(Outcome::Blocked));
    assert!(blocked.error.contains("412"), "{}", blocked.error);
    assert!(blocked.path.is_empty(), "a challenge page is not stored");
    let redirected = &records[&site.url(site_paths::REDIRECTED)];
    assert_eq!(redirected.final_url, site.url(site_paths::REDIRECT_TARGET));
    assert_eq!(
        records[&site.url(site_paths::DISALLOWED)].outcome,
        Some(Outcome::Disallowed)
    );
    let manifest = Manifest::load(dir.path()).unwrap();
    assert!(manifest
        .records
        .last()
        .is_some_and(|r| r.event == "run_finished"));
    assert_eq!(summary.reports, site.reports().len());
    assert_eq!(
        summary.attachments,
        site.reports()
            .iter()
            .filter(|r| r.attachment.is_some())
            .count()
    );
    assert_eq!(
        (summary.failed, summary.blocked, summary.disallowed),
        (1, 1, 1)
    );

    let requests = site.requests();
    // robots.txt first, and the disallowed path never asked for.
    assert_eq!(requests[0].path, "/robots.txt");
    assert!(requests.iter().all(|r| r.path != site_paths::DISALLOWED));
    // The flaky page: 503, 503, then 200.
    let flaky: Vec<u16> = requests
        .iter()
        .filter(|r| r.path == site_paths::FLAKY)
        .map(|r| r.status)
        .collect();
    assert_eq!(flaky, vec![503, 503, 200]);
    // One host, never two requests closer than the limit (arrival times at the server).
    assert_request_gap(&site);
    // Every request names the tool.
    assert!(requests.iter().all(|r| r
        .header("User-Agent")
        .is_some_and(|ua| ua.starts_with("nianbao/"))));
}

/// Never two requests to the one host closer than the rate allows.
fn assert_request_gap(site: &FixtureSite) {
    let limit = Duration::from_secs_f64(1.0 / RATE);
    for pair in site.requests().windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(
            gap + Duration::from_millis(3) >= limit,
            "{} then {} after {gap:?}",
            pair[0].path,
            pair[1].path
        );
    }
}

#[test]
fn a_crawl_right_after_another_keeps_the_request_gap() {
    let site = FixtureSite::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    run(&site, dir.path());
    let first = site.requests().len();
    run(&site, dir.path());
    assert!(site.requests().len() > first, "the second crawl asks again");
    assert_request_gap(&site);
}

#[test]
fn two_crawls_into_one_corpus_take_turns_and_keep_the_request_gap() {
    for wait in [Duration::ZERO, Duration::from_secs(120)] {
        let site = FixtureSite::start().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(&site, dir.path());
        config.lock_wait = wait;
        let results: Vec<std::io::Result<CrawlSummary>> = std::thread::scope(|scope| {
            let both: Vec<_> = (0..2)
                .map(|_| scope.spawn(|| crawl(&config, &|_| {})))
                .collect();
            both.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let refused: Vec<&std::io::Error> =
            results.iter().filter_map(|r| r.as_ref().err()).collect();
        if wait.is_zero() {
            assert_eq!(refused.len(), 1, "{results:?}");
            let held = nianbao_lock::held(refused[0]).expect("the refusal names the lock");
            assert!(held.holder.contains("pid"), "{held}");
        } else {
            assert!(refused.is_empty(), "the second waits its turn: {results:?}");
        }
        assert_request_gap(&site);
    }
}

#[test]
fn a_second_crawl_asks_conditionally_and_downloads_only_what_changed() {
    let site = FixtureSite::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    run(&site, dir.path());
    let first = site.requests().len();

    let second = run(&site, dir.path());
    let again = &site.requests()[first..];
    let asked: Vec<_> = again
        .iter()
        .filter(|r| {
            // robots.txt, a POSTed list and pages never stored are asked plainly.
            r.path != "/robots.txt"
                && r.method != "POST"
                && r.status != 301
                && r.status != 404
                && r.status != 412
        })
        .collect();
    assert!(!asked.is_empty());
    assert!(
        asked.iter().all(|r| r.is_conditional()),
        "{:?}",
        asked
            .iter()
            .filter(|r| !r.is_conditional())
            .map(|r| &r.path)
            .collect::<Vec<_>>()
    );
    assert!(
        asked.iter().all(|r| r.status == 304),
        "{:?}",
        asked
            .iter()
            .filter(|r| r.status != 304)
            .map(|r| (&r.path, r.status))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        second.fetched, 1,
        "only the POSTed Hanweb list, which cannot be asked conditionally"
    );
    assert_eq!(
        second.reports,
        site.reports().len(),
        "every report is still current"
    );

    // Change one report page: exactly that one is downloaded anew, kept beside the old.
    let page = &site.reports()[0].page;
    let mut body = site.body(page).unwrap();
    body.extend_from_slice(b"<!-- corrected -->");
    site.set_body(page, body.clone());
    let before = site.requests().len();
    run(&site, dir.path());
    let requests = site.requests();
    let fetched: Vec<&str> = requests[before..]
        .iter()
        .filter(|r| r.status == 200 && r.path != "/robots.txt" && r.method != "POST")
        .map(|r| r.path.as_str())
        .collect();
    assert_eq!(fetched, vec![page.as_str()]);
    let manifest = Manifest::load(dir.path()).unwrap();
    let versions: Vec<&Record> = manifest
        .records
        .iter()
        .filter(|r| r.url == site.url(page) && r.outcome == Some(Outcome::Fetched))
        .collect();
    assert_eq!(versions.len(), 2);
    assert_ne!(versions[0].path, versions[1].path);
    assert!(
        dir.path().join(&versions[0].path).is_file(),
        "the old version is kept"
    );
    assert_eq!(
        std::fs::read(dir.path().join(&versions[1].path)).unwrap(),
        body
    );
}

#[test]
fn robots_crawl_delay_slows_the_crawl_below_the_rate() {
    let site = FixtureSite::start().unwrap();
    site.set_body(
        "/robots.txt",
        b"User-agent: *\nCrawl-delay: 0.25\nDisallow: /private/\n".to_vec(),
    );
    let dir = tempfile::tempdir().unwrap();
    run(&site, dir.path());
    let requests = site.requests();
    // After robots.txt is read, requests keep to its delay, not the faster --rate.
    for pair in requests.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(
            gap + Duration::from_millis(3) >= Duration::from_millis(250),
            "{} then {} after {gap:?}",
            pair[0].path,
            pair[1].path
        );
    }
}

#[test]
fn a_page_slower_than_the_timeout_is_retried_then_recorded_as_failed() {
    let site = FixtureSite::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&site, dir.path());
    config.fetch.timeout = nianbao_testkit::SLOW_PAGE_DELAY / 3;
    config.retries = 2; // enough for the page that answers 503 twice
    let summary = crawl(&config, &|_| {}).unwrap();
    let records = latest(dir.path());
    let slow = &records[&site.url(site_paths::SLOW)];
    assert_eq!(slow.outcome, Some(Outcome::Failed));
    assert!(
        slow.error.starts_with("timeout") && slow.error.contains("(3 tries)"),
        "{}",
        slow.error
    );
    let asked = site
        .requests()
        .iter()
        .filter(|r| r.path == site_paths::SLOW)
        .count();
    assert_eq!(asked, 3, "asked once, retried twice");
    // Everything else was still crawled.
    assert_eq!(summary.reports, site.reports().len() - 1);
}
