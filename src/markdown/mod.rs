//! Article markdown to HTML.
//!
//! One pass over pulldown-cmark's events does everything a page needs:
//! heading ids and the contents list, GitHub alerts as callouts, relative
//! links checked and rewritten, `[[Term]]` glossary links, automatic glossary
//! linking in prose, and `[@key]` citations. Problems become diagnostics with
//! the file's own line numbers; rendering still finishes so that every error
//! in a file is reported at once.
//!
//! The renderer does not know the glossary or bibliography types: it asks
//! through the [`Terms`] and [`Citations`] traits, so it can be tested alone.
//!
//! The same pass also yields the one-page print view's HTML: it differs from
//! the page's only in heading ids, footnote labels, link and image
//! destinations and glossary term links, so [`Rendered::print`] records those
//! few byte ranges of the page HTML and what the print view has there
//! instead (`print.rs`), and the print page is the page HTML with them
//! spliced in ([`Rendered::print_pieces`]). Rendering a second time for
//! print ([`RenderContext::print`]) gives the same bytes; it is kept as the
//! reference the splices are tested against, and as the fallback when they
//! cannot be used.

pub mod headings;
mod print;
pub mod raw_html;

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::config::Autolink;
use crate::diagnostic::{line_col, Code, Diagnostic};
use crate::inline::is_unsafe_url;
use crate::links::{LinkIndex, PendingAnchor, Target};
use crate::theme_strings::Words;
pub use headings::Heading;
use print::{escaped_href, escaped_html, LinkKind, Pending, Print};
pub use print::{PrintLink, PrintPiece, PrintSplices};

/// The markdown extensions every handbook gets.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_WIKILINKS
}

/// What the renderer needs from a glossary.
pub trait Terms: Sync {
    /// The term named `name` (a term or an alias, any case).
    fn lookup(&self, name: &str) -> Option<usize>;
    /// Up to `limit` known terms close to `name`.
    fn nearest(&self, name: &str, limit: usize) -> Vec<String>;
    /// Whole-word uses of any term or alias in `text`: (byte range, term), in order.
    fn find(&self, text: &str) -> Vec<(Range<usize>, usize)>;
    /// The term's slug (its id on the glossary page).
    fn slug(&self, term: usize) -> &str;
}

/// One `@key` inside a citation, with an optional locator (`p. 12`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedWork {
    /// The reference's key.
    pub key: String,
    /// Page or section.
    pub locator: Option<String>,
}

/// What the renderer needs from a bibliography.
pub trait Citations: Sync {
    /// The citations `[@…]` in a piece of text: (byte range, works cited).
    fn find(&self, text: &str) -> Vec<(Range<usize>, Vec<CitedWork>)>;
    /// Whether `key` is in the bibliography.
    fn contains(&self, key: &str) -> bool;
    /// The known key closest to a misspelt one.
    fn nearest(&self, _key: &str) -> Option<String> {
        None
    }
    /// Formats all the citations of one article in order: the in-text HTML of
    /// each and the HTML of the reference list (empty when there are none).
    fn format(&self, citations: &[Vec<CitedWork>]) -> (Vec<String>, String);
}

/// Everything rendering an article needs besides its text.
pub struct RenderContext<'a> {
    /// The source file, for link resolution and diagnostics.
    pub file: &'a Path,
    /// Lines in the file before the markdown body.
    pub line_offset: usize,
    /// The page's site-relative folder (for relative URLs).
    pub page_url: &'a str,
    /// Pages and anchors of the whole handbook.
    pub links: &'a LinkIndex,
    /// The glossary, if the handbook has one.
    pub terms: Option<&'a dyn Terms>,
    /// How to link glossary terms automatically.
    pub autolink: Autolink,
    /// Site-relative URL of the glossary page.
    pub glossary_url: &'a str,
    /// The bibliography, if the handbook has one.
    pub citations: Option<&'a dyn Citations>,
    /// The theme's words in the page's language: callout labels, task-list
    /// boxes' names.
    pub words: &'a Words,
    /// Rendering for the one-page print view instead of the article's own
    /// page. Builds do not need it (a page render's [`Rendered::print`] gives
    /// the print HTML); it is the reference those splices are checked against.
    pub print: bool,
}

/// The `id` of a page's section on the one-page print view: `p-` plus its
/// folder with slashes as `--` (`p-home` for the home page). Headings and
/// footnotes inside it get this plus `-` as a prefix.
pub fn print_anchor(page_url: &str) -> String {
    let trimmed = page_url.trim_end_matches('/');
    if trimmed.is_empty() {
        "p-home".to_string()
    } else {
        format!("p-{}", trimmed.replace('/', "--"))
    }
}

/// A rendered article body.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The body's HTML.
    pub html: String,
    /// Its headings, in order, with their ids.
    pub headings: Vec<Heading>,
    /// Glossary terms linked from it, in order of first use, without repeats.
    pub terms_used: Vec<usize>,
    /// The reference list's HTML (empty when nothing is cited).
    pub references_html: String,
    /// Problems found (broken links, unknown terms or keys).
    pub diagnostics: Vec<Diagnostic>,
    /// Its links to headings, to check once every page's headings are
    /// known ([`LinkIndex::anchor_errors`]).
    pub anchors: Vec<PendingAnchor>,
    /// Words of text (not code), for reading time.
    pub word_count: usize,
    /// How the print view's HTML differs from `html` (when rendered with
    /// [`RenderContext::print`], whose `html` is the print view's, only its
    /// links' addresses, unchanged: see [`Rendered::print_linked`]).
    pub print: PrintSplices,
}

impl Rendered {
    /// The print view's HTML as consecutive pieces: `html` with the print
    /// splices applied. `None` when they cannot be used (see
    /// [`PrintSplices`]): render again with [`RenderContext::print`] then.
    pub fn print_pieces(&self) -> Option<Vec<&str>> {
        self.print.pieces(&self.html)
    }

    /// Whether the print view must be rendered again from the markdown
    /// (its splices cannot be used), so the markdown must be kept.
    pub fn needs_source(&self) -> bool {
        self.print.linked_pieces(&self.html).is_none()
    }

    /// The print view's HTML as [`Rendered::print_pieces`] gives it, with
    /// the addresses of links to the site's pages and files apart, for a
    /// print page that holds one part of the handbook (`None` as there).
    pub fn print_linked(&self) -> Option<Vec<PrintPiece<'_>>> {
        self.print.linked_pieces(&self.html)
    }

    /// Its headings' ids, in order.
    pub fn heading_ids(&self) -> impl Iterator<Item = String> + '_ {
        self.headings.iter().map(|h| h.id.clone())
    }

    /// The print view's HTML in one string (see [`Rendered::print_pieces`]).
    pub fn print_html(&self) -> Option<String> {
        self.print_pieces().map(|pieces| pieces.concat())
    }
}

/// The end of the message for an unknown `[[term]]`.
const UNKNOWN_TERM: &str = "is not a glossary term";
/// The end of the message for an unknown `@key`.
const UNKNOWN_CITATION: &str = "is not in content/references.yaml";

const CITATION_MARK: &str = "\u{1}cite:";

/// The help of a broken link's error.
const FIX_LINK: &str = "fix the path, or remove the link";

/// Renders `markdown` with `ctx`.
pub fn render(markdown: &str, ctx: &RenderContext<'_>) -> Rendered {
    let mut r = Renderer::new(markdown, ctx);
    let parser = Parser::new_ext(markdown, options()).into_offset_iter();
    let events: Vec<(Event<'_>, Range<usize>)> = TextMergeWithOffset::new(parser).collect();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        i = r.event(&events, i, &mut out);
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    let starts = if r.pending.is_empty() {
        pulldown_cmark::html::push_html(&mut html, out.into_iter());
        Vec::new()
    } else {
        print::push_html_noting_starts(&mut html, out)
    };
    r.finish(html, &starts)
}

struct Renderer<'a, 'c> {
    text: &'a str,
    ctx: &'c RenderContext<'c>,
    ids: headings::IdAllocator,
    headings: Vec<Heading>,
    terms_used: Vec<usize>,
    terms_seen: HashSet<usize>,
    /// >0 while inside a heading, link, image or inline HTML link: no autolinking there.
    no_autolink_depth: usize,
    inline_html_link_depth: usize,
    citations: Vec<Vec<CitedWork>>,
    diagnostics: Vec<Diagnostic>,
    anchors: Vec<PendingAnchor>,
    /// The last position `error_at` gave, as (offset, line, column): every
    /// link to a heading takes one, and counting from the page's start
    /// each time grew with the square of the page's length.
    last_position: (usize, usize, usize),
    word_count: usize,
    /// The columns' alignments of the table being read, and whether its
    /// head is: cells are written with classes, not `style` (which a strict
    /// Content-Security-Policy blocks).
    table: Vec<pulldown_cmark::Alignment>,
    table_head: bool,
    table_cell: usize,
    /// `print_anchor` of the page, the prefix of its ids on the print view.
    print_prefix: String,
    /// Where the print view will differ, by output event (page renders only).
    pending: Pending,
}

impl<'a, 'c> Renderer<'a, 'c> {
    fn new(text: &'a str, ctx: &'c RenderContext<'c>) -> Self {
        Renderer {
            text,
            ctx,
            ids: headings::IdAllocator::new(),
            headings: Vec::new(),
            terms_used: Vec::new(),
            terms_seen: HashSet::new(),
            no_autolink_depth: 0,
            inline_html_link_depth: 0,
            citations: Vec::new(),
            diagnostics: Vec::new(),
            anchors: Vec::new(),
            last_position: (0, 1, 1),
            word_count: 0,
            table: Vec::new(),
            table_head: false,
            table_cell: 0,
            print_prefix: print_anchor(ctx.page_url),
            pending: Pending::default(),
        }
    }

    fn error(&mut self, code: Code, offset: usize, message: String, help: Option<String>) {
        let error = self
            .error_at(code, offset, message)
            .with_optional_help(help);
        self.diagnostics.push(error);
    }

    fn error_at(&mut self, code: Code, offset: usize, message: String) -> Diagnostic {
        let (line, col) = line_col_after(self.text, self.last_position, offset);
        self.last_position = (offset, line, col);
        code.error(self.ctx.file, line + self.ctx.line_offset, col, message)
    }

    /// Handles the event at `i`, pushing output events; returns the next index.
    fn event(
        &mut self,
        events: &[(Event<'a>, Range<usize>)],
        i: usize,
        out: &mut Vec<Event<'a>>,
    ) -> usize {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Heading { .. }) => return self.heading(events, i, out),
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, key) = alert(*kind);
                let label = crate::escape::html(self.ctx.words.get(key));
                out.push(Event::Html(
                    format!("<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{label}</p>\n").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => out.push(Event::Html("</div>\n".into())),
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                return self.wikilink(events, i, dest_url, range.start, out);
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                self.no_autolink_depth += 1;
                let tag = self.with_resolved_dest(tag.clone(), range.start, out.len());
                out.push(Event::Start(tag));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.no_autolink_depth = self.no_autolink_depth.saturating_sub(1);
                out.push(event.clone());
            }
            // Code blocks are code: no glossary links, no citations.
            Event::Start(Tag::CodeBlock(_)) => {
                self.no_autolink_depth += 1;
                out.push(event.clone());
            }
            Event::End(TagEnd::CodeBlock) => {
                self.no_autolink_depth = self.no_autolink_depth.saturating_sub(1);
                out.push(event.clone());
            }
            Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                if lower.starts_with("<a ") || lower == "<a>" {
                    self.inline_html_link_depth += 1;
                } else if lower.starts_with("</a") {
                    self.inline_html_link_depth = self.inline_html_link_depth.saturating_sub(1);
                }
                let html = self.raw_html(html, range, out.len());
                out.push(Event::InlineHtml(html));
            }
            Event::Html(html) => {
                let html = self.raw_html(html, range, out.len());
                out.push(Event::Html(html));
            }
            Event::FootnoteReference(label) => {
                if self.ctx.print {
                    let print = format!("{}-{label}", self.print_prefix);
                    out.push(Event::FootnoteReference(print.into()));
                } else {
                    let page = escaped_html(label);
                    self.pending
                        .note(out.len(), "<a href=\"#", page, Print::Prefix, "\"");
                    out.push(event.clone());
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                if self.ctx.print {
                    let print = format!("{}-{label}", self.print_prefix);
                    out.push(Event::Start(Tag::FootnoteDefinition(print.into())));
                } else {
                    let page = escaped_html(label);
                    self.pending
                        .note(out.len(), " id=\"", page, Print::Prefix, "\"");
                    out.push(event.clone());
                }
            }
            // Tables: the writer would align cells with `style`, which the
            // pages' Content-Security-Policy blocks; a class does the same.
            Event::Start(Tag::Table(alignments)) => {
                self.table = alignments.clone();
                let plain = vec![pulldown_cmark::Alignment::None; alignments.len()];
                out.push(Event::Start(Tag::Table(plain)));
            }
            Event::Start(Tag::TableHead) => {
                self.table_head = true;
                self.table_cell = 0;
                out.push(event.clone());
            }
            Event::End(TagEnd::TableHead) => {
                self.table_head = false;
                out.push(event.clone());
            }
            Event::Start(Tag::TableRow) => {
                self.table_cell = 0;
                out.push(event.clone());
            }
            Event::Start(Tag::TableCell) => {
                let tag = if self.table_head { "th" } else { "td" };
                let class = match self.table.get(self.table_cell) {
                    Some(pulldown_cmark::Alignment::Left) => " class=\"align-left\"",
                    Some(pulldown_cmark::Alignment::Center) => " class=\"align-center\"",
                    Some(pulldown_cmark::Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                out.push(Event::Html(format!("<{tag}{class}>").into()));
            }
            Event::End(TagEnd::TableCell) => {
                let tag = if self.table_head { "th" } else { "td" };
                self.table_cell += 1;
                out.push(Event::Html(format!("</{tag}>").into()));
            }
            Event::TaskListMarker(done) => {
                // Checkboxes need a name for screen readers (axe `label`).
                let (checked, key) = if *done {
                    (" checked", "task_done")
                } else {
                    ("", "task_not_done")
                };
                let label = crate::escape::html(self.ctx.words.get(key));
                out.push(Event::InlineHtml(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
                        .into(),
                ));
            }
            Event::Text(text) => {
                self.word_count += count_words(text);
                self.text_event(text, range.start, out)
            }
            other => out.push(other.clone()),
        }
        i + 1
    }

    /// Buffers a heading to give it its id and record it for the contents list.
    fn heading(
        &mut self,
        events: &[(Event<'a>, Range<usize>)],
        i: usize,
        out: &mut Vec<Event<'a>>,
    ) -> usize {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[i].0
        else {
            return i + 1;
        };
        // Its text, term links' included (they are handled as a whole below).
        let mut text = String::new();
        for (event, _) in &events[i + 1..] {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let mut j = i + 1;
        // The heading's start goes here once its text gives the id; its
        // content goes straight into `out`, so that print splices noted
        // inside it name their events by their place in `out`.
        let start = out.len();
        out.push(Event::Start(Tag::Paragraph));
        self.no_autolink_depth += 1;
        while j < events.len() {
            if let Event::End(TagEnd::Heading(_)) = events[j].0 {
                break;
            }
            j = self.event(events, j, out);
        }
        self.no_autolink_depth -= 1;
        let mut id = self.ids.allocate(id.as_deref(), &text);
        if self.ctx.print {
            id = format!("{}-{id}", self.print_prefix);
        } else {
            let page = escaped_html(&id);
            self.pending
                .note(start, " id=\"", page, Print::Prefix, "\"");
        }
        self.headings.push(Heading {
            level: headings::level_number(*level),
            id: id.clone(),
            text: text.trim().to_string(),
        });
        out[start] = Event::Start(Tag::Heading {
            level: *level,
            id: Some(CowStr::from(id)),
            classes: classes.clone(),
            attrs: attrs.clone(),
        });
        out.push(Event::End(TagEnd::Heading(*level)));
        j + 1
    }

    /// A link or image tag (output event `event`) with its destination
    /// checked and made relative.
    fn with_resolved_dest(&mut self, mut tag: Tag<'a>, offset: usize, event: usize) -> Tag<'a> {
        let before = match tag {
            Tag::Image { .. } => "<img src=\"",
            _ => "<a href=\"",
        };
        if let Tag::Link {
            link_type,
            dest_url,
            ..
        }
        | Tag::Image {
            link_type,
            dest_url,
            ..
        } = &mut tag
        {
            let (page, print, kind) = self.link_hrefs(dest_url, offset, *link_type);
            let with = Print::link(kind, escaped_href(&print));
            // A print render notes its links' addresses too (unchanged), so
            // that its HTML, the splices' fallback, can be split by part.
            let dest = if self.ctx.print { print } else { page };
            self.pending
                .note(event, before, escaped_href(&dest), with, "\"");
            *dest_url = dest.into();
        }
        tag
    }

    /// Raw HTML with its relative `src`, `href` and `srcset` addresses
    /// rewritten and checked as markdown links and images are (`range` is
    /// where the HTML is in the markdown, for errors; `event` the output
    /// event it becomes, for the print view's splices). Addresses to other
    /// sites are left as written.
    fn raw_html(&mut self, html: &CowStr<'a>, range: &Range<usize>, event: usize) -> CowStr<'a> {
        let found = raw_html::addresses(html);
        if found.iter().all(|a| crate::links::is_external(&a.url)) {
            return html.clone();
        }
        // Where the event's text starts in the markdown (a block's lines
        // may come without their indentation).
        let base = self
            .text
            .get(range.clone())
            .and_then(|src| src.find(&**html))
            .map_or(range.start, |at| range.start + at);
        let mut out = String::with_capacity(html.len() + 16);
        let mut from = 0;
        for address in found {
            if crate::links::is_external(&address.url) {
                continue;
            }
            let (page, print, kind) =
                self.link_hrefs(&address.url, base + address.range.start, LinkType::Inline);
            let (page, print) = (escaped_href(&page), escaped_href(&print));
            let dest = if self.ctx.print { print.clone() } else { page };
            // Raw HTML is written as it is: the address is the first `dest`
            // after the event's previous note.
            self.pending
                .note(event, "", dest.clone(), Print::link(kind, print), "");
            out.push_str(&html[from..address.range.start]);
            out.push_str(&dest);
            from = address.range.end;
        }
        out.push_str(&html[from..]);
        out.into()
    }

    /// A link's destination on the article's own page and on the print
    /// page, and where it goes.
    fn link_hrefs(
        &mut self,
        dest: &str,
        offset: usize,
        link_type: LinkType,
    ) -> (String, String, LinkKind) {
        if is_unsafe_url(dest) {
            // Authors are trusted; `check` warns on script.
            return (dest.to_string(), dest.to_string(), LinkKind::Other);
        }
        if matches!(link_type, LinkType::Email) {
            let href = format!("mailto:{dest}");
            return (href.clone(), href, LinkKind::Other);
        }
        match self.ctx.links.resolve_later(self.ctx.file, dest) {
            Ok((target, anchor)) => {
                if let Some(check) = anchor {
                    let at = self
                        .error_at(Code::UnknownAnchor, offset, String::new())
                        .with_help(FIX_LINK);
                    self.anchors.push(check.at(at));
                }
                let page = target.href(self.ctx.page_url);
                let (print, kind) = match target {
                    // On the print page every page is a section of the same page.
                    Target::Internal { path, fragment }
                        if path.is_empty() || path.ends_with('/') =>
                    {
                        let print = match fragment {
                            Some(f) => format!("#{}-{f}", print_anchor(&path)),
                            None => format!("#{}", print_anchor(&path)),
                        };
                        let top = path.split('/').next().unwrap_or_default();
                        (print, LinkKind::Section(top.to_string()))
                    }
                    target @ Target::Internal { .. } => (target.href("print/"), LinkKind::File),
                    target => (target.href("print/"), LinkKind::Other),
                };
                (page, print, kind)
            }
            Err(error) => {
                let message = error.to_string();
                self.error(Code::BrokenLink, offset, message, Some(FIX_LINK.into()));
                (dest.to_string(), dest.to_string(), LinkKind::Other)
            }
        }
    }

    /// `[[Term]]` or `[[Term|shown]]`: a link to the glossary entry.
    fn wikilink(
        &mut self,
        events: &[(Event<'a>, Range<usize>)],
        i: usize,
        dest: &str,
        offset: usize,
        out: &mut Vec<Event<'a>>,
    ) -> usize {
        let mut j = i + 1;
        let mut inner = Vec::new();
        while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Link)) {
            // A footnote here keeps its label on the print view too, unlike
            // every other: footnotes are numbered by label, so its number
            // there may differ from the page's, which no splice can follow.
            if !self.ctx.print && matches!(events[j].0, Event::FootnoteReference(_)) {
                self.pending.give_up();
            }
            inner.push(events[j].0.clone());
            j += 1;
        }
        let name = dest.trim();
        let found = self
            .ctx
            .terms
            .and_then(|t| t.lookup(name).map(|id| (t, id)));
        match found {
            Some((terms, id)) => {
                let (page, print) = self.term_open(terms, id);
                let tag = if self.ctx.print {
                    print
                } else {
                    self.pending
                        .note(out.len(), "", page.clone(), Print::Text(print), "");
                    page
                };
                out.push(Event::Html(tag.into()));
                out.extend(inner);
                out.push(Event::Html("</a>".into()));
            }
            None => {
                let near = self
                    .ctx
                    .terms
                    .map(|t| t.nearest(name, 3))
                    .unwrap_or_default();
                let help = if self.ctx.terms.is_none() {
                    Some(
                        "this handbook has no content/glossary.yaml; add the term there"
                            .to_string(),
                    )
                } else if near.is_empty() {
                    Some("add the term to content/glossary.yaml, or fix its spelling".to_string())
                } else {
                    Some(format!(
                        "did you mean {}?",
                        near.iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                };
                self.error(
                    Code::UnknownTerm,
                    offset,
                    format!("`[[{name}]]` {UNKNOWN_TERM}"),
                    help,
                );
                out.extend(inner);
            }
        }
        j + 1
    }

    /// The opening tag of a glossary term's link on the page and on the print page.
    fn term_open(&mut self, terms: &dyn Terms, id: usize) -> (String, String) {
        if self.terms_seen.insert(id) {
            self.terms_used.push(id);
        }
        let slug = terms.slug(id);
        let print = ["<a class=\"term\" href=\"#glossary-", slug, "\">"].concat();
        if self.ctx.print {
            return (String::new(), print);
        }
        let glossary = crate::links::relative_url(self.ctx.page_url, self.ctx.glossary_url);
        let mut href = String::new();
        let _ = escape_href(&mut href, &format!("{glossary}#{slug}"));
        let page = format!("<a class=\"term\" href=\"{href}\" aria-describedby=\"tip-{slug}\">");
        (page, print)
    }

    fn text_event(&mut self, text: &CowStr<'a>, offset: usize, out: &mut Vec<Event<'a>>) {
        // Citations first: they may appear anywhere prose does.
        let cites = self.ctx.citations.map(|c| c.find(text)).unwrap_or_default();
        if cites.is_empty() || self.no_autolink_depth > 0 {
            self.prose(text, offset, out);
            return;
        }
        let mut last = 0;
        for (range, works) in cites {
            if range.start > last {
                self.prose(&text[last..range.start], offset + last, out);
            }
            let mut known = true;
            for w in &works {
                if !self.ctx.citations.is_some_and(|c| c.contains(&w.key)) {
                    known = false;
                    let help = match self.ctx.citations.and_then(|c| c.nearest(&w.key)) {
                        Some(near) => format!("did you mean `@{near}`?"),
                        None => {
                            "add the work to content/references.yaml, or fix the key".to_string()
                        }
                    };
                    self.error(
                        Code::UnknownCitation,
                        offset + range.start,
                        format!("`@{}` {UNKNOWN_CITATION}", w.key),
                        Some(help),
                    );
                }
            }
            if known {
                out.push(Event::Html(
                    format!("{CITATION_MARK}{}\u{1}", self.citations.len()).into(),
                ));
                self.citations.push(works);
            } else {
                out.push(Event::Text(text[range.clone()].to_string().into()));
            }
            last = range.end;
        }
        if last < text.len() {
            self.prose(&text[last..], offset + last, out);
        }
    }

    /// Plain prose: link glossary terms per the autolink setting.
    fn prose(&mut self, text: &str, _offset: usize, out: &mut Vec<Event<'a>>) {
        let terms = match self.ctx.terms {
            Some(t)
                if self.ctx.autolink != Autolink::Off
                    && self.no_autolink_depth == 0
                    && self.inline_html_link_depth == 0 =>
            {
                t
            }
            _ => {
                out.push(Event::Text(text.to_string().into()));
                return;
            }
        };
        let mut last = 0;
        let mut html = String::new();
        for (range, id) in terms.find(text) {
            if self.ctx.autolink == Autolink::First && self.terms_seen.contains(&id) {
                continue;
            }
            let _ = escape_html(&mut html, &text[last..range.start]);
            let (page, print) = self.term_open(terms, id);
            if self.ctx.print {
                html.push_str(&print);
            } else {
                // This text becomes the next output event (terms linked
                // means `last` > 0 below); its escaped prose holds no `<`,
                // so each tag is found where it was put.
                html.push_str(&page);
                self.pending
                    .note(out.len(), "", page, Print::Text(print), "");
            }
            let _ = escape_html(&mut html, &text[range.clone()]);
            html.push_str("</a>");
            last = range.end;
        }
        if last == 0 {
            out.push(Event::Text(text.to_string().into()));
        } else {
            let _ = escape_html(&mut html, &text[last..]);
            out.push(Event::InlineHtml(html.into()));
        }
    }

    /// `starts`: where each output event's HTML starts (empty when no print
    /// splice is pending).
    fn finish(mut self, mut html: String, starts: &[usize]) -> Rendered {
        let pending = std::mem::take(&mut self.pending);
        let mut print = pending.resolve(&html, starts, &self.print_prefix);
        let mut references_html = String::new();
        if !self.citations.is_empty() {
            if let Some(c) = self.ctx.citations {
                let (in_text, refs) = c.format(&self.citations);
                references_html = refs;
                for (n, text) in in_text.iter().enumerate() {
                    // The first such mark, as the print render replaces it.
                    let mark = format!("{CITATION_MARK}{n}\u{1}");
                    if let Some(at) = html.find(&mark) {
                        html.replace_range(at..at + mark.len(), text);
                        print.shift(at..at + mark.len(), text.len());
                    }
                }
            }
        }
        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        Rendered {
            html: fitted(html),
            headings: self.headings,
            terms_used: self.terms_used,
            references_html,
            diagnostics: self.diagnostics,
            anchors: self.anchors,
            word_count: self.word_count,
            print,
        }
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "alert_note"),
        BlockQuoteKind::Tip => ("tip", "alert_tip"),
        BlockQuoteKind::Important => ("important", "alert_important"),
        BlockQuoteKind::Warning => ("warning", "alert_warning"),
        BlockQuoteKind::Caution => ("caution", "alert_caution"),
    }
}

/// [`line_col`] of `offset` in `text`, counted on from `known` (an earlier
/// offset with its line and column) when `offset` is at or after it.
fn line_col_after(text: &str, known: (usize, usize, usize), offset: usize) -> (usize, usize) {
    let (from, line, col) = known;
    match text.get(from..offset) {
        Some(gap) => match gap.rfind('\n') {
            Some(nl) => (
                line + gap.matches('\n').count(),
                gap[nl + 1..].chars().count() + 1,
            ),
            None => (line, col + gap.chars().count()),
        },
        None => line_col(text, offset),
    }
}

/// `text.split_whitespace().count()`, with a byte loop the compiler can
/// vectorize for ASCII text: the `char` by `char` count was a thirtieth of
/// a build's CPU, and a loop over pairs of bytes still a fortieth.
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // The ASCII characters `char::is_whitespace` accepts.
    let is_word = |b: u8| !matches!(b, b'\t'..=b'\r' | b' ');
    let bytes = text.as_bytes();
    let starts_first = bytes.first().is_some_and(|&b| is_word(b));
    let mut words = usize::from(starts_first);
    let Some(after) = bytes.get(1..) else {
        return words;
    };
    // A word starts at each byte after white space that is not white space.
    // Summed 255 pairs at a time into a byte, which cannot overflow there,
    // so the compiler sums 16 bytes to an instruction (SSE2, the baseline).
    for (before, here) in bytes.chunks(255).zip(after.chunks(255)) {
        let starts = before
            .iter()
            .zip(here)
            .map(|(&b, &h)| u8::from(!is_word(b)) & u8::from(is_word(h)))
            .fold(0u8, u8::wrapping_add);
        words += usize::from(starts);
    }
    words
}

/// `html` in a block of its own length. Every page's HTML is held until
/// the site is written, and the renderer's buffer has room to spare (a
/// third, on average); shrinking it in place gives nothing back under
/// mimalloc, which keeps a block that shrinks by less than half, so the
/// text is copied into one that fits (a few milliseconds for 10,000 pages).
fn fitted(html: String) -> String {
    if html.capacity() - html.len() > html.len() / 8 {
        html.as_str().to_owned()
    } else {
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_counted_on_are_positions_counted_from_the_start() {
        let text = "ab\ncé\n\nfin ü\nx";
        let offsets: Vec<usize> = (0..=text.len() + 2).collect();
        for &from in &offsets {
            let (line, col) = line_col(text, from);
            for &to in &offsets {
                assert_eq!(
                    line_col_after(text, (from, line, col), to),
                    line_col(text, to),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn counts_words_as_split_whitespace_does() {
        let mut texts: Vec<String> = (0u8..128)
            .map(|b| format!("a{}b {} c{}", b as char, b as char, b as char))
            .collect();
        texts.extend(
            [
                "",
                " ",
                "one",
                "  two  words ",
                "tab\tand\nnew\r\nline\x0bvt\x0cff",
                "\x1c not \x1f space",
                "non\u{a0}breaking and\u{2003}em space",
                "caf\u{e9} na\u{ef}ve",
            ]
            .map(String::from),
        );
        // Longer texts, across the 255-byte stretches the count sums.
        let pieces = ["a", "bb", "word", " ", "  ", "\t", "\n", "\r\n", "x\x0c"];
        let mut below = crate::test_random::below(7);
        texts.extend((0..2_000).map(|_| crate::test_random::joined(&pieces, 500, &mut below)));
        for text in &texts {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    struct FakeTerms;
    impl Terms for FakeTerms {
        fn lookup(&self, name: &str) -> Option<usize> {
            (name.eq_ignore_ascii_case("alliance")).then_some(0)
        }
        fn nearest(&self, _: &str, _: usize) -> Vec<String> {
            vec!["Alliance".into()]
        }
        fn find(&self, text: &str) -> Vec<(Range<usize>, usize)> {
            text.match_indices("alliance")
                .map(|(i, m)| (i..i + m.len(), 0))
                .collect()
        }
        fn slug(&self, _: usize) -> &str {
            "alliance"
        }
    }

    /// The bundled theme's English words.
    static ENGLISH: std::sync::LazyLock<Words> = std::sync::LazyLock::new(Words::bundled_english);

    fn ctx<'a>(
        links: &'a LinkIndex,
        terms: Option<&'a dyn Terms>,
        autolink: Autolink,
    ) -> RenderContext<'a> {
        RenderContext {
            file: Path::new("content/p/a.md"),
            line_offset: 4,
            page_url: "p/a/",
            links,
            terms,
            autolink,
            glossary_url: "glossary/",
            citations: None,
            words: &ENGLISH,
            print: false,
        }
    }

    #[test]
    fn headings_alerts_and_links() {
        let mut links = LinkIndex::default();
        links.add_page(Path::new("content/p/a.md"), "p/a/");
        links.add_page(Path::new("content/p/b.md"), "p/b/");
        let md = "## Hello {#hi}\n\n> [!TIP]\n> Breathe.\n\nSee [b](b.md) and [c](c.md).\n";
        let r = render(md, &ctx(&links, None, Autolink::First));
        assert!(r.html.contains("<h2 id=\"hi\">Hello</h2>"), "{}", r.html);
        assert!(
            r.html.contains("class=\"callout callout-tip\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"../b/index.html\""), "{}", r.html);
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].line, 10);
        assert!(r.diagnostics[0].message.contains("`c.md`"));
    }

    #[test]
    fn heading_ids_are_unique_and_explicit_ones_kept() {
        let links = LinkIndex::default();
        let md = "# Title\n\n## Repair {#mend}\n\n## Trust\n\n## Trust\n\n## Contents\n";
        let r = render(md, &ctx(&links, None, Autolink::First));
        let ids: Vec<String> = r.heading_ids().collect();
        // "Contents" is the author's: the theme's ids start with `trellis-`.
        assert_eq!(ids, ["title", "mend", "trust", "trust-1", "contents"]);
        assert_eq!(r.headings[1].text, "Repair");
        assert!(
            r.html.contains("<h2 id=\"trust-1\">Trust</h2>"),
            "{}",
            r.html
        );
        // A term link's text is part of the heading's text and id.
        let r = render(
            "## About [[Alliance]] and [[Alliance|the bond]]\n",
            &ctx(&links, Some(&FakeTerms), Autolink::First),
        );
        assert_eq!(r.headings[0].text, "About Alliance and the bond");
        assert_eq!(r.headings[0].id, "about-alliance-and-the-bond");
    }

    #[test]
    fn raw_html_addresses_are_rewritten_and_checked_like_markdown_links() {
        let mut links = LinkIndex::default();
        links.add_page(Path::new("content/p/a.md"), "p/a/");
        links.add_page(Path::new("content/p/b.md"), "p/b/");
        links.add_asset(
            Path::new("content/p/images/logo.svg"),
            Path::new("p/images/logo.svg"),
        );
        let md = "Intro.\n\n<p><img src=\"images/logo.svg\" alt=\"Logo\"> <a href='b.md'>B</a></p>\n\nAn <img srcset=\"images/logo.svg 1x, images/gone.png 2x\" alt=\"x\"> and <a href=\"https://example.org/\">out</a>.\n";
        let r = render(md, &ctx(&links, None, Autolink::First));
        assert!(
            r.html.contains(
                "<img src=\"../images/logo.svg\" alt=\"Logo\"> <a href='../b/index.html'>B</a>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("srcset=\"../images/logo.svg 1x, images/gone.png 2x\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"https://example.org/\">out</a>"));
        // The missing image: an error at its place in the file (4 lines of
        // front matter before the body).
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        let d = &r.diagnostics[0];
        assert_eq!((d.line, d.column), (9, 37), "{d}");
        assert!(d.message.contains("images/gone.png"), "{d}");
        // The print view's addresses, spliced into the page render as a
        // print render writes them.
        let print = render(
            md,
            &RenderContext {
                print: true,
                ..ctx(&links, None, Autolink::First)
            },
        );
        assert!(
            print.html.contains("<img src=\"../p/images/logo.svg\""),
            "{}",
            print.html
        );
        assert!(
            print.html.contains("<a href='#p-p--b'>B</a>"),
            "{}",
            print.html
        );
        assert_eq!(r.print_html().as_deref(), Some(print.html.as_str()));
        // Raw HTML with nothing to rewrite keeps the splices.
        let plain = render(
            "<p>Just <b>bold</b>, <a href=\"https://example.org/\">out</a>.</p>\n",
            &ctx(&links, None, Autolink::First),
        );
        assert!(plain.print_html().is_some());
    }

    #[test]
    fn aligned_table_columns_take_classes_not_styles() {
        let links = LinkIndex::default();
        let md = "| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n";
        let r = render(md, &ctx(&links, None, Autolink::First));
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(
            r.html.contains("<th class=\"align-left\">a</th><th class=\"align-center\">b</th><th class=\"align-right\">c</th><th>d</th>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<td class=\"align-left\">1</td><td class=\"align-center\">2</td><td class=\"align-right\">3</td><td>4</td>"), "{}", r.html);
        assert_print_splices_match(md, &ctx(&links, None, Autolink::First));
    }

    #[test]
    fn links_to_headings_are_checked_after_rendering() {
        let mut links = LinkIndex::default();
        links.add_page(Path::new("content/p/a.md"), "p/a/");
        links.add_page(Path::new("content/p/b.md"), "p/b/");
        let md = "See [below](#later), [gone](#gone) and [b](b.md#repair).\n\n## Later\n";
        let r = render(md, &ctx(&links, None, Autolink::First));
        // Nothing is known of any page's headings while rendering.
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.anchors.len(), 3);
        links.add_anchors("p/a/", r.heading_ids());
        links.add_anchors("p/b/", ["repair".to_string()]);
        let errors = links.anchor_errors(&r.anchors);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column), (5, 22));
        assert_eq!(
            errors[0].message,
            "this page has no heading with id `#gone`"
        );
        assert_eq!(errors[0].help.as_deref(), Some(FIX_LINK));
    }

    #[test]
    fn glossary_links_first_use_outside_headings_and_code() {
        let links = LinkIndex::default();
        let md = "## The alliance\n\nThe alliance matters. The alliance again. `alliance` [[Alliance|it]] [[Nope]]\n";
        let r = render(md, &ctx(&links, Some(&FakeTerms), Autolink::First));
        assert_eq!(r.html.matches("class=\"term\"").count(), 2, "{}", r.html);
        assert!(r.html.contains("<h2 id=\"the-alliance\">The alliance</h2>"));
        assert!(r.html.contains("<code>alliance</code>"));
        assert!(r.diagnostics[0]
            .message
            .contains("`[[Nope]]` is not a glossary term"));
        let every = render(md, &ctx(&links, Some(&FakeTerms), Autolink::Every));
        assert_eq!(
            every.html.matches("class=\"term\"").count(),
            3,
            "{}",
            every.html
        );
    }

    /// Finds `[@a; @b, p. 1]`; formats each citation as its keys (of
    /// varying length, so that splices after it move).
    struct FakeCitations;
    impl Citations for FakeCitations {
        fn find(&self, text: &str) -> Vec<(Range<usize>, Vec<CitedWork>)> {
            let mut found = Vec::new();
            let mut from = 0;
            while let Some(start) = text[from..].find("[@").map(|i| from + i) {
                let Some(end) = text[start..].find(']').map(|i| start + i + 1) else {
                    break;
                };
                let works = text[start + 1..end - 1]
                    .split(';')
                    .map(|w| {
                        let (key, locator) = match w.split_once(',') {
                            Some((k, l)) => (k, Some(l.trim().to_string())),
                            None => (w, None),
                        };
                        CitedWork {
                            key: key.trim().trim_start_matches('@').to_string(),
                            locator,
                        }
                    })
                    .collect();
                found.push((start..end, works));
                from = end;
            }
            found
        }
        fn contains(&self, key: &str) -> bool {
            ["rogers", "bandura"].contains(&key)
        }
        fn format(&self, citations: &[Vec<CitedWork>]) -> (Vec<String>, String) {
            let in_text = citations
                .iter()
                .map(|c| {
                    let keys: Vec<&str> = c.iter().map(|w| w.key.as_str()).collect();
                    format!("<span class=\"cite\">({})</span>", keys.join("; "))
                })
                .collect();
            (in_text, "<p>References</p>".to_string())
        }
    }

    /// Headings (repeated, explicit, with links and terms inside), footnotes,
    /// links to other pages, their anchors, this page's anchors, assets and
    /// other hosts, glossary terms written out and as `[[Term]]`, citations
    /// (known and not), and look-alikes in raw HTML and code.
    const PRINT_SAMPLE: &str = r#"# Start {#top-ish .lead data-x="1"}

Intro on the alliance and [[Alliance|the bond]], a note[^1] and a citation [@rogers].

## Links & more

See [b](b.md), [b's repair](b.md#repair "Repair & more"), [here](#links--more),
[the part](/p/), [a leaf](leaf.svg), [out](https://example.com/a?b&c=<d>),
<mail@example.com>, <https://example.org>, [missing](c.md), [x](javascript:alert(1)).

![alt with [a link](b.md), a note[^2] and alliance](leaf.svg "Leaf")

## Links & more

### The [alliance](b.md) and [[alliance]] with a note[^long label]

> [!NOTE]
> Quoted alliance [@rogers; @bandura, p. 12], [@nobody] and [@bandura].

| a | b |
|---|---|
| [b](b.md#next-steps) | alliance [^1] and [@rogers] |

- [ ] a task with [b](b.md#repair)
- [x] done, alliance

<a href="b.md">raw</a> id="x" <h2 id="raw">raw</h2> href="b.md"

```
code [b](b.md) alliance [@rogers]
```

[^1]: First note, with [b](b.md) and the alliance [@bandura].
[^2]: Second.
[^long label]: Third & last [@rogers].
"#;

    /// A page render's print splices must give what a print render gives.
    fn assert_print_splices_match(md: &str, ctx: &RenderContext<'_>) -> Rendered {
        let page = render(md, ctx);
        let print = render(
            md,
            &RenderContext {
                print: true,
                ..*ctx
            },
        );
        assert_eq!(
            page.print_html().as_deref(),
            Some(print.html.as_str()),
            "{md}"
        );
        // A print render's splices are its links' addresses, unchanged.
        assert_eq!(print.print_html(), Some(print.html.clone()), "{md}");
        page
    }

    #[test]
    fn print_html_from_splices_is_the_print_render() {
        let mut links = LinkIndex::default();
        links.add_page(Path::new("content/p/a.md"), "p/a/");
        links.add_page(Path::new("content/p/b.md"), "p/b/");
        links.add_page(Path::new("content/p/_index.md"), "p/");
        links.add_anchors("p/a/", ["links--more".to_string()]);
        links.add_anchors("p/b/", ["repair".to_string(), "next-steps".to_string()]);
        links.add_asset(Path::new("content/p/leaf.svg"), Path::new("p/leaf.svg"));
        for autolink in [Autolink::First, Autolink::Every, Autolink::Off] {
            for (terms, citations) in [
                (
                    Some(&FakeTerms as &dyn Terms),
                    Some(&FakeCitations as &dyn Citations),
                ),
                (None, None),
            ] {
                let ctx = RenderContext {
                    citations,
                    ..ctx(&links, terms, autolink)
                };
                let page = assert_print_splices_match(PRINT_SAMPLE, &ctx);
                // Ids, footnote refs and definitions, links, the asset, terms.
                assert!(page.print.len() > 20, "{}", page.print.len());
                assert!(page.print_html().is_some_and(|h| h != page.html));
            }
        }
        // With the page at the top (the home page's intro), and nothing to splice.
        let home = RenderContext {
            page_url: "",
            ..ctx(&links, Some(&FakeTerms), Autolink::First)
        };
        assert_print_splices_match(PRINT_SAMPLE, &home);
        let plain = assert_print_splices_match(
            "Plain *text* and `code`.\n",
            &ctx(&links, None, Autolink::First),
        );
        assert!(plain.print.is_empty());
    }

    #[test]
    fn print_links_say_where_they_go_even_where_the_page_has_the_same() {
        let mut links = LinkIndex::default();
        links.add_page(Path::new("content/p/a.md"), "p/a/");
        links.add_page(Path::new("content/top.md"), "top/");
        links.add_asset(Path::new("content/p/leaf.svg"), Path::new("p/leaf.svg"));
        // A page a folder deep, as `print/` is: the file's address is the
        // same on both, and still recorded.
        let md = "[a](p/a.md) [leaf](p/leaf.svg) <img src=\"p/leaf.svg\" alt=\"\"> [out](https://example.org/)\n";
        let ctx = RenderContext {
            file: Path::new("content/top.md"),
            page_url: "top/",
            ..ctx(&links, None, Autolink::First)
        };
        let expected = [
            PrintLink::Section {
                href: "#p-p--a",
                top: "p",
            },
            PrintLink::File("../p/leaf.svg"),
            PrintLink::File("../p/leaf.svg"),
        ];
        let page = assert_print_splices_match(md, &ctx);
        let print = render(md, &RenderContext { print: true, ..ctx });
        for rendered in [&page, &print] {
            let found: Vec<PrintLink<'_>> = rendered
                .print_linked()
                .unwrap()
                .into_iter()
                .filter_map(|piece| match piece {
                    PrintPiece::Link(link) => Some(link),
                    PrintPiece::Html(_) => None,
                })
                .collect();
            assert_eq!(found, expected);
        }
    }

    #[test]
    fn citation_marks_inside_ids_are_replaced_as_in_a_print_render() {
        let links = LinkIndex::default();
        let md = "## A {#\u{1}cite:0\u{1}}\n\n## B {#b\u{1}cite:1\u{1}}\n\n[@rogers] [@bandura]\n";
        let ctx = RenderContext {
            citations: Some(&FakeCitations),
            ..ctx(&links, None, Autolink::First)
        };
        // The ids take the citations (the first mark is replaced) on the page
        // and on the print view alike.
        let page = assert_print_splices_match(md, &ctx);
        assert!(page
            .html
            .contains("id=\"<span class=\"cite\">(rogers)</span>\""));
    }

    #[test]
    fn a_footnote_inside_a_term_link_falls_back_to_a_print_render() {
        let links = LinkIndex::default();
        // The page numbers both uses of `n` as one footnote; the print render
        // prefixes only the second, so there they are two.
        let md = "See [[Alliance|this [^n] bond]] and[^n].\n\n[^n]: A note.\n";
        let ctx = ctx(&links, Some(&FakeTerms), Autolink::First);
        let page = render(md, &ctx);
        let print = render(md, &RenderContext { print: true, ..ctx });
        assert!(
            page.html
                .contains("and<sup class=\"footnote-reference\"><a href=\"#n\">1</a>"),
            "{}",
            page.html
        );
        assert!(print.html.contains(">2</a></sup>.</p>"), "{}", print.html);
        assert_eq!(page.print_html(), None);
        assert!(print.print.is_empty());
    }
}
