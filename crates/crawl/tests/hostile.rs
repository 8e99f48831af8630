//! Hostile servers: every way a server can break HTTP ends in a recorded failure with its
//! cause, the crawl goes on to the good report, nothing partial is stored as fetched, and
//! redirects never lead the crawler off the hosts it was given.

use std::time::{Duration, Instant};

use nianbao_crawl::store::{Manifest, Outcome, Record};
use nianbao_crawl::{crawl, CrawlConfig};
use nianbao_testkit::{hostile_cases as cases, HostileSite};
use url::Url;

#[test]
fn hostile_servers_are_survived_and_recorded() {
    let site = HostileSite::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = CrawlConfig::new(vec![Url::parse(&site.url("/")).unwrap()], dir.path().into());
    config.rate = 50.0;
    config.jobs = 4;
    config.retries = 1;
    config.backoff = Duration::from_millis(20);
    config.fetch.timeout = Duration::from_secs(2);
    config.fetch.max_body_bytes = 1024 * 1024;
    let started = Instant::now();
    let summary = crawl(&config, &|_| {}).expect("the crawl finishes");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );

    let manifest = Manifest::load(dir.path()).unwrap();
    let latest = manifest.latest();
    let record = |path: &str| -> &Record {
        latest
            .get(site.url(path).as_str())
            .copied()
            .unwrap_or_else(|| panic!("{path} not recorded"))
    };
    let failed_because = |path: &str, cause: &str| {
        let r = record(path);
        assert_eq!(r.outcome, Some(Outcome::Failed), "{path}: {r:?}");
        assert!(r.error.contains(cause), "{path}: {}", r.error);
        assert!(
            r.path.is_empty(),
            "{path}: a failed fetch stored {}",
            r.path
        );
    };
    failed_because(cases::ENDLESS, "cap");
    failed_because(cases::GZIP_BOMB, "cap");
    failed_because(cases::DRIP, "");
    failed_because(cases::LOOP, "redirects");
    failed_because(cases::ELSEWHERE, "not allowed");
    failed_because(cases::LOOPBACK, "not allowed");
    failed_because(cases::METADATA, "not allowed");
    failed_because(cases::HUGE_HEADER, "");
    failed_because(cases::SHORT_BODY, "");
    failed_because(cases::DROPPED, "");
    // The drip's failure says it was too slow, the broken bodies that they broke.
    assert!(
        record(cases::DRIP).error.contains("timed out")
            || record(cases::DRIP).error.contains("timeout"),
        "{}",
        record(cases::DRIP).error
    );
    for path in [cases::SHORT_BODY, cases::DROPPED] {
        assert!(!record(path).error.is_empty(), "{path}");
    }
    // What is wrong inside a body is the reader's business: it is stored as sent.
    for path in [cases::GOOD, cases::BAD_BYTES] {
        let r = record(path);
        assert_eq!(r.outcome, Some(Outcome::Fetched), "{path}: {}", r.error);
        assert!(!r.path.is_empty());
    }
    // No URL off the given host was ever asked for: every record is on the site.
    for r in manifest.records.iter().filter(|r| r.is_fetch()) {
        let host = Url::parse(&r.url).unwrap();
        assert_eq!(
            host.port(),
            Url::parse(&site.url("/")).unwrap().port(),
            "{}",
            r.url
        );
    }
    // Only complete bodies are in the store: one object per fetched record.
    let objects = walk(&dir.path().join("objects"));
    let fetched = latest
        .values()
        .filter(|r| r.outcome == Some(Outcome::Fetched))
        .count();
    assert_eq!(objects, fetched, "objects on disk vs fetched records");
    assert!(summary.failed >= 10, "{summary:?}");
}

fn walk(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                usize::from(!e.file_name().to_string_lossy().starts_with('.'))
            }
        })
        .sum()
}

#[test]
fn the_body_cap_holds_at_its_edge_with_and_without_a_length() {
    use nianbao_crawl::fetch::{client, fetch, Answer, FetchConfig};
    let site = HostileSite::start().unwrap();
    let config = FetchConfig {
        max_body_bytes: 100_000,
        timeout: Duration::from_secs(10),
        ..FetchConfig::default()
    };
    let client = client(&config).unwrap();
    for kind in ["bytes", "stream"] {
        let get = |n: u64| {
            fetch(
                &client,
                &Url::parse(&site.url(&format!("/{kind}/{n}"))).unwrap(),
                None,
                None,
                &config,
            )
        };
        match get(config.max_body_bytes) {
            Answer::Content(c) => assert_eq!(c.body.len() as u64, config.max_body_bytes),
            other => panic!("{kind}: at the cap: {other:?}"),
        }
        match get(config.max_body_bytes + 1) {
            Answer::Failed { reason, .. } => assert!(reason.contains("cap"), "{kind}: {reason}"),
            other => panic!("{kind}: past the cap: {other:?}"),
        }
    }
}

#[test]
fn redirects_are_followed_up_to_the_limit_and_no_further() {
    let site = HostileSite::start().unwrap();
    let outcome = |hops: usize| -> Record {
        let dir = tempfile::tempdir().unwrap();
        let start = Url::parse(&site.url(&format!("/hop/{hops}"))).unwrap();
        let mut config = CrawlConfig::new(vec![start.clone()], dir.path().into());
        config.rate = 200.0;
        config.retries = 0;
        crawl(&config, &|_| {}).expect("the crawl finishes");
        let manifest = Manifest::load(dir.path()).unwrap();
        let latest = manifest.latest();
        latest[start.as_str()].clone()
    };
    let max = CrawlConfig::new(Vec::new(), "x".into()).max_redirects;
    let at = outcome(max);
    assert_eq!(at.outcome, Some(Outcome::Fetched), "{}", at.error);
    assert!(at.final_url.ends_with("/hop/0"), "{}", at.final_url);
    let past = outcome(max + 1);
    assert_eq!(past.outcome, Some(Outcome::Failed));
    assert!(
        past.error.contains(&format!("more than {max} redirects")),
        "{}",
        past.error
    );
}
