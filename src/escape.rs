//! HTML escaping for text Trellis writes into pages itself (outside Tera's
//! autoescaping): element content and attribute values alike.

/// `s` with `& < > " '` escaped, safe in element content and in quoted attributes.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    html_into(s, &mut out);
    out
}

/// Appends `s`, escaped as by [`html`], to `out`.
pub fn html_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_what_could_break_out() {
        assert_eq!(
            super::html(r#"<a href="x" title='y'>&"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;"
        );
    }
}
