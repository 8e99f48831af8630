//! One HTTP exchange at a time, bounded: timeouts, a body-size cap, no automatic
//! redirects (the crawler schedules a redirect's follow-up like any other request), and
//! the answer classified: content, not modified, redirect, retryable, failed, blocked.

use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use reqwest::header::{self, HeaderMap};
use url::Url;

use crate::discover::{challenge, soft_404};

/// What the fetch layer needs to know.
#[derive(Clone, Debug)]
pub struct FetchConfig {
    pub user_agent: String,
    pub connect_timeout: Duration,
    /// The whole exchange, body included.
    pub timeout: Duration,
    pub max_body_bytes: u64,
}

impl Default for FetchConfig {
    fn default() -> FetchConfig {
        FetchConfig {
            user_agent: format!(
                "nianbao/{} (annual-report research crawler; polite: robots.txt, one request at a time per host)",
                env!("CARGO_PKG_VERSION")
            ),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 32 * 1024 * 1024,
        }
    }
}

pub fn client(config: &FetchConfig) -> Result<Client, reqwest::Error> {
    Client::builder()
        .user_agent(config.user_agent.clone())
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .gzip(true)
        .build()
}

/// A form a listing is asked for with POST (Hanweb's `dataproxy.jsp`), and the page that
/// must be named as Referer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub fields: Vec<(String, String)>,
    pub referer: String,
}

/// Validators from an earlier fetch, for a conditional request.
#[derive(Clone, Debug, Default)]
pub struct Validators {
    pub etag: String,
    pub last_modified: String,
}

#[derive(Debug)]
pub struct Content {
    pub status: u16,
    pub body: Vec<u8>,
    pub content_type: String,
    pub charset: String,
    pub etag: String,
    pub last_modified: String,
    /// The file name a `Content-Disposition` header gives (a download link's file).
    pub filename: String,
}

#[derive(Debug)]
pub enum Answer {
    Content(Content),
    NotModified {
        status: u16,
    },
    Redirect {
        status: u16,
        location: Url,
    },
    /// Worth asking again later (timeouts, resets, 429, 5xx), after `retry_after` if the
    /// server said so. `status` is `None` when no HTTP answer came at all.
    Retry {
        status: Option<u16>,
        reason: String,
        retry_after: Option<Duration>,
    },
    Failed {
        status: Option<u16>,
        reason: String,
    },
    Blocked {
        status: u16,
        reason: String,
    },
}

impl Answer {
    /// Why no HTTP answer came at all, if none did: a timeout before the headers, a
    /// connection refused, reset or closed. (A TLS failure is refused at once, not this.)
    pub fn unanswered(&self) -> Option<&str> {
        match self {
            Answer::Retry {
                status: None,
                reason,
                ..
            } => Some(reason),
            _ => None,
        }
    }
}

/// Performs one GET (or, for a form, one POST).
pub fn fetch(
    client: &Client,
    url: &Url,
    form: Option<&Form>,
    validators: Option<&Validators>,
    config: &FetchConfig,
) -> Answer {
    let mut request = match form {
        None => client.get(url.clone()),
        Some(form) => {
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form.fields.iter())
                .finish();
            client
                .post(url.clone())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::REFERER, form.referer.as_str())
                .body(body)
        }
    };
    if let Some(v) = validators {
        if !v.etag.is_empty() {
            request = request.header(header::IF_NONE_MATCH, v.etag.as_str());
        }
        if !v.last_modified.is_empty() {
            request = request.header(header::IF_MODIFIED_SINCE, v.last_modified.as_str());
        }
    }
    let started = Instant::now();
    let response = match request.send() {
        Ok(r) => r,
        Err(e) => return network_error(&e),
    };
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    if (300..400).contains(&status) && status != 304 {
        let Some(location) = header_str(&headers, header::LOCATION) else {
            return Answer::Failed {
                status: Some(status),
                reason: format!("HTTP {status} redirect without a Location"),
            };
        };
        return match url.join(&location) {
            Ok(location) => Answer::Redirect { status, location },
            Err(e) => Answer::Failed {
                status: Some(status),
                reason: format!("HTTP {status} redirect to an invalid Location {location:?}: {e}"),
            },
        };
    }
    if status == 304 {
        return Answer::NotModified { status };
    }
    if let Some(length) = response.content_length() {
        if length > config.max_body_bytes {
            return Answer::Failed {
                status: Some(status),
                reason: format!(
                    "body of {length} bytes exceeds the {}-byte cap",
                    config.max_body_bytes
                ),
            };
        }
    }
    let body = match read_body(response, started, config) {
        Ok(body) => body,
        Err(reason) => {
            return Answer::Retry {
                status: Some(status),
                reason,
                retry_after: None,
            }
        }
    };
    if body.len() as u64 > config.max_body_bytes {
        return Answer::Failed {
            status: Some(status),
            reason: format!("body exceeds the {}-byte cap", config.max_body_bytes),
        };
    }
    if let Some(reason) = challenge(status, &body) {
        return Answer::Blocked {
            status,
            reason: reason.to_string(),
        };
    }
    if status == 429 || (500..600).contains(&status) {
        return Answer::Retry {
            status: Some(status),
            reason: format!("HTTP {status}"),
            retry_after: header_str(&headers, header::RETRY_AFTER).and_then(|v| retry_after(&v)),
        };
    }
    if !(200..300).contains(&status) {
        return Answer::Failed {
            status: Some(status),
            reason: format!("HTTP {status}"),
        };
    }
    if soft_404(&body) {
        return Answer::Failed {
            status: Some(status),
            reason: "soft_404: the page says it does not exist".into(),
        };
    }
    let content_type = header_str(&headers, header::CONTENT_TYPE).unwrap_or_default();
    let charset = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .next()
        .unwrap_or("")
        .trim_matches('"')
        .to_string();
    Answer::Content(Content {
        status,
        body,
        content_type,
        charset,
        etag: header_str(&headers, header::ETAG).unwrap_or_default(),
        last_modified: header_str(&headers, header::LAST_MODIFIED).unwrap_or_default(),
        filename: headers
            .get(header::CONTENT_DISPOSITION)
            .map(|v| disposition_filename(&String::from_utf8_lossy(v.as_bytes())))
            .unwrap_or_default(),
    })
}

/// The file name of `attachment; filename="a.docx"` or `filename*=UTF-8''%E5%B9%B4.pdf`.
fn disposition_filename(value: &str) -> String {
    let field = |name: &str| {
        value.split(';').find_map(|part| {
            let (key, v) = part.trim().split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().trim_matches('"').to_string())
        })
    };
    if let Some(extended) = field("filename*") {
        let encoded = extended.rsplit('\'').next().unwrap_or(&extended);
        let decoded: String = url::form_urlencoded::parse(format!("f={encoded}").as_bytes())
            .map(|(_, v)| v.into_owned())
            .collect();
        return decoded;
    }
    field("filename").unwrap_or_default()
}

/// Reads the body up to one byte past the cap, within the exchange's time limit: the
/// client's timeout bounds each read, not the whole body, so a server dripping a byte at a
/// time is stopped here.
fn read_body(
    mut response: reqwest::blocking::Response,
    started: Instant,
    config: &FetchConfig,
) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if started.elapsed() > config.timeout {
            return Err(format!(
                "timed out: the body was not complete after {} s (a slow drip?)",
                config.timeout.as_secs_f64()
            ));
        }
        let room = (config.max_body_bytes + 1).saturating_sub(body.len() as u64);
        if room == 0 {
            return Ok(body);
        }
        let want = chunk.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        match response.read(&mut chunk[..want]) {
            Ok(0) => return Ok(body),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("connection broke while reading the body: {e}")),
        }
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    if let Ok(seconds) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value.trim()).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

fn network_error(e: &reqwest::Error) -> Answer {
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        source = s.source();
    }
    let lower = detail.to_ascii_lowercase();
    if lower.contains("tls") || lower.contains("certificate") || lower.contains("handshake") {
        return Answer::Failed {
            status: None,
            reason: format!(
                "tls_error: {detail} (the server may speak only TLS 1.0/1.1, which is refused, or present a bad certificate)"
            ),
        };
    }
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect_error"
    } else {
        "network_error"
    };
    Answer::Retry {
        status: None,
        reason: format!("{kind}: {detail}"),
        retry_after: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_of_downloads() {
        assert_eq!(
            disposition_filename("attachment; filename=\"a.docx\""),
            "a.docx"
        );
        assert_eq!(
            disposition_filename("attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.wps"),
            "年报.wps"
        );
        assert_eq!(disposition_filename("inline"), "");
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }
}
