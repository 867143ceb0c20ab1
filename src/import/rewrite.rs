//! Rewriting a page's markdown for its new place: links to other pages
//! become relative paths to their new `.md` files (`@/` links, `.html`
//! links and old site addresses included), pictures and other files are
//! copied beside the first page that uses them, links that cannot work are
//! turned into their text and reported, a first-level heading that was the
//! page's title is taken out, and every heading keeps the id the source
//! tool gave it (an explicit `{#id}` is written where Trellis's own would
//! differ). Also: the summary from the first paragraph.
//!
//! Every change is an edit of the source text at a byte range found by
//! pulldown-cmark (with Trellis's own markdown options, so that what is
//! found is what Trellis will read), so the rest of the author's markdown
//! stays exactly as written.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use super::{normalize, AnchorRule, LinkRules, Page, Report, Source};
use crate::diagnostic::line_col;
use crate::links::{is_external, percent_decode};
use crate::markdown::headings::{github_slug, IdAllocator};

/// One change to a text: the bytes in `range` become `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    /// What is replaced (empty for an insertion).
    pub range: Range<usize>,
    /// What replaces it.
    pub text: String,
}

impl Edit {
    fn new(range: Range<usize>, text: impl Into<String>) -> Self {
        Edit {
            range,
            text: text.into(),
        }
    }
}

/// `text` with `edits` made; an edit overlapping one before it is dropped.
pub(crate) fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for edit in edits {
        if edit.range.start < at || edit.range.end > text.len() {
            continue;
        }
        if !text.is_char_boundary(edit.range.start) || !text.is_char_boundary(edit.range.end) {
            continue;
        }
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.text);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The markdown parse Trellis itself makes of `text`.
fn parse(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    Parser::new_ext(text, crate::markdown::options())
        .into_offset_iter()
        .collect()
}

/// A heading as the source tool saw it.
#[derive(Debug, Clone)]
struct HeadingInfo {
    range: Range<usize>,
    level: u8,
    explicit: Option<String>,
    text: String,
}

fn headings(events: &[(Event<'_>, Range<usize>)]) -> Vec<HeadingInfo> {
    let mut out = Vec::new();
    let mut current: Option<HeadingInfo> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some(HeadingInfo {
                    range: range.clone(),
                    level: *level as u8,
                    explicit: id.as_ref().map(|i| i.to_string()),
                    text: String::new(),
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

/// What a page's headings were called in the source tool.
#[derive(Debug, Clone, Default)]
pub(crate) struct Analysis {
    /// The id of each heading, in order, as the source tool gave it.
    pub wanted: Vec<String>,
    /// The first-level heading that opens the page and is its title
    /// (left out of the body): its range and id.
    pub title: Option<(Range<usize>, String)>,
}

impl Analysis {
    /// The ids a link may name on the page once imported.
    pub fn ids(&self) -> HashSet<String> {
        let skip = usize::from(self.title.is_some());
        self.wanted
            .iter()
            .skip(skip)
            .filter(|id| !id.is_empty())
            .cloned()
            .collect()
    }

    /// The title heading's id, which links may name (they go to the page's top).
    pub fn title_id(&self) -> Option<&str> {
        self.title.as_ref().map(|(_, id)| id.as_str())
    }
}

/// Finds `page`'s headings and the ids the source tool gave them.
pub(crate) fn analyze(page: &Page, rule: AnchorRule) -> Analysis {
    let events = parse(&page.body);
    let found = headings(&events);
    let mut ids = ToolIds::new(rule);
    let wanted: Vec<String> = found
        .iter()
        .map(|h| ids.allocate(h.explicit.as_deref(), &h.text))
        .collect();
    let opens_with_h1 = events
        .iter()
        .find(|(e, _)| matches!(e, Event::Start(_)) && !matches!(e, Event::Start(Tag::HtmlBlock)))
        .is_some_and(|(e, _)| {
            matches!(
                e,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                })
            )
        });
    let title = (page.strip_title && opens_with_h1)
        .then(|| found.first().map(|h| (h.range.clone(), wanted[0].clone())))
        .flatten();
    Analysis { wanted, title }
}

/// Hands out heading ids as the source tool did.
struct ToolIds {
    rule: AnchorRule,
    used: HashSet<String>,
}

impl ToolIds {
    fn new(rule: AnchorRule) -> Self {
        ToolIds {
            rule,
            used: HashSet::new(),
        }
    }

    fn allocate(&mut self, explicit: Option<&str>, text: &str) -> String {
        if let Some(id) = explicit {
            self.used.insert(id.to_string());
            return id.to_string();
        }
        let base = match self.rule {
            AnchorRule::GitHub => match github_slug(text) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            },
            AnchorRule::ZolaOn => slug::slugify(text),
            AnchorRule::ZolaSafe => text.replace(|c: char| c.is_ascii_whitespace(), "_"),
        };
        let mut id = base.clone();
        let mut n = 1;
        while self.used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

/// Where a page went: what links to it need.
#[derive(Debug, Clone, Default)]
pub(crate) struct Placed {
    /// Its new file, relative to `content/`.
    pub file: PathBuf,
    /// The ids a link may name on it.
    pub ids: HashSet<String>,
    /// Its title heading's id (taken out of the body).
    pub title_id: Option<String>,
    /// Where the files it uses go (relative to `content/`): its folder, or
    /// a folder of its own for a page bundle.
    pub asset_dir: PathBuf,
}

/// Files copied beside the pages that use them.
#[derive(Debug, Default)]
pub(crate) struct Assets {
    by_source: HashMap<PathBuf, PathBuf>,
    taken: HashSet<PathBuf>,
    /// Source file and its new path (relative to `content/`), in the order placed.
    pub list: Vec<(PathBuf, PathBuf)>,
}

impl Assets {
    /// The new path of `file` (relative to `content/`), placing it beside the
    /// page in `page_dir` (new, relative to `content/`) whose source is in
    /// `source_dir` the first time it is asked for: at its path from
    /// `source_dir`, else from `files_root`, else in `files/`.
    fn place(
        &mut self,
        file: &Path,
        source_dir: &Path,
        files_root: &Path,
        page_dir: &Path,
    ) -> PathBuf {
        if let Some(dest) = self.by_source.get(file) {
            return dest.clone();
        }
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "file".into());
        let under = file
            .strip_prefix(source_dir)
            .or_else(|_| file.strip_prefix(files_root))
            .ok()
            .filter(|rel| {
                rel.components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)))
            })
            .map(Path::to_path_buf);
        let mut dest = match under {
            Some(rel) => page_dir.join(rel),
            None => page_dir.join("files").join(&name),
        };
        // Names Trellis reads for itself, or skips, are not left as they are.
        let special = name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".quiz.yaml")
            || name.ends_with(".quiz.yml")
            || name.ends_with(".md")
            || ((name == "glossary.yaml" || name == "references.yaml")
                && dest.parent() == Some(Path::new("")));
        if special {
            dest = dest.with_file_name(format!("file-{}", name.trim_start_matches('.')));
        }
        let mut n = 2;
        let original = dest.clone();
        while self.taken.contains(&dest) {
            let stem = original
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let ext = original
                .extension()
                .map(|e| format!(".{}", e.to_string_lossy()))
                .unwrap_or_default();
            dest = original.with_file_name(format!("{stem}-{n}{ext}"));
            n += 1;
        }
        self.taken.insert(dest.clone());
        self.by_source.insert(file.to_path_buf(), dest.clone());
        self.list.push((file.to_path_buf(), dest.clone()));
        dest
    }

    /// Whether `file` was copied as an asset.
    pub fn has(&self, file: &Path) -> bool {
        self.by_source.contains_key(file)
    }
}

/// What the rewriting of every page shares.
pub(crate) struct Ctx<'a> {
    /// The source folder.
    pub src: &'a Source,
    /// How links name pages.
    pub rules: &'a LinkRules,
    /// Source file -> index into `placed`.
    pub pages: &'a HashMap<PathBuf, usize>,
    /// Every page's new place.
    pub placed: &'a [Placed],
    /// Paths under `static/` (site-absolute links to them keep working).
    pub statics: &'a HashSet<String>,
    /// The source is an mdBook book: `# ` lines in Rust code are left out
    /// (mdBook hid them) and its warning boxes are reported.
    pub mdbook: bool,
}

/// What to do with a link's address.
enum Action {
    Keep,
    Replace(String),
    Unlink,
}

/// The page being rewritten.
struct Me<'a> {
    page: &'a Page,
    placed: &'a Placed,
    analysis: &'a Analysis,
}

impl Me<'_> {
    fn new_dir(&self) -> &Path {
        self.placed.file.parent().unwrap_or(Path::new(""))
    }

    fn own_name(&self) -> String {
        self.placed
            .file
            .file_name()
            .map(|n| encode(&n.to_string_lossy()))
            .unwrap_or_default()
    }

    fn line(&self, offset: usize) -> usize {
        let (line, _) = line_col(&self.page.body, offset);
        self.page.lines.line(line)
    }
}

/// Rewrites the body of `page` (placed at `placed[me]`), copying the files
/// it uses into `assets` and reporting what cannot be carried over.
pub(crate) fn convert(
    page: &Page,
    me: usize,
    analysis: &Analysis,
    ctx: &Ctx<'_>,
    assets: &mut Assets,
    report: &mut Report,
) -> String {
    let me = Me {
        page,
        placed: &ctx.placed[me],
        analysis,
    };
    let body = &page.body;
    let mut iter = Parser::new_ext(body, crate::markdown::options()).into_offset_iter();
    let events: Vec<(Event<'_>, Range<usize>)> = iter.by_ref().collect();
    let defs = iter.reference_definitions();
    let mut edits = Vec::new();
    let mut defs_done: HashSet<usize> = HashSet::new();

    if let Some((range, _)) = &analysis.title {
        let mut end = range.end;
        // The blank lines after it go too.
        while let Some(next_end) = body[end..].find('\n').map(|i| end + i + 1) {
            if body[end..next_end].trim().is_empty() {
                end = next_end;
            } else {
                break;
            }
        }
        if end == range.end && !body[..end].ends_with('\n') {
            end = body[end..].find('\n').map_or(body.len(), |i| end + i + 1);
        }
        edits.push(Edit::new(range.start..end, ""));
    }

    let mut i = 0;
    let mut rust_block = false;
    let mut link_depth = 0usize;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                ..
            }) if body[range.start..].starts_with("[[") => {
                edits.push(Edit::new(range.start..range.start, "\\"));
                report.add(
                    page.shown.clone(),
                    me.line(range.start),
                    format!(
                        "`{}` (a wiki link) is kept as plain text",
                        body[range.clone()].trim()
                    ),
                    "link the page with `[text](file.md)`, or add the term to content/glossary.yaml (Trellis's `[[Term]]` links the glossary)",
                );
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                ..
            }) => {}
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                id,
                ..
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                id,
                ..
            }) => {
                if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    i += 1;
                    continue;
                }
                let is_image = matches!(event, Event::Start(Tag::Image { .. }));
                let end = matching_end(&events, i);
                let inner = (i + 1 < end).then(|| events[i + 1].1.start..events[end - 1].1.end);
                if !is_image {
                    link_depth += 1;
                }
                if is_image && is_remote(dest_url) {
                    report.add(
                        page.shown.clone(),
                        me.line(range.start),
                        format!("the picture `{dest_url}` is on another site, which Trellis pages never load from; {}", if link_depth > 0 { "its alt text stands in its place" } else { "it is a link to it now" }),
                        "download it, put it beside the article and show it with `![description](file)`",
                    );
                    let alt = inner
                        .clone()
                        .map(|r| body[r].to_string())
                        .filter(|a| !a.trim().is_empty());
                    if link_depth > 0 {
                        edits.push(Edit::new(
                            range.clone(),
                            alt.unwrap_or_else(|| format!("picture on {}", host(dest_url))),
                        ));
                    } else {
                        edits.push(Edit::new(range.start..range.start + 1, ""));
                        if alt.is_none() && body[range.start..].starts_with("![") {
                            edits.push(Edit::new(
                                range.start + 2..range.start + 2,
                                format!("picture on {}", host(dest_url)),
                            ));
                        }
                    }
                    i += 1;
                    continue;
                }
                let action = resolve(&me, dest_url, range.start, ctx, assets, report, is_image);
                match action {
                    Action::Keep => {}
                    Action::Replace(new) => {
                        let dest_at = match link_type {
                            LinkType::Inline => inline_dest(
                                body,
                                range,
                                inner.as_ref().map_or(range.start, |r| r.end),
                            ),
                            _ => defs.get(id).and_then(|def| {
                                if defs_done.insert(def.span.start) {
                                    def_dest(body, &def.span)
                                } else {
                                    None
                                }
                            }),
                        };
                        match dest_at {
                            Some(at) => edits.push(Edit::new(at, wrap_dest(&new))),
                            None if *link_type == LinkType::Inline => {
                                // Written in a way not found: write the link again.
                                let text = inner.clone().map_or("", |r| &body[r]);
                                let bang = if is_image { "!" } else { "" };
                                edits.push(Edit::new(
                                    range.clone(),
                                    format!("{bang}[{text}]({})", wrap_dest(&new)),
                                ));
                            }
                            None => {}
                        }
                    }
                    Action::Unlink => match inner {
                        Some(inner) if inner.start >= range.start && inner.end <= range.end => {
                            edits.push(Edit::new(range.start..inner.start, ""));
                            edits.push(Edit::new(inner.end..range.end, ""));
                        }
                        _ => edits.push(Edit::new(range.clone(), "")),
                    },
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                raw_html(&me, range.clone(), ctx, assets, report, &mut edits);
                i = matching_end(&events, i);
            }
            Event::Html(html) | Event::InlineHtml(html)
                if body.get(range.clone()) == Some(html.as_ref()) =>
            {
                raw_html(&me, range.clone(), ctx, assets, report, &mut edits);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let lang = info
                    .split([',', ' ', '{'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                rust_block = ctx.mdbook && lang == "rust";
                if lang == "mermaid" {
                    report.add(
                        page.shown.clone(),
                        me.line(range.start),
                        "a Mermaid diagram is shown as its source code (Trellis pages run no diagram scripts)",
                        "draw it as an SVG (the Mermaid CLI, `mmdc`, can), put it beside the article and show it as an image with alt text",
                    );
                }
            }
            Event::End(TagEnd::CodeBlock) => rust_block = false,
            Event::End(TagEnd::Link) => link_depth = link_depth.saturating_sub(1),
            Event::Text(text) if rust_block && body.get(range.clone()) == Some(text.as_ref()) => {
                hide_rust_lines(body, range.clone(), &mut edits);
            }
            _ => {}
        }
        i += 1;
    }
    apply(body, edits)
}

/// Raw HTML at `range` of the body, made to fit a Trellis page: its
/// addresses resolved like markdown links, inline `<style>` and `<script>`
/// elements, `style` and `on…` attributes left out (pages carry no inline
/// styles or scripts), pictures without `alt` given an empty one, and
/// `width`/`height` written as numbers. What is left out is reported.
fn raw_html(
    me: &Me<'_>,
    range: Range<usize>,
    ctx: &Ctx<'_>,
    assets: &mut Assets,
    report: &mut Report,
    edits: &mut Vec<Edit>,
) {
    let body = &me.page.body;
    let Some(html) = body.get(range.clone()) else {
        return;
    };
    let at = |r: &Range<usize>| range.start + r.start..range.start + r.end;
    let shown = me.page.shown.clone();
    let found = super::html::tags(html);
    let mut skip_until = 0;
    for (n, tag) in found.iter().enumerate() {
        if tag.range.start < skip_until || tag.closing {
            continue;
        }
        let line = me.line(range.start + tag.range.start);
        if tag.name == "style" || tag.name == "script" {
            let end = found[n + 1..]
                .iter()
                .find(|t| t.closing && t.name == tag.name)
                .map_or(html.len(), |t| t.range.end);
            edits.push(Edit::new(at(&(tag.range.start..end)), ""));
            skip_until = end;
            report.add(
                shown.clone(),
                line,
                format!("an inline `<{}>` is not carried over (Trellis pages carry no inline styles or scripts)", tag.name),
                if tag.name == "style" {
                    "put the rules in a theme of your own (docs/themes.md), or leave them out"
                } else {
                    "Trellis pages run only their theme's scripts; show what it did in the text"
                },
            );
            continue;
        }
        let src_of = |t: &super::html::TagAt| {
            t.attr("src")
                .or_else(|| t.attr("data"))
                .and_then(|a| a.value.clone())
                .filter(|v| is_remote(v))
        };
        if tag.name == "img" {
            if let Some(url) = src_of(tag) {
                let alt = tag
                    .attr("alt")
                    .and_then(|a| a.value.clone())
                    .filter(|a| !a.trim().is_empty());
                edits.push(Edit::new(
                    at(&tag.range),
                    escape_text(&alt.unwrap_or_else(|| format!("picture on {}", host(&url)))),
                ));
                report.add(
                    shown.clone(),
                    line,
                    format!("the picture `{url}` is on another site, which Trellis pages never load from; its alt text stands in its place"),
                    "download it, put it beside the article and show it with `![description](file)`",
                );
                continue;
            }
        }
        if matches!(
            tag.name.as_str(),
            "iframe" | "video" | "audio" | "picture" | "object"
        ) {
            let close = found[n + 1..]
                .iter()
                .find(|t| t.closing && t.name == tag.name)
                .map_or(tag.range.end, |t| t.range.end);
            let inside: Vec<&super::html::TagAt> = found[n..]
                .iter()
                .take_while(|t| t.range.start < close)
                .collect();
            if let Some(url) = inside.iter().find_map(|t| src_of(t)) {
                let text = tag
                    .attr("title")
                    .or_else(|| inside.iter().find_map(|t| t.attr("alt")))
                    .and_then(|a| a.value.clone())
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| {
                        format!(
                            "the {} on {}",
                            if tag.name == "iframe" {
                                "embedded page"
                            } else {
                                "media"
                            },
                            host(&url)
                        )
                    });
                edits.push(Edit::new(
                    at(&(tag.range.start..close)),
                    format!(
                        "<a href=\"{}\">{}</a>",
                        escape_text(&url),
                        escape_text(&text)
                    ),
                ));
                skip_until = close;
                report.add(
                    shown.clone(),
                    line,
                    format!("the `<{}>` from `{url}` is on another site, which Trellis pages never load from; it is a link to it now", tag.name),
                    "keep the link, or download the file, put it beside the article and show it from there",
                );
                continue;
            }
        }
        if matches!(tag.name.as_str(), "link" | "embed") {
            edits.push(Edit::new(at(&tag.range), ""));
            report.add(
                shown.clone(),
                line,
                format!(
                    "a `<{}>` is not carried over (Trellis pages load only their theme's files)",
                    tag.name
                ),
                "leave it out, or link to what it loaded",
            );
            continue;
        }
        if ctx.mdbook
            && tag.name == "div"
            && tag
                .attr("class")
                .and_then(|c| c.value.as_deref())
                .is_some_and(|c| c.split_whitespace().any(|c| c == "warning"))
        {
            report.add(
                shown.clone(),
                line,
                "mdBook's warning box (`<div class=\"warning\">`) shows as plain text",
                "make it a callout: `> [!WARNING]` on the first line, `> ` before each line of its text",
            );
        }
        let mut dropped = false;
        for attr in &tag.attrs {
            let value = attr.value.clone().unwrap_or_default();
            match attr.name.as_str() {
                "style" => {
                    edits.push(Edit::new(at(&attr.range), ""));
                    report.add(
                        shown.clone(),
                        line,
                        format!("the `style` of a `<{}>` is not carried over (Trellis pages carry no inline styles)", tag.name),
                        "style it from a theme of your own (docs/themes.md), or leave it out",
                    );
                }
                name if name.starts_with("on") && name.len() > 2 => {
                    edits.push(Edit::new(at(&attr.range), ""));
                    report.add(
                        shown.clone(),
                        line,
                        format!("the inline script `{name}` on a `<{}>` is not carried over", tag.name),
                        "Trellis pages run only their theme's scripts; show what it did in the text",
                    );
                }
                "width" | "height"
                    if !value.is_empty() && !value.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    match value
                        .strip_suffix("px")
                        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                    {
                        Some(digits) => edits.push(Edit::new(at(&attr.value_range), digits)),
                        None => edits.push(Edit::new(at(&attr.range), "")),
                    }
                }
                "src" | "href" if attr.value.is_some() => {
                    let is_image = tag.name == "img";
                    match resolve(
                        me,
                        &value,
                        range.start + attr.value_range.start,
                        ctx,
                        assets,
                        report,
                        is_image,
                    ) {
                        Action::Keep => {}
                        Action::Replace(new) => edits.push(Edit::new(
                            at(&attr.value_range),
                            new.replace('&', "&amp;").replace('"', "%22"),
                        )),
                        Action::Unlink if is_image => {
                            edits.push(Edit::new(at(&tag.range), ""));
                            dropped = true;
                        }
                        Action::Unlink => edits.push(Edit::new(at(&attr.range), "")),
                    }
                }
                "srcset" if attr.value.is_some() => {
                    let mut out = Vec::new();
                    let mut keep = true;
                    for candidate in value.split(',') {
                        let candidate = candidate.trim();
                        let (url, descriptor) =
                            candidate.split_once(' ').unwrap_or((candidate, ""));
                        match resolve(
                            me,
                            url,
                            range.start + attr.value_range.start,
                            ctx,
                            assets,
                            report,
                            true,
                        ) {
                            Action::Keep => out.push(candidate.to_string()),
                            Action::Replace(new) => {
                                out.push(format!("{new} {descriptor}").trim().to_string())
                            }
                            Action::Unlink => keep = false,
                        }
                    }
                    if keep {
                        edits.push(Edit::new(
                            at(&attr.value_range),
                            out.join(", ").replace('&', "&amp;").replace('"', "%22"),
                        ));
                    } else {
                        edits.push(Edit::new(at(&attr.range), ""));
                    }
                }
                _ => {}
            }
        }
        if tag.name == "img" && !dropped && tag.attr("alt").is_none() {
            let end = tag.end_insert(html);
            edits.push(Edit::new(at(&(end..end)), " alt=\"\""));
            report.add(
                shown.clone(),
                line,
                "a picture has no alt text; it has an empty `alt=\"\"` now, which screen readers skip",
                "describe the picture in `alt=\"…\"`, unless it only decorates the page",
            );
        }
    }
}

/// Whether `url` is on another site (what a page would load from elsewhere).
fn is_remote(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//")
}

/// The host of a URL, for naming it (`img.shields.io`).
fn host(url: &str) -> &str {
    let after = url.split_once("//").map_or(url, |(_, rest)| rest);
    after.split(['/', '?', '#']).next().unwrap_or(after)
}

/// Text for HTML: `&`, `<`, `>` and `"` escaped.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The index of the event that closes the one opened at `start`.
fn matching_end(events: &[(Event<'_>, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len()
}

/// Lines mdBook hides in Rust code (`# ` at the start) are left out;
/// `##` at the start shows as `#`.
fn hide_rust_lines(body: &str, range: Range<usize>, edits: &mut Vec<Edit>) {
    let mut at = range.start;
    while at < range.end {
        let end = body[at..range.end]
            .find('\n')
            .map_or(range.end, |i| at + i + 1);
        let line = &body[at..end];
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let content = trimmed.trim_end_matches(['\n', '\r']);
        if content == "#" || content.starts_with("# ") {
            edits.push(Edit::new(at..end, ""));
        } else if content.starts_with("##") {
            edits.push(Edit::new(at + indent..at + indent + 1, ""));
        }
        at = end;
    }
}

/// Where the destination of an inline link `[text](dest "title")` is
/// written: after the `](` that follows the text ending at `text_end`.
fn inline_dest(body: &str, link: &Range<usize>, text_end: usize) -> Option<Range<usize>> {
    let slice = body.get(text_end..link.end)?;
    let open = slice.find("](")? + 2 + text_end;
    dest_at(body, open, link.end)
}

/// Where the destination of a reference definition `[label]: dest` is written.
fn def_dest(body: &str, span: &Range<usize>) -> Option<Range<usize>> {
    let slice = body.get(span.clone())?;
    let colon = slice.find("]:")? + 2 + span.start;
    dest_at(body, colon, span.end)
}

/// A link destination starting at or after `from` (after spaces): `<…>`,
/// or a run without spaces whose parentheses balance.
fn dest_at(body: &str, from: usize, limit: usize) -> Option<Range<usize>> {
    let bytes = body.as_bytes();
    let mut i = from;
    while i < limit
        && (bytes[i] == b' ' || bytes[i] == b'\t' || bytes[i] == b'\n' || bytes[i] == b'\r')
    {
        i += 1;
    }
    if i >= limit {
        return None;
    }
    if bytes[i] == b'<' {
        let close = body[i..limit].find('>')? + i;
        return Some(i..close + 1);
    }
    let start = i;
    let mut depth = 0i32;
    while i < limit {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' => break,
            _ => {}
        }
        i += 1;
    }
    (i > start).then_some(start..i.min(limit))
}

/// A destination as markdown: in `<…>` when it has spaces.
fn wrap_dest(dest: &str) -> String {
    if dest.is_empty() || dest.contains([' ', '(', ')']) {
        format!("<{dest}>")
    } else {
        dest.to_string()
    }
}

/// A path as a URL path: the few characters that would end or change it
/// percent-encoded (Trellis decodes them again).
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '%' => out.push_str("%25"),
            '"' => out.push_str("%22"),
            '\\' => out.push_str("%5C"),
            c => out.push(c),
        }
    }
    out
}

/// The relative URL path from folder `from` to `to` (both relative to `content/`).
pub(crate) fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| encode(&c.as_os_str().to_string_lossy())),
    );
    parts.join("/")
}

/// What a link's address should become.
fn resolve(
    me: &Me<'_>,
    dest: &str,
    offset: usize,
    ctx: &Ctx<'_>,
    assets: &mut Assets,
    report: &mut Report,
    is_image: bool,
) -> Action {
    let dest = dest.trim();
    if dest.is_empty() || is_external(dest) || dest.starts_with("//") {
        return Action::Keep;
    }
    let line = me.line(offset);
    let shown = me.page.shown.clone();
    let mut say = |what: String, todo: &str| report.add(shown.clone(), line, what, todo);
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        let Some(f) = fragment else {
            return Action::Keep;
        };
        if me.analysis.ids().contains(f) && !f.is_empty() {
            return Action::Keep;
        }
        if me.analysis.title_id() != Some(f) && !f.is_empty() {
            say(
                format!("the link to `#{f}` names no heading of this page; it now goes to the top of the page"),
                "link to a heading's id, or give the heading it means an id with `{#id}`",
            );
        }
        return Action::Replace(me.own_name());
    }
    let decoded = percent_decode(path);
    let (base, rel): (PathBuf, String) = if let Some(rest) = decoded.strip_prefix("@/") {
        match &ctx.rules.content_root {
            Some(root) => (root.clone(), rest.to_string()),
            None => (me.page.dir.clone(), decoded.clone()),
        }
    } else if let Some(site) = decoded.strip_prefix('/') {
        let key = site.trim_end_matches("index.html").trim_matches('/');
        let found = [format!("{key}/"), key.to_string()]
            .iter()
            .find_map(|k| ctx.rules.site_paths.get(k).cloned());
        if let Some(file) = found {
            return to_page(me, &file, fragment, dest, ctx, &mut say);
        }
        if ctx.statics.contains(key) {
            return Action::Keep;
        }
        say(
            format!("the link to `{dest}` names no page or file of the book; it is now plain text"),
            "link to the page's `.md` file, or to a file beside the article",
        );
        return Action::Unlink;
    } else {
        (me.page.dir.clone(), decoded.clone())
    };
    let target = normalize(&base.join(&rel));
    if let Some(file) = find_page(&target, &rel, ctx) {
        return to_page(me, &file, fragment, dest, ctx, &mut say);
    }
    let inside = ctx.src.contains(&target);
    if target.is_file() && inside {
        let ext = target
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if ext == "md" || ext == "markdown" {
            say(
                format!("the link to `{dest}` names a file that is not a page of the book; it is now plain text"),
                "add that file to the book, or link to a page that is in it",
            );
            return Action::Unlink;
        }
        let source_dir = me.page.dir.clone();
        let new = assets.place(
            &target,
            &source_dir,
            &ctx.rules.files_root,
            &me.placed.asset_dir,
        );
        let mut url = relative(me.new_dir(), &new);
        if let Some(f) = fragment {
            url.push('#');
            url.push_str(f);
        }
        return Action::Replace(url);
    }
    let what = if is_image { "picture" } else { "link" };
    if target.is_dir() && inside {
        say(
            format!("the {what} to the folder `{dest}` has no page to go to; it is now plain text"),
            "link to a page or a file in that folder",
        );
    } else if !target.starts_with(&ctx.src.root)
        || (!target.exists() && !target.starts_with(&ctx.rules.files_root))
    {
        say(
            format!(
                "the {what} to `{dest}` points outside the book's folder; it is now plain text"
            ),
            "write its full web address (`https://…`) if it is on the web, or remove it",
        );
    } else if target.exists() {
        say(
            format!("the {what} to `{dest}` names a file outside the book's folder; it is now plain text"),
            "copy the file beside the article in the new handbook and link it again",
        );
    } else {
        say(
            format!(
                "the {what} to `{dest}` names a file that does not exist; it is now plain text"
            ),
            "fix the address, or remove it",
        );
    }
    Action::Unlink
}

/// The page a link to `target` (written `rel`) means, trying the other
/// names the source tool allowed for it.
fn find_page(target: &Path, rel: &str, ctx: &Ctx<'_>) -> Option<PathBuf> {
    let mut candidates = vec![target.to_path_buf()];
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let parent = target.parent().unwrap_or(Path::new("")).to_path_buf();
    if ctx.rules.html_pages {
        if let Some(stem) = name.strip_suffix(".html") {
            if stem == "index" {
                candidates.push(parent.join("README.md"));
                candidates.push(parent.join("index.md"));
            }
            candidates.push(parent.join(format!("{stem}.md")));
        }
    }
    if name.eq_ignore_ascii_case("README.md") {
        candidates.push(parent.join("index.md"));
    } else if name == "index.md" {
        candidates.push(parent.join("README.md"));
    }
    if rel.ends_with('/') || target.extension().is_none() {
        for index in ["_index.md", "index.md", "README.md"] {
            candidates.push(target.join(index));
        }
        candidates.push(target.with_extension("md"));
    }
    candidates.into_iter().find(|c| ctx.pages.contains_key(c))
}

/// The link to the page built from `file`, with the fragment kept when it
/// names a heading there.
fn to_page(
    me: &Me<'_>,
    file: &Path,
    fragment: Option<&str>,
    dest: &str,
    ctx: &Ctx<'_>,
    say: &mut impl FnMut(String, &str),
) -> Action {
    let Some(&index) = ctx.pages.get(file) else {
        return Action::Keep;
    };
    let target = &ctx.placed[index];
    let mut url = relative(me.new_dir(), &target.file);
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        if target.ids.contains(f) {
            url.push('#');
            url.push_str(f);
        } else if target.title_id.as_deref() != Some(f) {
            say(
                format!("the link to `{dest}` names no heading of that page; it now goes to the page's top"),
                "link to a heading's id there, or give the heading it means an id with `{#id}`",
            );
        }
    }
    Action::Replace(url)
}

/// Fits the headings of `body` to a Trellis page, whose title is its only
/// first-level heading: levels start at 2 and never skip one (nesting kept:
/// `#`, `###` becomes `##`, `###`), and each heading whose id in Trellis
/// would not be `wanted` (the ids, in order, the source tool gave the same
/// headings) gets an explicit `{#id}`. Ids are left alone if the headings
/// do not match up.
pub(crate) fn fix_headings(body: &str, wanted: &[String]) -> String {
    let events = parse(body);
    let found = headings(&events);
    let mut edits = Vec::new();
    let mut stack: Vec<(u8, u8)> = Vec::new();
    for h in &found {
        while stack.last().is_some_and(|(orig, _)| *orig >= h.level) {
            stack.pop();
        }
        let level = stack.last().map_or(2, |(_, new)| (new + 1).min(6));
        stack.push((h.level, level));
        if level != h.level {
            edits.extend(level_edits(body, &h.range, level));
        }
    }
    if found.len() == wanted.len() {
        let mut calls: Vec<(Option<String>, String)> = Vec::new();
        for (h, want) in found.iter().zip(wanted) {
            if h.explicit.is_some() || want.is_empty() || want.contains(['}', ' ', '\t']) {
                calls.push((h.explicit.clone(), h.text.clone()));
                continue;
            }
            let mut ids = IdAllocator::new();
            for (explicit, text) in &calls {
                ids.allocate(explicit.as_deref(), text);
            }
            if ids.allocate(None, &h.text) == *want {
                calls.push((None, h.text.clone()));
                continue;
            }
            if let Some(edit) = id_edit(body, &h.range, want) {
                edits.push(edit);
                calls.push((Some(want.clone()), h.text.clone()));
            } else {
                calls.push((None, h.text.clone()));
            }
        }
    }
    apply(body, edits)
}

/// The edits that make the heading at `range` one of `level`.
fn level_edits(body: &str, range: &Range<usize>, level: u8) -> Vec<Edit> {
    let Some(text) = body.get(range.clone()) else {
        return Vec::new();
    };
    let hashes = "#".repeat(usize::from(level));
    if let Some(first) = text
        .find('#')
        .filter(|&p| text[..p].trim_matches([' ', '>']).is_empty())
    {
        let run = text[first..].bytes().take_while(|&b| b == b'#').count();
        return vec![Edit::new(
            range.start + first..range.start + first + run,
            hashes,
        )];
    }
    // Setext: the text, then a line of `=` or `-`.
    let trimmed = text.trim_end();
    let Some(nl) = trimmed.rfind('\n') else {
        return Vec::new();
    };
    let content = text[..nl].trim_end();
    let underline = range.start + nl + 1..range.start + trimmed.len();
    if level == 2 {
        let line = &body[underline.clone()];
        let indent = line.len() - line.trim_start().len();
        let marks = line.trim().len();
        return vec![Edit::new(
            underline.start + indent..underline.end,
            "-".repeat(marks),
        )];
    }
    if content.contains('\n') {
        return Vec::new();
    }
    let start = range.start + (content.len() - content.trim_start().len());
    vec![
        Edit::new(start..start, format!("{hashes} ")),
        Edit::new(range.start + content.len()..underline.end, ""),
    ]
}

/// The edit giving the heading at `range` the id `id`.
fn id_edit(body: &str, range: &Range<usize>, id: &str) -> Option<Edit> {
    let text = body.get(range.clone())?;
    let trimmed = text.trim_end();
    let atx = text.trim_start().starts_with('#');
    let line_end = if atx {
        range.start + text.find('\n').unwrap_or(trimmed.len()).min(trimmed.len())
    } else {
        // Setext: the id goes at the end of the text, before the underline.
        let underline = trimmed.rfind('\n')?;
        range.start + text[..underline].trim_end().len()
    };
    let mut line = &body[range.start..line_end];
    line = line.trim_end();
    let mut end = range.start + line.len();
    if atx {
        // A closing sequence of `#`s after a space.
        let without = line.trim_end_matches('#');
        if without.len() < line.len() && without.ends_with([' ', '\t']) {
            end = range.start + without.trim_end().len();
        }
    }
    Some(Edit::new(end..end, format!(" {{#{id}}}")))
}

/// The summary a page's first paragraph gives: its first sentence, or two
/// when the first is short, as plain text.
pub(crate) fn summary(body: &str) -> Option<String> {
    let events = parse(body);
    let mut depth = 0usize;
    let mut in_paragraph = false;
    let mut in_image = 0usize;
    let mut text = String::new();
    for (event, _) in &events {
        match event {
            Event::Start(Tag::Image { .. }) => {
                in_image += 1;
                depth += 1;
            }
            Event::End(TagEnd::Image) => {
                in_image = in_image.saturating_sub(1);
                depth = depth.saturating_sub(1);
            }
            Event::Text(_) | Event::Code(_) if in_image > 0 => {}
            Event::Start(Tag::Paragraph) if depth == 0 => {
                in_paragraph = true;
                text.clear();
                depth += 1;
            }
            Event::End(TagEnd::Paragraph) if in_paragraph && depth == 1 => {
                in_paragraph = false;
                depth -= 1;
                let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if words.split_whitespace().count() >= 3 {
                    return Some(first_sentences(&words));
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_paragraph => text.push_str(t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    None
}

/// The first sentence of `text` (two when the first is short), at most
/// about 300 characters.
fn first_sentences(text: &str) -> String {
    let mut ends = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (n, &(i, c)) in chars.iter().enumerate() {
        if matches!(c, '.' | '!' | '?') {
            let next = chars.get(n + 1).map(|&(_, c)| c);
            if next.is_none_or(char::is_whitespace) {
                let before = &text[..i];
                let word = before.rsplit(' ').next().unwrap_or("");
                let abbreviation =
                    ["e.g", "i.e", "etc", "vs", "cf", "Dr", "Mr", "Ms", "Mrs"].contains(&word);
                if !abbreviation {
                    ends.push(i + c.len_utf8());
                }
            }
        }
    }
    let mut cut = match ends.first() {
        Some(&first) if first < 60 => ends.get(1).copied().unwrap_or(first),
        Some(&first) => first,
        None => text.len(),
    };
    if cut > 300 {
        let head = &text[..floor_boundary(text, 297)];
        let at = head.rfind(' ').unwrap_or(head.len());
        return format!("{}…", head[..at].trim_end_matches([',', ';', ':']));
    }
    cut = cut.min(text.len());
    text[..cut].trim().to_string()
}

/// The largest char boundary of `text` at or before `i`.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_overlaps_are_dropped() {
        let out = apply(
            "abcdef",
            vec![
                Edit::new(4..5, "E"),
                Edit::new(0..0, ">"),
                Edit::new(1..3, "X"),
                Edit::new(2..4, "no"),
            ],
        );
        assert_eq!(out, ">aXdEf");
    }

    #[test]
    fn destinations_are_found_as_written() {
        let body = "See [the *guide*](guide/a.md#x \"T\") and [b][r].\n\n[r]: <b c.md>\n";
        let link_end = body.find(')').unwrap() + 1;
        let text_end = body.find("](").unwrap();
        let at = inline_dest(body, &(4..link_end), text_end).unwrap();
        assert_eq!(&body[at], "guide/a.md#x");
        let def = body.find("[r]:").unwrap();
        let at = def_dest(body, &(def..body.len())).unwrap();
        assert_eq!(&body[at], "<b c.md>");
        assert_eq!(
            dest_at("(x(1).md) y", 1, 11).map(|r| &"(x(1).md) y"[r]),
            Some("x(1).md")
        );
    }

    #[test]
    fn relative_paths_between_new_files() {
        assert_eq!(
            relative(Path::new("01-a/02-b"), Path::new("02-c/01-d.md")),
            "../../02-c/01-d.md"
        );
        assert_eq!(relative(Path::new(""), Path::new("x y.png")), "x%20y.png");
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
    }

    #[test]
    fn heading_ids_are_kept_where_trellis_would_differ() {
        let body = "# Intro\n\n## What's new?\n\n## Rupture & repair\n\nSetext\n------\n";
        let wanted = vec![
            "intro".to_string(),
            "what-s-new".to_string(),
            "rupture-repair".to_string(),
            "setext".to_string(),
        ];
        assert_eq!(
            fix_headings(body, &wanted),
            "## Intro\n\n### What's new? {#what-s-new}\n\n### Rupture & repair {#rupture-repair}\n\n### Setext\n"
        );
        assert_eq!(
            fix_headings("Title\n=====\n\n#### Deep\n", &[]),
            "Title\n-----\n\n### Deep\n"
        );
        let mut zola = ToolIds::new(AnchorRule::ZolaOn);
        assert_eq!(zola.allocate(None, "What's new?"), "what-s-new");
        assert_eq!(zola.allocate(None, "What’s new?"), "what-s-new-1");
        let mut gh = ToolIds::new(AnchorRule::GitHub);
        assert_eq!(gh.allocate(None, "Rupture & repair"), "rupture--repair");
        assert_eq!(gh.allocate(None, "?!"), "section");
        assert_eq!(
            id_edit("## A ##\n", &(0..8), "a-1"),
            Some(Edit::new(4..4, " {#a-1}"))
        );
    }

    #[test]
    fn summaries_are_the_first_sentences_of_the_first_paragraph() {
        assert_eq!(
            summary(
                "# T\n\n![pic](a.png)\n\nShort one. Then a second sentence here. And a third.\n"
            )
            .as_deref(),
            Some("Short one. Then a second sentence here.")
        );
        assert_eq!(
            summary(
                "A long first sentence that goes on for quite a while, e.g. like this. Second.\n"
            )
            .as_deref(),
            Some("A long first sentence that goes on for quite a while, e.g. like this.")
        );
        assert_eq!(summary("- a list only\n"), None);
    }

    #[test]
    fn rust_lines_mdbook_hid_are_left_out() {
        let body = "```rust\n# use x;\nfn main() {}\n## not hidden\n#[derive(X)]\n```\n";
        let events = parse(body);
        let (text_range, _) = events
            .iter()
            .find_map(|(e, r)| matches!(e, Event::Text(_)).then(|| (r.clone(), ())))
            .unwrap();
        let mut edits = Vec::new();
        hide_rust_lines(body, text_range, &mut edits);
        assert_eq!(
            apply(body, edits),
            "```rust\nfn main() {}\n# not hidden\n#[derive(X)]\n```\n"
        );
    }
}
