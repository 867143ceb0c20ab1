//! `trellis import mdbook|zola|markdown SOURCE --output DIR`: a new handbook
//! from a book written for another tool, with a report of what could not be
//! carried over.
//!
//! Each kind of source has a reader (`mdbook`, `zola`, `markdown`)
//! that turns it into one `Book`: the handbook's settings, a tree of parts
//! and articles (`Node`, each a `Page` with its source file, title,
//! summary, slug, old address and markdown body) and the files to copy.
//! Everything after that is shared: `write` gives every page its place
//! (`content/01-part/02-article.md`), `rewrite` rewrites each body (links
//! to the new `.md` paths, pictures and files copied beside the pages that
//! use them, heading ids kept as the old tool made them, a summary taken
//! from the first paragraph), and the handbook is written into a new or
//! empty folder with `IMPORT-REPORT.md` (`report`).
//!
//! Nothing in the source is ever written, and the import writes nothing at
//! all until every source file has been read and checked: an error in the
//! source (a `SUMMARY.md` naming a missing file, malformed TOML) stops it
//! with a `Diagnostic` at `file:line:col`.
//! If writing fails part way, the files and folders it made are removed
//! again, and nothing else.

mod html;
mod markdown;
mod mdbook;
mod meta;
mod report;
mod rewrite;
mod write;
mod zola;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostics;

pub use report::{Item, Report};

/// The kind of book being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An mdBook book: the folder holding `book.toml`.
    Mdbook,
    /// A Zola site: the folder holding `config.toml` (or `zola.toml`).
    Zola,
    /// A folder of markdown files, its folders as parts.
    Markdown,
}

impl Kind {
    /// How the kind is named to people ("an mdBook book").
    pub fn description(self) -> &'static str {
        match self {
            Kind::Mdbook => "the mdBook book",
            Kind::Zola => "the Zola site",
            Kind::Markdown => "the folder of markdown",
        }
    }
}

/// What to import, and where to.
#[derive(Debug, Clone)]
pub struct Options {
    /// The kind of source.
    pub kind: Kind,
    /// The book's folder, as given (paths in diagnostics and the report
    /// start with it).
    pub source: PathBuf,
    /// The new handbook's folder: new, or an empty folder.
    pub output: PathBuf,
}

/// What an import wrote.
#[derive(Debug, Clone)]
pub struct Imported {
    /// What could not be carried over (also written as `IMPORT-REPORT.md`).
    pub report: Report,
    /// Articles written (drafts included).
    pub articles: usize,
    /// Parts written.
    pub parts: usize,
    /// Pictures and other files copied.
    pub copied: usize,
    /// The report's file in the new handbook.
    pub report_file: PathBuf,
}

/// Why an import wrote nothing.
#[derive(Debug, Clone)]
pub enum Failure {
    /// The command was given something that cannot be imported (no such
    /// folder, not a book of that kind): exit status 2.
    Usage {
        /// What is wrong.
        message: String,
        /// What to do.
        help: Option<String>,
    },
    /// The output exists and is not empty, is inside the source, or could
    /// not be written: exit status 1.
    Refused {
        /// What is wrong.
        message: String,
        /// What to do.
        help: Option<String>,
    },
    /// Errors in the source that stop the import, each at `file:line:col`:
    /// exit status 1.
    Source(Diagnostics),
}

impl Failure {
    fn usage(message: impl Into<String>, help: impl Into<String>) -> Self {
        Failure::Usage {
            message: message.into(),
            help: Some(help.into()),
        }
    }

    fn refused(message: impl Into<String>, help: impl Into<String>) -> Self {
        Failure::Refused {
            message: message.into(),
            help: Some(help.into()),
        }
    }
}

/// Imports `options.source` into `options.output`: reads and checks the
/// whole source, then writes the new handbook and its report.
pub fn import(options: &Options) -> Result<Imported, Failure> {
    let root = std::path::absolute(&options.source).map_err(|e| {
        Failure::usage(
            format!("cannot read {}: {e}", options.source.display()),
            "give the folder of the book to import",
        )
    })?;
    let root = normalize(&root);
    if !root.is_dir() {
        return Err(Failure::usage(
            format!("{} is not a folder", options.source.display()),
            format!(
                "give the folder of {}, e.g. `trellis import {} path/to/book --output my-handbook`",
                options.kind.description(),
                match options.kind {
                    Kind::Mdbook => "mdbook",
                    Kind::Zola => "zola",
                    Kind::Markdown => "markdown",
                }
            ),
        ));
    }
    let output = std::path::absolute(&options.output)
        .map(|p| normalize(&p))
        .map_err(|e| {
            Failure::refused(
                format!("cannot use {}: {e}", options.output.display()),
                "give the name of a new folder for the handbook",
            )
        })?;
    write::check_output(&root, &output, &options.output)?;
    let src = Source {
        root,
        shown: options.source.clone(),
    };
    let mut report = Report::default();
    let book = match options.kind {
        Kind::Mdbook => mdbook::read(&src, &mut report)?,
        Kind::Zola => zola::read(&src, &mut report)?,
        Kind::Markdown => markdown::read(&src, &mut report)?,
    };
    write::import_book(&src, book, &output, &options.output, options.kind, report)
}

/// The source folder: where it is, and how paths in it are shown.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// Absolute and normalized.
    pub root: PathBuf,
    /// As the user gave it.
    pub shown: PathBuf,
}

impl Source {
    /// `path` (under the root) as the user would write it from where they
    /// ran the command.
    pub fn show(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root) {
            Ok(rel) if rel.as_os_str().is_empty() => self.shown.display().to_string(),
            Ok(rel) => self.shown.join(rel).display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }

    /// Whether `path` (absolute) lies inside the source folder, symbolic
    /// links followed.
    pub fn contains(&self, path: &Path) -> bool {
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        match std::fs::canonicalize(path) {
            Ok(p) => p.starts_with(&root),
            Err(_) => normalize(path).starts_with(&self.root),
        }
    }
}

/// A book as read from its source: settings, pages and files.
#[derive(Debug, Default)]
pub(crate) struct Book {
    /// `title:` in handbook.yaml.
    pub title: String,
    /// `description:`.
    pub description: Option<String>,
    /// `language:`.
    pub language: Option<String>,
    /// `authors:`.
    pub authors: Vec<String>,
    /// `base_url:`.
    pub base_url: Option<String>,
    /// The home page's intro (`content/_index.md`).
    pub home: Option<Page>,
    /// The parts and articles, in order.
    pub nodes: Vec<Node>,
    /// Files copied as they are into `static/`: source file, path under `static/`.
    pub statics: Vec<(PathBuf, PathBuf)>,
    /// How links in the source name pages.
    pub links: LinkRules,
    /// How the source tool gave headings their ids.
    pub anchors: AnchorRule,
    /// Whether the old pages were `.html` files (mdBook), which Trellis's
    /// `aliases` (folders) cannot stand in for.
    pub html_addresses: bool,
}

/// A part (its intro page and what it holds) or an article.
#[derive(Debug)]
pub(crate) enum Node {
    /// An article.
    Article(Page),
    /// A part: its `_index.md` and its entries, in order.
    Part(Page, Vec<Node>),
}

/// Where a page's source lines are: the body's line `n` (1-based) is the
/// source file's line `n + offset`, or, after includes were expanded, the
/// line the table gives.
#[derive(Debug, Clone)]
pub(crate) enum LineMap {
    /// The body starts after this many lines of the file.
    Offset(usize),
    /// The source line of each body line.
    Table(Vec<usize>),
}

impl Default for LineMap {
    fn default() -> Self {
        LineMap::Offset(0)
    }
}

impl LineMap {
    /// The source line of body line `line` (1-based).
    pub fn line(&self, line: usize) -> usize {
        match self {
            LineMap::Offset(n) => line + n,
            LineMap::Table(lines) => lines
                .get(line.saturating_sub(1))
                .or(lines.last())
                .copied()
                .unwrap_or(1),
        }
    }
}

/// One page: an article, a part's intro or the home page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    /// The file it came from (absolute), if any: its links are relative to
    /// [`Page::dir`], and the report points into it.
    pub source: Option<PathBuf>,
    /// The folder its links are relative to.
    pub dir: PathBuf,
    /// The file the report names for it (the source, or the file that
    /// named it, such as `SUMMARY.md`), as shown to the user.
    pub shown: String,
    /// `title:`.
    pub title: String,
    /// `summary:`; taken from the first paragraph when `None`.
    pub summary: Option<String>,
    /// The slug wanted (a valid Trellis slug; made unique when placed).
    pub slug: String,
    /// `order:` (the file names' number prefixes give the order anyway).
    pub order: Option<i64>,
    /// `draft: true`.
    pub draft: bool,
    /// `tags:`.
    pub tags: Vec<String>,
    /// `authors:`.
    pub authors: Vec<String>,
    /// `aliases:` given in the source.
    pub aliases: Vec<String>,
    /// The markdown.
    pub body: String,
    /// Where the body's lines are in the source.
    pub lines: LineMap,
    /// Whether a first-level heading that opens the body is the page's
    /// title (mdBook, plain markdown), and so is left out of the body.
    pub strip_title: bool,
    /// Zola's page bundle (a folder with `index.md`): its files go into a
    /// folder named like the article, which keeps their old addresses.
    pub bundle: bool,
    /// The page's address in the old site ("guide/reading.html",
    /// "docs/intro/"), site-relative; old addresses that were folders become
    /// `aliases` when they change.
    pub old_url: Option<String>,
}

/// How links in a source name pages, besides relative paths to `.md` files.
#[derive(Debug, Clone, Default)]
pub(crate) struct LinkRules {
    /// `@/path.md` is relative to this folder (Zola's `content/`).
    pub content_root: Option<PathBuf>,
    /// `page.html` names the chapter `page.md` (mdBook).
    pub html_pages: bool,
    /// The folder the book's pages and files are in (mdBook's `src/`,
    /// Zola's `content/`, the folder of markdown): a file a page uses from
    /// outside the page's own folder keeps its path from here.
    pub files_root: PathBuf,
    /// Site-absolute old addresses (`blog/post/`) and the source file of
    /// the page that had each.
    pub site_paths: HashMap<String, PathBuf>,
}

/// How the source tool made heading ids from heading text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum AnchorRule {
    /// GitHub's rules, as mdBook and Trellis make them.
    #[default]
    GitHub,
    /// Zola's `slugify.anchors = "on"`: the `slug` crate's slugs.
    ZolaOn,
    /// Zola's `slugify.anchors = "safe"` or `"off"`: spaces become `_`.
    ZolaSafe,
}

/// `path` with `.` and `..` taken out (without touching the disk), as links are.
pub(crate) use crate::links::normalize;

/// "coping-with-stress" or "coping_with_stress" -> "Coping with stress".
pub(crate) fn title_from_name(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".into(),
    }
}

/// A Trellis slug for `text`, never empty.
pub(crate) fn slug_for(text: &str, fallback: &str) -> String {
    let slug = crate::slug::slugify(text);
    if slug.is_empty() {
        let fallback = crate::slug::slugify(fallback);
        if fallback.is_empty() {
            "page".into()
        } else {
            fallback
        }
    } else {
        slug
    }
}

/// Reads a source file as text; a file that is not UTF-8 or cannot be read
/// is an error at the file.
pub(crate) fn read_text(
    src: &Source,
    path: &Path,
) -> Result<String, crate::diagnostic::Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        crate::diagnostic::Code::ReadFailed
            .error(src.show(path), 1, 1, format!("cannot read it: {e}"))
            .with_help("check that the file exists and that you may read it")
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, column) = crate::diagnostic::line_col(
            &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
            e.utf8_error().valid_up_to(),
        );
        crate::diagnostic::Code::NotText
            .error(src.show(path), line, column, "this file is not UTF-8 text")
            .with_help("save it as UTF-8, then import again")
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        assert_eq!(title_from_name("for_developers"), "For developers");
        assert_eq!(slug_for("For developers", "x"), "for-developers");
        assert_eq!(slug_for("?!", "?"), "page");
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d.md")),
            PathBuf::from("/a/c/d.md")
        );
        assert_eq!(LineMap::Offset(3).line(2), 5);
        assert_eq!(LineMap::Table(vec![4, 4, 9]).line(3), 9);
        assert_eq!(LineMap::Table(vec![4]).line(7), 4);
    }
}
