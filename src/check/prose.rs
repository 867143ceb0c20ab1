//! One pass over an article's markdown for what `check` looks at: the prose
//! (for readability), images and their alt text, raw `<script>` and links to
//! other sites.
//!
//! Prose is the text of paragraphs that are not inside a list, a table or a
//! footnote: headings, list items, table cells, code (blocks and inline),
//! raw HTML, image alt text and footnotes are left out, and so are
//! citations (`[@key]`). Paragraphs inside block quotes and callouts count
//! (a callout's title comes from its kind, not from the text). Link text and
//! the shown text of `[[glossary]]` links count as prose.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use crate::citations::find_citations;
use crate::links::is_external;
use crate::markdown;

/// What one scan finds. Offsets are byte offsets into the scanned text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The prose, one string per paragraph.
    pub paragraphs: Vec<String>,
    /// Images with empty alt text: (offset, source).
    pub images_without_alt: Vec<(usize, String)>,
    /// Raw HTML holding `<script`: offsets.
    pub scripts: Vec<usize>,
    /// Links with a scheme (`https:`, `mailto:`, `tel:`): (offset, URL).
    pub external_links: Vec<(usize, String)>,
}

/// Scans the markdown `body`.
pub fn scan(body: &str) -> Scan {
    let mut scan = Scan::default();
    // Nesting that makes a paragraph not prose: list items, tables, footnotes.
    let mut not_prose = 0usize;
    let mut paragraph: Option<String> = None;
    // The image being read: its start, source and alt text so far.
    let mut image: Option<(usize, String, String)> = None;
    let events = Parser::new_ext(body, markdown::options()).into_offset_iter();
    for (event, Range { start, .. }) in events {
        match event {
            Event::Start(Tag::Item | Tag::Table(_) | Tag::FootnoteDefinition(_)) => {
                not_prose += 1;
            }
            Event::End(TagEnd::Item | TagEnd::Table | TagEnd::FootnoteDefinition) => {
                not_prose = not_prose.saturating_sub(1);
            }
            Event::Start(Tag::Paragraph) if not_prose == 0 => paragraph = Some(String::new()),
            Event::End(TagEnd::Paragraph) => {
                if let Some(text) = paragraph.take() {
                    let text = without_citations(&text);
                    if !text.trim().is_empty() {
                        scan.paragraphs.push(text.trim().to_string());
                    }
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((start, dest_url.to_string(), String::new()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((at, src, alt)) = image.take() {
                    if alt.trim().is_empty() {
                        scan.images_without_alt.push((at, src));
                    }
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                if !wiki && is_external(&dest_url) {
                    scan.external_links.push((start, dest_url.to_string()));
                }
            }
            Event::Text(text) => {
                if let Some((_, _, alt)) = &mut image {
                    alt.push_str(&text);
                } else if let Some(p) = &mut paragraph {
                    p.push_str(&text);
                }
            }
            Event::Code(code) => {
                if let Some((_, _, alt)) = &mut image {
                    alt.push_str(&code);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = &mut paragraph {
                    p.push(' ');
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if html.to_ascii_lowercase().contains("<script") {
                    scan.scripts.push(start);
                }
                // Raw HTML's links to other sites, listed like markdown's.
                let at = body
                    .get(start..)
                    .and_then(|b| b.find(&*html))
                    .map_or(start, |i| start + i);
                for address in markdown::raw_html::addresses(&html) {
                    if is_external(&address.url) {
                        scan.external_links
                            .push((at + address.range.start, address.url));
                    }
                }
            }
            _ => {}
        }
    }
    scan
}

/// `text` with its `[@key]` citations removed.
fn without_citations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for span in find_citations(text) {
        // The space before a citation goes with it: "trust [@key]. Next"
        // reads "trust. Next", whose full stop still ends the sentence.
        out.push_str(text[from..span.range.start].trim_end_matches([' ', '\u{a0}']));
        from = span.range.end;
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_citation_before_a_full_stop_leaves_the_sentence_ending_there() {
        let scan =
            scan("Trust grows slowly [@a]. It can take weeks [@b; @c, p. 2]. Then it holds.\n");
        assert_eq!(
            scan.paragraphs,
            ["Trust grows slowly. It can take weeks. Then it holds."]
        );
        let counts = crate::check::readability::Counts::of(&scan.paragraphs);
        assert_eq!(counts.sentences, 3);
    }

    #[test]
    fn links_to_other_sites_in_raw_html_are_listed_at_their_place() {
        let body = "Text.\n\n<p><a href=\"https://example.org/x\">x</a> <img src=\"local.png\" alt=\"\"></p>\n";
        let scan = scan(body);
        assert_eq!(scan.external_links.len(), 1);
        let (at, url) = &scan.external_links[0];
        assert_eq!(url, "https://example.org/x");
        assert!(body[*at..].starts_with("https://example.org/x"));
    }

    #[test]
    fn prose_is_paragraphs_only() {
        let body = "# A heading\n\nOne *plain* paragraph [@rogers1957] with a [link](https://example.org)\nand `code`.\n\n- a list item\n- another\n\n| a | b |\n|---|---|\n| c | d |\n\n```\ncode block\n```\n\n> [!NOTE]\n> A callout.\n\nSee [[Empathy|empathy]] and ![](pic.png) and ![a chart](c.png).[^1]\n\n[^1]: A footnote.\n\n<script>alert(1)</script>\n";
        let s = scan(body);
        assert_eq!(
            s.paragraphs,
            [
                "One plain paragraph with a link and .",
                "A callout.",
                "See empathy and  and .",
            ]
        );
        assert_eq!(
            s.external_links,
            [(
                body.find("[link").unwrap(),
                "https://example.org".to_string()
            )]
        );
        assert_eq!(
            s.images_without_alt,
            [(body.find("![](").unwrap(), "pic.png".to_string())]
        );
        assert_eq!(s.scripts, [body.find("<script").unwrap()]);
    }
}
