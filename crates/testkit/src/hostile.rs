//! A hostile web server on 127.0.0.1, written on raw TCP so that it can break HTTP the
//! ways real servers do: a body that never ends, a slow drip, a gzip bomb, redirect
//! loops, redirects to other hosts and to internal addresses, absurd headers, a short
//! body under a long Content-Length, a connection dropped mid-body, bytes that are not
//! the charset they claim. Its home page lists each case as a report link, next to one
//! good report, so a crawl from `/` meets them all.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// The hostile cases, by path, with what each does.
pub mod cases {
    pub const GOOD: &str = "/good.html";
    /// 200 with no length, and bytes until the client gives up.
    pub const ENDLESS: &str = "/endless.html";
    /// One byte every 200 ms of a 10,000-byte body.
    pub const DRIP: &str = "/drip.html";
    /// `Content-Encoding: gzip` inflating to 64 MiB of zeros.
    pub const GZIP_BOMB: &str = "/gzip-bomb.html";
    /// 302 to itself by way of a second page, for ever.
    pub const LOOP: &str = "/loop.html";
    /// 302 to a host the crawl was not told of.
    pub const ELSEWHERE: &str = "/elsewhere.html";
    /// 302 to another port of the loopback address (an internal service).
    pub const LOOPBACK: &str = "/loopback.html";
    /// 302 to the cloud metadata address (a private, link-local host).
    pub const METADATA: &str = "/metadata.html";
    /// A response header of a megabyte.
    pub const HUGE_HEADER: &str = "/huge-header.html";
    /// `Content-Length: 10000` and 100 bytes, then the connection closes.
    pub const SHORT_BODY: &str = "/short.html";
    /// Half the body, then the connection is shut down.
    pub const DROPPED: &str = "/dropped.html";
    /// `charset=utf-8` over bytes that are GBK with invalid sequences mixed in.
    pub const BAD_BYTES: &str = "/bad-bytes.html";

    pub const ALL: [&str; 12] = [
        GOOD,
        ENDLESS,
        DRIP,
        GZIP_BOMB,
        LOOP,
        ELSEWHERE,
        LOOPBACK,
        METADATA,
        HUGE_HEADER,
        SHORT_BODY,
        DROPPED,
        BAD_BYTES,
    ];
}

pub struct HostileSite {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl HostileSite {
    pub fn start() -> std::io::Result<HostileSite> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let bomb = Arc::new(gzip_bomb());
        let flag = stop.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (bomb, flag) = (bomb.clone(), flag.clone());
                thread::spawn(move || {
                    let _ = serve(stream, port, &bomb, &flag);
                });
            }
        });
        Ok(HostileSite { port, stop })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for HostileSite {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn gzip_bomb() -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..64 {
        let _ = encoder.write_all(&zeros);
    }
    encoder.finish().unwrap_or_default()
}

fn home() -> String {
    let links: String = cases::ALL
        .iter()
        .enumerate()
        .map(|(i, path)| {
            format!(
                "<li><a href=\"{path}\">第{i}镇2024年政府信息公开工作年度报告</a><span>2025-01-1{}</span></li>",
                i % 10
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>政府信息公开年报</title></head>\
         <body><ul>{links}</ul></body></html>"
    )
}

const GOOD_PAGE: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
    <title>第0镇2024年政府信息公开工作年度报告</title></head><body><div class=\"TRS_Editor\">\
    <p>第0镇2024年政府信息公开工作年度报告</p><p>一、总体情况</p></div></body></html>";

fn sized_body(path: &str) -> Option<(usize, bool)> {
    let (with_length, n) = match path.strip_prefix("/bytes/") {
        Some(n) => (true, n),
        None => (false, path.strip_prefix("/stream/")?),
    };
    Some((n.parse().ok().filter(|n| *n <= 64 << 20)?, with_length))
}

fn serve(mut stream: TcpStream, port: u16, bomb: &[u8], stop: &AtomicBool) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // The rest of the request head.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let html = "Content-Type: text/html; charset=utf-8";
    let head = |status: &str, headers: &str| {
        format!("HTTP/1.1 {status}\r\n{headers}Connection: close\r\n\r\n")
    };
    let redirect = |to: &str| head("302 Found", &format!("Location: {to}\r\n"));
    match path.as_str() {
        "/" => {
            let body = home();
            write!(
                stream,
                "{}{body}",
                head(
                    "200 OK",
                    &format!("{html}\r\nContent-Length: {}\r\n", body.len())
                )
            )?;
        }
        "/robots.txt" => write!(stream, "{}", head("404 Not Found", "Content-Length: 0\r\n"))?,
        cases::GOOD => write!(
            stream,
            "{}{GOOD_PAGE}",
            head(
                "200 OK",
                &format!("{html}\r\nContent-Length: {}\r\n", GOOD_PAGE.len())
            )
        )?,
        cases::ENDLESS => {
            write!(stream, "{}", head("200 OK", &format!("{html}\r\n")))?;
            let chunk = vec![b'a'; 64 * 1024];
            while !stop.load(Ordering::Relaxed) {
                stream.write_all(&chunk)?; // ends when the client hangs up
            }
        }
        cases::DRIP => {
            write!(
                stream,
                "{}",
                head("200 OK", &format!("{html}\r\nContent-Length: 10000\r\n"))
            )?;
            for _ in 0..10_000 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                stream.write_all(b"x")?;
                stream.flush()?;
                thread::sleep(Duration::from_millis(200));
            }
        }
        cases::GZIP_BOMB => {
            write!(
                stream,
                "{}",
                head(
                    "200 OK",
                    &format!(
                        "{html}\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n",
                        bomb.len()
                    )
                )
            )?;
            stream.write_all(bomb)?;
        }
        cases::LOOP => write!(stream, "{}", redirect("/loop-again.html"))?,
        "/loop-again.html" => write!(stream, "{}", redirect(cases::LOOP))?,
        cases::ELSEWHERE => write!(stream, "{}", redirect("http://attacker.example/collect"))?,
        cases::LOOPBACK => write!(
            stream,
            "{}",
            redirect(&format!(
                "http://127.0.0.1:{}/admin",
                port.wrapping_add(1).max(1)
            ))
        )?,
        cases::METADATA => write!(
            stream,
            "{}",
            redirect("http://169.254.169.254/latest/meta-data/")
        )?,
        cases::HUGE_HEADER => {
            let huge = "x".repeat(1024 * 1024);
            write!(
                stream,
                "{}",
                head(
                    "200 OK",
                    &format!("{html}\r\nX-Padding: {huge}\r\nContent-Length: 2\r\n")
                )
            )?;
            stream.write_all(b"ok")?;
        }
        cases::SHORT_BODY => {
            write!(
                stream,
                "{}",
                head("200 OK", &format!("{html}\r\nContent-Length: 10000\r\n"))
            )?;
            stream.write_all(&[b'y'; 100])?;
        }
        cases::DROPPED => {
            write!(
                stream,
                "{}",
                head("200 OK", &format!("{html}\r\nContent-Length: 4000\r\n"))
            )?;
            stream.write_all(&[b'z'; 2000])?;
            stream.flush()?;
            stream.shutdown(std::net::Shutdown::Both)?;
        }
        cases::BAD_BYTES => {
            let (gbk, _, _) = encoding_rs::GBK.encode(GOOD_PAGE);
            let mut body = gbk.into_owned();
            body.extend_from_slice(&[0xFF, 0xFE, 0x80, 0xC3, 0x28]);
            write!(
                stream,
                "{}",
                head(
                    "200 OK",
                    &format!("{html}\r\nContent-Length: {}\r\n", body.len())
                )
            )?;
            stream.write_all(&body)?;
        }
        // `/hop/N`: N redirects, then a page.
        other if other.starts_with("/hop/") => match other[5..].parse::<u32>() {
            Ok(0) => write!(
                stream,
                "{}{GOOD_PAGE}",
                head(
                    "200 OK",
                    &format!("{html}\r\nContent-Length: {}\r\n", GOOD_PAGE.len())
                )
            )?,
            Ok(n) => write!(stream, "{}", redirect(&format!("/hop/{}", n - 1)))?,
            Err(_) => write!(stream, "{}", head("404 Not Found", "Content-Length: 0\r\n"))?,
        },
        other => match sized_body(other) {
            // `/bytes/N`: N bytes with their length; `/stream/N`: N bytes, length unsaid.
            Some((n, with_length)) => {
                let length = if with_length {
                    format!("Content-Length: {n}\r\n")
                } else {
                    String::new()
                };
                write!(stream, "{}", head("200 OK", &format!("{html}\r\n{length}")))?;
                stream.write_all(&vec![b'a'; n])?;
            }
            None => write!(stream, "{}", head("404 Not Found", "Content-Length: 0\r\n"))?,
        },
    }
    stream.flush()
}
