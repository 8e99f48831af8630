//! The CSV files of the output contract (`shared/schema.md`), written under temporary
//! names and renamed into place on commit. The only place that knows CSV.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use nianbao_model::Figure;

use crate::DocumentResult;

/// Recorded in `SCHEMA_VERSION`; bumped whenever a column is renamed or removed.
pub const SCHEMA_VERSION: &str = "1";

/// Every file a run writes, with its header row.
pub const OUTPUT_FILES: &[(&str, &[&str])] = &[
    (
        "reports.csv",
        &[
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
        ],
    ),
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
        "report_sources.csv",
        &["report_id", "role", "primary_report_id", "group"],
    ),
];

/// Positions in [`OUTPUT_FILES`], so that a row goes to its file by name.
const REPORTS: usize = 0;
const APPLICATIONS: usize = 1;
const REVIEW: usize = 2;
const ACTIVE: usize = 3;
const CHECKS: usize = 4;
const SECTIONS: usize = 5;
const WARNINGS: usize = 6;
const SOURCES: usize = 7;

type Writer = csv::Writer<BufWriter<File>>;

/// Open writers onto the temporary files of one run.
pub struct CsvSink {
    out_dir: PathBuf,
    writers: Vec<(PathBuf, Writer)>,
}

fn temp_path(out_dir: &Path, name: &str) -> PathBuf {
    out_dir.join(format!(".{name}.tmp-{}", std::process::id()))
}

impl CsvSink {
    pub fn create(out_dir: &Path) -> io::Result<CsvSink> {
        fs::create_dir_all(out_dir)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", out_dir.display())))?;
        let mut writers = Vec::new();
        for (name, header) in OUTPUT_FILES {
            let path = temp_path(out_dir, name);
            let file = File::create(&path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(BufWriter::new(file));
            writer.write_record(*header)?;
            writers.push((path, writer));
        }
        Ok(CsvSink {
            out_dir: out_dir.to_path_buf(),
            writers,
        })
    }

    fn writer(&mut self, index: usize) -> &mut Writer {
        &mut self.writers[index].1
    }

    /// Appends one document's rows to every file.
    pub fn write(&mut self, result: &DocumentResult) -> io::Result<()> {
        let id = result.report_id.as_str();
        let r = &result.report;
        let m = &r.metadata;
        let year = m.year.map(|y| y.to_string()).unwrap_or_default();
        let warnings = r.warnings.len().to_string();
        self.writer(REPORTS).write_record([
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
        ])?;
        for c in &r.applications {
            let (value, raw) = figure_fields(&c.figure);
            self.writer(APPLICATIONS).write_record([
                id,
                c.row.key(),
                c.applicant.key(),
                &value,
                raw,
            ])?;
        }
        for c in &r.review_litigation {
            let (value, raw) = figure_fields(&c.figure);
            self.writer(REVIEW).write_record([
                id,
                c.proceeding.key(),
                c.outcome.key(),
                &value,
                raw,
            ])?;
        }
        for c in &r.active_disclosure {
            let (value, raw) = figure_fields(&c.figure);
            self.writer(ACTIVE).write_record([
                id,
                c.item.key(),
                c.category.key(),
                c.metric.key(),
                &value,
                &c.unit,
                raw,
            ])?;
        }
        for c in &r.checks {
            let show =
                |d: Option<nianbao_model::Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
            self.writer(CHECKS).write_record([
                id,
                &c.name,
                c.status.as_str(),
                &show(c.expected),
                &show(c.actual),
                &c.detail,
            ])?;
        }
        for s in &r.sections {
            self.writer(SECTIONS)
                .write_record([id, &s.index.to_string(), &s.heading, &s.text])?;
        }
        for w in &r.warnings {
            self.writer(WARNINGS)
                .write_record([id, w.code, &w.location, &w.message])?;
        }
        Ok(())
    }

    /// Which document is the primary source of each report (written once, at the end).
    pub fn write_sources(&mut self, rows: &[[String; 4]]) -> io::Result<()> {
        for row in rows {
            self.writer(SOURCES).write_record(row)?;
        }
        Ok(())
    }

    /// Flushes everything and renames the files into place, then writes `SCHEMA_VERSION`.
    pub fn commit(mut self) -> io::Result<()> {
        let mut finished = Vec::new();
        for (path, writer) in std::mem::take(&mut self.writers) {
            let mut inner = writer
                .into_inner()
                .map_err(|e| io::Error::other(e.to_string()))?;
            inner.flush()?;
            inner.get_ref().sync_all()?;
            finished.push(path);
        }
        for ((name, _), path) in OUTPUT_FILES.iter().zip(&finished) {
            if let Err(e) = fs::rename(path, self.out_dir.join(name)) {
                for leftover in &finished {
                    let _ = fs::remove_file(leftover);
                }
                return Err(e);
            }
        }
        let version = temp_path(&self.out_dir, "SCHEMA_VERSION");
        fs::write(&version, format!("{SCHEMA_VERSION}\n"))?;
        fs::rename(version, self.out_dir.join("SCHEMA_VERSION"))
    }
}

impl Drop for CsvSink {
    /// A run that did not commit leaves no temporary files behind.
    fn drop(&mut self) {
        for (path, _) in &self.writers {
            let _ = fs::remove_file(path);
        }
    }
}

/// `value` (plain decimal, empty when blank or not a number) and `raw` (as printed).
fn figure_fields(f: &Figure) -> (String, &str) {
    (
        f.value.map(|v| v.to_string()).unwrap_or_default(),
        f.raw.as_str(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_positions_match_the_names() {
        let names: Vec<&str> = OUTPUT_FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(names[REPORTS], "reports.csv");
        assert_eq!(names[APPLICATIONS], "applications.csv");
        assert_eq!(names[REVIEW], "review_litigation.csv");
        assert_eq!(names[ACTIVE], "active_disclosure.csv");
        assert_eq!(names[CHECKS], "checks.csv");
        assert_eq!(names[SECTIONS], "sections.csv");
        assert_eq!(names[WARNINGS], "warnings.csv");
        assert_eq!(names[SOURCES], "report_sources.csv");
    }
}
