//! Reading an mdBook book (the folder holding `book.toml`): the title,
//! description, authors and language from `book.toml`; parts and their
//! order from `SUMMARY.md` (part titles and chapters with sub-chapters
//! become parts, whose intro is the chapter's own text; `[Title]()` draft
//! chapters become drafts; the first chapter before the numbered ones
//! becomes the home page's intro); `{{#include}}`, `{{#rustdoc_include}}`
//! and `{{#playground}}` expanded as mdBook does where the file is there.
//! What Trellis cannot do (preprocessors, other renderers, theme folders,
//! `{{#title}}`, redirects, custom CSS and scripts) goes into the report.
//!
//! mdBook's pages were `.html` files (`guide/reading.html`); Trellis's are
//! folders, so the report's table lists every old address with its new one
//! for a redirect on the web server.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::meta::{self, text};
use super::{
    normalize, read_text, slug_for, AnchorRule, Book, Failure, LineMap, LinkRules, Node, Page,
    Report, Source,
};
use crate::diagnostic::{line_col, Code, Diagnostic, Diagnostics};

/// mdBook stops expanding includes this deep (an include cycle).
const MAX_INCLUDE_DEPTH: usize = 10;

/// Reads the mdBook book at `src`.
pub(crate) fn read(src: &Source, report: &mut Report) -> Result<Book, Failure> {
    let toml_path = src.root.join("book.toml");
    if !toml_path.is_file() {
        return Err(Failure::usage(
            format!("{} has no book.toml: it is not an mdBook book", src.shown.display()),
            "give the folder that holds book.toml, or import a plain folder with `trellis import markdown`",
        ));
    }
    let shown_toml = src.show(&toml_path);
    let toml_text = read_text(src, &toml_path).map_err(one)?;
    let config = meta::parse_toml(&toml_text, &shown_toml, 0).map_err(one)?;
    let section = |name: &str| config.get(name).and_then(|v| v.as_object()).cloned();
    let book_table = section("book").unwrap_or_default();
    let get = |key: &str| book_table.get(key).and_then(text);
    let src_dir = normalize(&src.root.join(get("src").unwrap_or_else(|| "src".into())));
    report_book_toml(&toml_text, &shown_toml, src, report);

    let summary_path = src_dir.join("SUMMARY.md");
    let shown_summary = src.show(&summary_path);
    if !summary_path.is_file() {
        return Err(Failure::Source(Diagnostics(vec![Code::ImportSource
            .error(
                &shown_summary,
                1,
                1,
                "there is no SUMMARY.md: mdBook books list their chapters in it",
            )
            .with_help(
                "check `src` in book.toml, or import the folder with `trellis import markdown`",
            )])));
    }
    let summary_text = read_text(src, &summary_path).map_err(one)?;
    let summary = parse_summary(&summary_text, &shown_summary).map_err(one)?;
    check_files(&summary, &src_dir, &shown_summary).map_err(Failure::Source)?;

    let mut reader = Reader {
        src,
        src_dir: &src_dir,
        shown_summary: &shown_summary,
        report,
        errors: Diagnostics::new(),
        included: HashSet::new(),
    };
    let title = get("title").unwrap_or_else(|| {
        src.root
            .file_name()
            .map(|n| super::title_from_name(&n.to_string_lossy()))
            .unwrap_or_else(|| "Imported book".into())
    });
    let description = get("description");
    let mut home = None;
    let mut nodes = Vec::new();
    let mut prefix = summary.prefix.into_iter();
    if let Some(first) = prefix.next() {
        if first.path.is_some() {
            let mut page = reader.page(&first);
            page.title = title.clone();
            if let Some(d) = &description {
                page.summary = Some(d.clone());
            }
            home = Some(page);
        } else {
            nodes.push(reader.node(&first));
        }
    }
    for ch in prefix {
        nodes.push(reader.node(&ch));
    }
    let mut current_part: Option<(Page, Vec<Node>)> = None;
    for entry in summary.numbered {
        match entry {
            Entry::PartTitle(name) => {
                if let Some((page, children)) = current_part.take() {
                    nodes.push(Node::Part(page, children));
                }
                let page = Page {
                    dir: src_dir.clone(),
                    shown: shown_summary.clone(),
                    slug: slug_for(&name, "part"),
                    title: name,
                    ..Page::default()
                };
                current_part = Some((page, Vec::new()));
            }
            Entry::Chapter(ch) => {
                let node = reader.node(&ch);
                match current_part.as_mut() {
                    Some((_, children)) => children.push(node),
                    None => nodes.push(node),
                }
            }
        }
    }
    if let Some((page, children)) = current_part.take() {
        nodes.push(Node::Part(page, children));
    }
    for ch in summary.suffix {
        nodes.push(reader.node(&ch));
    }
    if !reader.errors.is_empty() {
        return Err(Failure::Source(reader.errors));
    }
    let included = reader.included;

    // The book's other files keep their addresses, in `static/`; files that
    // were only included into chapters are not copied.
    let mut statics = Vec::new();
    for entry in walkdir::WalkDir::new(&src_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .flatten()
    {
        let path = entry.path();
        let is_md = path.extension().is_some_and(|e| e == "md");
        if entry.file_type().is_file() && !is_md && !included.contains(path) {
            if let Ok(rel) = path.strip_prefix(&src_dir) {
                statics.push((path.to_path_buf(), rel.to_path_buf()));
            }
        }
    }
    let authors = book_table
        .get("authors")
        .map(meta::strings)
        .unwrap_or_default();
    Ok(Book {
        title,
        description,
        language: get("language"),
        authors,
        base_url: None,
        home,
        nodes,
        statics,
        links: LinkRules {
            content_root: None,
            html_pages: true,
            files_root: src_dir.clone(),
            site_paths: Default::default(),
        },
        anchors: AnchorRule::GitHub,
        html_addresses: true,
    })
}

fn one(d: Diagnostic) -> Failure {
    Failure::Source(Diagnostics(vec![d]))
}

/// Lists what in `book.toml` (and the theme folder) Trellis does not do.
fn report_book_toml(text: &str, shown: &str, src: &Source, report: &mut Report) {
    let mut table = String::new();
    let mut theme_reported = false;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let t = line.trim();
        if t.starts_with('[') {
            table = t
                .trim_start_matches('[')
                .trim_end_matches(']')
                .replace(['"', '\'', ' '], "");
            let segments: Vec<&str> = table.split('.').collect();
            match segments.as_slice() {
                ["preprocessor", name] => {
                    if let Some(todo) = preprocessor_todo(name) {
                        report.add(
                            shown,
                            line_no,
                            format!("the `{name}` preprocessor is not run"),
                            todo,
                        );
                    }
                }
                ["output", name] if *name != "html" => {
                    let todo = if *name == "linkcheck" {
                        "`trellis build` and `trellis check` check every link between pages themselves"
                    } else {
                        "Trellis builds its own site (and EPUB with `trellis export epub`); keep mdBook for this output if you still need it"
                    };
                    report.add(
                        shown,
                        line_no,
                        format!("the `{name}` output (renderer) is not made"),
                        todo,
                    );
                }
                ["output", "html", "redirect"] => report.add(
                    shown,
                    line_no,
                    "the book's redirects are not carried over",
                    "redirect those addresses on your web server; IMPORT-REPORT.md lists every page's old and new address",
                ),
                ["output", "html", "playground"] => report.add(
                    shown,
                    line_no,
                    "runnable code (the playground) is not carried over: code is shown, not run",
                    "link to the Rust Playground beside code that readers should run",
                ),
                _ => {}
            }
            continue;
        }
        if table != "output.html" {
            continue;
        }
        let key = t.split('=').next().unwrap_or("").trim().trim_matches('"');
        let value = t.split_once('=').map_or("", |(_, v)| v.trim());
        let item: Option<(String, &str)> = match key {
            "additional-css" | "additional-js" => Some((
                format!("`{key}` (the book's own styles or scripts) is not carried over"),
                "Trellis pages load only their theme's files: make a theme of your own (docs/themes.md)",
            )),
            "theme" => {
                theme_reported = true;
                Some((
                    "the theme (HTML templates and CSS) is not carried over".into(),
                    "Trellis pages use its own themes: see docs/themes.md to change how they look",
                ))
            }
            "mathjax-support" if value == "true" => Some((
                "MathJax is not carried over: math is shown as its TeX source".into(),
                "write formulas in words, or as pictures with alt text",
            )),
            "git-repository-url" | "edit-url-template" => Some((
                format!("`{key}` is not carried over: pages have no repository or edit link"),
                "add the link to a template of your own theme (docs/themes.md) if readers need it",
            )),
            "input-404" => Some((
                "the book's own 404 page is not carried over".into(),
                "Trellis writes 404.html itself",
            )),
            _ => None,
        };
        if let Some((what, todo)) = item {
            report.add(shown, line_no, what, todo);
        }
    }
    let theme_dir = src.root.join("theme");
    if theme_dir.is_dir() && !theme_reported {
        report.add(
            src.show(&theme_dir),
            0,
            "the theme folder (HTML templates and CSS) is not carried over",
            "Trellis pages use its own themes: see docs/themes.md to change how they look",
        );
    }
}

/// What to do without the preprocessor `name` (`None` for those whose work
/// the import does itself).
fn preprocessor_todo(name: &str) -> Option<&'static str> {
    Some(match name {
        "links" | "index" => return None,
        "katex" | "mathjax" => "math stays as its TeX source: write formulas in words, or as pictures with alt text",
        "mermaid" => "Mermaid diagrams stay as code: draw them as SVG pictures and show them as images with alt text",
        "toc" => "Trellis adds an \"On this page\" list to articles with more than one heading; remove the `<!-- toc -->` markers",
        "admonish" => "```admonish blocks stay as code: turn them into callouts (`> [!NOTE]`, `> [!TIP]`, `> [!WARNING]`)",
        _ => "what it changed in the chapters is not in the new handbook: check the chapters it touched and redo its work in the markdown",
    })
}

/// One chapter of `SUMMARY.md`.
#[derive(Debug, Clone)]
struct Chapter {
    name: String,
    /// `None` for a draft chapter (`[Title]()`).
    path: Option<String>,
    line: usize,
    column: usize,
    children: Vec<Chapter>,
}

/// The numbered part of `SUMMARY.md`: part titles and chapters.
#[derive(Debug, Clone)]
enum Entry {
    PartTitle(String),
    Chapter(Chapter),
}

/// `SUMMARY.md`, as mdBook reads it.
#[derive(Debug, Clone, Default)]
struct Summary {
    prefix: Vec<Chapter>,
    numbered: Vec<Entry>,
    suffix: Vec<Chapter>,
}

/// A port of mdBook's SUMMARY.md parser that keeps positions.
struct SummaryParser<'a> {
    text: &'a str,
    shown: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    at: usize,
}

/// Parses `SUMMARY.md`; a structure mdBook refuses is an error at its place.
fn parse_summary(text: &str, shown: &str) -> Result<Summary, Diagnostic> {
    let mut p = SummaryParser {
        text,
        shown,
        events: Parser::new(text).into_offset_iter().collect(),
        at: 0,
    };
    p.skip_title();
    let prefix = p.affix(true)?;
    let numbered = p.parts()?;
    let suffix = p.affix(false)?;
    Ok(Summary {
        prefix,
        numbered,
        suffix,
    })
}

impl<'a> SummaryParser<'a> {
    fn peek(&self) -> Option<&Event<'a>> {
        self.events.get(self.at).map(|(e, _)| e)
    }

    fn next(&mut self) -> Option<Event<'a>> {
        let e = self.events.get(self.at).map(|(e, _)| e.clone());
        self.at += 1;
        e
    }

    fn position(&self) -> (usize, usize) {
        let offset = self
            .events
            .get(self.at.saturating_sub(1))
            .map_or(self.text.len(), |(_, r)| r.start);
        line_col(self.text, offset)
    }

    fn error(&self, message: &str, help: &str) -> Diagnostic {
        let (line, column) = self.position();
        Code::ImportSource
            .error(self.shown, line, column, message)
            .with_help(help)
    }

    /// Text up to the end of the tag just opened.
    fn text_until_end(&mut self) -> String {
        let mut depth = 1usize;
        let mut out = String::new();
        while let Some(e) = self.next() {
            match e {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Event::Text(t) | Event::Code(t) => out.push_str(&t),
                Event::SoftBreak => out.push(' '),
                _ => {}
            }
        }
        out.trim().to_string()
    }

    fn skip_title(&mut self) {
        loop {
            match self.peek() {
                Some(Event::Html(_) | Event::InlineHtml(_))
                | Some(Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock)) => {
                    self.at += 1;
                }
                Some(Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                })) => {
                    self.at += 1;
                    self.text_until_end();
                    return;
                }
                _ => return,
            }
        }
    }

    /// A link just opened: the chapter it names.
    fn link(&mut self, dest: &str) -> Chapter {
        let (line, column) = self.position();
        let name = self.text_until_end();
        Chapter {
            name,
            path: (!dest.is_empty()).then(|| dest.replace("%20", " ")),
            line,
            column,
            children: Vec::new(),
        }
    }

    fn affix(&mut self, prefix: bool) -> Result<Vec<Chapter>, Diagnostic> {
        let mut items = Vec::new();
        while let Some(e) = self.peek().cloned() {
            match e {
                Event::Start(Tag::List(_))
                | Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) => {
                    if prefix {
                        break;
                    }
                    self.at += 1;
                    return Err(self.error(
                        "chapters after the numbered ones cannot be followed by a list",
                        "move the list up into the numbered chapters, or end SUMMARY.md with the un-numbered chapters",
                    ));
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    self.at += 1;
                    items.push(self.link(&dest_url));
                }
                _ => self.at += 1,
            }
        }
        Ok(items)
    }

    fn parts(&mut self) -> Result<Vec<Entry>, Diagnostic> {
        let mut entries = Vec::new();
        loop {
            match self.peek() {
                Some(Event::Start(Tag::Paragraph)) | None => break,
                Some(Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                })) => {
                    self.at += 1;
                    entries.push(Entry::PartTitle(self.text_until_end()));
                }
                Some(_) => {}
            }
            entries.extend(self.numbered()?.into_iter().map(Entry::Chapter));
        }
        Ok(entries)
    }

    fn numbered(&mut self) -> Result<Vec<Chapter>, Diagnostic> {
        let mut items = Vec::new();
        let mut first = true;
        while let Some(e) = self.peek().cloned() {
            match e {
                Event::Start(Tag::Paragraph) => {
                    if !first {
                        break;
                    }
                    self.at += 1;
                }
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) => break,
                Event::Start(Tag::List(_)) => {
                    self.at += 1;
                    items.extend(self.nested()?);
                }
                Event::Start(_) => {
                    self.at += 1;
                    self.text_until_end();
                }
                _ => self.at += 1,
            }
            first = false;
        }
        Ok(items)
    }

    /// The items of a list whose start was just read.
    fn nested(&mut self) -> Result<Vec<Chapter>, Diagnostic> {
        let mut items: Vec<Chapter> = Vec::new();
        while let Some(e) = self.next() {
            match e {
                Event::Start(Tag::Item) => items.push(self.item()?),
                Event::Start(Tag::List(_)) => {
                    let children = self.nested()?;
                    match items.last_mut() {
                        Some(last) => last.children.extend(children),
                        None => items.extend(children),
                    }
                }
                Event::End(TagEnd::List(_)) => break,
                _ => {}
            }
        }
        Ok(items)
    }

    fn item(&mut self) -> Result<Chapter, Diagnostic> {
        loop {
            match self.next() {
                Some(Event::Start(Tag::Paragraph)) => continue,
                Some(Event::Start(Tag::Link { dest_url, .. })) => return Ok(self.link(&dest_url)),
                _ => {
                    return Err(self.error(
                        "a chapter in the list must be a link, `[Title](file.md)`",
                        "write the chapter as `- [Title](file.md)`, or `- [Title]()` for a draft",
                    ))
                }
            }
        }
    }
}

/// Every chapter file named must exist, once.
fn check_files(summary: &Summary, src_dir: &Path, shown: &str) -> Result<(), Diagnostics> {
    fn visit<'c>(chapters: impl Iterator<Item = &'c Chapter>, out: &mut Vec<&'c Chapter>) {
        for ch in chapters {
            out.push(ch);
            visit(ch.children.iter(), out);
        }
    }
    let mut all = Vec::new();
    visit(summary.prefix.iter(), &mut all);
    visit(
        summary.numbered.iter().filter_map(|e| match e {
            Entry::Chapter(c) => Some(c),
            Entry::PartTitle(_) => None,
        }),
        &mut all,
    );
    visit(summary.suffix.iter(), &mut all);
    let mut errors = Diagnostics::new();
    let mut seen = HashSet::new();
    for ch in all {
        let Some(path) = &ch.path else { continue };
        let file = normalize(&src_dir.join(path));
        if !file.is_file() {
            errors.push(
                Code::BrokenLink.error(
                    shown,
                    ch.line,
                    ch.column,
                    format!(
                        "the chapter `{}` names `{path}`, which does not exist",
                        ch.name
                    ),
                )
                .with_help(
                    "fix the path, create the file, or make it a draft chapter with `[Title]()`",
                ),
            );
        } else if !seen.insert(file) {
            errors.push(
                Code::DuplicateName
                    .error(
                        shown,
                        ch.line,
                        ch.column,
                        format!("`{path}` is named twice in SUMMARY.md"),
                    )
                    .with_help("a file can be only one chapter; remove one of the two"),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Turns chapters into pages.
struct Reader<'a> {
    src: &'a Source,
    src_dir: &'a Path,
    shown_summary: &'a str,
    report: &'a mut Report,
    errors: Diagnostics,
    /// Files included into chapters.
    included: HashSet<PathBuf>,
}

impl Reader<'_> {
    fn node(&mut self, ch: &Chapter) -> Node {
        let page = self.page(ch);
        if ch.children.is_empty() {
            Node::Article(page)
        } else {
            let children = ch.children.iter().map(|c| self.node(c)).collect();
            Node::Part(page, children)
        }
    }

    fn page(&mut self, ch: &Chapter) -> Page {
        let Some(path) = &ch.path else {
            return Page {
                dir: self.src_dir.to_path_buf(),
                shown: self.shown_summary.to_string(),
                title: ch.name.clone(),
                summary: Some("This chapter is not written yet.".into()),
                slug: slug_for(&ch.name, "chapter"),
                draft: true,
                ..Page::default()
            };
        };
        let file = normalize(&self.src_dir.join(path));
        let shown = self.src.show(&file);
        let dir = file.parent().unwrap_or(self.src_dir).to_path_buf();
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let is_index = stem.eq_ignore_ascii_case("readme") || stem == "index";
        let slug_source = if is_index && dir != self.src_dir {
            dir.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        } else if is_index {
            ch.name.clone()
        } else {
            stem.clone()
        };
        let rel = Path::new(path);
        let old_url = if is_index && stem.eq_ignore_ascii_case("readme") {
            rel.with_file_name("index.html")
        } else {
            rel.with_extension("html")
        };
        let (body, lines) = match read_text(self.src, &file) {
            Ok(text) => {
                let mut expander = Expander {
                    src: self.src,
                    shown: &shown,
                    report: self.report,
                    included: &mut self.included,
                };
                expander.page(&text, &dir)
            }
            Err(d) => {
                self.errors.push(d);
                (String::new(), LineMap::default())
            }
        };
        Page {
            source: Some(file.clone()),
            dir,
            shown,
            title: ch.name.clone(),
            slug: slug_for(&slug_source, &ch.name),
            body,
            lines,
            strip_title: true,
            old_url: Some(normalize(&old_url).to_string_lossy().replace('\\', "/")),
            ..Page::default()
        }
    }
}

/// Expands mdBook's `{{#…}}` helpers in a chapter.
struct Expander<'a> {
    src: &'a Source,
    shown: &'a str,
    report: &'a mut Report,
    included: &'a mut HashSet<PathBuf>,
}

/// A `{{#name args}}` found in text.
struct Helper<'t> {
    range: Range<usize>,
    name: &'t str,
    args: &'t str,
}

/// The next `{{#…}}` helper (or escaped `\{{#…}}`) at or after `from`.
fn next_helper(text: &str, from: usize) -> Option<(Helper<'_>, bool)> {
    let mut at = from;
    while let Some(open) = text[at..].find("{{").map(|i| at + i) {
        if open > 0 && text.as_bytes()[open - 1] == b'\\' && text[open + 2..].starts_with('#') {
            // Escaped: up to the last `}}` on the line, shown without the backslash.
            let line_end = text[open..].find('\n').map_or(text.len(), |i| open + i);
            if let Some(close) = text[open..line_end].rfind("}}") {
                let range = open - 1..open + close + 2;
                return Some((
                    Helper {
                        range,
                        name: "",
                        args: "",
                    },
                    true,
                ));
            }
        }
        if let Some(helper) = helper_at(text, open) {
            return Some((helper, false));
        }
        at = open + 2;
    }
    None
}

/// The helper `{{ #name args }}` starting at `open`, if it is one.
fn helper_at(text: &str, open: usize) -> Option<Helper<'_>> {
    let bytes = text.as_bytes();
    let mut i = open + 2;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if bytes.get(i) != Some(&b'#') {
        return None;
    }
    let name_start = i + 1;
    let mut j = name_start;
    while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
        j += 1;
    }
    if j == name_start || !bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let close = text[j..].find('}')? + j;
    if !text[close..].starts_with("}}") {
        return None;
    }
    let args = text[j..close].trim();
    if args.is_empty() {
        return None;
    }
    Some(Helper {
        range: open..close + 2,
        name: &text[name_start..j],
        args,
    })
}

impl Expander<'_> {
    /// The chapter's text with its helpers expanded, and the source line of
    /// each line of the result.
    fn page(&mut self, text: &str, base: &Path) -> (String, LineMap) {
        let mut out = String::with_capacity(text.len());
        let mut lines = vec![1usize];
        let mut src_line = 1usize;
        let mut at = 0;
        while let Some((helper, escaped)) = next_helper(text, at) {
            let raw = &text[at..helper.range.start];
            push_raw(raw, &mut out, &mut lines, &mut src_line);
            let directive_line = src_line;
            let whole = &text[helper.range.clone()];
            let replacement = if escaped {
                Some(whole[1..].to_string())
            } else {
                self.expand(&helper, base, directive_line, 0)
            };
            match replacement {
                Some(new) => {
                    let prefix = out.rsplit('\n').next().unwrap_or("").to_string();
                    let new = indent_lines(&new, &prefix);
                    for _ in new.matches('\n') {
                        lines.push(directive_line);
                    }
                    out.push_str(&new);
                    src_line += whole.matches('\n').count();
                }
                None => push_raw(whole, &mut out, &mut lines, &mut src_line),
            }
            at = helper.range.end;
        }
        push_raw(&text[at..], &mut out, &mut lines, &mut src_line);
        (out, LineMap::Table(lines))
    }

    /// What helper `h` becomes (`None`: left as written), reported at `line`.
    fn expand(&mut self, h: &Helper<'_>, base: &Path, line: usize, depth: usize) -> Option<String> {
        let shown = self.shown.to_string();
        match h.name {
            "include" | "rustdoc_include" => {
                let spec = h.args.split_whitespace().next()?;
                let (path, range) = spec
                    .split_once(':')
                    .map_or((spec, None), |(p, r)| (p, Some(r)));
                let (content, dir) = self.read_include(path, base, line, h.name)?;
                let taken = take(&content, range);
                if depth + 1 >= MAX_INCLUDE_DEPTH {
                    return Some(taken);
                }
                Some(self.expand_all(&taken, &dir, line, depth + 1))
            }
            "playground" | "playpen" => {
                let mut parts = h.args.split_whitespace();
                let path = parts.next()?;
                let attrs: Vec<&str> = parts.collect();
                let (mut content, _) = self.read_include(path, base, line, h.name)?;
                if !content.ends_with('\n') {
                    content.push('\n');
                }
                self.report.add(
                    shown,
                    line,
                    format!(
                        "`{{{{#{} {path}}}}}` is shown as a code block that readers cannot run",
                        h.name
                    ),
                    "link to the Rust Playground beside it if readers should run it",
                );
                let info = if attrs.is_empty() {
                    "rust".to_string()
                } else {
                    format!("rust,{}", attrs.join(","))
                };
                Some(format!("```{info}\n{content}```\n"))
            }
            "title" => {
                self.report.add(
                    shown,
                    line,
                    format!("`{{{{#title {}}}}}` (the page's own title) is not carried over", h.args),
                    "Trellis titles the page with `title:` in its front matter; change that if you want this title",
                );
                Some(String::new())
            }
            other => {
                self.report.add(
                    shown,
                    line,
                    format!("`{{{{#{other} …}}}}` (a preprocessor's syntax) is kept as text"),
                    "replace it with what the preprocessor made of it",
                );
                None
            }
        }
    }

    /// Expands every helper in included text (reported at the top-level `line`).
    fn expand_all(&mut self, text: &str, base: &Path, line: usize, depth: usize) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        while let Some((helper, escaped)) = next_helper(text, at) {
            out.push_str(&text[at..helper.range.start]);
            let whole = &text[helper.range.clone()];
            let new = if escaped {
                Some(whole[1..].to_string())
            } else if depth < MAX_INCLUDE_DEPTH {
                self.expand(&helper, base, line, depth)
            } else {
                None
            };
            match new {
                Some(new) => {
                    let prefix = out.rsplit('\n').next().unwrap_or("").to_string();
                    out.push_str(&indent_lines(&new, &prefix));
                }
                None => out.push_str(whole),
            }
            at = helper.range.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// The text of the file an include names, and its folder; a missing or
    /// unreadable file, or one outside the book, is reported.
    fn read_include(
        &mut self,
        path: &str,
        base: &Path,
        line: usize,
        name: &str,
    ) -> Option<(String, PathBuf)> {
        let file = normalize(&base.join(path));
        let shown = self.shown.to_string();
        let what = format!("`{{{{#{name} {path}}}}}`");
        if !self.src.contains(&file) {
            self.report.add(
                shown,
                line,
                format!("{what} names a file outside the book's folder; it is kept as text"),
                "copy the text in by hand",
            );
            return None;
        }
        let Ok(bytes) = std::fs::read(&file) else {
            self.report.add(
                shown,
                line,
                format!("{what} names a file that is not there; it is kept as text"),
                "fix the path, or copy the text in by hand",
            );
            return None;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let dir = file.parent().unwrap_or(base).to_path_buf();
        self.included.insert(file);
        Some((text, dir))
    }
}

/// Appends source text, noting the source line each new line starts on.
fn push_raw(raw: &str, out: &mut String, lines: &mut Vec<usize>, src_line: &mut usize) {
    for _ in raw.matches('\n') {
        *src_line += 1;
        lines.push(*src_line);
    }
    out.push_str(raw);
}

/// Included lines after the first start with what stood before the helper
/// on its line (so an include inside a list item stays in it), and the
/// included text's last line break goes, as mdBook does.
fn indent_lines(text: &str, prefix: &str) -> String {
    let joiner = format!("\n{prefix}");
    text.lines().collect::<Vec<_>>().join(&joiner)
}

/// The lines of `content` an include's `:range` or `:anchor` names, as mdBook takes them.
fn take(content: &str, spec: Option<&str>) -> String {
    let Some(spec) = spec else {
        return content.lines().collect::<Vec<_>>().join("\n");
    };
    let mut parts = spec.splitn(3, ':');
    let first = parts.next().unwrap_or("");
    let start = if first.is_empty() {
        None
    } else if let Ok(n) = first.parse::<usize>() {
        Some(n.saturating_sub(1))
    } else {
        return anchored(content, first);
    };
    let end = parts.next().map(str::parse::<usize>);
    let lines: Vec<&str> = content.lines().collect();
    let (from, to) = match (start, end) {
        (Some(s), Some(Ok(e))) => (s, e),
        (Some(s), Some(Err(_))) => (s, lines.len()),
        (Some(s), None) => (s, s + 1),
        (None, Some(Ok(e))) => (0, e),
        (None, _) => (0, lines.len()),
    };
    lines
        .iter()
        .skip(from)
        .take(to.saturating_sub(from))
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// The name after `marker` (`ANCHOR:` or `ANCHOR_END:`) in `line`.
fn anchor_name<'l>(line: &'l str, marker: &str) -> Option<&'l str> {
    let at = line.find(marker)? + marker.len();
    let rest = line[at..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, other anchor lines left out.
fn anchored(content: &str, anchor: &str) -> String {
    let mut kept = Vec::new();
    let mut inside = false;
    for line in content.lines() {
        if inside {
            match anchor_name(line, "ANCHOR_END:") {
                Some(name) if name == anchor => break,
                Some(_) => {}
                None => {
                    if anchor_name(line, "ANCHOR:").is_none() {
                        kept.push(line);
                    }
                }
            }
        } else if anchor_name(line, "ANCHOR:") == Some(anchor) {
            inside = true;
        }
    }
    kept.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_parts_nesting_and_drafts() {
        let text = "# Summary\n\n[Intro](README.md)\n\n# User guide\n\n- [Install](guide/install.md)\n    - [Draft]()\n- [Read](read.md)\n\n---\n\n# Reference\n\n- [CLI](cli/README.md)\n\n[Thanks](thanks.md)\n";
        let s = parse_summary(text, "SUMMARY.md").unwrap();
        assert_eq!(s.prefix.len(), 1);
        assert_eq!(s.prefix[0].path.as_deref(), Some("README.md"));
        let shape: Vec<String> = s
            .numbered
            .iter()
            .map(|e| match e {
                Entry::PartTitle(t) => format!("# {t}"),
                Entry::Chapter(c) => format!("{} ({})", c.name, c.children.len()),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "# User guide",
                "Install (1)",
                "Read (0)",
                "# Reference",
                "CLI (0)"
            ]
        );
        let Entry::Chapter(install) = &s.numbered[1] else {
            panic!()
        };
        assert_eq!(install.children[0].path, None);
        assert_eq!((install.line, install.column), (7, 3));
        assert_eq!(s.suffix[0].name, "Thanks");
    }

    #[test]
    fn summary_errors_have_positions() {
        let err = parse_summary("- [A](a.md)\n- plain text\n", "SUMMARY.md").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        let err = parse_summary("- [A](a.md)\n\n[B](b.md)\n\n- [C](c.md)\n", "S.md").unwrap_err();
        assert!(
            err.message.contains("cannot be followed by a list"),
            "{err}"
        );
    }

    #[test]
    fn include_ranges_and_anchors() {
        let file =
            "l1\n// ANCHOR: a\nl3\n// ANCHOR: b\nl5\n// ANCHOR_END: b\n// ANCHOR_END: a\nl8\n";
        assert_eq!(take(file, None).lines().count(), 8);
        assert_eq!(take(file, Some("3")), "l3");
        assert_eq!(take(file, Some("2:3")), "// ANCHOR: a\nl3");
        assert_eq!(take(file, Some(":1")), "l1");
        assert_eq!(take(file, Some("8:")), "l8");
        assert_eq!(take(file, Some("a")), "l3\nl5");
        assert_eq!(take(file, Some("b")), "l5");
    }

    #[test]
    fn helpers_are_found_and_escapes_kept() {
        // As mdBook: an escape runs to the last `}}` on its line.
        let text = "a {{#include x.rs:2}} b \\{{#include y.rs}} {{ not }}\n{{#title T}}";
        let (h, escaped) = next_helper(text, 0).unwrap();
        assert!(!escaped);
        assert_eq!((h.name, h.args), ("include", "x.rs:2"));
        let (h, escaped) = next_helper(text, h.range.end).unwrap();
        assert!(escaped);
        assert_eq!(&text[h.range.clone()], "\\{{#include y.rs}} {{ not }}");
        let (h, _) = next_helper(text, h.range.end).unwrap();
        assert_eq!((h.name, h.args), ("title", "T"));
    }
}
