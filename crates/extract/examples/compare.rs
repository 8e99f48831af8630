//! Extracts one file and, given its expected values (`NAME.expected.json`, the format of
//! `testdata/real`), says of every expected cell whether it came out right, empty or
//! wrong; without them, prints what came out.
//!
//! `cargo run -p nianbao-extract --example compare -- FILE [EXPECTED.json]`

use nianbao_extract::extract;
use nianbao_read::read;
use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: compare FILE [EXPECTED.json]");
        std::process::exit(1);
    };
    let bytes = std::fs::read(file).expect("readable file");
    let doc = read(&bytes).expect("a readable document");
    let report = extract(&doc);
    let m = &report.metadata;
    println!(
        "status {:?} template {} year {:?} agency {:?} level {:?} title {:?}",
        report.status,
        report.template.as_str(),
        m.year,
        m.agency_full,
        m.level,
        m.title
    );
    println!("error: {}", report.error);
    for w in &report.warnings {
        println!("warning {} {}: {}", w.code, w.location, w.message);
    }
    let mut got: Vec<(String, Option<String>)> = Vec::new();
    for c in &report.applications {
        let key = format!("applications.{}.{}", c.row.key(), c.applicant.key());
        got.push((key, c.figure.value.map(|v| v.to_string())));
    }
    for c in &report.review_litigation {
        let key = format!(
            "review_litigation.{}.{}",
            c.proceeding.key(),
            c.outcome.key()
        );
        got.push((key, c.figure.value.map(|v| v.to_string())));
    }
    for c in &report.active_disclosure {
        let key = format!(
            "active_disclosure.{}.{}.{}.value",
            c.item.key(),
            c.category.key(),
            c.metric.key()
        );
        got.push((key, c.figure.value.map(|v| v.to_string())));
    }
    let Some(expected) = args.get(1) else {
        for (key, value) in &got {
            println!("{key} = {}", value.as_deref().unwrap_or(""));
        }
        return;
    };
    let expected: Value =
        serde_json::from_slice(&std::fs::read(expected).expect("readable")).expect("JSON");
    let mut want = Vec::new();
    for table in ["applications", "review_litigation", "active_disclosure"] {
        leaves(&expected[table], table.to_string(), &mut want);
    }
    let (mut right, mut empty, mut wrong) = (0, 0, 0);
    for (key, value) in &want {
        let out = got
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.clone());
        match (&out, value) {
            (a, b) if a == b => right += 1,
            (None, _) => {
                empty += 1;
                println!("EMPTY {key} (expected {value:?})");
            }
            _ => {
                wrong += 1;
                println!("WRONG {key}: {out:?}, expected {value:?}");
            }
        }
    }
    println!("cells: {right} right, {empty} empty, {wrong} wrong");
}

/// The expected cells as `table.a.b[.c.value]` keys with their values (`None` for blank).
fn leaves(value: &Value, key: String, out: &mut Vec<(String, Option<String>)>) {
    match value {
        Value::Object(map) if map.contains_key("unit") => {
            leaves(&map["value"], key + ".value", out)
        }
        Value::Object(map) => {
            for (k, v) in map {
                leaves(v, format!("{key}.{k}"), out);
            }
        }
        Value::Null if key.matches('.').count() < 2 => {}
        Value::Null => out.push((key, None)),
        Value::String(s) => out.push((key, Some(s.clone()))),
        other => out.push((key, Some(other.to_string()))),
    }
}
