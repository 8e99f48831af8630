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
    ActiveCategory, ActiveCell, ActiveItem, ActiveMetric, Applicant, ApplicationRow, Decimal,
    Outcome, Proceeding, Report, Template,
};

use crate::DocumentResult;

/// Recorded in `SCHEMA_VERSION`; bumped whenever a column is renamed or removed.
pub const SCHEMA_VERSION: &str = "1";

const REPORT_COLUMNS: &[&str] = &[
    "report_id",
    "source",
    "source_url",
    "format",
    "template",
    "title",
    "agency",
    "province",
    "city",
    "county",
    "township",
    "level",
    "division_code",
    "year",
    "published_date",
    "status",
    "warnings",
    "error",
    "agency_full",
    "encoding",
];

/// The files with one or more rows per document, in the order of [`render`]'s blobs.
pub const DOCUMENT_FILES: &[(&str, &[&str])] = &[
    ("reports.csv", REPORT_COLUMNS),
    (
        "applications.csv",
        &["report_id", "row", "applicant", "value", "raw"],
    ),
    (
        "review_litigation.csv",
        &["report_id", "proceeding", "outcome", "value", "raw"],
    ),
    (
        "active_disclosure.csv",
        &[
            "report_id",
            "item",
            "category",
            "metric",
            "value",
            "unit",
            "raw",
        ],
    ),
    (
        "checks.csv",
        &[
            "report_id",
            "check",
            "status",
            "expected",
            "actual",
            "detail",
        ],
    ),
    ("sections.csv", &["report_id", "index", "heading", "text"]),
    (
        "warnings.csv",
        &["report_id", "code", "location", "message"],
    ),
    (
        "pre2019_statistics.csv",
        &["report_id", "label", "unit", "column", "value", "raw"],
    ),
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
const SOURCES_COLUMNS: &[&str] = &["report_id", "role", "primary_report_id", "group"];
pub const WIDE_FILE: &str = "wide.csv";
pub const PANEL_FILE: &str = "panel.csv";
const PANEL_COLUMNS: &[&str] = &[
    "panel_key",
    "division_code",
    "agency",
    "year",
    "template",
    "primary_report_id",
    "documents",
    "conflict",
    "conflict_detail",
];
pub const CODEBOOK_FILE: &str = "codebook.csv";
/// The schema version and its notes; with `reports.csv`, what marks an output folder.
pub const SCHEMA_VERSION_FILE: &str = "SCHEMA_VERSION";

/// Every file a run writes, for messages and tests.
pub fn output_files() -> Vec<&'static str> {
    let mut names: Vec<&str> = DOCUMENT_FILES.iter().map(|(n, _)| *n).collect();
    names.extend([
        WIDE_FILE,
        SOURCES_FILE,
        PANEL_FILE,
        CODEBOOK_FILE,
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

/// Identifying columns of the wide file, before the cells.
const WIDE_IDS: &[&str] = &[
    "report_id",
    "source",
    "agency",
    "year",
    "template",
    "status",
];

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

fn wide_header() -> Vec<String> {
    WIDE_IDS
        .iter()
        .map(|s| s.to_string())
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

/// The codebook: every column of the wide file with its table, Chinese label and unit.
fn codebook_rows() -> Vec<[String; 5]> {
    let mut rows = Vec::new();
    for cell in WIDE_CELLS.iter() {
        let (table, label, unit) = match cell {
            WideCell::Application(r, a) => (
                "applications",
                format!("{} / {}", r.zh(), a.zh()),
                "件".to_string(),
            ),
            WideCell::Review(p, o) => (
                "review_litigation",
                format!("{} / {}", p.zh(), o.zh()),
                "件".to_string(),
            ),
            WideCell::Active(i, c, m) => (
                "active_disclosure",
                format!("{} / {} / {}", i.zh(), c.zh(), m.zh()),
                if m.is_amount() {
                    "see the .unit column (万元 or 元, as printed)".to_string()
                } else if *m == ActiveMetric::Change {
                    "件 (signed)".to_string()
                } else {
                    "件".to_string()
                },
            ),
            WideCell::ActiveUnit(i, c, m) => (
                "active_disclosure",
                format!("{} / {} / {} 的单位", i.zh(), c.zh(), m.zh()),
                String::new(),
            ),
        };
        let templates = match cell {
            WideCell::Application(ApplicationRow::Other, _) => {
                "2019 (and 2021 reports printing （六） as one row)"
            }
            WideCell::Application(
                ApplicationRow::OtherNoCorrection
                | ApplicationRow::OtherUnpaidFee
                | ApplicationRow::OtherOther,
                _,
            ) => "2021",
            WideCell::Active(i, c, m) | WideCell::ActiveUnit(i, c, m) => {
                let in_2021 = expected_active_cells(Template::T2021).contains(&(*i, *c, *m));
                let in_2019 = expected_active_cells(Template::T2019).contains(&(*i, *c, *m));
                match (in_2021, in_2019) {
                    (true, true) => "2021, 2019",
                    (true, false) => "2021",
                    _ => "2019",
                }
            }
            _ => "2021, 2019",
        };
        rows.push([
            cell.name(),
            table.to_string(),
            label,
            unit,
            templates.to_string(),
        ]);
    }
    // The pre-2019 statistics form has no fixed cells: its long file's columns instead.
    for (column, label, unit) in PRE2019_COLUMNS {
        rows.push([
            format!("pre2019_statistics.{column}"),
            "pre2019_statistics".to_string(),
            label.to_string(),
            unit.to_string(),
            "pre2019".to_string(),
        ]);
    }
    rows
}

/// `pre2019_statistics.csv`'s columns after `report_id`, described for the codebook.
const PRE2019_COLUMNS: [(&str, &str, &str); 5] = [
    ("label", "统计指标 / 指标名称, as printed", ""),
    ("unit", "单位 / 计量单位, as printed", ""),
    (
        "column",
        "the form's value column (本年度 / 2011年度 / 历年累计 …), as printed",
        "",
    ),
    ("value", "数量, the figure read", "see the unit column"),
    ("raw", "the cell's text as printed", ""),
];

/// What `SCHEMA_VERSION` says after the version: the files of this version.
const SCHEMA_NOTES: &str = "\
files: reports, applications, review_litigation, active_disclosure, checks, sections,
warnings, pre2019_statistics, wide, report_sources, panel, codebook (.csv)
pre2019_statistics.csv: report_id, label, unit, column, value, raw — the statistics form
of reports before 2019, one row per printed figure, as printed
";

/// CSV rows in memory, RFC 4180 as the `csv` crate writes them by default: `\n` after
/// each row; a field quoted only when it holds a comma, a quote or a line break, its
/// quotes doubled; a row of one empty field written `""` so that it is not a blank line.
#[derive(Default)]
struct Rows(Vec<u8>);

/// One field of a row: text as it is, or a number written straight into the row.
#[derive(Clone, Copy)]
enum Field<'a> {
    Text(&'a str),
    /// Text that never needs quoting (keys, check names, statuses, a plain report id):
    /// copied without the test, which debug builds still make.
    Safe(&'a str),
    /// Empty when there is no value.
    Number(Option<Decimal>),
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

impl Rows {
    fn record<'a, F: Into<Field<'a>>>(&mut self, fields: impl IntoIterator<Item = F>) {
        let start = self.0.len();
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                self.0.push(b',');
            }
            match field.into() {
                Field::Text(text) => self.text(text.as_bytes()),
                Field::Safe(text) => {
                    debug_assert!(!needs_quotes(text.as_bytes()), "{text:?} needs quotes");
                    self.0.extend_from_slice(text.as_bytes());
                }
                // Digits, `-` and `.`: never quoted.
                Field::Number(Some(value)) => value.print_to(&mut self.0),
                Field::Number(None) => {}
            }
        }
        if self.0.len() == start {
            self.0.extend_from_slice(b"\"\"");
        }
        self.0.push(b'\n');
    }

    fn text(&mut self, field: &[u8]) {
        if !needs_quotes(field) {
            self.0.extend_from_slice(field);
            return;
        }
        self.0.push(b'"');
        let mut rest = field;
        while let Some(at) = memchr::memchr(b'"', rest) {
            self.0.extend_from_slice(&rest[..=at]);
            self.0.push(b'"');
            rest = &rest[at + 1..];
        }
        self.0.extend_from_slice(rest);
        self.0.push(b'"');
    }
}

/// Whether a field holds a comma, a quote or a line break. Most fields are a few bytes,
/// where a plain loop is fastest; sections and check details run to hundreds.
fn needs_quotes(field: &[u8]) -> bool {
    if field.len() < 32 {
        return field
            .iter()
            .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    }
    memchr::memchr3(b',', b'"', b'\n', field).is_some() || memchr::memchr(b'\r', field).is_some()
}

/// The length of rows holding these texts, with `rest` bytes more each.
fn total_len<'a>(texts: impl Iterator<Item = &'a str>, rest: usize) -> usize {
    texts.map(|t| t.len() + rest).sum()
}

/// One document's rows for every per-document file, and its wide row last.
pub fn render(result: &DocumentResult) -> Vec<Vec<u8>> {
    let id = result.report_id.as_str();
    // The id starts every row: tested for quoting once, not on every row.
    let id_field = if needs_quotes(id.as_bytes()) {
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
        .map(|&size| Rows(Vec::with_capacity(size)))
        .collect();
    let m = &r.metadata;
    let year = m.year.map(|y| y.to_string()).unwrap_or_default();
    let warnings = r.warnings.len().to_string();
    blobs[REPORTS].record([
        id,
        &result.source,
        &m.source_url,
        &result.format,
        r.template.as_str(),
        &m.title,
        &m.agency,
        &m.province,
        &m.city,
        &m.county,
        &m.township,
        m.level.as_str(),
        &m.division_code,
        &year,
        &m.published_date,
        r.status.as_str(),
        &warnings,
        &r.error,
        &m.agency_full,
        &result.encoding,
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
        let index = s.index.to_string();
        blobs[SECTIONS].record([
            id_field,
            Field::Safe(&index),
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
    let head = [
        id,
        &result.source,
        &m.agency,
        &year,
        r.template.as_str(),
        r.status.as_str(),
    ];
    let active = ActiveIndex::of(r);
    blobs[WIDE].record(
        head.into_iter()
            .map(Field::Text)
            .chain(WIDE_CELLS.iter().map(|cell| wide_value(r, &active, cell))),
    );
    blobs.into_iter().map(|rows| rows.0).collect()
}

/// Open files of one run, under temporary names until [`CsvSink::commit`].
pub struct CsvSink {
    out_dir: PathBuf,
    bom: bool,
    /// Per-document files and the wide file, in [`render`]'s order.
    files: Vec<(PathBuf, BufWriter<Writeback>)>,
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
        };
        let headers = DOCUMENT_FILES
            .iter()
            .map(|(name, header)| (*name, header.iter().map(|h| h.to_string()).collect()))
            .chain(std::iter::once((WIDE_FILE, wide_header())));
        for (name, header) in headers {
            let (path, file) = sink.open(name, &header)?;
            sink.files.push((path, file));
        }
        Ok(sink)
    }

    fn open(&self, name: &str, header: &[String]) -> io::Result<(PathBuf, BufWriter<Writeback>)> {
        let path = temp_path(&self.out_dir, name);
        let file = File::create(&path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, Writeback::new(file));
        if self.bom {
            out.write_all(BOM)?;
        }
        let mut header_row = Rows::default();
        header_row.record(header);
        out.write_all(&header_row.0)?;
        Ok((path, out))
    }

    /// Appends one document's rendered rows.
    pub fn append(&mut self, rows: &[Vec<u8>]) -> io::Result<()> {
        for ((_, file), blob) in self.files.iter_mut().zip(rows) {
            file.write_all(blob)?;
        }
        Ok(())
    }

    /// Appends only a document's `reports.csv` row: its tables are already written
    /// under the same report id (the same bytes at another source).
    pub fn append_report_row(&mut self, rows: &[Vec<u8>]) -> io::Result<()> {
        let (_, file) = &mut self.files[REPORTS];
        file.write_all(&rows[REPORTS])
    }

    /// Writes a whole file at the end of the run (report sources, codebook).
    fn write_whole<R: AsRef<[F]>, F: AsRef<str>>(
        &mut self,
        name: &str,
        header: &[&str],
        rows: impl IntoIterator<Item = R>,
    ) -> io::Result<()> {
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        let (path, mut out) = self.open(name, &header)?;
        // Written as they are made, a buffer at a time: one row per document at most, so
        // the whole file is never held in memory.
        let mut buffer = Rows::default();
        for row in rows {
            buffer.record(row.as_ref().iter().map(|field| Field::Text(field.as_ref())));
            if buffer.0.len() >= 1 << 16 {
                out.write_all(&buffer.0)?;
                buffer.0.clear();
            }
        }
        out.write_all(&buffer.0)?;
        self.files.push((path, out));
        Ok(())
    }

    /// Which document is the primary source of each report.
    pub fn write_sources<'a>(
        &mut self,
        rows: impl IntoIterator<Item = [Cow<'a, str>; 4]>,
    ) -> io::Result<()> {
        self.write_whole(SOURCES_FILE, SOURCES_COLUMNS, rows)
    }

    /// One row per body and year: the panel view.
    pub fn write_panel<'a>(
        &mut self,
        rows: impl IntoIterator<Item = [Cow<'a, str>; 9]>,
    ) -> io::Result<()> {
        self.write_whole(PANEL_FILE, PANEL_COLUMNS, rows)
    }

    /// Flushes everything, adds the codebook, and renames the files into place; then
    /// writes `SCHEMA_VERSION`.
    pub fn commit(mut self) -> io::Result<()> {
        let codebook = codebook_rows();
        self.write_whole(
            CODEBOOK_FILE,
            &["column", "table", "label_zh", "unit", "templates"],
            &codebook,
        )?;
        let mut finished = Vec::new();
        for (path, mut file) in std::mem::take(&mut self.files) {
            file.flush()?;
            file.get_ref().file.sync_all()?;
            finished.push(path);
        }
        for path in &finished {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix('.'))
                .and_then(|n| n.rsplit_once(".tmp-"))
                .map(|(n, _)| n.to_string())
                .unwrap_or_default();
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
    fn rows_are_written_as_the_csv_crate_writes_them() {
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
        let mut theirs = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        for record in records {
            ours.record(record.iter().copied());
            theirs.write_record(*record).unwrap();
        }
        let value = Decimal::parse("-1036.25");
        ours.record([Field::Text("r"), Field::Number(value), Field::Number(None)]);
        theirs.write_record(["r", "-1036.25", ""]).unwrap();
        let theirs = theirs.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(ours.0).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
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

    /// Keys and statuses are written as `Field::Safe`, without the quoting test.
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
            assert!(!key.is_empty() && !needs_quotes(key.as_bytes()), "{key:?}");
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
        assert_eq!(codebook_rows().len(), names.len() + PRE2019_COLUMNS.len());
    }
}
