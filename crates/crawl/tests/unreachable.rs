//! Hosts that do not answer: a robots.txt that is unreachable disallows its host until it
//! can be read (RFC 9309).

mod common;

use std::time::{Duration, Instant};

use common::latest;
use common::server::{Reply, ScriptedServer};
use nianbao_crawl::store::{Kind, Manifest, Outcome};
use nianbao_crawl::{crawl, CrawlConfig};
use url::Url;

const PAGE: &str = "<html><head><title>政务公开</title></head><body><p>栏目</p></body></html>";

fn config(server: &ScriptedServer, paths: &[&str], corpus: &std::path::Path) -> CrawlConfig {
    let starts = paths
        .iter()
        .map(|p| Url::parse(&server.url(p)).unwrap())
        .collect();
    let mut config = CrawlConfig::new(starts, corpus.to_path_buf());
    config.rate = 100.0;
    config.retries = 1;
    config.backoff = Duration::from_millis(10);
    config.robots_retries = 2;
    config.robots_retry_delay = Duration::from_millis(200);
    config
}

#[test]
fn a_robots_txt_that_keeps_failing_disallows_its_host_and_nothing_else_is_asked() {
    let server = ScriptedServer::start(|asked| match asked.path.as_str() {
        "/robots.txt" => Reply::status(503),
        _ => Reply::html(PAGE),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, &["/", "/zwgk/"], dir.path());
    let started = Instant::now();
    let summary = crawl(&config, &|_| {}).expect("the crawl ends");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );

    let asked = server.asked();
    assert!(
        asked.iter().all(|a| a.path == "/robots.txt"),
        "{:?}",
        asked.iter().map(|a| &a.path).collect::<Vec<_>>()
    );
    // Each attempt asks once and retries once; attempts are robots_retry_delay apart.
    let attempts = (config.robots_retries + 1) as usize;
    assert_eq!(asked.len(), attempts * (config.retries + 1) as usize);
    for pair in asked.chunks(2).collect::<Vec<_>>().windows(2) {
        let gap = pair[1][0].at.duration_since(pair[0][1].at);
        assert!(gap >= config.robots_retry_delay, "{gap:?}");
    }
    let records = latest(dir.path());
    for path in ["/", "/zwgk/"] {
        let r = &records[&server.url(path)];
        assert_eq!(r.outcome, Some(Outcome::Disallowed), "{path}: {r:?}");
        assert!(
            r.error.contains("robots.txt unreachable") && r.error.contains("503"),
            "{path}: {}",
            r.error
        );
    }
    let robots: Vec<_> = Manifest::load(dir.path())
        .unwrap()
        .records
        .into_iter()
        .filter(|r| r.kind == Some(Kind::Robots))
        .collect();
    assert_eq!(robots.len(), attempts);
    assert!(robots.iter().all(|r| r.outcome == Some(Outcome::Failed)
        && r.status == Some(503)
        && r.error.contains("robots.txt unreachable")));
    assert!(
        robots[attempts - 1]
            .error
            .contains("every URL of the host is disallowed"),
        "{}",
        robots[attempts - 1].error
    );
    assert_eq!((summary.disallowed, summary.fetched), (2, 0));
}

#[test]
fn a_robots_txt_that_fails_then_answers_lets_the_waiting_pages_be_fetched() {
    let server = ScriptedServer::start(|asked| match (asked.path.as_str(), asked.nth) {
        ("/robots.txt", 1) => Reply::status(503),
        ("/robots.txt", _) => Reply::text("User-agent: *\nDisallow: /private/\n"),
        _ => Reply::html(PAGE),
    });
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, &["/", "/private/x.html"], dir.path());
    config.retries = 0;
    crawl(&config, &|_| {}).expect("the crawl ends");

    let asked = server.asked();
    let paths: Vec<&str> = asked.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(paths, ["/robots.txt", "/robots.txt", "/"]);
    assert!(asked[1].at.duration_since(asked[0].at) >= config.robots_retry_delay);
    let records = latest(dir.path());
    assert_eq!(records[&server.url("/")].outcome, Some(Outcome::Fetched));
    let private = &records[&server.url("/private/x.html")];
    assert_eq!(private.outcome, Some(Outcome::Disallowed));
    assert_eq!(private.error, "disallowed by robots.txt");
}

#[test]
fn a_missing_robots_txt_allows_everything() {
    let server = ScriptedServer::start(|asked| match asked.path.as_str() {
        "/robots.txt" => Reply::status(404),
        _ => Reply::html(PAGE),
    });
    let dir = tempfile::tempdir().unwrap();
    crawl(&config(&server, &["/"], dir.path()), &|_| {}).expect("the crawl ends");
    let paths: Vec<String> = server.asked().into_iter().map(|a| a.path).collect();
    assert_eq!(paths, ["/robots.txt", "/"]);
    let records = latest(dir.path());
    assert_eq!(records[&server.url("/")].outcome, Some(Outcome::Fetched));
    assert!(records[&server.url("/robots.txt")]
        .error
        .contains("everything allowed"));
}
