//! The CSV files of the output contract (`shared/schema.md`), written under temporary
//! names and renamed into place on commit. The only place that knows CSV.
//!
//! A document's rows are rendered to bytes on their own ([`render`]), so that workers can
//! render in parallel, the writer only appends, and a cache can keep rendered rows.

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use nianbao_extract::expected_active_cells;
use nianbao_model::{
    ActiveCategory, ActiveCell, ActiveItem, ActiveMetric, Applicant, ApplicationRow, CheckStatus,
    Decimal, Outcome, Proceeding, Report, Template,
};

use crate::codebook::{self, stata_name, Coverage};
use crate::panel::{body_name, panel_key};
use crate::schema::{self, Column, ColumnType};
use crate::DocumentResult;

/// Recorded in `SCHEMA_VERSION`; bumped whenever a column is renamed or removed.
pub const SCHEMA_VERSION: &str = "2";

/// The files with one or more rows per document, in the order of [`render`]'s blobs.
pub const DOCUMENT_FILES: &[(&str, &[Column])] = &[
    ("reports.csv", schema::REPORTS),
    ("applications.csv", schema::APPLICATIONS),
    ("review_litigation.csv", schema::REVIEW_LITIGATION),
    ("active_disclosure.csv", schema::ACTIVE_DISCLOSURE),
    ("checks.csv", schema::CHECKS),
    ("sections.csv", schema::SECTIONS),
    ("warnings.csv", schema::WARNINGS),
    ("pre2019_statistics.csv", schema::PRE2019_STATISTICS),
];

/// Positions in [`DOCUMENT_FILES`] (and in [`render`]'s blobs), so that a row goes to
/// its file by name; the wide row comes after them all.
const REPORTS: usize = 0;
const APPLICATIONS: usize = 1;
const REVIEW: usize = 2;
const ACTIVE: usize = 3;
const CHECKS: usize = 4;
const SECTIONS: usize = 5;
const WARNINGS: usize = 6;
const STATISTICS: usize = 7;
const WIDE: usize = DOCUMENT_FILES.len();

/// Written once per run, after every document.
pub const SOURCES_FILE: &str = "report_sources.csv";
pub const WIDE_FILE: &str = "wide.csv";
/// `wide.csv` with names Stata takes (32 characters at most; mapped in the codebook).
pub const WIDE_STATA_FILE: &str = "wide_stata.csv";
/// The wide rows as rendered, waiting for their roles until the run's end.
const WIDE_BODY: &str = "wide.body";
pub const PANEL_FILE: &str = "panel.csv";
pub const CODEBOOK_FILE: &str = "codebook.csv";
/// The schema version and its notes; with `reports.csv`, what marks an output folder.
pub const SCHEMA_VERSION_FILE: &str = "SCHEMA_VERSION";

/// Every file a run writes, for messages and tests.
pub fn output_files() -> Vec<&'static str> {
    let mut names: Vec<&str> = DOCUMENT_FILES.iter().map(|(n, _)| *n).collect();
    names.extend([
        WIDE_FILE,
        WIDE_STATA_FILE,
        SOURCES_FILE,
        PANEL_FILE,
        CODEBOOK_FILE,
        crate::quality::QUALITY_FILE,
        SCHEMA_VERSION_FILE,
    ]);
    names
}

/// A cell column of the wide file.
#[derive(Clone, Copy, Debug)]
pub enum WideCell {
    Application(ApplicationRow, Applicant),
    Review(Proceeding, Outcome),
    Active(ActiveItem, ActiveCategory, ActiveMetric),
    /// The unit of an amount, which reports state as 万元 or 元.
    ActiveUnit(ActiveItem, ActiveCategory, ActiveMetric),
}

impl WideCell {
    pub fn name(&self) -> String {
        match self {
            WideCell::Application(r, a) => format!("applications.{}.{}", r.key(), a.key()),
            WideCell::Review(p, o) => format!("review_litigation.{}.{}", p.key(), o.key()),
            WideCell::Active(i, c, m) => {
                format!("active_disclosure.{}.{}.{}", i.key(), c.key(), m.key())
            }
            WideCell::ActiveUnit(i, c, m) => {
                format!("active_disclosure.{}.{}.{}.unit", i.key(), c.key(), m.key())
            }
        }
    }
}

/// The wide file's cell columns: every cell of either template, in printed order.
pub static WIDE_CELLS: LazyLock<Vec<WideCell>> = LazyLock::new(|| {
    let mut cells = Vec::new();
    for &row in ApplicationRow::ALL {
        for &applicant in Applicant::ALL {
            cells.push(WideCell::Application(row, applicant));
        }
    }
    for &p in Proceeding::ALL {
        for &o in Outcome::ALL {
            cells.push(WideCell::Review(p, o));
        }
    }
    let mut active: Vec<(ActiveItem, ActiveCategory, ActiveMetric)> = Vec::new();
    for template in [Template::T2021, Template::T2019] {
        for cell in expected_active_cells(template) {
            if !active.contains(&cell) {
                active.push(cell);
            }
        }
    }
    for (i, c, m) in active {
        cells.push(WideCell::Active(i, c, m));
        if m.is_amount() {
            cells.push(WideCell::ActiveUnit(i, c, m));
        }
    }
    cells
});

/// The wide file's column names: its ids, then every cell.
pub(crate) fn wide_header() -> Vec<String> {
    schema::WIDE_IDS
        .iter()
        .map(|c| c.name.to_string())
        .chain(WIDE_CELLS.iter().map(WideCell::name))
        .collect()
}

/// A report's table 二 cells by position, for the wide row's many lookups: the first cell
/// printed for each (item, category, metric), as a search in printed order would find.
struct ActiveIndex<'r>([Option<&'r ActiveCell>; ACTIVE_SLOTS]);

/// Every (item, category, metric) position; the index lives on the stack.
const ACTIVE_SLOTS: usize =
    ActiveItem::ALL.len() * ActiveCategory::ALL.len() * ActiveMetric::ALL.len();

impl<'r> ActiveIndex<'r> {
    fn slot(i: ActiveItem, c: ActiveCategory, m: ActiveMetric) -> usize {
        ((i as usize) * ActiveCategory::ALL.len() + c as usize) * ActiveMetric::ALL.len()
            + m as usize
    }

    fn of(report: &'r Report) -> ActiveIndex<'r> {
        let mut cells = [None; ACTIVE_SLOTS];
        for a in report.active_disclosure.iter().rev() {
            if let Some(slot) = cells.get_mut(Self::slot(a.item, a.category, a.metric)) {
                *slot = Some(a);
            }
        }
        ActiveIndex(cells)
    }

    fn get(&self, i: ActiveItem, c: ActiveCategory, m: ActiveMetric) -> Option<&'r ActiveCell> {
        self.0.get(Self::slot(i, c, m)).copied().flatten()
    }
}

fn wide_value<'r>(report: &'r Report, active: &ActiveIndex<'r>, cell: &WideCell) -> Field<'r> {
    match *cell {
        WideCell::Application(r, a) => {
            Field::Number(report.application(r, a).and_then(|f| f.value))
        }
        WideCell::Review(p, o) => Field::Number(report.review(p, o).and_then(|f| f.value)),
        WideCell::Active(i, c, m) => {
            Field::Number(active.get(i, c, m).and_then(|a| a.figure.value))
        }
        WideCell::ActiveUnit(i, c, m) => Field::Text(
            active
                .get(i, c, m)
                .filter(|a| a.figure.value.is_some())
                .map_or("", |a| a.unit.as_str()),
        ),
    }
}

/// What `SCHEMA_VERSION` says after the version: the files of this version.
const SCHEMA_NOTES: &str = "\
files: reports, applications, review_litigation, active_disclosure, checks, sections,
warnings, pre2019_statistics, wide, wide_stata, report_sources, panel, codebook (.csv)
pre2019_statistics.csv: report_id, label, unit, column, value, raw — the statistics form
of reports before 2019, one row per printed figure, as printed
2: every text value is quoted, numbers and booleans are bare; wide.csv gains role,
primary_report_id, panel_key, division_code and checks_failed; wide_stata.csv; the
codebook covers every file (file, column, stata_name, type, label_zh, label_en, unit,
missing, templates, coverage; its former `table` column is `file`); checks.csv holds
cross_year.* checks between a body's consecutive reports
";

/// CSV rows in memory, RFC 4180 with `\n` after each row: every textual value in
/// double quotes (its quotes doubled), numbers and booleans bare, a blank value empty.
/// Counts, per column, the rows with a value (the codebook's coverage).
#[derive(Default)]
struct Rows {
    bytes: Vec<u8>,
    filled: Vec<u32>,
}

/// One field of a row: text, or a number written straight into the row.
#[derive(Clone, Copy)]
enum Field<'a> {
    /// Quoted when not blank.
    Text(&'a str),
    /// Text that holds no quote (keys, check names, statuses, a plain report id): copied
    /// without the search for quotes, which debug builds still make.
    Safe(&'a str),
    /// Bare; empty when there is no value.
    Number(Option<Decimal>),
    /// Bare: an integer or boolean already printed.
    Bare(&'a str),
}

impl<'a> From<&'a str> for Field<'a> {
    fn from(text: &'a str) -> Field<'a> {
        Field::Text(text)
    }
}

impl<'a> From<&'a String> for Field<'a> {
    fn from(text: &'a String) -> Field<'a> {
        Field::Text(text)
    }
}

impl Field<'_> {
    /// A count, written bare.
    fn count(n: usize) -> Field<'static> {
        Field::Number(i64::try_from(n).ok().map(Decimal::from_int))
    }

    /// A value of a column of this type, as text already printed.
    fn typed(kind: ColumnType, text: &str) -> Field<'_> {
        if kind.quoted() {
            Field::Text(text)
        } else {
            Field::Bare(text)
        }
    }
}

impl Rows {
    fn with_capacity(bytes: usize) -> Rows {
        Rows {
            bytes: Vec::with_capacity(bytes),
            filled: Vec::new(),
        }
    }

    fn record<'a, F: Into<Field<'a>>>(&mut self, fields: impl IntoIterator<Item = F>) {
        let start = self.bytes.len();
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                self.bytes.push(b',');
            }
            let before = self.bytes.len();
            match field.into() {
                Field::Text(text) => self.text(text.as_bytes()),
                Field::Safe(text) => {
                    debug_assert!(!text.contains('"'), "{text:?} holds a quote");
                    if !text.is_empty() {
                        self.bytes.push(b'"');
                        self.bytes.extend_from_slice(text.as_bytes());
                        self.bytes.push(b'"');
                    }
                }
                Field::Number(Some(value)) => value.print_to(&mut self.bytes),
                Field::Number(None) => {}
                Field::Bare(text) => self.bytes.extend_from_slice(text.as_bytes()),
            }
            if self.bytes.len() > before {
                if self.filled.len() <= i {
                    self.filled.resize(i + 1, 0);
                }
                self.filled[i] += 1;
            }
        }
        if self.bytes.len() == start {
            self.bytes.extend_from_slice(b"\"\"");
        }
        self.bytes.push(b'\n');
    }

    fn text(&mut self, field: &[u8]) {
        if field.is_empty() {
            return;
        }
        self.bytes.push(b'"');
        let mut rest = field;
        while let Some(at) = memchr::memchr(b'"', rest) {
            self.bytes.extend_from_slice(&rest[..=at]);
            self.bytes.push(b'"');
            rest = &rest[at + 1..];
        }
        self.bytes.extend_from_slice(rest);
        self.bytes.push(b'"');
    }
}

/// The length of rows holding these texts, with `rest` bytes more each.
fn total_len<'a>(texts: impl Iterator<Item = &'a str>, rest: usize) -> usize {
    texts.map(|t| t.len() + rest).sum()
}

/// A document's rows for every per-document file, its wide row last; and per file, per
/// column, how many of its rows have a value.
#[derive(Debug)]
pub struct Rendered {
    pub rows: Vec<Vec<u8>>,
    pub filled: Vec<Vec<u32>>,
}

/// One document's rows for every per-document file, and its wide row last (without the
/// `role` and `primary_report_id` that [`CsvSink::finish_wide`] puts in).
pub fn render(result: &DocumentResult) -> Rendered {
    let id = result.report_id.as_str();
    // The id starts every row: looked at for quotes once, not on every row.
    let id_field = if id.contains('"') {
        Field::Text(id)
    } else {
        Field::Safe(id)
    };
    let r = &result.report;
    // Each buffer sized once from the rows it will hold (a typical row's length, and the
    // long texts themselves): growing them step by step copied every row several times.
    let mut capacity = [0; DOCUMENT_FILES.len() + 1];
    capacity[REPORTS] = 512;
    capacity[APPLICATIONS] = r.applications.len() * 64;
    capacity[REVIEW] = r.review_litigation.len() * 64;
    capacity[ACTIVE] = r.active_disclosure.len() * 80;
    capacity[CHECKS] = total_len(r.checks.iter().map(|c| c.detail.as_str()), 48);
    capacity[SECTIONS] = total_len(r.sections.iter().map(|s| s.text.as_str()), 48);
    capacity[WARNINGS] = total_len(r.warnings.iter().map(|w| w.message.as_str()), 48);
    capacity[STATISTICS] = r.statistics.len() * 64;
    capacity[WIDE] = 1024;
    let mut blobs: Vec<Rows> = capacity
        .iter()
        .map(|&size| Rows::with_capacity(size))
        .collect();
    let m = &r.metadata;
    let year = Field::Number(m.year.map(|y| Decimal::from_int(i64::from(y))));
    blobs[REPORTS].record([
        id_field,
        (&result.source).into(),
        (&m.source_url).into(),
        Field::Safe(&result.format),
        Field::Safe(r.template.as_str()),
        (&m.title).into(),
        (&m.agency).into(),
        (&m.province).into(),
        (&m.city).into(),
        (&m.county).into(),
        (&m.township).into(),
        Field::Safe(m.level.as_str()),
        (&m.division_code).into(),
        year,
        (&m.published_date).into(),
        Field::Safe(r.status.as_str()),
        Field::count(r.warnings.len()),
        (&r.error).into(),
        (&m.agency_full).into(),
        (&result.encoding).into(),
    ]);
    for c in &r.applications {
        blobs[APPLICATIONS].record([
            id_field,
            Field::Safe(c.row.key()),
            Field::Safe(c.applicant.key()),
            Field::Number(c.figure.value),
            (&c.figure.raw).into(),
        ]);
    }
    for c in &r.review_litigation {
        blobs[REVIEW].record([
            id_field,
            Field::Safe(c.proceeding.key()),
            Field::Safe(c.outcome.key()),
            Field::Number(c.figure.value),
            (&c.figure.raw).into(),
        ]);
    }
    for c in &r.active_disclosure {
        blobs[ACTIVE].record([
            id_field,
            Field::Safe(c.item.key()),
            Field::Safe(c.category.key()),
            Field::Safe(c.metric.key()),
            Field::Number(c.figure.value),
            (&c.unit).into(),
            (&c.figure.raw).into(),
        ]);
    }
    for c in &r.checks {
        blobs[CHECKS].record([
            id_field,
            Field::Safe(c.name),
            Field::Safe(c.status.as_str()),
            Field::Number(c.expected),
            Field::Number(c.actual),
            (&c.detail).into(),
        ]);
    }
    for s in &r.sections {
        blobs[SECTIONS].record([
            id_field,
            Field::count(usize::from(s.index)),
            (&s.heading).into(),
            (&s.text).into(),
        ]);
    }
    for w in &r.warnings {
        blobs[WARNINGS].record([
            id_field,
            Field::Safe(w.code.key()),
            (&w.location).into(),
            (&w.message).into(),
        ]);
    }
    for c in &r.statistics {
        blobs[STATISTICS].record([
            id_field,
            (&c.label).into(),
            (&c.unit).into(),
            (&c.column).into(),
            Field::Number(c.figure.value),
            (&c.figure.raw).into(),
        ]);
    }
    let panel_key = panel_key(
        &m.division_code,
        body_name(&m.division_code, &m.agency, &m.agency_full),
        m.year,
        r.status,
        &result.report_id,
    );
    let checks_failed = r
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .count();
    let head = [
        id_field,
        (&result.source).into(),
        (&panel_key).into(),
        (&m.division_code).into(),
        (&m.agency).into(),
        year,
        Field::Safe(r.template.as_str()),
        Field::Safe(r.status.as_str()),
        Field::count(checks_failed),
    ];
    let active = ActiveIndex::of(r);
    blobs[WIDE].record(
        head.into_iter()
            .chain(WIDE_CELLS.iter().map(|cell| wide_value(r, &active, cell))),
    );
    let filled = blobs
        .iter_mut()
        .map(|b| std::mem::take(&mut b.filled))
        .collect();
    Rendered {
        rows: blobs.into_iter().map(|rows| rows.bytes).collect(),
        filled,
    }
}

/// Open files of one run, under temporary names until [`CsvSink::commit`].
pub struct CsvSink {
    out_dir: PathBuf,
    bom: bool,
    /// Per-document files and the wide file's rows, in [`render`]'s order; then the
    /// files written whole at the end.
    files: Vec<(PathBuf, BufWriter<Writeback>)>,
    /// Per file, per column: rows with a value.
    coverage: Coverage,
    /// The length of each wide row, in the order written.
    wide_rows: Vec<u32>,
    /// Also write each CSV file as Parquet.
    parquet: bool,
}

/// Temporary files a killed run left behind (`.applications.csv.tmp-<pid>`); the files
/// they were to replace are whole, so they are only litter.
fn remove_stale_temporaries(out_dir: &Path) {
    let Ok(entries) = fs::read_dir(out_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.contains(".tmp-") && entry.path().is_file() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn temp_path(out_dir: &Path, name: &str) -> PathBuf {
    out_dir.join(format!(".{name}.tmp-{}", std::process::id()))
}

/// Bytes buffered per output file: a document's rows for a file are a few KB, so most
/// appends are copies and the system sees few large writes.
const WRITE_BUFFER: usize = 256 * 1024;

/// Bytes written to a file between two requests that the system start writing them out.
const WRITEBACK_STEP: u64 = 8 * 1024 * 1024;

/// An output file that asks the system to start writing each finished 8 MiB to disk
/// (`sync_file_range`, without waiting), so the sync at commit finds little left to do
/// instead of the whole run's output. Elsewhere than Linux it is the plain file.
struct Writeback {
    file: File,
    written: u64,
    requested: u64,
}

impl Writeback {
    fn new(file: File) -> Writeback {
        Writeback {
            file,
            written: 0,
            requested: 0,
        }
    }

    #[cfg(target_os = "linux")]
    fn start_writeback(&mut self) {
        use std::os::fd::AsRawFd;
        let len = self.written - self.requested;
        let (Ok(offset), Ok(nbytes)) = (i64::try_from(self.requested), i64::try_from(len)) else {
            return;
        };
        // SAFETY: the descriptor is open for as long as `self.file` lives; the call only
        // starts writeback of a range and touches no memory of ours. A failure is harmless
        // (the sync at commit writes everything), so its result is not looked at.
        unsafe {
            libc::sync_file_range(
                self.file.as_raw_fd(),
                offset,
                nbytes,
                libc::SYNC_FILE_RANGE_WRITE,
            );
        }
        self.requested = self.written;
    }

    #[cfg(not(target_os = "linux"))]
    fn start_writeback(&mut self) {}
}

impl Write for Writeback {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.requested >= WRITEBACK_STEP {
            self.start_writeback();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// UTF-8 byte-order mark: lets Excel on Chinese Windows open the files as UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl CsvSink {
    /// `bom` starts every file with a UTF-8 byte-order mark.
    pub fn create(out_dir: &Path, bom: bool) -> io::Result<CsvSink> {
        fs::create_dir_all(out_dir)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", out_dir.display())))?;
        remove_stale_temporaries(out_dir);
        let mut sink = CsvSink {
            out_dir: out_dir.to_path_buf(),
            bom,
            files: Vec::new(),
            coverage: Coverage::default(),
            wide_rows: Vec::new(),
            parquet: false,
        };
        for (name, columns) in DOCUMENT_FILES {
            let header: Vec<&str> = columns.iter().map(|c| c.name).collect();
            let file = sink.open(name, &header)?;
            sink.files.push(file);
            sink.coverage.files.push((name, vec![0; columns.len()]));
        }
        // The wide rows wait in a file of their own until their roles are known.
        let body = sink.open_bare(WIDE_BODY)?;
        sink.files.push(body);
        let columns = schema::WIDE_IDS.len() + WIDE_CELLS.len();
        sink.coverage.files.push((WIDE_FILE, vec![0; columns]));
        Ok(sink)
    }

    fn open_bare(&self, name: &str) -> io::Result<(PathBuf, BufWriter<Writeback>)> {
        let path = temp_path(&self.out_dir, name);
        let file = File::create(&path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        Ok((
            path,
            BufWriter::with_capacity(WRITE_BUFFER, Writeback::new(file)),
        ))
    }

    /// A file of the run with its header written.
    fn open<S: AsRef<str>>(
        &self,
        name: &str,
        header: &[S],
    ) -> io::Result<(PathBuf, BufWriter<Writeback>)> {
        let (path, mut out) = self.open_bare(name)?;
        if self.bom {
            out.write_all(BOM)?;
        }
        let mut header_row = Rows::default();
        header_row.record(header.iter().map(|h| Field::Text(h.as_ref())));
        out.write_all(&header_row.bytes)?;
        Ok((path, out))
    }

    /// Asks for `NAME.parquet` beside each `NAME.csv`; an error if this build has no
    /// Parquet writer.
    pub fn parquet(&mut self, on: bool) -> io::Result<()> {
        if on && !crate::PARQUET {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "this build writes no Parquet (built without the cargo feature `parquet`)",
            ));
        }
        self.parquet = on;
        Ok(())
    }

    /// Appends one document's rendered rows.
    pub fn append(&mut self, rows: &[Vec<u8>], filled: &[Vec<u32>]) -> io::Result<()> {
        for ((_, file), blob) in self.files.iter_mut().zip(rows) {
            file.write_all(blob)?;
        }
        if let Some(wide) = rows.get(WIDE) {
            self.wide_rows
                .push(u32::try_from(wide.len()).map_err(io::Error::other)?);
        }
        for ((_, counts), filled) in self.coverage.files.iter_mut().zip(filled) {
            add_counts(counts, filled);
        }
        Ok(())
    }

    /// Appends only a document's `reports.csv` row: its tables are already written
    /// under the same report id (the same bytes at another source).
    pub fn append_report_row(&mut self, rows: &[Vec<u8>], filled: &[Vec<u32>]) -> io::Result<()> {
        let (_, file) = &mut self.files[REPORTS];
        file.write_all(&rows[REPORTS])?;
        if let (Some((_, counts)), Some(filled)) =
            (self.coverage.files.get_mut(REPORTS), filled.get(REPORTS))
        {
            add_counts(counts, filled);
        }
        Ok(())
    }

    /// Writes a whole file at the end of the run (report sources, panel, codebook).
    fn write_whole<R: AsRef<[F]>, F: AsRef<str>>(
        &mut self,
        name: &'static str,
        columns: &[Column],
        rows: impl IntoIterator<Item = R>,
    ) -> io::Result<()> {
        let header: Vec<&str> = columns.iter().map(|c| c.name).collect();
        let (path, mut out) = self.open(name, &header)?;
        // Written as they are made, a buffer at a time: one row per document at most, so
        // the whole file is never held in memory.
        let mut buffer = Rows::default();
        for row in rows {
            let fields = row.as_ref().iter().zip(columns);
            buffer.record(fields.map(|(field, c)| Field::typed(c.kind, field.as_ref())));
            if buffer.bytes.len() >= 1 << 16 {
                out.write_all(&buffer.bytes)?;
                buffer.bytes.clear();
            }
        }
        out.write_all(&buffer.bytes)?;
        self.coverage.files.push((name, widen(&buffer.filled)));
        self.files.push((path, out));
        Ok(())
    }

    /// Which document is the primary source of each report.
    pub fn write_sources<'a>(
        &mut self,
        rows: impl IntoIterator<Item = [Cow<'a, str>; 5]>,
    ) -> io::Result<()> {
        self.write_whole(SOURCES_FILE, schema::REPORT_SOURCES, rows)
    }

    /// One row per body and year: the panel view.
    pub fn write_panel<'a>(
        &mut self,
        rows: impl IntoIterator<Item = [Cow<'a, str>; 9]>,
    ) -> io::Result<()> {
        self.write_whole(PANEL_FILE, schema::PANEL, rows)
    }

    /// Appends rows the run makes at its end (the cross-year checks) to `checks.csv`.
    pub fn append_checks<'a>(
        &mut self,
        rows: impl IntoIterator<Item = [Cow<'a, str>; 6]>,
    ) -> io::Result<()> {
        let mut buffer = Rows::default();
        for row in rows {
            let fields = row.iter().zip(schema::CHECKS);
            buffer.record(fields.map(|(field, c)| Field::typed(c.kind, field.as_ref())));
        }
        self.files[CHECKS].1.write_all(&buffer.bytes)?;
        if let Some((_, counts)) = self.coverage.files.get_mut(CHECKS) {
            add_counts(counts, &buffer.filled);
        }
        Ok(())
    }

    /// Writes `wide.csv` and `wide_stata.csv` from the wide rows, with each row's role
    /// and primary report put in after its id: one `(role, primary_report_id)` per row,
    /// in the order the rows were appended.
    pub fn finish_wide<'a>(
        &mut self,
        roles: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> io::Result<()> {
        let (body_path, mut body) = self.files.remove(WIDE);
        body.flush()?;
        drop(body);
        let result = self.write_wide_files(&body_path, roles);
        let _ = fs::remove_file(&body_path);
        result
    }

    fn write_wide_files<'a>(
        &mut self,
        body_path: &Path,
        roles: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> io::Result<()> {
        use std::io::Read;
        let header = wide_header();
        let stata_header: Vec<String> = header.iter().map(|n| stata_name(n)).collect();
        let (wide_path, mut wide) = self.open(WIDE_FILE, &header)?;
        let (stata_path, mut stata) = self.open(WIDE_STATA_FILE, &stata_header)?;
        let mut body = io::BufReader::with_capacity(WRITE_BUFFER, File::open(body_path)?);
        let mut roles = roles.into_iter();
        let mut row = Vec::new();
        for &len in &self.wide_rows {
            row.resize(len as usize, 0);
            body.read_exact(&mut row)?;
            let (role, primary) = roles
                .next()
                .ok_or_else(|| io::Error::other("a wide row without its role"))?;
            // The row starts with its quoted id and a comma; the role goes after them.
            let id_end = row
                .iter()
                .skip(1)
                .position(|&b| b == b'"')
                .map(|at| at + 3)
                .filter(|&end| row.get(end - 1) == Some(&b','))
                .ok_or_else(|| io::Error::other("a wide row that does not start with its id"))?;
            let mut inserted = Rows::default();
            inserted.record([Field::Safe(role), Field::Text(primary)]);
            let inserted = &inserted.bytes[..inserted.bytes.len() - 1];
            for out in [&mut wide, &mut stata] {
                out.write_all(&row[..id_end])?;
                out.write_all(inserted)?;
                out.write_all(b",")?;
                out.write_all(&row[id_end..])?;
            }
        }
        if let Some((_, counts)) = self
            .coverage
            .files
            .iter_mut()
            .find(|(n, _)| *n == WIDE_FILE)
        {
            // Role and primary are never blank: counted as the rows.
            let rows = self.wide_rows.len() as u64;
            counts.splice(1..1, [rows, rows]);
        }
        self.files.push((wide_path, wide));
        self.files.push((stata_path, stata));
        Ok(())
    }

    /// Writes a file that is not CSV (the quality page), renamed into place with the rest.
    pub fn write_file(&mut self, name: &str, contents: &[u8]) -> io::Result<()> {
        let (path, mut out) = self.open_bare(name)?;
        out.write_all(contents)?;
        self.files.push((path, out));
        Ok(())
    }

    /// Flushes everything, adds the codebook, and renames the files into place; then
    /// writes `SCHEMA_VERSION`.
    pub fn commit(mut self) -> io::Result<()> {
        let files: Vec<(&'static str, &'static [Column])> = DOCUMENT_FILES
            .iter()
            .copied()
            .chain([
                (WIDE_FILE, schema::WIDE_IDS),
                (SOURCES_FILE, schema::REPORT_SOURCES),
                (PANEL_FILE, schema::PANEL),
            ])
            .collect();
        let mut codebook = codebook::rows(&files, &self.coverage);
        let first_own = codebook.len();
        codebook.extend(codebook::rows(
            &[(CODEBOOK_FILE, schema::CODEBOOK)],
            &Coverage::default(),
        ));
        // The codebook's own coverage: its rows with a value in each column.
        for i in 0..schema::CODEBOOK.len() {
            let filled = codebook.iter().filter(|row| !row[i].is_empty()).count();
            codebook[first_own + i][9] = filled.to_string();
        }
        self.write_whole(CODEBOOK_FILE, schema::CODEBOOK, &codebook)?;
        let mut finished = Vec::new();
        for (path, mut file) in std::mem::take(&mut self.files) {
            file.flush()?;
            file.get_ref().file.sync_all()?;
            finished.push(path);
        }
        if self.parquet {
            if let Err(e) = self.files_as_parquet(&codebook, &mut finished) {
                for leftover in &finished {
                    let _ = fs::remove_file(leftover);
                }
                return Err(e);
            }
        }
        for path in &finished {
            let name = final_name(path);
            if let Err(e) = fs::rename(path, self.out_dir.join(&name)) {
                for leftover in &finished {
                    let _ = fs::remove_file(leftover);
                }
                return Err(e);
            }
        }
        let version = temp_path(&self.out_dir, SCHEMA_VERSION_FILE);
        fs::write(&version, format!("{SCHEMA_VERSION}\n\n{SCHEMA_NOTES}"))?;
        fs::rename(version, self.out_dir.join(SCHEMA_VERSION_FILE))
    }
}

impl CsvSink {
    #[cfg(feature = "parquet")]
    fn files_as_parquet(
        &mut self,
        codebook: &[codebook::CodebookRow],
        finished: &mut Vec<PathBuf>,
    ) -> io::Result<()> {
        let csvs: Vec<PathBuf> = finished
            .iter()
            .filter(|p| final_name(p).ends_with(".csv"))
            .cloned()
            .collect();
        for csv in csvs {
            let name = final_name(&csv);
            // wide_stata.csv is wide.csv's rows under other names.
            let described = if name == WIDE_STATA_FILE {
                WIDE_FILE
            } else {
                name.as_str()
            };
            let kinds: Vec<ColumnType> = codebook
                .iter()
                .filter(|row| row[0] == described)
                .filter_map(|row| ColumnType::from_name(&row[3]))
                .collect();
            let target = temp_path(&self.out_dir, &name.replace(".csv", ".parquet"));
            // Listed first, so that a failure removes it with the rest.
            finished.push(target.clone());
            crate::parquet_out::convert(&csv, &target, &kinds)
                .map_err(|e| io::Error::new(e.kind(), format!("{name} as Parquet: {e}")))?;
        }
        Ok(())
    }

    #[cfg(not(feature = "parquet"))]
    fn files_as_parquet(
        &mut self,
        _: &[codebook::CodebookRow],
        _: &mut Vec<PathBuf>,
    ) -> io::Result<()> {
        Ok(())
    }
}

/// The name a temporary file will have once renamed into place.
fn final_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix('.'))
        .and_then(|n| n.rsplit_once(".tmp-"))
        .map(|(n, _)| n.to_string())
        .unwrap_or_default()
}

fn add_counts(counts: &mut [u64], filled: &[u32]) {
    for (count, &n) in counts.iter_mut().zip(filled) {
        *count += u64::from(n);
    }
}

fn widen(filled: &[u32]) -> Vec<u64> {
    filled.iter().map(|&n| u64::from(n)).collect()
}

impl Drop for CsvSink {
    /// A run that did not commit leaves no temporary files behind.
    fn drop(&mut self) {
        for (path, _) in &self.files {
            let _ = fs::remove_file(path);
        }
    }
}

/// `value` (plain decimal, empty when blank or not a number) and `raw` (as printed).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_quoted_numbers_are_bare_and_the_csv_crate_reads_it_back() {
        let records: &[&[&str]] = &[
            &["r1", "plain", "数字 1549", ""],
            &[
                "comma, inside",
                "a \"quote\"",
                "\"",
                "line\nbreak",
                "cr\r",
                "tab\tkept",
            ],
            &[""],
            &["", ""],
            &["trailing space ", " 两边 "],
        ];
        let mut ours = Rows::default();
        for record in records {
            ours.record(record.iter().copied());
        }
        let value = Decimal::parse("-1036.25");
        ours.record([Field::Text("r"), Field::Number(value), Field::Number(None)]);
        ours.record([Field::Safe("ok"), Field::count(7), Field::Bare("true")]);
        let text = String::from_utf8(ours.bytes.clone()).unwrap();
        assert!(
            text.starts_with("\"r1\",\"plain\",\"数字 1549\",\n"),
            "{text}"
        );
        assert!(text.ends_with("\"r\",-1036.25,\n\"ok\",7,true\n"), "{text}");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(ours.bytes.as_slice());
        let read: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        let mut expected: Vec<Vec<String>> = records
            .iter()
            .map(|r| r.iter().map(|f| f.to_string()).collect())
            .collect();
        expected.push(vec!["r".into(), "-1036.25".into(), String::new()]);
        expected.push(vec!["ok".into(), "7".into(), "true".into()]);
        assert_eq!(read, expected);
        // Rows with a value, per column: "" is none.
        assert_eq!(ours.filled, vec![5, 5, 3, 1, 1, 1]);
    }

    #[test]
    fn blob_positions_match_the_file_names() {
        let names: Vec<&str> = DOCUMENT_FILES.iter().map(|(n, _)| *n).collect();
        let at = |i: usize| names[i];
        assert_eq!(
            [
                at(REPORTS),
                at(APPLICATIONS),
                at(REVIEW),
                at(ACTIVE),
                at(CHECKS),
                at(SECTIONS),
                at(WARNINGS),
                at(STATISTICS)
            ],
            [
                "reports.csv",
                "applications.csv",
                "review_litigation.csv",
                "active_disclosure.csv",
                "checks.csv",
                "sections.csv",
                "warnings.csv",
                "pre2019_statistics.csv"
            ]
        );
        assert_eq!(WIDE, names.len());
    }

    /// Keys and statuses are written as `Field::Safe`, without the search for quotes.
    #[test]
    fn keys_and_statuses_never_need_quotes() {
        use nianbao_model::{CheckStatus, Status};
        let keys = ApplicationRow::ALL
            .iter()
            .map(|k| k.key())
            .chain(Applicant::ALL.iter().map(|k| k.key()))
            .chain(Proceeding::ALL.iter().map(|k| k.key()))
            .chain(Outcome::ALL.iter().map(|k| k.key()))
            .chain(ActiveItem::ALL.iter().map(|k| k.key()))
            .chain(ActiveCategory::ALL.iter().map(|k| k.key()))
            .chain(ActiveMetric::ALL.iter().map(|k| k.key()))
            .chain([CheckStatus::Pass, CheckStatus::Fail, CheckStatus::Skip].map(|s| s.as_str()))
            .chain([Status::Ok, Status::Partial, Status::Failed].map(|s| s.as_str()));
        let mut count = 0;
        for key in keys {
            assert!(!key.is_empty() && !key.contains('"'), "{key:?}");
            count += 1;
        }
        assert!(count > 50, "{count} keys");
    }

    #[test]
    fn wide_columns_cover_both_templates_once() {
        let names: Vec<String> = WIDE_CELLS.iter().map(WideCell::name).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        assert_eq!(
            names
                .iter()
                .filter(|n| n.starts_with("applications."))
                .count(),
            26 * 7
        );
        assert_eq!(
            names
                .iter()
                .filter(|n| n.starts_with("review_litigation."))
                .count(),
            15
        );
        assert!(names.contains(
            &"active_disclosure.20.9.centralized_procurement.procurement_amount.unit".to_string()
        ));
        let files = [(WIDE_FILE, schema::WIDE_IDS)];
        let codebook = codebook::rows(&files, &Coverage::default());
        assert_eq!(codebook.len(), schema::WIDE_IDS.len() + names.len());
    }
}
