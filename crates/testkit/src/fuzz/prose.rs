//! Classes 8 and 9: the section headings and the title.
//!
//! Input: the truth and the forms drawn. Output: the title's lines (one, or two when
//! split), with or without markdown marks, and the body's heading paragraphs rewritten
//! in their numbering, maybe run into their first sentence.

use super::{HeadingForm, Numbering, TitleForm, TitleMarkup, TitleVariation};
use crate::layout::Part;
use crate::truth::Truth;

/// The six headings as `layout` prints them after their numbers.
pub const HEADINGS: [&str; 6] = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
];

/// A first sentence for each section, run into its heading; no figures, so that no
/// narrative check reads one.
const RUN_IN: [&str; 6] = [
    "本年度，本机关认真贯彻落实政府信息公开各项要求。",
    "本年度主动公开政府信息情况如下。",
    "本年度收到和处理政府信息公开申请情况如下。",
    "本年度政府信息公开行政复议、行政诉讼情况如下。",
    "本年度工作中存在的主要问题及改进情况如下。",
    "本年度没有其他需要报告的事项。",
];

const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

/// The title lines, `layout`'s own where class 9 was not drawn.
pub(super) fn title_lines(truth: &Truth, title: Option<TitleVariation>) -> Vec<String> {
    let (agency, year) = (truth.place.agency_full, truth.year);
    let report = "政府信息公开工作年度报告".to_string();
    let (form, split) = match title {
        Some(t) => (t.form, t.split),
        None => (TitleForm::AgencyYear, truth.split_title),
    };
    let (first, second) = match form {
        TitleForm::AgencyYear => (format!("{agency}{year}年"), report),
        TitleForm::YearAgency => (format!("{year}年{agency}"), report),
        TitleForm::AgencyThenYear => (
            format!("{agency}政府信息公开工作"),
            format!("{year}年度报告"),
        ),
    };
    if split {
        vec![first, second]
    } else {
        vec![first + &second]
    }
}

/// Each title line with the markdown marks.
pub(super) fn marked_up(lines: &[String], markup: TitleMarkup) -> Vec<String> {
    lines
        .iter()
        .map(|line| match markup {
            TitleMarkup::Plain => line.clone(),
            TitleMarkup::Hash => format!("# {line}"),
            TitleMarkup::Bold => format!("**{line}**"),
        })
        .collect()
}

/// Rewrites the six heading paragraphs of `layout`'s body in the forms drawn.
pub(super) fn restyle_headings(body: &mut [Part], forms: &[HeadingForm; 6]) {
    for part in body {
        let Part::Paragraph(p) = part else { continue };
        if let Some(i) = heading_index(p) {
            *p = heading(i, forms[i]);
        }
    }
}

/// Which heading a paragraph is: the heading text after a short number (`一、`, `1、　`).
fn heading_index(p: &str) -> Option<usize> {
    HEADINGS.iter().position(|h| {
        p.strip_suffix(h)
            .is_some_and(|number| !number.is_empty() && number.chars().count() <= 3)
    })
}

fn heading(i: usize, form: HeadingForm) -> String {
    let number = match form.number {
        Numbering::Chinese => format!("{}、", NUMERALS[i]),
        Numbering::ArabicDot => format!("{}.", i + 1),
        Numbering::ArabicComma => format!("{}、", i + 1),
        Numbering::Bracketed => format!("（{}）", NUMERALS[i]),
        Numbering::Part => format!("第{}部分\u{3000}", NUMERALS[i]),
        Numbering::Unnumbered => String::new(),
    };
    let mut line = number + HEADINGS[i];
    if form.run_in {
        line.push('。');
        line.push_str(RUN_IN[i]);
    }
    line
}
