//! HTML escaping for text Trellis writes into pages itself (outside Tera's
//! autoescaping) and for Tera's autoescaping: element content and attribute
//! values alike.

/// `s` with `& < > " '` escaped, safe in element content and in quoted attributes.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    html_into(s, &mut out);
    out
}

/// Appends `s`, escaped as by [`html`], to `out`.
pub fn html_into(s: &str, out: &mut String) {
    let mut last = 0;
    for (at, entity) in specials(s) {
        out.push_str(&s[last..at]);
        out.push_str(entity);
        last = at + 1;
    }
    out.push_str(&s[last..]);
}

/// Writes `s`, escaped as by [`html`], to `out`: Tera's autoescaping
/// (`Templates` sets it), the same escapes as Tera's own but written a run
/// of plain text at a time rather than byte by byte.
pub fn html_to_writer(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut last = 0;
    for (at, entity) in specials(s) {
        out.write_all(&s.as_bytes()[last..at])?;
        out.write_all(entity.as_bytes())?;
        last = at + 1;
    }
    out.write_all(&s.as_bytes()[last..])
}

/// Where `s` has a character to escape (all are ASCII), and its entity.
fn specials(s: &str) -> impl Iterator<Item = (usize, &'static str)> + '_ {
    s.bytes().enumerate().filter_map(|(i, b)| {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => return None,
        };
        Some((i, entity))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_what_could_break_out() {
        assert_eq!(
            super::html(r#"<a href="x" title='y'>&"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;"
        );
        assert_eq!(super::html("plain, ünïcode ✓"), "plain, ünïcode ✓");
        assert_eq!(super::html("&&x&"), "&amp;&amp;x&amp;");
    }

    #[test]
    fn writes_what_tera_would() {
        for s in [
            "",
            "plain",
            r#"<a href="x" title='y'>&"#,
            "ünïcode & <b>",
            "&&",
        ] {
            let mut ours = Vec::new();
            super::html_to_writer(s, &mut ours).unwrap();
            let mut teras = Vec::new();
            tera::escape_html(s, &mut teras).unwrap();
            assert_eq!(ours, teras, "{s}");
            assert_eq!(String::from_utf8(ours).unwrap(), super::html(s));
        }
    }
}
