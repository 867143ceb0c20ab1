//! HTML fragments made well-formed XHTML for the book's content documents.
//!
//! The site's HTML is HTML5: pulldown-cmark's output (already nearly XML)
//! plus whatever raw HTML an author wrote (`<br>`, unquoted attributes,
//! `&nbsp;`, an unclosed `<li>` …). EPUB content documents are XML, so each
//! fragment goes through [`Converter::convert`], a small tag-by-tag rewriter
//! (not a full HTML parser, but it follows the parts of HTML's tree building
//! that hand-written HTML leans on):
//!
//! - element and attribute names lower-cased (but inside `<svg>` and
//!   `<math>`, where case matters), attribute values quoted and escaped,
//!   boolean attributes given their name as value, repeated ones dropped;
//! - void elements closed (`<br/>`), stray end tags dropped, elements left
//!   open closed where HTML closes them (a `<p>` before a block, an `<li>`
//!   before the next, a `<td>` before the next …) or at the end;
//! - named character references decoded (the whole HTML5 table, through
//!   pulldown-cmark, which knows it), unknown ones shown as written, bare
//!   `<` and `&` escaped;
//! - comments, `<script>`, `<style>`, `<noscript>`, `<template>`,
//!   `<iframe>`, `<object>` and `<embed>` left out with their content (the
//!   book runs no script and loads nothing from elsewhere), event handler
//!   attributes and `srcset` dropped;
//! - every `href` and `src` handed to a [`Resolve`], which says what it
//!   becomes in the book: a link to a document of the book, a link to
//!   another site, or nothing (the link's text stays, unlinked; an image
//!   the book cannot hold is left out).

use std::collections::HashSet;

use pulldown_cmark::{Event, Parser};

/// Elements that never have content or an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements left out with everything inside them.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "frame", "frameset",
];

/// Elements whose start closes an open `<p>` (HTML's "close a p element").
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
];

/// What a link or image address becomes in the book.
pub trait Resolve {
    /// The `href` to write for `href` as the fragment has it, or `None` to
    /// leave the link out (its text stays).
    fn href(&self, href: &str) -> Option<String>;
    /// The `src` to write for an image's `src`, or `None` to leave the image out.
    fn src(&self, src: &str) -> Option<String>;
}

/// What converting fragments found, for the package document.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// An inline `<svg>` (the document needs the `svg` property).
    pub svg: bool,
    /// MathML (the `mathml` property).
    pub mathml: bool,
}

/// Converts HTML fragments to XHTML, remembering what they held.
pub struct Converter<'r> {
    resolve: &'r dyn Resolve,
    /// What the fragments converted so far held.
    pub found: Found,
}

/// An open element.
struct Open {
    name: String,
    /// Written (false for a link left out: its end tag is skipped too).
    written: bool,
    /// Inside `<svg>` or `<math>`.
    foreign: bool,
    /// A `<sup class="footnote-reference">`: the link in it is a note reference.
    footnote_reference: bool,
}

impl<'r> Converter<'r> {
    /// A converter whose addresses go through `resolve`.
    pub fn new(resolve: &'r dyn Resolve) -> Converter<'r> {
        Converter {
            resolve,
            found: Found::default(),
        }
    }

    /// `html` as well-formed XHTML (every element it opens is closed).
    pub fn convert(&mut self, html: &str) -> String {
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut open: Vec<Open> = Vec::new();
        let bytes = html.as_bytes();
        let mut i = 0;
        while i < html.len() {
            let Some(lt) = html[i..].find('<').map(|p| p + i) else {
                text(&html[i..], &mut out);
                break;
            };
            text(&html[i..lt], &mut out);
            let rest = &html[lt..];
            if rest.starts_with("<!--") {
                i = rest.find("-->").map_or(html.len(), |e| lt + e + 3);
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                // A doctype or processing instruction: nothing for the book.
                i = rest.find('>').map_or(html.len(), |e| lt + e + 1);
                continue;
            }
            let closing = bytes.get(lt + 1) == Some(&b'/');
            let name_at = lt + 1 + usize::from(closing);
            if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
                // Not a tag: a bare `<`.
                if closing {
                    // `</ …>` that is no end tag is a comment in HTML.
                    i = rest.find('>').map_or(html.len(), |e| lt + e + 1);
                } else {
                    out.push_str("&lt;");
                    i = lt + 1;
                }
                continue;
            }
            let tag = read_tag(html, name_at);
            if !is_xml_name(tag.name) || tag.name.contains(':') {
                // `<a<b>`: no name XML can hold; shown as text.
                out.push_str("&lt;");
                i = lt + 1;
                continue;
            }
            i = tag.end;
            let foreign = open.last().is_some_and(|o| o.foreign);
            let name = if foreign {
                tag.name.to_string()
            } else {
                tag.name.to_ascii_lowercase()
            };
            if closing {
                self.end_tag(&name, &mut open, &mut out);
                continue;
            }
            if !foreign && DROPPED.contains(&name.as_str()) {
                if !tag.self_closing && !VOID.contains(&name.as_str()) {
                    i = skip_element(html, i, &name);
                }
                continue;
            }
            self.start_tag(&name, &tag, foreign, &mut open, &mut out);
        }
        while let Some(o) = open.pop() {
            close(&o, &mut out);
        }
        out
    }

    fn start_tag(
        &mut self,
        name: &str,
        tag: &Tag<'_>,
        foreign: bool,
        open: &mut Vec<Open>,
        out: &mut String,
    ) {
        if !foreign {
            implied_ends(name, open, out);
        }
        let starts_foreign = !foreign && (name == "svg" || name == "math");
        let foreign_here = foreign || starts_foreign;
        let void = !foreign_here && VOID.contains(&name);
        let mut attributes: Vec<(String, String)> = Vec::new();
        let mut written = true;
        for (raw_name, value) in &tag.attributes {
            let mut attr = if foreign_here {
                raw_name.to_string()
            } else {
                raw_name.to_ascii_lowercase()
            };
            if foreign_here && attr == "xlink:href" {
                attr = "href".into();
            }
            if !is_xml_name(&attr)
                || attr.starts_with("on")
                || attr == "srcset"
                || attr == "xmlns"
                || attributes.iter().any(|(a, _)| *a == attr)
            {
                continue;
            }
            if attr.contains(':')
                && !matches!(attr.as_str(), "xml:lang" | "xml:space" | "epub:type")
            {
                continue;
            }
            let value = value.as_deref().map(decode).unwrap_or_else(|| attr.clone());
            let value = match (name, attr.as_str()) {
                (_, "href") if !foreign_here || name == "a" => match self.resolve.href(&value) {
                    Some(v) => v,
                    None if name == "a" => {
                        written = false;
                        continue;
                    }
                    None => continue,
                },
                (_, "src") if !foreign_here => match self.resolve.src(&value) {
                    Some(v) => v,
                    None => {
                        written = false;
                        continue;
                    }
                },
                (_, "href") => match self.resolve.src(&value) {
                    // An image inside inline SVG.
                    Some(v) => v,
                    None => {
                        written = false;
                        continue;
                    }
                },
                _ => value,
            };
            attributes.push((attr, value));
        }
        if name == "a" && !written {
            // A link the book cannot follow: its text stays.
            if !tag.self_closing {
                open.push(Open {
                    name: name.to_string(),
                    written: false,
                    foreign,
                    footnote_reference: false,
                });
            }
            return;
        }
        if !written {
            // An image (or other element with a source) the book cannot hold.
            if !void && !tag.self_closing {
                open.push(Open {
                    name: name.to_string(),
                    written: false,
                    foreign: foreign_here,
                    footnote_reference: false,
                });
            }
            return;
        }
        if starts_foreign {
            if name == "svg" {
                self.found.svg = true;
                attributes.insert(0, ("xmlns".into(), "http://www.w3.org/2000/svg".into()));
            } else {
                self.found.mathml = true;
                attributes.insert(
                    0,
                    ("xmlns".into(), "http://www.w3.org/1998/Math/MathML".into()),
                );
            }
        }
        if !foreign_here && name == "img" && !attributes.iter().any(|(a, _)| a == "alt") {
            // A raw image checked to have none is decorative by the author's word.
            attributes.push(("alt".into(), String::new()));
        }
        if !foreign_here {
            mark_notes(name, open, &mut attributes);
        }
        out.push('<');
        out.push_str(name);
        for (attr, value) in &attributes {
            out.push(' ');
            out.push_str(attr);
            out.push_str("=\"");
            escape_attr_into(value, out);
            out.push('"');
        }
        // `<div/>` is an open `<div>` in HTML; only void and foreign
        // elements close themselves.
        if void || (tag.self_closing && foreign_here) {
            out.push_str("/>");
            return;
        }
        out.push('>');
        let footnote_reference = name == "sup"
            && attributes.iter().any(|(a, v)| {
                a == "class" && v.split_whitespace().any(|w| w == "footnote-reference")
            });
        open.push(Open {
            name: name.to_string(),
            written: true,
            foreign: foreign_here,
            footnote_reference,
        });
    }

    fn end_tag(&mut self, name: &str, open: &mut Vec<Open>, out: &mut String) {
        let lower = name.to_ascii_lowercase();
        let Some(at) = open
            .iter()
            .rposition(|o| o.name == name || (!o.foreign && o.name == lower))
        else {
            return; // nothing open of that name: a stray end tag
        };
        while open.len() > at {
            if let Some(o) = open.pop() {
                close(&o, out);
            }
        }
    }
}

/// Closes what HTML closes implicitly before a `name` start tag.
fn implied_ends(name: &str, open: &mut Vec<Open>, out: &mut String) {
    let close_nearest =
        |targets: &[&str], boundaries: &[&str], open: &mut Vec<Open>, out: &mut String| {
            let found = open.iter().rposition(|o| {
                targets.contains(&o.name.as_str()) || boundaries.contains(&o.name.as_str())
            });
            if let Some(at) = found.filter(|&at| targets.contains(&open[at].name.as_str())) {
                while open.len() > at {
                    if let Some(o) = open.pop() {
                        close(&o, out);
                    }
                }
            }
        };
    match name {
        "li" => close_nearest(&["li"], &["ul", "ol", "menu"], open, out),
        "dt" | "dd" => close_nearest(&["dt", "dd"], &["dl"], open, out),
        "tr" => close_nearest(&["tr"], &["table", "thead", "tbody", "tfoot"], open, out),
        "td" | "th" => close_nearest(&["td", "th"], &["tr", "table"], open, out),
        "thead" | "tbody" | "tfoot" => {
            close_nearest(&["thead", "tbody", "tfoot"], &["table"], open, out)
        }
        "option" => close_nearest(&["option"], &["select", "datalist"], open, out),
        _ => {}
    }
    if CLOSES_P.contains(&name) {
        close_nearest(
            &["p"],
            &[
                "button", "table", "td", "th", "caption", "object", "template",
            ],
            open,
            out,
        );
    }
}

fn close(o: &Open, out: &mut String) {
    if o.written {
        out.push_str("</");
        out.push_str(&o.name);
        out.push('>');
    }
}

/// One start or end tag as written.
struct Tag<'h> {
    name: &'h str,
    /// Attributes in order: name and value as written (`None`: no value).
    attributes: Vec<(&'h str, Option<&'h str>)>,
    /// Written `<… />`.
    self_closing: bool,
    /// Where the tag ends (after its `>`).
    end: usize,
}

/// Reads the tag whose name starts at `from`.
fn read_tag(html: &str, from: usize) -> Tag<'_> {
    let bytes = html.as_bytes();
    let mut i = from;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'>' | b'/') {
        i += 1;
    }
    let name = &html[from..i];
    let mut attributes = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => break,
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(b'/') => {
                self_closing = bytes.get(i + 1) == Some(&b'>');
                i += 1;
                continue;
            }
            _ => {}
        }
        let start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        if i == start {
            // `=` with no name before it: skip the byte.
            i += 1;
            continue;
        }
        let attr = &html[start..i];
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            attributes.push((attr, None));
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let value = match bytes.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let v_start = j + 1;
                let v_end = html[v_start..]
                    .find(q as char)
                    .map_or(html.len(), |e| v_start + e);
                i = (v_end + 1).min(html.len());
                &html[v_start..v_end]
            }
            _ => {
                let v_start = j;
                while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                    j += 1;
                }
                i = j;
                &html[v_start..j]
            }
        };
        attributes.push((attr, Some(value)));
    }
    Tag {
        name,
        attributes,
        self_closing,
        end: i.min(html.len()),
    }
}

/// Where the element `name` whose start tag ended at `from` ends (after
/// its end tag), for elements left out whole. Their content is text to HTML
/// (`<script>`, `<style>`) or left out anyway, so the first end tag closes.
fn skip_element(html: &str, from: usize, name: &str) -> usize {
    let lower = html[from..].to_ascii_lowercase();
    let end_tag = format!("</{name}");
    match lower.find(&end_tag) {
        Some(at) => {
            let after = from + at + end_tag.len();
            html[after..]
                .find('>')
                .map_or(html.len(), |e| after + e + 1)
        }
        None => html.len(),
    }
}

/// A name XML accepts (and HTML authors write): a letter, then letters,
/// digits, `-`, `_`, `.` and `:`.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        && !name.ends_with(':')
}

/// Text between tags: character references decoded and the text escaped
/// for XML.
fn text(raw: &str, out: &mut String) {
    if !raw.contains('&') {
        escape_text_into(raw, out);
        return;
    }
    escape_text_into(&decode(raw), out);
}

/// `raw` with its character references decoded; an unknown one stays as written.
pub fn decode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after
            .char_indices()
            .take(40)
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|(i, c)| (i, c == ';'));
        match end {
            Some((len, true)) if len > 0 => {
                let name = &after[..len];
                match reference(name) {
                    Some(decoded) => out.push_str(&decoded),
                    None => {
                        out.push('&');
                        out.push_str(name);
                        out.push(';');
                    }
                }
                rest = &after[len + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of character reference `&name;`, if it is one.
fn reference(name: &str) -> Option<String> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse::<u32>().ok(),
        }?;
        // What XML cannot hold becomes the replacement character, as HTML does.
        let c = char::from_u32(code)
            .filter(|&c| is_xml_char(c))
            .unwrap_or('\u{fffd}');
        return Some(c.to_string());
    }
    // pulldown-cmark decodes HTML5's named references in markdown text.
    let source = format!("&{name};");
    let mut decoded = String::new();
    for event in Parser::new(&source) {
        if let Event::Text(t) = event {
            decoded.push_str(&t);
        }
    }
    (decoded != source && !decoded.is_empty()).then_some(decoded)
}

/// Whether XML 1.0 allows `c` in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Escapes text for XML element content; characters XML cannot hold are left out.
pub fn escape_text_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Escapes text for a double-quoted XML attribute value.
pub fn escape_attr_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// `s` escaped for XML text or a double-quoted attribute value.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_attr_into(s, &mut out);
    out
}

/// The values of the `id` attributes in `html`, for telling which
/// `#fragment`s a document will hold.
pub fn ids(html: &str) -> HashSet<String> {
    let mut found = HashSet::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        if !bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let tag = read_tag(html, lt + 1);
        i = tag.end.max(lt + 1);
        for (name, value) in tag.attributes {
            if name.eq_ignore_ascii_case("id") {
                if let Some(v) = value {
                    found.insert(decode(v));
                }
            }
        }
    }
    found
}

/// Footnotes as EPUB marks them, so reading systems can show a note where
/// its reference is: the markdown renderer's reference (`<sup
/// class="footnote-reference"><a>`) becomes a `noteref`, its definition
/// (`<div class="footnote-definition">`) a `footnote`, each with the
/// matching ARIA role.
fn mark_notes(name: &str, open: &[Open], attributes: &mut Vec<(String, String)>) {
    let class = |c: &str| {
        attributes
            .iter()
            .any(|(a, v)| a == "class" && v.split_whitespace().any(|w| w == c))
    };
    let mark = match name {
        "div" if class("footnote-definition") => Some(("footnote", "doc-footnote")),
        "a" if open.last().is_some_and(|o| o.footnote_reference) => {
            Some(("noteref", "doc-noteref"))
        }
        _ => None,
    };
    if let Some((epub_type, role)) = mark {
        attributes.retain(|(a, _)| a != "epub:type" && a != "role");
        attributes.push(("epub:type".into(), epub_type.into()));
        attributes.push(("role".into(), role.into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keeps `#` links and `https:` ones, drops the rest; images under `img/`.
    struct Plain;
    impl Resolve for Plain {
        fn href(&self, href: &str) -> Option<String> {
            (href.starts_with('#') || href.starts_with("https:")).then(|| href.to_string())
        }
        fn src(&self, src: &str) -> Option<String> {
            src.strip_prefix("../").map(|s| format!("img/{s}"))
        }
    }

    fn convert(html: &str) -> String {
        Converter::new(&Plain).convert(html)
    }

    /// Parses as XML (wrapped in one root).
    fn well_formed(xhtml: &str) {
        let doc = format!("<div xmlns=\"http://www.w3.org/1999/xhtml\">{xhtml}</div>");
        if let Err(e) = roxmltree::Document::parse(&doc) {
            panic!("{e}: {xhtml}");
        }
    }

    #[test]
    fn void_elements_booleans_and_quotes() {
        let x = convert("<p>a<br>b <input type=checkbox disabled checked aria-label=\"Done\"> <IMG SRC='../a.png' alt=x></p><hr>");
        assert_eq!(
            x,
            "<p>a<br/>b <input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" aria-label=\"Done\"/> <img src=\"img/a.png\" alt=\"x\"/></p><hr/>"
        );
        well_formed(&x);
    }

    #[test]
    fn entities_decoded_and_bare_ampersands_escaped() {
        let x =
            convert("<p>a&nbsp;b &copy; &#8212; &#x2014; &bogus; AT&T &lt;tag&gt; 1 < 2 &#0;</p>");
        assert_eq!(
            x,
            "<p>a\u{a0}b \u{a9} \u{2014} \u{2014} &amp;bogus; AT&amp;T &lt;tag&gt; 1 &lt; 2 \u{fffd}</p>"
        );
        well_formed(&x);
    }

    #[test]
    fn unclosed_and_stray_tags_are_balanced() {
        let x = convert("<ul><li>one<li>two</ul><p>para<div>block</div></span><dl><dt>t<dd>d</dl><table><tr><td>a<td>b<tr><td>c</table><p>open");
        assert_eq!(
            x,
            "<ul><li>one</li><li>two</li></ul><p>para</p><div>block</div><dl><dt>t</dt><dd>d</dd></dl><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table><p>open</p>"
        );
        well_formed(&x);
        let x = convert("<p><em>a<strong>b</em>c</strong></p>");
        well_formed(&x);
    }

    #[test]
    fn scripts_comments_handlers_and_unresolved_links_are_left_out() {
        let x = convert("<!-- note --><p onclick=\"x()\">Hi <a href=\"other.md\">there</a> <a href=\"#top\">top</a><script>if (a < b) {}</script><style>p{}</style> <img src=\"https://x/y.png\" alt=\"y\"> <a href='https://e.org/?a=1&amp;b=2'>out</a></p>");
        assert_eq!(
            x,
            "<p>Hi there <a href=\"#top\">top</a>  <a href=\"https://e.org/?a=1&amp;b=2\">out</a></p>"
        );
        well_formed(&x);
    }

    #[test]
    fn svg_keeps_its_case_and_gets_its_namespace() {
        let mut c = Converter::new(&Plain);
        let x = c.convert(
            "<svg viewBox=\"0 0 10 10\"><linearGradient id=\"g\"/><path d=\"M0 0\"/></svg><p>x</p>",
        );
        assert_eq!(
            x,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><linearGradient id=\"g\"/><path d=\"M0 0\"/></svg><p>x</p>"
        );
        assert!(c.found.svg);
        well_formed(&x);
    }

    #[test]
    fn ids_are_found() {
        let ids = ids("<h2 id=\"a\">x</h2><div class=x ID='b&amp;c'>");
        assert!(ids.contains("a") && ids.contains("b&c"), "{ids:?}");
    }

    #[test]
    fn any_input_converts_to_well_formed_xml() {
        let pieces = [
            "<p>",
            "</p>",
            "<li>",
            "<ul>",
            "</ul>",
            "<a href=\"#x\">",
            "</a>",
            "&",
            "&amp;",
            "<",
            ">",
            "<br>",
            "<svg>",
            "</svg>",
            "<b x=1 y>",
            "</b>",
            "\"",
            "'",
            "<!--",
            "-->",
            "<script>",
            "</script>",
            "text",
            " ",
            "<td>",
            "<table>",
            "</table>",
            "<img src=x>",
            "&nbsp",
            "&#x110000;",
            "<a href=q>",
            "<math>",
            "</",
            "<?x?>",
            "<!x>",
            "\u{1}",
        ];
        let mut below = crate::test_random::below(pieces.len() as u64);
        for _ in 0..3_000 {
            let html = crate::test_random::joined(&pieces, 30, &mut below);
            well_formed(&convert(&html));
        }
    }
}
