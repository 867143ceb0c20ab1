//! Two tiny HTTP servers on 127.0.0.1, each on an ephemeral port, each on
//! plain threads so they work whatever async runtime a test uses:
//!
//! - [`StaticServer`] serves a built site the way a static host does
//!   (`dir/` serves `dir/index.html`, `dir` redirects to `dir/`, a missing
//!   file is a 404 with the site's `404.html`), and logs what it served.
//! - [`RecordingProxy`] is the browser's proxy: Chromium sends it every
//!   request for another host (it never proxies loopback, so the static
//!   server is reached directly). It records each request and refuses it,
//!   so nothing leaves the machine. Chromium's own background traffic
//!   (update checks, search-engine preconnects, sign-in) reaches it too,
//!   whatever the flags, so its log cannot tell which page asked for what:
//!   the pages' requests are judged from the DevTools network log instead
//!   ([`super::chrome::Browser::take_requests`]).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request a server answered.
#[derive(Clone, Debug)]
pub struct Served {
    pub method: String,
    /// The request target as sent: a path for the static server; for the
    /// proxy, `host:port` (CONNECT, i.e. https) or an absolute `http://` URL.
    pub target: String,
    pub status: u16,
}

type Log = Arc<Mutex<Vec<Served>>>;

fn take(log: &Log) -> Vec<Served> {
    std::mem::take(&mut *log.lock().unwrap_or_else(|e| e.into_inner()))
}

fn push(log: &Log, served: Served) {
    log.lock().unwrap_or_else(|e| e.into_inner()).push(served);
}

/// Read a request head (request line and headers). `None` on a closed or
/// malformed connection.
fn read_head(stream: &TcpStream) -> Option<(String, String)> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?.take(64 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    // Drain the headers; these servers need none of them.
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header.trim().is_empty() {
            break;
        }
    }
    Some((method, target))
}

fn spawn_listener(handler: impl Fn(TcpStream) + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let handler = Arc::clone(&handler);
            std::thread::spawn(move || handler(stream));
        }
    });
    port
}

pub struct StaticServer {
    port: u16,
    log: Log,
}

impl StaticServer {
    /// Serves `root` with `Content-Security-Policy: default-src 'self'`, the
    /// strict policy docs/themes.md promises generated sites work under.
    pub fn start(root: &Path) -> StaticServer {
        Self::start_with(root, true)
    }

    /// Serves `root` with no CSP: for the harness's own hand-made pages, whose
    /// outside requests must reach the recording proxy.
    pub fn start_without_csp(root: &Path) -> StaticServer {
        Self::start_with(root, false)
    }

    fn start_with(root: &Path, csp: bool) -> StaticServer {
        let log: Log = Arc::default();
        let root = root.to_path_buf();
        let handler_log = Arc::clone(&log);
        let port = spawn_listener(move |stream| serve(&root, stream, &handler_log, csp));
        StaticServer { port, log }
    }

    /// `http://127.0.0.1:PORT/`
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The URL of a path inside the served directory.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin(), path.trim_start_matches('/'))
    }

    /// What the server answered since the last call.
    pub fn take_log(&self) -> Vec<Served> {
        take(&self.log)
    }
}

fn serve(root: &Path, mut stream: TcpStream, log: &Log, csp: bool) {
    let Some((method, target)) = read_head(&stream) else {
        return;
    };
    let (status, headers, body) = respond(root, &method, &target);
    push(
        log,
        Served {
            method: method.clone(),
            target,
            status,
        },
    );
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n",
        body.len()
    );
    if csp {
        head.push_str("Content-Security-Policy: default-src 'self'\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
}

fn respond(root: &Path, method: &str, target: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    if method != "GET" && method != "HEAD" {
        return (405, vec![], vec![]);
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path);
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return not_found(root),
            s => file.push(s),
        }
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            return (301, vec![("Location".into(), format!("{path}/"))], vec![]);
        }
        file.push("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) => (
            200,
            vec![("Content-Type".into(), content_type(&file).into())],
            body,
        ),
        Err(_) => not_found(root),
    }
}

fn not_found(root: &Path) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let body = std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
    (
        404,
        vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
        body,
    )
}

fn content_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "webmanifest" => "application/manifest+json",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Decode `%XX` escapes (as UTF-8; invalid bytes become U+FFFD).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The browser's proxy: records and refuses every request it gets.
pub struct RecordingProxy {
    port: u16,
    log: Log,
}

impl RecordingProxy {
    pub fn start() -> RecordingProxy {
        let log: Log = Arc::default();
        let handler_log = Arc::clone(&log);
        let port = spawn_listener(move |mut stream| {
            let Some((method, target)) = read_head(&stream) else {
                return;
            };
            push(
                &handler_log,
                Served {
                    method,
                    target,
                    status: 403,
                },
            );
            let _ = stream.write_all(
                b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        });
        RecordingProxy { port, log }
    }

    /// For Chromium's `--proxy-server`.
    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The requests the browser sent to other hosts since the last call.
    pub fn take_log(&self) -> Vec<Served> {
        take(&self.log)
    }
}

/// The host a proxied request was for: `example.com` from
/// `example.com:443` (CONNECT) or from `http://example.com/x.js`.
pub fn proxied_host(target: &str) -> String {
    let rest = target.split_once("://").map_or(target, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6).to_string();
    }
    authority.split(':').next().unwrap_or(authority).to_string()
}

/// Where a built page lives, as an absolute `file://` URL.
pub fn file_url(path: &Path) -> String {
    let path: PathBuf = path
        .canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    url::Url::from_file_path(&path)
        .unwrap_or_else(|()| panic!("not an absolute path: {}", path.display()))
        .to_string()
}
