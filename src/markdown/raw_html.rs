//! The addresses in an article's raw HTML: the values of `src`, `href` and
//! `srcset` in its tags, found so that the renderer rewrites and checks
//! them as it does markdown links and images (a page lives one folder deeper
//! than its source, so `images/logo.svg` written for the source folder must
//! become `../images/logo.svg`, and a missing file must fail the build).
//!
//! This is a small scanner for tags, not an HTML parser: it reads `<name
//! attr="value" attr='value' attr=value …>` and skips comments; text
//! between tags is left alone.

use std::ops::Range;

/// One address in raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Where the address is, in bytes of the HTML given.
    pub range: Range<usize>,
    /// The address as written (entities such as `&amp;` decoded).
    pub url: String,
}

/// Every address in `src`, `href` and `srcset` values of `html`'s tags, in
/// order (each of a `srcset`'s candidates on its own).
pub fn addresses(html: &str) -> Vec<Address> {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        if html[lt..].starts_with("<!--") {
            i = html[lt..].find("-->").map_or(html.len(), |e| lt + e + 3);
            continue;
        }
        // A tag starts with a letter after `<`.
        if !bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        i = attributes(html, lt + 1, &mut found);
    }
    found
}

/// Reads the attributes of a tag whose name starts at `from`; returns where
/// the tag ends.
fn attributes(html: &str, from: usize, found: &mut Vec<Address>) -> usize {
    let bytes = html.as_bytes();
    let mut i = from;
    // The tag's name.
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/'
    {
        i += 1;
    }
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return (i + 1).min(bytes.len());
        }
        let name_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue; // an attribute without a value
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = i + 1;
                let end = html[start..]
                    .find(q as char)
                    .map_or(html.len(), |e| start + e);
                i = (end + 1).min(html.len());
                start..end
            }
            _ => {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                start..i
            }
        };
        match name.as_str() {
            "src" | "href" => push(html, value, found),
            "srcset" => srcset(html, value, found),
            _ => {}
        }
    }
}

/// A `srcset`'s candidates: `url [descriptor], url [descriptor], …`.
fn srcset(html: &str, value: Range<usize>, found: &mut Vec<Address>) {
    let mut at = value.start;
    for candidate in html[value.clone()].split(',') {
        let lead = candidate.len() - candidate.trim_start().len();
        let url_len = candidate.split_whitespace().next().map_or(0, str::len);
        let start = at + lead;
        push(html, start..start + url_len, found);
        at += candidate.len() + 1;
    }
}

fn push(html: &str, range: Range<usize>, found: &mut Vec<Address>) {
    let raw = html[range.clone()].trim();
    if raw.is_empty() {
        return;
    }
    let lead = html[range.clone()].len() - html[range.clone()].trim_start().len();
    let start = range.start + lead;
    found.push(Address {
        range: start..start + raw.len(),
        url: raw
            .replace("&amp;", "&")
            .replace("&#39;", "'")
            .replace("&quot;", "\""),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(html: &str) -> Vec<String> {
        addresses(html)
            .into_iter()
            .map(|a| {
                assert!(html[a.range.clone()].contains(a.url.split('&').next().unwrap()));
                a.url
            })
            .collect()
    }

    #[test]
    fn finds_src_href_and_srcset_in_any_quoting() {
        assert_eq!(
            urls(
                r#"<p><img src="images/logo.svg" alt="Logo"> and <a href='other.md#part'>more</a> <A HREF=plain.md>x</A></p>"#
            ),
            ["images/logo.svg", "other.md#part", "plain.md"]
        );
        assert_eq!(
            urls(r#"<img srcset="a.png 1x, b.png 2x,c.png 3x" src="a.png">"#),
            ["a.png", "b.png", "c.png", "a.png"]
        );
        assert_eq!(urls(r#"<a href="x.md?a=1&amp;b=2">"#), ["x.md?a=1&b=2"]);
    }

    #[test]
    fn leaves_comments_text_and_other_attributes_alone() {
        assert_eq!(
            urls(
                r#"<!-- <img src="old.png"> --><p title="src=no.png">a < b, src="text.png"</p><div data-href="x">"#
            ),
            Vec::<String>::new()
        );
        assert_eq!(urls("</a>"), Vec::<String>::new());
        assert_eq!(urls("<a href>"), Vec::<String>::new());
        assert_eq!(urls("<img src=\"unclosed.png"), ["unclosed.png"]);
    }
}
