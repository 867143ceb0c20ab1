//! The markup of a linked term and of its definition tooltip.
//!
//! A linked term is a plain link to its glossary entry that names its
//! tooltip with `aria-describedby`, so screen readers announce the definition:
//!
//! ```html
//! <a class="term" href="../../glossary/index.html#rapport" aria-describedby="tip-rapport">rapport</a>
//! ```
//!
//! The link itself is written by [`crate::markdown`]. Each page that links
//! terms carries, once, one hidden `role="tooltip"`
//! element per term it links ([`tooltips_html`]); `glossary.js`
//! shows it on hover, focus and tap. Without JavaScript the tooltips stay
//! hidden and the term is an ordinary link.

use crate::glossary::{Glossary, Term};

/// The `id` of a term's tooltip element: `tip-<slug>`.
pub fn tooltip_id(term: &Term) -> String {
    format!("tip-{}", term.slug)
}

/// The hidden tooltips for the terms `used` of `glossary` (indices into
/// [`Glossary::terms`]; repeats are written once), in a
/// `<div class="term-tips">`. Empty when nothing is used. Put it once per
/// page, after the content.
pub fn tooltips_html(glossary: &Glossary, used: impl IntoIterator<Item = usize>) -> String {
    let mut indices: Vec<usize> = used
        .into_iter()
        .filter(|&i| i < glossary.terms.len())
        .collect();
    indices.sort_unstable();
    indices.dedup();
    if indices.is_empty() {
        return String::new();
    }
    let mut out = String::from("<div class=\"term-tips\">\n");
    for i in indices {
        let t = &glossary.terms[i];
        out.push_str(&format!(
            "<div class=\"term-tip\" id=\"{}\" role=\"tooltip\" hidden>{}</div>\n",
            escape_attr(&tooltip_id(t)),
            t.definition_html
        ));
    }
    out.push_str("</div>");
    out
}

/// Escapes text for an HTML attribute value or text node.
pub(crate) fn escape_attr(s: &str) -> String {
    crate::escape::html(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::tests::{parse, SAMPLE};

    #[test]
    fn tooltips() {
        let g = parse(SAMPLE);
        let trust = g.lookup("trust").unwrap();
        let html = tooltips_html(&g, [trust, trust]);
        assert_eq!(
            html,
            "<div class=\"term-tips\">\n<div class=\"term-tip\" id=\"tip-trust\" role=\"tooltip\" hidden>Feeling safe enough to rely on someone.</div>\n</div>"
        );
        assert_eq!(tooltips_html(&g, []), "");
    }
}
