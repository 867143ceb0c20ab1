//! `trellis serve`, the real binary, over plain HTTP: it serves the site
//! with the live-reload script added (to what it sends, not to the built
//! files), rebuilds after an edit and says `reload` on its events stream,
//! reports a broken file (terminal, status endpoint, `build-error` event)
//! while the last good page stays served, clears it after the fix, follows
//! new, renamed and deleted files, refuses path traversal, and explains a
//! port in use; a handbook in two languages is previewed in both, a
//! translation's and a source's edits reaching the pages that show them.
//! Every wait is bounded; the server is killed at the end.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{copy_dir, fixture, temp_dir};

/// Long enough for a debug build on a busy machine; a working server needs
/// a second or two.
const WAIT: Duration = Duration::from_secs(90);

/// Text a background thread keeps appending to.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<String>>);

impl Captured {
    fn text(&self) -> String {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn follow(&self, from: impl Read + Send + 'static) {
        let sink = self.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(from);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                sink.0
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_str(&line);
                line.clear();
            }
        });
    }
}

/// Polls `check` until it gives a value or `WAIT` runs out.
fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(
            start.elapsed() < WAIT,
            "gave up after {WAIT:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A running `trellis serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    stdout: Captured,
    stderr: Captured,
    /// What the server gets as TMPDIR (its preview folder goes there).
    tmp: PathBuf,
}

impl Server {
    /// Serves the handbook at `root`, run inside it (as authors do) or
    /// from elsewhere with `--root`.
    fn start(root: &Path, scratch: &Path, inside: bool) -> Server {
        let tmp = scratch.join("tmp");
        fs::create_dir_all(&tmp).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_trellis"));
        command.args(["serve", "--port", "0"]);
        if inside {
            command.current_dir(root);
        } else {
            command.arg("--root").arg(root).current_dir(scratch);
        }
        let mut child = command
            .env("TMPDIR", &tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start trellis serve");
        let stdout = Captured::default();
        let stderr = Captured::default();
        stdout.follow(child.stdout.take().unwrap());
        stderr.follow(child.stderr.take().unwrap());
        let mut server = Server {
            child,
            port: 0,
            stdout,
            stderr,
            tmp,
        };
        server.port = wait_for("the server to say where it listens", || {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "trellis serve exited with {status}:\n{}{}",
                    server.stdout.text(),
                    server.stderr.text()
                );
            }
            let out = server.stdout.text();
            let rest = out.split("at http://127.0.0.1:").nth(1)?;
            rest.split('/').next()?.parse().ok()
        });
        server
    }

    fn get(&self, target: &str) -> Reply {
        request(self.port, "GET", target)
    }

    /// The status endpoint's `error`, `None` while the build is good.
    fn error(&self) -> Option<String> {
        let reply = self.get("/__trellis/status");
        assert_eq!(reply.status, 200, "{}", reply.body);
        let json: serde_json::Value = serde_json::from_str(&reply.body).expect("status JSON");
        json["error"].as_str().map(str::to_string)
    }

    /// The preview folder the server built into.
    fn site_dir(&self) -> PathBuf {
        let dirs: Vec<PathBuf> = fs::read_dir(&self.tmp)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("trellis-serve-"))
            })
            .collect();
        assert_eq!(
            dirs.len(),
            1,
            "one preview folder in {}",
            self.tmp.display()
        );
        dirs[0].clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "--- trellis serve, stdout ---\n{}--- stderr ---\n{}",
                self.stdout.text(),
                self.stderr.text()
            );
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// One HTTP/1.0 request with `target` sent exactly as given.
fn request(port: u16, method: &str, target: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the reply");
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// An open `/__trellis/events` stream, read in the background.
fn events(port: u16) -> Captured {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET /__trellis/events HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let captured = Captured::default();
    captured.follow(stream);
    captured
}

fn files_under(dir: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

fn handbook(test: &str) -> (PathBuf, PathBuf) {
    let scratch = temp_dir(test);
    let root = scratch.join("hb");
    copy_dir(&fixture("basic"), &root);
    let _ = fs::remove_dir_all(root.join("public"));
    (scratch, root)
}

#[test]
fn serve_rebuilds_reloads_and_reports_errors() {
    let (scratch, root) = handbook("serve-edit");
    let sources_before = files_under(&root);
    let server = Server::start(&root, &scratch, true);

    // The page, with the script added as it is sent…
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("cache-control").as_deref(), Some("no-store"));
    assert!(
        home.body.contains(
            r#"<script src="/__trellis/live-reload.js?generation=1" defer></script></head>"#
        ),
        "{}",
        home.body
    );
    // …but not in the built site, which is Trellis's own folder outside the handbook.
    let site = server.site_dir();
    assert!(site.join(".trellis-output").is_file());
    let built = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(built.contains("</head>") && !built.contains("__trellis"));
    let script = server.get("/__trellis/live-reload.js");
    assert_eq!(script.status, 200);
    assert!(script
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    assert!(script.body.contains("EventSource('/__trellis/events')"));
    let moved = server.get("/first-part");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location").as_deref(), Some("/first-part/"));

    let stream = events(server.port);
    wait_for("the hello event", || {
        stream.text().contains("event: hello").then_some(())
    });

    // An edit: the new text is served, tabs are told to reload, and only
    // the pages that show that article were rendered again.
    let article = root.join("content/01-first-part/01-an-article.md");
    let original = fs::read_to_string(&article).unwrap();
    let edited = original.replace(
        "Intro paragraph",
        "A sentence added while serving. Intro paragraph",
    );
    fs::write(&article, &edited).unwrap();
    wait_for("the edited article to be served", || {
        let page = server.get("/first-part/an-article/");
        (page.status == 200 && page.body.contains("A sentence added while serving.")).then_some(())
    });
    wait_for("a reload event", || {
        stream.text().contains("event: reload").then_some(())
    });
    // A quick edit: the reload names the one page it changed, so tabs on
    // other pages stay as they are …
    wait_for("the reload naming the article's page", || {
        stream
            .text()
            .contains(r#""pages":["/first-part/an-article/"]"#)
            .then_some(())
    });
    // … and the print page, which holds every article, follows.
    wait_for("the print page brought up to date", || {
        let out = server.stdout.text();
        out.contains("print page, search and glossary up to date in")
            .then_some(())
    });
    assert!(server
        .get("/print/")
        .body
        .contains("A sentence added while serving."));
    let line = wait_for("the rebuild line", || {
        let out = server.stdout.text();
        out.lines()
            .find(|l| l.contains("01-an-article.md changed: rebuilt in"))
            .map(str::to_string)
    });
    let counts: Vec<usize> = line
        .split(['(', ' '])
        .filter_map(|w| w.parse().ok())
        .collect();
    // "… rebuilt in T ms (R of P pages rendered, …"
    let (rendered, pages) = (counts[1], counts[2]);
    assert!(
        rendered >= 1 && rendered * 2 < pages,
        "one article's edit rendered {rendered} of {pages} pages: {line}"
    );

    // A broken file: reported in the terminal, on the status endpoint and
    // the events stream; the last good page stays served.
    fs::write(
        &article,
        edited.replace(
            "Intro paragraph",
            "See [a page](no-such-page.md). Intro paragraph",
        ),
    )
    .unwrap();
    let error = wait_for("the build error", || server.error());
    assert!(
        error.contains("01-an-article.md") && error.contains("no-such-page.md"),
        "{error}"
    );
    wait_for("a build-error event", || {
        stream.text().contains("event: build-error").then_some(())
    });
    wait_for("the error in the terminal", || {
        server
            .stderr
            .text()
            .contains("still serving the last good site")
            .then_some(())
    });
    assert!(server.stderr.text().contains("no-such-page.md"));
    let page = server.get("/first-part/an-article/");
    assert!(page.body.contains("A sentence added while serving."));

    // Fixed: the error clears, the page is new, tabs reload again.
    fs::write(
        &article,
        original.replace("Intro paragraph", "Fixed. Intro paragraph"),
    )
    .unwrap();
    wait_for("the error to clear", || {
        server.error().is_none().then_some(())
    });
    assert!(server
        .get("/first-part/an-article/")
        .body
        .contains("Fixed. Intro paragraph"));
    wait_for("a second reload event", || {
        (stream.text().matches("event: reload").count() >= 2).then_some(())
    });

    // New, renamed and deleted files.
    let new = root.join("content/01-first-part/04-new-one.md");
    fs::write(
        &new,
        "---\ntitle: A new one\nsummary: Made while serving.\n---\n\nBrand new.\n",
    )
    .unwrap();
    wait_for("the new article", || {
        let page = server.get("/first-part/new-one/");
        (page.status == 200 && page.body.contains("Brand new.")).then_some(())
    });
    let renamed = root.join("content/01-first-part/05-renamed.md");
    fs::rename(&new, &renamed).unwrap();
    wait_for("the renamed article", || {
        (server.get("/first-part/renamed/").status == 200).then_some(())
    });
    let gone = server.get("/first-part/new-one/");
    assert_eq!(gone.status, 404, "the old name is gone");
    assert!(
        gone.body.contains("/__trellis/live-reload.js"),
        "404 pages reload too"
    );
    assert!(!site.join("first-part/new-one").exists());
    fs::remove_file(&renamed).unwrap();
    wait_for("the deleted article to go", || {
        (server.get("/first-part/renamed/").status == 404).then_some(())
    });

    // Serve wrote nothing into the handbook.
    assert_eq!(files_under(&root), sources_before);
    assert_eq!(
        fs::read_to_string(&article).unwrap(),
        original.replace("Intro paragraph", "Fixed. Intro paragraph")
    );
    drop(server);
    let _ = fs::remove_dir_all(&scratch);
}

/// Saves `file` with `from` replaced by `to`, which it must hold.
fn replace_in(file: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{} must hold {from:?}", file.display());
    fs::write(file, text.replace(from, to)).unwrap();
}

/// The basic fixture with Spanish declared and its second article translated.
fn two_language_handbook(test: &str) -> (PathBuf, PathBuf) {
    let (scratch, root) = handbook(test);
    let config = root.join("handbook.yaml");
    let mut yaml = fs::read_to_string(&config).unwrap();
    yaml.push_str("languages:\n  es:\n    title: Manual básico\n");
    fs::write(&config, yaml).unwrap();
    fs::write(
        root.join("content/01-first-part/02-second.es.md"),
        "---\ntitle: Segundo artículo\nsummary: El segundo artículo.\n---\n\
         ## Próximos pasos {#next-steps}\n\n\
         Texto traducido. Volver a [el primero](01-an-article.md#repair).\n",
    )
    .unwrap();
    (scratch, root)
}

#[test]
fn serve_previews_every_language_and_follows_translations() {
    let (scratch, root) = two_language_handbook("serve-languages");
    let server = Server::start(&root, &scratch, false);

    // Both languages from the start: the Spanish home, a translated
    // article, and one not yet translated (the source's text, with the notice).
    let home = server.get("/es/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains(r#"<html lang="es""#), "{}", home.body);
    assert!(home.body.contains("Manual básico"));
    assert!(home.body.contains("/__trellis/live-reload.js"));
    let translated = server.get("/es/first-part/second/");
    assert_eq!(translated.status, 200);
    assert!(
        translated.body.contains("Texto traducido."),
        "{}",
        translated.body
    );
    let fallback = server.get("/es/first-part/an-article/");
    assert_eq!(fallback.status, 200);
    assert!(fallback.body.contains("Esta página aún no está traducida."));
    assert!(fallback.body.contains("Intro paragraph"));
    assert!(server.get("/first-part/second/").body.contains("Back to"));

    let stream = events(server.port);
    wait_for("the hello event", || {
        stream.text().contains("event: hello").then_some(())
    });

    // The translation saved: its Spanish page changes, and the reload names it.
    let translation = root.join("content/01-first-part/02-second.es.md");
    replace_in(
        &translation,
        "Texto traducido.",
        "Texto traducido de nuevo.",
    );
    wait_for("the edited translation to be served", || {
        let page = server.get("/es/first-part/second/");
        page.body
            .contains("Texto traducido de nuevo.")
            .then_some(())
    });
    wait_for("the reload naming the Spanish page", || {
        stream
            .text()
            .contains(r#""pages":["/es/first-part/second/"]"#)
            .then_some(())
    });
    // The English page is the source's still.
    let english = server.get("/first-part/second/");
    assert!(english.body.contains("Back to") && !english.body.contains("Texto traducido"));

    // The source of a page Spanish has not translated: both languages show the edit …
    let article = root.join("content/01-first-part/01-an-article.md");
    replace_in(
        &article,
        "Intro paragraph",
        "Said in English only. Intro paragraph",
    );
    for page in ["/first-part/an-article/", "/es/first-part/an-article/"] {
        wait_for(&format!("the edit on {page}"), || {
            let reply = server.get(page);
            (reply.status == 200 && reply.body.contains("Said in English only.")).then_some(())
        });
    }
    assert!(server
        .get("/es/first-part/an-article/")
        .body
        .contains("Esta página aún no está traducida."));
    // … and each language's print page follows when the author pauses.
    for page in ["/print/", "/es/print/"] {
        wait_for(&format!("the edit on {page}"), || {
            server
                .get(page)
                .body
                .contains("Said in English only.")
                .then_some(())
        });
    }
    // The Spanish search index, brought up to date beside the English one:
    // its documents hold the sentence added to the untranslated article.
    let site = server.site_dir();
    for docs in [site.join("search/docs"), site.join("es/search/docs")] {
        wait_for(&format!("the edit in {}", docs.display()), || {
            files_under(&docs)
                .iter()
                .any(|f| {
                    fs::read_to_string(docs.join(f))
                        .is_ok_and(|t| t.contains("Said in English only."))
                })
                .then_some(())
        });
    }
    assert_eq!(server.get("/es/search/").status, 200);
    // A page missing under /es/ gets the Spanish "not found" page, one
    // elsewhere the site's own.
    let missing = server.get("/es/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains(r#"<html lang="es""#),
        "{}",
        missing.body
    );
    let missing = server.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains(r#"<html lang="en""#),
        "{}",
        missing.body
    );
    // However deep the missing address, the page's links (relative to its
    // folder) lead where they should: it carries its folder as its base.
    for (path, base) in [
        ("/first-part/no/such/page/", "/"),
        ("/es/first-part/no/such/page/", "/es/"),
    ] {
        let missing = server.get(path);
        assert_eq!(missing.status, 404);
        let head = format!("<head><base href=\"{base}\">");
        assert!(missing.body.contains(&head), "{path}: {}", missing.body);
        assert!(
            missing
                .body
                .contains(r#"<link rel="stylesheet" href="static/trellis.css""#),
            "{path}"
        );
        let style = format!("{base}static/trellis.css");
        assert_eq!(server.get(&style).status, 200, "{style}");
    }
    drop(server);
    let _ = fs::remove_dir_all(&scratch);
}

#[test]
fn serve_rejects_path_traversal() {
    let (scratch, root) = handbook("serve-traversal");
    let server = Server::start(&root, &scratch, false);
    // Secrets beside the preview folder and one level further up.
    fs::write(server.tmp.join("secret.txt"), "TOP SECRET one").unwrap();
    fs::write(scratch.join("secret.txt"), "TOP SECRET two").unwrap();
    let site_name = server
        .site_dir()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();

    assert_eq!(server.get("/static/trellis.css").status, 200);
    for target in [
        "/../secret.txt",
        "/../../secret.txt",
        "/static/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/.%2e/secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5c..%5csecret.txt",
        &format!("/../{site_name}/index.html"),
        "/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/.trellis-output",
        "/%00",
    ] {
        let reply = server.get(target);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{target}: {} {}",
            reply.status,
            reply.body
        );
        assert!(!reply.body.contains("TOP SECRET"), "{target} leaked a file");
        assert!(!reply.body.contains("root:"), "{target} leaked /etc/passwd");
    }
    // Refused by Trellis's own check, before any file is looked at.
    let refused = server.get("/%2e%2e/secret.txt");
    assert_eq!(refused.status, 400);
    assert!(
        refused.body.contains("leave the site folder"),
        "{}",
        refused.body
    );
    assert_eq!(request(server.port, "POST", "/").status, 405);
    drop(server);
    let _ = fs::remove_dir_all(&scratch);
}

/// Runs `trellis serve ARGS` that should stop by itself; (status, stderr).
fn run_briefly(args: &[&str], root: &Path, tmp: &Path) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trellis"))
        .arg("serve")
        .args(args)
        .arg("--root")
        .arg(root)
        .env("TMPDIR", tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start trellis serve");
    let stderr = Captured::default();
    stderr.follow(child.stderr.take().unwrap());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > WAIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("trellis serve {args:?} kept running:\n{}", stderr.text());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // The reader thread sees the end of the pipe right after the exit.
    let text = wait_for("stderr to close", || {
        let t = stderr.text();
        (!t.is_empty()).then_some(t)
    });
    (status.code().unwrap_or(-1), text)
}

#[test]
fn serve_explains_a_port_in_use() {
    let (scratch, root) = handbook("serve-port");
    let tmp = scratch.join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();

    let (status, stderr) = run_briefly(&["--port", &port], &root, &tmp);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("port {port} on 127.0.0.1 is already in use"))
            && stderr.contains("--port"),
        "{stderr}"
    );
    assert!(!stderr.contains("warning"), "{stderr}");

    // Listening beyond this machine is allowed, with a warning.
    let (status, stderr) = run_briefly(&["--port", &port, "--bind", "0.0.0.0"], &root, &tmp);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("warning: serving on 0.0.0.0"), "{stderr}");
    assert!(
        stderr.contains(&format!("port {port} on 0.0.0.0")),
        "{stderr}"
    );

    let (status, stderr) = run_briefly(&["--bind", "localhost:80"], &root, &tmp);
    assert_eq!(status, 2, "{stderr}");
    // Nothing was built for a server that never started.
    assert_eq!(fs::read_dir(&tmp).unwrap().count(), 0);
    drop(taken);
    let _ = fs::remove_dir_all(&scratch);
}

#[test]
fn serve_starts_on_a_broken_handbook_and_recovers() {
    let (scratch, root) = handbook("serve-broken-start");
    let article = root.join("content/01-first-part/01-an-article.md");
    let original = fs::read_to_string(&article).unwrap();
    fs::write(
        &article,
        original.replacen("title: An article", "title: [unclosed", 1),
    )
    .unwrap();
    let server = Server::start(&root, &scratch, false);

    // No good build yet: a waiting page (that reloads), and the error.
    let error = server.error().expect("the first build's error");
    assert!(error.contains("01-an-article.md:2:"), "{error}");
    let page = server.get("/");
    assert_eq!(page.status, 404);
    assert!(page.body.contains("has not built yet"), "{}", page.body);
    assert!(page.body.contains("/__trellis/live-reload.js?generation=0"));
    assert!(server
        .stderr
        .text()
        .contains("the preview shows these errors until a build succeeds"));

    fs::write(&article, &original).unwrap();
    // The page can be served a moment before the status is updated, so wait
    // for both: the site, and the error gone.
    wait_for("the first good build, its error cleared", || {
        (server.get("/").status == 200 && server.error().is_none()).then_some(())
    });
    drop(server);
    let _ = fs::remove_dir_all(&scratch);
}
