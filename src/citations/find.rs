//! Finding `[@key]`, `[@key, p. 12]` and `[@a; @b]` citations in plain text.
//!
//! Only the syntax is checked here (pandoc's rules for keys); whether a key
//! is in the bibliography is for [`super::Bibliography::contains`].

use super::{CitationSpan, CiteItem};

/// Finds every citation in a piece of plain text (a markdown Text event).
///
/// `[@key]`, `[@key, p. 12]`, `[@a; @b]`; ignores `[@]`, emails like a@b.c,
/// and text that isn't bracketed. Every `;`-separated part of the brackets
/// must be `@key` with an optional `, locator`, otherwise the brackets are
/// left alone as ordinary text. Keys follow pandoc: they start with a letter,
/// digit or `_` and may contain `:.#$%&-+?<>~/` inside, not at the end.
pub fn find_citations(text: &str) -> Vec<CitationSpan> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|i| from + i) {
        let inner_start = open + 1;
        let Some(close) = text[inner_start..]
            .find(['[', ']'])
            .map(|i| inner_start + i)
        else {
            break;
        };
        if text.as_bytes()[close] == b'[' {
            from = close;
            continue;
        }
        if let Some(items) = parse_citation(&text[inner_start..close]) {
            spans.push(CitationSpan {
                range: open..close + 1,
                items,
            });
        }
        from = close + 1;
    }
    spans
}

/// The inside of `[...]`: `@a; @b, p. 3`.
fn parse_citation(inner: &str) -> Option<Vec<CiteItem>> {
    let mut items = Vec::new();
    for part in inner.split(';') {
        let rest = part.trim().strip_prefix('@')?;
        let key_len = key_length(rest);
        if key_len == 0 {
            return None;
        }
        let after = rest[key_len..].trim_start();
        let locator = if after.is_empty() {
            None
        } else {
            let locator = after.strip_prefix(',')?.trim();
            (!locator.is_empty()).then(|| locator.to_string())
        };
        items.push(CiteItem {
            key: rest[..key_len].to_string(),
            locator,
        });
    }
    Some(items)
}

/// The byte length of the citation key at the start of `s` (0 when there is none).
fn key_length(s: &str) -> usize {
    const INTERNAL: &str = ":.#$%&-+?<>~/";
    match s.chars().next() {
        Some(c) if c.is_alphanumeric() || c == '_' => {}
        _ => return 0,
    }
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() || c == '_' {
            end = i + c.len_utf8();
        } else if !INTERNAL.contains(c) {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, locator: Option<&str>) -> CiteItem {
        CiteItem {
            key: key.into(),
            locator: locator.map(str::to_string),
        }
    }

    #[test]
    fn finds_every_citation_form() {
        let text = "Trust [@bordin1979] grows [@bordin1979, p. 12] and [@a; @b-2, pp. 3-4].";
        let spans = find_citations(text);
        assert_eq!(spans.len(), 3);
        assert_eq!(&text[spans[0].range.clone()], "[@bordin1979]");
        assert_eq!(spans[0].items, vec![item("bordin1979", None)]);
        assert_eq!(&text[spans[1].range.clone()], "[@bordin1979, p. 12]");
        assert_eq!(spans[1].items, vec![item("bordin1979", Some("p. 12"))]);
        assert_eq!(
            spans[2].items,
            vec![item("a", None), item("b-2", Some("pp. 3-4"))]
        );
        // Spaces inside the brackets and keys with inner punctuation.
        let spans = find_citations("é [ @doe:2020.x ; @_x ]");
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].range, 3..24);
        assert_eq!(spans[0].items[0].key, "doe:2020.x");
        assert_eq!(spans[0].items[1].key, "_x");
    }

    #[test]
    fn ignores_what_is_not_a_citation() {
        for text in [
            "[@]",
            "mail a@b.c or @someone",
            "[a@b.c]",
            "[see @key]",
            "[@key extra]",
            "[@a;]",
            "[@key.]",
            "[@-x]",
            "[[@key]",
            "[^1] and [link] and []",
            "@key] [@key",
            "[@ key]",
        ] {
            let spans = find_citations(text);
            let nested_ok = text == "[[@key]" && spans.len() == 1 && spans[0].range == (1..7);
            assert!(spans.is_empty() || nested_ok, "{text}: {spans:?}");
        }
        assert_eq!(find_citations("[@key, ]")[0].items[0].locator, None);
    }
}
