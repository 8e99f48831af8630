//! `nianbao`: Chinese government information-disclosure annual reports
//! (政府信息公开工作年度报告) in, a checked CSV dataset out.
//!
//! The binary only parses arguments, shows progress and maps outcomes to exit codes;
//! the work is done by the crates under `crates/`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use nianbao_export::{collect_inputs, output_files, run_batch, BatchOptions, Input, Summary};

// Documents are read into many short-lived strings and cells; glibc's allocator spent a
// fifth of the run in malloc and free (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXIT_CODES: &str = "\
Exit codes:
  0  done: every document read (status ok or partial), every URL fetched
  1  could not run (bad arguments, unreadable corpus, output not writable)
  2  finished with failures: some documents failed (see reports.csv), or some URLs
     could not be fetched or were blocked (see the corpus manifest)
  3  busy: another process holds the output folder's or the corpus' lock (the message
     names it); nothing was changed, try again later or pass --lock-wait";

/// Turns Chinese government information-disclosure annual reports
/// (政府信息公开工作年度报告) into checked, panel-ready CSV tables.
///
/// With no command, runs the shipped `corpus/` into `out/`.
#[derive(Parser, Debug)]
#[command(name = "nianbao", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Do not draw progress bars or print the summary.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract every document of a corpus folder (recursively) into CSV files.
    Run {
        /// The corpus folder; `source` in the output is relative to it.
        #[arg(long, default_value = "corpus")]
        corpus: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Fetch a site's annual reports and their attachments into a corpus, politely.
    ///
    /// A start URL may be a home page, a 政府信息公开 section, a 年报 column or a single
    /// report page. robots.txt is obeyed; each host gets one request at a time and at most
    /// --rate per second. The corpus manifest (manifest.jsonl) records every fetch: a crawl
    /// that was killed resumes where it stopped, and a later crawl asks conditionally and
    /// downloads only what changed. Then `nianbao run --corpus DIR` extracts it.
    Crawl {
        /// Where to start: home page, section, column or report page.
        #[arg(required = true)]
        start_urls: Vec<url::Url>,
        /// The corpus folder to fill.
        #[arg(long, default_value = "corpus")]
        corpus: PathBuf,
        /// Take only the reports whose title this regular expression matches (e.g.
        /// `教育局|财政局`). What a report is, the title grammar decides: every form of
        /// 政府信息公开(工作)年度报告 / 年报, with the year in Arabic or Chinese numerals.
        #[arg(long = "match", default_value = "")]
        pattern: String,
        /// Skip reports on years before this one.
        #[arg(long)]
        since: Option<u16>,
        /// Most pages visited on the way to the reports (sections, hubs, listings), best
        /// first; reports and their files are not counted.
        #[arg(long, default_value_t = 3000)]
        max_pages: usize,
        /// Walk the listings only and print the reports that would be fetched (URL, kind,
        /// year, body, title, listing; tab-separated on stdout); fetch no report, store
        /// nothing.
        #[arg(long)]
        dry_run: bool,
        /// Crawl only the start URLs whose host falls in shard K of N (e.g. 3/16), so that
        /// the array jobs of a scheduler split a long list of sites between them.
        #[arg(long, value_name = "K/N")]
        shard: Option<nianbao_crawl::Shard>,
        /// Requests per second to one host (robots.txt Crawl-delay may lower it).
        #[arg(long, default_value_t = 1.0)]
        rate: f64,
        /// Another host that may be fetched (e.g. where attachments are served). Repeatable.
        #[arg(long = "allow-host")]
        allow_hosts: Vec<String>,
        /// Hosts fetched at once.
        #[arg(long, default_value_t = 4)]
        jobs: usize,
        /// How to reach you, added to the User-Agent (e.g. an e-mail address).
        #[arg(long)]
        contact: Option<String>,
        /// Give a host up after this many URLs in a row got no answer (timeouts, refused
        /// connections): its other URLs are recorded failed without a request. 0: never.
        #[arg(long, value_name = "N", default_value_t = 3)]
        give_up_after: u32,
        /// Seconds to wait for another crawl filling the same corpus to end; by default a
        /// second crawl refuses at once (exit code 3).
        #[arg(long, value_name = "SECONDS", default_value_t = 0.0)]
        lock_wait: f64,
    },
    /// Run the whole pipeline offline: serve a fixture district site on 127.0.0.1, crawl
    /// it, and extract what was fetched into CSV files.
    #[cfg(feature = "demo")]
    Demo {
        /// Where the crawl is stored (default: a fresh temporary folder).
        #[arg(long)]
        corpus: Option<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
        /// Requests per second to the fixture site.
        #[arg(long, default_value_t = 20.0)]
        rate: f64,
    },
    /// Extract the given files and folders (folders recursively) into CSV files.
    ///
    /// The format is recognised from each file's content, not its name: plain text (UTF-8,
    /// UTF-16 or GB18030/GBK), HTML pages in any encoding, DOCX and PDF (with a text layer)
    /// are read; legacy .doc/.wps files are read through LibreOffice when it is installed;
    /// scanned PDFs and what cannot be read are reported as failed with the reason.
    Extract {
        /// Files or folders to read.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Combine the output folders of several runs (shards of a corpus, runs on several
    /// machines) into one dataset, as one run over the union of their corpora writes it.
    ///
    /// Each document's rows are taken as they are; the report sources, the panel, the
    /// cross-year checks, the wide files' roles, quality.html and the codebook are made
    /// anew over all documents. The folders must come from this version's schema.
    Merge {
        /// The output folders to combine.
        #[arg(required = true)]
        folders: Vec<PathBuf>,
        /// Where the combined files are written (replaced atomically at the end).
        #[arg(long)]
        out: PathBuf,
        /// Start every CSV file with a UTF-8 byte-order mark (as the runs did, if they did).
        #[arg(long)]
        bom: bool,
        /// Seconds to wait for another process writing into --out to end.
        #[arg(long, value_name = "SECONDS", default_value_t = 0.0)]
        lock_wait: f64,
        /// Also write NAME.parquet beside each NAME.csv.
        #[arg(long)]
        parquet: bool,
    },
}

/// Where and how the CSV files are written.
#[derive(clap::Args, Debug, Clone)]
struct OutputArgs {
    /// Where the CSV files are written (replaced atomically at the end of the run).
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Threads extracting documents (default: one per core). The output is the same
    /// whatever the number.
    #[arg(long)]
    jobs: Option<usize>,
    /// Start every CSV file with a UTF-8 byte-order mark, so that Excel on Chinese
    /// Windows opens it as UTF-8.
    #[arg(long)]
    bom: bool,
    /// Extract every document again instead of reusing the rows of unchanged documents
    /// kept in OUT/.cache from earlier runs.
    #[arg(long)]
    no_cache: bool,
    /// Seconds one document may take to read and extract; a document past it is
    /// `failed` ("stuck document") and the batch goes on.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    time_limit: f64,
    /// Seconds to wait for another process writing into the same output folder to end;
    /// by default a second run refuses at once (exit code 3).
    #[arg(long, value_name = "SECONDS", default_value_t = 0.0)]
    lock_wait: f64,
    /// Also write NAME.parquet beside each NAME.csv: the same rows, typed by the codebook
    /// (integers, exact decimals, dates, text codes).
    #[arg(long)]
    parquet: bool,
}

impl Default for OutputArgs {
    fn default() -> OutputArgs {
        OutputArgs {
            out: PathBuf::from("out"),
            jobs: None,
            bom: false,
            no_cache: false,
            time_limit: 60.0,
            lock_wait: 0.0,
            parquet: false,
        }
    }
}

fn main() -> ExitCode {
    nianbao_export::avoid_transparent_huge_pages();
    // clap's own exit code for a usage error is 2, which here means "documents failed".
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging();
    match run(cli) {
        Ok(Finished::WithFailures) => ExitCode::from(2),
        Ok(Finished::Clean) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("nianbao: error: {err:#}");
            if is_busy(&err) {
                ExitCode::from(3)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// Whether the command was refused because another process holds a folder's lock.
fn is_busy(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| nianbao_lock::held(e).is_some())
}

/// Logs go to stderr, filtered by `RUST_LOG` (default: warnings only).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// How a command ended, for the exit code.
enum Finished {
    Clean,
    WithFailures,
}

fn run(cli: Cli) -> Result<Finished> {
    let command = cli.command.unwrap_or(Command::Run {
        corpus: PathBuf::from("corpus"),
        output: OutputArgs::default(),
    });
    let (inputs, out) = match command {
        Command::Crawl {
            start_urls,
            corpus,
            pattern,
            since,
            max_pages,
            dry_run,
            shard,
            rate,
            allow_hosts,
            jobs,
            contact,
            give_up_after,
            lock_wait,
        } => {
            if !(rate > 0.0 && rate.is_finite()) {
                bail!("--rate must be a positive number of requests per second");
            }
            let mut config = nianbao_crawl::CrawlConfig::new(start_urls, corpus);
            config.filter =
                nianbao_crawl::discover::ReportFilter::new(&pattern).with_context(|| {
                    format!("--match {pattern:?} is not a valid regular expression")
                })?;
            config.since = since;
            config.max_pages = max_pages;
            config.dry_run = dry_run;
            config.shard = shard;
            config.rate = rate;
            config.allow_hosts = allow_hosts;
            config.jobs = jobs;
            config.give_up_after = give_up_after;
            config.lock_wait = Duration::from_secs_f64(lock_wait.clamp(0.0, 86_400.0));
            if let Some(contact) = contact {
                config.fetch.user_agent = format!("{} contact: {contact}", config.fetch.user_agent);
            }
            let summary = crawl_with_progress(&config, cli.quiet)?;
            return Ok(if summary.failed + summary.blocked > 0 {
                Finished::WithFailures
            } else {
                Finished::Clean
            });
        }
        #[cfg(feature = "demo")]
        Command::Demo {
            corpus,
            output,
            rate,
        } => return demo(corpus, output, rate, cli.quiet),
        Command::Run { corpus, output } => {
            spare_thread_prepares_extraction();
            if corpus.exists() && !corpus.is_dir() {
                bail!(
                    "--corpus {} is a file, not a folder (to read single files: nianbao extract FILE…)",
                    corpus.display()
                );
            }
            if !corpus.is_dir() {
                bail!(
                    "corpus folder {} not found (run from the repository root, or pass --corpus DIR)",
                    corpus.display()
                );
            }
            (
                collect_inputs(&[corpus]).context("listing the corpus")?,
                output,
            )
        }
        Command::Merge {
            folders,
            out,
            bom,
            lock_wait,
            parquet,
        } => {
            let options = BatchOptions {
                bom,
                lock_wait: Duration::from_secs_f64(lock_wait.clamp(0.0, 86_400.0)),
                parquet,
                ..BatchOptions::default()
            };
            let summary = nianbao_export::merge_outputs(&folders, &out, &options)
                .with_context(|| format!("merging into {}", out.display()))?;
            if !cli.quiet {
                print_summary(&summary, &out);
            }
            return Ok(if summary.failed > 0 {
                Finished::WithFailures
            } else {
                Finished::Clean
            });
        }
        Command::Extract { paths, output } => {
            spare_thread_prepares_extraction();
            (
                collect_inputs(&paths).context("listing the inputs")?,
                output,
            )
        }
    };
    let summary = extract_all(inputs, &out, cli.quiet)?;
    if !cli.quiet {
        print_summary(&summary, &out.out);
    }
    Ok(if summary.failed > 0 {
        Finished::WithFailures
    } else {
        Finished::Clean
    })
}

fn crawl_with_progress(
    config: &nianbao_crawl::CrawlConfig,
    quiet: bool,
) -> Result<nianbao_crawl::CrawlSummary> {
    use nianbao_crawl::store::Outcome;
    use nianbao_crawl::Event;
    use std::sync::atomic::{AtomicU64, Ordering};
    let progress = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    progress.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} URLs {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let failed = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    let summary = nianbao_crawl::crawl(config, &|event| match event {
        Event::Queued { queued } => progress.set_length(*queued as u64),
        Event::Done {
            outcome,
            bytes: b,
            url,
            ..
        } => {
            if matches!(outcome, Outcome::Failed | Outcome::Blocked) {
                failed.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(%url, ?outcome, "not fetched");
            }
            if *outcome == Outcome::Rejected {
                tracing::warn!(%url, "the answer no longer reads as the report it was; the last good version is kept");
            }
            let total = bytes.fetch_add(*b, Ordering::Relaxed) + b;
            progress.set_message(format!(
                "{} failed, {:.1} MB",
                failed.load(Ordering::Relaxed),
                total as f64 / 1e6
            ));
            progress.inc(1);
        }
    })
    .with_context(|| format!("crawling into {}", config.corpus.display()))?;
    progress.finish_and_clear();
    if config.dry_run {
        print_found(&summary)?;
    }
    if summary.found.is_empty() {
        tracing::warn!(
            "no report found from {} start URL(s); start at the site's report column (年报) \
             or check that its host serves the pages (see the manifest)",
            config.start_urls.len()
        );
    }
    if !quiet {
        let pages = format!(
            "{} pages visited{}",
            summary.pages,
            if summary.pages_left > 0 {
                format!(", {} left unvisited (--max-pages)", summary.pages_left)
            } else {
                String::new()
            }
        ) + &if summary.pages_unread.is_empty() {
            String::new()
        } else {
            format!(
                ", {} listings announcing pages the crawl could not follow (pages_unread)",
                summary.pages_unread.len()
            )
        };
        if config.dry_run {
            eprintln!(
                "dry run: {} reports found; {pages}; {} requests; nothing stored",
                summary.found.len(),
                summary.requests
            );
            return Ok(summary);
        }
        println!(
            "crawl run {}{}: {} requests, {pages}; {} fetched, {} unchanged, {} failed, {} blocked, {} disallowed by robots.txt, {} answers rejected (the last good version kept); {} reports, {} attachments, {:.1} MB",
            summary.run,
            if summary.resumed { " (resumed)" } else { "" },
            summary.requests,
            summary.fetched,
            summary.not_modified,
            summary.failed,
            summary.blocked,
            summary.disallowed,
            summary.rejected,
            summary.reports,
            summary.attachments,
            summary.bytes as f64 / 1e6
        );
        println!(
            "corpus: {} (manifest.jsonl lists every fetch; extract with `nianbao run --corpus {}`)",
            config.corpus.display(),
            config.corpus.display()
        );
    }
    Ok(summary)
}

/// The reports a dry run found, tab-separated with a header, sorted by URL.
fn print_found(summary: &nianbao_crawl::CrawlSummary) -> Result<()> {
    use std::io::Write;
    let mut found: Vec<_> = summary.found.iter().collect();
    found.sort_by(|a, b| a.url.cmp(&b.url));
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "url\tkind\tyear\tagency\ttitle\tlisting")?;
    for f in found {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}",
            f.url,
            format!("{:?}", f.kind).to_lowercase(),
            f.year.map(|y| y.to_string()).unwrap_or_default(),
            clean(&f.agency),
            clean(&f.title),
            f.listing
        )?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(feature = "demo")]
fn demo(corpus: Option<PathBuf>, output: OutputArgs, rate: f64, quiet: bool) -> Result<Finished> {
    let site = nianbao_testkit::FixtureSite::start().context("starting the fixture site")?;
    let temp;
    let corpus = match corpus {
        Some(c) => c,
        None => {
            temp = tempfile_dir()?;
            temp.clone()
        }
    };
    if !quiet {
        println!(
            "fixture site: {} (a district portal with 年报 columns)",
            site.url("/")
        );
    }
    let start = url::Url::parse(&site.url("/")).context("fixture site URL")?;
    let mut config = nianbao_crawl::CrawlConfig::new(vec![start], corpus.clone());
    config.rate = rate;
    config.backoff = std::time::Duration::from_millis(200);
    crawl_with_progress(&config, quiet)?;
    let inputs = collect_inputs(&[corpus]).context("listing the crawled corpus")?;
    let summary = extract_all(inputs, &output, quiet)?;
    if !quiet {
        print_summary(&summary, &output.out);
        println!("the site also serves a dead link, an anti-bot page and a robots.txt-disallowed path: their failures are expected");
    }
    Ok(if summary.failed > 0 {
        Finished::WithFailures
    } else {
        Finished::Clean
    })
}

/// A fresh folder under the system's temporary directory.
#[cfg(feature = "demo")]
fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("nianbao-demo-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// Builds extraction's patterns and division list on another core while this one lists
/// the corpus, instead of in the first worker while the others wait for it.
fn spare_thread_prepares_extraction() {
    std::thread::spawn(nianbao_extract::prepare);
}

/// Takes the inputs over: the batch's workers share them rather than a copy.
fn extract_all(inputs: Vec<Input>, output: &OutputArgs, quiet: bool) -> Result<Summary> {
    let out = &output.out;
    tracing::info!(documents = inputs.len(), out = %out.display(), "extracting");
    let options = BatchOptions {
        bom: output.bom,
        cache: !output.no_cache,
        time_limit: Duration::from_secs_f64(output.time_limit.clamp(0.001, 86_400.0)),
        jobs: output.jobs.unwrap_or(0),
        lock_wait: Duration::from_secs_f64(output.lock_wait.clamp(0.0, 86_400.0)),
        parquet: output.parquet,
    };
    let progress = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(inputs.len() as u64)
    };
    progress.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} documents ({per_sec}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let summary = run_batch(inputs, out, &options, &|info| {
        if info.status == "failed" {
            tracing::warn!(source = %info.source, reason = %info.error, "document failed");
        }
        progress.inc(1);
    })
    .with_context(|| format!("writing the output to {}", out.display()))?;
    progress.finish_and_clear();
    Ok(summary)
}

fn print_summary(s: &Summary, out: &std::path::Path) {
    println!(
        "{} documents: {} ok, {} partial, {} failed; {} checks failed; {} warnings",
        s.documents, s.ok, s.partial, s.failed, s.checks_failed, s.warnings
    );
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "formats: {}; templates: {}{}",
        counts(&s.by_format),
        counts(&s.by_template),
        if s.cached > 0 {
            format!("; {} unchanged documents reused from the cache", s.cached)
        } else {
            String::new()
        }
    );
    if s.unresolved > 0 {
        println!(
            "{} documents name no body or year they report on ({}): in panel.csv as unresolved|<report_id>",
            s.unresolved,
            nianbao_model::WarningCode::MetadataMissing
        );
    }
    if !s.failed_checks.is_empty() {
        println!(
            "failed checks (findings about the sources, see checks.csv): {}",
            counts(&s.failed_checks)
        );
    }
    println!(
        "written to {}/: {}",
        out.display(),
        output_files().join(", ")
    );
    if s.failed > 0 || s.partial > 0 {
        println!("see status and error in reports.csv, and warnings.csv, for the documents not ok");
    }
}
