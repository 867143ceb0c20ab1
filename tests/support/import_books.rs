//! The books `trellis import` is tried on: the small fixtures in
//! `tests/fixtures/import/`, and public books and sites that a developer
//! fetches (their text is never committed here). Included with `#[path]` by
//! `tests/import.rs` and the browser tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The fixtures: (kind, folder under `tests/fixtures/import/`).
pub const FIXTURES: &[(&str, &str)] = &[
    ("mdbook", "mdbook"),
    ("zola", "zola"),
    ("markdown", "markdown"),
];

/// Public books and sites, looked for under `$TRELLIS_IMPORT_BOOKS`: (kind,
/// folder there, what it is and its licence). Each folder is a copy of the
/// repository named `owner+repo` (e.g. `git clone
/// https://github.com/rust-lang/nomicon rust-lang+nomicon`). The licences
/// would allow committing them; they are left out only to keep the
/// repository small, and because CI has no network to fetch them.
pub const REAL_BOOKS: &[(&str, &str, &str)] = &[
    (
        "mdbook",
        "rust-lang+mdBook/guide",
        "the mdBook guide (MPL-2.0)",
    ),
    (
        "mdbook",
        "rust-lang+nomicon",
        "the Rustonomicon (MIT or Apache-2.0)",
    ),
    (
        "zola",
        "getzola+zola/docs",
        "Zola's documentation site (EUPL-1.2)",
    ),
    (
        "zola",
        "getzola+book",
        "Zola's book theme with its demo chapters (MIT)",
    ),
];

/// The folder named by `TRELLIS_IMPORT_BOOKS`, or why the real books are skipped.
pub fn real_books_root() -> Result<PathBuf, String> {
    match std::env::var_os("TRELLIS_IMPORT_BOOKS") {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => Err(format!(
            "set TRELLIS_IMPORT_BOOKS to a folder holding copies of {} to try them",
            REAL_BOOKS
                .iter()
                .map(|(_, folder, _)| *folder)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
