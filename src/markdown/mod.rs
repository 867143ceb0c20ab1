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

pub mod headings;

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::config::Autolink;
use crate::diagnostic::{line_col, Diagnostic};
use crate::inline::is_unsafe_url;
use crate::links::{LinkIndex, Target};
pub use headings::Heading;

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
    /// Rendering for the one-page print view instead of the article's own page.
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
#[derive(Debug, Default, Clone)]
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
    /// Words of text (not code), for reading time.
    pub word_count: usize,
}

/// The end of the message for an unknown `[[term]]`.
pub const UNKNOWN_TERM: &str = "is not a glossary term";
/// The end of the message for an unknown `@key`.
pub const UNKNOWN_CITATION: &str = "is not in content/references.yaml";

const CITATION_MARK: &str = "\u{1}cite:";

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
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    r.finish(html)
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
    word_count: usize,
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
            word_count: 0,
        }
    }

    fn error(&mut self, offset: usize, message: String, help: Option<String>) {
        let (line, col) = line_col(self.text, offset);
        self.diagnostics.push(
            Diagnostic::error(self.ctx.file, line + self.ctx.line_offset, col, message)
                .with_optional_help(help),
        );
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
                let (class, label) = alert(*kind);
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
                let tag = self.with_resolved_dest(tag.clone(), range.start);
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
                out.push(event.clone());
            }
            Event::FootnoteReference(label) if self.ctx.print => {
                let label = format!("{}-{label}", print_anchor(self.ctx.page_url));
                out.push(Event::FootnoteReference(label.into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) if self.ctx.print => {
                let label = format!("{}-{label}", print_anchor(self.ctx.page_url));
                out.push(Event::Start(Tag::FootnoteDefinition(label.into())));
            }
            Event::TaskListMarker(done) => {
                // Checkboxes need a name for screen readers (axe `label`).
                let (checked, label) = if *done {
                    (" checked", "Done")
                } else {
                    ("", "Not done")
                };
                out.push(Event::InlineHtml(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
                        .into(),
                ));
            }
            Event::Text(text) => {
                self.word_count += text.split_whitespace().count();
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
        let mut j = i + 1;
        let mut text = String::new();
        let mut inner = Vec::new();
        self.no_autolink_depth += 1;
        while j < events.len() {
            if let Event::End(TagEnd::Heading(_)) = events[j].0 {
                break;
            }
            if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                text.push_str(t);
            }
            j = self.event(events, j, &mut inner);
        }
        self.no_autolink_depth -= 1;
        let mut id = self.ids.allocate(id.as_deref(), &text);
        if self.ctx.print {
            id = format!("{}-{id}", print_anchor(self.ctx.page_url));
        }
        self.headings.push(Heading {
            level: headings::level_number(*level),
            id: id.clone(),
            text: text.trim().to_string(),
        });
        out.push(Event::Start(Tag::Heading {
            level: *level,
            id: Some(CowStr::from(id)),
            classes: classes.clone(),
            attrs: attrs.clone(),
        }));
        out.extend(inner);
        out.push(Event::End(TagEnd::Heading(*level)));
        j + 1
    }

    /// A link or image tag with its destination checked and made relative.
    fn with_resolved_dest(&mut self, mut tag: Tag<'a>, offset: usize) -> Tag<'a> {
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
            *dest_url = self.link_href(dest_url, offset, *link_type).into();
        }
        tag
    }

    fn link_href(&mut self, dest: &str, offset: usize, link_type: LinkType) -> String {
        if is_unsafe_url(dest) {
            return dest.to_string(); // authors are trusted; `check` warns on script
        }
        if matches!(link_type, LinkType::Email) {
            return format!("mailto:{dest}");
        }
        match self.ctx.links.resolve(self.ctx.file, dest) {
            Ok(Target::Internal { path, fragment })
                if self.ctx.print && (path.is_empty() || path.ends_with('/')) =>
            {
                // On the print page every page is a section of the same page.
                match fragment {
                    Some(f) => format!("#{}-{f}", print_anchor(&path)),
                    None => format!("#{}", print_anchor(&path)),
                }
            }
            Ok(target) => target.href(if self.ctx.print {
                "print/"
            } else {
                self.ctx.page_url
            }),
            Err(message) => {
                self.error(
                    offset,
                    message,
                    Some("fix the path, or remove the link".into()),
                );
                dest.to_string()
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
                out.push(Event::Html(self.term_open(terms, id).into()));
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
                self.error(offset, format!("`[[{name}]]` {UNKNOWN_TERM}"), help);
                out.extend(inner);
            }
        }
        j + 1
    }

    fn term_open(&mut self, terms: &dyn Terms, id: usize) -> String {
        if self.terms_seen.insert(id) {
            self.terms_used.push(id);
        }
        let slug = terms.slug(id);
        if self.ctx.print {
            return format!("<a class=\"term\" href=\"#glossary-{slug}\">");
        }
        let glossary = crate::links::relative_url(self.ctx.page_url, self.ctx.glossary_url);
        let mut href = String::new();
        let _ = escape_href(&mut href, &format!("{glossary}#{slug}"));
        format!("<a class=\"term\" href=\"{href}\" aria-describedby=\"tip-{slug}\">")
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
            html.push_str(&self.term_open(terms, id));
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

    fn finish(mut self, mut html: String) -> Rendered {
        let mut references_html = String::new();
        if !self.citations.is_empty() {
            if let Some(c) = self.ctx.citations {
                let (in_text, refs) = c.format(&self.citations);
                references_html = refs;
                for (n, text) in in_text.iter().enumerate() {
                    html = html.replacen(&format!("{CITATION_MARK}{n}\u{1}"), text, 1);
                }
            }
        }
        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        Rendered {
            html,
            headings: self.headings,
            terms_used: self.terms_used,
            references_html,
            diagnostics: self.diagnostics,
            word_count: self.word_count,
        }
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
