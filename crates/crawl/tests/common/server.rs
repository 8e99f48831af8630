//! A small HTTP/1.1 server on 127.0.0.1 that answers as a test scripts it, and logs every
//! request: for the trouble the fixture site does not make (a robots.txt that fails, a
//! server that accepts connections and never answers).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Asked {
    pub at: Instant,
    pub path: String,
    /// How many times this path was asked for, this request included.
    pub nth: usize,
}

/// How the server answers a request.
pub enum Reply {
    Answer {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// 301 to `location`.
    Redirect(String),
    /// Keeps the connection open and says nothing, until the client gives up.
    Silence,
}

impl Reply {
    pub fn html(body: &str) -> Reply {
        Reply::Answer {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn text(body: &str) -> Reply {
        Reply::Answer {
            status: 200,
            content_type: "text/plain",
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply::Answer {
            status,
            content_type: "text/html",
            body: format!("<html>{status}</html>").into_bytes(),
        }
    }
}

type Script = dyn Fn(&Asked) -> Reply + Send + Sync;

pub struct ScriptedServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Asked>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Longest a connection is served or held silent: the server stops by itself.
const CONNECTION_LIMIT: Duration = Duration::from_secs(60);

impl ScriptedServer {
    pub fn start(script: impl Fn(&Asked) -> Reply + Send + Sync + 'static) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let script: Arc<Script> = Arc::new(script);
        let thread = {
            let (log, stop) = (log.clone(), stop.clone());
            std::thread::spawn(move || accept(&listener, &script, &log, &stop))
        };
        ScriptedServer {
            addr,
            log,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request received so far, in order of arrival.
    pub fn asked(&self) -> Vec<Asked> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept(
    listener: &TcpListener,
    script: &Arc<Script>,
    log: &Arc<Mutex<Vec<Asked>>>,
    stop: &Arc<AtomicBool>,
) {
    let mut connections = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let (script, log, stop) = (script.clone(), log.clone(), stop.clone());
                connections.push(std::thread::spawn(move || {
                    serve(stream, &*script, &log, &stop);
                }));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    for c in connections {
        let _ = c.join();
    }
}

fn serve(mut stream: TcpStream, script: &Script, log: &Mutex<Vec<Asked>>, stop: &AtomicBool) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(20)));
    let opened = Instant::now();
    let Some(path) = read_request_path(&mut stream, stop, opened) else {
        return;
    };
    let asked = {
        let mut log = log.lock().unwrap();
        let nth = log.iter().filter(|a| a.path == path).count() + 1;
        let asked = Asked {
            at: Instant::now(),
            path,
            nth,
        };
        log.push(asked.clone());
        asked
    };
    match script(&asked) {
        Reply::Answer {
            status,
            content_type,
            body,
        } => {
            let head = format!(
                "HTTP/1.1 {status} Scripted\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Redirect(location) => {
            let head = format!(
                "HTTP/1.1 301 Moved\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
        }
        Reply::Silence => hold(&mut stream, stop, opened),
    }
}

/// The path of the request line, once the head has arrived.
fn read_request_path(stream: &mut TcpStream, stop: &AtomicBool, opened: Instant) -> Option<String> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if stop.load(Ordering::SeqCst) || opened.elapsed() > CONNECTION_LIMIT || head.len() > 65536
        {
            return None;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(_) => {}
        }
    }
    let text = String::from_utf8_lossy(&head);
    text.split_whitespace().nth(1).map(str::to_string)
}

/// Says nothing until the client closes the connection or the server stops.
fn hold(stream: &mut TcpStream, stop: &AtomicBool, opened: Instant) {
    let mut chunk = [0u8; 1024];
    while !stop.load(Ordering::SeqCst) && opened.elapsed() < CONNECTION_LIMIT {
        if let Ok(0) = stream.read(&mut chunk) {
            return;
        }
    }
}
