//! `nianbao merge`: the outputs of runs over two halves of a corpus, combined, are byte for
//! byte the output of one run over the whole.

use std::path::Path;
use std::process::{Command, Output};

use nianbao_model::{ApplicationRow, Template};
use nianbao_testkit::{render, Noise, Printed, Rendering, Truth};

/// Runs the binary; `run` and `merge` write Parquet too where the build can.
fn nianbao(args: &[&str]) -> Output {
    let parquet = cfg!(feature = "parquet") && matches!(args.first(), Some(&"run" | &"merge"));
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .args(parquet.then_some("--parquet"))
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file a run writes, by name, except the cache and the lock.
fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| !name.starts_with('.'))
        .map(|name| (name.clone(), std::fs::read(dir.join(&name)).unwrap()))
        .collect();
    files.sort();
    files
}

/// Writes the corpus's documents, each to the halves `to` says.
fn corpus(root: &Path) -> Vec<(String, Vec<u8>, [bool; 2])> {
    let mut docs = Vec::new();
    for seed in 0..60u64 {
        let template = [Template::T2021, Template::T2019][(seed % 2) as usize];
        let rendering = Rendering::ALL[(seed % Rendering::ALL.len() as u64) as usize];
        let extension = match rendering {
            Rendering::Text(_) => "txt",
            Rendering::Html(_) => "html",
            Rendering::Docx => "docx",
        };
        let truth = Truth::random(seed, template, Noise::ALL);
        let half = [seed % 3 != 0, seed % 3 == 0];
        docs.push((
            format!("{seed:02}.{extension}"),
            render(&truth, rendering, seed),
            half,
        ));
        if seed % 10 == 4 {
            // The same report as a page in the other half: an alternate source.
            let page = render(&truth, Rendering::ALL[2], seed);
            docs.push((format!("{seed:02}-page.html"), page, [half[1], half[0]]));
            // Next year's report of the same body, in the other half: cross-year checks.
            let mut next = truth.clone();
            next.year += 1;
            let forward = next
                .applications
                .iter()
                .find(|(r, _)| *r == ApplicationRow::CarriedForward)
                .map(|(_, p)| p.clone())
                .unwrap();
            for (row, printed) in next.applications.iter_mut() {
                if *row == ApplicationRow::CarriedOver {
                    *printed = forward
                        .iter()
                        .map(|p| Printed {
                            raw: p.raw.clone(),
                            value: p.value.clone(),
                        })
                        .collect();
                }
            }
            docs.push((
                format!("{seed:02}-next.txt"),
                render(&next, Rendering::ALL[0], seed),
                [half[1], half[0]],
            ));
        }
    }
    // A document in both halves, and documents that fail or name no body.
    docs.push(("both.txt".into(), docs[1].1.clone(), [true, true]));
    docs.push((
        "broken.docx".into(),
        b"PK\x03\x04 no".to_vec(),
        [true, false],
    ));
    docs.push((
        "nobody.txt".into(),
        "政府信息公开工作年度报告\n一、总体情况\n"
            .as_bytes()
            .to_vec(),
        [false, true],
    ));
    for (name, bytes, halves) in &docs {
        std::fs::create_dir_all(root.join("whole")).unwrap();
        std::fs::write(root.join("whole").join(name), bytes).unwrap();
        for (h, in_half) in halves.iter().enumerate() {
            if *in_half {
                let dir = root.join(format!("half{h}"));
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join(name), bytes).unwrap();
            }
        }
    }
    docs
}

#[test]
fn merging_two_halves_gives_the_run_over_the_whole_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    corpus(root);
    for name in ["whole", "half0", "half1"] {
        let out = nianbao(&[
            "run",
            "--quiet",
            "--corpus",
            path(&root.join(name)),
            "--out",
            path(&root.join(format!("out-{name}"))),
        ]);
        let expected = if name == "half1" { 0 } else { 2 };
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{name}: broken.docx fails"
        );
    }
    let whole = outputs(&root.join("out-whole"));
    assert!(
        whole.len() >= 15,
        "{:?}",
        whole.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (order, name) in [
        (["half0", "half1"], "merged"),
        (["half1", "half0"], "merged-reversed"),
    ] {
        let merged = root.join(name);
        let out = nianbao(&[
            "merge",
            "--quiet",
            path(&root.join(format!("out-{}", order[0]))),
            path(&root.join(format!("out-{}", order[1]))),
            "--out",
            path(&merged),
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let merged = outputs(&merged);
        assert_eq!(
            merged.iter().map(|f| &f.0).collect::<Vec<_>>(),
            whole.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        for ((file, bytes), (_, expected)) in merged.iter().zip(&whole) {
            let (ours, theirs) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(expected),
            );
            let first = ours.lines().zip(theirs.lines()).find(|(a, b)| a != b);
            assert!(
                bytes == expected,
                "{name}: {file} differs from the run over the whole: {first:?}"
            );
        }
    }
    let checks =
        String::from_utf8_lossy(&whole.iter().find(|f| f.0 == "checks.csv").unwrap().1).to_string();
    assert!(
        checks.contains("\"cross_year.carried_over.total\",\"pass\""),
        "the halves' years meet only in the merge"
    );
}

#[test]
fn merge_refuses_folders_that_are_not_outputs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("empty")).unwrap();
    let out = nianbao(&[
        "merge",
        path(&dir.path().join("empty")),
        "--out",
        path(&dir.path().join("out")),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not an output folder"), "{stderr}");
}
