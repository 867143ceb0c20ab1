//! An exported e-book read back: `trellis export epub` into a scratch
//! folder, and the book's files as the zip holds them.
//!
//! Included with `#[path]` by `tests/epub.rs`, `tests/epub_language.rs` and
//! `tests/translations.rs`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use crate::common::{temp_dir, trellis, Run};

/// Runs `trellis export epub --root ROOT --output OUT` (with `--lang` when
/// `lang` is given) from the repository root.
pub fn run_export(root: &Path, out: &Path, lang: Option<&str>) -> Run {
    let mut args = vec![
        "export",
        "epub",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend(lang.map(|l| ["--lang", l]).into_iter().flatten());
    trellis(&args, Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// Exports the handbook at `root` into a fresh folder named for `name`,
/// with `--lang` when `lang` is given; returns the book's path.
pub fn export_in(root: &Path, name: &str, lang: Option<&str>) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("book.epub");
    let run = run_export(root, &out, lang);
    assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
    out
}

/// The book's files in zip order: name, bytes, stored (not compressed).
pub fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>, bool)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("the book is a zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            let stored = file.compression() == zip::CompressionMethod::Stored;
            (file.name().to_string(), content, stored)
        })
        .collect()
}

/// The book's text files by name.
pub fn texts(bytes: &[u8]) -> BTreeMap<String, String> {
    entries(bytes)
        .into_iter()
        .filter(|(name, _, _)| !name.contains("/images/"))
        .map(|(name, content, _)| (name, String::from_utf8(content).expect("UTF-8")))
        .collect()
}
