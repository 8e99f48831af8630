//! Crawling: start URLs in, a corpus out — report pages and their attachments stored by
//! content hash, with a manifest recording every fetch.
//!
//! From a site's home page the crawler searches best-first: every link of every page is
//! judged by its words, position and URL shape ([`leads`]), and pages are visited in score
//! order within a page budget — the way in (政务公开 → 法定主动公开内容 → 政府信息公开年报),
//! the 年报 hubs with their bodies, kinds of body and years, every listing's pagination
//! ([`discover::more_pages`]) — while report links, recognised by the title grammar, and
//! the files of report pages are fetched as soon as they are found. It is polite: robots.txt (with Crawl-delay) is obeyed,
//! and one that cannot be reached disallows its host until it can (RFC 9309),
//! each host gets one request at a time at most `rate` per second while different hosts
//! proceed in parallel, failures are retried with exponential backoff and jitter
//! (honouring Retry-After) — a host that leaves `give_up_after` URLs in a row without an
//! answer is given up —, and a redirect's follow-up waits its turn like any request.
//! It is resumable: a killed crawl continues where it stopped, and a later crawl asks
//! conditionally and downloads nothing unchanged; an answer that is junk in place of a
//! report or attachment it has is recorded, never made current ([`revisit`]). It never
//! parses tables.

pub mod discover;
pub mod fetch;
pub mod leads;
pub mod revisit;
/// The corpus format (objects and manifest), in its own crate so that readers of a corpus
/// need no crawler.
pub use nianbao_corpus as store;

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

use scraper::Html;
use url::Url;

use discover::{attachment_extension, is_file_link, page_links, Link, MorePage, ReportFilter};
use fetch::{Answer, FetchConfig, Form, Validators};
use leads::{score, Context, Lead};
use nianbao_lock::FolderLock;
use nianbao_wording::parse_title;
use store::{now_rfc3339, Kind, Manifest, Outcome, Record, Store};

/// Everything a crawl is told.
#[derive(Clone, Debug)]
pub struct CrawlConfig {
    pub start_urls: Vec<Url>,
    pub corpus: PathBuf,
    /// Narrows the reports taken (`--match`); the title grammar says what a report is.
    pub filter: ReportFilter,
    /// Skip reports on years before this.
    pub since: Option<u16>,
    /// Most pages (navigation, hubs and listings) visited in one run; reports and their
    /// files are not counted.
    pub max_pages: usize,
    /// Requests per second per host.
    pub rate: f64,
    /// Hosts besides the start URLs' that may be fetched (e.g. an attachment server).
    pub allow_hosts: Vec<String>,
    /// Hosts fetched at once.
    pub jobs: usize,
    /// How many pages deep the search goes from the last evidence of reports (a report
    /// column's name, a listing of reports) before it gives a way up.
    pub nav_depth: u8,
    /// Walk listings only: list the reports found without fetching them, store nothing.
    pub dry_run: bool,
    /// Crawl only the start URLs whose host falls in this shard.
    pub shard: Option<Shard>,
    pub retries: u32,
    /// First retry delay; doubled each time, with jitter.
    pub backoff: Duration,
    /// Longest Retry-After honoured; longer ones are cut to this.
    pub max_retry_after: Duration,
    pub max_redirects: usize,
    /// How often a robots.txt that was unreachable (5xx, 429, no answer) is asked again in
    /// one run before the host is left disallowed (RFC 9309 §2.3.1.3).
    pub robots_retries: u32,
    /// How long the URLs of a host whose robots.txt was unreachable wait before it is
    /// asked again.
    pub robots_retry_delay: Duration,
    /// URLs of one host in a row (each after its retries, robots.txt included) that got no
    /// answer — timeouts, refused or reset connections — before the host's other URLs are
    /// recorded `failed` without being asked; 0 never gives a host up.
    pub give_up_after: u32,
    pub fetch: FetchConfig,
    /// How long to wait for another crawl filling the same corpus to end; zero: refuse at
    /// once. Two at once would double the requests to the same hosts.
    pub lock_wait: Duration,
}

impl CrawlConfig {
    /// The least time between two requests to one host that `rate` allows.
    fn rate_delay(&self) -> Duration {
        Duration::from_secs_f64(1.0 / self.rate.max(0.001))
    }

    pub fn new(start_urls: Vec<Url>, corpus: PathBuf) -> CrawlConfig {
        CrawlConfig {
            start_urls,
            corpus,
            filter: ReportFilter::default(),
            since: None,
            max_pages: 3000,
            rate: 1.0,
            allow_hosts: Vec::new(),
            jobs: 4,
            nav_depth: 4,
            dry_run: false,
            shard: None,
            retries: 3,
            backoff: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(120),
            max_redirects: 5,
            robots_retries: 3,
            robots_retry_delay: Duration::from_secs(60),
            give_up_after: 3,
            fetch: FetchConfig::default(),
            lock_wait: Duration::ZERO,
        }
    }
}

/// What the crawl reports as it goes (for progress bars).
#[derive(Clone, Debug)]
pub enum Event {
    /// A URL was queued; `queued` is the total so far.
    Queued { queued: usize },
    /// A URL is done, with its outcome and the bytes received (0 when not modified).
    Done {
        url: String,
        kind: Kind,
        outcome: Outcome,
        bytes: u64,
    },
}

/// Counts for the closing summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrawlSummary {
    pub run: u64,
    pub resumed: bool,
    /// HTTP requests sent (retries, redirects and robots.txt included).
    pub requests: usize,
    pub fetched: usize,
    pub not_modified: usize,
    pub failed: usize,
    pub blocked: usize,
    pub disallowed: usize,
    /// Answers not taken as a report's or attachment's new version (see [`revisit`]).
    pub rejected: usize,
    pub reports: usize,
    pub attachments: usize,
    pub bytes: u64,
    /// URLs whose record was already in this (resumed) run: not asked again.
    pub resumed_urls: usize,
    /// Pages visited (navigation, hubs, listings), against `max_pages`.
    pub pages: usize,
    /// Pages the search meant to visit but left when `max_pages` was spent.
    pub pages_left: usize,
    /// Listings that announce more pages than the crawl could follow, by URL: their
    /// later pages were not read (see the `pages_unread` records of the manifest).
    pub pages_unread: Vec<String>,
    /// Every report found, in the order found: what `--dry-run` lists.
    pub found: Vec<FoundReport>,
}

/// A report link found in a listing (or a page that proved to be a report).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundReport {
    pub url: String,
    pub kind: Kind,
    /// The title as the listing (or, for a link cut short, the page) printed it.
    pub title: String,
    /// The body and year the title grammar reads, the body from the column when the
    /// title names none.
    pub agency: String,
    pub year: Option<u16>,
    pub listing: String,
}

#[derive(Clone, Debug)]
struct Task {
    url: Url,
    kind: Kind,
    /// Priority in the frontier (see [`leads::score`]).
    score: u32,
    /// Order of discovery: among equal scores, the first found goes first.
    seq: u64,
    /// A start URL.
    start: bool,
    /// What the search knows of the page (for pages and listings).
    context: Context,
    listing: String,
    link_text: String,
    listed_date: String,
    parent: String,
    /// The URL as found on the page, when this is a redirect's follow-up.
    origin: Option<Url>,
    /// A report only if the page itself says so (its link text was cut short, a bare
    /// year, a body's name).
    verify: bool,
    /// Asked for with POST (a Hanweb list).
    form: Option<Form>,
    redirects: usize,
    /// A page visited already, now reached from inside the report columns: its links
    /// are read again with what the search knows now.
    again: bool,
}

impl Task {
    fn new(url: Url, kind: Kind) -> Task {
        Task {
            url,
            kind,
            score: score::REPORT,
            seq: 0,
            start: false,
            context: Context::default(),
            listing: String::new(),
            link_text: String::new(),
            listed_date: String::new(),
            parent: String::new(),
            origin: None,
            verify: false,
            form: None,
            redirects: 0,
            again: false,
        }
    }

    fn record_url(&self) -> &Url {
        self.origin.as_ref().unwrap_or(&self.url)
    }

    fn is_page(&self) -> bool {
        matches!(self.kind, Kind::Page | Kind::Listing)
    }
}

fn host_key(url: &Url) -> String {
    match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or("")),
        None => url.host_str().unwrap_or("").to_string(),
    }
}

#[derive(Default)]
struct HostState {
    busy: bool,
    next_at: Option<Instant>,
    robots: Robots,
    /// URLs in a row that got no answer (see [`CrawlConfig::give_up_after`]).
    unanswered: u32,
    /// Why the host's URLs are no longer asked for, once it is given up.
    given_up: Option<String>,
}

impl HostState {
    /// Whether the host's URLs wait for robots.txt to be asked again.
    fn waiting(&self, now: Instant) -> bool {
        self.given_up.is_none()
            && matches!(self.robots, Robots::Unreachable { retry_at, .. } if retry_at > now)
    }
}

/// What the crawl knows of a host's robots.txt (RFC 9309 §2.3.1).
#[derive(Default)]
enum Robots {
    /// Not asked for yet.
    #[default]
    Unknown,
    /// Read; or unavailable (a 4xx), which allows everything.
    Known(RobotsRules),
    /// Unreachable when last asked: the host is disallowed for now, and its URLs wait
    /// until `retry_at`, when robots.txt is asked again.
    Unreachable { attempts: u32, retry_at: Instant },
    /// Unreachable every time it was asked in this run: everything is disallowed, for
    /// this reason.
    Disallowing(String),
}

impl Robots {
    fn rules(&self) -> Option<&RobotsRules> {
        match self {
            Robots::Known(rules) => Some(rules),
            _ => None,
        }
    }

    /// The attempts made so far, if robots.txt is to be asked for now.
    fn due(&self, now: Instant) -> Option<u32> {
        match self {
            Robots::Unknown => Some(0),
            Robots::Unreachable { attempts, retry_at } if *retry_at <= now => Some(*attempts),
            _ => None,
        }
    }
}

/// What robots.txt says of a URL now.
enum Permission {
    Allowed,
    Disallowed(String),
    /// robots.txt is unreachable for now: the URL waits.
    Wait,
}

/// A host's robots.txt, parsed.
pub struct RobotsRules {
    robot: Option<texting_robots::Robot>,
    /// Crawl-delay, clamped to at most a minute.
    pub delay: Option<Duration>,
}

impl RobotsRules {
    /// The rules a robots.txt body sets for `user_agent`.
    pub fn parse(user_agent: &str, body: &[u8]) -> Result<RobotsRules, String> {
        let robot = texting_robots::Robot::new(user_agent, body).map_err(|e| e.to_string())?;
        let delay = robot
            .delay
            .map(|d| Duration::from_secs_f64(f64::from(d).clamp(0.0, 60.0)));
        Ok(RobotsRules {
            robot: Some(robot),
            delay,
        })
    }

    /// No robots.txt (a 4xx): everything is allowed.
    fn allow_all() -> RobotsRules {
        RobotsRules {
            robot: None,
            delay: None,
        }
    }

    pub fn allows(&self, url: &Url) -> bool {
        self.robot.as_ref().is_none_or(|r| r.allowed(url.as_str()))
    }
}

struct State {
    /// Tasks waiting, taken best score first among hosts that are free.
    frontier: Vec<Task>,
    next_seq: u64,
    hosts: HashMap<String, HostState>,
    seen: HashSet<String>,
    /// Pages whose links were read: with what the search knew then, and their record
    /// when their body was stored.
    visited: HashMap<String, (Context, Option<Record>)>,
    in_flight: usize,
    summary: CrawlSummary,
    /// The SHA-256 of every HTML report stored in this run: a second URL answering the
    /// same bytes is the same report.
    report_bodies: HashSet<[u8; 32]>,
}

/// The version of a URL an earlier run stored last, with its bytes if they are intact.
struct Previous<'a> {
    record: &'a Record,
    /// `None` when the object is missing or no longer hashes to the record's `sha256`.
    body: Option<Vec<u8>>,
}

impl Previous<'_> {
    /// Validators for a conditional request, only for intact bytes: a 304 keeps them as
    /// the URL's current version.
    fn validators(&self) -> Option<Validators> {
        self.body.as_ref()?;
        Some(Validators {
            etag: self.record.etag.clone(),
            last_modified: self.record.last_modified.clone(),
        })
    }
}

/// Records of the run being resumed, by URL.
type Resumed = HashMap<String, Record>;

struct Crawler<'a> {
    config: &'a CrawlConfig,
    client: reqwest::blocking::Client,
    /// Where fetched bodies and the manifest go; none in a dry run.
    store: Mutex<Option<Store>>,
    state: Mutex<State>,
    wake: Condvar,
    run: u64,
    resumed: Resumed,
    /// Validators and stored bodies from earlier runs, by URL.
    previous: HashMap<String, Record>,
    allowed_hosts: HashSet<String>,
    /// The sites of the start hosts (`yuhang.gov.cn`), whose other hosts are allowed too.
    site_domains: Vec<String>,
    on_event: &'a (dyn Fn(&Event) + Sync),
}

/// Crawls until every discovered URL is done; writes the corpus and manifest.
pub fn crawl(config: &CrawlConfig, on_event: &(dyn Fn(&Event) + Sync)) -> io::Result<CrawlSummary> {
    // One crawl at a time fills a corpus (a dry run stores nothing).
    let _lock = if config.dry_run {
        None
    } else {
        Some(FolderLock::acquire(&config.corpus, config.lock_wait)?)
    };
    let prior = Prior::load(config)?;
    let store = if config.dry_run {
        None
    } else {
        let mut store = Store::open(&config.corpus)?;
        if !prior.resuming {
            store.append(&run_marker("run_started", prior.run))?;
        }
        Some(store)
    };
    let start_urls = start_urls(config);
    let mut allowed_hosts: HashSet<String> = start_urls.iter().map(|u| host_key(u)).collect();
    allowed_hosts.extend(config.allow_hosts.iter().cloned());
    let crawler = Crawler {
        config,
        client: fetch::client(&config.fetch).map_err(io::Error::other)?,
        store: Mutex::new(store),
        state: Mutex::new(State {
            frontier: Vec::new(),
            next_seq: 0,
            hosts: prior.paced_hosts(config),
            seen: HashSet::new(),
            visited: HashMap::new(),
            in_flight: 0,
            report_bodies: HashSet::new(),
            summary: CrawlSummary {
                run: prior.run,
                resumed: prior.resuming,
                ..CrawlSummary::default()
            },
        }),
        wake: Condvar::new(),
        run: prior.run,
        resumed: prior.resumed,
        previous: prior.previous,
        allowed_hosts,
        site_domains: start_urls
            .iter()
            .filter_map(|u| site_domain(u.host()?))
            .collect(),
        on_event,
    };
    for url in start_urls {
        let mut url = url.clone();
        url.set_fragment(None); // `…/annualreport#2630` is the page `…/annualreport`
        let mut task = Task::new(url, Kind::Page);
        task.start = true;
        crawler.enqueue(task);
    }
    std::thread::scope(|scope| {
        for _ in 0..config.jobs.max(1) {
            scope.spawn(|| crawler.work());
        }
    });
    let summary = crawler.lock().summary.clone();
    if let Some(store) = crawler.store_lock().as_mut() {
        store.append(&run_marker("run_finished", prior.run))?;
    }
    Ok(summary)
}

/// What earlier runs left in the corpus: the run to continue or start, what the run being
/// resumed already fetched, and the validators and bodies of earlier runs. A dry run
/// reads nothing.
struct Prior {
    run: u64,
    resuming: bool,
    resumed: Resumed,
    previous: HashMap<String, Record>,
    /// When each host last answered, by the records: a crawl that starts right after
    /// another (or waited for its lock) keeps the request gap.
    last_answered: HashMap<String, SystemTime>,
}

impl Prior {
    fn load(config: &CrawlConfig) -> io::Result<Prior> {
        let manifest = if config.dry_run {
            Manifest::default()
        } else {
            Manifest::load(&config.corpus)?
        };
        let (run, resuming) = match manifest.last_run() {
            Some((run, false)) => (run, true),
            Some((run, true)) => (run + 1, false),
            None => (1, false),
        };
        let mut prior = Prior {
            run,
            resuming,
            resumed: Resumed::new(),
            previous: HashMap::new(),
            last_answered: HashMap::new(),
        };
        for record in manifest.records.iter().filter(|r| r.is_fetch()) {
            prior.note_answer(record);
            if resuming && record.run == run {
                prior.resumed.insert(record.url.clone(), record.clone());
            } else if record.has_body() {
                prior.previous.insert(record.url.clone(), record.clone());
            }
        }
        Ok(prior)
    }

    fn note_answer(&mut self, record: &Record) {
        let url = Some(&record.final_url)
            .filter(|u| !u.is_empty())
            .unwrap_or(&record.url);
        let (Ok(url), Some(at)) = (url.parse::<Url>(), store::parse_rfc3339(&record.at)) else {
            return;
        };
        let last = self.last_answered.entry(host_key(&url)).or_insert(at);
        *last = (*last).max(at);
    }

    /// Hosts asked within one delay of now, each with the time it may next be asked.
    fn paced_hosts(&self, config: &CrawlConfig) -> HashMap<String, HostState> {
        let delay = config.rate_delay();
        let now = SystemTime::now();
        self.last_answered
            .iter()
            .filter_map(|(host, &at)| {
                let wait = (at + delay).duration_since(now).ok()?;
                let state = HostState {
                    next_at: Some(Instant::now() + wait),
                    ..HostState::default()
                };
                Some((host.clone(), state))
            })
            .collect()
    }
}

/// The start URLs of this crawl's shard (all of them without `--shard`).
fn start_urls(config: &CrawlConfig) -> Vec<&Url> {
    let urls: Vec<&Url> = config
        .start_urls
        .iter()
        .filter(|u| config.shard.is_none_or(|shard| shard.takes(u)))
        .collect();
    if let Some(shard) = config.shard {
        tracing::info!(
            "shard {}/{}: {} of {} start URLs",
            shard.index,
            shard.count,
            urls.len(),
            config.start_urls.len()
        );
    }
    urls
}

fn run_marker(event: &str, run: u64) -> Record {
    Record {
        event: event.into(),
        run,
        at: now_rfc3339(),
        ..Record::default()
    }
}

/// A jitter factor in [0.5, 1.5) without a random-number dependency.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    0.5 + f64::from(nanos % 1000) / 1000.0
}

impl Crawler<'_> {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn store_lock(&self) -> std::sync::MutexGuard<'_, Option<Store>> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends a record to the manifest (nothing in a dry run).
    fn append(&self, record: &Record) {
        if let Some(store) = self.store_lock().as_mut() {
            if let Err(e) = store.append(record) {
                tracing::error!(error = %e, "manifest not written");
            }
        }
    }

    /// Reads a stored object.
    fn read_object(&self, path: &str) -> io::Result<Vec<u8>> {
        match self.store_lock().as_ref() {
            Some(store) => store.read(path),
            None => Err(io::Error::other("a dry run stores nothing")),
        }
    }

    /// The task URL's last stored version from an earlier run, its object checked
    /// against the record's hash (read without holding the store).
    fn previous_version(&self, task: &Task) -> Option<Previous<'_>> {
        let record = self.previous.get(task.record_url().as_str())?;
        let body = store::read_intact(&self.config.corpus, &record.path, &record.sha256);
        if body.is_none() {
            tracing::warn!(url = %record.url, path = %record.path, "stored object missing or altered: asked for again without validators");
        }
        Some(Previous { record, body })
    }

    /// A start URL's host, a host `--allow-host` names, or another host of a start host's
    /// site (`xxgk.yuhang.gov.cn` beside `www.yuhang.gov.cn`: a disclosure sub-site).
    fn host_allowed(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        self.allowed_hosts.contains(&host_key(url))
            || self.allowed_hosts.contains(host)
            || self.site_domains.iter().any(|site| on_site(host, site))
    }

    /// Queues a task unless its URL was seen or it leaves the allowed hosts; says whether
    /// it was queued.
    fn enqueue(&self, task: Task) -> bool {
        if !self.host_allowed(&task.url) {
            tracing::debug!(url = %task.url, "not on an allowed host: skipped");
            return false;
        }
        let mut state = self.lock();
        if !state.seen.insert(task.url.to_string()) {
            if task.is_page() {
                Self::upgrade(&mut state, task);
            }
            return false;
        }
        Self::push(&mut state, task);
        let queued = state.seen.len();
        drop(state);
        (self.on_event)(&Event::Queued { queued });
        self.wake.notify_all();
        true
    }

    /// A page found again by another way: the search follows the better of the two. A
    /// page still waiting takes the better score and context; a page visited outside the
    /// report columns and now reached from inside them is read again.
    fn upgrade(state: &mut State, task: Task) {
        if let Some(waiting) = state
            .frontier
            .iter_mut()
            .find(|t| t.url == task.url && t.is_page())
        {
            if task.score > waiting.score {
                waiting.score = task.score;
                waiting.context = task.context;
            }
            return;
        }
        let url = task.url.to_string();
        let weaker = state
            .visited
            .get(&url)
            .is_some_and(|(seen, _)| task.context.in_reports && !seen.in_reports);
        if weaker {
            if let Some((seen, _)) = state.visited.get_mut(&url) {
                *seen = task.context.clone();
            }
            Self::push(
                state,
                Task {
                    again: true,
                    ..task
                },
            );
        }
    }

    /// Notes that a page's links were read, with its stored record.
    fn visited(&self, task: &Task, record: Option<&Record>) {
        if task.is_page() {
            self.lock().visited.insert(
                task.url.to_string(),
                (task.context.clone(), record.cloned()),
            );
        }
    }

    fn push(state: &mut State, mut task: Task) {
        task.seq = state.next_seq;
        state.next_seq += 1;
        state.frontier.push(task);
    }

    fn work(&self) {
        while let Some(task) = self.next_task() {
            let host = host_key(&task.url);
            self.process(task);
            let mut state = self.lock();
            if let Some(h) = state.hosts.get_mut(&host) {
                h.busy = false;
            }
            state.in_flight -= 1;
            drop(state);
            self.wake.notify_all();
        }
    }

    /// The best task whose host is free, marking the host busy; `None` when all is done.
    /// Pages beyond the page budget are dropped (and counted) as they come up.
    fn next_task(&self) -> Option<Task> {
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            let best = state
                .frontier
                .iter()
                .enumerate()
                .filter(|(_, t)| {
                    !state
                        .hosts
                        .get(&host_key(&t.url))
                        .is_some_and(|h| h.busy || h.waiting(now))
                })
                .max_by_key(|(_, t)| (t.score, std::cmp::Reverse(t.seq)))
                .map(|(i, _)| i);
            if let Some(i) = best {
                let task = state.frontier.swap_remove(i);
                if task.is_page() {
                    if state.summary.pages >= self.config.max_pages {
                        state.summary.pages_left += 1;
                        continue;
                    }
                    state.summary.pages += 1;
                }
                state.hosts.entry(host_key(&task.url)).or_default().busy = true;
                state.in_flight += 1;
                return Some(task);
            }
            if state.frontier.is_empty() && state.in_flight == 0 {
                return None;
            }
            state = self
                .wake
                .wait_timeout(state, Duration::from_millis(100))
                .map(|(s, _)| s)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }

    /// Waits for the host's next slot, then marks the request as sent.
    fn pace(&self, host: &str) {
        let wait = {
            let state = self.lock();
            state
                .hosts
                .get(host)
                .and_then(|h| h.next_at)
                .map(|at| at.saturating_duration_since(Instant::now()))
        };
        if let Some(wait) = wait.filter(|w| !w.is_zero()) {
            std::thread::sleep(wait);
        }
    }

    /// After a request to the host ends: the next may start one delay later.
    fn requested(&self, host: &str) {
        let mut state = self.lock();
        state.summary.requests += 1;
        let delay = self.delay(state.hosts.get(host).and_then(|h| h.robots.rules()));
        state.hosts.entry(host.to_string()).or_default().next_at = Some(Instant::now() + delay);
    }

    fn delay(&self, robots: Option<&RobotsRules>) -> Duration {
        let by_rate = self.config.rate_delay();
        robots
            .and_then(|r| r.delay)
            .map_or(by_rate, |d| d.max(by_rate))
    }

    fn record(&self, record: Record) {
        let (kind, outcome) = (
            record.kind.unwrap_or(Kind::Page),
            record.outcome.unwrap_or(Outcome::Failed),
        );
        // Bytes received now; an unchanged page's stored size is not traffic.
        let received = match outcome {
            Outcome::Fetched | Outcome::Rejected => record.bytes.unwrap_or(0),
            _ => 0,
        };
        self.append(&record);
        {
            let mut state = self.lock();
            let s = &mut state.summary;
            match outcome {
                Outcome::Fetched => s.fetched += 1,
                Outcome::NotModified => s.not_modified += 1,
                Outcome::Failed => s.failed += 1,
                Outcome::Blocked => s.blocked += 1,
                Outcome::Disallowed => s.disallowed += 1,
                Outcome::Rejected => s.rejected += 1,
            }
            if record.has_body() {
                match kind {
                    Kind::Report => s.reports += 1,
                    Kind::Attachment => s.attachments += 1,
                    _ => {}
                }
            }
            s.bytes += received;
        }
        (self.on_event)(&Event::Done {
            url: record.url.clone(),
            kind,
            outcome,
            bytes: received,
        });
    }

    fn base_record(&self, task: &Task) -> Record {
        Record {
            run: self.run,
            url: task.record_url().to_string(),
            final_url: task.url.to_string(),
            kind: Some(task.kind),
            at: now_rfc3339(),
            listing: task.listing.clone(),
            link_text: task.link_text.clone(),
            listed_date: task.listed_date.clone(),
            column: task.context.column.clone(),
            parent: task.parent.clone(),
            ..Record::default()
        }
    }

    fn process(&self, task: Task) {
        if task.again {
            let stored = self
                .lock()
                .visited
                .get(task.url.as_str())
                .and_then(|(_, record)| record.clone());
            if let Some(record) = stored {
                self.follow_stored(&task, &record);
                return;
            }
        }
        // Already done in the run being resumed: not asked again.
        if let Some(done) = self
            .resumed
            .get(task.record_url().as_str())
            .filter(|_| task.origin.is_none())
        {
            self.lock().summary.resumed_urls += 1;
            if let Some(location) =
                done.final_url.parse::<Url>().ok().filter(|u| {
                    *u != task.url && done.status.is_some_and(|s| (300..400).contains(&s))
                })
            {
                let mut next = task.clone();
                next.url = location;
                next.origin = Some(task.url.clone());
                next.redirects += 1;
                self.enqueue_follow_up(next);
                return;
            }
            // A rejected answer left the earlier version current.
            let current = match done.outcome {
                Some(Outcome::Rejected) => self.previous.get(done.url.as_str()),
                _ => Some(done).filter(|d| d.has_body()),
            };
            if let Some(current) = current {
                self.follow_stored(&task, current);
            }
            return;
        }
        if self.config.dry_run && !task.verify && !task.is_page() {
            return; // listed when found; a dry run fetches no report
        }
        let host = host_key(&task.url);
        if let Some(reason) = self.given_up(&host) {
            let mut record = self.base_record(&task);
            record.outcome = Some(Outcome::Failed);
            record.error = reason;
            self.record(record);
            return;
        }
        match self.robots_permission(&host, &task.url) {
            Permission::Allowed => {}
            Permission::Wait => return self.requeue(task),
            Permission::Disallowed(reason) => {
                let mut record = self.base_record(&task);
                record.outcome = Some(Outcome::Disallowed);
                record.error = reason;
                self.record(record);
                return;
            }
        }
        let previous = self.previous_version(&task);
        // A POSTed list cannot be asked for conditionally.
        let validators = previous
            .as_ref()
            .filter(|_| task.form.is_none())
            .and_then(Previous::validators);
        let answer =
            self.fetch_with_retries(&host, &task.url, task.form.as_ref(), validators.as_ref());
        let mut record = self.base_record(&task);
        match answer {
            Answer::Content(content) => {
                self.take_content(&task, content, previous.as_ref(), record)
            }
            Answer::NotModified { status } => {
                // Only an answer to validators confirms the stored bytes.
                let Some(before) = validators.and(previous).map(|p| p.record) else {
                    record.outcome = Some(Outcome::Failed);
                    record.status = Some(status);
                    record.error = "304 Not Modified to a request without validators".into();
                    self.record(record);
                    return;
                };
                record = Record {
                    outcome: Some(Outcome::NotModified),
                    status: Some(status),
                    kind: before.kind.or(Some(task.kind)),
                    sha256: before.sha256.clone(),
                    path: before.path.clone(),
                    bytes: before.bytes,
                    content_type: before.content_type.clone(),
                    charset: before.charset.clone(),
                    etag: before.etag.clone(),
                    last_modified: before.last_modified.clone(),
                    ..record
                };
                self.found_stored(&task, before);
                self.record(record.clone());
                self.follow_stored(&task, &record);
            }
            Answer::Redirect { status, location } => {
                record.status = Some(status);
                record.final_url = location.to_string();
                if task.redirects >= self.config.max_redirects {
                    record.outcome = Some(Outcome::Failed);
                    record.error = format!("more than {} redirects", self.config.max_redirects);
                    self.record(record);
                } else if !self.host_allowed(&location) {
                    record.outcome = Some(Outcome::Failed);
                    record.error =
                        format!("redirect to {location}, a host not allowed (see --allow-host)");
                    self.record(record);
                } else {
                    // The follow-up is a request like any other: it waits its turn. The
                    // redirect itself is recorded (with no outcome) so that a resumed
                    // crawl follows it without asking again.
                    if task.origin.is_none() {
                        self.append(&record);
                    }
                    let mut next = task.clone();
                    next.origin = Some(task.record_url().clone());
                    next.url = location;
                    next.redirects += 1;
                    self.enqueue_follow_up(next);
                }
            }
            Answer::Retry { status, reason, .. } | Answer::Failed { status, reason } => {
                record.status = status;
                record.outcome = Some(Outcome::Failed);
                record.error = reason;
                self.record(record);
            }
            Answer::Blocked { status, reason } => {
                record.status = Some(status);
                record.outcome = Some(Outcome::Blocked);
                record.error = reason;
                tracing::warn!(url = %task.url, "{}", record.error);
                self.record(record);
            }
        }
    }

    /// Stores a body as the URL's new version and follows its links, unless it is junk in
    /// place of a report or attachment ([`revisit::rejection`]).
    fn take_content(
        &self,
        task: &Task,
        content: fetch::Content,
        previous: Option<&Previous>,
        mut record: Record,
    ) {
        let extension = extension_for(&task.url, &content.filename, &content.content_type);
        if let Some(before) = previous {
            if let Some(why) = revisit::rejection(before.record, before.body.as_deref(), &content) {
                return self.reject(task, content, extension, before.record, why, record);
            }
        }
        let is_markup = matches!(extension, "html" | "xml" | "json");
        let (mut effective, title) = if extension == "html" {
            self.classify(task, &content.body, &content.charset)
        } else {
            (task.kind, None)
        };
        // The same report reached by another URL than a listing's report link (a column
        // and its article, the xxgk module's page with and without its year): stored once
        // as a report. A link the title grammar named a report is taken as it is.
        let proved = task.verify || task.is_page();
        if effective == Kind::Report
            && extension == "html"
            && !self.first_copy(&content.body)
            && proved
        {
            effective = Kind::Page;
        }
        // A report the listing could not name as one: the page itself did.
        if effective == Kind::Report && (task.verify || task.kind != Kind::Report) {
            self.found(task, title.as_deref().unwrap_or(&task.link_text));
        }
        let stored = self
            .store_lock()
            .as_mut()
            .map(|s| s.put(&content.body, extension));
        match stored {
            None => {
                // A dry run: pages are read for their links, nothing is kept.
                if is_markup && (effective != Kind::Report || task.is_page()) {
                    self.visited(task, None);
                    self.follow_links(task, effective, &content.body, &content.charset);
                }
            }
            Some(Ok((sha, path))) => {
                record.kind = Some(effective);
                // A link cut short, or a way onwards that proved a report: the page's own
                // title is the report's.
                let proved = task.verify || (effective == Kind::Report && task.is_page());
                if let Some(title) = title.filter(|_| proved) {
                    record.link_text = title;
                }
                record.outcome = Some(Outcome::Fetched);
                record.sha256 = sha;
                record.path = path;
                describe_content(&mut record, &content);
                self.visited(task, Some(&record));
                self.record(record);
                if is_markup {
                    self.follow_links(task, effective, &content.body, &content.charset);
                }
            }
            Some(Err(e)) => {
                record.outcome = Some(Outcome::Failed);
                record.error = format!("could not store the body: {e}");
                self.record(record);
            }
        }
    }

    /// Records an answer that is not taken, its body kept for inspection; the last good
    /// version stays current, and its links are followed (a report's files).
    fn reject(
        &self,
        task: &Task,
        content: fetch::Content,
        extension: &str,
        before: &Record,
        why: revisit::Rejection,
        mut record: Record,
    ) {
        let stored = self
            .store_lock()
            .as_mut()
            .map(|s| s.put(&content.body, extension));
        if let Some(Ok((sha, path))) = stored {
            record.sha256 = sha;
            record.path = path;
        }
        record.kind = before.kind;
        record.outcome = Some(Outcome::Rejected);
        record.error = why.to_string();
        describe_content(&mut record, &content);
        tracing::warn!(url = %task.url, "{}", record.error);
        self.record(record);
        self.found_stored(task, before);
        self.follow_stored(task, before);
    }

    /// Lists a stored report as found when only the page could say it is one.
    fn found_stored(&self, task: &Task, before: &Record) {
        if before.kind == Some(Kind::Report) && (task.verify || task.kind != Kind::Report) {
            self.found(task, &before.link_text);
        }
    }

    /// Whether a report page's bytes are new in this run (noting them if so).
    fn first_copy(&self, body: &[u8]) -> bool {
        use sha2::{Digest, Sha256};
        let digest: [u8; 32] = Sha256::digest(body).into();
        self.lock().report_bodies.insert(digest)
    }

    /// Follows the links of a page already in the store (resumed, or not modified).
    fn follow_stored(&self, task: &Task, record: &Record) {
        self.visited(task, Some(record));
        let kind = record.kind.unwrap_or(task.kind);
        if !matches!(kind, Kind::Page | Kind::Listing | Kind::Report) {
            return;
        }
        let body = self.read_object(&record.path);
        match body {
            Ok(body) => self.follow_links(task, kind, &body, &record.charset),
            Err(e) => {
                tracing::warn!(path = %record.path, error = %e, "stored page unreadable; its links not followed")
            }
        }
    }

    /// Puts a task back to wait for its host, keeping its place among equal scores; a
    /// page counts against the budget when it is taken again.
    fn requeue(&self, task: Task) {
        let mut state = self.lock();
        if task.is_page() {
            state.summary.pages = state.summary.pages.saturating_sub(1);
        }
        state.frontier.push(task);
    }

    /// Why the host is no longer asked, if it was given up.
    fn given_up(&self, host: &str) -> Option<String> {
        self.lock().hosts.get(host)?.given_up.clone()
    }

    /// Counts a host's URLs in a row that got no answer, and gives the host up at
    /// `give_up_after`: each more such URL would cost its timeouts times its retries.
    fn count_unanswered(&self, host: &str, answer: &Answer) {
        let mut state = self.lock();
        let h = state.hosts.entry(host.to_string()).or_default();
        let Some(reason) = answer.unanswered() else {
            h.unanswered = 0;
            return;
        };
        h.unanswered += 1;
        let limit = self.config.give_up_after;
        if limit > 0 && h.unanswered >= limit && h.given_up.is_none() {
            let why = format!(
                "host gave up after {limit} consecutive timeouts or connection failures (the last: {reason}); not requested"
            );
            tracing::warn!(host, "{why}");
            h.given_up = Some(why);
        }
    }

    /// Queues a redirect's follow-up even though its URL may have been seen as a link.
    fn enqueue_follow_up(&self, task: Task) {
        if !self.host_allowed(&task.url) {
            return;
        }
        let mut state = self.lock();
        state.seen.insert(task.url.to_string());
        Self::push(&mut state, task);
        drop(state);
        self.wake.notify_all();
    }

    fn fetch_with_retries(
        &self,
        host: &str,
        url: &Url,
        form: Option<&Form>,
        validators: Option<&Validators>,
    ) -> Answer {
        let mut attempt = 0;
        loop {
            self.pace(host);
            let answer = fetch::fetch(&self.client, url, form, validators, &self.config.fetch);
            self.requested(host);
            let Answer::Retry {
                status,
                reason,
                retry_after,
            } = answer
            else {
                self.count_unanswered(host, &answer);
                return answer;
            };
            if attempt >= self.config.retries {
                let answer = Answer::Retry {
                    status,
                    reason: format!("{reason} ({} tries)", attempt + 1),
                    retry_after,
                };
                self.count_unanswered(host, &answer);
                return answer;
            }
            let backoff = self
                .config
                .backoff
                .mul_f64(2f64.powi(attempt as i32) * jitter());
            let wait = retry_after
                .map(|r| r.min(self.config.max_retry_after))
                .map_or(backoff, |r| r.max(backoff));
            tracing::info!(%url, %reason, ?wait, "retrying");
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    /// What the host's robots.txt says of `url`, asking for robots.txt first when it is
    /// due: once per run, or again after it was unreachable.
    fn robots_permission(&self, host: &str, url: &Url) -> Permission {
        let due = self
            .lock()
            .hosts
            .get(host)
            .map_or(Some(0), |h| h.robots.due(Instant::now()));
        if let Some(attempts) = due {
            let robots = self.load_robots(host, url, attempts);
            self.lock()
                .hosts
                .entry(host.to_string())
                .or_default()
                .robots = robots;
        }
        let state = self.lock();
        match state.hosts.get(host).map(|h| &h.robots) {
            Some(Robots::Known(rules)) if !rules.allows(url) => {
                Permission::Disallowed("disallowed by robots.txt".into())
            }
            Some(Robots::Unreachable { .. }) => Permission::Wait,
            Some(Robots::Disallowing(reason)) => Permission::Disallowed(reason.clone()),
            _ => Permission::Allowed,
        }
    }

    /// Reads the host's robots.txt: from the run being resumed, or asked for (a request
    /// like any other) and recorded. `attempts` is how often it was unreachable before.
    fn load_robots(&self, host: &str, url: &Url, attempts: u32) -> Robots {
        let Ok(robots_url) = url.join("/robots.txt") else {
            return Robots::Known(RobotsRules::allow_all());
        };
        let stored = self
            .resumed
            .get(robots_url.as_str())
            .filter(|r| r.has_body())
            .and_then(|r| self.read_object(&r.path).ok());
        if let Some(body) = stored {
            return Robots::Known(self.parse_robots(host, &body));
        }
        let (answer, fetched) = self.fetch_robots(host, &robots_url);
        let mut record = self.base_record(&Task::new(robots_url, Kind::Robots));
        record.final_url = fetched.to_string();
        let robots = match answer {
            Answer::Content(c) => {
                let stored = self.store_lock().as_mut().map(|s| s.put(&c.body, "txt"));
                if let Some(Ok((sha, path))) = stored {
                    record.sha256 = sha;
                    record.path = path;
                }
                record.outcome = Some(Outcome::Fetched);
                record.status = Some(c.status);
                record.bytes = Some(c.body.len() as u64);
                Robots::Known(self.parse_robots(host, &c.body))
            }
            other => {
                record.outcome = Some(Outcome::Failed);
                record.status = answer_status(&other);
                match robots_unreachable(&other) {
                    Some(reason) => {
                        let (robots, error) = self.unreachable_robots(host, reason, attempts + 1);
                        record.error = error;
                        robots
                    }
                    None => {
                        let what = match &other {
                            Answer::Redirect { location, .. } => format!(
                                "more than {ROBOTS_REDIRECTS} redirects, the last to {location}"
                            ),
                            _ => answer_status(&other)
                                .map_or_else(|| "no answer".to_string(), |s| format!("HTTP {s}")),
                        };
                        record.error = format!("no robots.txt ({what}); everything allowed");
                        Robots::Known(RobotsRules::allow_all())
                    }
                }
            }
        };
        self.append(&record);
        robots
    }

    /// robots.txt and the URL that answered: redirects are followed, up to five and to any
    /// host (RFC 9309 §2.3.1.2); past five it is not available (everything allowed).
    fn fetch_robots(&self, host: &str, robots_url: &Url) -> (Answer, Url) {
        let mut url = robots_url.clone();
        let mut answer = self.fetch_with_retries(host, &url, None, None);
        for _ in 0..ROBOTS_REDIRECTS {
            let Answer::Redirect { location, .. } = &answer else {
                break;
            };
            url = location.clone();
            answer = self.fetch_with_retries(&host_key(&url), &url, None, None);
        }
        (answer, url)
    }

    /// An unreachable robots.txt disallows the host (RFC 9309 §2.3.1.3): for now, asked
    /// again after `robots_retry_delay`; for the run once `robots_retries` are spent.
    /// Returns the state and what the robots.txt record says.
    fn unreachable_robots(&self, host: &str, reason: &str, attempts: u32) -> (Robots, String) {
        let unreachable = format!("robots.txt unreachable: {reason}");
        if attempts > self.config.robots_retries {
            let error = format!(
                "{unreachable}; asked {attempts} times in this run, so every URL of the host is disallowed"
            );
            tracing::warn!(host, "{error}");
            return (Robots::Disallowing(error.clone()), error);
        }
        let wait = self.config.robots_retry_delay;
        let error = format!(
            "{unreachable}; the host is disallowed until it can be read, asked again in {} s (round {attempts} of {})",
            wait.as_secs_f64(),
            self.config.robots_retries + 1
        );
        tracing::warn!(host, "{error}");
        let retry_at = Instant::now() + wait;
        (Robots::Unreachable { attempts, retry_at }, error)
    }

    /// The rules of a robots.txt body; the next request to the host waits for its
    /// (possibly longer) Crawl-delay. A body that does not parse allows everything.
    fn parse_robots(&self, host: &str, body: &[u8]) -> RobotsRules {
        match RobotsRules::parse(&self.config.fetch.user_agent, body) {
            Ok(robots) => {
                let wait = self.delay(Some(&robots));
                self.lock()
                    .hosts
                    .entry(host.to_string())
                    .or_default()
                    .next_at = Some(Instant::now() + wait);
                robots
            }
            Err(e) => {
                tracing::warn!(host, error = %e, "robots.txt unreadable; everything allowed");
                RobotsRules::allow_all()
            }
        }
    }

    /// What an HTML page really is. A page reached by a link that only may be a report
    /// (a cut title, a bare year, a body's name, the xxgk module) is one if one of its own
    /// titles is a report title, if its text reads as a report, or — listed as a bare year
    /// — if it carries a file (the report as an attachment). A start page, or a page
    /// inside the report columns, is a report if its title names one and it links none.
    /// Also returns the page's title when it had to be read.
    fn classify(&self, task: &Task, body: &[u8], charset: &str) -> (Kind, Option<String>) {
        let inside = task.kind == Kind::Page && task.context.in_reports;
        if !(task.verify || task.kind == Kind::Page) {
            return (task.kind, None);
        }
        let (decoded, _) = nianbao_read::decode_html(body, Some(charset).filter(|c| !c.is_empty()));
        let html = Html::parse_document(&decoded.text);
        let titles = discover::page_titles(&html);
        let named = leads::names_report(&titles)
            .filter(|t| self.config.filter.takes(t))
            .map(|t| nianbao_wording::title_part(t).to_string());
        let links = page_links(&html, &task.url);
        if task.verify {
            if named.is_some() {
                return (Kind::Report, named);
            }
            let text: String = html.root_element().text().collect();
            // Listed as a bare year or a table cell's body and year: nothing else tells.
            let bare_year = parse_title(&task.link_text).kind
                == nianbao_wording::TitleKind::YearOnly
                || nianbao_wording::site::body_and_year(&task.link_text).is_some();
            let carries_file = links.iter().any(is_file_link);
            let kind = if leads::reads_as_report(&text) || (bare_year && carries_file) {
                Kind::Report
            } else {
                Kind::Page
            };
            return (kind, titles.into_iter().next());
        }
        // A report page may name its own files as reports; a listing links report pages.
        let links_reports = links
            .iter()
            .any(|l| l.url != task.url && !is_file_link(l) && parse_title(l.label()).is_report());
        match named {
            Some(title) if !links_reports && (task.start || inside) => (Kind::Report, Some(title)),
            named if self.shows_report(task, &html, &titles) => (Kind::Report, named),
            _ => (task.kind, titles.into_iter().next()),
        }
    }

    /// A page fetched as a way onwards whose own content is a report, tables and all: a
    /// column in single-article mode, a notice printing the report it publishes, the xxgk
    /// module's page a menu links. Whatever it links to besides, it is the report.
    fn shows_report(&self, task: &Task, html: &Html, titles: &[String]) -> bool {
        let text: String = html.root_element().text().collect();
        !leads::titled_look_alike(titles)
            && leads::prints_report(&text)
            && self
                .config
                .filter
                .takes(titles.first().unwrap_or(&task.link_text))
    }

    /// Queues where a page's links lead ([`leads::lead`]) and, for a page inside the report
    /// columns, its other pages ([`discover::more_pages`]). A report page leads only to its
    /// files; a page that was only maybe a report and is not leads nowhere.
    fn follow_links(&self, task: &Task, kind: Kind, body: &[u8], charset: &str) {
        if task.verify && kind != Kind::Report {
            return;
        }
        let (decoded, _) = nianbao_read::decode_html(body, Some(charset).filter(|c| !c.is_empty()));
        let html = Html::parse_document(&decoded.text);
        // A JSON list's items; Hanweb list records before the page's own links: an HTML
        // parser reads their CDATA as comments and finds their links without the list
        // item (and its date) around them.
        let mut links = discover::json_links(&decoded.text, &task.url);
        links.extend(discover::record_links(&decoded.text, &task.url));
        links.extend(page_links(&html, &task.url));
        let on_report = kind == Kind::Report;
        // A report fetched as a way onwards stays one: its files are its attachments, its
        // other links lead as a page's do (a single-article column's older years).
        let on_the_way = on_report && task.is_page();
        let context = leads::page_context(&task.context, &links, &discover::page_title(&html));
        for link in &links {
            let as_report = on_report && (!on_the_way || is_file_link(link));
            match leads::lead(link, &context, as_report, self.config.nav_depth) {
                Lead::Report { verify } => self.enqueue_report(task, &context, link, verify),
                Lead::Attachment => {
                    let mut t = Task::new(link.url.clone(), Kind::Attachment);
                    t.parent = task.record_url().to_string();
                    t.listing = task.listing.clone();
                    t.link_text = link.label().to_string();
                    t.listed_date = task.listed_date.clone();
                    t.context.column = task.context.column.clone();
                    self.enqueue(t);
                }
                Lead::Page { score, context } => {
                    let mut t = Task::new(link.url.clone(), Kind::Page);
                    t.score = score;
                    t.context = context;
                    t.link_text = link.label().to_string();
                    self.enqueue(t);
                }
                Lead::Nowhere => {}
            }
        }
        if (on_report && !on_the_way) || !context.in_reports {
            return;
        }
        let more_score = score::MORE_PAGES.saturating_sub(u32::from(context.hops) * score::PER_HOP);
        let lists = discover::script_lists(&decoded.text, &task.url)
            .into_iter()
            .map(MorePage::Get);
        let more: Vec<MorePage> =
            discover::more_pages(&decoded.text, &task.url, &links, task.form.is_some())
                .into_iter()
                .chain(lists)
                .collect();
        // A listing's later pages announce their count again; its first says it alone.
        if more.is_empty() && task.kind != Kind::Listing {
            let text: String = html.root_element().text().collect();
            if let Some(count) = discover::announced_pages(&decoded.text, &text) {
                self.pages_unread(task, count);
            }
        }
        for more in more {
            let (url, form) = match more {
                MorePage::Get(url) => (url, None),
                MorePage::Post(jpage) => (
                    jpage.proxy,
                    Some(Form {
                        fields: jpage.fields,
                        referer: task.record_url().to_string(),
                    }),
                ),
            };
            let mut t = Task::new(url, Kind::Listing);
            t.form = form;
            t.score = more_score;
            t.context = context.clone();
            self.enqueue(t);
        }
    }

    /// A listing that says it has `count` pages (more than one) and offers no way to the
    /// others the crawl can follow (a `__doPostBack` pager, a script it does not know):
    /// warned and recorded, so that the reports on them are not lost unnoticed.
    fn pages_unread(&self, task: &Task, count: usize) {
        if count < 2 {
            return;
        }
        let url = task.record_url().to_string();
        let why = format!(
            "the listing announces {count} pages but links none of the others in a way the crawl can follow: only its first page was read"
        );
        tracing::warn!(url = %url, "{why}");
        self.append(&Record {
            url: url.clone(),
            error: why,
            ..run_marker("pages_unread", self.run)
        });
        self.lock().summary.pages_unread.push(url);
    }

    /// Queues a report link (or one that may be a report), unless its year is before
    /// `--since` or `--match` does not take its title; lists it as found unless the page
    /// must say first.
    fn enqueue_report(&self, task: &Task, context: &Context, link: &Link, verify: bool) {
        let label = link.label();
        let title = parse_title(label);
        if matches!((self.config.since, title.year), (Some(since), Some(year)) if year < since) {
            return;
        }
        if !verify && !self.config.filter.takes(label) {
            return;
        }
        let kind = if is_file_link(link) {
            Kind::Attachment
        } else {
            Kind::Report
        };
        let mut t = Task::new(link.url.clone(), kind);
        t.score = if verify {
            score::MAYBE_REPORT
        } else {
            score::REPORT
        };
        t.verify = verify;
        t.listing = task.record_url().to_string();
        t.link_text = label.to_string();
        t.listed_date = link.date.clone().unwrap_or_default();
        // A cell's row names the body its column (or the title) leaves out.
        t.context.column = nianbao_wording::site::body_and_year(label)
            .map_or_else(|| context.column.clone(), |(body, _)| body);
        if self.enqueue(t.clone()) && !verify {
            self.found(&t, label);
        }
    }

    /// Lists a report as found, its body from the column when the title names none.
    fn found(&self, task: &Task, title: &str) {
        let read = parse_title(title);
        let agency = if read.agency.is_empty() {
            task.context.column.clone()
        } else {
            read.agency
        };
        let year = read.year.or_else(|| parse_title(&task.link_text).year);
        self.lock().summary.found.push(FoundReport {
            url: task.record_url().to_string(),
            kind: task.kind,
            title: title.to_string(),
            agency,
            year,
            listing: task.listing.clone(),
        });
    }
}

/// Notes what an answer's body was: status, size, type and validators.
fn describe_content(record: &mut Record, content: &fetch::Content) {
    record.status = Some(content.status);
    record.bytes = Some(content.body.len() as u64);
    record.content_type = content.content_type.clone();
    record.charset = content.charset.clone();
    record.etag = content.etag.clone();
    record.last_modified = content.last_modified.clone();
}

/// Why robots.txt is unreachable, if its answer makes it so (RFC 9309 §2.3.1.3): a
/// server error or no answer at all — and, as a request to slow down, a 429 — rather than
/// a 4xx (no rules: everything allowed).
/// Redirects followed to a robots.txt.
const ROBOTS_REDIRECTS: usize = 5;

fn robots_unreachable(answer: &Answer) -> Option<&str> {
    match answer {
        Answer::Retry { reason, .. } => Some(reason),
        Answer::Failed { status, reason } if status.is_none_or(|s| s >= 500) => Some(reason),
        Answer::Blocked { status, reason } if *status >= 500 => Some(reason),
        _ => None,
    }
}

fn answer_status(answer: &Answer) -> Option<u16> {
    match answer {
        Answer::Content(c) => Some(c.status),
        Answer::NotModified { status }
        | Answer::Redirect { status, .. }
        | Answer::Blocked { status, .. } => Some(*status),
        Answer::Retry { status, .. } | Answer::Failed { status, .. } => *status,
    }
}

/// The site a host belongs to (`www.yuhang.gov.cn` → `yuhang.gov.cn`): a domain name of
/// three labels or more, so that `www.gov.cn` does not open every government host.
fn site_domain(host: url::Host<&str>) -> Option<String> {
    let url::Host::Domain(name) = host else {
        return None;
    };
    let name = name.to_ascii_lowercase();
    let site = name.strip_prefix("www.").unwrap_or(&name);
    (site.split('.').count() >= 3).then(|| site.to_string())
}

/// `xxgk.yuhang.gov.cn` is a host of the site `yuhang.gov.cn`; `fakeyuhang.gov.cn` is not.
fn on_site(host: &str, site: &str) -> bool {
    host.len() > site.len() + 1
        && host.ends_with(site)
        && host[..host.len() - site.len()].ends_with('.')
}

/// The stored file's extension: the URL's or the download's file name's when they name a
/// document type, else by content type.
fn extension_for(url: &Url, filename: &str, content_type: &str) -> &'static str {
    if let Some(ext) = attachment_extension(url).or_else(|| discover::file_extension(filename)) {
        return ext;
    }
    let ct = content_type.to_ascii_lowercase();
    if ct.contains("wordprocessingml") {
        "docx"
    } else if ct.contains("pdf") {
        "pdf"
    } else if ct.contains("msword") {
        "doc"
    } else if ct.contains("spreadsheetml") {
        "xlsx"
    } else if ct.contains("text/plain") {
        "txt"
    } else if ct.contains("json") {
        "json"
    } else if ct.contains("xml") && !ct.contains("html") {
        "xml"
    } else {
        "html"
    }
}

/// One of N parts of a crawl (`--shard K/N`): the start URLs whose host hashes to part K,
/// so that a national run splits over the array jobs of a scheduler. The hash (SHA-256 of
/// the host and port) is the same on every machine and every run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based, at most `count`.
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Whether the host of `url` falls in this shard (none does in a shard out of range).
    pub fn takes(&self, url: &Url) -> bool {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(host_key(url).to_ascii_lowercase().as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        let hash = u64::from_be_bytes(first);
        match (u64::from(self.index).checked_sub(1), u64::from(self.count)) {
            (Some(k), n) if k < n => hash % n == k,
            _ => false,
        }
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `K/N` with 1 ≤ K ≤ N.
    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?} is not K/N (e.g. 3/16)"))?;
        let parse = |x: &str| x.trim().parse::<u32>().map_err(|e| format!("{x:?}: {e}"));
        let (index, count) = (parse(k)?, parse(n)?);
        if index == 0 || count == 0 || index > count {
            return Err(format!("{s:?}: K must be between 1 and N"));
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_hosts_site_opens_its_other_hosts_but_never_a_whole_suffix() {
        let site = |u: &str| site_domain(Url::parse(u).unwrap().host().unwrap());
        assert_eq!(
            site("http://www.yuhang.gov.cn/").as_deref(),
            Some("yuhang.gov.cn")
        );
        assert_eq!(
            site("https://yuhang.gov.cn/").as_deref(),
            Some("yuhang.gov.cn")
        );
        assert_eq!(site("http://www.gov.cn/"), None);
        assert_eq!(site("http://127.0.0.1:8080/"), None);
        assert_eq!(site("http://example.com/"), None);
        assert!(on_site("xxgk.yuhang.gov.cn", "yuhang.gov.cn"));
        assert!(!on_site("fakeyuhang.gov.cn", "yuhang.gov.cn"));
        assert!(!on_site("yuhang.gov.cn", "yuhang.gov.cn"));
    }

    #[test]
    fn shards_are_k_of_n_and_split_hosts_stably() {
        assert!("0/4".parse::<Shard>().is_err());
        assert!("5/4".parse::<Shard>().is_err());
        assert!("3".parse::<Shard>().is_err());
        let shards: Vec<Shard> = (1..=4).map(|k| format!("{k}/4").parse().unwrap()).collect();
        let out_of_range = Shard { index: 0, count: 0 };
        assert!(!out_of_range.takes(&Url::parse("http://x.gov.cn/").unwrap()));
        for host in [
            "http://www.yuhang.gov.cn/",
            "http://127.0.0.1:8080/",
            "http://www.bjft.gov.cn/x",
        ] {
            let url = Url::parse(host).unwrap();
            assert_eq!(shards.iter().filter(|s| s.takes(&url)).count(), 1, "{host}");
        }
    }
}
