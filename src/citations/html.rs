//! hayagriva's formatted output written as our HTML: in-text citations and
//! reference-list entries.
//!
//! All text is escaped; formatting becomes `<i>`, `<b>`, `<sup>`, `<sub>` and
//! `csl-*` classes, never inline styles; only `http(s)` addresses become links,
//! and a DOI printed as `https://doi.org/` before a link to the bare DOI
//! becomes one link. In the text, each cited work links to its reference.

use hayagriva::citationberg::{
    Display, FontStyle, FontVariant, FontWeight, TextDecoration, VerticalAlign,
};
use hayagriva::{ElemChild, ElemChildren, ElemMeta, Formatting, RenderedBibliography};

use super::{anchor_id, CiteItem, Reference, MISSING};

/// hayagriva's output tree, flattened so that neighbours can be merged.
enum Tok {
    Open(&'static str),
    Close,
    Text(String, Formatting),
    Link(String, Formatting, String),
    EntryStart(usize),
    EntryEnd,
}

fn flatten(children: &ElemChildren, out: &mut Vec<Tok>) {
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => out.push(Tok::Text(t.text.clone(), t.formatting)),
            ElemChild::Markup(m) => out.push(Tok::Text(m.clone(), Formatting::default())),
            ElemChild::Link { text, url } => {
                out.push(Tok::Link(text.text.clone(), text.formatting, url.clone()))
            }
            ElemChild::Transparent { .. } => {}
            ElemChild::Elem(e) => {
                let class = e.display.map(display_class);
                let entry = match e.meta {
                    Some(ElemMeta::Entry(i)) => Some(i),
                    _ => None,
                };
                if let Some(class) = class {
                    out.push(Tok::Open(class));
                }
                if let Some(i) = entry {
                    out.push(Tok::EntryStart(i));
                }
                flatten(&e.children, out);
                if entry.is_some() {
                    out.push(Tok::EntryEnd);
                }
                if class.is_some() {
                    out.push(Tok::Close);
                }
            }
        }
    }
}

fn display_class(display: Display) -> &'static str {
    match display {
        Display::Block => "csl-block",
        Display::LeftMargin => "csl-left-margin",
        Display::RightInline => "csl-right-inline",
        Display::Indent => "csl-indent",
    }
}

/// Styles print `https://doi.org/` as text before a link whose text is the bare
/// DOI; make the whole address the link.
fn merge_link_prefixes(toks: &mut [Tok]) {
    for i in 1..toks.len() {
        let (before, after) = toks.split_at_mut(i);
        let (Tok::Text(prev, _), Tok::Link(text, _, url)) = (&mut before[i - 1], &mut after[0])
        else {
            continue;
        };
        let tail_start = prev
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(j, c)| j + c.len_utf8());
        let tail = &prev[tail_start..];
        if !tail.is_empty() && url.strip_prefix(tail) == Some(text.as_str()) {
            text.insert_str(0, tail);
            prev.truncate(tail_start);
        }
    }
}

/// A title that ends in `?` or `!` takes no full stop after it: styles add
/// one after every title, and APA's own rule drops it ("What is the
/// evidence?", not "What is the evidence?.").
fn drop_stops_after_marks(toks: &mut [Tok]) {
    let mut last: Option<char> = None;
    for tok in toks.iter_mut() {
        match tok {
            Tok::Text(text, _) => {
                if matches!(last, Some('?' | '!')) && text.starts_with('.') {
                    text.remove(0);
                }
                if let Some(c) = text.chars().last() {
                    last = Some(c);
                }
            }
            Tok::Link(text, _, _) => last = text.chars().last().or(last),
            Tok::EntryStart(_) | Tok::EntryEnd => last = None,
            Tok::Open(_) | Tok::Close => {}
        }
    }
}

/// Writes tokens as HTML. `entry_keys` (in-text only) turns each cited item into
/// a link to its reference; `block_tag` is `div` in references, `span` in text.
fn write_html(
    toks: &[Tok],
    entry_keys: Option<&[Option<&str>]>,
    block_tag: &str,
    out: &mut String,
) {
    let mut entry_depth = 0usize;
    let mut entry_linked = false;
    for tok in toks {
        match tok {
            Tok::Open(class) => {
                out.push('<');
                out.push_str(block_tag);
                out.push_str(" class=\"");
                out.push_str(class);
                out.push_str("\">");
            }
            Tok::Close => {
                out.push_str("</");
                out.push_str(block_tag);
                out.push('>');
            }
            Tok::Text(text, formatting) => write_formatted(text, formatting, out),
            Tok::Link(text, formatting, url) => {
                if !entry_linked && is_safe_url(url) {
                    out.push_str("<a href=\"");
                    escape_into(url, out);
                    out.push_str("\">");
                    write_formatted(text, formatting, out);
                    out.push_str("</a>");
                } else {
                    write_formatted(text, formatting, out);
                }
            }
            Tok::EntryStart(i) => {
                entry_depth += 1;
                if entry_depth == 1 {
                    if let Some(key) = entry_keys.and_then(|keys| keys.get(*i).copied().flatten()) {
                        out.push_str("<a href=\"#");
                        escape_into(&fragment(&anchor_id(key)), out);
                        out.push_str("\">");
                        entry_linked = true;
                    }
                }
            }
            Tok::EntryEnd => {
                entry_depth = entry_depth.saturating_sub(1);
                if entry_depth == 0 && entry_linked {
                    out.push_str("</a>");
                    entry_linked = false;
                }
            }
        }
    }
    if entry_linked {
        out.push_str("</a>");
    }
}

fn write_plain(toks: &[Tok], out: &mut String) {
    for tok in toks {
        match tok {
            Tok::Text(text, _) | Tok::Link(text, _, _) => out.push_str(text),
            Tok::Open(_) | Tok::Close if !out.ends_with(' ') && !out.is_empty() => out.push(' '),
            _ => {}
        }
    }
}

fn write_formatted(text: &str, f: &Formatting, out: &mut String) {
    if text.is_empty() {
        return;
    }
    let tags: [(bool, &str, &str); 6] = [
        (f.font_style == FontStyle::Italic, "<i>", "</i>"),
        (f.font_weight == FontWeight::Bold, "<b>", "</b>"),
        (
            f.font_weight == FontWeight::Light,
            "<span class=\"csl-light\">",
            "</span>",
        ),
        (
            f.font_variant == FontVariant::SmallCaps,
            "<span class=\"csl-small-caps\">",
            "</span>",
        ),
        (
            f.text_decoration == TextDecoration::Underline,
            "<span class=\"csl-underline\">",
            "</span>",
        ),
        (
            f.vertical_align == VerticalAlign::Sup || f.vertical_align == VerticalAlign::Sub,
            if f.vertical_align == VerticalAlign::Sup {
                "<sup>"
            } else {
                "<sub>"
            },
            if f.vertical_align == VerticalAlign::Sup {
                "</sup>"
            } else {
                "</sub>"
            },
        ),
    ];
    for (on, open, _) in &tags {
        if *on {
            out.push_str(open);
        }
    }
    escape_into(text, out);
    for (on, _, close) in tags.iter().rev() {
        if *on {
            out.push_str(close);
        }
    }
}

fn escape_into(text: &str, out: &mut String) {
    crate::escape::html_into(text, out);
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

/// Percent-encodes what may not appear raw in a URL fragment.
fn fragment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            ' ' | '"' | '<' | '>' | '`' | '#' | '%' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn is_safe_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// `targets[i]`: the key item `i` links to, if it has a reference to link to.
pub(super) fn in_text_html(citation: &ElemChildren, targets: &[Option<&str>]) -> String {
    let mut toks = Vec::new();
    flatten(citation, &mut toks);
    merge_link_prefixes(&mut toks);
    let mut html = String::from("<span class=\"citation\">");
    write_html(&toks, Some(targets), "span", &mut html);
    html.push_str("</span>");
    html
}

/// What a citation that cannot be formatted shows: its own source text.
pub(super) fn fallback_in_text(citation: &[CiteItem]) -> String {
    let parts: Vec<String> = citation
        .iter()
        .map(|item| match &item.locator {
            Some(locator) => format!("@{}, {locator}", item.key),
            None => format!("@{}", item.key),
        })
        .collect();
    format!(
        "<span class=\"citation {MISSING}\">[{}]</span>",
        escape(&parts.join("; "))
    )
}

pub(super) fn references_of(bibliography: RenderedBibliography) -> Vec<Reference> {
    let class = if bibliography.hanging_indent {
        "csl-entry csl-hanging"
    } else {
        "csl-entry"
    };
    bibliography
        .items
        .into_iter()
        .filter_map(|item| {
            let mut toks = Vec::new();
            flatten(&item.content, &mut toks);
            merge_link_prefixes(&mut toks);
            drop_stops_after_marks(&mut toks);
            let mut content = String::new();
            write_plain(&toks, &mut content);
            if content.trim().is_empty() {
                // The style leaves this kind of work out of reference lists.
                return None;
            }
            let mut html = format!(
                "<div class=\"{class}\" id=\"{}\">",
                escape(&anchor_id(&item.key))
            );
            let mut text = String::new();
            match &item.first_field {
                Some(first) => {
                    let mut first_toks = Vec::new();
                    flatten(&ElemChildren(vec![first.clone()]), &mut first_toks);
                    html.push_str("<div class=\"csl-left-margin\">");
                    write_html(&first_toks, None, "div", &mut html);
                    html.push_str("</div><div class=\"csl-right-inline\">");
                    write_html(&toks, None, "div", &mut html);
                    html.push_str("</div>");
                    write_plain(&first_toks, &mut text);
                    text.push(' ');
                    text.push_str(&content);
                }
                None => {
                    write_html(&toks, None, "div", &mut html);
                    text = content;
                }
            }
            html.push_str("</div>");
            Some(Reference {
                key: item.key,
                html,
                text: text.trim().to_string(),
            })
        })
        .collect()
}
