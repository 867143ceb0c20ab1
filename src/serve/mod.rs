//! `trellis serve`: builds the handbook into a folder of Trellis's own,
//! serves it on 127.0.0.1, rebuilds when a source changes and reloads open
//! tabs; a build error shows in the terminal and over the page while the
//! last good site stays served.
//!
//! - [`builder`]: incremental builds into the serve folder, every
//!   language's tree (`tree`) through the producer's preview writer
//!   (`preview`)
//! - [`watch`]: notify watches on the sources, debounced
//! - [`http`]: the axum server, live-reload script and events
//! - [`path`]: request paths to files, refusing traversal
//! - [`status`]: the build state the browser is told about
//!
//! The serve folder is `trellis-serve-<hash>` in the system's temporary
//! folder (`TMPDIR`), named from the root, `--drafts` and the address; it
//! carries the output marker and is removed when the server stops with
//! Ctrl-C. Serve never writes into the handbook.

pub mod builder;
pub mod http;
pub mod path;
mod preview;
pub mod status;
mod tree;
pub mod watch;

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::{self, CONTENT_ERROR, OK, USAGE_ERROR};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output;
use crate::site::LoadOptions;
use builder::{Builder, Outcome};
use status::{Publisher, Status};
use watch::{Batch, Next, Watch};

/// The default port.
pub const DEFAULT_PORT: u16 = 1111;

/// `trellis serve` arguments.
#[derive(Debug, Clone)]
pub struct ServeArgs {
    /// `--root`.
    pub root: Option<PathBuf>,
    /// `--port` (0 picks a free one).
    pub port: u16,
    /// `--bind`.
    pub bind: IpAddr,
    /// `--drafts`.
    pub drafts: bool,
}

impl Default for ServeArgs {
    fn default() -> Self {
        ServeArgs {
            root: None,
            port: DEFAULT_PORT,
            bind: IpAddr::from([127, 0, 0, 1]),
            drafts: false,
        }
    }
}

/// Runs `trellis serve` until Ctrl-C; returns the exit status.
pub fn serve(args: &ServeArgs) -> u8 {
    let root = match cli::resolve_root(args.root.as_deref()) {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return USAGE_ERROR;
        }
    };
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}, which other machines on the network can reach; \
             the preview is meant for this machine (drop --bind to use 127.0.0.1)",
            args.bind
        );
    }
    let listener = match TcpListener::bind(SocketAddr::new(args.bind, args.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {}", bind_error(args, &e));
            return CONTENT_ERROR;
        }
    };
    let address = listener
        .local_addr()
        .unwrap_or(SocketAddr::new(args.bind, args.port));

    let dir = serve_dir(&root, address, args.drafts);
    if let Err(refusal) = output::check(&root, &dir) {
        eprintln!("error: {refusal}");
        eprintln!(
            "  help: the preview is built in the system's temporary folder; \
             set TMPDIR to another folder, outside the handbook"
        );
        return USAGE_ERROR;
    }
    let options = LoadOptions {
        root: root.clone(),
        drafts: args.drafts,
        ..Default::default()
    };
    let mut builder = match Builder::new(options, dir.clone()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!(
                "error: cannot prepare the preview folder {}: {e}",
                dir.display()
            );
            return CONTENT_ERROR;
        }
    };
    let publisher = Publisher::new(Status::default());
    let mut warned = BTreeSet::new();
    let started = std::time::Instant::now();
    match builder.build() {
        Ok(outcome) => {
            print_new_warnings(&outcome.warnings, &mut warned);
            say(&format!(
                "Built {} pages in {} ms",
                outcome.pages,
                started.elapsed().as_millis()
            ));
            publisher.rebuilt();
        }
        Err(diags) => publisher.failed(report_errors(diags, false)),
    }
    let watch = match Watch::start(&root) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "error: cannot watch {} for changes: {e}",
                display_root(&root)
            );
            return CONTENT_ERROR;
        }
    };
    let canonical = builder.dir().canonicalize().unwrap_or(dir.clone());
    let state = http::AppState {
        dir: canonical,
        status: publisher.clone(),
    };
    say(&format!(
        "Serving {} at http://{address}/ (press Ctrl-C to stop)",
        display_root(&root)
    ));
    say(&format!("  preview files: {}", dir.display()));
    let rebuilds = std::thread::spawn(move || rebuild_loop(watch, builder, publisher, warned));

    let code = run_server(listener, state);
    // The rebuild thread ends with the process; its folder goes now.
    drop(rebuilds);
    let _ = output::remove_ours(&dir);
    code
}

/// Serves until Ctrl-C (or SIGTERM); the exit status.
fn run_server(listener: TcpListener, state: http::AppState) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return CONTENT_ERROR;
        }
    };
    let result = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let server = axum::serve(listener, http::router(state));
        tokio::select! {
            r = server => r,
            () = stop_signal() => Ok(()),
        }
    });
    // Open event streams would keep a graceful shutdown waiting: drop them.
    runtime.shutdown_background();
    match result {
        Ok(()) => {
            say("Stopped.");
            OK
        }
        Err(e) => {
            eprintln!("error: the server stopped: {e}");
            CONTENT_ERROR
        }
    }
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// How long without changes before quick edits' site-wide files (print
/// page, search index, glossary) are brought up to date: long enough that a
/// burst of saves is not slowed by them, short enough that they are fresh
/// by the time the author looks.
pub const CATCH_UP_AFTER: Duration = Duration::from_millis(400);

/// Waits for changes and rebuilds, telling the browser each time.
fn rebuild_loop(
    mut watch: Watch,
    mut builder: Builder,
    publisher: Publisher,
    mut warned: BTreeSet<String>,
) {
    loop {
        let idle = builder.is_behind().then_some(CATCH_UP_AFTER);
        let (result, batch) = match watch.next(idle) {
            Next::Stopped => return,
            Next::Idle => match builder.catch_up(&mut || watch.has_pending()) {
                Ok(None) => continue,
                Ok(Some(outcome)) => (Ok(outcome), None),
                Err(diags) => (Err(diags), None),
            },
            Next::Batch(batch) => (builder.update(&batch), Some(batch)),
        };
        match result {
            Ok(outcome) => {
                print_new_warnings(&outcome.warnings, &mut warned);
                say(&match &batch {
                    Some(batch) => rebuilt_line(batch, &outcome),
                    None => caught_up_line(&outcome, builder.is_behind()),
                });
                if outcome.changed() {
                    publisher.rebuilt_pages(changed_pages(
                        &outcome.changed,
                        &builder.language_folders(),
                    ));
                } else {
                    publisher.unchanged();
                }
            }
            Err(diags) => {
                let built = publisher.current().generation > 0;
                publisher.failed(report_errors(diags, built));
            }
        }
    }
}

/// More changed pages than this and tabs simply reload.
const MAX_PAGES_NAMED: usize = 200;

/// The pages that `changed` files (site-relative) change, as URL paths
/// (`/part/one/`), or `None` when any page may have: something under
/// `static/` (style sheets, scripts, fonts) changed, or too many pages to
/// name. Other files are data or assets that pages of their top folder
/// read (the search index under `search/`, `glossary/glossary.json`, an
/// image beside an article): they name every page under that folder, as
/// `/search/*`. Files at the root (`sitemap.xml`, `atom.xml`) name none.
/// Under a further language's folder (one of `languages`, `es`), the same
/// holds within it: `es/search/index/3.js` names `/es/search/*`, and
/// `es/static/trellis.css` every page under `/es/`.
pub fn changed_pages(changed: &[PathBuf], languages: &[PathBuf]) -> Option<Vec<String>> {
    let mut pages = BTreeSet::new();
    for path in changed {
        let (tree, path) = match languages.iter().find(|l| path.starts_with(l)) {
            Some(language) => (
                format!("{}/", language.to_string_lossy()),
                path.strip_prefix(language).unwrap_or(path),
            ),
            None => (String::new(), path.as_path()),
        };
        let rel = path.to_string_lossy().replace('\\', "/");
        if rel.starts_with("static/") {
            if tree.is_empty() {
                return None;
            }
            pages.insert(format!("/{}*", percent_encode_path(&tree)));
        } else if path.extension().is_some_and(|e| e == "html") {
            let url = rel.strip_suffix("index.html").unwrap_or(&rel);
            pages.insert(format!("/{}", percent_encode_path(&format!("{tree}{url}"))));
        } else if let Some((top, _)) = rel.split_once('/') {
            pages.insert(format!(
                "/{}/*",
                percent_encode_path(&format!("{tree}{top}"))
            ));
        }
        if pages.len() > MAX_PAGES_NAMED {
            return None;
        }
    }
    Some(pages.into_iter().collect())
}

/// `path` as a browser's `location.pathname` spells it: UTF-8 bytes outside
/// the safe set percent-encoded.
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `content/a.md changed: rebuilt in 85 ms (1 of 39 pages rendered, 2 files written)`.
fn rebuilt_line(batch: &Batch, o: &Outcome) -> String {
    let what = match batch.paths.len() {
        _ if batch.rescan => "sources changed".to_string(),
        1 => format!(
            "{} changed",
            batch
                .paths
                .iter()
                .next()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ),
        n => format!("{n} files changed"),
    };
    let mut line = format!(
        "{what}: rebuilt in {} ms ({} of {} pages rendered, {} file{} written",
        o.elapsed().as_millis(),
        o.rendered.len(),
        o.pages,
        o.written,
        if o.written == 1 { "" } else { "s" }
    );
    if o.removed > 0 {
        line.push_str(&format!(", {} removed", o.removed));
    }
    if o.quick {
        line.push_str(&format!(
            "; edit {} ms, render {} ms, write {} ms; the print page, search and glossary follow",
            o.load.as_millis(),
            o.render.as_millis(),
            o.write.as_millis()
        ));
    } else {
        line.push_str(&format!(
            "; load {} ms, render {} ms, write {} ms",
            o.load.as_millis(),
            o.render.as_millis(),
            o.write.as_millis()
        ));
    }
    line.push(')');
    line
}

/// `  print page, search and glossary up to date in 2100 ms (2 files written)`;
/// `stopped`: a new change came first, and some of them are still behind.
fn caught_up_line(o: &Outcome, stopped: bool) -> String {
    format!(
        "  print page, search and glossary {} in {} ms ({} file{} written{})",
        if stopped {
            "partly brought up to date (a new change came first)"
        } else {
            "up to date"
        },
        o.elapsed().as_millis(),
        o.written,
        if o.written == 1 { "" } else { "s" },
        if o.removed > 0 {
            format!(", {} removed", o.removed)
        } else {
            String::new()
        }
    )
}

/// Prints a failed build's errors as `trellis build` does; the text for the
/// overlay. `built`: there is a last good site, still served.
fn report_errors(mut diags: Diagnostics, built: bool) -> String {
    diags.sort();
    cli::print_diagnostics(&diags);
    let n = diags.errors().count();
    eprintln!(
        "error: the build failed with {n} error{}; {}",
        if n == 1 { "" } else { "s" },
        if built {
            "still serving the last good site"
        } else {
            "the preview shows these errors until a build succeeds"
        }
    );
    let _ = std::io::stderr().flush();
    let lines: Vec<String> = diags
        .0
        .iter()
        .filter(|d| d.is_error())
        .map(Diagnostic::to_string)
        .collect();
    if lines.is_empty() {
        "the build failed".to_string()
    } else {
        lines.join("\n")
    }
}

/// Prints the warnings not printed before (each once per session).
fn print_new_warnings(warnings: &Diagnostics, warned: &mut BTreeSet<String>) {
    let fresh: Vec<Diagnostic> = warnings
        .0
        .iter()
        .filter(|d| warned.insert(d.to_string()))
        .cloned()
        .collect();
    if !fresh.is_empty() {
        let mut fresh = Diagnostics(fresh);
        fresh.sort();
        cli::print_diagnostics(&fresh);
    }
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn display_root(root: &Path) -> String {
    if root.as_os_str().is_empty() {
        ".".to_string()
    } else {
        root.display().to_string()
    }
}

/// Why the address could not be had, and what to do.
fn bind_error(args: &ServeArgs, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {} on {} is already in use (another `trellis serve`?); \
             stop that program or choose another port, e.g. `--port {}`",
            args.port,
            args.bind,
            args.port.wrapping_add(1).max(1024)
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "not allowed to listen on port {} on {}; choose a port above 1023 with --port",
            args.port, args.bind
        ),
        std::io::ErrorKind::AddrNotAvailable => format!(
            "{} is not an address of this machine; drop --bind to use 127.0.0.1",
            args.bind
        ),
        _ => format!("cannot listen on {}:{}: {e}", args.bind, args.port),
    }
}

/// `<temp>/trellis-serve-<hash>`: one folder per root, address and `--drafts`
/// (the address is in use by this server, so two servers never share one).
pub fn serve_dir(root: &Path, address: SocketAddr, drafts: bool) -> PathBuf {
    let mut h = DefaultHasher::new();
    output::absolute(root).hash(&mut h);
    address.hash(&mut h);
    drafts.hash(&mut h);
    std::env::temp_dir().join(format!("trellis-serve-{:016x}", h.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reloads_name_the_pages_a_change_touched() {
        let languages = [PathBuf::from("es")];
        let named = |files: &[&str]| {
            changed_pages(
                &files.iter().map(PathBuf::from).collect::<Vec<_>>(),
                &languages,
            )
        };
        assert_eq!(
            named(&["part/one/index.html", "index.html", "404.html"]),
            Some(vec!["/".into(), "/404.html".into(), "/part/one/".into()])
        );
        // The search index is read by the search page; the sitemap by no tab.
        assert_eq!(
            named(&["search/index/3.js", "sitemap.xml"]),
            Some(vec!["/search/*".into()])
        );
        // A style sheet changes every page.
        assert_eq!(named(&["part/one/index.html", "static/trellis.css"]), None);
        // A further language's pages and files, within its folder: its own
        // style sheet changes its pages only, its sitemap none.
        assert_eq!(
            named(&[
                "es/part/one/index.html",
                "es/search/index/3.js",
                "es/sitemap.xml"
            ]),
            Some(vec!["/es/part/one/".into(), "/es/search/*".into()])
        );
        assert_eq!(
            named(&["es/index.html", "es/static/trellis.css"]),
            Some(vec!["/es/".into(), "/es/*".into()])
        );
        // A part of the default language whose folder starts with a language's name.
        assert_eq!(
            named(&["espanol/index.html"]),
            Some(vec!["/espanol/".into()])
        );
        assert_eq!(
            named(&["part/caf\u{e9}/index.html"]),
            Some(vec!["/part/caf%C3%A9/".into()])
        );
        let many: Vec<String> = (0..=MAX_PAGES_NAMED)
            .map(|i| format!("p/{i}/index.html"))
            .collect();
        assert_eq!(
            named(&many.iter().map(String::as_str).collect::<Vec<_>>()),
            None
        );
    }
}
