//! Shared helpers for the integration tests: run the real `trellis` binary,
//! make scratch folders, read output, and check every internal link.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of the binary produced.
pub struct Run {
    /// Exit status.
    pub status: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// A fixture handbook's folder.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fresh, empty scratch folder path (not created).
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trellis-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

/// Runs `trellis ARGS` in `cwd`.
pub fn trellis(args: &[&str], cwd: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_trellis"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run trellis");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `trellis build --root ROOT --output OUT EXTRA…`.
pub fn build(root: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "build",
        "--quiet",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    trellis(&args, Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// A file's text.
pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Something of every file of a built site (`what` of its metadata), by
/// the file's path in the site.
pub fn site_files<T>(
    site: &Path,
    what: impl Fn(&fs::Metadata) -> T,
) -> std::collections::BTreeMap<String, T> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, what(&e.metadata().unwrap()))
        })
        .collect()
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every `href`/`src` in the site's HTML that points inside the site but at a
/// missing file or a missing `id`: as "page -> link".
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut pages: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(site) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            pages.push(entry.path().to_path_buf());
        }
    }
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut broken = Vec::new();
    for page in &pages {
        let html = read(page);
        for link in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if link.contains(':') || link.starts_with("//") {
                continue; // another host, tel:, mailto:
            }
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            let target = if path.is_empty() {
                page.clone()
            } else {
                normalize(&page.parent().unwrap().join(&path))
            };
            if !target.is_file() {
                broken.push(format!("{} -> {link} (no such file)", page.display()));
                continue;
            }
            // A browser finds `#caf%C3%A9` at `id="café"`.
            if let Some(f) = fragment
                .filter(|f| !f.is_empty())
                .map(|f| percent_decoded(&f))
            {
                let page_ids = ids
                    .entry(target.clone())
                    .or_insert_with(|| attr_values(&read(&target), "id").into_iter().collect());
                if !page_ids.contains(&f) {
                    broken.push(format!("{} -> {link} (no id `{f}`)", page.display()));
                }
            }
        }
    }
    broken
}

/// `text` with its `%XX` escapes decoded, as UTF-8.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// `path` with `.` and `..` taken out, as a browser resolves a relative link.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `trellis check --root ROOT --format json`, as it ran.
pub fn check_json_run(root: &Path) -> Run {
    trellis(
        &[
            "check",
            "--root",
            root.to_str().unwrap(),
            "--format",
            "json",
        ],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    )
}

/// `trellis check --root ROOT --format json`, parsed.
pub fn check_json(root: &Path) -> serde_json::Value {
    let run = check_json_run(root);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", run.stdout))
}
