//! Hosts that do not answer: a robots.txt that is unreachable disallows its host until it
//! can be read (RFC 9309), and a host that stops answering is given up.

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

#[test]
fn a_redirected_robots_txt_is_followed_and_obeyed() {
    let server = ScriptedServer::start(|asked| match asked.path.as_str() {
        "/robots.txt" => Reply::Redirect("/robots/moved.txt".into()),
        "/robots/moved.txt" => Reply::text("User-agent: *\nDisallow: /private/\n"),
        _ => Reply::html(PAGE),
    });
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, &["/", "/private/draft.html"], dir.path());
    crawl(&config, &|_| {}).expect("the crawl ends");
    let paths: Vec<String> = server.asked().into_iter().map(|a| a.path).collect();
    assert_eq!(paths, ["/robots.txt", "/robots/moved.txt", "/"]);
    let records = latest(dir.path());
    assert_eq!(
        records[&server.url("/private/draft.html")].outcome,
        Some(Outcome::Disallowed)
    );
    assert_eq!(
        records[&server.url("/robots.txt")].final_url,
        server.url("/robots/moved.txt")
    );
}

/// Twenty URLs on a host that reads robots.txt's 404 and then never answers again.
fn silent_host_starts() -> Vec<String> {
    (0..20).map(|i| format!("/zwgk/{i}.html")).collect()
}

fn silent_config(server: &ScriptedServer, corpus: &std::path::Path) -> CrawlConfig {
    let paths = silent_host_starts();
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    let mut config = config(server, &paths, corpus);
    config.fetch.timeout = Duration::from_millis(300);
    config
}

#[test]
fn a_host_that_stops_answering_is_given_up_after_three_urls() {
    let server = ScriptedServer::start(|asked| match asked.path.as_str() {
        "/robots.txt" => Reply::status(404),
        _ => Reply::Silence,
    });
    let dir = tempfile::tempdir().unwrap();
    let config = silent_config(&server, dir.path());
    assert_eq!(config.give_up_after, 3, "the default");
    let started = Instant::now();
    let summary = crawl(&config, &|_| {}).expect("the crawl ends");
    let took = started.elapsed();
    // Three URLs of two attempts of 300 ms each, not twenty.
    assert!(took < Duration::from_secs(8), "{took:?}");

    let pages = server
        .asked()
        .iter()
        .filter(|a| a.path != "/robots.txt")
        .count();
    assert_eq!(pages, 3 * 2, "three URLs asked, each retried once");
    let records = latest(dir.path());
    let starts = silent_host_starts();
    let errors: Vec<&str> = starts
        .iter()
        .map(|p| records[&server.url(p)].error.as_str())
        .collect();
    assert!(starts
        .iter()
        .all(|p| records[&server.url(p)].outcome == Some(Outcome::Failed)));
    assert!(
        errors[..3].iter().all(|e| e.starts_with("timeout")),
        "{errors:?}"
    );
    assert!(
        errors[3..]
            .iter()
            .all(|e| e.starts_with("host gave up after 3 consecutive timeouts")),
        "{errors:?}"
    );
    assert_eq!(summary.failed, 20);
}

#[test]
fn an_answer_between_timeouts_keeps_the_host() {
    // Every other URL answers: never two timeouts in a row.
    let server = ScriptedServer::start(|asked| match asked.path.as_str() {
        "/robots.txt" => Reply::status(404),
        path if path
            .trim_end_matches(".html")
            .ends_with(['1', '3', '5', '7', '9']) =>
        {
            Reply::html(PAGE)
        }
        _ => Reply::Silence,
    });
    let dir = tempfile::tempdir().unwrap();
    let mut config = silent_config(&server, dir.path());
    config.retries = 0;
    config.give_up_after = 2;
    crawl(&config, &|_| {}).expect("the crawl ends");
    let records = latest(dir.path());
    let outcomes: Vec<Option<Outcome>> = silent_host_starts()
        .iter()
        .map(|p| records[&server.url(p)].outcome)
        .collect();
    let expected: Vec<Option<Outcome>> = (0..20)
        .map(|i| {
            Some(if i % 2 == 1 {
                Outcome::Fetched
            } else {
                Outcome::Failed
            })
        })
        .collect();
    assert_eq!(outcomes, expected);
    assert!(records.values().all(|r| !r.error.contains("host gave up")));
}

/// How long the give-up takes with the default timeouts, retries and backoff (minutes:
/// `cargo test -p nianbao-crawl --test unreachable -- --ignored --nocapture`).
fn measure_default_give_up(robots_answers: bool) -> Duration {
    let server = ScriptedServer::start(move |asked| match asked.path.as_str() {
        "/robots.txt" if robots_answers => Reply::status(404),
        _ => Reply::Silence,
    });
    let dir = tempfile::tempdir().unwrap();
    let paths = silent_host_starts();
    let starts = paths
        .iter()
        .map(|p| Url::parse(&server.url(p)).unwrap())
        .collect();
    let config = CrawlConfig::new(starts, dir.path().to_path_buf());
    let started = Instant::now();
    crawl(&config, &|_| {}).expect("the crawl ends");
    let took = started.elapsed();
    let records = latest(dir.path());
    let given_up = paths
        .iter()
        .filter(|p| records[&server.url(p)].error.starts_with("host gave up"))
        .count();
    eprintln!(
        "robots.txt {}: {} URLs given up after {:.0} s",
        if robots_answers { "404" } else { "silent too" },
        given_up,
        took.as_secs_f64()
    );
    took
}

#[test]
#[ignore = "takes minutes: measures the give-up with default settings"]
fn default_give_up_when_the_host_goes_silent_after_robots_txt() {
    measure_default_give_up(true);
}

#[test]
#[ignore = "takes minutes: measures the give-up with default settings"]
fn default_give_up_when_the_host_never_answers() {
    measure_default_give_up(false);
}
