//! The corpus a crawl fills: documents stored by content hash under `objects/`, and
//! `manifest.jsonl`, one JSON record per fetch, appended and synced as each fetch ends.
//! The crawler writes it (`Store`), the batch reads it (`Manifest`); neither needs the
//! other.
//!
//! The manifest is the crawl state. A record is written only after its object is safely
//! in place (written to a temporary file, synced, renamed), so a crash never leaves a
//! half file counted as fetched. A run opens with a `run_started` record and closes with
//! `run_finished`; a run that never closed is resumed by the next crawl, which skips what
//! it already fetched. A later run asks the server again, conditionally — only for
//! objects whose bytes still hash to their record; a missing or altered object is
//! downloaded again and rewritten.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const MANIFEST: &str = "manifest.jsonl";
pub const OBJECTS: &str = "objects";

/// What a URL was fetched as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A page on the way to the reports (home page, section, column).
    Page,
    /// A listing page of a report column.
    Listing,
    /// A report page.
    Report,
    /// A file a report page links (.docx, .pdf, …).
    Attachment,
    Robots,
}

/// How a fetch ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A body was received and stored.
    Fetched,
    /// The server answered 304: the stored version is current.
    NotModified,
    /// No usable answer (network error, 4xx/5xx after retries, body too large, …).
    Failed,
    /// An anti-bot challenge answered instead of the content.
    Blocked,
    /// robots.txt disallows it: never requested.
    Disallowed,
    /// A revisit's answer that no longer reads as the report or attachment the URL was
    /// (an error or maintenance page, a file turned HTML, a body far smaller): `error`
    /// says why, the body is kept at `path` for inspection only, and the last good
    /// version stays the URL's current one.
    Rejected,
}

/// One manifest line: either a run marker or a fetch record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// `run_started`, `run_finished`, `pages_unread` (a listing, `url`, whose other pages
    /// the crawl could not follow: `error` says why), or empty for a fetch.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub event: String,
    pub run: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub final_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// RFC 3339 UTC.
    pub at: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub charset: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// The object's path relative to the corpus root.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub etag: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub last_modified: String,
    /// The listing page the link was found on, and its text (the full title).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub listing: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub link_text: String,
    /// The date the listing printed beside the link.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub listed_date: String,
    /// The name of the column the listing belongs to, as the link to it printed it
    /// (区财政局): the body a listing of bare years (`2023年度报告`) leaves out.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub column: String,
    /// The report page an attachment was linked from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub parent: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
}

impl Record {
    pub fn is_fetch(&self) -> bool {
        self.event.is_empty()
    }

    /// A record whose object is the URL's current content (fetched now, or confirmed
    /// unchanged); a rejected answer's object is not.
    pub fn has_body(&self) -> bool {
        matches!(self.outcome, Some(Outcome::Fetched | Outcome::NotModified))
            && !self.path.is_empty()
    }
}

/// The manifest as read back: every record, in order.
#[derive(Debug, Default)]
pub struct Manifest {
    pub records: Vec<Record>,
    /// Lines that could not be parsed (a crash mid-line leaves at most the last one).
    pub skipped_lines: usize,
}

impl Manifest {
    pub fn load(corpus: &Path) -> io::Result<Manifest> {
        let bytes = match fs::read(corpus.join(MANIFEST)) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Manifest::default()),
            Err(e) => return Err(e),
        };
        Ok(Manifest::parse(&bytes))
    }

    /// Parses manifest lines; a line that is not a record is counted, not fatal.
    pub fn parse(bytes: &[u8]) -> Manifest {
        let mut manifest = Manifest::default();
        // Lines as bytes: a line torn mid-character by a crash is skipped, not fatal.
        for line in bytes.split(|&b| b == b'\n') {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<Record>(line) {
                Ok(r) => manifest.records.push(r),
                Err(_) => manifest.skipped_lines += 1,
            }
        }
        manifest
    }

    pub fn last_run(&self) -> Option<(u64, bool)> {
        let run = self.records.iter().map(|r| r.run).max()?;
        let finished = self
            .records
            .iter()
            .any(|r| r.run == run && r.event == "run_finished");
        Some((run, finished))
    }

    /// The latest fetch record of every URL.
    pub fn latest(&self) -> HashMap<&str, &Record> {
        let mut latest = HashMap::new();
        for r in self.records.iter().filter(|r| r.is_fetch()) {
            latest.insert(r.url.as_str(), r);
        }
        latest
    }

    /// The latest record with a stored body, per URL (what a document of the corpus is): a
    /// rejected answer after it leaves it current.
    pub fn current_documents(&self) -> Vec<&Record> {
        let mut by_url: HashMap<&str, &Record> = HashMap::new();
        for r in self.records.iter().filter(|r| r.is_fetch() && r.has_body()) {
            by_url.insert(r.url.as_str(), r);
        }
        let mut docs: Vec<&Record> = by_url.into_values().collect();
        docs.sort_by(|a, b| a.url.cmp(&b.url));
        docs
    }
}

/// Appends records and stores objects.
pub struct Store {
    root: PathBuf,
    manifest: File,
}

impl Store {
    /// Opens the corpus for writing. The caller holds its lock (`nianbao-lock`), so the
    /// temporary objects a crawl killed mid-write left behind are removed.
    pub fn open(root: &Path) -> io::Result<Store> {
        fs::create_dir_all(root.join(OBJECTS))?;
        remove_temporaries(&root.join(OBJECTS));
        let path = root.join(MANIFEST);
        // A crash mid-line leaves a torn last line: end it, so the next record stands alone.
        let torn = fs::read(&path).is_ok_and(|b| !b.is_empty() && !b.ends_with(b"\n"));
        let mut manifest = OpenOptions::new().create(true).append(true).open(&path)?;
        if torn {
            manifest.write_all(b"\n")?;
        }
        Ok(Store {
            root: root.to_path_buf(),
            manifest,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Appends one record and syncs it to disk before returning.
    pub fn append(&mut self, record: &Record) -> io::Result<()> {
        let mut line = serde_json::to_string(record).map_err(io::Error::other)?;
        line.push('\n');
        self.manifest.write_all(line.as_bytes())?;
        self.manifest.sync_data()
    }

    /// Stores a body by its hash; returns (sha256 hex, path relative to the root). An
    /// object already there is rewritten when its bytes no longer hash to its name (a disk
    /// fault or a hand edit), so a fresh download repairs it.
    pub fn put(&self, body: &[u8], extension: &str) -> io::Result<(String, String)> {
        let sha = sha256_hex(body);
        let relative = format!("{OBJECTS}/{}/{sha}.{extension}", &sha[..2]);
        if self.read_intact(&relative, &sha).is_none() {
            self.write_atomically(&relative, &sha, body)?;
        }
        Ok((sha, relative))
    }

    /// Writes to a temporary file, syncs it and renames it into place: a crash leaves the
    /// old file or the new one, never half of one.
    fn write_atomically(&self, relative: &str, sha: &str, body: &[u8]) -> io::Result<()> {
        let path = self.root.join(relative);
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir)?;
        let temp = dir.join(format!(".{sha}.tmp-{}", std::process::id()));
        {
            let mut file = File::create(&temp)?;
            file.write_all(body)?;
            file.sync_all()?;
        }
        fs::rename(&temp, &path)
    }

    /// A stored object's bytes if they still hash to `sha256` (see [`read_intact`]).
    pub fn read_intact(&self, relative: &str, sha256: &str) -> Option<Vec<u8>> {
        read_intact(&self.root, relative, sha256)
    }

    pub fn read(&self, relative: &str) -> io::Result<Vec<u8>> {
        fs::read(self.root.join(relative))
    }
}

/// The bytes of the object at `relative` under the corpus `root` if they are there and
/// still hash to `sha256`; `None` if the object is missing, unreadable or altered.
pub fn read_intact(root: &Path, relative: &str, sha256: &str) -> Option<Vec<u8>> {
    if relative.is_empty() {
        return None;
    }
    let body = fs::read(root.join(relative)).ok()?;
    (sha256_hex(&body) == sha256).then_some(body)
}

/// The SHA-256 of `bytes` in lowercase hex: an object's name and a record's `sha256`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Removes `.<sha>.tmp-<pid>` files under `objects/`: halves of objects whose writing
/// was cut short (a kill, a full disk); no record names them.
fn remove_temporaries(objects: &Path) {
    let folders = fs::read_dir(objects).into_iter().flatten().flatten();
    for entry in folders.flat_map(|f| fs::read_dir(f.path()).into_iter().flatten().flatten()) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.contains(".tmp-") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Now as RFC 3339 UTC, for records.
pub fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_millis()
    )
}

/// A record's `at` (as [`now_rfc3339`] writes it) as a time; `None` for any other text.
pub fn parse_rfc3339(at: &str) -> Option<std::time::SystemTime> {
    let number = |range: std::ops::Range<usize>| at.get(range)?.parse::<u32>().ok();
    let bytes = at.as_bytes();
    let punctuation = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
    ];
    if bytes.len() != 24 || bytes[23] != b'Z' || punctuation.iter().any(|&(i, c)| bytes[i] != c) {
        return None;
    }
    let (month, day) = (number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(i64::from(number(0..4)?), month, day);
    let seconds = u64::from(number(11..13)? * 3600 + number(14..16)? * 60 + number(17..19)?);
    let since_epoch = std::time::Duration::from_secs(u64::try_from(days).ok()? * 86_400 + seconds)
        + std::time::Duration::from_millis(u64::from(number(20..23)?));
    Some(std::time::UNIX_EPOCH + since_epoch)
}

/// (year, month, day) → days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from(if m > 2 { m - 3 } else { m + 9 });
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_517), (2026, 3, 5));
        for days in [0, 59, 60, 19_723, 20_517, 40_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn opening_removes_the_halves_of_objects_cut_short() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (_, path) = store.put(b"whole", "txt").unwrap();
        let folder = dir.path().join(&path);
        let folder = folder.parent().unwrap();
        let half = folder.join(".abc.tmp-123");
        fs::write(&half, b"ha").unwrap();
        drop(store);
        Store::open(dir.path()).unwrap();
        assert!(!half.exists());
        assert!(dir.path().join(&path).is_file(), "objects stay");
    }

    #[test]
    fn record_times_read_back() {
        let at = now_rfc3339();
        let time = parse_rfc3339(&at).expect("our own format");
        let now = std::time::SystemTime::now();
        assert!(now.duration_since(time).unwrap() < std::time::Duration::from_secs(2));
        let exact = parse_rfc3339("2024-01-01T00:00:01.500Z").unwrap();
        let since = exact.duration_since(std::time::UNIX_EPOCH).unwrap();
        assert_eq!(since.as_millis(), (19_723 * 86_400 + 1) * 1000 + 500);
        for bad in [
            "",
            "2024-01-01",
            "2024-13-01T00:00:00.000Z",
            "2024-01-01 00:00:00.000Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn records_round_trip_and_a_torn_last_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let (sha, path) = store.put(b"<html>x</html>", "html").unwrap();
        assert!(dir.path().join(&path).is_file());
        let record = Record {
            run: 1,
            url: "http://x/".into(),
            kind: Some(Kind::Report),
            outcome: Some(Outcome::Fetched),
            sha256: sha,
            path,
            at: now_rfc3339(),
            ..Record::default()
        };
        store.append(&record).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join(MANIFEST))
            .unwrap()
            .write_all(
                "{\"run\": 1, \"link_text\": \"北宫"
                    .as_bytes()
                    .split_last()
                    .unwrap()
                    .1,
            )
            .unwrap();
        let manifest = Manifest::load(dir.path()).unwrap();
        assert_eq!(manifest.records, vec![record]);
        assert_eq!(manifest.skipped_lines, 1);
        assert_eq!(manifest.current_documents().len(), 1);
    }

    #[test]
    fn an_altered_object_is_rewritten_and_a_missing_one_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let body = b"<td>12</td>";
        let (sha, path) = store.put(body, "html").unwrap();
        assert_eq!(store.read_intact(&path, &sha).as_deref(), Some(&body[..]));
        std::fs::write(dir.path().join(&path), b"<td>92</td>").unwrap();
        assert_eq!(store.read_intact(&path, &sha), None);
        assert_eq!(
            store.put(body, "html").unwrap(),
            (sha.clone(), path.clone())
        );
        assert_eq!(std::fs::read(dir.path().join(&path)).unwrap(), body);
        std::fs::remove_file(dir.path().join(&path)).unwrap();
        assert_eq!(store.read_intact(&path, &sha), None);
        store.put(body, "html").unwrap();
        assert_eq!(store.read_intact(&path, &sha).as_deref(), Some(&body[..]));
    }
}
