//! Batch and export: document files in, the CSV files of the output contract out.
//!
//! Documents are read, extracted and rendered in parallel on worker threads under a
//! watchdog (`workers`), and their rows written in input order as they finish, with a
//! bounded number waiting, so memory does not grow with the corpus and the same input
//! always gives the same bytes whatever the number of threads. Every file is written under a
//! temporary name and renamed into place only when the whole run has succeeded: an
//! interrupted run leaves the previous outputs intact. One bad document never stops a
//! batch; it gets a `failed` row naming its cause.

mod cache;
mod codebook;
mod cross_year;
mod csv_out;
mod inputs;
mod ledger;
mod merge;
mod panel;
#[cfg(feature = "parquet")]
mod parquet_out;
mod quality;
pub mod schema;
mod workers;

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use cache::{RowCache, Slot};
use ledger::Ledger;
use nianbao_extract::extract_with;
use nianbao_lock::FolderLock;
use nianbao_model::{
    ActiveCategory, ActiveItem, ActiveMetric, Applicant, ApplicationRow, CheckStatus, Evidence,
    Report, Status,
};
use nianbao_read::{read, sniff, Document, ReadError, LISTING_COLUMN, LISTING_TITLE};
use panel::{group_sources, SourceEntry};
use sha2::{Digest, Sha256};
use workers::{run_in_order, Failure, Job, Stage, Watch};

pub use cache::ROWS_FINGERPRINT;
pub use codebook::{stata_name, STATA_NAME_MAX};
use csv_out::CsvSink;
pub use csv_out::{
    output_files, render, Rendered, DOCUMENT_FILES, SCHEMA_VERSION, SCHEMA_VERSION_FILE,
};
use inputs::read_input;
pub use inputs::{collect_inputs, Input, Provenance};
pub use merge::merge_outputs;

/// Turns off transparent huge pages for this process; call it first thing in `main`.
///
/// The allocator's arenas are faulted in 2 MiB at a time, each zeroed, and handed back
/// between bursts of documents: over 10,000 documents that cost 0.9–1.4 s of kernel time
/// (page zeroing and compaction) against 0.2–0.3 s with ordinary pages, and twice the
/// memory. Only Linux has them; elsewhere this does nothing.
pub fn avoid_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)` sets one flag of the calling process
    // and touches no memory of ours. A kernel without it refuses, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// A document's result: its identity and provenance next to the extracted report.
#[derive(Clone, Debug)]
pub struct DocumentResult {
    pub report_id: String,
    pub source: String,
    pub format: String,
    pub encoding: String,
    pub report: Report,
}

/// `r` + the first 16 hex digits of the SHA-256 of the document's bytes.
pub fn report_id(bytes: &[u8]) -> String {
    id_of(&Sha256::digest(bytes))
}

fn id_of(digest: &[u8]) -> String {
    let mut id = String::with_capacity(17);
    id.push('r');
    push_hex(&mut id, &digest[..digest.len().min(8)]);
    id
}

/// Appends bytes as lowercase hex digits.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 * bytes.len());
    push_hex(&mut out, bytes);
    out
}

/// Reads and extracts one document from its bytes.
pub fn process_bytes(source: &str, bytes: &[u8]) -> DocumentResult {
    extract_with_id(report_id(bytes), source, bytes, &Evidence::default())
}

/// Longest one document may take to read and extract by default. A real report takes
/// milliseconds; one past this is stuck, and the batch goes on without it.
pub const DOCUMENT_TIME_LIMIT: Duration = Duration::from_secs(60);

fn extract_with_id(
    report_id: String,
    source: &str,
    bytes: &[u8],
    evidence: &Evidence,
) -> DocumentResult {
    match read(bytes) {
        Ok(doc) => extracted(report_id, source, &doc, evidence),
        Err(err) => unreadable(report_id, source, bytes, &err),
    }
}

fn extracted(
    report_id: String,
    source: &str,
    doc: &Document,
    evidence: &Evidence,
) -> DocumentResult {
    DocumentResult {
        report_id,
        source: source.to_string(),
        format: doc.format.as_str().to_string(),
        encoding: doc.encoding.to_string(),
        report: extract_with(doc, evidence),
    }
}

fn unreadable(report_id: String, source: &str, bytes: &[u8], err: &ReadError) -> DocumentResult {
    let format = match err {
        ReadError::Empty | ReadError::Binary => "unknown",
        ReadError::TooLarge { .. }
        | ReadError::Unsupported { .. }
        | ReadError::Corrupt(_)
        | ReadError::Encrypted
        | ReadError::NoTextLayer { .. }
        | ReadError::LimitExceeded(_) => sniff(bytes).as_str(),
    };
    failed(report_id, source, format, err.to_string())
}

fn failed(report_id: String, source: &str, format: &str, reason: String) -> DocumentResult {
    DocumentResult {
        report_id,
        source: source.to_string(),
        format: format.to_string(),
        encoding: String::new(),
        report: Report {
            status: Status::Failed,
            error: reason,
            ..Report::default()
        },
    }
}

/// What the crawl's listing said of the link to a document, as fields of the document
/// that extraction reads last (the body and year where the document names none).
fn with_listing(doc: &mut Document, provenance: &Provenance) {
    for (key, value) in [
        (LISTING_TITLE, &provenance.link_text),
        (LISTING_COLUMN, &provenance.column),
    ] {
        if !value.is_empty() {
            doc.page_meta.push((key.to_string(), value.clone()));
        }
    }
}

/// The crawl's knowledge fills what the document does not say itself.
fn with_provenance(mut result: DocumentResult, provenance: Option<&Provenance>) -> DocumentResult {
    if let Some(p) = provenance {
        let m = &mut result.report.metadata;
        // The page a document was published on: an attachment's is its parent page.
        if m.source_url.is_empty() {
            m.source_url = if p.parent.is_empty() {
                p.url.clone()
            } else {
                p.parent.clone()
            };
        }
        result.source = p.url.clone();
        if m.published_date.is_empty() {
            m.published_date = p.listed_date.clone();
        }
    }
    result
}

/// The figures `quality.html` follows from year to year: table 三's applications received,
/// granted and processed, all applicants.
pub const HEADLINES: [(ApplicationRow, Applicant); 3] = [
    (ApplicationRow::NewReceived, Applicant::Total),
    (ApplicationRow::Granted, Applicant::Total),
    (ApplicationRow::TotalProcessed, Applicant::Total),
];

/// What the batch keeps of a document once its rows are rendered: enough for the
/// summary, the progress bar and the choice between sources of one report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocInfo {
    pub report_id: String,
    pub source: String,
    pub format: String,
    pub template: String,
    pub status: String,
    pub error: String,
    /// The kinds of the failed checks (`balance`, `proceeding_total`, `narrative`, …).
    pub failed_check_kinds: Vec<String>,
    pub warnings: usize,
    /// The body's name in the panel key (`panel::body_name`).
    pub body_name: String,
    pub division_code: String,
    pub year: Option<u16>,
    /// Table cells extracted.
    pub cells: usize,
    /// A digest of every extracted figure: equal for two sources of one report that agree.
    pub fingerprint: String,
    /// Table 二 counts as (item, category, metric) positions and value: evidence for the
    /// same body's other documents (the report in another format, next year's report).
    #[serde(default)]
    pub table_two: Vec<(u8, u8, u8, u64)>,
    /// Table 二 rows left ambiguous that other documents may decide.
    #[serde(default)]
    pub ambiguous: bool,
    /// Table 三's carried rows as `(row, applicant, value)`: row 0 is 二、上年结转, 1 is
    /// 四、结转下年度继续办理; the applicant a position in `Applicant::ALL`. For the
    /// cross-year checks.
    #[serde(default)]
    pub carry: Vec<(u8, u8, u64)>,
    /// The headline figures of [`HEADLINES`], where printed as whole numbers.
    #[serde(default)]
    pub headline: [Option<u64>; 3],
    /// The code of each warning.
    #[serde(default)]
    pub warning_codes: Vec<String>,
    /// Per output file, per column: this document's rows with a value there.
    #[serde(default)]
    pub filled: Vec<Vec<u32>>,
}

impl DocInfo {
    fn of(result: &DocumentResult) -> DocInfo {
        let r = &result.report;
        DocInfo {
            report_id: result.report_id.clone(),
            source: result.source.clone(),
            format: result.format.clone(),
            template: r.template.as_str().to_string(),
            status: r.status.as_str().to_string(),
            error: r.error.clone(),
            failed_check_kinds: r
                .checks
                .iter()
                .filter(|c| c.status == CheckStatus::Fail)
                .map(|c| c.name.split('.').next().unwrap_or_default().to_string())
                .collect(),
            warnings: r.warnings.len(),
            body_name: panel::body_name(
                &r.metadata.division_code,
                &r.metadata.agency,
                &r.metadata.agency_full,
            )
            .to_string(),
            division_code: r.metadata.division_code.clone(),
            year: r.metadata.year,
            cells: r.applications.len() + r.review_litigation.len() + r.active_disclosure.len(),
            fingerprint: fingerprint(r),
            table_two: r
                .active_disclosure
                .iter()
                .filter(|c| !c.metric.is_amount())
                .filter_map(|c| {
                    let value = c.figure.value?.printed().parse().ok()?;
                    Some((
                        position(ActiveItem::ALL, c.item)?,
                        position(ActiveCategory::ALL, c.category)?,
                        position(ActiveMetric::ALL, c.metric)?,
                        value,
                    ))
                })
                .collect(),
            ambiguous: !r.ambiguous.is_empty(),
            carry: r
                .applications
                .iter()
                .filter_map(|c| {
                    let row = match c.row {
                        ApplicationRow::CarriedOver => 0,
                        ApplicationRow::CarriedForward => 1,
                        _ => return None,
                    };
                    let value = c.figure.value?.printed().parse().ok()?;
                    Some((row, position(Applicant::ALL, c.applicant)?, value))
                })
                .collect(),
            headline: HEADLINES.map(|(row, applicant)| {
                r.application(row, applicant)
                    .and_then(|f| f.value)
                    .and_then(|v| v.printed().parse().ok())
            }),
            warning_codes: r.warnings.iter().map(|w| w.code.to_string()).collect(),
            filled: Vec::new(),
        }
    }

    fn status(&self) -> Status {
        Status::from_key(&self.status)
    }
}

fn position<T: PartialEq>(all: &[T], x: T) -> Option<u8> {
    all.iter()
        .position(|a| *a == x)
        .and_then(|i| u8::try_from(i).ok())
}

/// What the rest of the corpus says about a report of `group` (`division|agency`) and
/// `year`: the same report's other documents, and last year's 现行有效.
fn evidence_for(group: &str, year: u16, ledger: &Ledger) -> Evidence {
    let mut evidence = Evidence::default();
    for record in ledger.records() {
        let source = record.entry;
        if !source.in_report() || !source.is_of_body(group) {
            continue;
        }
        for (i, c, m, value) in record.table_two() {
            let (Some(&item), Some(&category), Some(&metric)) = (
                ActiveItem::ALL.get(usize::from(i)),
                ActiveCategory::ALL.get(usize::from(c)),
                ActiveMetric::ALL.get(usize::from(m)),
            ) else {
                continue;
            };
            if source.year == Some(year) {
                evidence
                    .twin
                    .push((item, category, metric, value, source.format.to_string()));
            } else if source.year == year.checked_sub(1) && metric == ActiveMetric::InForce {
                evidence.last_year_in_force.push((category, value));
            }
        }
    }
    evidence
}

/// A digest of a report's figures (keys and values, not raw text or layout).
fn fingerprint(r: &Report) -> String {
    // The digest's input written out whole and hashed once: per cell a table tag, the
    // key variants' positions (their order is part of the fingerprint, see
    // `DOCINFO_VERSION`) and the value and unit each after its length. Compact, so that
    // hashing it costs a tenth of the figures' printed keys.
    let mut input: Vec<u8> = Vec::with_capacity(
        8 * (r.applications.len() + r.review_litigation.len() + r.active_disclosure.len()),
    );
    let mut cell = |key: &[u8], figure: &nianbao_model::Figure, unit: &str| {
        input.extend_from_slice(key);
        match figure.value {
            Some(v) => {
                // The length goes before the digits: printed first, measured after.
                let at = input.len();
                input.push(0);
                v.print_to(&mut input);
                input[at] = (input.len() - at - 1) as u8; // at most 50 bytes
            }
            None => input.push(u8::MAX),
        }
        let unit = &unit.as_bytes()[..unit.len().min(255)];
        input.push(unit.len() as u8);
        input.extend_from_slice(unit);
    };
    for c in &r.applications {
        cell(&[b'a', c.row as u8, c.applicant as u8], &c.figure, "");
    }
    for c in &r.review_litigation {
        cell(&[b'r', c.proceeding as u8, c.outcome as u8], &c.figure, "");
    }
    for c in &r.active_disclosure {
        let key = [b'd', c.item as u8, c.category as u8, c.metric as u8];
        cell(&key, &c.figure, &c.unit);
    }
    hex(&Sha256::digest(&input)[..8])
}

/// Counts for the closing summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub documents: usize,
    pub ok: usize,
    pub partial: usize,
    pub failed: usize,
    pub checks_failed: usize,
    pub warnings: usize,
    /// Documents whose rows came from the cache (unchanged since an earlier run).
    pub cached: usize,
    /// Documents read whose body or year is not known (`metadata_missing`): each is a
    /// panel row of its own, keyed `unresolved|<report_id>`.
    pub unresolved: usize,
    /// Failed checks by kind.
    pub failed_checks: BTreeMap<String, usize>,
    /// Warnings by code.
    pub warnings_by_code: BTreeMap<String, usize>,
    pub by_format: BTreeMap<String, usize>,
    pub by_template: BTreeMap<String, usize>,
}

impl Summary {
    fn add_cross_year(&mut self, findings: &cross_year::Findings) {
        self.checks_failed += findings.failed;
        if findings.failed > 0 {
            *self.failed_checks.entry("cross_year".into()).or_default() += findings.failed;
        }
    }

    fn add(&mut self, info: &DocInfo) {
        self.documents += 1;
        match info.status() {
            Status::Ok => self.ok += 1,
            Status::Partial => self.partial += 1,
            Status::Failed => self.failed += 1,
        }
        if info.status() != Status::Failed && (info.body_name.is_empty() || info.year.is_none()) {
            self.unresolved += 1;
        }
        self.checks_failed += info.failed_check_kinds.len();
        for kind in &info.failed_check_kinds {
            *self.failed_checks.entry(kind.clone()).or_default() += 1;
        }
        self.warnings += info.warnings;
        for code in &info.warning_codes {
            *self.warnings_by_code.entry(code.clone()).or_default() += 1;
        }
        *self.by_format.entry(info.format.clone()).or_default() += 1;
        *self.by_template.entry(info.template.clone()).or_default() += 1;
    }
}

/// How a batch writes its output.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    /// Start every CSV file with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
    /// Keep rendered rows in `out/.cache` and reuse them for unchanged documents.
    pub cache: bool,
    /// Longest one document may take; past it the document is `failed` and the batch
    /// goes on ([`DOCUMENT_TIME_LIMIT`] by default).
    pub time_limit: Duration,
    /// Worker threads; 0: one per core.
    pub jobs: usize,
    /// How long to wait for another process writing into the same output folder to end;
    /// zero: refuse at once.
    pub lock_wait: Duration,
    /// Write `NAME.parquet` beside each `NAME.csv` (needs the feature `parquet`).
    pub parquet: bool,
}

/// Whether this build writes Parquet (cargo feature `parquet`).
pub const PARQUET: bool = cfg!(feature = "parquet");

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            bom: false,
            cache: false,
            time_limit: DOCUMENT_TIME_LIMIT,
            jobs: 0,
            lock_wait: Duration::ZERO,
            parquet: false,
        }
    }
}

/// The rows of one document, from the cache or freshly extracted.
struct Processed {
    info: DocInfo,
    rows: Vec<Vec<u8>>,
    cached: bool,
}

impl Processed {
    fn of(result: DocumentResult) -> Processed {
        let rendered = csv_out::render(&result);
        let mut info = DocInfo::of(&result);
        info.filled = rendered.filled;
        Processed {
            info,
            rows: rendered.rows,
            cached: false,
        }
    }
}

/// A document read, for extraction.
struct Parsed {
    id: String,
    doc: Document,
    /// Where its rows go in the cache, if there is one.
    slot: Option<Slot>,
}

/// The first stage of a document: its bytes read, checked against the crawl's hash,
/// hashed and parsed; done already if they are in the cache or cannot be read.
fn start_input(input: &Input, cache: Option<&RowCache>, watch: &Watch) -> Stage<Parsed, Processed> {
    let bytes = match read_input(input) {
        Ok(bytes) => bytes,
        Err(reason) => {
            // No bytes to hash: the id is the crawl's, or the hash of where the file was.
            let id = stored_id(input).unwrap_or_else(|| report_id(input.source.as_bytes()));
            let result = failed(id, &input.source, "unknown", reason);
            return Stage::Done(Processed::of(with_provenance(
                result,
                input.provenance.as_ref(),
            )));
        }
    };
    // One SHA-256 pass serves the check against the crawl, the report id and the cache key.
    let digest = Sha256::digest(&bytes);
    if let Some(result) = altered_object(input, &digest) {
        return Stage::Done(Processed::of(with_provenance(
            result,
            input.provenance.as_ref(),
        )));
    }
    let id = id_of(&digest);
    watch.identify(&id);
    let slot = cache.map(|cache| cache.slot(input, &digest));
    if let Some((info, rows)) = slot.as_ref().and_then(Slot::load) {
        return Stage::Done(Processed {
            info,
            rows,
            cached: true,
        });
    }
    match read(&bytes) {
        Ok(doc) => Stage::Started {
            part: Parsed { id, doc, slot },
            bytes: bytes.len(),
        },
        Err(err) => {
            let result = unreadable(id, &input.source, &bytes, &err);
            Stage::Done(processed(input, result, slot.as_ref()))
        }
    }
}

/// The report id of a crawled document as the crawl stored it (`r` + the first 16 hex
/// digits of the manifest's SHA-256).
fn stored_id(input: &Input) -> Option<String> {
    let sha = &input.provenance.as_ref()?.sha256;
    let prefix = sha
        .get(..16)
        .filter(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))?;
    Some(format!("r{}", prefix.to_ascii_lowercase()))
}

/// A `failed` result for a crawled document whose bytes are no longer those the crawl
/// stored (changed or damaged since): none of its numbers can be trusted.
fn altered_object(input: &Input, digest: &[u8]) -> Option<DocumentResult> {
    let expected = &input.provenance.as_ref()?.sha256;
    let found = hex(digest);
    if expected.is_empty() || expected.eq_ignore_ascii_case(&found) {
        return None;
    }
    let reason = format!(
        "stored object altered: its bytes hash to {found}, the manifest recorded {expected}; \
         the next crawl fetches it again"
    );
    let id = stored_id(input).unwrap_or_else(|| id_of(digest));
    Some(failed(id, &input.source, "unknown", reason))
}

/// The second stage of a document: extracted and rendered.
fn finish_input(input: &Input, mut parsed: Parsed, evidence: &Evidence) -> Processed {
    if let Some(p) = &input.provenance {
        with_listing(&mut parsed.doc, p);
    }
    let result = extracted(parsed.id, &input.source, &parsed.doc, evidence);
    drop(parsed.doc); // freed before the rows are rendered: a group holds many
    processed(input, result, parsed.slot.as_ref())
}

/// A document's rows, kept in the cache too if it has a place there.
fn processed(input: &Input, result: DocumentResult, slot: Option<&Slot>) -> Processed {
    let processed = Processed::of(with_provenance(result, input.provenance.as_ref()));
    if let Some(slot) = slot {
        slot.store(&processed.info, &processed.rows);
    }
    processed
}

/// The batch's work on each input: its rows from the cache, or read, extracted and
/// rendered.
struct Extraction {
    inputs: Arc<[Input]>,
    /// What the rest of the corpus says, per input; empty: nothing for any.
    evidence: Vec<Evidence>,
    cache: Option<RowCache>,
}

impl Extraction {
    /// What the rest of the corpus says about input `index`, if anything.
    fn evidence(&self, index: usize) -> Option<&Evidence> {
        self.evidence
            .get(index)
            .filter(|e| **e != Evidence::default())
    }
}

impl Job for Extraction {
    type Part = Parsed;
    type Output = Processed;

    fn start(&self, index: usize, watch: &Watch) -> Stage<Parsed, Processed> {
        // Rows that depend on other documents are not cached under this one's bytes.
        let cache = self
            .cache
            .as_ref()
            .filter(|_| self.evidence(index).is_none());
        start_input(&self.inputs[index], cache, watch)
    }

    fn finish(&self, index: usize, parsed: Parsed, _: &Watch) -> Processed {
        let none = Evidence::default();
        let evidence = self.evidence(index).unwrap_or(&none);
        finish_input(&self.inputs[index], parsed, evidence)
    }

    fn failed(&self, index: usize, id: Option<&str>, why: Failure) -> Self::Output {
        let input = &self.inputs[index];
        let reason = match why {
            Failure::TimeLimit(limit) => format!(
                "limit exceeded: reading and extracting took more than {} s (stuck document, abandoned)",
                limit.as_secs_f64()
            ),
            Failure::Panicked => {
                "internal error while extracting this document (reported in the log)".into()
            }
        };
        let id = id.map_or_else(|| report_id(input.source.as_bytes()), str::to_string);
        Processed::of(with_provenance(
            failed(id, &input.source, "unknown", reason),
            input.provenance.as_ref(),
        ))
    }
}

/// The report ids whose tables are written. The same bytes at several sources (one
/// report at several URLs, a file named twice) are one report: each source gets its row
/// in `reports.csv`, the tables hold the report's cells once.
#[derive(Default)]
struct WrittenReports {
    ids: HashSet<String>,
    /// For each wide row written, in order, the ledger position of its document.
    wide: Vec<usize>,
}

impl WrittenReports {
    /// Writes the rows of the document that is `ledger_position`th in the ledger.
    fn append(
        &mut self,
        sink: &mut CsvSink,
        p: &Processed,
        ledger_position: usize,
    ) -> io::Result<()> {
        if self.ids.insert(p.info.report_id.clone()) {
            self.wide.push(ledger_position);
            sink.append(&p.rows, &p.info.filled)
        } else {
            sink.append_report_row(&p.rows, &p.info.filled)
        }
    }
}

/// Extracts every input and writes the output files into `out_dir`. `on_done` is called
/// once per finished document, in input order (for progress bars). The inputs are shared
/// with the workers: hand them over (a `Vec`) and they are not copied.
///
/// One process at a time writes into an output folder: the run holds its lock
/// ([`nianbao_lock`]) throughout, and fails with `WouldBlock` naming the holder when
/// another process keeps it past `options.lock_wait`.
pub fn run_batch(
    inputs: impl Into<Arc<[Input]>>,
    out_dir: &Path,
    options: &BatchOptions,
    on_done: &dyn Fn(&DocInfo),
) -> io::Result<Summary> {
    let _lock = FolderLock::acquire(out_dir, options.lock_wait)?;
    let inputs: Arc<[Input]> = inputs.into();
    let threads = match options.jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let cache = options.cache.then(|| RowCache::open(out_dir));
    let mut sink = CsvSink::create(out_dir, options.bom)?;
    sink.parquet(options.parquet)?;
    let mut summary = Summary::default();
    // What the end needs of every document, packed (see `ledger`).
    let mut ledger = Ledger::with_capacity(inputs.len());
    // Documents with table 二 rows only the rest of the corpus can decide: extracted
    // again at the end with that evidence, and their rows written last.
    let mut deferred: Vec<(usize, DocInfo)> = Vec::new();
    let mut written = WrittenReports::default();
    // The workers own what they read: a stuck one may outlive this call.
    let first = Extraction {
        inputs: Arc::clone(&inputs),
        evidence: Vec::new(),
        cache: cache.clone(),
    };
    run_in_order(
        first,
        inputs.len(),
        threads,
        options.time_limit,
        |index, p| {
            on_done(&p.info);
            tracing::debug!(source = %p.info.source, status = %p.info.status, cached = p.cached, "extracted");
            summary.cached += usize::from(p.cached);
            // Only a document that says whose report it is can be matched with others.
            if p.info.ambiguous && p.info.year.is_some() && !p.info.body_name.is_empty() {
                deferred.push((index, p.info));
                return Ok(());
            }
            written.append(&mut sink, &p, ledger.len())?;
            summary.add(&p.info);
            ledger.push(&p.info);
            Ok(())
        },
    )?;
    let evidence = deferred
        .iter()
        .map(|(_, info)| match info.year {
            Some(year) => evidence_for(&SourceEntry::of(info).body(), year, &ledger),
            None => Evidence::default(),
        })
        .collect();
    let second = Extraction {
        inputs: deferred
            .iter()
            .map(|(i, _)| inputs[*i].clone())
            .collect::<Vec<_>>()
            .into(),
        evidence,
        cache: cache.clone(),
    };
    run_in_order(
        second,
        deferred.len(),
        threads,
        options.time_limit,
        |_, p| {
            written.append(&mut sink, &p, ledger.len())?;
            summary.add(&p.info);
            ledger.push(&p.info);
            Ok(())
        },
    )?;
    finish_run(sink, &ledger, &written, &mut summary)?;
    if let Some(cache) = &cache {
        cache.sweep();
    }
    Ok(summary)
}

/// What a run writes once it has every document: the cross-year checks, the report
/// sources, the panel, the wide files with their roles, the quality page and the codebook;
/// then every file is renamed into place.
fn finish_run(
    mut sink: CsvSink,
    ledger: &Ledger,
    written: &WrittenReports,
    summary: &mut Summary,
) -> io::Result<()> {
    let started = std::time::Instant::now();
    let records: Vec<ledger::Record<'_>> = ledger.records().collect();
    let sources: Vec<SourceEntry<'_>> = records.iter().map(|r| r.entry).collect();
    let grouped = group_sources(&sources);
    let primaries = grouped.primaries();
    let grouping = started.elapsed();
    let cross_year = cross_year::checks(&records, &primaries, |checks| {
        sink.append_checks(checks.iter().map(|c| c.row()))
    })?;
    let checking = started.elapsed() - grouping;
    summary.add_cross_year(&cross_year);
    sink.write_sources(grouped.source_rows())?;
    sink.write_panel(grouped.panel_rows())?;
    let roles = grouped.roles();
    sink.finish_wide(
        written
            .wide
            .iter()
            .map(|&at| (roles[at].0.as_str(), roles[at].1)),
    )?;
    let page = quality::page(&quality::QualityInput {
        summary,
        records: &records,
        roles: &roles,
        primaries: &primaries,
        cross_year: &cross_year,
        conflicts: &grouped.conflicts(),
    });
    sink.write_file(quality::QUALITY_FILE, page.as_bytes())?;
    tracing::debug!(
        grouping_ms = grouping.as_millis(),
        cross_year_ms = checking.as_millis(),
        cross_year_checks = cross_year.total(),
        quality_page_bytes = page.len(),
        end_ms = started.elapsed().as_millis(),
        "panel, cross-year checks, wide roles and quality page made"
    );
    sink.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_follows_figures_not_their_printing() {
        let seed = include_bytes!("../../../corpus/beigong-2024.txt");
        let report = process_bytes("beigong-2024.txt", seed).report;
        assert!(
            report.applications.len() > 100,
            "the seed's table 三 is read"
        );
        let print = fingerprint(&report);
        assert_eq!(print.len(), 16);

        let mut reprinted = report.clone();
        reprinted.applications[0].figure.raw =
            format!(" {} ", reprinted.applications[0].figure.raw);
        assert_eq!(fingerprint(&reprinted), print, "raw text is not a figure");

        let mut changed = report.clone();
        use nianbao_model::Decimal;
        let one = Decimal::from_int(1);
        let cell = &mut changed.applications[0].figure;
        cell.value = Some(
            cell.value
                .unwrap_or(Decimal::ZERO)
                .checked_add(one)
                .unwrap(),
        );
        assert_ne!(fingerprint(&changed), print, "a changed value");

        let mut moved = report.clone();
        let (a, b) = (
            moved.applications[0].figure.value,
            moved.applications[1].figure.value,
        );
        assert_ne!(a, b, "the test needs two different values");
        moved.applications[0].figure.value = b;
        moved.applications[1].figure.value = a;
        assert_ne!(fingerprint(&moved), print, "values swapped between cells");

        let mut unit = report.clone();
        let amount = unit
            .active_disclosure
            .iter_mut()
            .find(|c| c.metric.is_amount())
            .expect("the seed's table 二 states a fee amount");
        amount.unit = if amount.unit == "元" {
            "万元"
        } else {
            "元"
        }
        .into();
        assert_ne!(fingerprint(&unit), print, "a changed unit");
    }
}
