//! Reading a plain folder of markdown: each folder that holds markdown
//! somewhere below it is a part, each `.md` file an article; a folder's
//! `_index.md`, `index.md` or `README.md` is its intro (the top folder's is
//! the home page's). Order comes from number prefixes (`01-`, `2_`, `3.`),
//! then names; a title from the front matter, else the first heading when
//! the file opens with one (it then leaves the body), else the file name;
//! a summary from the front matter's `summary` or `description`, else the
//! first paragraph. Front matter (YAML `---` or TOML `+++`), as Jekyll, Hugo
//! or Obsidian write it, is read like Zola's. Only files that pages link to
//! are copied.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::meta;
use super::{
    read_text, slug_for, title_from_name, AnchorRule, Book, Failure, LineMap, Node, Page, Report,
    Source,
};
use crate::diagnostic::Diagnostics;
use crate::slug::split_number_prefix;

/// Folders never read: version control, dependencies and build output.
const SKIPPED_FOLDERS: &[&str] = &["node_modules", "target", "_site"];

/// Names of a folder's intro, in order of preference.
const INTRO_NAMES: &[&str] = &["_index.md", "index.md", "readme.md"];

/// Reads the folder of markdown at `src`.
pub(crate) fn read(src: &Source, report: &mut Report) -> Result<Book, Failure> {
    if !has_markdown(&src.root) {
        return Err(Failure::usage(
            format!("{} holds no markdown (`.md`) files", src.shown.display()),
            "give the folder that holds the book's markdown files",
        ));
    }
    let mut reader = Reader {
        src,
        report,
        errors: Diagnostics::new(),
        seen: Default::default(),
    };
    let (home, nodes) = reader.folder(&src.root);
    if !reader.errors.is_empty() {
        return Err(Failure::Source(reader.errors));
    }
    let folder_title = src
        .root
        .file_name()
        .map(|n| title_from_name(&n.to_string_lossy()))
        .unwrap_or_else(|| "Imported handbook".into());
    let title = home
        .as_ref()
        .map(|h| h.title.clone())
        .filter(|t| !t.is_empty())
        .unwrap_or(folder_title);
    Ok(Book {
        title,
        description: home.as_ref().and_then(|h| h.summary.clone()),
        home,
        nodes,
        anchors: AnchorRule::GitHub,
        links: super::LinkRules {
            files_root: src.root.clone(),
            ..Default::default()
        },
        ..Book::default()
    })
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn skipped(name: &str) -> bool {
    name.starts_with('.') || SKIPPED_FOLDERS.contains(&name)
}

/// Whether a folder holds markdown somewhere below it (skipped folders aside).
fn has_markdown(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skipped(&e.file_name().to_string_lossy()))
        .flatten()
        .any(|e| e.file_type().is_file() && is_markdown(e.path()))
}

struct Reader<'a> {
    src: &'a Source,
    report: &'a mut Report,
    errors: Diagnostics,
    /// Folders read (resolved), so that a link back up is not followed forever.
    seen: std::collections::HashSet<PathBuf>,
}

impl Reader<'_> {
    /// A folder's intro and entries, in order.
    fn folder(&mut self, dir: &Path) -> (Option<Page>, Vec<Node>) {
        if !self
            .seen
            .insert(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()))
        {
            return (None, Vec::new());
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
            Err(_) => Vec::new(),
        };
        entries.sort();
        let intro_file = INTRO_NAMES.iter().find_map(|want| {
            entries.iter().find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(want))
            })
        });
        let intro_file = intro_file.cloned();
        let intro = intro_file.as_ref().and_then(|f| self.page(f, true));
        let mut items: Vec<(Option<i64>, String, Node)> = Vec::new();
        for path in entries {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if skipped(&name) || Some(&path) == intro_file.as_ref() {
                continue;
            }
            let (number, rest) = split_number_prefix(&name);
            if path.is_dir() {
                if !has_markdown(&path) {
                    continue;
                }
                let (intro, children) = self.folder(&path);
                if intro.is_none() && children.is_empty() {
                    continue; // read already (a link back up), or nothing in it
                }
                let mut intro = intro.unwrap_or_else(|| Page {
                    dir: path.clone(),
                    shown: self.src.show(&path),
                    title: title_from_name(rest),
                    ..Page::default()
                });
                intro.slug = slug_for(rest, "part");
                items.push((number, rest.to_lowercase(), Node::Part(intro, children)));
            } else if is_markdown(&path) {
                if let Some(page) = self.page(&path, false) {
                    items.push((number, rest.to_lowercase(), Node::Article(page)));
                }
            }
        }
        items.sort_by(|a, b| (a.0.is_none(), a.0, &a.1).cmp(&(b.0.is_none(), b.0, &b.1)));
        (intro, items.into_iter().map(|(_, _, n)| n).collect())
    }

    /// The page in `path` (a folder's intro when `intro`).
    fn page(&mut self, path: &Path, intro: bool) -> Option<Page> {
        let shown = self.src.show(path);
        let text = match read_text(self.src, path) {
            Ok(t) => t,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        let split = match meta::split(&text, &shown) {
            Ok(s) => s,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        let fields = meta::fields(&split, &shown, intro, self.report);
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let bare = split_number_prefix(&stem).1.to_string();
        let first = first_heading(&split.body);
        let strip_title = fields.title.is_none() && first.as_ref().is_some_and(|(_, opens)| *opens);
        let title = fields
            .title
            .clone()
            .or(first.map(|(t, _)| t))
            .unwrap_or_else(|| title_from_name(&bare));
        let dir = path.parent().unwrap_or(&self.src.root).to_path_buf();
        let slug = match &fields.slug {
            Some(s) => slug_for(s, &bare),
            None => slug_for(&bare, &title),
        };
        Some(Page {
            source: Some(path.to_path_buf()),
            dir,
            shown,
            title,
            summary: fields.summary,
            slug,
            order: fields.weight,
            draft: fields.draft,
            tags: fields.tags,
            authors: fields.authors,
            aliases: fields.aliases,
            body: split.body,
            lines: LineMap::Offset(split.body_offset),
            strip_title,
            old_url: None,
            bundle: false,
        })
    }
}

/// The text of the body's first heading, and whether the body opens with
/// it as a first-level heading (which then leaves the body as the title).
fn first_heading(body: &str) -> Option<(String, bool)> {
    let events = Parser::new_ext(body, crate::markdown::options()).filter(|e| {
        !matches!(
            e,
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) | Event::Html(_)
        )
    });
    let mut first_block = true;
    let mut heading: Option<(String, bool)> = None;
    for e in events {
        match (&mut heading, e) {
            (None, Event::Start(Tag::Heading { level, .. })) => {
                heading = Some((String::new(), first_block && level == HeadingLevel::H1));
            }
            (Some(_), Event::End(TagEnd::Heading(_))) => break,
            (Some((text, _)), Event::Text(t) | Event::Code(t)) => text.push_str(&t),
            (None, Event::Start(_)) => first_block = false,
            _ => {}
        }
    }
    let (text, opens) = heading?;
    let text = text.trim().to_string();
    (!text.is_empty()).then_some((text, opens))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_opening_heading_is_the_title() {
        let title = |body: &str| first_heading(body);
        assert_eq!(
            title("<!-- c -->\n# Coping `well`\n\nText"),
            Some(("Coping well".into(), true))
        );
        assert_eq!(title("Text\n\n# Later\n"), Some(("Later".into(), false)));
        assert_eq!(
            title("## Second level\n"),
            Some(("Second level".into(), false))
        );
        assert_eq!(title("No heading\n"), None);
    }
}
