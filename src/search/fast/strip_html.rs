//! [`strip_html`] in one pass over the bytes: white space collapsed as
//! the text is copied, plain runs of text skipped eight bytes at a time
//! ([`super::bytes8`]), nothing allocated per tag or entity. It runs over
//! the HTML of every page. Its tests compare it with the plain way (find
//! each `<` and `&`, then collapse the white space with
//! `split_whitespace`) on generated input.

use super::bytes8::{below, equal, non_ascii, skip_unmarked};
use crate::search::text::{char_at, is_block};

/// [`crate::search::text::strip_html`]: the text of an HTML fragment.
pub(crate) fn strip_html(html: &str) -> String {
    let mut out = Collapsed {
        text: String::with_capacity(html.len() / 2),
        space: false,
    };
    let bytes = html.as_bytes();
    // Text is copied a stretch at a time: `bytes[start..i]` holds no markup
    // and no white space but single spaces between other characters.
    let mut start = 0;
    let mut i = 0;
    // Once a `<` has no `>` after it, no later one has: every `<` left is text.
    let mut no_more_tags = false;
    while i < bytes.len() {
        // Most of a page's text is runs of plain bytes (ASCII letters,
        // digits and punctuation but `<` and `&`) between single spaces:
        // skip them eight at a time. (DEL, also skipped, is kept as text
        // below too.)
        i = skip_unmarked(bytes, i, |x| {
            below(x, 0x21) | non_ascii(x) | equal(x, b'<') | equal(x, b'&')
        });
        let Some(&b) = bytes.get(i) else {
            break;
        };
        if b.is_ascii_graphic() && b != b'<' && b != b'&' {
            i += 1;
            continue;
        }
        if b == b' '
            && i > start
            && bytes
                .get(i + 1)
                .is_some_and(|&n| n.is_ascii_graphic() && n != b'<' && n != b'&')
        {
            i += 2;
            continue;
        }
        if b == b'<' && no_more_tags {
            i += 1;
            continue;
        }
        if !b.is_ascii() {
            let (c, len) = char_at(html, i);
            if !c.is_whitespace() {
                i += len;
                continue;
            }
            out.word(&html[start..i]);
            out.space();
            i += len;
            start = i;
            continue;
        }
        out.word(&html[start..i]);
        let rest = &html[i..];
        i += if b == b'&' {
            match entity(rest) {
                Some((c, used)) => {
                    out.push_char(c);
                    used
                }
                None => {
                    out.word("&");
                    1
                }
            }
        } else if b == b'<' {
            match rest.find('>') {
                Some(gt) => gt + 1 + skip_tag(&rest[1..gt], &rest[gt + 1..], &mut out),
                None => {
                    no_more_tags = true;
                    0
                }
            }
        } else {
            // ASCII white space or a control character (which `word` keeps,
            // as `split_whitespace` does).
            if b.is_ascii_whitespace() || b == 0x0b {
                out.space();
                1
            } else {
                0
            }
        };
        start = i;
        if b.is_ascii_control() && !(b.is_ascii_whitespace() || b == 0x0b) {
            // Kept as text: step over it within the stretch.
            i += 1;
        }
    }
    out.word(&html[start..]);
    out.text
}

/// Handles the tag `<tag>` followed by `rest`: a space for a block element;
/// the content of `script`, `style` and `template` skipped. Returns how
/// many bytes of `rest` it used.
fn skip_tag(tag: &str, rest: &str, out: &mut Collapsed) -> usize {
    let mut buf = [0u8; TAG_NAME];
    let Some(name) = tag_name(tag.trim_start_matches('/'), &mut buf) else {
        return 0;
    };
    if !tag.starts_with('/') && matches!(name, "script" | "style" | "template") {
        let mut close = [0u8; TAG_NAME + 2];
        close[..2].copy_from_slice(b"</");
        close[2..2 + name.len()].copy_from_slice(name.as_bytes());
        out.space();
        return match find_ignore_ascii_case(rest, &close[..2 + name.len()]) {
            Some(at) => rest[at..].find('>').map_or(rest.len(), |gt| at + gt + 1),
            None => rest.len(),
        };
    }
    if is_block(name) {
        out.space();
    }
    0
}

/// The longest tag name [`strip_html`] needs to know (`figcaption`).
const TAG_NAME: usize = 10;

/// The name a tag starts with (ASCII letters and digits), lower-cased into
/// `buf`; `None` when it is longer than any name that matters.
fn tag_name<'b>(tag: &str, buf: &'b mut [u8; TAG_NAME]) -> Option<&'b str> {
    let len = tag.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = buf.get_mut(..len)?;
    name.copy_from_slice(&tag.as_bytes()[..len]);
    name.make_ascii_lowercase();
    std::str::from_utf8(name).ok()
}

/// Text with every run of white space (Unicode's, as `str::split_whitespace`
/// sees it) made one space, and none at the start or the end.
struct Collapsed {
    text: String,
    /// White space was met since the last word.
    space: bool,
}

impl Collapsed {
    fn push_char(&mut self, c: char) {
        if c.is_whitespace() {
            self.space = true;
        } else {
            self.word(c.encode_utf8(&mut [0; 4]));
        }
    }

    fn space(&mut self) {
        self.space = true;
    }

    fn word(&mut self, w: &str) {
        if w.is_empty() {
            return;
        }
        if self.space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.space = false;
        self.text.push_str(w);
    }
}

fn find_ignore_ascii_case(haystack: &str, needle: &[u8]) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Decodes the entity at the start of `s` (which starts with `&`): the
/// character and how many bytes it used; `None` for an unknown entity,
/// which stays as written.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s[1..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
        .map(|i| i + 1)
        .filter(|&e| s[e..].starts_with(';') && e > 1)?;
    let name = &s[1..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        code.and_then(char::from_u32)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "hellip" => '\u{2026}',
            "lsquo" => '\u{2018}',
            "rsquo" => '\u{2019}',
            "ldquo" => '\u{201c}',
            "rdquo" => '\u{201d}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}
