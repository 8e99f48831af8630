//! The six sections recognised by what their headings say, however they are numbered:
//! `一、`, `1.`, `1、`, `（一）`, `第一部分`, `第一章`, not at all, or run into their first
//! paragraph — drawn at random for each heading of many reports.

use nianbao_extract::extract;
use nianbao_read::read;
use nianbao_testkit::{Rng, SECTION_HEADINGS as HEADINGS};

const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

/// A heading in one of the numbering styles, and whether its paragraph runs on after it.
fn numbered(i: usize, rng: &mut Rng) -> (String, bool) {
    let heading = HEADINGS[i];
    let n = NUMERALS[i];
    let printed = match rng.range(0, 8) {
        0 => format!("{n}、{heading}"),
        1 => format!("{}.{heading}", i + 1),
        2 => format!("{}、 {heading}", i + 1),
        3 => format!("（{n}）{heading}"),
        4 => format!("第{n}部分 {heading}"),
        5 => format!("第{n}章　{heading}"),
        6 => heading.to_string(),
        _ => return (format!("{n}、{heading}"), true),
    };
    (printed, false)
}

#[test]
fn headings_numbered_every_way_or_run_into_their_paragraph_are_found() {
    let mut wrong = Vec::new();
    for seed in 0..300 {
        let mut rng = Rng::new(seed);
        let mut text = String::from("某某县人民政府2023年政府信息公开工作年度报告\n");
        let mut run_in = Vec::new();
        for i in 0..6 {
            let (heading, runs_on) = numbered(i, &mut rng);
            let body = format!("第{}部分的正文，说明本年度的工作。", i + 1);
            let separator = if runs_on { "。" } else { "\n" };
            text.push_str(&format!("{heading}{separator}{body}\n"));
            // A numbered point of the narrative is no section.
            text.push_str("1.主动公开情况：本年度主动公开信息100条。\n");
            run_in.push((runs_on, body));
        }
        let report = extract(&read(text.as_bytes()).unwrap());
        let found: Vec<u8> = report.sections.iter().map(|s| s.index).collect();
        if found != [1, 2, 3, 4, 5, 6] {
            wrong.push(format!("seed {seed}: {found:?}\n{text}"));
            continue;
        }
        for (section, (runs_on, body)) in report.sections.iter().zip(&run_in) {
            if !section.text.starts_with(body.as_str()) || section.heading.contains(body.as_str()) {
                wrong.push(format!(
                    "seed {seed}: section {} (run in: {runs_on}) heading {:?} text {:?}",
                    section.index, section.heading, section.text
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong[..wrong.len().min(5)].join("\n")
    );
}
