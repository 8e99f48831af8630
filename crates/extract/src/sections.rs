//! The six report sections, recognised by their heading keywords rather than their
//! numbering, which varies within a single report (`一、`, `2、`, none at all).

use std::sync::LazyLock;

use nianbao_model::{to_halfwidth, Section};
use nianbao_read::{Block, Document};
use nianbao_wording::markers::SECTION_KEYWORDS;
use regex::Regex;

/// Longest line taken for a heading; narrative paragraphs are longer.
const MAX_HEADING_CHARS: usize = 40;

/// Top-level numbering: `一、`, `1、`, `1.`, `第一部分`, `第一章`; `(一)` only where the
/// heading reads as one of the six by itself (elsewhere it is a sub-heading).
static TOP_NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]{1,2}\s*[、.．]|\d{1,2}\s*[、.．]|第[一二三四五六七八九十]{1,2}(?:部分|章)\s*[、:：]?)\s*")
        .expect("static regex")
});
static PARENTHESISED_NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(\s*(?:[一二三四五六七八九十]{1,2}|\d{1,2})\s*\)\s*").expect("static regex")
});

/// Where a section starts: the block index of its heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionStart {
    pub index: u8,
    pub block: usize,
    pub heading: String,
    /// The paragraph's text after a heading run into it (`一、总体情况。本年度…`).
    pub run_in: String,
}

/// Finds the section headings in block order. A section is taken only after the ones
/// before it, so a later paragraph that merely mentions 主动公开 cannot restart section 2.
pub fn find_sections(doc: &Document) -> Vec<SectionStart> {
    let mut found: Vec<SectionStart> = Vec::new();
    for (block_index, block) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(text) = block else {
            continue;
        };
        let Some((index, heading_len)) = heading(text) else {
            continue;
        };
        if found.last().is_some_and(|last| index <= last.index) {
            continue;
        }
        let text = text.trim();
        found.push(SectionStart {
            index,
            block: block_index,
            heading: text[..heading_len].trim().to_string(),
            run_in: text[heading_len..].trim().to_string(),
        });
    }
    found
}

/// A cheap test that most paragraphs fail: a heading starts with a number, or its words
/// (the line, or the text before `。`/`：`) end with a heading word.
fn may_be_heading(line: &str) -> bool {
    let numbered = line.starts_with(|c: char| {
        c.is_ascii_digit() || "一二三四五六七八九十第(（０１２３４５６７８９".contains(c)
    });
    if numbered {
        // A long paragraph is a heading only run into its text, breaking early.
        return line.chars().nth(MAX_HEADING_CHARS).is_none()
            || line
                .chars()
                .take(MAX_HEADING_CHARS + 1)
                .any(|c| matches!(c, '。' | '：' | ':'));
    }
    let head_end = line
        .char_indices()
        .take(21)
        .find(|(_, c)| matches!(c, '。' | '：' | ':'))
        .map(|(i, _)| i);
    let head = match head_end {
        Some(end) => &line[..end],
        None if line.chars().nth(20).is_none() => line,
        None => return false,
    };
    ["情况", "事项", "措施", "概述"]
        .iter()
        .any(|w| head.trim_end().ends_with(w))
}

/// The canonical index of a heading line, if it is one.
pub(crate) fn heading_index(line: &str) -> Option<u8> {
    heading(line).map(|(index, _)| index)
}

/// The canonical index of the heading a paragraph is or starts with, and the heading's
/// length in bytes of the trimmed paragraph. A heading is numbered (`一、`, `1.`,
/// `第一部分`), or — numbered `（一）` or not at all — short and closed by a heading word
/// (情况, 事项, …); it is the whole paragraph, or runs into its text after `。` or `：`.
fn heading(line: &str) -> Option<(u8, usize)> {
    let line = line.trim();
    if !may_be_heading(line) {
        return None;
    }
    // Half-width conversion maps each character to one, so character counts carry over;
    // only the paragraph's start can be a heading.
    let start: String = line.chars().take(MAX_HEADING_CHARS + 1).collect();
    let half = to_halfwidth(&start);
    let numbered = TOP_NUMBERING.find(&half);
    let parenthesised = PARENTHESISED_NUMBERING.find(&half);
    let after_number = numbered.or(parenthesised).map_or(0, |m| m.end());
    let rest = &half[after_number..];
    let (head, run_in) = match rest.find(['。', ':']) {
        Some(at) => (&rest[..at], true),
        None => (rest, false),
    };
    let whole_line = line.chars().count() <= MAX_HEADING_CHARS;
    if head.is_empty() || !(whole_line || run_in) {
        return None;
    }
    let reads_as_heading = head.chars().count() <= 20
        && ["情况", "事项", "措施", "概述"]
            .iter()
            .any(|w| head.ends_with(w));
    if numbered.is_none() && !reads_as_heading {
        return None;
    }
    // A heading run into its paragraph says one of the six in the template's words: a
    // numbered point of the narrative (`1.主动公开情况：…`) is not a section.
    if run_in && !CANONICAL_HEADING.is_match(head.trim()) {
        return None;
    }
    let index = SECTION_KEYWORDS
        .iter()
        .position(|keywords| keywords.iter().any(|k| head.contains(k)))?;
    let head_chars = half[..after_number].chars().count() + head.chars().count();
    let len = if run_in && head_chars < line.chars().count() {
        // Up to and including the break.
        line.char_indices()
            .nth(head_chars + 1)
            .map_or(line.len(), |(i, _)| i)
    } else {
        line.len()
    };
    Some((index as u8 + 1, len))
}

/// A top-level heading inside running text (a page saved with its whole body on one line):
/// `一、总体情况`, `三、收到和处理政府信息公开申请情况`, … in canonical wording only.
static INLINE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"([一二三四五六])、\s*({CANONICAL_HEADINGS})")).expect("static regex")
});

/// The six headings in the template's wording (and its common variants): what a heading
/// run into its paragraph or into running text must say.
const CANONICAL_HEADINGS: &str = concat!(
    r"总体情况|概述|主动公开政府信息(?:的)?情况|收到和处理政府信息公开申请情况|",
    r"(?:政府信息公开|因政府信息公开[^，。；]{0,12})行政复议[^，。；]{0,16}诉讼情况|",
    r"(?:政府信息公开工作)?存在的主要问题[^，。；]{0,8}(?:情况|措施)|其他需要报告的事项"
);
static CANONICAL_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^(?:{CANONICAL_HEADINGS})$")).expect("static regex"));

/// Sections found inside long paragraphs, in order, when no paragraph is a heading.
pub fn inline_sections(doc: &Document) -> Vec<Section> {
    let text: String = doc.paragraphs().collect::<Vec<_>>().join("\n");
    let mut heads: Vec<(u8, usize, usize, String)> = Vec::new();
    for m in INLINE_HEADING.captures_iter(&text) {
        let whole = m.get(0).expect("match");
        let Some(index) = heading_index(whole.as_str()) else {
            continue;
        };
        if heads.last().is_some_and(|(last, ..)| index <= *last) {
            continue;
        }
        heads.push((
            index,
            whole.start(),
            whole.end(),
            whole.as_str().to_string(),
        ));
    }
    heads
        .iter()
        .enumerate()
        .map(|(i, (index, _, end, heading))| {
            let next = heads.get(i + 1).map_or(text.len(), |h| h.1);
            Section {
                index: *index,
                heading: heading.clone(),
                text: text[*end..next].trim().to_string(),
            }
        })
        .collect()
}

/// The sections with their paragraph text (tables are exported separately).
pub fn section_texts(doc: &Document, starts: &[SectionStart]) -> Vec<Section> {
    starts
        .iter()
        .enumerate()
        .map(|(i, start)| {
            let end = starts.get(i + 1).map_or(doc.blocks.len(), |s| s.block);
            let paragraphs = doc.blocks[start.block + 1..end]
                .iter()
                .filter_map(|b| match b {
                    Block::Paragraph(p) => Some(p.trim()),
                    Block::Table(_) => None,
                });
            let text = std::iter::once(start.run_in.as_str())
                .filter(|t| !t.is_empty())
                .chain(paragraphs)
                .collect::<Vec<_>>()
                .join("\n");
            Section {
                index: start.index,
                heading: start.heading.clone(),
                text,
            }
        })
        .collect()
}

/// Builds this module's patterns now (see [`crate::prepare`]).
pub(crate) fn prepare() {
    LazyLock::force(&TOP_NUMBERING);
    LazyLock::force(&INLINE_HEADING);
    LazyLock::force(&PARENTHESISED_NUMBERING);
    LazyLock::force(&CANONICAL_HEADING);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_the_numbering_styles_seen() {
        assert_eq!(heading_index("一、总体情况"), Some(1));
        assert_eq!(heading_index(" 2、 主动公开政府信息情况"), Some(2));
        assert_eq!(heading_index("3、 收到和处理政府信息公开申请情况"), Some(3));
        assert_eq!(
            heading_index("四、政府信息公开行政复议、行政诉讼情况"),
            Some(4)
        );
        assert_eq!(heading_index("五、存在的主要问题及改进情况"), Some(5));
        assert_eq!(heading_index("六、其他需要报告的事项"), Some(6));
        assert_eq!(heading_index("三、依申请公开政府信息情况"), Some(3));
        assert_eq!(heading_index("主动公开政府信息情况"), Some(2));
    }

    #[test]
    fn sub_headings_and_prose_are_not_sections() {
        assert_eq!(
            heading_index("（2） 有序开展政府主动公开及依申请公开工作"),
            None
        );
        assert_eq!(heading_index("（一）主动公开方面"), None);
        assert_eq!(
            heading_index(
                "我镇采取多种形式公开政府信息，多渠道并用宣传政府主要职能和工作内容。主动公开。"
            ),
            None
        );
        assert_eq!(heading_index("主动公开执法检查公示17件"), None);
    }
}
