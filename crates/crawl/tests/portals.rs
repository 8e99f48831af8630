//! Crawling generated portals from their home pages over real HTTP on 127.0.0.1: every
//! report and attachment found, no trap stored as a report, robots.txt and Crawl-delay
//! held per host (from each server's own log), a second crawl only conditional, the dry
//! run listing exactly the reports, and shards that split a crawl without loss.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use common::latest;
use nianbao_crawl::store::{Kind, Outcome, Record};
use nianbao_crawl::{crawl, CrawlConfig, CrawlSummary, Shard};
use nianbao_testkit::{Family, Portal};
use url::Url;

/// Portals drawn (seeds 0..PORTALS); both families among them.
const PORTALS: u64 = 50;
/// Requests per second per host: robots.txt's Crawl-delay is the binding limit.
const RATE: f64 = 200.0;

fn config(portals: &[Portal], corpus: &std::path::Path) -> CrawlConfig {
    let starts = portals
        .iter()
        .map(|p| Url::parse(&p.home()).unwrap())
        .collect();
    let mut config = CrawlConfig::new(starts, corpus.to_path_buf());
    config.rate = RATE;
    config.jobs = 8;
    config.max_pages = 100_000;
    config.backoff = Duration::from_millis(20);
    config
}

fn run(config: &CrawlConfig) -> CrawlSummary {
    crawl(config, &|_| {}).expect("crawl runs")
}

/// What one portal's crawl got right and wrong.
#[derive(Default)]
struct Tally {
    expected: usize,
    found: usize,
    stored_as_reports: usize,
    wrongly_stored: usize,
    pages_fetched: usize,
    missing: Vec<String>,
    wrong: Vec<String>,
}

fn stored(records: &HashMap<String, Record>, url: &str, kind: Kind) -> bool {
    records.get(url).is_some_and(|r| {
        r.kind == Some(kind) && matches!(r.outcome, Some(Outcome::Fetched | Outcome::NotModified))
    })
}

fn tally(portal: &Portal, records: &HashMap<String, Record>) -> Tally {
    let truth = portal.truth();
    let mut t = Tally::default();
    let mut expected_urls = BTreeSet::new();
    for report in &truth.reports {
        let mut wanted: Vec<(String, Kind)> = Vec::new();
        if let Some(page) = &report.page {
            wanted.push((portal.url(page), Kind::Report));
        }
        for a in &report.attachments {
            wanted.push((portal.url(a), Kind::Attachment));
        }
        for (url, kind) in wanted {
            t.expected += 1;
            if stored(records, &url, kind) {
                t.found += 1;
            } else {
                t.missing.push(format!("{kind:?} {url} ({})", report.title));
            }
            expected_urls.insert(url);
        }
    }
    let host = Url::parse(&portal.home()).unwrap();
    for (url, r) in records {
        let on_portal = Url::parse(url).is_ok_and(|u| u.port() == host.port());
        if !on_portal || !matches!(r.outcome, Some(Outcome::Fetched | Outcome::NotModified)) {
            continue;
        }
        match r.kind {
            Some(Kind::Report | Kind::Attachment) => {
                t.stored_as_reports += 1;
                if !expected_urls.contains(url) {
                    t.wrongly_stored += 1;
                    t.wrong
                        .push(format!("{:?} {url} ({})", r.kind, r.link_text));
                }
            }
            Some(Kind::Page | Kind::Listing) => t.pages_fetched += 1,
            _ => {}
        }
    }
    for trap in &truth.traps {
        let url = portal.url(trap);
        if stored(records, &url, Kind::Report) || stored(records, &url, Kind::Attachment) {
            t.wrong.push(format!("trap stored as a report: {url}"));
        }
    }
    t
}

/// robots.txt first, disallowed paths never asked, off-site links never followed, and
/// never two requests to the host closer than Crawl-delay.
fn assert_polite(portal: &Portal) {
    let truth = portal.truth();
    let requests = portal.requests();
    assert_eq!(requests[0].path, "/robots.txt", "{}", portal.describe());
    for r in &requests {
        assert!(
            !truth
                .disallowed
                .iter()
                .any(|d| r.path.starts_with(d.as_str())),
            "disallowed {} requested: {}",
            r.path,
            portal.describe()
        );
    }
    let delay = Duration::from_secs_f64(truth.crawl_delay.unwrap_or(0.0));
    // The gap measured between arrivals may be a little shorter than the gap between
    // sends; 2 ms covers the loopback's jitter.
    let slack = Duration::from_millis(2);
    for pair in requests.windows(2).skip(1) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(
            gap + slack >= delay,
            "{} and {} only {gap:?} apart (Crawl-delay {delay:?}): {}",
            pair[0].path,
            pair[1].path,
            portal.describe()
        );
    }
}

#[test]
fn every_report_of_every_portal_is_found_from_its_home_page() {
    let portals: Vec<Portal> = (0..PORTALS).map(|s| Portal::generate(s).unwrap()).collect();
    let families: BTreeSet<String> = portals
        .iter()
        .map(|p| format!("{:?}", p.family()))
        .collect();
    assert_eq!(families.len(), 2, "both families: {families:?}");
    assert!(portals.iter().any(|p| p.family() == Family::Hanweb));
    let dir = tempfile::tempdir().unwrap();
    let config = config(&portals, dir.path());
    let started = std::time::Instant::now();
    let summary = run(&config);
    let took = started.elapsed();
    let records = latest(dir.path());

    let (mut expected, mut found, mut stored, mut wrongly, mut pages) = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for portal in &portals {
        let t = tally(portal, &records);
        expected += t.expected;
        found += t.found;
        stored += t.stored_as_reports;
        wrongly += t.wrongly_stored;
        pages += t.pages_fetched;
        if !t.missing.is_empty() || !t.wrong.is_empty() {
            failures.push(format!(
                "{}\n  missing: {:#?}\n  wrong: {:#?}",
                portal.describe(),
                t.missing,
                t.wrong
            ));
        }
        assert_polite(portal);
    }
    // The politeness minimum: each host's requests spaced by its Crawl-delay, the hosts
    // shared among the crawl's workers.
    let per_host: Vec<f64> = portals
        .iter()
        .map(|p| p.requests().len() as f64 * p.truth().crawl_delay.unwrap_or(0.0))
        .collect();
    let minimum = per_host
        .iter()
        .copied()
        .fold(per_host.iter().sum::<f64>() / config.jobs as f64, f64::max);
    eprintln!(
        "{PORTALS} portals: recall {found}/{expected} ({:.1} %), precision {}/{stored} ({:.1} %); \
         {pages} pages fetched for {found} reports and files ({:.2} per report); \
         {} requests in {took:.1?}, politeness minimum {minimum:.1} s; {} pages left unvisited",
        100.0 * found as f64 / expected.max(1) as f64,
        stored - wrongly,
        100.0 * (stored - wrongly) as f64 / stored.max(1) as f64,
        pages as f64 / found.max(1) as f64,
        summary.requests,
        summary.pages_left,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(summary.pages_left, 0);
    // Every listing's pages were followed: none says it has more than were read.
    assert!(
        summary.pages_unread.is_empty(),
        "{:#?}",
        summary.pages_unread
    );

    // A second crawl asks for every stored page and file conditionally.
    let before: Vec<usize> = portals.iter().map(|p| p.requests().len()).collect();
    let again = run(&config);
    assert_eq!(again.found.len(), summary.found.len());
    for (portal, &n) in portals.iter().zip(&before) {
        let redirected: Vec<&str> = portal
            .truth()
            .redirects
            .iter()
            .map(|(from, _)| from.as_str())
            .collect();
        for r in portal.requests()[n..]
            .iter()
            .filter(|r| !redirected.contains(&r.path.as_str()))
        {
            // Stored with a validator the server gave (its JSON lists give none).
            let stored_before = records.get(&portal.url(&r.path)).is_some_and(|rec| {
                rec.has_body() && !(rec.etag.is_empty() && rec.last_modified.is_empty())
            });
            if r.method == "GET" && r.path != "/robots.txt" && stored_before {
                assert!(
                    r.is_conditional(),
                    "{} asked plainly: {}",
                    r.path,
                    portal.describe()
                );
                assert_eq!(r.status, 304, "{}: {}", r.path, portal.describe());
            }
        }
    }
}

/// The dry run's list of one crawl: URLs.
fn listed(portals: &[Portal], shard: Option<Shard>) -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(portals, &dir.path().join("corpus"));
    config.dry_run = true;
    config.shard = shard;
    let summary = run(&config);
    assert!(
        !dir.path().join("corpus").exists(),
        "a dry run stores nothing"
    );
    summary.found.into_iter().map(|f| f.url).collect()
}

#[test]
fn the_dry_run_lists_exactly_the_reports_and_shards_split_it_without_loss() {
    let portals: Vec<Portal> = (100..106).map(|s| Portal::generate(s).unwrap()).collect();
    let all = listed(&portals, None);
    for portal in &portals {
        let truth = portal.truth();
        // Each report is listed by its page, or — when it has none — by its files.
        let mut want = BTreeSet::new();
        for report in &truth.reports {
            match &report.page {
                Some(page) => {
                    want.insert(portal.url(page));
                }
                None => want.extend(report.attachments.iter().map(|a| portal.url(a))),
            }
        }
        let port = Url::parse(&portal.home()).unwrap().port();
        // A dead link is listed too: only fetching it would tell.
        let dead: BTreeSet<String> = truth.dead.iter().map(|d| portal.url(d)).collect();
        let got: BTreeSet<String> = all
            .iter()
            .filter(|u| Url::parse(u).unwrap().port() == port && !dead.contains(*u))
            .cloned()
            .collect();
        assert!(
            got == want,
            "{}\n  listed, not reports: {:#?}\n  reports not listed: {:#?}",
            portal.describe(),
            got.difference(&want).collect::<Vec<_>>(),
            want.difference(&got).collect::<Vec<_>>()
        );
        // Listings, and pages only their own title can prove reports; never a file.
        let files: BTreeSet<&String> = truth.reports.iter().flat_map(|r| &r.attachments).collect();
        assert!(
            portal.requests().iter().all(|r| !files.contains(&r.path)),
            "a dry run fetched a file: {}",
            portal.describe()
        );
    }
    let shards: Vec<BTreeSet<String>> = (1..=3)
        .map(|k| listed(&portals, Some(Shard { index: k, count: 3 })))
        .collect();
    for (i, a) in shards.iter().enumerate() {
        for b in &shards[i + 1..] {
            assert!(a.is_disjoint(b));
        }
    }
    let union: BTreeSet<String> = shards.into_iter().flatten().collect();
    assert_eq!(union, all);
}
