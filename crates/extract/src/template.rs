//! Which national format a report follows, decided from the labels it prints. The year
//! only breaks ties: late adopters and hybrids exist.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use nianbao_model::Template;
use nianbao_wording::markers::{
    FORMAT_2019 as MARKERS_2019, FORMAT_2021 as MARKERS_2021, FORMAT_SHARED as MARKERS_STANDARD,
};

/// Every marker in one automaton: 2021, then 2019, then the shared ones. No marker holds
/// another or ends with another's start (a test checks), so one search that does not
/// overlap matches finds every marker the text holds.
static MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let all = MARKERS_2021
        .iter()
        .chain(MARKERS_2019)
        .chain(MARKERS_STANDARD);
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(all)
        .expect("static markers")
});

/// How the template was decided, for the warning that explains an uncertain decision.
#[derive(Debug, PartialEq, Eq)]
pub struct Detection {
    pub template: Template,
    pub uncertain: Option<String>,
}

/// `text` is the whole document, normalised (see `normalize_label`).
pub fn detect(text: &str, year: Option<u16>) -> Detection {
    // One pass over the document for all markers: which of them it holds, a bit each.
    let held: u32 = MARKERS
        .find_iter(text)
        .fold(0, |held, m| held | 1 << m.pattern().as_usize());
    let count = |from: usize, markers: &[&str]| {
        (from..from + markers.len())
            .filter(|&i| held & 1 << i != 0)
            .count()
    };
    let (n2021, n2019, standard) = (
        count(0, MARKERS_2021),
        count(MARKERS_2021.len(), MARKERS_2019),
        count(MARKERS_2021.len() + MARKERS_2019.len(), MARKERS_STANDARD),
    );
    let certain = |template| Detection {
        template,
        uncertain: None,
    };
    match (n2021, n2019) {
        (a, 0) if a > 0 => certain(Template::T2021),
        (0, b) if b > 0 => certain(Template::T2019),
        (a, b) if a > 0 && b > 0 => Detection {
            template: if a >= b {
                Template::T2021
            } else {
                Template::T2019
            },
            uncertain: Some(format!(
                "labels of both templates printed ({a} of the 2021 format, {b} of the 2019 format)"
            )),
        },
        _ if standard > 0 => match year {
            Some(y) if y >= 2021 => Detection {
                template: Template::T2021,
                uncertain: Some(format!(
                    "no table 二 labels; 2021 format assumed from the year {y}"
                )),
            },
            Some(y) if y >= 2019 => Detection {
                template: Template::T2019,
                uncertain: Some(format!(
                    "no table 二 labels; 2019 format assumed from the year {y}"
                )),
            },
            _ => Detection {
                template: Template::Unknown,
                uncertain: Some(
                    "standard table labels printed, but no table 二 and no year".into(),
                ),
            },
        },
        _ => match year {
            Some(y) if y < 2019 => certain(Template::Pre2019),
            _ => certain(Template::Unknown),
        },
    }
}

/// Builds the marker automaton now (see [`crate::prepare`]).
pub(crate) fn prepare() {
    LazyLock::force(&MARKERS);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_search_finds_every_marker() {
        let all: Vec<&str> = MARKERS_2021
            .iter()
            .chain(MARKERS_2019)
            .chain(MARKERS_STANDARD)
            .copied()
            .collect();
        assert!(all.len() <= 32, "the held markers are bits of a u32");
        for a in &all {
            for b in all.iter().filter(|b| *b != a) {
                assert!(!a.contains(b), "{a} holds {b}");
                let a_chars: Vec<char> = a.chars().collect();
                for cut in 1..a_chars.len() {
                    let suffix: String = a_chars[cut..].iter().collect();
                    assert!(!b.starts_with(&suffix), "{a} ends with the start of {b}");
                }
            }
        }
        // And so every marker is counted, even printed back to back.
        let why = detect(&all.concat(), None).uncertain.unwrap_or_default();
        assert!(
            why.contains(&format!(
                "({} of the 2021 format, {} of the 2019 format)",
                MARKERS_2021.len(),
                MARKERS_2019.len()
            )),
            "{why}"
        );
    }

    #[test]
    fn decided_by_labels_then_year() {
        assert_eq!(
            detect("信息内容本年制发件数", Some(2019)).template,
            Template::T2021
        );
        assert_eq!(
            detect("本年新制作数量采购总金额", Some(2021)).template,
            Template::T2019
        );
        let hybrid = detect("本年新收政府信息公开申请数量", Some(2022));
        assert_eq!(hybrid.template, Template::T2021);
        assert!(hybrid.uncertain.is_some());
        assert_eq!(
            detect("行政复议数受理依申请公开信息总数", Some(2011)).template,
            Template::Pre2019
        );
        assert_eq!(detect("一、总体情况", None).template, Template::Unknown);
    }
}
