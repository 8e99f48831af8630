//! `nianbao merge`: the output folders of several runs (shards of one corpus, runs on
//! several machines) into one, as one run over the union of their corpora writes it. Each
//! document's rows are copied byte for byte from its folder, in the order a run puts its
//! documents (by source); everything that depends on the whole corpus is made anew: the
//! report sources, the panel, the cross-year checks, the roles in the wide files, the
//! quality page and the codebook.
//!
//! A document the same bytes of which are in several folders is one report, as in a run.
//! Figures a run decided with other documents of its corpus (cells printed run together,
//! split by a twin or last year's report) stay as their own run decided them.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use nianbao_lock::FolderLock;
use nianbao_model::{
    ActiveCategory, ActiveCell, ActiveItem, ActiveMetric, Applicant, ApplicationCell,
    ApplicationRow, Decimal, Figure, Outcome, Proceeding, Report, ReviewCell, Status, Template,
};

use crate::csv_out::{CsvSink, DOCUMENT_FILES, SCHEMA_VERSION, SCHEMA_VERSION_FILE, WIDE_FILE};
use crate::ledger::Ledger;
use crate::{
    finish_run, BatchOptions, DocInfo, DocumentResult, Processed, Summary, WrittenReports,
};

/// Position of each file in a shard's index: the per-document files, then `wide.csv`.
const WIDE: usize = DOCUMENT_FILES.len();

/// Where each report id's rows are in a file: a byte range.
type RowIndex = HashMap<Vec<u8>, (u64, u64)>;

/// One output folder, opened for reading its documents' rows.
struct Shard {
    dir: PathBuf,
    /// Per file: the file and its index.
    files: Vec<(File, RowIndex)>,
}

/// One `reports.csv` row of a folder: a document.
struct Entry {
    shard: usize,
    report_id: String,
    source: String,
    row: (u64, u64),
}

fn invalid(dir: &Path, what: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: {what}", dir.display()),
    )
}

impl Shard {
    fn open(dir: &Path, entries: &mut Vec<Entry>, shard: usize) -> io::Result<Shard> {
        let version = std::fs::read_to_string(dir.join(SCHEMA_VERSION_FILE)).map_err(|e| {
            invalid(
                dir,
                format!("not an output folder ({SCHEMA_VERSION_FILE}: {e})"),
            )
        })?;
        let found = version.lines().next().unwrap_or_default();
        if found != SCHEMA_VERSION {
            return Err(invalid(
                dir,
                format!("written by schema version {found}; this build writes {SCHEMA_VERSION}: run it again"),
            ));
        }
        let mut files = Vec::new();
        let names = DOCUMENT_FILES.iter().map(|(n, _)| *n).chain([WIDE_FILE]);
        for (i, name) in names.enumerate() {
            let path = dir.join(name);
            let file = File::open(&path).map_err(|e| invalid(dir, format!("{name}: {e}")))?;
            let mut index = HashMap::new();
            for_each_row(&path, |id, range, check| {
                if i == 0 {
                    entries.push(Entry {
                        shard,
                        report_id: String::from_utf8_lossy(id).into_owned(),
                        source: String::new(),
                        row: range,
                    });
                }
                // A report's rows are one block; the cross-year checks at the end of
                // checks.csv are made anew.
                if !check.starts_with(b"cross_year.") {
                    let block = index.entry(id.to_vec()).or_insert(range);
                    if block.1 == range.0 {
                        block.1 = range.1;
                    }
                }
            })
            .map_err(|e| invalid(dir, format!("{name}: {e}")))?;
            files.push((file, index));
        }
        Ok(Shard {
            dir: dir.to_path_buf(),
            files,
        })
    }

    fn bytes(&mut self, file: usize, range: (u64, u64)) -> io::Result<Vec<u8>> {
        let f = &mut self.files[file].0;
        f.seek(SeekFrom::Start(range.0))?;
        let mut out = vec![0; usize::try_from(range.1 - range.0).map_err(io::Error::other)?];
        f.read_exact(&mut out)?;
        Ok(out)
    }

    /// A report's rows in one file, empty if it has none there.
    fn rows(&mut self, file: usize, report_id: &str) -> io::Result<Vec<u8>> {
        match self.files[file].1.get(report_id.as_bytes()).copied() {
            Some(range) => self.bytes(file, range),
            None => Ok(Vec::new()),
        }
    }
}

/// Calls `row` with each row's first field, byte range and second field.
fn for_each_row(path: &Path, mut row: impl FnMut(&[u8], (u64, u64), &[u8])) -> io::Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(io::BufReader::with_capacity(1 << 20, File::open(path)?));
    reader.byte_headers().map_err(io::Error::other)?;
    let mut record = csv::ByteRecord::new();
    loop {
        let start = reader.position().byte();
        if !reader
            .read_byte_record(&mut record)
            .map_err(io::Error::other)?
        {
            return Ok(());
        }
        let end = reader.position().byte();
        row(
            record.get(0).unwrap_or_default(),
            (start, end),
            record.get(1).unwrap_or_default(),
        );
    }
}

/// The records of a block of rows.
fn records(bytes: &[u8]) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .into_records()
        .filter_map(Result::ok)
        .collect()
}

/// Merges the output folders `dirs` into `out_dir`.
pub fn merge_outputs(
    dirs: &[PathBuf],
    out_dir: &Path,
    options: &BatchOptions,
) -> io::Result<Summary> {
    let _lock = FolderLock::acquire(out_dir, options.lock_wait)?;
    let mut entries = Vec::new();
    let mut shards = Vec::new();
    for (i, dir) in dirs.iter().enumerate() {
        if dir.canonicalize().ok() == out_dir.canonicalize().ok() {
            return Err(invalid(dir, "is also --out; merge into another folder"));
        }
        shards.push(Shard::open(dir, &mut entries, i)?);
    }
    for e in &mut entries {
        let row = shards[e.shard].bytes(0, e.row)?;
        e.source = records(&row)
            .first()
            .and_then(|r| r.get(1).map(str::to_string))
            .unwrap_or_default();
    }
    // A run's order: by source (a crawled document's is its URL).
    entries.sort_by(|a, b| a.source.cmp(&b.source).then(a.report_id.cmp(&b.report_id)));
    // The same file in two folders' corpora is one document of the union.
    entries.dedup_by(|a, b| a.source == b.source && a.report_id == b.report_id);
    let mut sink = CsvSink::create(out_dir, options.bom)?;
    sink.parquet(options.parquet)?;
    let mut summary = Summary::default();
    let mut ledger = Ledger::with_capacity(entries.len());
    let mut written = WrittenReports::default();
    for e in &entries {
        let shard = &mut shards[e.shard];
        let processed = document(shard, e).map_err(|err| invalid(&shard.dir, err))?;
        written.append(&mut sink, &processed, ledger.len())?;
        summary.add(&processed.info);
        ledger.push(&processed.info);
    }
    finish_run(sink, &ledger, &written, &mut summary)?;
    Ok(summary)
}

/// A document's rows as its folder has them, and what a run knows of it.
fn document(shard: &mut Shard, e: &Entry) -> io::Result<Processed> {
    let mut rows = vec![shard.bytes(0, e.row)?];
    for file in 1..DOCUMENT_FILES.len() {
        rows.push(shard.rows(file, &e.report_id)?);
    }
    let wide = shard.rows(WIDE, &e.report_id)?;
    rows.push(without_role(&wide).ok_or_else(|| {
        io::Error::other(format!(
            "wide.csv: the row of {} is not as written",
            e.report_id
        ))
    })?);
    let info = info_of(&rows).ok_or_else(|| {
        io::Error::other(format!("the rows of {} are not as written", e.report_id))
    })?;
    Ok(Processed {
        info,
        rows,
        cached: false,
    })
}

/// A wide row without its `role` and `primary_report_id`, which the merge puts in anew:
/// the three quoted fields at its start are the id and those two.
fn without_role(row: &[u8]) -> Option<Vec<u8>> {
    if row.is_empty() {
        return Some(Vec::new());
    }
    let mut at = 0;
    let mut fields = Vec::new();
    for _ in 0..3 {
        if row.get(at) != Some(&b'"') {
            return None;
        }
        let close = at + 1 + row[at + 1..].iter().position(|&b| b == b'"')?;
        if row.get(close + 1) != Some(&b',') {
            return None;
        }
        fields.push((at, close + 2));
        at = close + 2;
    }
    let mut out = row[..fields[0].1].to_vec();
    out.extend_from_slice(&row[fields[2].1..]);
    Some(out)
}

/// What a run keeps of a document ([`DocInfo`]), read back from its rows.
fn info_of(rows: &[Vec<u8>]) -> Option<DocInfo> {
    let report = records(&rows[0]).into_iter().next()?;
    let column = |file: usize, name: &str| {
        DOCUMENT_FILES[file]
            .1
            .iter()
            .position(|c| c.name == name)
            .unwrap_or(usize::MAX)
    };
    let field = |name: &str| report.get(column(0, name)).unwrap_or_default().to_string();
    let mut r = Report {
        template: Template::from_key(&field("template")),
        status: Status::from_key(&field("status")),
        error: field("error"),
        ..Report::default()
    };
    r.metadata.agency_full = field("agency_full");
    r.metadata.agency = field("agency");
    r.metadata.division_code = field("division_code");
    r.metadata.year = field("year").parse().ok();
    let figure = |rec: &csv::StringRecord, value: usize, raw: usize| Figure {
        raw: rec.get(raw).unwrap_or_default().to_string(),
        value: rec.get(value).and_then(Decimal::parse),
    };
    for rec in records(&rows[1]) {
        let row = ApplicationRow::from_key(rec.get(1)?)?;
        let applicant = Applicant::from_key(rec.get(2)?)?;
        r.applications.push(ApplicationCell {
            row,
            applicant,
            figure: figure(&rec, 3, 4),
        });
    }
    for rec in records(&rows[2]) {
        let proceeding = Proceeding::from_key(rec.get(1)?)?;
        let outcome = Outcome::from_key(rec.get(2)?)?;
        r.review_litigation.push(ReviewCell {
            proceeding,
            outcome,
            figure: figure(&rec, 3, 4),
        });
    }
    for rec in records(&rows[3]) {
        r.active_disclosure.push(ActiveCell {
            item: ActiveItem::from_key(rec.get(1)?)?,
            category: ActiveCategory::from_key(rec.get(2)?)?,
            metric: ActiveMetric::from_key(rec.get(3)?)?,
            figure: figure(&rec, 4, 6),
            unit: rec.get(5)?.to_string(),
        });
    }
    let result = DocumentResult {
        report_id: field("report_id"),
        source: field("source"),
        format: field("format"),
        encoding: field("encoding"),
        report: r,
    };
    let mut info = DocInfo::of(&result);
    info.failed_check_kinds = records(&rows[4])
        .iter()
        .filter(|c| c.get(2) == Some("fail"))
        .filter_map(|c| c.get(1)?.split('.').next().map(str::to_string))
        .collect();
    info.warnings = field("warnings").parse().ok()?;
    info.warning_codes = records(&rows[6])
        .iter()
        .filter_map(|w| w.get(1).map(str::to_string))
        .collect();
    info.filled = rows.iter().map(|blob| filled(blob)).collect();
    Some(info)
}

/// Per column, the rows of a block with a value there.
fn filled(blob: &[u8]) -> Vec<u32> {
    let mut counts: Vec<u32> = Vec::new();
    for rec in records(blob) {
        for (i, field) in rec.iter().enumerate() {
            if counts.len() <= i {
                counts.resize(i + 1, 0);
            }
            counts[i] += u32::from(!field.is_empty());
        }
    }
    counts
}
