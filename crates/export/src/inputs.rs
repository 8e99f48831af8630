//! The inputs of a batch: the files under the given paths and the documents of a
//! crawled corpus (by its manifest), each with the name it has in the output, and the
//! reading of one input's bytes within the bounds, with a reason when it cannot be read.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use nianbao_corpus::{Kind, Manifest, MANIFEST, OBJECTS};
use nianbao_read::MAX_DOCUMENT_BYTES;

use crate::csv_out::{output_files, SCHEMA_VERSION_FILE};

/// One document to process: where it is, and how it is named in the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// Path relative to the corpus root (or as given), with `/` separators.
    pub source: String,
    /// Where a crawled document came from, from the corpus manifest.
    pub provenance: Option<Provenance>,
    /// Why it cannot be read, when that is known as it is listed (a manifest naming a
    /// path outside its corpus): its row is `failed` with this reason.
    pub problem: Option<String>,
}

/// What the crawl manifest knows of a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    pub url: String,
    /// The date the listing printed beside the link.
    pub listed_date: String,
    /// The report page an attachment was linked from.
    pub parent: String,
    /// The text of the link the crawl followed, as the listing printed it.
    pub link_text: String,
    /// The name of the listing's column (区财政局).
    pub column: String,
    /// The SHA-256 the crawl recorded for the stored bytes (hex).
    pub sha256: String,
}

/// The hidden files and folders nianbao itself makes in a corpus or output folder.
const OWN_HIDDEN: &[&str] = &[nianbao_lock::LOCK_FILE, ".cache"];

/// Names that sit in a corpus folder without being documents.
const NOT_DOCUMENTS: &[&str] = &["README.md", "README", "manifest.jsonl", "manifest.json"];

/// Files under the given paths (folders recursively, links followed), in a stable order.
/// Hidden files (with a warning), the corpus' own README/manifest and this tool's output
/// files are skipped; a folder that cannot be listed below the given one is an input
/// that fails.
pub fn collect_inputs(paths: &[PathBuf]) -> io::Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for path in paths {
        let meta = fs::metadata(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        if meta.is_dir() {
            crawled(path, &mut inputs)?;
            walk(path, &mut inputs)?;
        } else {
            inputs.push(Input {
                path: path.clone(),
                source: slash_path(path),
                provenance: None,
                problem: None,
            });
        }
    }
    // In the order of the sources the output names (a crawled document's is its URL), so
    // that outputs of several runs merge into the order one run over them all has.
    inputs.sort_by(|a, b| {
        a.output_source()
            .cmp(b.output_source())
            .then(a.path.cmp(&b.path))
    });
    // The same file named twice; one object at several URLs is a document at each.
    inputs
        .dedup_by(|a, b| a.path == b.path && a.source == b.source && a.provenance == b.provenance);
    Ok(inputs)
}

impl Input {
    /// The `source` the output names the document by: a crawled document's URL, else
    /// its path relative to the corpus.
    pub fn output_source(&self) -> &str {
        self.provenance.as_ref().map_or(&self.source, |p| &p.url)
    }
}

/// The current version of every report page and attachment a crawl stored in `root`
/// (listings, navigation pages, robots.txt and superseded versions are not documents).
fn crawled(root: &Path, out: &mut Vec<Input>) -> io::Result<()> {
    let manifest = Manifest::load(root)?;
    if manifest.skipped_lines > 0 {
        tracing::warn!(root = %root.display(), lines = manifest.skipped_lines, "unreadable manifest lines skipped");
    }
    for record in manifest.current_documents() {
        if !matches!(record.kind, Some(Kind::Report | Kind::Attachment)) {
            continue;
        }
        out.push(Input {
            path: root.join(&record.path),
            problem: outside_objects(&record.path),
            source: record.path.clone(),
            provenance: Some(Provenance {
                url: record.url.clone(),
                listed_date: record.listed_date.clone(),
                parent: record.parent.clone(),
                link_text: record.link_text.clone(),
                column: record.column.clone(),
                sha256: record.sha256.clone(),
            }),
        });
    }
    Ok(())
}

/// Every file under `dir`, recursively. Nothing is left out without a row: a folder that
/// cannot be listed and a link that leads nowhere are inputs too (their reading fails,
/// naming why). Links are followed, a link back into a folder being walked is not (a
/// loop), and an output folder of this tool is not a corpus' (its CSV files are not
/// documents).
/// Why a manifest's object path is not to be read: it leaves the corpus' objects folder
/// (absolute, or with `..`), which a crawl never writes.
fn outside_objects(path: &str) -> Option<String> {
    use std::path::Component;
    let mut components = Path::new(path).components();
    let inside = components.next() == Some(Component::Normal(OBJECTS.as_ref()))
        && components.all(|c| matches!(c, Component::Normal(_)));
    (!inside).then(|| {
        format!("the manifest names {path:?}, outside the corpus' {OBJECTS} folder: not read")
    })
}

fn walk(root: &Path, out: &mut Vec<Input>) -> io::Result<()> {
    let entries = fs::read_dir(root)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", root.display())))?;
    let mut walk = Walk {
        root,
        walking: vec![fs::canonicalize(root)?],
        hidden: Vec::new(),
        out,
    };
    walk.entries(root, entries);
    if !walk.hidden.is_empty() {
        tracing::warn!(
            count = walk.hidden.len(),
            first = %walk.hidden[0].display(),
            "hidden files and folders (names starting with '.') are not read"
        );
    }
    Ok(())
}

/// A walk through a corpus folder.
struct Walk<'a> {
    root: &'a Path,
    /// The folders being read, as their real paths: a link back into one is a loop.
    walking: Vec<PathBuf>,
    /// Hidden files and folders passed over, for the warning.
    hidden: Vec<PathBuf>,
    out: &'a mut Vec<Input>,
}

impl Walk<'_> {
    fn entries(&mut self, dir: &Path, entries: fs::ReadDir) {
        // A run's output folder given as the corpus itself: its files are not documents.
        let outputs_here = is_output_folder(dir);
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    // The listing broke off: the folder itself is named, as unreadable.
                    tracing::warn!(folder = %dir.display(), error = %e, "folder listing cut short");
                    self.out.push(input_at(self.root, dir.to_path_buf()));
                    return;
                }
            };
            let (name, path) = (entry.file_name(), entry.path());
            if name.as_encoded_bytes().starts_with(b".") {
                // The tool's own lock and cache are not the user's hidden files.
                if !OWN_HIDDEN.iter().any(|n| name == *n) {
                    self.hidden.push(path);
                }
                continue;
            }
            // Crawled objects are documents only as the manifest lists them.
            let objects = dir == self.root && name == OBJECTS && dir.join(MANIFEST).is_file();
            let output = outputs_here && output_files().iter().any(|f| name == *f);
            if NOT_DOCUMENTS.iter().any(|n| name == *n) || objects || output {
                continue;
            }
            // Links are followed: the metadata is that of what they lead to.
            match fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.folder(path),
                // A file, or a link that leads nowhere: its reading says which.
                _ => self.out.push(input_at(self.root, path)),
            }
        }
    }

    fn folder(&mut self, path: PathBuf) {
        if is_output_folder(&path) {
            tracing::warn!(folder = %path.display(), "an output folder of nianbao inside the corpus: its files are not read as documents");
            return;
        }
        let real = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if self.walking.contains(&real) {
            tracing::warn!(link = %path.display(), "a link back into a folder being read: not followed again");
            return;
        }
        match fs::read_dir(&path) {
            Ok(entries) => {
                self.walking.push(real);
                self.entries(&path, entries);
                self.walking.pop();
            }
            Err(_) => self.out.push(input_at(self.root, path)),
        }
    }
}

/// Whether `folder` holds the output of a run (its schema note beside its reports).
fn is_output_folder(folder: &Path) -> bool {
    folder.join(SCHEMA_VERSION_FILE).is_file() && folder.join("reports.csv").is_file()
}

fn input_at(root: &Path, path: PathBuf) -> Input {
    let relative = path.strip_prefix(root).unwrap_or(&path);
    Input {
        source: slash_path(relative),
        path,
        provenance: None,
        problem: None,
    }
}

/// A path as text with `/` separators; bytes that are not UTF-8 (a name in GBK on a
/// Linux disk) are written `\\xNN`, so that two such names stay two sources.
fn slash_path(path: &Path) -> String {
    let mut text = String::new();
    for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
        if cfg!(windows) {
            text.push_str(&chunk.valid().replace('\\', "/"));
        } else {
            text.push_str(chunk.valid());
        }
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02X}"));
        }
    }
    text
}

pub(crate) fn read_input(input: &Input) -> Result<Vec<u8>, String> {
    use std::io::Read;
    if let Some(why) = not_a_file_to_read(input) {
        return Err(why);
    }
    let too_large = || format!("file exceeds the {MAX_DOCUMENT_BYTES}-byte document limit");
    let limit = MAX_DOCUMENT_BYTES as u64;
    // Opened once: its size from the open file, then its bytes.
    let file = fs::File::open(&input.path).map_err(|e| cannot_read(input, e))?;
    let size = file.metadata().map_or(0, |m| m.len());
    if size > limit {
        return Err(too_large());
    }
    // One byte more than the size, so the end is found without growing the buffer; and
    // never more than the limit, should the file grow meanwhile.
    let mut bytes = Vec::with_capacity(usize::try_from(size).map_or(0, |n| n + 1));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(input, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Why an input is not a file to read, found before it is opened (opening a pipe would
/// wait for a writer that never comes).
fn not_a_file_to_read(input: &Input) -> Option<String> {
    if let Some(problem) = &input.problem {
        return Some(problem.clone());
    }
    let meta = match fs::metadata(&input.path) {
        Ok(meta) => meta,
        Err(e) => return Some(cannot_read(input, e)),
    };
    if meta.is_dir() {
        let why = fs::read_dir(&input.path)
            .err()
            .map_or_else(|| "its listing broke off".to_string(), |e| e.to_string());
        return Some(format!("cannot read folder: {why}"));
    }
    (!meta.is_file()).then(|| format!("not a regular file ({}): not read", special_kind(&meta)))
}

fn special_kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    let _ = meta;
    "a special file"
}

fn cannot_read(input: &Input, e: io::Error) -> String {
    match (&input.provenance, e.kind()) {
        (Some(_), io::ErrorKind::NotFound) => "stored object missing: the manifest lists it, \
             the corpus has no such file; the next crawl fetches it again"
            .to_string(),
        _ if input.path.is_symlink() => {
            format!("cannot read file: {e} (a link that leads nowhere)")
        }
        _ => format!("cannot read file: {e}"),
    }
}
