//! Readers: document bytes in, one [`Document`] out — ordered paragraphs and tables, the
//! same model whatever the format.
//!
//! Readers know formats and nothing about reports; the extractor knows reports and
//! nothing about formats. The format is recognised by content, not by file name.
//! Only bytes that cannot be read at all are an error; anything a reader can read past
//! becomes a diagnostic on the document.

mod decode;
mod document;
mod docx;
mod html;
mod html_parse;
mod legacy;
#[cfg(feature = "pdf")]
mod pdf;
mod text;

use std::fmt;

pub use decode::{decode_text, decode_with, Decoded};
pub use document::{
    is_trim_char, Block, Cell, Document, Format, Row, Table, TableBuilder, LISTING_COLUMN,
    LISTING_TITLE, MAX_COLUMNS, MAX_DOCUMENT_CELLS, MAX_DOCUMENT_PARAGRAPHS, MAX_SPAN,
    MAX_TABLE_CELLS,
};
pub use docx::{read_docx, MAX_INFLATION_RATIO, MAX_XML_BYTES, MAX_XML_DEPTH};
pub use html::{decode_html, read_html, FIELD_LABELS, PAGE_HEADING, PAGE_TITLE};
pub use html_parse::{MAX_HTML_DEPTH, MAX_HTML_ELEMENTS, MAX_HTML_TAGS};
pub use legacy::{find_soffice, read_legacy, CONVERSION_TIMEOUT};
#[cfg(feature = "pdf")]
pub use pdf::{read_pdf, MAX_CONTENT_BYTES, MAX_PAGE_GLYPHS, MAX_PDF_PAGES};
pub use text::read_text;

/// Largest document file accepted, in bytes, whatever its format. Annual reports are tens
/// of kilobytes as text and a few megabytes as DOCX or PDF; anything far larger is not one.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;
/// Largest text or HTML document accepted (a report page is 0.1–2 MB with its furniture).
pub const MAX_MARKUP_BYTES: usize = 16 * 1024 * 1024;

/// Most tables one document may have (a report has three to eight; a page that splits
/// every row into a table of its own has a few hundred).
pub const MAX_TABLES: usize = 2_000;

/// How a reader's diagnostic starts when a bound cut the document short: the document is
/// read, but not whole.
pub const LIMIT_PREFIX: &str = "limit: ";

/// Why a document could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    Empty,
    Binary,
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    /// The container or markup is broken (not a zip, truncated, not well-formed XML).
    Corrupt(String),
    /// A bound on what is read from outside was hit (zip bomb, nesting, size).
    LimitExceeded(String),
    /// A PDF that opens only with a password.
    Encrypted,
    /// A PDF whose pages hold no text at all: scanned images.
    NoTextLayer {
        pages: usize,
        images: usize,
    },
    /// Recognised, but no reader for it in this build.
    Unsupported {
        format: Format,
        hint: &'static str,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Empty => f.write_str("empty file"),
            ReadError::Binary => f.write_str("binary data: not a text, HTML, DOCX or PDF document"),
            ReadError::TooLarge { bytes, limit } => {
                write!(
                    f,
                    "document of {bytes} bytes exceeds the {limit}-byte limit"
                )
            }
            ReadError::Corrupt(why) => write!(f, "corrupt document: {why}"),
            ReadError::LimitExceeded(why) => write!(f, "limit exceeded: {why}"),
            ReadError::Encrypted => {
                f.write_str("encrypted PDF: it opens only with a password, which we do not have")
            }
            ReadError::NoTextLayer { pages, images } => write!(
                f,
                "no text layer (scanned): {pages} pages, {images} images and no text; OCR it first"
            ),
            ReadError::Unsupported { format, hint } => {
                write!(f, "{format} documents cannot be read in this setup: {hint}")
            }
        }
    }
}

impl std::error::Error for ReadError {}

/// Recognises the format from the bytes themselves.
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") {
        Format::Docx
    } else if bytes.starts_with(b"%PDF-") {
        Format::Pdf
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Format::LegacyOffice
    } else if looks_like_html(bytes) {
        Format::Html
    } else {
        Format::Text
    }
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    has(b"<!doctype html") || has(b"<html") || (has(b"<body") && has(b"</"))
}

/// Reads any supported document.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(ReadError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    let format = sniff(bytes);
    if matches!(format, Format::Text | Format::Html) && bytes.len() > MAX_MARKUP_BYTES {
        return Err(ReadError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_MARKUP_BYTES,
        });
    }
    let doc = read_format(format, bytes)?;
    let tables = doc.tables().count();
    if tables > MAX_TABLES {
        return Err(ReadError::LimitExceeded(format!(
            "{tables} tables in one document, more than {MAX_TABLES}"
        )));
    }
    Ok(doc)
}

fn read_format(format: Format, bytes: &[u8]) -> Result<Document, ReadError> {
    match format {
        Format::Text => {
            let decoded = decode_text(bytes)?;
            check_lines(&decoded.text)?;
            let mut doc = read_text(&decoded.text, decoded.encoding);
            if decoded.replaced > 0 {
                doc.diagnostics.push(format!(
                    "{} byte sequences could not be decoded as {} and were replaced",
                    decoded.replaced, decoded.encoding
                ));
            }
            Ok(doc)
        }
        Format::Html => read_html(bytes, None),
        Format::Docx => read_docx(bytes),
        #[cfg(feature = "pdf")]
        Format::Pdf => read_pdf(bytes),
        #[cfg(not(feature = "pdf"))]
        format @ Format::Pdf => Err(ReadError::Unsupported {
            format,
            hint: "build with the `pdf` feature",
        }),
        Format::LegacyOffice => read_legacy(bytes, find_soffice().as_deref()),
    }
}

/// Refuses a text of more than [`MAX_DOCUMENT_PARAGRAPHS`] lines (as `str::lines` counts
/// them) before they are read.
fn check_lines(text: &str) -> Result<(), ReadError> {
    let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let lines = breaks + usize::from(!text.is_empty() && !text.ends_with('\n'));
    if lines > MAX_DOCUMENT_PARAGRAPHS {
        return Err(ReadError::LimitExceeded(format!(
            "text has more than {MAX_DOCUMENT_PARAGRAPHS} lines"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_content() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Format::Docx);
        assert_eq!(sniff(b"%PDF-1.7"), Format::Pdf);
        assert_eq!(sniff(b"\n<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff("一、总体情况".as_bytes()), Format::Text);
    }

    #[test]
    fn unreadable_bytes_are_errors_with_a_reason() {
        assert_eq!(read(b"").unwrap_err(), ReadError::Empty);
        assert_eq!(
            read(&[0u8, 1, 2, 3, 4, 5, 6, 7]).unwrap_err(),
            ReadError::Binary
        );
        let err = read(b"%PDF-1.4 ...").unwrap_err();
        assert!(err.to_string().contains("PDF"), "{err}");
    }
}
