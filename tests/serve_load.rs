//! `trellis serve` under load, the real binary on loopback: 200
//! connections kept busy for 10 seconds get every answer right and the server
//! stays up; 50 saves of one file within a second end with the final content
//! served and no error.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{copy_dir, fixture, temp_dir};

const CONNECTIONS: usize = 200;
const LOAD: Duration = Duration::from_secs(10);
const WAIT: Duration = Duration::from_secs(90);

/// A running `trellis serve --port 0`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    output: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path, scratch: &Path) -> Server {
        let tmp = scratch.join("tmp");
        fs::create_dir_all(&tmp).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_trellis"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("TMPDIR", &tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start trellis serve");
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let sink = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut s = sink.lock().unwrap_or_else(|e| e.into_inner());
                    s.push_str(&line);
                    s.push('\n');
                }
            });
        }
        let mut server = Server {
            child,
            port: 0,
            output,
        };
        let start = Instant::now();
        server.port = loop {
            assert!(start.elapsed() < WAIT, "no port in:\n{}", server.text());
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("serve exited with {status}:\n{}", server.text());
            }
            let text = server.text();
            if let Some(port) = text
                .split("at http://127.0.0.1:")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .and_then(|p| p.parse().ok())
            {
                break port;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        server
    }

    fn text(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- trellis serve ---\n{}", self.text());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A kept-alive HTTP/1.1 connection.
struct Connection {
    reader: BufReader<TcpStream>,
    port: u16,
}

impl Connection {
    fn open(port: u16) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            reader: BufReader::new(stream),
            port,
        })
    }

    /// GET `target`: (status, body); `Err` when the connection broke.
    fn get(&mut self, target: &str) -> std::io::Result<(u16, Vec<u8>)> {
        write!(
            self.reader.get_mut(),
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (name, value) = l.split_once(':').unwrap_or((l, ""));
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
            if name.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked") {
                chunked = true;
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim(), 16).map_err(std::io::Error::other)?;
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else {
            body.resize(length.unwrap_or(0), 0);
            self.reader.read_exact(&mut body)?;
        }
        Ok((status, body))
    }
}

fn handbook(test: &str) -> (PathBuf, PathBuf) {
    let scratch = temp_dir(test);
    let root = scratch.join("hb");
    copy_dir(&fixture("basic"), &root);
    let _ = fs::remove_dir_all(root.join("public"));
    (scratch, root)
}

#[test]
fn two_hundred_connections_for_ten_seconds_get_every_answer_right() {
    let (scratch, root) = handbook("serve-load");
    let mut server = Server::start(&root, &scratch);
    let port = server.port;
    // What each path must answer, taken once before the load.
    let targets = [
        "/",
        "/first-part/an-article/",
        "/first-part/an-article/index.html",
        "/nested/inner/deep/index.html",
        "/static/trellis.css",
        "/first-part/figures/leaf.svg",
        "/sitemap.xml",
        "/no/such/page/",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/__trellis/live-reload.js",
    ];
    let mut first = Connection::open(port).unwrap();
    let expected: Vec<(u16, Vec<u8>)> = targets.iter().map(|t| first.get(t).unwrap()).collect();
    assert_eq!(expected[0].0, 200);
    assert_eq!(expected[1].0, 200);
    assert!(String::from_utf8_lossy(&expected[1].1).contains("An article"));
    assert_eq!(expected[7].0, 404);
    assert!(
        matches!(expected[8].0, 400 | 403 | 404),
        "{}",
        expected[8].0
    );
    let expected = Arc::new(expected);

    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let reconnects = Arc::new(AtomicUsize::new(0));
    let wrong = Arc::new(Mutex::new(Vec::<String>::new()));
    let threads: Vec<_> = (0..CONNECTIONS)
        .map(|n| {
            let (stop, answered, reconnects, wrong, expected) = (
                Arc::clone(&stop),
                Arc::clone(&answered),
                Arc::clone(&reconnects),
                Arc::clone(&wrong),
                Arc::clone(&expected),
            );
            std::thread::spawn(move || {
                let mut conn = Connection::open(port).expect("connect");
                let mut i = n;
                while !stop.load(Ordering::Relaxed) {
                    let t = i % targets.len();
                    i += 1;
                    match conn.get(targets[t]) {
                        Ok(reply) if reply == expected[t] => {
                            answered.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok((status, body)) => wrong.lock().unwrap().push(format!(
                            "{}: status {status}, {} bytes (expected {}, {} bytes)",
                            targets[t],
                            body.len(),
                            expected[t].0,
                            expected[t].1.len()
                        )),
                        Err(_) => {
                            // The server may close a kept-alive connection; open another.
                            reconnects.fetch_add(1, Ordering::Relaxed);
                            conn = Connection::open(port).expect("reconnect");
                        }
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(LOAD);
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().expect("a client thread failed");
    }
    let wrong = wrong.lock().unwrap();
    assert!(
        wrong.is_empty(),
        "{} wrong answers, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
    let answered = answered.load(Ordering::Relaxed);
    let reconnects = reconnects.load(Ordering::Relaxed);
    println!(
        "{CONNECTIONS} connections, {LOAD:?}: {answered} answers, all right ({:.0}/s), {reconnects} reconnects",
        answered as f64 / LOAD.as_secs_f64()
    );
    assert!(answered >= CONNECTIONS, "only {answered} answers");
    assert!(
        reconnects <= answered / 10,
        "{reconnects} reconnects for {answered} answers"
    );
    assert!(server.alive(), "the server stopped:\n{}", server.text());
    let mut after = Connection::open(port).unwrap();
    assert_eq!(after.get("/").unwrap(), (*expected)[0]);
}

#[test]
fn fifty_saves_in_a_second_end_with_the_final_content() {
    let (scratch, root) = handbook("serve-saves");
    let server = Server::start(&root, &scratch);
    let article = root.join("content/loose.md");
    let original = fs::read_to_string(&article).unwrap();
    let (front, _) = original.split_at(original.find("\n---\n").unwrap() + 5);
    let start = Instant::now();
    for n in 0..50 {
        fs::write(&article, format!("{front}Save number {n} of fifty.\n")).unwrap();
        std::thread::sleep(Duration::from_millis(18));
    }
    // How fast the saves came is printed, not asserted: on a busy machine
    // they come slower, and the test still holds.
    println!("50 saves in {:?}", start.elapsed());
    let mut conn = Connection::open(server.port).unwrap();
    let page = |conn: &mut Connection| {
        let (status, body) = conn.get("/loose/").unwrap();
        assert_eq!(status, 200);
        String::from_utf8(body).unwrap()
    };
    let until = Instant::now() + WAIT;
    while !page(&mut conn).contains("Save number 49 of fifty.") {
        assert!(
            Instant::now() < until,
            "the final save never showed:\n{}",
            page(&mut conn)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // No later build of an older save replaces it.
    std::thread::sleep(Duration::from_secs(2));
    let html = page(&mut conn);
    assert!(html.contains("Save number 49 of fifty."), "{html}");
    assert_eq!(html.matches("Save number").count(), 1, "{html}");
    let (status, body) = conn.get("/__trellis/status").unwrap();
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(json["error"].is_null(), "{json}");
}
