//! What a later crawl trusts of an earlier one: stored objects only while their bytes
//! still hash to their record, and a new answer only when it still reads as what the
//! URL was.

mod common;

use std::time::Duration;

use common::latest;
use nianbao_crawl::store::{sha256_hex, Manifest, Outcome, Record};
use nianbao_crawl::{crawl, CrawlConfig, CrawlSummary};
use nianbao_testkit::FixtureSite;
use url::Url;

fn run(site: &FixtureSite, corpus: &std::path::Path) -> CrawlSummary {
    let mut config = CrawlConfig::new(
        vec![Url::parse(&site.url("/")).unwrap()],
        corpus.to_path_buf(),
    );
    config.rate = 50.0;
    config.backoff = Duration::from_millis(20);
    crawl(&config, &|_| {}).expect("crawl runs")
}

/// The bytes with the first figure printed in a cell (`>12<`) changed (`>92<`).
fn change_a_figure(bytes: &[u8]) -> Vec<u8> {
    let mut changed = bytes.to_vec();
    let at = (0..bytes.len().saturating_sub(2))
        .find(|&i| {
            bytes[i] == b'>' && bytes[i + 1].is_ascii_digit() && {
                let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit());
                bytes.get(i + 1 + digits.count()) == Some(&b'<')
            }
        })
        .expect("a figure in a cell")
        + 1;
    changed[at] = if bytes[at] == b'9' { b'8' } else { b'9' };
    changed
}

#[test]
fn an_altered_or_missing_object_is_asked_for_plainly_and_restored() {
    let site = FixtureSite::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    run(&site, dir.path());
    let first = latest(dir.path());
    let altered = &site.reports()[0].page;
    let missing = &site.reports()[1].page;
    let altered_object = dir.path().join(&first[&site.url(altered)].path);
    let bytes = std::fs::read(&altered_object).unwrap();
    std::fs::write(&altered_object, change_a_figure(&bytes)).unwrap();
    std::fs::remove_file(dir.path().join(&first[&site.url(missing)].path)).unwrap();

    // The site answers 304 to any conditional request for an unchanged page: had the
    // crawl sent validators for these two, the bad bytes would have been kept.
    let before = site.requests().len();
    run(&site, dir.path());
    let again = site.requests()[before..].to_vec();
    let records = latest(dir.path());
    for page in [altered, missing] {
        let asked: Vec<_> = again.iter().filter(|r| r.path == *page).collect();
        assert_eq!(asked.len(), 1, "{page}");
        assert!(!asked[0].is_conditional(), "{page}: asked with validators");
        assert_eq!(asked[0].status, 200, "{page}");
        let record = &records[&site.url(page)];
        assert_eq!(record.outcome, Some(Outcome::Fetched), "{page}");
        let stored = std::fs::read(dir.path().join(&record.path)).unwrap();
        assert_eq!(
            Some(stored.clone()),
            site.body(page),
            "{page}: not restored"
        );
        assert_eq!(sha256_hex(&stored), record.sha256, "{page}");
        assert_eq!(record.path, first[&site.url(page)].path, "{page}");
    }
    // Intact objects are still confirmed by a conditional request.
    let other = &site.reports()[5].page;
    let asked: Vec<_> = again.iter().filter(|r| r.path == *other).collect();
    assert!(
        asked.len() == 1 && asked[0].is_conditional() && asked[0].status == 304,
        "{other}"
    );
}

/// A page as large as `like`, saying the system is down for maintenance.
fn maintenance_page(like: usize) -> Vec<u8> {
    let page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>提示</title></head>\
                <body><p>系统维护中，请稍后访问。</p></body></html>";
    let pad = " ".repeat(like.saturating_sub(page.len()));
    format!("{page}<!--{pad}-->").into_bytes()
}

#[test]
fn a_revisit_that_answers_junk_leaves_the_last_good_version_current() {
    let site = FixtureSite::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    run(&site, dir.path());
    let first = latest(dir.path());
    // A report page now a maintenance page as large as the report; its attachment that
    // page too; another report's attachment cut to a tenth.
    let page = site.reports()[0].page.clone();
    let attachment = site.reports()[0].attachment.clone().unwrap();
    let cut = site.reports()[4].attachment.clone().unwrap();
    let page_bytes = site.body(&page).unwrap();
    site.set_body(&page, maintenance_page(page_bytes.len()));
    site.set_body(&attachment, maintenance_page(1000));
    let cut_bytes = site.body(&cut).unwrap();
    site.set_body(&cut, cut_bytes[..cut_bytes.len() / 10].to_vec());

    let summary = run(&site, dir.path());
    assert_eq!(summary.rejected, 3, "{summary:?}");
    let records = latest(dir.path());
    let manifest = Manifest::load(dir.path()).unwrap();
    let current: Vec<&Record> = manifest.current_documents();
    for (path, why) in [
        (&page, "no longer reads as a report"),
        (&attachment, "now answers with an HTML page"),
        (&cut, "under a quarter of the last good version's"),
    ] {
        let url = site.url(path);
        let now = &records[&url];
        assert_eq!(now.outcome, Some(Outcome::Rejected), "{path}: {now:?}");
        assert_eq!(now.run, 2, "{path}");
        assert!(now.error.contains(why), "{path}: {}", now.error);
        assert!(!now.has_body(), "{path}");
        let kept = std::fs::read(dir.path().join(&now.path)).unwrap();
        assert_eq!(
            Some(kept),
            site.body(path),
            "{path}: the answer kept for inspection"
        );
        let good = current.iter().find(|r| r.url == url).unwrap();
        assert_eq!(
            **good, first[&url],
            "{path}: the first version is no longer current"
        );
        assert_eq!(good.run, 1, "{path}");
    }
    // The report page's files are still visited from its last good version.
    let asked = site
        .requests()
        .iter()
        .filter(|r| r.path == attachment)
        .count();
    assert_eq!(asked, 2, "the attachment asked in both runs");
}
