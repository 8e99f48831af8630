//! End-to-end: the real binary crawling the fixture site over loopback HTTP — killed and
//! restarted mid-crawl, and the whole offline pipeline of `nianbao demo`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nianbao_crawl::store::Manifest;
use nianbao_testkit::FixtureSite;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    c.env_remove("RUST_LOG");
    c
}

/// (url, sha256) of every stored document of a corpus.
fn stored(corpus: &Path) -> BTreeSet<(String, String)> {
    Manifest::load(corpus)
        .unwrap()
        .current_documents()
        .into_iter()
        .map(|r| (r.url.clone(), r.sha256.clone()))
        .collect()
}

/// `nianbao crawl` of the site into `corpus`, quietly, at `rate` requests a second.
fn crawl_command(site: &FixtureSite, corpus: &Path, rate: &str) -> Command {
    let mut c = bin();
    c.args([
        "crawl",
        &site.url("/"),
        "--corpus",
        corpus.to_str().unwrap(),
    ]);
    c.args(["--rate", rate, "--quiet"]);
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// How many times the site answered each path with a body.
fn bodies_served(site: &FixtureSite) -> HashMap<String, usize> {
    let mut bodies = HashMap::new();
    for r in site.requests().iter().filter(|r| r.status == 200) {
        *bodies.entry(r.path.clone()).or_default() += 1;
    }
    bodies
}

/// The corpus equals what an uninterrupted crawl of a fresh copy of the site stores.
fn assert_same_as_an_uninterrupted_crawl(corpus: &Path, site: &FixtureSite, scratch: &Path) {
    let fresh = FixtureSite::start().unwrap();
    let clean = scratch.join("clean");
    let status = crawl_command(&fresh, &clean, "20").status().unwrap();
    assert_eq!(status.code(), Some(2));
    let strip = |set: BTreeSet<(String, String)>, base: &str| -> BTreeSet<(String, String)> {
        set.into_iter()
            .map(|(u, s)| (u.replace(base, ""), s))
            .collect()
    };
    assert_eq!(
        strip(stored(corpus), &site.base_url()),
        strip(stored(&clean), &fresh.base_url())
    );
}

#[test]
fn a_killed_crawl_resumes_without_fetching_anything_twice() {
    let site = FixtureSite::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let crawl = |corpus: &Path| crawl_command(&site, corpus, "10");
    let mut child = crawl(&corpus).spawn().unwrap();
    let started = Instant::now();
    while site.requests().len() < 14 && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before_restart = site.requests().len();
    assert!(
        (14..30).contains(&before_restart),
        "killed mid-crawl after {before_restart} requests"
    );

    let status = crawl(&corpus).status().unwrap();
    assert_eq!(
        status.code(),
        Some(2),
        "finished, with the site's dead link and anti-bot page as failures"
    );
    let manifest = Manifest::load(&corpus).unwrap();
    assert_eq!(
        manifest.last_run(),
        Some((1, true)),
        "the interrupted run was resumed, not restarted"
    );

    // Nothing answered with a body twice, but perhaps the one request in flight at the kill.
    let requests = site.requests();
    let bodies = bodies_served(&site);
    let twice: Vec<_> = bodies.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.len() <= 1, "fetched twice: {twice:?}");
    if let Some((path, _)) = twice.first() {
        assert_eq!(
            requests[before_restart - 1].path,
            **path,
            "only the request in flight at the kill"
        );
    }

    // The same corpus as a crawl that was never interrupted.
    assert_same_as_an_uninterrupted_crawl(&corpus, &site, dir.path());
}

#[test]
fn a_crawl_killed_again_and_again_ends_with_the_same_corpus() {
    let site = FixtureSite::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let crawl = || crawl_command(&site, &corpus, "20");
    let mut rng = nianbao_testkit::Rng::new(7);
    let kills = 6;
    for _ in 0..kills {
        let mut child = crawl().spawn().unwrap();
        std::thread::sleep(Duration::from_millis(rng.range(50, 1500)));
        let _ = child.kill();
        child.wait().unwrap();
        // Whatever the manifest lists is on disk, whole: its bytes hash to its name.
        for record in Manifest::load(&corpus).unwrap().current_documents() {
            let bytes = std::fs::read(corpus.join(&record.path)).unwrap();
            assert_eq!(Some(bytes.len() as u64), record.bytes, "{}", record.url);
        }
    }
    assert_eq!(crawl().status().unwrap().code(), Some(2));
    let manifest = Manifest::load(&corpus).unwrap();
    assert_eq!(
        manifest.last_run(),
        Some((1, true)),
        "one run, resumed each time"
    );
    // Every document once; a body asked for again only for a request in flight at a kill.
    let bodies = bodies_served(&site);
    let again: usize = bodies.values().map(|n| n - 1).sum();
    assert!(
        again <= kills,
        "{again} bodies fetched again over {kills} kills: {bodies:?}"
    );
    assert_same_as_an_uninterrupted_crawl(&corpus, &site, dir.path());
}

#[test]
#[cfg(feature = "demo")]
fn demo_runs_the_whole_pipeline_offline() {
    use nianbao_testkit::csv_records as records;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let corpus = dir.path().join("corpus");
    let output = bin()
        .args([
            "demo",
            "--out",
            out.to_str().unwrap(),
            "--corpus",
            corpus.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("18 documents: 18 ok"), "{stdout}");
    let reports = records(&out.join("reports.csv"));
    assert_eq!(reports.len(), 18);
    assert!(reports
        .iter()
        .all(|r| r["source"].starts_with("http://127.0.0.1:")));
    assert!(reports
        .iter()
        .all(|r| r["source_url"].starts_with("http://127.0.0.1:")));
    assert!(reports.iter().all(|r| !r["published_date"].is_empty()));
    let docx: Vec<_> = reports.iter().filter(|r| r["format"] == "docx").collect();
    assert_eq!(docx.len(), 5);
    for d in &docx {
        // An attachment was published on its report page.
        assert_eq!(d["source_url"], d["source"].replace(".docx", ".html"));
    }
    // Each page and its attachment are one report: one primary, one alternate.
    let sources = records(&out.join("report_sources.csv"));
    assert_eq!(
        sources.iter().filter(|s| s["role"] == "alternate").count(),
        5
    );
    // The panel: one row per body and year, the page and its attachment agreeing.
    let panel = records(&out.join("panel.csv"));
    assert_eq!(panel.len(), 13);
    assert!(panel.iter().all(|p| p["conflict"] == "false"));
    assert_eq!(panel.iter().filter(|p| p["documents"] == "2").count(), 5);
    assert!(panel.iter().all(|p| !p["division_code"].is_empty()));
    let applications = records(&out.join("applications.csv"));
    // Fifteen documents in the 2021 format (25 rows), three in the 2019 format (23 rows).
    assert_eq!(
        applications.len(),
        7 * (15 * 25 + 3 * 23),
        "every table cell of every report"
    );
}

/// reports.csv's (source, status, error) rows.
fn report_rows(out: &Path) -> Vec<(String, String, String)> {
    nianbao_testkit::csv_records(&out.join("reports.csv"))
        .into_iter()
        .map(|r| (r["source"].clone(), r["status"].clone(), r["error"].clone()))
        .collect()
}

#[test]
fn an_object_changed_after_the_crawl_fails_the_run_until_the_next_crawl_restores_it() {
    let site = FixtureSite::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let run = |out: &str| {
        bin()
            .args([
                "run",
                "--quiet",
                "--corpus",
                corpus.to_str().unwrap(),
                "--out",
                out,
            ])
            .current_dir(dir.path())
            .status()
            .unwrap()
    };
    crawl_command(&site, &corpus, "20").status().unwrap();
    run("before");
    let before = report_rows(&dir.path().join("before"));
    let ok: Vec<_> = before.iter().filter(|r| r.1 == "ok").collect();
    assert!(ok.len() >= 3, "{before:?}");

    // One report's stored bytes changed on disk: a figure 12 becomes 92, say.
    let changed_url = ok[0].0.clone();
    let record = Manifest::load(&corpus)
        .unwrap()
        .current_documents()
        .into_iter()
        .find(|r| r.url == changed_url)
        .cloned()
        .unwrap();
    let object = corpus.join(&record.path);
    let mut bytes = std::fs::read(&object).unwrap();
    let digit = bytes.iter().position(u8::is_ascii_digit).unwrap();
    bytes[digit] = if bytes[digit] == b'9' { b'8' } else { b'9' };
    std::fs::write(&object, &bytes).unwrap();
    run("altered");
    let altered = report_rows(&dir.path().join("altered"));
    let row = altered.iter().find(|r| r.0 == changed_url).unwrap();
    assert_eq!(row.1, "failed", "{row:?}");
    assert!(row.2.contains("stored object altered"), "{row:?}");
    assert_eq!(
        altered.len(),
        before.len(),
        "every other document still has its row"
    );

    // The next crawl fetches it again although the site would answer 304, and the run is
    // whole again.
    crawl_command(&site, &corpus, "20").status().unwrap();
    assert!(
        std::fs::read(&object).unwrap() == site_body(&site, &changed_url),
        "the object is the site's bytes again"
    );
    run("after");
    assert_eq!(report_rows(&dir.path().join("after")), before);
}

/// The bytes the site serves for `url`.
fn site_body(site: &FixtureSite, url: &str) -> Vec<u8> {
    site.body(url.trim_start_matches(&site.base_url())).unwrap()
}
