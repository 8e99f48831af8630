//! One process at a time writes into an output folder: a second run refuses (exit 3,
//! naming the holder) or waits with `--lock-wait`, and the output is always that of one
//! clean run.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const FILES: [&str; 4] = [
    "reports.csv",
    "applications.csv",
    "panel.csv",
    "warnings.csv",
];

fn nianbao(args: &[&str], cwd: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// A corpus of `n` copies of the seed, each with its own bytes.
fn corpus(dir: &Path, n: usize) {
    let seed = fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/beigong-2024.txt"
    ))
    .unwrap();
    let corpus = dir.join("corpus");
    fs::create_dir(&corpus).unwrap();
    for i in 0..n {
        let mut bytes = seed.clone();
        bytes.extend(format!("\n附：副本{i}\n").as_bytes());
        fs::write(corpus.join(format!("copy-{i:03}.txt")), bytes).unwrap();
    }
}

fn outputs(out: &Path) -> Vec<Vec<u8>> {
    FILES
        .iter()
        .map(|f| fs::read(out.join(f)).unwrap())
        .collect()
}

fn run(dir: &Path, out: &str, extra: &[&str]) -> Output {
    let mut args = vec!["run", "--quiet", "--out", out];
    args.extend(extra);
    nianbao(&args, dir).output().unwrap()
}

#[test]
fn a_run_refuses_a_locked_output_folder_naming_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 3);
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("reports.csv"), "earlier results\n").unwrap();
    // This test process holds the folder, as another run would.
    let held = nianbao_lock::FolderLock::acquire(&out, Duration::ZERO).unwrap();
    let refused = run(dir.path(), "out", &[]);
    assert_eq!(refused.status.code(), Some(3), "busy");
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains(".lock"), "{message}");
    assert!(
        message.contains(&format!("pid {}", std::process::id())),
        "{message}"
    );
    assert_eq!(
        fs::read_to_string(out.join("reports.csv")).unwrap(),
        "earlier results\n"
    );

    // A run told to wait gets the folder once the holder lets it go.
    let waiting = nianbao(
        &["run", "--quiet", "--out", "out", "--lock-wait", "60"],
        dir.path(),
    )
    .spawn()
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    drop(held);
    assert_eq!(waiting.wait_with_output().unwrap().status.code(), Some(0));
    assert_eq!(run(dir.path(), "clean", &[]).status.code(), Some(0));
    assert_eq!(outputs(&out), outputs(&dir.path().join("clean")));
}

#[test]
fn two_runs_at_once_on_one_folder_both_end_and_leave_one_clean_runs_output() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 40);
    assert_eq!(
        run(dir.path(), "clean", &["--no-cache"]).status.code(),
        Some(0)
    );
    for wait in ["0", "120"] {
        let out = format!("out-{wait}");
        let both: Vec<_> = (0..2)
            .map(|_| {
                nianbao(
                    &["run", "--quiet", "--out", &out, "--lock-wait", wait],
                    dir.path(),
                )
                .spawn()
                .unwrap()
            })
            .collect();
        let ended: Vec<Output> = both
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let codes: Vec<Option<i32>> = ended.iter().map(|o| o.status.code()).collect();
        assert!(codes.contains(&Some(0)), "{codes:?}");
        for o in ended.iter().filter(|o| o.status.code() == Some(3)) {
            assert!(String::from_utf8_lossy(&o.stderr).contains(".lock"));
        }
        if wait != "0" {
            assert_eq!(codes, [Some(0), Some(0)], "the second waits its turn");
        }
        assert!(codes.iter().all(|c| matches!(c, Some(0 | 3))), "{codes:?}");
        assert_eq!(
            outputs(&dir.path().join(&out)),
            outputs(&dir.path().join("clean"))
        );
    }
}
