//! Bytes → text: BOM first, then UTF-8, then GB18030 (which also reads GBK and GB2312);
//! binary data is refused rather than decoded into nonsense.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use crate::ReadError;

/// Decoded text, the encoding it came from, and how many byte sequences were undecodable.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub replaced: usize,
}

/// How much of the start of a file the binary check looks at.
const SNIFF_BYTES: usize = 8192;

pub fn decode_text(bytes: &[u8]) -> Result<Decoded, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(decode_with(encoding, &bytes[bom_len..]));
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return Ok(decode_with(encoding, bytes));
    }
    if looks_binary(bytes) {
        return Err(ReadError::Binary);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Ok(decode_with(UTF_8, bytes));
    }
    Ok(decode_with(GB18030, bytes))
}

/// Decodes with a known encoding (e.g. one a page or server declared).
pub fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let replaced = text.matches('\u{FFFD}').count();
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        replaced,
    }
}

/// UTF-16 saved without a BOM shows as NUL in every other byte of mostly-ASCII text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_nul = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    // Chinese text in UTF-16 has few NULs; ASCII lines and digits have many. Require
    // at least half of one side NUL and the other side NUL-free.
    if odd_nul * 2 >= pairs && even_nul == 0 {
        Some(UTF_16LE)
    } else if even_nul * 2 >= pairs && odd_nul == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    head.contains(&0) || control * 20 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "北宫镇人民政府2024年\n\t行政处罚\n\t1549\n";

    #[test]
    fn reads_every_supported_encoding() {
        let gb = GB18030.encode(SAMPLE).0.into_owned();
        let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
        utf8_bom.extend_from_slice(SAMPLE.as_bytes());
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(SAMPLE.encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(SAMPLE.encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        for (bytes, name) in [
            (SAMPLE.as_bytes().to_vec(), "UTF-8"),
            (utf8_bom, "UTF-8"),
            (gb, "gb18030"),
            (utf16le, "UTF-16LE"),
            (utf16be, "UTF-16BE"),
        ] {
            let d = decode_text(&bytes).unwrap();
            assert_eq!(d.text, SAMPLE, "{name}");
            assert_eq!(d.encoding, name);
            assert_eq!(d.replaced, 0);
        }
    }

    #[test]
    fn utf16_without_bom_is_recognised_for_ascii_heavy_text() {
        let text = "2024\t0\t0\t1549\n";
        let bytes: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode_text(&bytes).unwrap().text, text);
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert!(matches!(decode_text(b""), Err(ReadError::Empty)));
        assert!(matches!(decode_text(b" \n\t\n"), Err(ReadError::Empty)));
        let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        assert!(matches!(decode_text(&binary), Err(ReadError::Binary)));
    }
}
