//! Batch and export: document files in, the CSV files of the output contract out.
//!
//! Documents are read and extracted in parallel (rayon) in bounded chunks and their rows
//! written in input order as each chunk finishes, so memory does not grow with the corpus
//! and the same input always gives the same bytes. Every file is written under a
//! temporary name and renamed into place only when the whole run has succeeded: an
//! interrupted run leaves the previous outputs intact. One bad document never stops a
//! batch; it gets a `failed` row naming its cause.

mod csv_out;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use nianbao_extract::extract;
use nianbao_model::{CheckStatus, Report, Status};
use nianbao_read::{read, sniff, ReadError, MAX_DOCUMENT_BYTES};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

pub use csv_out::{CsvSink, OUTPUT_FILES, SCHEMA_VERSION};

/// One document to process: where it is, and how it is named in the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// Path relative to the corpus root (or as given), with `/` separators.
    pub source: String,
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

/// Names that sit in a corpus folder without being documents.
const NOT_DOCUMENTS: &[&str] = &["README.md", "README", "manifest.jsonl", "manifest.json"];

/// Files under the given paths (folders recursively), in a stable order. Hidden files
/// and the corpus' own README/manifest are skipped.
pub fn collect_inputs(paths: &[PathBuf]) -> io::Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for path in paths {
        let meta = fs::metadata(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        if meta.is_dir() {
            walk(path, path, &mut inputs)?;
        } else {
            inputs.push(Input {
                path: path.clone(),
                source: slash_path(path),
            });
        }
    }
    inputs.sort_by(|a, b| a.source.cmp(&b.source));
    inputs.dedup_by(|a, b| a.path == b.path);
    Ok(inputs)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<Input>) -> io::Result<()> {
    let entries = fs::read_dir(dir)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || NOT_DOCUMENTS.contains(&name.as_ref()) {
            continue;
        }
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            walk(root, &path, out)?;
        } else if file_type.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            out.push(Input {
                source: slash_path(relative),
                path,
            });
        }
    }
    Ok(())
}

fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// `r` + the first 16 hex digits of the SHA-256 of the document's bytes.
pub fn report_id(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("r{hex}")
}

/// Reads and extracts one document from its bytes.
pub fn process_bytes(source: &str, bytes: &[u8]) -> DocumentResult {
    let report_id = report_id(bytes);
    match read(bytes) {
        Ok(doc) => DocumentResult {
            report_id,
            source: source.to_string(),
            format: doc.format.as_str().to_string(),
            encoding: doc.encoding.to_string(),
            report: extract(&doc),
        },
        Err(err) => {
            let format = match err {
                ReadError::Empty | ReadError::Binary => "unknown",
                ReadError::TooLarge { .. }
                | ReadError::Unsupported { .. }
                | ReadError::Corrupt(_)
                | ReadError::LimitExceeded(_) => sniff(bytes).as_str(),
            };
            failed(report_id, source, format, err.to_string())
        }
    }
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

/// Reads one file (bounded) and extracts it; an unreadable file is a `failed` result.
pub fn process_file(input: &Input) -> DocumentResult {
    let too_large = fs::metadata(&input.path)
        .map(|m| m.len() > MAX_DOCUMENT_BYTES as u64)
        .unwrap_or(false);
    if too_large {
        let reason = format!("file exceeds the {MAX_DOCUMENT_BYTES}-byte document limit");
        return failed(
            report_id(input.source.as_bytes()),
            &input.source,
            "unknown",
            reason,
        );
    }
    match fs::read(&input.path) {
        Ok(bytes) => process_bytes(&input.source, &bytes),
        Err(e) => failed(
            report_id(input.source.as_bytes()),
            &input.source,
            "unknown",
            format!("cannot read file: {e}"),
        ),
    }
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
}

impl Summary {
    fn add(&mut self, result: &DocumentResult) {
        self.documents += 1;
        match result.report.status {
            Status::Ok => self.ok += 1,
            Status::Partial => self.partial += 1,
            Status::Failed => self.failed += 1,
        }
        self.checks_failed += result
            .report
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .count();
        self.warnings += result.report.warnings.len();
    }
}

/// Documents extracted at once; bounds memory whatever the corpus size.
const CHUNK: usize = 256;

/// Extracts every input and writes the output files into `out_dir`. `on_done` is called
/// once per finished document (for progress bars).
pub fn run_batch(
    inputs: &[Input],
    out_dir: &Path,
    on_done: &(dyn Fn(&DocumentResult) + Sync),
) -> io::Result<Summary> {
    let mut sink = CsvSink::create(out_dir)?;
    let mut summary = Summary::default();
    for chunk in inputs.chunks(CHUNK) {
        let results: Vec<DocumentResult> = chunk
            .par_iter()
            .map(|input| {
                let result = process_file(input);
                on_done(&result);
                result
            })
            .collect();
        for result in &results {
            tracing::debug!(source = %result.source, status = result.report.status.as_str(), "extracted");
            sink.write(result)?;
            summary.add(result);
        }
    }
    sink.commit()?;
    Ok(summary)
}
