//! `nianbao`: Chinese government information-disclosure annual reports
//! (政府信息公开工作年度报告) in, a checked CSV dataset out.
//!
//! The binary only parses arguments, shows progress and maps outcomes to exit codes;
//! the work is done by the crates under `crates/`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use nianbao_export::{collect_inputs, run_batch, Input, Summary, OUTPUT_FILES};

const EXIT_CODES: &str = "\
Exit codes:
  0  every document was read (status ok or partial)
  1  the run could not be done (bad arguments, unreadable corpus, output not writable)
  2  the run finished, but some documents failed (see status and error in reports.csv)";

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
        /// Where the CSV files are written (replaced atomically at the end of the run).
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Extract the given files and folders (folders recursively) into CSV files.
    ///
    /// The format is recognised from each file's content, not its name. Plain text
    /// (UTF-8, UTF-16 or GB18030/GBK) is read today; HTML, DOCX and PDF are recognised and
    /// reported as not yet readable.
    Extract {
        /// Files or folders to read.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Where the CSV files are written.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
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
        Ok(summary) if summary.failed > 0 => ExitCode::from(2),
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("nianbao: error: {err:#}");
            ExitCode::from(1)
        }
    }
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

fn run(cli: Cli) -> Result<Summary> {
    let command = cli.command.unwrap_or(Command::Run {
        corpus: PathBuf::from("corpus"),
        out: PathBuf::from("out"),
    });
    let (inputs, out) = match command {
        Command::Run { corpus, out } => {
            if !corpus.is_dir() {
                bail!(
                    "corpus folder {} not found (run from the repository root, or pass --corpus DIR)",
                    corpus.display()
                );
            }
            (
                collect_inputs(&[corpus]).context("listing the corpus")?,
                out,
            )
        }
        Command::Extract { paths, out } => {
            (collect_inputs(&paths).context("listing the inputs")?, out)
        }
    };
    let summary = extract_all(&inputs, &out, cli.quiet)?;
    if !cli.quiet {
        print_summary(&summary, &out);
    }
    Ok(summary)
}

fn extract_all(inputs: &[Input], out: &std::path::Path, quiet: bool) -> Result<Summary> {
    tracing::info!(documents = inputs.len(), out = %out.display(), "extracting");
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
    let summary = run_batch(inputs, out, &|result| {
        if result.report.status == nianbao_model::Status::Failed {
            tracing::warn!(source = %result.source, reason = %result.report.error, "document failed");
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
    let files: Vec<&str> = OUTPUT_FILES.iter().map(|(name, _)| *name).collect();
    println!(
        "written to {}/: {}, SCHEMA_VERSION",
        out.display(),
        files.join(", ")
    );
    if s.failed > 0 || s.partial > 0 {
        println!("see status and error in reports.csv, and warnings.csv, for the documents not ok");
    }
}
