//! The row cache: each document's rendered rows kept in `OUT/.cache`, so that a rerun
//! over a mostly unchanged corpus extracts only what changed.
//!
//! An entry is found by a key made of the build's rows fingerprint (a hash of the sources
//! from bytes to rows, made at build time), the document's source and provenance, and the
//! SHA-256 of its bytes: a binary built from other sources, a moved file or changed bytes
//! never meet an old entry. Each entry ends with a checksum of its key and contents: an
//! entry damaged on disk, cut short or swapped with another is a miss, extracted again
//! and rewritten.
//!
//! Pruning: entries live in a folder of their build, `.cache/<fingerprint>/`; opening the
//! cache removes every other build's folder, which no key can reach any more, and a run
//! that completes removes the entries it did not use (documents changed or gone). So the
//! cache holds the last run's documents, and `.cache` may always be deleted.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::{hex, DocInfo, Input};

/// This build's rows fingerprint (see `build.rs`).
pub const ROWS_FINGERPRINT: &str = env!("NIANBAO_ROWS_FINGERPRINT");

/// Bytes of the checksum that closes every entry.
const CHECKSUM_BYTES: usize = 32;

/// The cache of one build in an output folder.
#[derive(Clone, Debug)]
pub struct RowCache {
    dir: PathBuf,
    /// The keys of the entries this run read or wrote.
    used: Arc<Mutex<HashSet<String>>>,
}

/// Where one document's entry is, under its key.
#[derive(Clone, Debug)]
pub struct Slot {
    key: String,
    path: PathBuf,
}

impl RowCache {
    /// The cache in `out_dir/.cache`, with other builds' entries removed.
    pub fn open(out_dir: &Path) -> RowCache {
        let root = out_dir.join(".cache");
        prune_other_builds(&root);
        RowCache {
            dir: root.join(ROWS_FINGERPRINT),
            used: Arc::default(),
        }
    }

    /// Where the entry of `input`, whose bytes hash to `digest`, is kept.
    pub fn slot(&self, input: &Input, digest: &[u8]) -> Slot {
        let key = key(ROWS_FINGERPRINT, input, digest);
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.clone());
        Slot {
            path: self.dir.join(&key[..2]).join(&key),
            key,
        }
    }

    /// Removes the entries this run did not use; call it once the run's output is in
    /// place.
    pub fn sweep(&self) {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let root = self.dir.parent().unwrap_or(&self.dir);
        if !is_real_folder(root) || !is_real_folder(&self.dir) {
            return;
        }
        let Ok(folders) = fs::read_dir(&self.dir) else {
            return;
        };
        let mut removed = 0;
        let folders = folders.flatten().filter(|f| is_real_folder(&f.path()));
        for entry in folders.flat_map(|f| fs::read_dir(f.path()).into_iter().flatten().flatten()) {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let unused = is_entry_name(&name) && !used.contains(name.as_ref());
            if unused && fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        if removed > 0 {
            tracing::info!(
                removed,
                "cache entries of documents changed or gone removed"
            );
        }
    }
}

impl Slot {
    /// The entry's info and rows, if the entry is there and whole.
    pub fn load(&self) -> Option<(DocInfo, Vec<Vec<u8>>)> {
        let bytes = read_entry(&self.path)?;
        let entry = decode(&self.key, &bytes);
        if entry.is_none() {
            tracing::warn!(path = %self.path.display(), "damaged cache entry: extracted again");
        }
        entry
    }

    /// Keeps a document's info and rows; a cache that cannot be written only costs time
    /// on the next run.
    pub fn store(&self, info: &DocInfo, rows: &[Vec<u8>]) {
        let written =
            encode(&self.key, info, rows).and_then(|entry| write_atomically(&self.path, &entry));
        if let Err(e) = written {
            tracing::debug!(error = %e, "cache entry not written");
        }
    }
}

/// Removes the other builds' folders in the cache (named by a fingerprint, 16 hex digits)
/// and the entries of the layout before build folders (64 hex digits, in folders of 2):
/// nothing can reach them, their keys hold another fingerprint. Nothing else is touched:
/// the folder may be someone else's `.cache` (an output folder at `$HOME`), and a
/// `.cache` that is a link is not pruned at all.
fn prune_other_builds(root: &Path) {
    if !is_real_folder(root) {
        return;
    }
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let (name, path) = (entry.file_name(), entry.path());
        let name = name.to_string_lossy();
        if !is_real_folder(&path) || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let gone = match name.len() {
            16 if name != ROWS_FINGERPRINT => fs::remove_dir_all(&path),
            2 => remove_entries(&path),
            _ => continue,
        };
        match gone {
            Ok(()) => removed += 1,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "old cache entries not removed")
            }
        }
    }
    if removed > 0 {
        tracing::info!(removed, "cache folders of other builds removed");
    }
}

/// Removes the entries in `folder`, and the folder if nothing else is left in it.
fn remove_entries(folder: &Path) -> io::Result<()> {
    for entry in fs::read_dir(folder)?.flatten() {
        if is_entry_name(&entry.file_name().to_string_lossy()) {
            fs::remove_file(entry.path())?;
        }
    }
    let _ = fs::remove_dir(folder); // fails while other files are in it, as it should
    Ok(())
}

/// A folder that is not a link.
fn is_real_folder(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// An entry's name: 64 hex digits (a key).
fn is_entry_name(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Most bytes an entry may have: the rows of a document are a fraction of its bytes.
const MAX_ENTRY_BYTES: u64 = nianbao_read::MAX_DOCUMENT_BYTES as u64;

/// An entry's bytes, if it is a regular file within the bound: a pipe or a device in its
/// place (`/dev/zero`) is a miss, not a read that never ends.
fn read_entry(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let meta = fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_ENTRY_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).ok()?);
    fs::File::open(path)
        .ok()?
        .take(MAX_ENTRY_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

fn key(fingerprint: &str, input: &Input, digest: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for part in [fingerprint, input.source.as_str()] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    if let Some(p) = &input.provenance {
        for part in [&p.url, &p.listed_date, &p.parent, &p.link_text, &p.column] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
    }
    hasher.update(digest);
    hex(&hasher.finalize())
}

fn checksum(key: &str, contents: &[u8]) -> [u8; CHECKSUM_BYTES] {
    let mut hasher = Sha256::new();
    hasher.update(key.as_bytes());
    hasher.update(contents);
    hasher.finalize().into()
}

/// An entry: the document's info as one JSON line, then each file's rows,
/// length-prefixed, then the checksum of the key and all that.
fn encode(key: &str, info: &DocInfo, rows: &[Vec<u8>]) -> io::Result<Vec<u8>> {
    let mut out = serde_json::to_vec(info).map_err(io::Error::other)?;
    out.push(b'\n');
    for blob in rows {
        out.extend_from_slice(&(blob.len() as u64).to_le_bytes());
        out.extend_from_slice(blob);
    }
    let sum = checksum(key, &out);
    out.extend_from_slice(&sum);
    Ok(out)
}

fn decode(key: &str, bytes: &[u8]) -> Option<(DocInfo, Vec<Vec<u8>>)> {
    let (contents, sum) = bytes.split_at_checked(bytes.len().checked_sub(CHECKSUM_BYTES)?)?;
    if checksum(key, contents) != sum {
        return None;
    }
    let newline = contents.iter().position(|&b| b == b'\n')?;
    let info: DocInfo = serde_json::from_slice(&contents[..newline]).ok()?;
    let mut rest = &contents[newline + 1..];
    let mut rows = Vec::new();
    while !rest.is_empty() {
        let len = usize::try_from(u64::from_le_bytes(rest.get(..8)?.try_into().ok()?)).ok()?;
        let end = len.checked_add(8)?;
        rows.push(rest.get(8..end)?.to_vec());
        rest = &rest[end..];
    }
    (rows.len() == crate::DOCUMENT_FILES.len() + 1).then_some((info, rows))
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let temp = dir.join(format!(
        ".tmp-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    fs::write(&temp, bytes)?;
    fs::rename(temp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(source: &str) -> Input {
        Input {
            path: source.into(),
            source: source.into(),
            provenance: None,
            problem: None,
        }
    }

    #[test]
    fn another_build_source_or_bytes_miss_the_cache() {
        let a = input("a.txt");
        let k = key("0011", &a, b"bytes");
        assert_eq!(k, key("0011", &a, b"bytes"));
        assert_ne!(k, key("0012", &a, b"bytes"), "another build");
        assert_ne!(k, key("0011", &a, b"other bytes"));
        assert_ne!(k, key("0011", &input("b.txt"), b"bytes"), "moved");
    }

    #[test]
    fn any_damage_or_another_key_is_a_miss() {
        let info = crate::process_bytes(
            "x.txt",
            "北京市某某区2023年政府信息公开工作年度报告".as_bytes(),
        );
        let rows = crate::csv_out::render(&info).rows;
        let info = DocInfo::of(&info);
        let entry = encode("k1", &info, &rows).unwrap();
        assert_eq!(decode("k1", &entry), Some((info.clone(), rows)));
        assert_eq!(decode("k2", &entry), None, "an entry under another key");
        for at in 0..entry.len() {
            let mut flipped = entry.clone();
            flipped[at] ^= 0x10;
            assert_eq!(decode("k1", &flipped), None, "byte {at} flipped");
        }
        assert_eq!(decode("k1", &entry[..entry.len() - 1]), None, "cut short");
        assert_eq!(decode("k1", b""), None);
    }
}
