//! Normalisers for printed labels and printed numbers.
//!
//! Labels: full-width ↔ half-width, whitespace and line breaks inside labels, quote
//! styles and list numbering all vary between agencies and formats; comparison happens on
//! the normalised form only. Numbers: full-width digits, thousands separators, stray
//! spaces and units written into the cell (`251000元`) are read; anything else is kept as
//! raw text and reported, never turned into a zero.

use crate::Decimal;

/// Maps full-width ASCII forms (`０-９`, `（`, `：`, `，` …) and the ideographic space to
/// their half-width counterparts; everything else is left alone.
pub fn to_halfwidth(s: &str) -> String {
    // Only characters led by E3 (U+3000) or EF (U+FF01–U+FF5E) change; the result is never
    // longer.
    let mut out = String::with_capacity(s.len());
    map_chars_into(
        s,
        &mut out,
        |b| matches!(b, 0xE3 | 0xEF),
        |c| Some(halfwidth(c)),
    );
    out
}

/// Appends `s` to `out` with the characters whose first byte `may_change` flags passed
/// through `map` (`None` drops one); the runs between them are copied whole. `may_change`
/// must flag no continuation byte (0x80–0xBF), so that every flagged byte starts a
/// character.
fn map_chars_into(
    s: &str,
    out: &mut String,
    may_change: impl Fn(u8) -> bool,
    map: impl Fn(char) -> Option<char>,
) {
    let bytes = s.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !may_change(bytes[i]) {
            i += 1;
            continue;
        }
        out.push_str(s.get(run_start..i).unwrap_or_default());
        let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else {
            break; // not reached: `i` is always at a character boundary here
        };
        i += c.len_utf8();
        run_start = i;
        if let Some(mapped) = map(c) {
            out.push(mapped);
        }
    }
    out.push_str(s.get(run_start..).unwrap_or_default());
}

fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}')
}

/// The comparable form of a printed label: half-width, no whitespace or invisible
/// characters, no quote marks, `、`/`．` after a list number read as `.`.
pub fn normalize_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_label_into(s, &mut out);
    out
}

/// [`normalize_label`] appended to `out` (one buffer for many cells).
pub fn normalize_label_into(s: &str, out: &mut String) {
    // Runs of characters the normalisation keeps as they are (CJK ideographs, digits,
    // letters) are copied whole; only characters that may change are looked at one by one.
    map_chars_into(s, out, |b| MAY_CHANGE[usize::from(b)], normalize_char);
}

/// [`may_change`] for every byte, looked up rather than matched in the byte loop.
static MAY_CHANGE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = may_change(b as u8);
        b += 1;
    }
    table
};

/// Whether the character that starts (or continues) at this byte may be changed or dropped
/// by [`normalize_char`]: ASCII space, controls and quotes, and every character led by
/// C2 (U+0085, U+00A0), E1 (U+1680), E2 (U+2000–U+205F: spaces, zero-widths, curly
/// quotes), E3 (U+3000–U+303F: the ideographic space, 「」『』, 〔〕【】) or EF (full
/// width forms, U+FEFF). Continuation bytes never start a character.
const fn may_change(b: u8) -> bool {
    match b {
        b'"' | b'\'' => true,
        b'!'..=b'~' => false,
        0x80..=0xBF => false,
        0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF => true,
        0xC0..=0xFF => false,
        _ => true, // space, controls, DEL
    }
}

/// One character of a label normalised: half-width, brackets unified; `None` when the
/// normal form drops it (whitespace, invisible characters, quote marks).
fn normalize_char(c: char) -> Option<char> {
    let c = halfwidth(c);
    if is_invisible(c)
        || matches!(
            c,
            '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』'
        )
    {
        return None;
    }
    Some(match c {
        '〔' | '【' | '［' => '[',
        '〕' | '】' | '］' => ']',
        _ => c,
    })
}

/// A digit of a list number: ASCII, or one of 一 … 十 (matched rather than searched for in
/// a string: every row label is stripped of its numbering).
fn is_numeral(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
        )
}

/// Removes leading list numbering from a normalised label: `一、`, `(一)`, `(1)`, `1.`,
/// `1、`, repeatedly (a cell may print `(三)1.` before its text).
pub fn strip_numbering(label: &str) -> &str {
    let mut rest = label;
    loop {
        let before = rest;
        if let Some(inner) = rest.strip_prefix('(') {
            if let Some(end) = inner.find(')') {
                let numeral = &inner[..end];
                if !numeral.is_empty() && numeral.chars().all(is_numeral) {
                    rest = &inner[end + 1..];
                }
            }
        } else {
            let numeral_len: usize = rest
                .chars()
                .take_while(|&c| is_numeral(c))
                .map(char::len_utf8)
                .sum();
            if numeral_len > 0 {
                let after = &rest[numeral_len..];
                if let Some(tail) = after
                    .strip_prefix('、')
                    .or_else(|| after.strip_prefix('.'))
                    .or_else(|| after.strip_prefix('．'))
                {
                    rest = tail;
                }
            }
        }
        if rest == before {
            return rest;
        }
    }
}

/// A printed cell read as a number, with the unit printed inside the cell, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedNumber {
    pub value: Decimal,
    pub unit: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// The cell is empty: "not stated", never zero.
    Blank,
    /// The cell holds text that is not a number (`—`, `无`, `/`, or worse).
    NotANumber,
}

/// Units that reports write inside a figure cell; longest first so `万元` wins over `元`.
const CELL_UNITS: &[&str] = &["万元", "元", "件", "条", "项", "个", "次"];

/// Reads a printed figure: `1549`, `１，５４９`, `1 549`, `+1036`, `251000元`, `0.5万元`.
pub fn parse_figure(raw: &str) -> Result<ParsedNumber, NumberError> {
    // Most cells are plain digits (or a decimal), which the steps below would leave as
    // they are.
    if !raw.is_empty()
        && raw
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'+' | b'-'))
    {
        let value = Decimal::parse(raw).ok_or(NumberError::NotANumber)?;
        return Ok(ParsedNumber { value, unit: None });
    }
    let half = to_halfwidth(raw);
    let mut body = half.trim_matches(is_invisible);
    if body.is_empty() {
        return Err(NumberError::Blank);
    }
    let mut unit = None;
    for candidate in CELL_UNITS {
        if let Some(stripped) = body.strip_suffix(candidate) {
            unit = Some(*candidate);
            body = stripped.trim_matches(is_invisible);
            break;
        }
    }
    let value = if body.contains(|c| c == ',' || is_invisible(c)) {
        // Interior spaces count only as thousands separators (`1 549`); `2 3` is not a
        // number.
        let body = body
            .split(is_invisible)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(",");
        let digits = strip_thousands_separators(&body).ok_or(NumberError::NotANumber)?;
        Decimal::parse(&digits)
    } else {
        Decimal::parse(body) // full-width digits, or a unit: nothing to join or strip
    };
    Ok(ParsedNumber {
        value: value.ok_or(NumberError::NotANumber)?,
        unit,
    })
}

/// `1,549` → `1549`, but only where every comma sits between groups of three digits; a
/// comma anywhere else means the cell is not one number.
fn strip_thousands_separators(s: &str) -> Option<String> {
    if !s.contains(',') {
        return Some(s.to_string());
    }
    let (int_part, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let unsigned = int_part.trim_start_matches(['+', '-']);
    let mut groups = unsigned.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || groups.clone().any(|g| g.len() != 3) {
        return None;
    }
    let mut out: String = int_part.chars().filter(|&c| c != ',').collect();
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_normalise_across_widths_spaces_and_quotes() {
        assert_eq!(
            normalize_label("３.危及“三安全一稳定”"),
            "3.危及三安全一稳定"
        );
        assert_eq!(
            normalize_label("3.危及\"三安全一稳定\""),
            "3.危及三安全一稳定"
        );
        assert_eq!(normalize_label("商业\n企业"), "商业企业");
        assert_eq!(normalize_label("三、本年度办 理结果"), "三、本年度办理结果");
        assert_eq!(normalize_label("（一）予以公开"), "(一)予以公开");
        assert_eq!(
            normalize_label("本年收费金额（单位：万元）"),
            "本年收费金额(单位:万元)"
        );
    }

    #[test]
    fn copying_unchanged_runs_matches_the_character_by_character_definition() {
        // Every character of the planes labels are printed in, alone and between others:
        // a character `may_change` wrongly calls unchanged would show here.
        let reference = |s: &str| s.chars().filter_map(normalize_char).collect::<String>();
        let every_char = (0u32..0x1_0000)
            .chain(0x1_F000..0x1_F100)
            .filter_map(char::from_u32);
        for c in every_char {
            let s = format!("a{c}表{c}");
            assert_eq!(normalize_label(&s), reference(&s), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn halfwidth_copies_runs_exactly() {
        let every_char = (0u32..0x1_0000).filter_map(char::from_u32);
        for c in every_char {
            let s = format!("a{c}表{c}");
            let reference: String = s.chars().map(halfwidth).collect();
            assert_eq!(to_halfwidth(&s), reference, "U+{:04X}", c as u32);
        }
    }

    /// Heading detection measures a line before converting it.
    #[test]
    fn halfwidth_keeps_length_in_characters_and_whitespace() {
        for c in (0u32..0x1_0000).filter_map(char::from_u32) {
            let half = halfwidth(c);
            assert_eq!(
                half.is_whitespace(),
                c.is_whitespace(),
                "U+{:04X}",
                c as u32
            );
        }
        let line = "\u{3000}一、总体情况（１）\u{3000}";
        let half = to_halfwidth(line);
        assert_eq!(half.chars().count(), line.chars().count());
        assert_eq!(to_halfwidth(line.trim()), half.trim());
    }

    #[test]
    fn normalising_is_idempotent() {
        for s in [
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            " 第二十条第（一）项 ",
            "社会公益 组织",
        ] {
            let once = normalize_label(s);
            assert_eq!(normalize_label(&once), once);
        }
    }

    #[test]
    fn numbering_is_stripped() {
        assert_eq!(strip_numbering("(一)予以公开"), "予以公开");
        assert_eq!(strip_numbering("1.属于国家秘密"), "属于国家秘密");
        assert_eq!(strip_numbering("1、属于国家秘密"), "属于国家秘密");
        assert_eq!(strip_numbering("一、本年新收"), "本年新收");
        assert_eq!(strip_numbering("(七)总计"), "总计");
        assert_eq!(strip_numbering("(三)1.属于国家秘密"), "属于国家秘密");
        assert_eq!(strip_numbering("(区分处理的)"), "(区分处理的)");
        assert_eq!(strip_numbering("2024年"), "2024年");
    }

    #[test]
    fn figures_parse_with_noise() {
        let v = |s: &str| parse_figure(s).map(|p| (p.value.to_string(), p.unit));
        assert_eq!(v("1549"), Ok(("1549".into(), None)));
        assert_eq!(v("１５４９"), Ok(("1549".into(), None)));
        assert_eq!(v("1,549"), Ok(("1549".into(), None)));
        assert_eq!(v("１，５４９"), Ok(("1549".into(), None)));
        assert_eq!(v(" 12 "), Ok(("12".into(), None)));
        assert_eq!(v("1 549"), Ok(("1549".into(), None)));
        assert_eq!(v("2 3"), Err(NumberError::NotANumber));
        assert_eq!(v("+1036"), Ok(("1036".into(), None)));
        assert_eq!(v("251000元"), Ok(("251000".into(), Some("元"))));
        assert_eq!(v("0.5万元"), Ok(("0.5".into(), Some("万元"))));
        assert_eq!(v("0.5 万元"), Ok(("0.5".into(), Some("万元"))));
        assert_eq!(v("5949.088667"), Ok(("5949.088667".into(), None)));
        assert_eq!(v(""), Err(NumberError::Blank));
        assert_eq!(v("\u{a0}"), Err(NumberError::Blank));
        assert_eq!(v("—"), Err(NumberError::NotANumber));
        assert_eq!(v("无"), Err(NumberError::NotANumber));
        assert_eq!(v("1,54"), Err(NumberError::NotANumber));
        assert_eq!(v("12a"), Err(NumberError::NotANumber));
    }
}
