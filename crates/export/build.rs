//! The build's rows fingerprint: a hash of every source that can change what a document's
//! rows say — the crates from bytes to rows, and the locked dependency versions. The row
//! cache is keyed by it, so a binary built from other sources never serves old rows.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The workspace crates between a document's bytes and its rows.
const ROW_CRATES: &[&str] = &["model", "read", "wording", "divisions", "extract", "export"];

/// What of a crate is compiled in (its tests and examples are not).
const COMPILED: &[&str] = &["Cargo.toml", "build.rs", "src", "data"];

fn main() {
    let here = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let crates = here.parent().unwrap_or(&here);
    let mut files = Vec::new();
    for name in ROW_CRATES {
        for part in COMPILED {
            collect(&crates.join(name).join(part), &mut files);
        }
    }
    collect(&crates.join("../Cargo.lock"), &mut files);
    files.sort();
    let mut hasher = Sha256::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file.strip_prefix(crates).unwrap_or(file);
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(fs::read(file).unwrap_or_default());
        hasher.update([0]);
    }
    // New files in the folders change the fingerprint too.
    for name in ROW_CRATES {
        println!(
            "cargo:rerun-if-changed={}",
            crates.join(name).join("src").display()
        );
    }
    let digest = hasher.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=NIANBAO_ROWS_FINGERPRINT={hex}");
}

/// Every file under `path` (or `path` itself), where it exists.
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
    } else if let Ok(entries) = fs::read_dir(path) {
        for entry in entries.flatten() {
            collect(&entry.path(), out);
        }
    }
}
