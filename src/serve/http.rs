//! The preview server (axum): the site folder's files, with the live-reload
//! script added to HTML pages as they are sent (the built files never carry
//! it), and the server's own routes under `/__trellis/`:
//!
//! | route | what |
//! |---|---|
//! | `/__trellis/events` | server-sent events: `hello` on connecting, then `reload` and `build-error` |
//! | `/__trellis/status` | the same state as JSON: `{"generation": n, "error": null or text}` |
//! | `/__trellis/live-reload.js`, `.css` | the script and the error overlay's style |
//!
//! Every answer says `Cache-Control: no-store`, so a reload shows the newest build.

use std::convert::Infallible;
use std::path::{Path, PathBuf};

use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream};

use super::path::site_path;
use super::status::{Publisher, Status};

/// The live-reload script, served at `/__trellis/live-reload.js`.
pub const SCRIPT: &str = include_str!("live-reload.js");
/// The error overlay's style, served at `/__trellis/live-reload.css`.
pub const STYLE: &str = include_str!("live-reload.css");

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The folder served (canonical).
    pub dir: PathBuf,
    /// The build state.
    pub status: Publisher,
}

/// The server's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/__trellis/events", get(events))
        .route("/__trellis/status", get(status))
        .route("/__trellis/live-reload.js", get(script))
        .route("/__trellis/live-reload.css", get(style))
        .fallback(site_file)
        .with_state(state)
        .layer(axum::middleware::map_response(no_store))
}

async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

async fn status(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.status.current().to_json(),
    )
        .into_response()
}

/// The events stream: `hello` with the current state, then one event per change.
async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.status.subscribe();
    let stream = stream::unfold((receiver, true), |(mut rx, first)| async move {
        if first {
            let hello = rx.borrow_and_update().clone();
            let event = Event::default().event("hello").data(hello.to_json());
            return Some((Ok(event), (rx, false)));
        }
        rx.changed().await.ok()?;
        let now = rx.borrow_and_update().clone();
        Some((Ok(event_for(&now)), (rx, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The event a new state is announced with.
fn event_for(status: &Status) -> Event {
    match &status.error {
        Some(_) => Event::default().event("build-error").data(status.to_json()),
        None => Event::default().event("reload").data(status.to_json()),
    }
}

/// Any other path: a file of the site.
async fn site_file(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "",
        )
            .into_response();
    }
    let rel = match site_path(uri.path()) {
        Ok(rel) => rel,
        Err(e) => return (StatusCode::BAD_REQUEST, format!("bad request: {e}\n")).into_response(),
    };
    // The marker and the builder's temporary files are not part of the site.
    if rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return not_found_in(&state, &rel).await;
    }
    let generation = state.status.current().generation;
    let mut file = state.dir.join(&rel);
    if tokio::fs::metadata(&file).await.is_ok_and(|m| m.is_dir()) {
        if !uri.path().ends_with('/') {
            let mut location = format!("{}/", uri.path());
            if let Some(q) = uri.query() {
                location.push('?');
                location.push_str(q);
            }
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
                "",
            )
                .into_response();
        }
        file.push("index.html");
    }
    match read_inside(&state.dir, &file).await {
        Some(bytes) => file_response(StatusCode::OK, &file, bytes, generation),
        None => not_found_in(&state, &rel).await,
    }
}

/// The file's bytes, if it is a file inside `dir` once links are resolved.
async fn read_inside(dir: &Path, file: &Path) -> Option<Vec<u8>> {
    let real = tokio::fs::canonicalize(file).await.ok()?;
    if !real.starts_with(dir) {
        return None;
    }
    tokio::fs::read(&real).await.ok()
}

/// The site's `404.html` for a missing `rel` (or, before the first good
/// build, a page that says so and waits for it), as a 404: under a further
/// language's folder (`es/…`), that language's own `404.html`, so a reader
/// of the Spanish preview is told in Spanish.
async fn not_found_in(state: &AppState, rel: &Path) -> Response {
    let status = state.status.current();
    let top = rel.components().next().map(|c| c.as_os_str());
    let own = match top {
        Some(folder) if rel.components().count() > 1 => {
            read_inside(&state.dir, &state.dir.join(folder).join("404.html"))
                .await
                .map(|bytes| {
                    let base = format!("/{}/", folder.to_string_lossy());
                    (state.dir.join(folder).join("404.html"), based(bytes, &base))
                })
        }
        _ => None,
    };
    if let Some((page, bytes)) = own {
        return file_response(StatusCode::NOT_FOUND, &page, bytes, status.generation);
    }
    let page = state.dir.join("404.html");
    match read_inside(&state.dir, &page).await {
        Some(bytes) => file_response(
            StatusCode::NOT_FOUND,
            &page,
            based(bytes, "/"),
            status.generation,
        ),
        None => {
            let html = waiting_page(&status);
            file_response(
                StatusCode::NOT_FOUND,
                Path::new("waiting.html"),
                html.into_bytes(),
                status.generation,
            )
        }
    }
}

/// A `404.html` given a `<base>` at its folder (`/`, `/es/`): its links are
/// relative to that folder, and it is served at whatever address was
/// missing, however deep, where they would lead nowhere and the page would
/// show without its style.
fn based(mut html: Vec<u8>, base: &str) -> Vec<u8> {
    if let Some(head) = find_tag(&html, b"<head>") {
        let at = head + b"<head>".len();
        let tag = format!("<base href=\"{}\">", crate::escape::html(base));
        html.splice(at..at, tag.into_bytes());
    }
    html
}

fn waiting_page(status: &Status) -> String {
    let text = if status.error.is_some() {
        "The site has not built yet: fix the errors shown and this page reloads."
    } else {
        "Not found."
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Trellis preview</title></head>\
         <body><main><h1>Trellis preview</h1><p>{text}</p></main></body></html>\n"
    )
}

fn file_response(code: StatusCode, file: &Path, bytes: Vec<u8>, generation: u64) -> Response {
    let kind = content_type(file);
    let body = if kind.starts_with("text/html") {
        inject(bytes, generation)
    } else {
        bytes
    };
    (code, [(header::CONTENT_TYPE, kind)], body).into_response()
}

/// Adds the live-reload script to an HTML page: before `</head>`, else
/// before `</body>`, else at the end.
pub fn inject(mut html: Vec<u8>, generation: u64) -> Vec<u8> {
    let tag = format!(
        "<script src=\"/__trellis/live-reload.js?generation={generation}\" defer></script>"
    );
    let at = find_tag(&html, b"</head")
        .or_else(|| find_tag(&html, b"</body"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

fn find_tag(html: &[u8], tag: &[u8]) -> Option<usize> {
    html.windows(tag.len())
        .position(|w| w.eq_ignore_ascii_case(tag))
}

/// The `Content-Type` for a file, by its extension.
pub fn content_type(file: &Path) -> &'static str {
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
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "epub" => "application/epub+zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_into_the_head() {
        let page =
            b"<!DOCTYPE html><html><head><title>T</title></HEAD><body>x</body></html>".to_vec();
        let out = String::from_utf8(inject(page, 7)).unwrap();
        assert!(out.contains(
            "<title>T</title><script src=\"/__trellis/live-reload.js?generation=7\" defer></script></HEAD>"
        ));
        let bare = String::from_utf8(inject(b"<p>x</p>".to_vec(), 1)).unwrap();
        assert!(bare.starts_with("<p>x</p><script"));
    }

    #[test]
    fn events_name_what_happened() {
        let ok = Status {
            generation: 3,
            error: None,
            pages: Some(vec!["/a/b/".into()]),
        };
        let bad = Status {
            generation: 3,
            error: Some("content/a.md:2:1: error[broken-link]: x".into()),
            pages: None,
        };
        // Event has no accessors; its Debug form holds the wire format.
        let reload = format!("{:?}", event_for(&ok));
        assert!(reload.contains("event: reload"), "{reload}");
        assert!(reload.contains(r#"\"pages\":[\"/a/b/\"]"#), "{reload}");
        assert!(format!("{:?}", event_for(&bad)).contains("event: build-error"));
    }
}
