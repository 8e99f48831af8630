//! Requests per second against fixture sites on 127.0.0.1, one host and many:
//! `cargo run --release -p nianbao-crawl --example throughput -- HOSTS RATE`.

use std::time::Instant;

use nianbao_crawl::{crawl, CrawlConfig};
use nianbao_testkit::FixtureSite;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let hosts: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    let rate: f64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1.0);
    let sites: Vec<FixtureSite> = (0..hosts)
        .map(|_| FixtureSite::start())
        .collect::<Result<_, _>>()?;
    let dir = std::env::temp_dir().join(format!("nianbao-throughput-{}", std::process::id()));
    let starts = sites
        .iter()
        .map(|s| url::Url::parse(&s.url("/")).map_err(std::io::Error::other))
        .collect::<Result<Vec<_>, _>>()?;
    let mut config = CrawlConfig::new(starts, dir.clone());
    config.rate = rate;
    config.jobs = hosts;
    config.backoff = std::time::Duration::from_millis(100);
    let started = Instant::now();
    let summary = crawl(&config, &|_| {})?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{hosts} host(s) at {rate} req/s each: {} requests in {seconds:.1} s = {:.1} requests/s ({} reports, {} attachments)",
        summary.requests,
        summary.requests as f64 / seconds,
        summary.reports,
        summary.attachments
    );
    std::fs::remove_dir_all(dir)
}
