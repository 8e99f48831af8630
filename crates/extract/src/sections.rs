//! The six report sections, recognised by their heading keywords rather than their
//! numbering, which varies within a single report (`一、`, `2、`, none at all).

use std::sync::LazyLock;

use nianbao_model::{to_halfwidth, Section};
use nianbao_read::{Block, Document};
use nianbao_wording::markers::SECTION_KEYWORDS;
use regex::Regex;

/// Longest line taken for a heading; narrative paragraphs are longer.
const MAX_HEADING_CHARS: usize = 40;

/// Top-level numbering: `一、`, `1、`, `1.`, `第一部分`; never `(一)` (that is a sub-heading).
static TOP_NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]{1,2}\s*[、.．]|\d{1,2}\s*[、.．]|第[一二三四五六七八九十]{1,2}部分\s*[、:：]?)\s*")
        .expect("static regex")
});

/// Where a section starts: the block index of its heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionStart {
    pub index: u8,
    pub block: usize,
    pub heading: String,
}

/// Finds the section headings in block order. A section is taken only after the ones
/// before it, so a later paragraph that merely mentions 主动公开 cannot restart section 2.
pub fn find_sections(doc: &Document) -> Vec<SectionStart> {
    let mut found: Vec<SectionStart> = Vec::new();
    for (block_index, block) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(text) = block else {
            continue;
        };
        let Some(index) = heading_index(text) else {
            continue;
        };
        if found.last().is_some_and(|last| index <= last.index) {
            continue;
        }
        found.push(SectionStart {
            index,
            block: block_index,
            heading: text.trim().to_string(),
        });
    }
    found
}

/// The canonical index of a heading line, if it is one.
pub(crate) fn heading_index(line: &str) -> Option<u8> {
    // Half-width conversion maps each character to one, and whitespace to whitespace, so
    // the length is known before converting (most paragraphs are longer than a heading).
    let line = line.trim();
    if line.chars().count() > MAX_HEADING_CHARS {
        return None;
    }
    let half = to_halfwidth(line);
    let trimmed = half.as_str();
    if trimmed.starts_with('(') {
        return None;
    }
    let numbered = TOP_NUMBERING.find(trimmed);
    let rest = numbered.map_or(trimmed, |m| &trimmed[m.end()..]);
    if rest.contains('。') && !rest.ends_with('。') {
        return None;
    }
    // Without a number a heading must look like one: short and closed by a heading word.
    if numbered.is_none()
        && !(rest.chars().count() <= 20
            && ["情况", "事项", "措施", "概述"]
                .iter()
                .any(|w| rest.ends_with(w)))
    {
        return None;
    }
    SECTION_KEYWORDS
        .iter()
        .position(|keywords| keywords.iter().any(|k| rest.contains(k)))
        .map(|i| i as u8 + 1)
}

/// A top-level heading inside running text (a page saved with its whole body on one line):
/// `一、总体情况`, `三、收到和处理政府信息公开申请情况`, … in canonical wording only.
static INLINE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"([一二三四五六])、\s*(总体情况|概述|主动公开政府信息(?:的)?情况|收到和处理政府信息公开申请情况|",
        r"(?:政府信息公开|因政府信息公开[^，。；]{0,12})行政复议[^，。；]{0,16}诉讼情况|",
        r"(?:政府信息公开工作)?存在的主要问题[^，。；]{0,8}(?:情况|措施)|其他需要报告的事项)"
    ))
    .expect("static regex")
});

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
            let text = doc.blocks[start.block + 1..end]
                .iter()
                .filter_map(|b| match b {
                    Block::Paragraph(p) => Some(p.trim()),
                    Block::Table(_) => None,
                })
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
