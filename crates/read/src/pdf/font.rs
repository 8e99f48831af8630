//! PDF fonts as far as text needs them: how a string splits into character codes, what
//! Unicode text each code stands for, and how far each glyph advances.
//!
//! Chinese government PDFs (WPS, Word, Foxit) use Type0 fonts with `Identity-H` and a
//! `ToUnicode` CMap almost always; older ones use the predefined GB CMaps
//! (`UniGB-UCS2-H`, `GBK-EUC-H`), whose codes are Unicode or GBK themselves.

use std::collections::HashMap;

use lopdf::{Dictionary, Document as PdfDocument, Object};

/// Largest decompressed `ToUnicode` stream read (real ones are a few kilobytes).
const MAX_CMAP_BYTES: usize = 4 * 1024 * 1024;

/// How the bytes of a shown string split into codes, and what the codes mean when no
/// `ToUnicode` map says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coding {
    /// One byte per code (simple fonts); meaning by WinAnsi/Latin-1.
    Simple,
    /// Two bytes per code, CID = code (`Identity-H/V`); no meaning without `ToUnicode`.
    Identity,
    /// Two bytes per code, the code is UTF-16 (`UniGB-UCS2-H`, `UniGB-UTF16-H`).
    Ucs2,
    /// One or two bytes per code, the code is GBK (`GBK-EUC-H`, `GBpc-EUC-H`, …).
    Gbk,
}

#[derive(Debug)]
pub(super) struct Font {
    coding: Coding,
    pub vertical: bool,
    to_unicode: CMap,
    /// Advance widths in thousandths of the font size, by code (CID for Identity fonts).
    widths: HashMap<u32, f64>,
    default_width: f64,
}

/// One glyph of a shown string.
pub(super) struct Code {
    pub text: String,
    /// Advance in thousandths of the font size.
    pub width: f64,
    /// The single-byte code 32, to which word spacing applies.
    pub is_space: bool,
    pub mapped: bool,
}

impl Font {
    pub fn load(doc: &PdfDocument, dict: &Dictionary) -> Font {
        let subtype = name(dict.get(b"Subtype").ok());
        let encoding = dict.get_deref(b"Encoding", doc).ok();
        let encoding_name = name(encoding);
        let vertical = encoding_name.ends_with("-V");
        let coding = if subtype == "Type0" {
            match encoding_name.as_str() {
                "UniGB-UCS2-H" | "UniGB-UCS2-V" | "UniGB-UTF16-H" | "UniGB-UTF16-V" => Coding::Ucs2,
                n if n.starts_with("GB") => Coding::Gbk,
                _ => Coding::Identity,
            }
        } else {
            Coding::Simple
        };
        let to_unicode = dict
            .get_deref(b"ToUnicode", doc)
            .and_then(Object::as_stream)
            .ok()
            .and_then(|s| s.decompressed_content_with_limit(MAX_CMAP_BYTES).ok())
            .map(|bytes| CMap::parse(&bytes))
            .unwrap_or_default();
        let (widths, default_width) = if coding == Coding::Simple {
            simple_widths(doc, dict)
        } else {
            cid_widths(doc, dict)
        };
        Font {
            coding,
            vertical,
            to_unicode,
            widths,
            default_width,
        }
    }

    /// Splits a shown string into its glyphs.
    pub fn decode(&self, bytes: &[u8]) -> Vec<Code> {
        let mut codes = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let len = self.code_len(bytes, i);
            let raw = &bytes[i..(i + len).min(bytes.len())];
            let code = raw.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
            i += len;
            let (text, mapped) = match self.to_unicode.get(code) {
                Some(text) => (text.to_string(), true),
                None => self.fallback(code, raw),
            };
            let width = if self.coding == Coding::Identity || self.coding == Coding::Simple {
                self.widths
                    .get(&code)
                    .copied()
                    .unwrap_or(self.default_width)
            } else if len == 1 {
                self.default_width / 2.0
            } else {
                self.default_width
            };
            codes.push(Code {
                text,
                width,
                is_space: len == 1 && code == 32,
                mapped,
            });
        }
        codes
    }

    fn code_len(&self, bytes: &[u8], at: usize) -> usize {
        match self.coding {
            Coding::Simple => 1,
            Coding::Identity | Coding::Ucs2 => 2,
            Coding::Gbk => {
                if (0x81..=0xFE).contains(&bytes[at]) {
                    2
                } else {
                    1
                }
            }
        }
    }

    fn fallback(&self, code: u32, raw: &[u8]) -> (String, bool) {
        match self.coding {
            Coding::Simple => match char::from_u32(code) {
                Some(c) if code >= 32 => (c.to_string(), true),
                _ => (String::new(), false),
            },
            Coding::Ucs2 => {
                let (text, _, bad) = encoding_rs::UTF_16BE.decode(raw);
                (text.into_owned(), !bad)
            }
            Coding::Gbk => {
                let (text, _, bad) = encoding_rs::GB18030.decode(raw);
                (text.into_owned(), !bad)
            }
            Coding::Identity => ("\u{FFFD}".to_string(), false),
        }
    }
}

fn name(object: Option<&Object>) -> String {
    object
        .and_then(|o| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

fn number(object: &Object) -> Option<f64> {
    object.as_float().ok().map(f64::from)
}

fn simple_widths(doc: &PdfDocument, dict: &Dictionary) -> (HashMap<u32, f64>, f64) {
    let first = dict
        .get(b"FirstChar")
        .ok()
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .clamp(0, 255) as u32;
    let mut widths = HashMap::new();
    if let Ok(array) = dict.get_deref(b"Widths", doc).and_then(Object::as_array) {
        for (i, w) in array.iter().take(256).enumerate() {
            if let Some(w) = number(w) {
                widths.insert(first + i as u32, w);
            }
        }
    }
    let missing = dict
        .get_deref(b"FontDescriptor", doc)
        .and_then(Object::as_dict)
        .ok()
        .and_then(|d| d.get(b"MissingWidth").ok())
        .and_then(number)
        .filter(|w| *w > 0.0)
        .unwrap_or(500.0);
    (widths, missing)
}

/// Largest number of CIDs one `W` range may give widths to.
const MAX_WIDTH_RANGE: u32 = 65_536;

fn cid_widths(doc: &PdfDocument, dict: &Dictionary) -> (HashMap<u32, f64>, f64) {
    let mut widths = HashMap::new();
    let Some(descendant) = dict
        .get_deref(b"DescendantFonts", doc)
        .and_then(Object::as_array)
        .ok()
        .and_then(|a| a.first())
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return (widths, 1000.0);
    };
    let default = descendant
        .get(b"DW")
        .ok()
        .and_then(number)
        .unwrap_or(1000.0);
    let Ok(w) = descendant.get_deref(b"W", doc).and_then(Object::as_array) else {
        return (widths, default);
    };
    // `c [w1 w2 …]` gives consecutive CIDs; `c_first c_last w` gives a range one width.
    let mut i = 0;
    while i < w.len() {
        let Some(start) = w[i].as_i64().ok().filter(|c| *c >= 0) else {
            break;
        };
        let start = start as u32;
        match w.get(i + 1) {
            Some(Object::Array(list)) => {
                for (k, width) in list.iter().take(MAX_WIDTH_RANGE as usize).enumerate() {
                    if let Some(width) = number(width) {
                        widths.insert(start + k as u32, width);
                    }
                }
                i += 2;
            }
            Some(end) => {
                let (Some(end), Some(width)) = (
                    end.as_i64().ok().filter(|e| *e >= i64::from(start)),
                    w.get(i + 2).and_then(number),
                ) else {
                    break;
                };
                let end = (end as u32).min(start.saturating_add(MAX_WIDTH_RANGE));
                for cid in start..=end {
                    widths.insert(cid, width);
                }
                i += 3;
            }
            None => break,
        }
    }
    (widths, default)
}

/// A `ToUnicode` CMap: single codes and code ranges to Unicode text.
#[derive(Debug, Default)]
struct CMap {
    chars: HashMap<u32, String>,
    /// `(low, high, first)`: codes low..=high map to `first` with its last character
    /// incremented by the offset.
    ranges: Vec<(u32, u32, String)>,
}

impl CMap {
    fn get(&self, code: u32) -> Option<std::borrow::Cow<'_, str>> {
        if let Some(text) = self.chars.get(&code) {
            return Some(text.as_str().into());
        }
        let (low, _, first) = self
            .ranges
            .iter()
            .find(|(low, high, _)| (*low..=*high).contains(&code))?;
        let mut chars: Vec<char> = first.chars().collect();
        let last = chars.pop()?;
        let shifted = char::from_u32(u32::from(last) + (code - low))?;
        chars.push(shifted);
        Some(chars.into_iter().collect::<String>().into())
    }

    fn parse(bytes: &[u8]) -> CMap {
        let mut map = CMap::default();
        let tokens = tokenize(bytes);
        let mut i = 0;
        let mut section = "";
        while i < tokens.len() {
            match &tokens[i] {
                Token::Word(w) if w == "beginbfchar" || w == "beginbfrange" => {
                    section = if w == "beginbfchar" { "char" } else { "range" };
                    i += 1;
                }
                Token::Word(w) if w == "endbfchar" || w == "endbfrange" => {
                    section = "";
                    i += 1;
                }
                Token::Hex(src) if section == "char" => {
                    if let Some(Token::Hex(dst)) = tokens.get(i + 1) {
                        map.chars.insert(code_of(src), utf16(dst));
                    }
                    i += 2;
                }
                Token::Hex(low) if section == "range" => {
                    let (low, high) = match tokens.get(i + 1) {
                        Some(Token::Hex(high)) => (code_of(low), code_of(high)),
                        _ => {
                            i += 1;
                            continue;
                        }
                    };
                    match tokens.get(i + 2) {
                        Some(Token::Hex(dst)) if high >= low => {
                            map.ranges.push((low, high, utf16(dst)));
                            i += 3;
                        }
                        Some(Token::Open) => {
                            let mut k = i + 3;
                            let mut code = low;
                            while let Some(Token::Hex(dst)) = tokens.get(k) {
                                map.chars.insert(code, utf16(dst));
                                code = code.saturating_add(1);
                                k += 1;
                            }
                            i = k + 1;
                        }
                        _ => i += 3,
                    }
                }
                _ => i += 1,
            }
        }
        map
    }
}

enum Token {
    Hex(Vec<u8>),
    Word(String),
    Open,
    Other,
}

fn tokenize(bytes: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'<' && bytes.get(i + 1) != Some(&b'<') {
            let end = bytes[i..]
                .iter()
                .position(|&c| c == b'>')
                .map_or(bytes.len(), |p| i + p);
            let digits: Vec<u8> = bytes[i + 1..end]
                .iter()
                .filter(|c| c.is_ascii_hexdigit())
                .copied()
                .collect();
            let hex = digits
                .chunks(2)
                .map(|pair| {
                    let s = std::str::from_utf8(pair).unwrap_or("0");
                    u8::from_str_radix(s, 16).unwrap_or(0) << if pair.len() == 1 { 4 } else { 0 }
                })
                .collect();
            tokens.push(Token::Hex(hex));
            i = end + 1;
        } else if b == b'[' {
            tokens.push(Token::Open);
            i += 1;
        } else if b.is_ascii_alphabetic() {
            let end = bytes[i..]
                .iter()
                .position(|c| !c.is_ascii_alphanumeric())
                .map_or(bytes.len(), |p| i + p);
            tokens.push(Token::Word(
                String::from_utf8_lossy(&bytes[i..end]).into_owned(),
            ));
            i = end;
        } else {
            if !b.is_ascii_whitespace() {
                tokens.push(Token::Other);
            }
            i += 1;
        }
    }
    tokens
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| acc << 8 | u32::from(b))
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|p| u16::from(p[0]) << 8 | u16::from(*p.get(1).unwrap_or(&0)))
        .collect();
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_chars_and_ranges_map_codes_to_text() {
        let cmap = CMap::parse(
            b"2 beginbfchar\n<0010> <002D>\n<235A> <4E00>\nendbfchar\n\
              1 beginbfrange\n<0013> <001C> <0030>\nendbfrange\n\
              1 beginbfrange\n<0100> <0101> [<4E8C> <4E09>]\nendbfrange",
        );
        assert_eq!(cmap.get(0x10).as_deref(), Some("-"));
        assert_eq!(cmap.get(0x235A).as_deref(), Some("一"));
        assert_eq!(cmap.get(0x13).as_deref(), Some("0"));
        assert_eq!(cmap.get(0x1C).as_deref(), Some("9"));
        assert_eq!(cmap.get(0x101).as_deref(), Some("三"));
        assert_eq!(cmap.get(0x1D), None);
    }

    #[test]
    fn a_broken_cmap_yields_what_it_can() {
        let cmap =
            CMap::parse(b"beginbfchar <0041> endbfchar <0042> <0043> beginbfrange <00> [ <zz");
        assert_eq!(cmap.get(0x41), None);
        assert_eq!(cmap.get(0x42).as_deref(), Some("C"));
    }
}
