//! The theme's words that fall back to another language, marked with it.
//!
//! A page whose language's strings lack a word shows the word of the
//! handbook's default language, or English (`crate::theme_strings`). Where
//! such a word is text, a screen reader must read it in its own language
//! (WCAG 2.2 SC 3.1.2): it goes inside `<span lang="en">`, with `dir` when
//! the page is written the other way. Where it is an attribute's value
//! (`aria-label`, `placeholder`, `content`) or in an element that holds
//! only text (`<title>`, `<option>`, a script's data), HTML cannot mark
//! part of it, and the plain word is written.
//!
//! Templates cannot tell these places apart, so the words reach them
//! wrapped in markers ([`mark`]: noncharacters, which no page's text may
//! hold), and the rendered page is read once ([`resolve`]): each marked
//! word becomes a span where it is text and its plain self elsewhere. Pages
//! whose strings are complete hold no marker and are left as they are.

use super::languages::direction;
use crate::escape;

/// Opens a marked word; the language tag follows, up to [`TEXT`].
const OPEN: char = '\u{FDD0}';
/// Ends the language tag: the word follows, up to [`CLOSE`].
const TEXT: char = '\u{FDD1}';
/// Ends a marked word.
const CLOSE: char = '\u{FDD2}';
/// Opens a placeholder of a marked word (`{title}`), up to [`HOLE_END`]:
/// what the template fills in there is the page's, not the word's language.
const HOLE: char = '\u{FDD3}';
/// Ends a placeholder.
const HOLE_END: char = '\u{FDD4}';

/// `word`, shown on a page of another language, marked as `lang`'s, each
/// of its `{placeholders}` marked as the page's.
pub fn mark(word: &str, lang: &str) -> String {
    let mut out = format!("{OPEN}{lang}{TEXT}");
    let mut rest = word;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if name > 0 && after[name..].starts_with('}') {
            out.push_str(&rest[..open]);
            out.push(HOLE);
            out.push_str(&rest[open..open + name + 2]);
            out.push(HOLE_END);
            rest = &after[name + 1..];
        } else {
            out.push_str(&rest[..open + 1]);
            rest = after;
        }
    }
    out.push_str(rest);
    out.push(CLOSE);
    out
}

/// Whether `html` holds a marked word.
pub fn has_marks(html: &str) -> bool {
    html.contains(OPEN)
}

/// Where the page's scan is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Text, where a span may go.
    Text,
    /// Inside a tag, its attributes included.
    Tag,
    /// In a comment.
    Comment,
    /// In an element that holds only text, up to its end tag.
    TextOnly(&'static str),
}

/// Elements whose content is text a span cannot go into.
const TEXT_ONLY: &[&str] = &["script", "style", "title", "textarea", "option"];

/// `html`, a page in `page_lang`, with each marked word a span marking its
/// language where it is text, and plain elsewhere.
pub fn resolve(html: &str, page_lang: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut place = Place::Text;
    // Each marked word or placeholder the scan is in, innermost last: its
    // language, and whether a span was opened for it.
    let mut open: Vec<(&str, bool)> = Vec::new();
    let mut rest = html;
    // After a tag's name, the element it opened, when it holds only text.
    let mut pending: Option<&'static str> = None;
    while let Some(c) = rest.chars().next() {
        let len = c.len_utf8();
        match (c, place) {
            (OPEN | HOLE, _) => {
                let after = &rest[len..];
                let (lang, body) = if c == OPEN {
                    let end = after.find(TEXT).unwrap_or(after.len());
                    (
                        &after[..end],
                        after.get(end + TEXT.len_utf8()..).unwrap_or(""),
                    )
                } else {
                    (page_lang, after)
                };
                let around = open.last().map_or(page_lang, |(l, _)| *l);
                // A placeholder filled with a number or nothing needs no span.
                let worded = c == OPEN
                    || body[..body.find(HOLE_END).unwrap_or(body.len())]
                        .chars()
                        .any(char::is_alphabetic);
                let span = place == Place::Text && worded && !lang.eq_ignore_ascii_case(around);
                if span {
                    out.push_str("<span lang=\"");
                    out.push_str(&escape::html(lang));
                    out.push('"');
                    let dir = direction(lang);
                    if dir != direction(around) {
                        out.push_str(" dir=\"");
                        out.push_str(dir.unwrap_or("ltr"));
                        out.push('"');
                    }
                    out.push('>');
                }
                open.push((if span { lang } else { around }, span));
                rest = body;
                continue;
            }
            (CLOSE | HOLE_END, _) => {
                if open.pop().is_some_and(|(_, span)| span) {
                    out.push_str("</span>");
                }
            }
            (TEXT, _) => {}
            ('<', Place::Text) => {
                if rest.starts_with("<!--") {
                    place = Place::Comment;
                } else {
                    place = Place::Tag;
                    pending = TEXT_ONLY
                        .iter()
                        .find(|name| starts_tag(&rest[1..], name))
                        .copied();
                }
                out.push(c);
            }
            ('>', Place::Tag) => {
                place = pending.take().map_or(Place::Text, Place::TextOnly);
                out.push(c);
            }
            ('"' | '\'', Place::Tag) => {
                // An attribute's quoted value: a `>` in it ends nothing.
                let end = rest[1..].find(c).map_or(rest.len(), |i| i + 2);
                push_plain(&mut out, &rest[..end]);
                rest = &rest[end..];
                continue;
            }
            ('-', Place::Comment) if rest.starts_with("-->") => {
                out.push_str("-->");
                place = Place::Text;
                rest = &rest[3..];
                continue;
            }
            ('<', Place::TextOnly(name))
                if rest.starts_with("</") && starts_tag(&rest[2..], name) =>
            {
                place = Place::Tag;
                out.push(c);
            }
            _ => out.push(c),
        }
        rest = &rest[len..];
    }
    out
}

/// Whether `rest` starts with the tag name `name` (any case), ended.
fn starts_tag(rest: &str, name: &str) -> bool {
    rest.get(..name.len())
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
        && rest[name.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/')
}

/// `s` (an attribute's value) with any marked word's markers dropped.
fn push_plain(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(at) = rest.find(OPEN) {
        push_unmarked(out, &rest[..at]);
        let after = &rest[at + OPEN.len_utf8()..];
        rest = after
            .find(TEXT)
            .map_or(after, |i| &after[i + TEXT.len_utf8()..]);
    }
    push_unmarked(out, rest);
}

/// `s` without the markers that carry no text.
fn push_unmarked(out: &mut String, s: &str) {
    out.extend(
        s.chars()
            .filter(|c| !matches!(*c, TEXT | CLOSE | HOLE | HOLE_END)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_word_is_a_span_in_text_and_plain_elsewhere() {
        let word = mark("Search", "en");
        let page = format!(
            "<title>{word} · x</title><meta content=\"{word}\"><form aria-label='{word}'><button>{word}</button><!-- {word} --><script>var a = \"{word}\" > 1;</script><select><option>{word}</option></select><p>{}</p></form>",
            mark(&format!("a {} b", mark("link", "en")), "en")
        );
        assert_eq!(
            resolve(&page, "ar"),
            "<title>Search · x</title><meta content=\"Search\"><form aria-label='Search'><button><span lang=\"en\" dir=\"ltr\">Search</span></button><!-- Search --><script>var a = \"Search\" > 1;</script><select><option>Search</option></select><p><span lang=\"en\" dir=\"ltr\">a link b</span></p></form>"
        );
        // What fills a placeholder is the page's: in its language, unless
        // it is a number.
        let sentence = mark("Go to {title} ({n})", "en")
            .replace("{title}", "دليل")
            .replace("{n}", "3");
        assert_eq!(
            resolve(&format!("<p>{sentence}</p><a title=\"{sentence}\">"), "ar"),
            "<p><span lang=\"en\" dir=\"ltr\">Go to <span lang=\"ar\" dir=\"rtl\">دليل</span> (3)</span></p><a title=\"Go to دليل (3)\">"
        );
        // A page written the same way as the word gets no `dir`.
        assert_eq!(
            resolve(&format!("<p>{}</p>", mark("Buscar", "es")), "fr"),
            "<p><span lang=\"es\">Buscar</span></p>"
        );
        assert!(!has_marks("<p>plain</p>"));
    }
}
