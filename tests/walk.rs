//! Every file of a corpus folder gets a row: links are followed (a loop once), names that
//! are not UTF-8 stay apart, a folder that cannot be listed is a failed row of its own,
//! and an output folder inside the corpus is not read as documents.
#![cfg(unix)]

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};

fn seed(i: usize) -> Vec<u8> {
    let mut bytes = fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/beigong-2024.txt"
    ))
    .unwrap();
    bytes.extend(format!("\n附：副本{i}\n").as_bytes());
    bytes
}

/// `nianbao ARGS` in `cwd`; as root, as the user nobody (root reads every folder).
fn nianbao(args: &[&str], cwd: &Path) -> Output {
    let binary = env!("CARGO_BIN_EXE_nianbao");
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut command = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", binary]);
        c
    } else {
        Command::new(binary)
    };
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

/// reports.csv's rows by source.
fn reports(out: &Path) -> HashMap<String, HashMap<String, String>> {
    nianbao_testkit::csv_records(&out.join("reports.csv"))
        .into_iter()
        .map(|row| (row["source"].clone(), row))
        .collect()
}

/// Lets the user nobody into everything under `dir`.
fn open_to_all(dir: &Path) {
    fs::set_permissions(dir, fs::Permissions::from_mode(0o777)).unwrap();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.is_symlink() {
            open_to_all(&path);
        } else if !path.is_symlink() {
            fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();
        }
    }
}

#[test]
fn links_odd_names_and_unreadable_folders_each_get_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(corpus.join("sub")).unwrap();
    fs::create_dir_all(elsewhere.join("inner")).unwrap();
    fs::write(corpus.join("plain.txt"), seed(0)).unwrap();
    fs::write(elsewhere.join("target.txt"), seed(1)).unwrap();
    fs::write(elsewhere.join("inner/deep.txt"), seed(2)).unwrap();
    symlink(elsewhere.join("target.txt"), corpus.join("linked.txt")).unwrap();
    symlink(elsewhere.join("inner"), corpus.join("linked-folder")).unwrap();
    symlink(&corpus, corpus.join("sub/loop")).unwrap();
    symlink(dir.path().join("nowhere.txt"), corpus.join("dangling.txt")).unwrap();
    // 年.txt and 报.txt in GBK: a lossy decoding makes both "��.txt".
    for (i, name) in [b"\xc4\xea.txt", b"\xb1\xa8.txt"].iter().enumerate() {
        fs::write(corpus.join(OsStr::from_bytes(*name)), seed(10 + i)).unwrap();
    }
    let made = Command::new("mkfifo")
        .arg(corpus.join("pipe.txt"))
        .status()
        .unwrap();
    assert!(made.success());
    fs::write(corpus.join(".hidden.txt"), seed(4)).unwrap();
    fs::create_dir(corpus.join("locked")).unwrap();
    fs::write(corpus.join("locked/hidden.txt"), seed(3)).unwrap();
    open_to_all(dir.path());
    fs::set_permissions(corpus.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();

    let result = nianbao(
        &["run", "--corpus", "corpus", "--out", "out", "--quiet"],
        dir.path(),
    );
    assert_eq!(
        result.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let rows = reports(&dir.path().join("out"));
    let status = |source: &str| rows.get(source).map(|r| r["status"].as_str());
    assert_eq!(status("plain.txt"), Some("ok"));
    assert_eq!(status("linked.txt"), Some("ok"), "a linked file");
    assert_eq!(
        status("linked-folder/deep.txt"),
        Some("ok"),
        "a file in a linked folder"
    );
    assert_eq!(status("dangling.txt"), Some("failed"));
    assert!(
        rows["dangling.txt"]["error"].contains("leads nowhere"),
        "{:?}",
        rows["dangling.txt"]
    );
    assert_eq!(status("\\xC4\\xEA.txt"), Some("ok"), "{:?}", rows.keys());
    assert_eq!(status("\\xB1\\xA8.txt"), Some("ok"));
    assert_eq!(status("locked"), Some("failed"));
    assert!(
        rows["locked"]["error"].contains("cannot read folder"),
        "{:?}",
        rows["locked"]
    );
    // The loop is read once: nothing under sub/loop.
    assert!(
        rows.keys().all(|s| !s.starts_with("sub/loop")),
        "{:?}",
        rows.keys()
    );
    assert_eq!(status("pipe.txt"), Some("failed"));
    assert!(
        rows["pipe.txt"]["error"].contains("named pipe"),
        "{:?}",
        rows["pipe.txt"]
    );
    assert_eq!(rows.len(), 8, "{:?}", rows.keys());
    fs::set_permissions(corpus.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
}

/// A corpus folder of `n` copies of the seed, run twice into `out` (relative to the
/// folder holding the corpus): each run must succeed and list exactly the copies.
fn twice_reads_only_the_copies(n: usize, out: &str) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    for i in 0..n {
        fs::write(corpus.join(format!("copy-{i}.txt")), seed(i)).unwrap();
    }
    open_to_all(dir.path());
    for _ in 0..2 {
        let args = ["run", "--corpus", "corpus", "--out", out, "--quiet"];
        let result = nianbao(&args, dir.path());
        let log = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(0), "{log}");
        let rows = reports(&dir.path().join(out));
        assert_eq!(rows.len(), n, "{:?}", rows.keys());
    }
}

#[test]
fn an_output_folder_given_as_the_corpus_reads_only_the_documents_beside_the_outputs() {
    twice_reads_only_the_copies(2, "corpus");
}

#[test]
fn an_output_folder_inside_the_corpus_is_not_read() {
    twice_reads_only_the_copies(3, "corpus/out");
}
