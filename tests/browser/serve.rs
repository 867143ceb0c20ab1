//! `trellis serve` in a real browser: on a copy of the fixture, the open
//! article reloads by itself after an edit and keeps its scroll position;
//! a broken file brings up the error overlay over the last good page, and
//! fixing it clears the overlay and shows the fix; a tab on another article
//! does not reload for an edit it does not show.
//!
//! A screenshot of the overlay lands in `target/screenshots/serve/`.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::chrome::{Browser, Result};
use super::gate;

/// Bounded waits: a working server rebuilds in well under a second.
const WAIT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reloads_the_page_and_shows_build_errors() {
    let test = "serve_reloads_the_page_and_shows_build_errors";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let scratch = gate::scratch_dir("serve");
    let root = scratch.join("hb");
    copy_tree(&gate::repo_root().join("tests/fixtures/basic"), &root);
    let _ = std::fs::remove_dir_all(root.join("public"));
    let server = Serve::start(&root, &scratch.join("tmp"));
    let browser = Browser::launch(&tools, "serve")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let result = edit_break_fix(&browser, &server, &root).await;
    browser.close().await;
    if let Err(e) = result {
        panic!("{e}\n{}", server.log());
    }
}

async fn edit_break_fix(browser: &Browser, server: &Serve, root: &Path) -> Result<()> {
    let article = root.join("content/01-first-part/01-an-article.md");
    let original = std::fs::read_to_string(&article)?;
    let url = format!(
        "http://127.0.0.1:{}/first-part/an-article/index.html",
        server.port
    );
    browser.set_viewport(390, 500).await?;
    browser.open(&url).await?;
    // Wait for the events stream, then mark this document and scroll down.
    wait(
        browser,
        "the events stream to open",
        "return document.documentElement.dataset.trellisServe === 'live'",
    )
    .await?;
    let scrolled = browser
        .eval(
            "window.__notReloaded = true; scrollTo(0, 250); return scrollY",
            vec![],
        )
        .await?;
    let scrolled = scrolled.as_f64().unwrap_or(0.0);
    if scrolled < 100.0 {
        return Err(format!("the article does not scroll (scrollY = {scrolled})").into());
    }

    // An edit: the page reloads by itself, at the same place.
    std::fs::write(
        &article,
        original.replace(
            "Intro paragraph",
            "Reloaded in the browser. Intro paragraph",
        ),
    )?;
    wait(
        browser,
        "the page to reload with the edit",
        "return !window.__notReloaded && document.body.textContent.includes('Reloaded in the browser.')",
    )
    .await?;
    browser.settle().await?;
    let now = browser.eval("return scrollY", vec![]).await?;
    let now = now.as_f64().unwrap_or(0.0);
    if (now - scrolled).abs() > 2.0 {
        return Err(
            format!("the reload lost the scroll position: {scrolled} before, {now} after").into(),
        );
    }

    // A broken link: the overlay names the file; the page is the last good one.
    browser
        .eval("window.__notReloaded = true; return true", vec![])
        .await?;
    std::fs::write(
        &article,
        original.replace(
            "Intro paragraph",
            "See [gone](no-such-page.md). Intro paragraph",
        ),
    )?;
    let overlay = "const o = document.getElementById('trellis-error-overlay'); \
                   return !!o && o.offsetHeight > 0 && getComputedStyle(o).position === 'fixed' \
                   && o.textContent.includes('01-an-article.md') && o.textContent.includes('no-such-page.md')";
    wait(browser, "the error overlay", overlay).await?;
    let shots = gate::target_dir().join("screenshots/serve");
    std::fs::create_dir_all(&shots)?;
    browser
        .screenshot(&shots.join("error-overlay-390.png"))
        .await?;
    let still = browser
        .eval(
            "return document.body.textContent.includes('Reloaded in the browser.')",
            vec![],
        )
        .await?;
    if still != Value::Bool(true) {
        return Err("with the overlay up, the page should still be the last good build".into());
    }

    // Fixed: the page reloads, the overlay is gone, the fix shows.
    std::fs::write(
        &article,
        original.replace("Intro paragraph", "Fixed in the browser. Intro paragraph"),
    )?;
    wait(
        browser,
        "the overlay to clear and the fix to show",
        "return !window.__notReloaded && !document.getElementById('trellis-error-overlay') \
         && document.body.textContent.includes('Fixed in the browser.')",
    )
    .await?;
    let errors = browser.page_errors().await?;
    if !errors.is_empty() {
        return Err(format!("script errors on the served page: {errors:?}").into());
    }

    // A tab on another article is left alone by an edit it does not show,
    // also once the print page and search index have caught up.
    let other = format!("http://127.0.0.1:{}/first-part/second/", server.port);
    browser.open(&other).await?;
    wait(
        browser,
        "the events stream to open on the other article",
        "return document.documentElement.dataset.trellisServe === 'live'",
    )
    .await?;
    browser
        .eval("window.__notReloaded = true; return true", vec![])
        .await?;
    let caught_up = |log: &str| log.matches("search and glossary up to date in").count();
    let before = caught_up(&server.log());
    std::fs::write(
        &article,
        original.replace("Intro paragraph", "Elsewhere. Intro paragraph"),
    )?;
    let start = Instant::now();
    while caught_up(&server.log()) == before {
        if start.elapsed() > WAIT {
            return Err("the print page and search never caught up with the edit".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The catch-up's reload message goes out just after its line: give it time to arrive.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let left_alone = browser
        .eval("return window.__notReloaded === true", vec![])
        .await?;
    if left_alone != Value::Bool(true) {
        return Err("a tab on another article reloaded after an edit it does not show".into());
    }
    Ok(())
}

/// Polls `script` (returning a boolean) until it is true, at most [`WAIT`].
async fn wait(browser: &Browser, what: &str, script: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        // A reload can swap the document under a running script: retry.
        if let Ok(v) = browser.eval(script, vec![]).await {
            if v == json!(true) {
                return Ok(());
            }
        }
        if start.elapsed() > WAIT {
            return Err(format!("gave up after {WAIT:?} waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A running `trellis serve --port 0`, killed when dropped.
struct Serve {
    child: Child,
    port: u16,
    output: Arc<Mutex<String>>,
}

impl Serve {
    fn start(root: &Path, tmp: &Path) -> Serve {
        std::fs::create_dir_all(tmp).expect("create TMPDIR for trellis serve");
        let mut child = Command::new(env!("CARGO_BIN_EXE_trellis"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("TMPDIR", tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start trellis serve");
        let output = Arc::new(Mutex::new(String::new()));
        follow(child.stdout.take(), &output);
        follow(child.stderr.take(), &output);
        let start = Instant::now();
        let port = loop {
            let text = output.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(port) = text
                .split("at http://127.0.0.1:")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .and_then(|p| p.parse().ok())
            {
                break port;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("trellis serve exited with {status}:\n{text}");
            }
            if start.elapsed() > WAIT {
                let _ = child.kill();
                panic!("trellis serve did not start within {WAIT:?}:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        Serve {
            child,
            port,
            output,
        }
    }

    fn log(&self) -> String {
        let text = self.output.lock().unwrap_or_else(|e| e.into_inner());
        format!("trellis serve said:\n{text}")
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn follow(from: Option<impl Read + Send + 'static>, sink: &Arc<Mutex<String>>) {
    let Some(from) = from else { return };
    let sink = Arc::clone(sink);
    std::thread::spawn(move || {
        let mut reader = BufReader::new(from);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push_str(&line);
            line.clear();
        }
    });
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel: PathBuf = entry
            .path()
            .strip_prefix(from)
            .unwrap_or(entry.path())
            .into();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("copy the fixture");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy the fixture");
        }
    }
}
