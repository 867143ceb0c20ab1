//! The print view's HTML from the page's, without a second markdown pass.
//!
//! On the one-page print view an article's HTML is its page's with a few
//! values changed: heading ids and footnote labels start with the page's
//! print anchor (`p-part--article-`), links to pages become links within
//! the print page and other links are relative to `print/`, and glossary
//! terms link to the print page's glossary. While making its output events
//! the renderer notes each such place ([`Pending::note`]); once the HTML is
//! written, [`Pending::resolve`] finds each one in the output of its event
//! and keeps its byte range and the print view's bytes there
//! ([`PrintSplices`]). That is a dozen small splices per article instead of
//! a second copy of its HTML, and the print page copies the page HTML
//! between them as it is written.
//!
//! It exists for speed only: rendering every article a second time with
//! `RenderContext::print` gives the same bytes (the tests compare them, and
//! the print page falls back to it when the splices cannot be used), at a
//! cost docs/performance.md gives.

use std::cell::Cell;
use std::ops::Range;

use pulldown_cmark::Event;
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::build_cache::codec::{Decoder, Encoder};

/// Where the print view's HTML differs from the page's: byte ranges of
/// [`super::Rendered::html`], in order and not overlapping, each with its
/// replacement.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PrintSplices {
    splices: Vec<Splice>,
    /// The replacements given as text, one after another.
    text: String,
    /// The page's print anchor and `-`, escaped: inserted before every
    /// heading id and footnote label, so stored once rather than with each.
    prefix: String,
    /// The splices cannot give the print view (a citation's in-text marker
    /// overlapped one, or a footnote sits inside a `[[term]]` link): it must
    /// be rendered again with `RenderContext::print`. Never seen outside
    /// contrived input, but the fallback keeps the print page exact.
    unusable: bool,
}

/// Offsets are `u32` to keep the splices of every article in memory small;
/// an HTML of 4 GB makes the splices unusable instead.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Splice {
    start: u32,
    end: u32,
    with: With,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum With {
    /// `text` from the previous splice's end in it up to this offset.
    Text(u32),
    /// `prefix`.
    Prefix,
    /// A link to a section of the print view: its address in `text` up to
    /// `href`, then up to `top` the first folder of the linked page's.
    Section { href: u32, top: u32 },
    /// A link to a file of the site, relative to `print/`: its address in
    /// `text` up to this offset.
    File(u32),
}

/// A piece of the print view's HTML (see [`PrintSplices::linked_pieces`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintPiece<'h> {
    /// HTML as it is.
    Html(&'h str),
    /// The address of a link to another place of the site.
    Link(PrintLink<'h>),
}

/// The address of a link on the one-page print view, with what a print page
/// holding only part of the handbook needs to send it elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintLink<'h> {
    /// To a page's section (or a heading in it): `#p-…`, escaped. `top` is
    /// the first folder of the linked page's address (`""` for home).
    Section {
        /// The address on the one-page print view.
        href: &'h str,
        /// The linked page's first folder: its top-level part or article.
        top: &'h str,
    },
    /// To a file of the site: its address relative to `print/`, escaped.
    File(&'h str),
}

impl<'h> PrintLink<'h> {
    /// The address on the one-page print view.
    pub fn href(&self) -> &'h str {
        match *self {
            PrintLink::Section { href, .. } | PrintLink::File(href) => href,
        }
    }
}

impl<'h> PrintPiece<'h> {
    /// Its HTML on the one-page print view.
    pub fn html(&self) -> &'h str {
        match *self {
            PrintPiece::Html(html) => html,
            PrintPiece::Link(link) => link.href(),
        }
    }
}

impl PrintSplices {
    /// Writes them into a build cache entry ([`crate::build_cache`]).
    pub(crate) fn encode(&self, e: &mut Encoder) {
        e.usize(self.splices.len());
        for s in &self.splices {
            e.u32(s.start);
            e.u32(s.end);
            match s.with {
                With::Text(to) => {
                    e.u8(0);
                    e.u32(to);
                }
                With::Prefix => e.u8(1),
                With::Section { href, top } => {
                    e.u8(2);
                    e.u32(href);
                    e.u32(top);
                }
                With::File(to) => {
                    e.u8(3);
                    e.u32(to);
                }
            }
        }
        e.str(&self.text);
        e.str(&self.prefix);
        e.u8(u8::from(self.unusable));
    }

    /// Reads them back from what [`PrintSplices::encode`] wrote.
    pub(crate) fn decode(d: &mut Decoder<'_>) -> Option<PrintSplices> {
        let splices = d.list(|d| {
            let (start, end) = (d.u32()?, d.u32()?);
            let with = match d.u8()? {
                0 => With::Text(d.u32()?),
                1 => With::Prefix,
                2 => With::Section {
                    href: d.u32()?,
                    top: d.u32()?,
                },
                3 => With::File(d.u32()?),
                _ => return None,
            };
            Some(Splice { start, end, with })
        })?;
        Some(PrintSplices {
            splices,
            text: d.string()?,
            prefix: d.string()?,
            unusable: d.u8()? != 0,
        })
    }

    /// How many places are spliced (a link's address may be one, unchanged).
    pub fn len(&self) -> usize {
        self.splices.len()
    }

    /// Whether nothing is spliced: the print view's HTML is the page's.
    pub fn is_empty(&self) -> bool {
        self.splices.is_empty() && !self.unusable
    }

    /// `html` with the splices applied, as consecutive pieces; `None` when
    /// the splices cannot be used.
    pub(super) fn pieces<'h>(&'h self, html: &'h str) -> Option<Vec<&'h str>> {
        let pieces = self.linked_pieces(html)?;
        Some(pieces.iter().map(PrintPiece::html).collect())
    }

    /// `html` with the splices applied, as consecutive pieces, the
    /// addresses of links to the site's pages and files apart; `None` when
    /// the splices cannot be used.
    pub fn linked_pieces<'h>(&'h self, html: &'h str) -> Option<Vec<PrintPiece<'h>>> {
        if self.unusable {
            return None;
        }
        let mut pieces = Vec::with_capacity(self.splices.len() * 2 + 1);
        let (mut at, mut text_at) = (0, 0);
        let mut text = |end: u32| {
            let piece = self.text.get(text_at..end as usize);
            text_at = end as usize;
            piece
        };
        for s in &self.splices {
            pieces.push(PrintPiece::Html(html.get(at..s.start as usize)?));
            pieces.push(match s.with {
                With::Text(end) => PrintPiece::Html(text(end)?),
                With::Prefix => PrintPiece::Html(&self.prefix),
                With::Section { href, top } => PrintPiece::Link(PrintLink::Section {
                    href: text(href)?,
                    top: text(top)?,
                }),
                With::File(end) => PrintPiece::Link(PrintLink::File(text(end)?)),
            });
            at = s.end as usize;
        }
        pieces.push(PrintPiece::Html(html.get(at..)?));
        Some(pieces)
    }

    fn push(&mut self, range: Range<usize>, with: &Print) {
        let mut text = |t: &str| {
            self.text.push_str(t);
            u32::try_from(self.text.len())
        };
        let with = match with {
            Print::Text(t) => text(t).map(With::Text),
            Print::Prefix => Ok(With::Prefix),
            Print::Section { href, top } => {
                text(href).and_then(|href| text(top).map(|top| With::Section { href, top }))
            }
            Print::File(href) => text(href).map(With::File),
        };
        match (u32::try_from(range.start), u32::try_from(range.end), with) {
            (Ok(start), Ok(end), Ok(with)) => self.splices.push(Splice { start, end, with }),
            _ => self.unusable = true,
        }
    }

    /// The HTML had `replaced` replaced by `new_len` bytes (a citation):
    /// moves the splices after it.
    pub(super) fn shift(&mut self, replaced: Range<usize>, new_len: usize) {
        for s in &mut self.splices {
            let (start, end) = (s.start as usize, s.end as usize);
            if end <= replaced.start {
                continue;
            }
            let moved = (start >= replaced.end)
                .then(|| {
                    let by = |at: usize| u32::try_from(at - replaced.len() + new_len).ok();
                    by(start).zip(by(end))
                })
                .flatten();
            match moved {
                Some((start, end)) => (s.start, s.end) = (start, end),
                None => self.unusable = true,
            }
        }
    }
}

/// What the print view has in place of a noted value.
pub(super) enum Print {
    /// This text (escaped as the HTML writer escapes the value).
    Text(String),
    /// The value with the page's print anchor and `-` before it.
    Prefix,
    /// A link's address to a page's section, `#p-…` (escaped), and the
    /// first folder of the page's address: noted even where the page has
    /// the same, so a print page of one part can send it to another's.
    Section {
        /// The address.
        href: String,
        /// The page's first folder.
        top: String,
    },
    /// A link's address to a file of the site, relative to `print/`
    /// (escaped): noted even where the page has the same, so a print page
    /// a folder deeper can make it relative to itself.
    File(String),
}

/// Where a link goes, for the print view's note of its address.
pub(super) enum LinkKind {
    /// Another site, an e-mail address, a link that does not resolve.
    Other,
    /// A page of the handbook (its section on the print view), whose
    /// address starts with this folder.
    Section(String),
    /// A file of the site.
    File,
}

impl Print {
    /// The note of a link whose print-view address is `href` (escaped).
    pub fn link(kind: LinkKind, href: String) -> Print {
        match kind {
            LinkKind::Other => Print::Text(href),
            LinkKind::Section(top) => Print::Section { href, top },
            LinkKind::File => Print::File(href),
        }
    }
}

/// The print splices noted while the renderer makes its events.
#[derive(Default)]
pub(super) struct Pending {
    notes: Vec<Note>,
    unusable: bool,
}

/// In the output of event `event`, the first `before` + `page` + `after`
/// (after the previous note's): `page` is the value the print view changes.
struct Note {
    event: usize,
    before: &'static str,
    page: String,
    after: &'static str,
    print: Print,
}

impl Pending {
    /// Notes that output event `event` writes `page` (escaped as the HTML
    /// writer escapes it) right after `before` and before `after`, and that
    /// the print view has `print` instead (a link's address is noted even
    /// when it is the same: see [`Print::Section`]).
    pub fn note(
        &mut self,
        event: usize,
        before: &'static str,
        page: String,
        print: Print,
        after: &'static str,
    ) {
        if matches!(&print, Print::Text(p) if *p == page) {
            return;
        }
        self.notes.push(Note {
            event,
            before,
            page,
            after,
            print,
        });
    }

    /// The print view cannot be made by splicing this render.
    pub fn give_up(&mut self) {
        self.unusable = true;
    }

    /// Nothing to splice and nothing given up.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty() && !self.unusable
    }

    /// Finds the noted values in `html`, where `starts` says where each
    /// event's output begins. A value is not found only where the HTML
    /// writer left it out (a link or footnote inside an image's alt text),
    /// and there the print render leaves it out too. `prefix` is the page's
    /// print anchor.
    pub fn resolve(mut self, html: &str, starts: &[usize], prefix: &str) -> PrintSplices {
        let mut print = PrintSplices {
            unusable: self.unusable,
            ..PrintSplices::default()
        };
        // A heading's own note comes after those of its content.
        self.notes.sort_by_key(|n| n.event);
        let mut cursor = 0;
        for n in &self.notes {
            let Some(&start) = starts.get(n.event) else {
                continue;
            };
            let end = starts.get(n.event + 1).copied().unwrap_or(html.len());
            let from = start.max(cursor);
            let parts = [n.before, n.page.as_str(), n.after];
            let Some(at) = html.get(from..end).and_then(|out| find_parts(out, parts)) else {
                continue;
            };
            let at = from + at + n.before.len();
            match n.print {
                Print::Prefix => {
                    if print.prefix.is_empty() {
                        print.prefix = escaped_html(&format!("{prefix}-"));
                    }
                    print.push(at..at, &n.print);
                }
                _ => print.push(at..at + n.page.len(), &n.print),
            }
            cursor = at + n.page.len();
        }
        print.splices.shrink_to_fit();
        print.text.shrink_to_fit();
        print
    }
}

/// Where `parts` first follow one another in `hay`. `str::find` with the
/// three joined would do, but building its searcher for every note cost more
/// than the search: outputs are short and the first byte is rare (`<`, ` `).
fn find_parts(hay: &str, parts: [&str; 3]) -> Option<usize> {
    let bytes = hay.as_bytes();
    let Some(first) = parts.iter().find_map(|p| p.as_bytes().first()) else {
        return Some(0);
    };
    let mut from = 0;
    while let Some(i) = bytes.get(from..)?.iter().position(|b| b == first) {
        let at = from + i;
        let mut rest = &bytes[at..];
        let all = parts.iter().all(|p| match rest.strip_prefix(p.as_bytes()) {
            Some(after) => {
                rest = after;
                true
            }
            None => false,
        });
        if all {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// `pulldown_cmark::html::push_html`, also returning where each event's
/// output starts in `html`: the writer asks for the next event only once it
/// has written the last one, so the length of `html` at that moment is
/// where the next event's output begins.
pub(super) fn push_html_noting_starts(html: &mut String, events: Vec<Event<'_>>) -> Vec<usize> {
    struct Noting<'h> {
        html: &'h mut String,
        len: &'h Cell<usize>,
    }
    impl std::fmt::Write for Noting<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.html.push_str(s);
            self.len.set(self.html.len());
            Ok(())
        }
    }
    let len = Cell::new(html.len());
    let mut starts = Vec::with_capacity(events.len());
    let events = events.into_iter().inspect(|_| starts.push(len.get()));
    // Writing to a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(Noting { html, len: &len }, events);
    starts
}

/// `text` as the HTML writer writes an id or footnote label.
pub(super) fn escaped_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = escape_html(&mut out, text);
    out
}

/// `url` as the HTML writer writes a link's destination.
pub(super) fn escaped_href(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let _ = escape_href(&mut out, url);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_found_where_they_first_follow_one_another() {
        assert_eq!(find_parts("<h2 id=\"h\">", [" id=\"", "h", "\""]), Some(3));
        assert_eq!(
            find_parts("a <a href=\"x\"> <a href=\"y\">", ["<a href=\"", "y", "\""]),
            Some(15)
        );
        assert_eq!(
            find_parts("<a href=\"yz\">", ["<a href=\"", "y", "\""]),
            None
        );
        assert_eq!(find_parts("é<b>", ["", "<b>", ""]), Some(2));
        assert_eq!(find_parts("abc", ["", "", ""]), Some(0));
    }

    #[test]
    fn splices_move_past_a_replacement_and_give_up_on_one_they_overlap() {
        let html = "<h2 id=\"x\">X</h2><a href=\"b/\">b</a>";
        let mut pending = Pending::default();
        pending.note(0, " id=\"", "x".into(), Print::Prefix, "\"");
        pending.note(
            3,
            "<a href=\"",
            "b/".into(),
            Print::Text("#p-b".into()),
            "\"",
        );
        // Heading start, text, heading end, link start, text, link end.
        let starts = [0, 11, 12, 17, 30, 31];
        let print = pending.resolve(html, &starts, "p-a");
        let spliced = "<h2 id=\"p-a-x\">X</h2><a href=\"#p-b\">b</a>";
        assert_eq!(
            print.pieces(html).map(|p| p.concat()).as_deref(),
            Some(spliced)
        );

        // `X` (11..12) becomes `Yes`: the link's splice moves by two bytes.
        let mut moved = print.clone();
        moved.shift(11..12, 3);
        let html = "<h2 id=\"x\">Yes</h2><a href=\"b/\">b</a>";
        let spliced = "<h2 id=\"p-a-x\">Yes</h2><a href=\"#p-b\">b</a>";
        assert_eq!(
            moved.pieces(html).map(|p| p.concat()).as_deref(),
            Some(spliced)
        );

        // A replacement across a splice leaves nothing to trust.
        let mut broken = print;
        broken.shift(25..30, 1);
        assert_eq!(broken.pieces(html), None);
        assert!(!broken.is_empty());
    }
}
