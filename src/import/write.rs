//! Writing the new handbook: refusing an output that exists (unless it is
//! an empty folder, as `trellis init` accepts) or lies inside the source,
//! giving every page its place (`content/01-part/_index.md`,
//! `content/01-part/02-article.md`, slugs made unique, old addresses kept
//! as `aliases`), rewriting every body ([`super::rewrite`]), and writing
//! the files: `handbook.yaml`, `.gitignore`, the pages, the copied files and
//! `IMPORT-REPORT.md`. Files are created new, never replaced; if writing
//! fails part way, what this import made is removed again.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::rewrite::{self, Assets, Ctx, Placed};
use super::{normalize, Book, Failure, Imported, Kind, Node, Page, Report, Source};
use crate::content::discover::{alias_url, RESERVED_SLUGS};

/// The report's file name, at the new handbook's root.
pub(crate) const REPORT_FILE: &str = "IMPORT-REPORT.md";

/// Refuses an output that is a file, a folder with anything in it, or
/// inside the source (which must stay as it is).
pub(crate) fn check_output(root: &Path, output: &Path, shown: &Path) -> Result<(), Failure> {
    let real = |p: &Path| -> PathBuf {
        // The nearest existing folder, resolved, with the rest added back.
        let mut existing = p.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut out = fs::canonicalize(&existing).unwrap_or(existing);
        for name in rest.iter().rev() {
            out.push(name);
        }
        out
    };
    let (real_root, real_output) = (real(root), real(output));
    if real_output.starts_with(&real_root) || output.starts_with(root) {
        return Err(Failure::refused(
            format!(
                "{} is inside the book being imported; the import never writes into its source",
                shown.display()
            ),
            "give a folder outside the book, e.g. `--output ../my-handbook`",
        ));
    }
    if output.exists() {
        if !output.is_dir() {
            return Err(Failure::refused(
                format!("{} is a file, not a folder", shown.display()),
                "give the name of a new or empty folder, e.g. `--output my-handbook`",
            ));
        }
        let mut entries = fs::read_dir(output).map_err(|e| {
            Failure::refused(
                format!("cannot read {}: {e}", shown.display()),
                "give the name of a new folder",
            )
        })?;
        if entries.next().is_some() {
            return Err(Failure::refused(
                format!(
                    "{} is not empty; Trellis imports only into a new or empty folder",
                    shown.display()
                ),
                "give the name of a new folder, e.g. `--output my-handbook`",
            ));
        }
    }
    Ok(())
}

/// What a page becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlotKind {
    Home,
    Part,
    Article,
}

/// A page and its place in the new handbook.
struct Slot<'a> {
    page: &'a Page,
    kind: SlotKind,
    /// Relative to `content/`.
    file: PathBuf,
    /// Site-relative, ending in `/` (empty for the home page).
    url: String,
}

/// Gives each node its file: `NN-slug.md`, or `NN-slug/_index.md` for
/// parts, numbered in order, slugs made unique among their siblings.
fn place<'a>(nodes: &'a [Node], dir: &Path, url: &str, slots: &mut Vec<Slot<'a>>) {
    let width = nodes.len().to_string().len().max(2);
    let mut used: HashSet<String> = HashSet::new();
    if url.is_empty() {
        used.extend(RESERVED_SLUGS.iter().map(|s| s.to_string()));
    }
    for (i, node) in nodes.iter().enumerate() {
        let page = match node {
            Node::Article(p) | Node::Part(p, _) => p,
        };
        let base = if page.slug.is_empty() {
            "page".to_string()
        } else {
            page.slug.clone()
        };
        let mut slug = base.clone();
        let mut n = 2;
        while !used.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        let name = format!("{:0width$}-{slug}", i + 1);
        let page_url = format!("{url}{slug}/");
        match node {
            Node::Article(page) => slots.push(Slot {
                page,
                kind: SlotKind::Article,
                file: dir.join(format!("{name}.md")),
                url: page_url,
            }),
            Node::Part(page, children) => {
                let part_dir = dir.join(&name);
                slots.push(Slot {
                    page,
                    kind: SlotKind::Part,
                    file: part_dir.join("_index.md"),
                    url: page_url.clone(),
                });
                place(children, &part_dir, &page_url, slots);
            }
        }
    }
}

/// An article's front matter as written.
#[derive(Serialize)]
struct ArticleFront<'a> {
    title: &'a str,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<i64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    authors: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    aliases: &'a [String],
}

/// A part's (or the home page's) front matter as written.
#[derive(Serialize)]
struct PartFront<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<i64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
}

/// `handbook.yaml`'s settings from the book.
#[derive(Serialize)]
struct Settings<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_url: Option<&'a str>,
    language: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    authors: &'a [String],
}

/// A file of the new handbook.
enum Planned {
    Text(PathBuf, String),
    Copy(PathBuf, PathBuf),
}

/// Places, rewrites and writes `book` into `output`.
pub(crate) fn import_book(
    src: &Source,
    book: Book,
    output: &Path,
    shown_output: &Path,
    kind: Kind,
    mut report: Report,
) -> Result<Imported, Failure> {
    let mut slots: Vec<Slot<'_>> = Vec::new();
    if let Some(home) = &book.home {
        slots.push(Slot {
            page: home,
            kind: SlotKind::Home,
            file: PathBuf::from("_index.md"),
            url: String::new(),
        });
    }
    place(&book.nodes, Path::new(""), "", &mut slots);

    let mut pages: HashMap<PathBuf, usize> = HashMap::new();
    for (i, slot) in slots.iter().enumerate() {
        if let Some(source) = &slot.page.source {
            pages.entry(normalize(source)).or_insert(i);
        }
    }
    let analyses: Vec<rewrite::Analysis> = slots
        .iter()
        .map(|s| rewrite::analyze(s.page, book.anchors))
        .collect();
    let placed: Vec<Placed> = slots
        .iter()
        .zip(&analyses)
        .map(|(s, a)| {
            let dir = s.file.parent().unwrap_or(Path::new("")).to_path_buf();
            let asset_dir = match (s.page.bundle, s.file.file_stem()) {
                (true, Some(stem)) => {
                    let stem = stem.to_string_lossy();
                    dir.join(crate::slug::split_number_prefix(&stem).1)
                }
                _ => dir,
            };
            Placed {
                file: s.file.clone(),
                ids: a.ids(),
                title_id: a.title_id().map(str::to_string),
                asset_dir,
            }
        })
        .collect();
    let statics: HashSet<String> = book
        .statics
        .iter()
        .map(|(_, dest)| dest.to_string_lossy().replace('\\', "/"))
        .collect();
    let ctx = Ctx {
        src,
        rules: &book.links,
        pages: &pages,
        placed: &placed,
        statics: &statics,
        mdbook: kind == Kind::Mdbook,
    };

    // Every page's new address, so that no alias takes one.
    let mut taken_urls: HashSet<String> = slots.iter().map(|s| s.url.clone()).collect();
    for reserved in RESERVED_SLUGS {
        taken_urls.insert(format!("{reserved}/"));
    }

    let mut assets = Assets::default();
    let mut files: Vec<Planned> = Vec::new();
    let (mut articles, mut parts) = (0, 0);
    for (i, slot) in slots.iter().enumerate() {
        let page = slot.page;
        let analysis = &analyses[i];
        let body = rewrite::convert(page, i, analysis, &ctx, &mut assets, &mut report);
        let skip = usize::from(analysis.title.is_some());
        let body = rewrite::fix_headings(&body, analysis.wanted.get(skip..).unwrap_or(&[]));
        let found_summary = page.summary.clone().or_else(|| rewrite::summary(&body));
        let text = match slot.kind {
            SlotKind::Article => {
                articles += 1;
                let summary = found_summary.unwrap_or_else(|| {
                    report.add(
                        page.shown.clone(),
                        page.lines.line(1).max(1),
                        "the page has no paragraph to take its summary from",
                        format!(
                            "write one or two sentences in `summary:` in content/{} (it starts with TODO now)",
                            slot.file.display()
                        ),
                    );
                    format!("TODO: one or two sentences on what “{}” is about.", page.title)
                });
                let aliases = aliases_for(
                    page,
                    &slot.url,
                    book.html_addresses,
                    &mut taken_urls,
                    &mut report,
                );
                front(
                    &ArticleFront {
                        title: &page.title,
                        summary: &summary,
                        order: page.order,
                        draft: page.draft,
                        tags: &page.tags,
                        authors: &page.authors,
                        aliases: &aliases,
                    },
                    &body,
                )
            }
            SlotKind::Part | SlotKind::Home => {
                if slot.kind == SlotKind::Part {
                    parts += 1;
                    note_moved(page, &slot.url, book.html_addresses, false, &mut report);
                }
                front(
                    &PartFront {
                        title: &page.title,
                        summary: found_summary.as_deref(),
                        order: page.order,
                        draft: page.draft,
                    },
                    &body,
                )
            }
        };
        files.push(Planned::Text(
            PathBuf::from("content").join(&slot.file),
            text,
        ));
    }
    for (from, to) in &assets.list {
        files.push(Planned::Copy(
            from.clone(),
            PathBuf::from("content").join(to),
        ));
    }
    let mut copied = assets.list.len();
    for (from, to) in &book.statics {
        if !assets.has(from) {
            files.push(Planned::Copy(
                from.clone(),
                PathBuf::from("static").join(to),
            ));
            copied += 1;
        }
    }
    files.push(Planned::Text(
        PathBuf::from(crate::config::CONFIG_FILE),
        settings(&book, kind, src),
    ));
    files.push(Planned::Text(
        PathBuf::from(".gitignore"),
        include_str!("../scaffold/templates/init/gitignore").to_string(),
    ));
    report.sort();
    let summary = format!(
        "Imported from {} `{}` by `trellis import`: {articles} article{} in {parts} part{}, {copied} file{} copied.",
        kind.description(),
        src.shown.display(),
        plural(articles),
        plural(parts),
        plural(copied),
    );
    files.push(Planned::Text(
        PathBuf::from(REPORT_FILE),
        report.to_markdown("Import report", &summary),
    ));

    let mut writer = Writer::default();
    if let Err(e) = writer.write_all(output, &files) {
        writer.undo();
        return Err(Failure::refused(
            format!("cannot write the handbook into {}: {e}", shown_output.display()),
            "check that you may write there and that the disk has room; what was written has been removed",
        ));
    }
    Ok(Imported {
        report,
        articles,
        parts,
        copied,
        report_file: shown_output.join(REPORT_FILE),
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Front matter and body as a file's text.
fn front<T: Serialize>(meta: &T, body: &str) -> String {
    let yaml = crate::yaml::to_string(meta).unwrap_or_else(|_| "title: Untitled\n".into());
    let body = body.trim_start_matches(['\n', '\r']).trim_end();
    let mut text = format!("---\n{yaml}---\n");
    if !body.is_empty() {
        text.push('\n');
        text.push_str(body);
        text.push('\n');
    }
    text
}

/// The article's `aliases:`: those the source gave (when they are paths
/// in the site) and its old address when that was a folder and changed.
fn aliases_for(
    page: &Page,
    url: &str,
    html_addresses: bool,
    taken: &mut HashSet<String>,
    report: &mut Report,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |alias: &str, taken: &mut HashSet<String>| -> bool {
        match alias_url(alias) {
            Ok(folder) if taken.insert(folder.clone()) => {
                out.push(alias.trim().trim_matches('/').to_string());
                true
            }
            _ => false,
        }
    };
    for alias in &page.aliases {
        if !add(alias, taken) {
            report.add(
                page.shown.clone(),
                page.lines.line(0).max(1),
                format!("the alias `{alias}` is not carried over: it is not a path inside the site, or another page has it"),
                "redirect that address on your web server if readers still use it",
            );
        }
    }
    let aliased = match &page.old_url {
        Some(old) if !html_addresses && old.trim_matches('/') != url.trim_matches('/') => {
            add(old, taken)
        }
        _ => false,
    };
    note_moved(page, url, html_addresses, aliased, report);
    out
}

/// Records a page whose address changed in the report's table.
fn note_moved(page: &Page, url: &str, html_addresses: bool, aliased: bool, report: &mut Report) {
    if let Some(old) = &page.old_url {
        let same = !html_addresses && old.trim_matches('/') == url.trim_matches('/');
        if !same {
            report.moved.push((old.clone(), url.to_string(), aliased));
        }
    }
}

/// `handbook.yaml`: the book's settings, then the crisis signposting a new
/// handbook starts with (the same as `trellis init`'s).
fn settings(book: &Book, kind: Kind, src: &Source) -> String {
    let values = Settings {
        title: &book.title,
        description: book.description.as_deref(),
        base_url: book.base_url.as_deref(),
        language: book.language.as_deref().unwrap_or("en"),
        authors: &book.authors,
    };
    let yaml = crate::yaml::to_string(&values).unwrap_or_else(|_| "title: Imported\n".into());
    let init = include_str!("../scaffold/templates/init/handbook.yaml");
    let crisis = init
        .find("crisis:")
        .map(|start| {
            let rest = &init[start..];
            let end = rest.find("\nglossary:").map_or(rest.len(), |e| e + 1);
            &rest[..end]
        })
        .unwrap_or("");
    format!(
        "# Settings for this handbook, imported from {} `{}` by `trellis import`\n\
         # (IMPORT-REPORT.md lists what could not be carried over). Only `title`\n\
         # is required; docs/authoring.md in the Trellis repository lists every key.\n\
         {yaml}theme: default\noutput_dir: public\n\
         # Crisis signposting, shown on every page: check that it fits your readers.\n\
         {crisis}",
        kind.description(),
        src.shown.display(),
    )
}

/// Writes new files and remembers what it made, to remove it again.
#[derive(Default)]
struct Writer {
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
}

impl Writer {
    fn write_all(&mut self, output: &Path, files: &[Planned]) -> std::io::Result<()> {
        self.make_dirs(output)?;
        for file in files {
            match file {
                Planned::Text(rel, text) => {
                    let path = output.join(rel);
                    self.make_dirs(path.parent().unwrap_or(output))?;
                    let mut f = self.create(&path)?;
                    f.write_all(text.as_bytes())?;
                }
                Planned::Copy(from, rel) => {
                    let path = output.join(rel);
                    self.make_dirs(path.parent().unwrap_or(output))?;
                    let mut source = fs::File::open(from)?;
                    let mut f = self.create(&path)?;
                    std::io::copy(&mut source, &mut f)?;
                }
            }
        }
        Ok(())
    }

    fn create(&mut self, path: &Path) -> std::io::Result<fs::File> {
        let f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        self.files.push(path.to_path_buf());
        Ok(f)
    }

    /// Makes `dir` and its missing parents, one at a time, remembering each.
    fn make_dirs(&mut self, dir: &Path) -> std::io::Result<()> {
        let mut missing = Vec::new();
        let mut at = dir;
        while !at.exists() {
            missing.push(at.to_path_buf());
            match at.parent() {
                Some(parent) => at = parent,
                None => break,
            }
        }
        for d in missing.into_iter().rev() {
            match fs::create_dir(&d) {
                Ok(()) => self.dirs.push(d),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Removes what it made: its files, then its folders (only if empty).
    fn undo(&mut self) {
        for f in self.files.iter().rev() {
            let _ = fs::remove_file(f);
        }
        for d in self.dirs.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_inside_the_source_or_not_empty_is_refused() {
        let dir = std::env::temp_dir().join(format!("trellis-import-out-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("book/src")).unwrap();
        let refused = |out: &Path| check_output(&dir.join("book"), out, out).is_err();
        assert!(refused(&dir.join("book/out")));
        assert!(refused(&dir.join("book")));
        assert!(!refused(&dir.join("new")));
        fs::create_dir_all(dir.join("empty")).unwrap();
        assert!(!refused(&dir.join("empty")));
        fs::write(dir.join("empty/x"), "x").unwrap();
        assert!(refused(&dir.join("empty")));
        assert!(refused(&dir.join("empty/x")));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn front_matter_reads_back() {
        let text = front(
            &ArticleFront {
                title: "Yes: \"no\"",
                summary: "true",
                order: Some(3),
                draft: true,
                tags: &["a".into()],
                authors: &[],
                aliases: &[],
            },
            "\nBody\n",
        );
        let split = crate::frontmatter::split(&text, Path::new("a.md")).unwrap();
        let meta: crate::frontmatter::ArticleMeta =
            crate::frontmatter::parse(&split, Path::new("a.md")).unwrap();
        assert_eq!(meta.title, "Yes: \"no\"");
        assert_eq!(meta.summary.as_deref(), Some("true"));
        assert_eq!(meta.order, Some(3));
        assert!(meta.draft);
        assert_eq!(split.body, "\nBody\n");
        assert_eq!(
            front(
                &PartFront {
                    title: "P",
                    summary: None,
                    order: None,
                    draft: false
                },
                "\n\n"
            ),
            "---\ntitle: P\n---\n"
        );
    }
}
