//! `quality.html` in a real browser: headless Chromium renders the page a run wrote. The
//! charts are SVG in the DOM and drawn in the screenshot, no request leaves the machine
//! (the browser's network log), and every document outside the panel is named.

use std::path::{Path, PathBuf};
use std::process::Command;

use nianbao_model::Template;
use nianbao_testkit::{csv_records as records, render, skipped, Noise, Rendering, Truth};

const TEST: &str = "quality_page_in_headless_chromium";

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Runs headless Chromium on a page: its DOM after rendering, a screenshot, and the
/// network log.
fn browse(browser: &str, page: &Path, work: &Path) -> (String, PathBuf, serde_json::Value) {
    let (shot, log) = (work.join("shot.png"), work.join("net.json"));
    let common = |c: &mut Command| {
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1200,3000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.join("profile").display()
        ));
    };
    let mut dump = Command::new(browser);
    common(&mut dump);
    dump.arg(format!("--log-net-log={}", log.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()));
    let dom = dump.output().expect("chromium runs");
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let mut screenshot = Command::new(browser);
    common(&mut screenshot);
    screenshot
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()));
    assert!(screenshot.output().unwrap().status.success());
    let net = serde_json::from_slice(&std::fs::read(&log).unwrap()).expect("a network log");
    (String::from_utf8(dom.stdout).unwrap(), shot, net)
}

/// The URLs the page itself asked for (the browser's own update checks have no page).
fn page_requests(net: &serde_json::Value) -> Vec<String> {
    let start = net["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    net["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == start)
        .filter(|e| {
            e["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.starts_with("file://"))
        })
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
        .filter(|url| !url.starts_with("file:"))
        .collect()
}

/// Pixels of a colour in a PNG screenshot.
fn pixels_of(shot: &Path, rgb: [u8; 3]) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let step = info.color_type.samples();
    buffer[..info.buffer_size()]
        .chunks(step)
        .filter(|p| p[..3] == rgb)
        .count()
}

#[test]
fn quality_page_in_headless_chromium() {
    let Some(browser) = chromium() else {
        skipped(TEST, "chromium not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for seed in 0..30u64 {
        let template = [Template::T2021, Template::T2019][(seed % 2) as usize];
        let bytes = render(
            &Truth::random(seed, template, Noise::ALL),
            Rendering::ALL[0],
            seed,
        );
        std::fs::write(corpus.join(format!("{seed:02}.txt")), &bytes).unwrap();
        if seed == 3 {
            // The same report again, as a page: an alternate source.
            let page = render(
                &Truth::random(seed, template, Noise::ALL),
                Rendering::ALL[2],
                seed,
            );
            std::fs::write(corpus.join("03-page.html"), page).unwrap();
        }
    }
    std::fs::write(corpus.join("broken.docx"), b"PK\x03\x04 not a document").unwrap();
    std::fs::write(
        corpus.join("nobody.txt"),
        "政府信息公开工作年度报告\n一、总体情况\n无。\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["run", "--quiet", "--corpus"])
        .arg(&corpus)
        .arg("--out")
        .arg(&out)
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    // 2: the run finished, and some documents failed (broken.docx).
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");

    let (dom, shot, net) = browse(browser, &out.join("quality.html"), dir.path());
    // The charts are there: coverage by year, the grid, checks, warnings, the headlines.
    assert!(dom.matches("<svg").count() >= 5, "{dom}");
    for id in ["years", "grid", "headline-lines", "outside-table"] {
        assert!(dom.contains(&format!("id=\"{id}\"")), "{id} is missing");
    }
    assert!(page_requests(&net).is_empty(), "{:?}", page_requests(&net));
    // Drawn, not only present: the ok green and the failed red are on the screen.
    assert!(pixels_of(&shot, [0x2e, 0x7d, 0x32]) > 1000, "no green bars");
    assert!(pixels_of(&shot, [0xc6, 0x28, 0x28]) > 100, "no red bars");

    // Every document outside the panel, or not ok, is named with its reason.
    let panel: Vec<String> = records(&out.join("panel.csv"))
        .into_iter()
        .filter(|r| !r["panel_key"].starts_with("unresolved|"))
        .map(|r| r["primary_report_id"].clone())
        .collect();
    let outside: Vec<_> = records(&out.join("reports.csv"))
        .into_iter()
        .filter(|r| r["status"] != "ok" || !panel.contains(&r["report_id"]))
        .collect();
    let table = &dom[dom.find("id=\"outside-table\"").unwrap()..];
    for r in &outside {
        assert!(table.contains(&r["report_id"]), "{} not named", r["source"]);
    }
    assert!(
        outside.len() >= 3,
        "a failed, an unresolved and an alternate document"
    );

    // The network check can see a page's request: a page that asks for one is caught.
    let leaky = dir.path().join("leaky.html");
    std::fs::write(&leaky, "<img src=\"http://example.invalid/x.png\">").unwrap();
    let (_, _, net) = browse(browser, &leaky, &dir.path().join("leaky"));
    assert_eq!(page_requests(&net), ["http://example.invalid/x.png"]);
}
