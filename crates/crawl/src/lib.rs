//! Crawling: start URLs in, a corpus out — report pages and their attachments stored by
//! content hash, with a manifest recording every fetch.
//!
//! From a site's home page the crawler follows navigation whose text points to the
//! report columns (政府信息公开, 年报, 年度报告) within a depth limit, walks each column's
//! sub-columns and pagination, picks report links by their title, and fetches each report
//! page and the files it links. It is polite: robots.txt (with Crawl-delay) is obeyed,
//! each host gets one request at a time at most `rate` per second while different hosts
//! proceed in parallel, failures are retried with exponential backoff and jitter
//! (honouring Retry-After), and a redirect's follow-up waits its turn like any request.
//! It is resumable: a killed crawl continues where it stopped, and a later crawl asks
//! conditionally and downloads nothing unchanged. It never parses tables.

pub mod discover;
pub mod fetch;
pub mod store;

use std::collections::{HashMap, HashSet, VecDeque};
use std::io;
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use scraper::Html;
use url::Url;

use discover::{attachment_extension, is_navigation, page_links, pagination, ReportPattern};
use fetch::{Answer, FetchConfig, Form, Validators};
use store::{now_rfc3339, Kind, Manifest, Outcome, Record, Store};

/// Everything a crawl is told.
#[derive(Clone, Debug)]
pub struct CrawlConfig {
    pub start_urls: Vec<Url>,
    pub corpus: PathBuf,
    pub pattern: ReportPattern,
    /// Skip reports on years before this.
    pub since: Option<u16>,
    /// Most pages (navigation and listings) visited in one run.
    pub max_pages: usize,
    /// Requests per second per host.
    pub rate: f64,
    /// Hosts besides the start URLs' that may be fetched (e.g. an attachment server).
    pub allow_hosts: Vec<String>,
    /// Hosts fetched at once.
    pub jobs: usize,
    /// How many navigation links deep to look for the report columns.
    pub nav_depth: usize,
    pub retries: u32,
    /// First retry delay; doubled each time, with jitter.
    pub backoff: Duration,
    /// Longest Retry-After honoured; longer ones are cut to this.
    pub max_retry_after: Duration,
    pub max_redirects: usize,
    pub fetch: FetchConfig,
}

impl CrawlConfig {
    pub fn new(start_urls: Vec<Url>, corpus: PathBuf) -> CrawlConfig {
        CrawlConfig {
            start_urls,
            corpus,
            pattern: ReportPattern::new(ReportPattern::DEFAULT).expect("default pattern"),
            since: None,
            max_pages: 2000,
            rate: 1.0,
            allow_hosts: Vec::new(),
            jobs: 4,
            nav_depth: 3,
            retries: 3,
            backoff: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(120),
            max_redirects: 5,
            fetch: FetchConfig::default(),
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
    pub reports: usize,
    pub attachments: usize,
    pub bytes: u64,
    /// URLs whose record was already in this (resumed) run: not asked again.
    pub resumed_urls: usize,
}

#[derive(Clone, Debug)]
struct Task {
    url: Url,
    kind: Kind,
    depth: usize,
    /// Path prefix of the report column this listing belongs to.
    column: Option<String>,
    listing: String,
    link_text: String,
    listed_date: String,
    parent: String,
    /// The URL as found on the page, when this is a redirect's follow-up.
    origin: Option<Url>,
    /// A report only if the page's own title says so (its link text was cut short).
    verify: bool,
    /// Asked for with POST (a Hanweb list).
    form: Option<Form>,
    redirects: usize,
}

impl Task {
    fn new(url: Url, kind: Kind) -> Task {
        Task {
            url,
            kind,
            depth: 0,
            column: None,
            listing: String::new(),
            link_text: String::new(),
            listed_date: String::new(),
            parent: String::new(),
            origin: None,
            verify: false,
            form: None,
            redirects: 0,
        }
    }

    fn record_url(&self) -> &Url {
        self.origin.as_ref().unwrap_or(&self.url)
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
    robots: Option<RobotsRules>,
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

    pub fn allows(&self, url: &Url) -> bool {
        self.robot.as_ref().is_none_or(|r| r.allowed(url.as_str()))
    }
}

struct State {
    frontier: VecDeque<Task>,
    hosts: HashMap<String, HostState>,
    seen: HashSet<String>,
    in_flight: usize,
    pages_queued: usize,
    summary: CrawlSummary,
}

/// Records of the run being resumed, by URL.
type Resumed = HashMap<String, Record>;

struct Crawler<'a> {
    config: &'a CrawlConfig,
    client: reqwest::blocking::Client,
    store: Mutex<Store>,
    state: Mutex<State>,
    wake: Condvar,
    run: u64,
    resumed: Resumed,
    /// Validators and stored bodies from earlier runs, by URL.
    previous: HashMap<String, Record>,
    allowed_hosts: HashSet<String>,
    on_event: &'a (dyn Fn(&Event) + Sync),
}

/// Crawls until every discovered URL is done; writes the corpus and manifest.
pub fn crawl(config: &CrawlConfig, on_event: &(dyn Fn(&Event) + Sync)) -> io::Result<CrawlSummary> {
    let manifest = Manifest::load(&config.corpus)?;
    let (run, resuming) = match manifest.last_run() {
        Some((run, false)) => (run, true),
        Some((run, true)) => (run + 1, false),
        None => (1, false),
    };
    let mut resumed = Resumed::new();
    let mut previous = HashMap::new();
    for record in manifest.records.iter().filter(|r| r.is_fetch()) {
        if resuming && record.run == run {
            resumed.insert(record.url.clone(), record.clone());
        } else if record.has_body() {
            previous.insert(record.url.clone(), record.clone());
        }
    }
    let mut store = Store::open(&config.corpus)?;
    if !resuming {
        store.append(&Record {
            event: "run_started".into(),
            run,
            at: now_rfc3339(),
            ..Record::default()
        })?;
    }
    let client = fetch::client(&config.fetch).map_err(io::Error::other)?;
    let mut allowed_hosts: HashSet<String> = config.start_urls.iter().map(host_key).collect();
    allowed_hosts.extend(config.allow_hosts.iter().cloned());
    let crawler = Crawler {
        config,
        client,
        store: Mutex::new(store),
        state: Mutex::new(State {
            frontier: VecDeque::new(),
            hosts: HashMap::new(),
            seen: HashSet::new(),
            in_flight: 0,
            pages_queued: 0,
            summary: CrawlSummary {
                run,
                resumed: resuming,
                ..CrawlSummary::default()
            },
        }),
        wake: Condvar::new(),
        run,
        resumed,
        previous,
        allowed_hosts,
        on_event,
    };
    for url in &config.start_urls {
        crawler.enqueue(Task::new(url.clone(), Kind::Page));
    }
    std::thread::scope(|scope| {
        for _ in 0..config.jobs.max(1) {
            scope.spawn(|| crawler.work());
        }
    });
    let summary = crawler.lock().summary.clone();
    crawler.store_lock().append(&Record {
        event: "run_finished".into(),
        run,
        at: now_rfc3339(),
        ..Record::default()
    })?;
    Ok(summary)
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

    fn store_lock(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn host_allowed(&self, url: &Url) -> bool {
        self.allowed_hosts.contains(&host_key(url))
            || url
                .host_str()
                .is_some_and(|h| self.allowed_hosts.contains(h))
    }

    /// Queues a task unless its URL was seen, it leaves the allowed hosts, or the page
    /// budget is spent.
    fn enqueue(&self, task: Task) {
        if !self.host_allowed(&task.url) {
            tracing::debug!(url = %task.url, "not on an allowed host: skipped");
            return;
        }
        let mut state = self.lock();
        let is_page = matches!(task.kind, Kind::Page | Kind::Listing);
        if is_page && state.pages_queued >= self.config.max_pages {
            return;
        }
        if !state.seen.insert(task.url.to_string()) {
            return;
        }
        if is_page {
            state.pages_queued += 1;
        }
        state.frontier.push_back(task);
        let queued = state.seen.len();
        drop(state);
        (self.on_event)(&Event::Queued { queued });
        self.wake.notify_all();
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

    /// The next task whose host is free, marking the host busy; `None` when all is done.
    fn next_task(&self) -> Option<Task> {
        let mut state = self.lock();
        loop {
            let free = state
                .frontier
                .iter()
                .position(|t| !state.hosts.get(&host_key(&t.url)).is_some_and(|h| h.busy));
            if let Some(i) = free {
                let task = state.frontier.remove(i)?;
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
        let delay = self.delay(state.hosts.get(host).and_then(|h| h.robots.as_ref()));
        state.hosts.entry(host.to_string()).or_default().next_at = Some(Instant::now() + delay);
    }

    fn delay(&self, robots: Option<&RobotsRules>) -> Duration {
        let by_rate = Duration::from_secs_f64(1.0 / self.config.rate.max(0.001));
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
            Outcome::Fetched => record.bytes.unwrap_or(0),
            _ => 0,
        };
        if let Err(e) = self.store_lock().append(&record) {
            tracing::error!(error = %e, "manifest not written");
        }
        {
            let mut state = self.lock();
            let s = &mut state.summary;
            match outcome {
                Outcome::Fetched => s.fetched += 1,
                Outcome::NotModified => s.not_modified += 1,
                Outcome::Failed => s.failed += 1,
                Outcome::Blocked => s.blocked += 1,
                Outcome::Disallowed => s.disallowed += 1,
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
            parent: task.parent.clone(),
            ..Record::default()
        }
    }

    fn process(&self, task: Task) {
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
            if done.has_body() {
                self.follow_stored(&task, done);
            }
            return;
        }
        let host = host_key(&task.url);
        if !self.robots_allow(&host, &task.url) {
            let mut record = self.base_record(&task);
            record.outcome = Some(Outcome::Disallowed);
            record.error = "disallowed by robots.txt".into();
            self.record(record);
            return;
        }
        // A POSTed list cannot be asked for conditionally.
        let validators = self
            .previous
            .get(task.record_url().as_str())
            .filter(|_| task.form.is_none())
            .map(|r| Validators {
                etag: r.etag.clone(),
                last_modified: r.last_modified.clone(),
            });
        let answer =
            self.fetch_with_retries(&host, &task.url, task.form.as_ref(), validators.as_ref());
        let mut record = self.base_record(&task);
        match answer {
            Answer::Content(content) => {
                let extension = extension_for(&task.url, &content.content_type);
                let is_markup = matches!(extension, "html" | "xml");
                let (effective, title) = if extension == "html" {
                    self.classify(&task, &content.body, &content.charset)
                } else {
                    (task.kind, None)
                };
                let stored = self.store_lock().put(&content.body, extension);
                match stored {
                    Ok((sha, path)) => {
                        record.kind = Some(effective);
                        // A link cut short: the page's own title is the full one.
                        if let Some(title) = title.filter(|_| task.verify) {
                            record.link_text = title;
                        }
                        record.outcome = Some(Outcome::Fetched);
                        record.status = Some(content.status);
                        record.sha256 = sha;
                        record.path = path;
                        record.bytes = Some(content.body.len() as u64);
                        record.content_type = content.content_type;
                        record.charset = content.charset.clone();
                        record.etag = content.etag;
                        record.last_modified = content.last_modified;
                        self.record(record);
                        if is_markup {
                            self.follow_links(&task, effective, &content.body, &content.charset);
                        }
                    }
                    Err(e) => {
                        record.outcome = Some(Outcome::Failed);
                        record.error = format!("could not store the body: {e}");
                        self.record(record);
                    }
                }
            }
            Answer::NotModified { status } => {
                let Some(before) = self.previous.get(task.record_url().as_str()) else {
                    record.outcome = Some(Outcome::Failed);
                    record.status = Some(status);
                    record.error = "304 Not Modified for a URL never fetched".into();
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
                        if let Err(e) = self.store_lock().append(&record) {
                            tracing::error!(error = %e, "manifest not written");
                        }
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

    /// Follows the links of a page already in the store (resumed, or not modified).
    fn follow_stored(&self, task: &Task, record: &Record) {
        let kind = record.kind.unwrap_or(task.kind);
        if !matches!(kind, Kind::Page | Kind::Listing | Kind::Report) {
            return;
        }
        let body = self.store_lock().read(&record.path);
        match body {
            Ok(body) => self.follow_links(task, kind, &body, &record.charset),
            Err(e) => {
                tracing::warn!(path = %record.path, error = %e, "stored page unreadable; its links not followed")
            }
        }
    }

    /// Queues a redirect's follow-up even though its URL may have been seen as a link.
    fn enqueue_follow_up(&self, task: Task) {
        if !self.host_allowed(&task.url) {
            return;
        }
        let mut state = self.lock();
        state.seen.insert(task.url.to_string());
        state.frontier.push_back(task);
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
                return answer;
            };
            if attempt >= self.config.retries {
                return Answer::Failed {
                    status,
                    reason: format!("{reason} (gave up after {} attempts)", attempt + 1),
                };
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

    /// Fetches and parses the host's robots.txt once per run (a request like any other).
    fn robots_allow(&self, host: &str, url: &Url) -> bool {
        let known = self
            .lock()
            .hosts
            .get(host)
            .is_some_and(|h| h.robots.is_some());
        if !known {
            let rules = self.load_robots(host, url);
            self.lock()
                .hosts
                .entry(host.to_string())
                .or_default()
                .robots = Some(rules);
        }
        let state = self.lock();
        state
            .hosts
            .get(host)
            .and_then(|h| h.robots.as_ref())
            .is_none_or(|r| r.allows(url))
    }

    fn load_robots(&self, host: &str, url: &Url) -> RobotsRules {
        let Ok(robots_url) = url.join("/robots.txt") else {
            return RobotsRules {
                robot: None,
                delay: None,
            };
        };
        let stored = self
            .resumed
            .get(robots_url.as_str())
            .filter(|r| r.has_body());
        let body = match stored {
            Some(r) => {
                let body = self.store_lock().read(&r.path);
                body.ok()
            }
            None => {
                let answer = self.fetch_with_retries(host, &robots_url, None, None);
                let mut record = self.base_record(&Task::new(robots_url.clone(), Kind::Robots));
                let body = match answer {
                    Answer::Content(c) => {
                        let stored = self.store_lock().put(&c.body, "txt");
                        if let Ok((sha, path)) = stored {
                            record.sha256 = sha;
                            record.path = path;
                        }
                        record.outcome = Some(Outcome::Fetched);
                        record.status = Some(c.status);
                        record.bytes = Some(c.body.len() as u64);
                        Some(c.body)
                    }
                    other => {
                        record.outcome = Some(Outcome::Failed);
                        record.error = format!("no robots.txt ({other:?}); everything allowed");
                        None
                    }
                };
                if let Err(e) = self.store_lock().append(&record) {
                    tracing::error!(error = %e, "manifest not written");
                }
                body
            }
        };
        let Some(body) = body else {
            return RobotsRules {
                robot: None,
                delay: None,
            };
        };
        match RobotsRules::parse(&self.config.fetch.user_agent, &body) {
            Ok(robots) => {
                // The next request to this host waits for the (possibly longer) delay.
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
                RobotsRules {
                    robot: None,
                    delay: None,
                }
            }
        }
    }

    /// What an HTML page really is: a link cut short is a report only if the page's title
    /// names one; a start page is a report if its title names one and it links none.
    /// Also returns the page's title when it had to be read.
    fn classify(&self, task: &Task, body: &[u8], charset: &str) -> (Kind, Option<String>) {
        let start_page = task.kind == Kind::Page && task.depth == 0;
        if !(task.verify || start_page) {
            return (task.kind, None);
        }
        let (decoded, _) = nianbao_read::decode_html(body, Some(charset).filter(|c| !c.is_empty()));
        let html = Html::parse_document(&decoded.text);
        let title = discover::page_title(&html);
        if task.verify {
            let kind = if self.config.pattern.is_report(&title) {
                Kind::Report
            } else {
                Kind::Page
            };
            return (kind, Some(title));
        }
        let links = page_links(&html, &task.url);
        let links_reports = links
            .iter()
            .any(|l| l.url != task.url && self.config.pattern.is_report(l.label()));
        let kind = if !links_reports && self.config.pattern.is_report(&title) {
            Kind::Report
        } else {
            Kind::Page
        };
        (kind, Some(title))
    }

    /// Queues what a page links: reports and attachments, pagination, sub-columns,
    /// navigation towards the columns.
    fn follow_links(&self, task: &Task, kind: Kind, body: &[u8], charset: &str) {
        let (decoded, _) = nianbao_read::decode_html(body, Some(charset).filter(|c| !c.is_empty()));
        // Hanweb list records first: an HTML parser reads their CDATA as comments and
        // finds their links without the list item (and its date) around them.
        let mut links = discover::record_links(&decoded.text, &task.url);
        links.extend(page_links(&Html::parse_document(&decoded.text), &task.url));
        let page_url = task.record_url().to_string();
        if kind == Kind::Report {
            for link in links
                .iter()
                .filter(|l| attachment_extension(&l.url).is_some())
            {
                let mut t = Task::new(link.url.clone(), Kind::Attachment);
                t.parent = page_url.clone();
                t.listing = task.listing.clone();
                t.link_text = link.label().to_string();
                t.listed_date = task.listed_date.clone();
                self.enqueue(t);
            }
            return;
        }
        let mut column = task.column.clone();
        let any_report = links
            .iter()
            .any(|l| self.config.pattern.is_report(l.label()));
        if column.is_none()
            && (any_report
                || ["年报", "年度报告"]
                    .iter()
                    .any(|k| task.link_text.contains(k)))
        {
            column = Some(dir_of(&task.url));
        }
        for link in &links {
            let label = link.label();
            if self.config.pattern.is_report(label) {
                if let (Some(since), Some(year)) = (self.config.since, discover::report_year(label))
                {
                    if year < since {
                        continue;
                    }
                }
                let kind = if attachment_extension(&link.url).is_some() {
                    Kind::Attachment
                } else {
                    Kind::Report
                };
                let mut t = Task::new(link.url.clone(), kind);
                t.listing = page_url.clone();
                t.link_text = label.to_string();
                t.listed_date = link.date.clone().unwrap_or_default();
                self.enqueue(t);
            } else if self
                .config
                .pattern
                .may_be_cut_report(label, column.is_some())
                && attachment_extension(&link.url).is_none()
                && !matches!((self.config.since, discover::report_year(label)), (Some(since), Some(year)) if year < since)
            {
                let mut t = Task::new(link.url.clone(), Kind::Report);
                t.verify = true;
                t.depth = self.config.nav_depth; // not a way onwards if it is no report
                t.listing = page_url.clone();
                t.link_text = label.to_string();
                t.listed_date = link.date.clone().unwrap_or_default();
                self.enqueue(t);
            }
        }
        if let Some(jpage) =
            discover::hanweb_jpage(&decoded.text, &task.url).filter(|_| task.form.is_none())
        {
            // The whole list of a Hanweb column, asked for with its form.
            let mut t = Task::new(jpage.proxy, Kind::Listing);
            t.form = Some(Form {
                fields: jpage.fields,
                referer: page_url.clone(),
            });
            t.column = column.clone().or_else(|| Some(dir_of(&task.url)));
            t.depth = task.depth + 1;
            self.enqueue(t);
        }
        if let Some(prefix) = &column {
            let mut next_pages = pagination(&decoded.text, &task.url, &links);
            // Sub-columns: pages under the column's path that are not reports.
            next_pages.extend(
                links
                    .iter()
                    .filter(|l| {
                        !self.config.pattern.is_report(l.label()) && discover::is_sub_column(l)
                    })
                    .filter(|l| l.url.as_str().starts_with(prefix.as_str()) && l.url != task.url)
                    .map(|l| l.url.clone()),
            );
            for url in next_pages {
                let mut t = Task::new(url, Kind::Listing);
                t.column = column.clone();
                t.depth = task.depth + 1;
                self.enqueue(t);
            }
        }
        if task.kind == Kind::Page && task.depth < self.config.nav_depth {
            for link in links.iter().filter(|l| is_navigation(l)) {
                let mut t = Task::new(link.url.clone(), Kind::Page);
                t.depth = task.depth + 1;
                t.link_text = link.label().to_string();
                self.enqueue(t);
            }
        }
    }
}

/// `http://x/a/b/index.html` → `http://x/a/b/`.
fn dir_of(url: &Url) -> String {
    let s = url.as_str();
    let without_query = s.split(['?', '#']).next().unwrap_or(s);
    match without_query.rfind('/') {
        Some(i) => without_query[..=i].to_string(),
        None => without_query.to_string(),
    }
}

/// The stored file's extension: the URL's when it names a document type, else by content type.
fn extension_for(url: &Url, content_type: &str) -> &'static str {
    if let Some(ext) = attachment_extension(url) {
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
    } else if ct.contains("xml") && !ct.contains("html") {
        "xml"
    } else {
        "html"
    }
}
