//! The book's own words as XHTML: a theme string (`site.words`, in the
//! book's language) escaped, with its `{placeholders}` filled by markup,
//! so that a sentence holding a link or a number stays one string to
//! translate.

use super::xhtml::esc;

/// `text` (a theme string) escaped, each `{name}` of `values` replaced by
/// its markup, which is put in as it is (escape plain text first). One
/// pass, so a value that holds braces (a title) is left as it is.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let text = esc(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = values.iter().find(|(name, _)| {
            after
                .strip_prefix(name)
                .is_some_and(|tail| tail.starts_with('}'))
        });
        match value {
            Some((name, markup)) => {
                out.push_str(markup);
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_escaped_and_the_markup_is_not() {
        assert_eq!(
            fill(
                "Q & A: {link}, {n}",
                &[("link", "<a href=\"x\">{n}</a>"), ("n", "3")]
            ),
            "Q &amp; A: <a href=\"x\">{n}</a>, 3"
        );
        assert_eq!(fill("{other} {", &[("n", "3")]), "{other} {");
    }
}
