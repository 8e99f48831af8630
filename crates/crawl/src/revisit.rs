//! A revisit never replaces the last good version of a report or attachment with junk:
//! the rule for when a new answer is not taken as the URL's content.

use std::fmt;

use scraper::Html;

use crate::fetch::Content;
use crate::leads;
use crate::store::{Kind, Record};

/// Why a new answer for a URL whose last good version is a report or attachment is not
/// taken as its new version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// A file (PDF, DOCX, …) now answers with an HTML page.
    BecameHtml,
    /// The page read as a report (by its title or its sections) and no longer does: an
    /// error or maintenance page (系统维护中), or a page the crawler would not take.
    NoLongerAReport,
    /// Under a quarter of the last good version's size.
    Shrunk { bytes: u64, before: u64 },
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not taken as the new version: ")?;
        match self {
            Rejection::BecameHtml => f.write_str("the file now answers with an HTML page"),
            Rejection::NoLongerAReport => f.write_str("the page no longer reads as a report"),
            Rejection::Shrunk { bytes, before } => write!(
                f,
                "{bytes} bytes, under a quarter of the last good version's {before}"
            ),
        }
    }
}

/// Whether (and why) `now`, the answer to a URL whose last good version is `before`, is
/// not to be taken as the URL's content. Only a report or attachment is judged. A page is
/// judged against its last good version (`before_body`, when its bytes are intact): one
/// that never read as a report is not rejected for not reading as one now.
pub fn rejection(before: &Record, before_body: Option<&[u8]>, now: &Content) -> Option<Rejection> {
    if !matches!(before.kind, Some(Kind::Report | Kind::Attachment)) {
        return None;
    }
    let was_html = before.content_type.contains("html") || before.path.ends_with(".html");
    let is_html = looks_like_html(&now.content_type, &now.body);
    if !was_html && is_html {
        return Some(Rejection::BecameHtml);
    }
    let read_before = || before_body.is_some_and(|b| reads_as_report(b, &before.charset));
    if was_html && is_html && !reads_as_report(&now.body, &now.charset) && read_before() {
        return Some(Rejection::NoLongerAReport);
    }
    let bytes = now.body.len() as u64;
    match before.bytes {
        Some(before) if bytes.saturating_mul(4) < before => {
            Some(Rejection::Shrunk { bytes, before })
        }
        _ => None,
    }
}

/// An HTML page by its content type, or by its first bytes whatever the type claims (a
/// maintenance page served under a file's URL).
fn looks_like_html(content_type: &str, body: &[u8]) -> bool {
    if content_type.to_ascii_lowercase().contains("html") {
        return true;
    }
    let start = body
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(body)
        .trim_ascii_start();
    let head = String::from_utf8_lossy(&start[..start.len().min(64)]).to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// A page reads as a report when one of its titles is a report title or its text has the
/// sections of one — what the crawler itself takes as a report.
fn reads_as_report(body: &[u8], charset: &str) -> bool {
    let charset = Some(charset).filter(|c| !c.is_empty());
    let (decoded, _) = nianbao_read::decode_html(body, charset);
    let html = Html::parse_document(&decoded.text);
    if leads::names_report(&crate::discover::page_titles(&html)).is_some() {
        return true;
    }
    let text: String = html.root_element().text().collect();
    leads::reads_as_report(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str =
        "<html><head><title>北宫镇人民政府2023年政府信息公开工作年度报告</title></head>\
        <body><table><tr><td>收文</td><td>12</td></tr></table></body></html>";
    const MAINTENANCE: &str =
        "<html><head><title>提示</title></head><body><p>系统维护中，请稍后访问。</p></body></html>";

    fn before(kind: Kind, content_type: &str, path: &str, bytes: u64) -> Record {
        Record {
            kind: Some(kind),
            content_type: content_type.into(),
            path: path.into(),
            bytes: Some(bytes),
            ..Record::default()
        }
    }

    fn answer(content_type: &str, body: &[u8]) -> Content {
        Content {
            status: 200,
            body: body.to_vec(),
            content_type: content_type.into(),
            charset: String::new(),
            etag: String::new(),
            last_modified: String::new(),
            filename: String::new(),
        }
    }

    /// `body` padded with a comment to `len` bytes: a page as large as the report.
    fn padded(body: &str, len: usize) -> Vec<u8> {
        let pad = len.saturating_sub(body.len() + 7);
        format!("{body}<!--{}-->", " ".repeat(pad)).into_bytes()
    }

    #[test]
    fn a_maintenance_page_for_a_report_page_is_rejected() {
        let page = before(Kind::Report, "text/html", "objects/ab/x.html", 2000);
        let now = answer("text/html", &padded(MAINTENANCE, 2000));
        assert_eq!(
            rejection(&page, Some(REPORT.as_bytes()), &now),
            Some(Rejection::NoLongerAReport)
        );
        // Without the last good bytes to compare with, only its size could tell.
        assert_eq!(rejection(&page, None, &now), None);
        let tiny = answer("text/html", MAINTENANCE.as_bytes());
        assert!(matches!(
            rejection(&page, None, &tiny),
            Some(Rejection::Shrunk { before: 2000, .. })
        ));
    }

    #[test]
    fn a_file_that_became_html_or_shrank_is_rejected() {
        let file = before(
            Kind::Attachment,
            "application/pdf",
            "objects/ab/x.pdf",
            90_000,
        );
        let html = answer(
            "application/pdf",
            format!("\u{feff}  {MAINTENANCE}").as_bytes(),
        );
        assert_eq!(rejection(&file, None, &html), Some(Rejection::BecameHtml));
        let cut = answer("application/pdf", &[b'%'; 20_000]);
        assert_eq!(
            rejection(&file, None, &cut).map(|r| r.to_string()),
            Some(
                "not taken as the new version: 20000 bytes, under a quarter of the last good version's 90000"
                    .into()
            )
        );
        assert_eq!(
            rejection(&file, None, &answer("application/pdf", &[b'%'; 30_000])),
            None
        );
    }

    #[test]
    fn real_changes_and_pages_that_never_read_as_reports_are_taken() {
        let page = before(Kind::Report, "text/html", "objects/ab/x.html", 2000);
        let corrected = answer("text/html", &padded(&REPORT.replace("12", "13"), 2000));
        assert_eq!(rejection(&page, Some(REPORT.as_bytes()), &corrected), None);
        // A report page that only links its file never read as one: no reason now.
        let link_only = padded("<html><body><a href=\"a.pdf\">附件</a></body></html>", 2000);
        let relinked = answer("text/html", &padded(MAINTENANCE, 2000));
        assert_eq!(rejection(&page, Some(&link_only), &relinked), None);
        // Listings and other pages are not judged.
        let listing = before(Kind::Listing, "text/html", "objects/ab/x.html", 2000);
        let tiny = answer("text/html", MAINTENANCE.as_bytes());
        assert_eq!(rejection(&listing, Some(REPORT.as_bytes()), &tiny), None);
    }
}
