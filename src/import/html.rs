//! The tags in a piece of raw HTML from a page's markdown, with the byte
//! ranges of the tag and of each attribute, so that the import can change
//! one attribute (an address, a missing `alt`) or drop one element (an
//! inline `<style>` or `<script>`, which Trellis pages never carry) and leave
//! the rest exactly as written. A small scanner, not an HTML parser: it
//! reads `<name attr="value" attr='value' attr=value …>` and skips comments.

use std::ops::Range;

/// One attribute of a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attr {
    /// From the space before the name to the end of the value.
    pub range: Range<usize>,
    /// Lower case.
    pub name: String,
    /// The value as written, without quotes (`&amp;` decoded).
    pub value: Option<String>,
    /// Where the value is (without its quotes).
    pub value_range: Range<usize>,
}

/// One tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TagAt {
    /// From `<` to `>`.
    pub range: Range<usize>,
    /// Lower case, without the `/` of a closing tag.
    pub name: String,
    /// `</name>`.
    pub closing: bool,
    /// Its attributes, in order.
    pub attrs: Vec<Attr>,
}

impl TagAt {
    /// The attribute `name`, if the tag has it.
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// Where ` alt=""` would go: before `>` or `/>`.
    pub fn end_insert(&self, html: &str) -> usize {
        let inner = &html[self.range.clone()];
        let mut end = self.range.end - 1;
        if inner.ends_with("/>") {
            end -= 1;
        }
        while end > self.range.start && html.as_bytes()[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        end
    }
}

/// Every tag in `html`, in order (comments skipped).
pub(crate) fn tags(html: &str) -> Vec<TagAt> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        if html[lt..].starts_with("<!--") {
            i = html[lt..].find("-->").map_or(html.len(), |e| lt + e + 3);
            continue;
        }
        let closing = b.get(lt + 1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let mut j = name_start;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            let space = j;
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let start = j;
            while j < b.len()
                && !b"= \t\r\n>".contains(&b[j])
                && !(b[j] == b'/' && b.get(j + 1) == Some(&b'>'))
            {
                j += 1;
            }
            let attr_name = html[start..j].to_ascii_lowercase();
            let mut k = j;
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            let (value, value_range) = if b.get(k) == Some(&b'=') {
                k += 1;
                while k < b.len() && b[k].is_ascii_whitespace() {
                    k += 1;
                }
                match b.get(k) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[k + 1..].find(q as char).map_or(b.len(), |e| k + 1 + e);
                        j = (end + 1).min(b.len());
                        (Some(html[k + 1..end].replace("&amp;", "&")), k + 1..end)
                    }
                    _ => {
                        let s = k;
                        while k < b.len() && !b[k].is_ascii_whitespace() && b[k] != b'>' {
                            k += 1;
                        }
                        j = k;
                        (Some(html[s..k].replace("&amp;", "&")), s..k)
                    }
                }
            } else {
                (None, j..j)
            };
            attrs.push(Attr {
                range: space..j,
                name: attr_name,
                value,
                value_range,
            });
        }
        let end = (j + 1).min(b.len());
        out.push(TagAt {
            range: lt..end,
            name,
            closing,
            attrs,
        });
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_attributes_with_their_places() {
        let html = "<!-- <b> --><img src=\"a b.png\" width=60px alt='x'/><p style=\"color: red\" hidden>t</p>";
        let found = tags(html);
        let names: Vec<(&str, bool)> = found.iter().map(|t| (t.name.as_str(), t.closing)).collect();
        assert_eq!(names, [("img", false), ("p", false), ("p", true)]);
        let img = &found[0];
        let src = img.attr("src").unwrap();
        assert_eq!(&html[src.value_range.clone()], "a b.png");
        assert_eq!(img.attr("width").unwrap().value.as_deref(), Some("60px"));
        assert_eq!(&html[img.end_insert(html)..img.range.end], "/>");
        let p = &found[1];
        assert_eq!(
            &html[p.attr("style").unwrap().range.clone()],
            " style=\"color: red\""
        );
        assert_eq!(p.attr("hidden").unwrap().value, None);
    }
}
