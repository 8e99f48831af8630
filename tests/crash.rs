//! Crash safety of the batch: `nianbao run` killed at many random points while it
//! extracts a grown corpus. After every kill each output file is whole — the previous
//! run's or the new one's, never a torn mix — and the run after the last kill produces
//! exactly what an uninterrupted run does, reusing the cache the killed runs filled.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use nianbao_model::Template;
use nianbao_testkit::{render, Noise, Rendering, Rng, Truth};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    c.env_remove("RUST_LOG");
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

fn run(corpus: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut c = bin();
    c.args([
        "run",
        "--corpus",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    c.args(extra);
    c
}

fn write_documents(corpus: &Path, range: std::ops::Range<u64>) {
    std::fs::create_dir_all(corpus).unwrap();
    for seed in range {
        let template = if seed % 2 == 0 {
            Template::T2021
        } else {
            Template::T2019
        };
        let rendering = Rendering::ALL[(seed % 6) as usize];
        let bytes = render(&Truth::random(seed, template, Noise::ALL), rendering, seed);
        std::fs::write(corpus.join(format!("doc{seed:04}")), bytes).unwrap();
    }
}

/// The output files (not the cache nor the lock, hidden), by name.
fn outputs(out: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_killed_batch_leaves_whole_files_and_the_next_run_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let out = dir.path().join("out");
    // A first, complete run over part of the corpus.
    write_documents(&corpus, 0..150);
    assert!(run(&corpus, &out, &[]).status().unwrap().code() == Some(0));
    let before = outputs(&out);
    // The corpus grows; what an uninterrupted run makes of it.
    write_documents(&corpus, 150..600);
    let reference = dir.path().join("reference");
    assert!(
        run(&corpus, &reference, &["--no-cache"])
            .status()
            .unwrap()
            .code()
            == Some(0)
    );
    let after = outputs(&reference);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );

    let mut rng = Rng::new(42);
    for kill in 0..12 {
        let mut child = run(&corpus, &out, &["--jobs", "2"]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(rng.range(5, 600)));
        let _ = child.kill();
        child.wait().unwrap();
        // Every file is one run's whole file; temporaries are not outputs.
        for (name, bytes) in outputs(&out) {
            if name.contains(".tmp-") {
                continue;
            }
            assert!(
                before.get(&name) == Some(&bytes) || after.get(&name) == Some(&bytes),
                "kill {kill}: {name} is neither the old nor the new file"
            );
        }
    }
    assert!(run(&corpus, &out, &[]).status().unwrap().code() == Some(0));
    let finished = outputs(&out);
    assert_eq!(
        finished.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "no temporary left behind"
    );
    for (name, bytes) in &after {
        assert!(
            finished[name] == *bytes,
            "{name} differs from an uninterrupted run"
        );
    }
}
