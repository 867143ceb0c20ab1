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
//! element per term it links ([`Glossary::tooltips_html`]); `glossary.js`
//! shows it on hover, focus and tap. Without JavaScript the tooltips stay
//! hidden and the term is an ordinary link.

use super::{Glossary, Term};

/// The `id` of a term's tooltip element: `tip-<slug>`.
pub fn tooltip_id(term: &Term) -> String {
    format!("tip-{}", term.slug)
}

impl Glossary {
    /// The hidden tooltips for the terms `used` (indices into
    /// [`Glossary::terms`]; repeats are written once), in a
    /// `<div class="term-tips">`. Empty when nothing is used. Put it once
    /// per page, after the content.
    pub fn tooltips_html(&self, used: impl IntoIterator<Item = usize>) -> String {
        let mut indices: Vec<usize> = used.into_iter().filter(|&i| i < self.terms.len()).collect();
        indices.sort_unstable();
        indices.dedup();
        if indices.is_empty() {
            return String::new();
        }
        let mut out = String::from("<div class=\"term-tips\">\n");
        for i in indices {
            let t = &self.terms[i];
            out.push_str(&format!(
                "<div class=\"term-tip\" id=\"{}\" role=\"tooltip\" hidden>{}</div>\n",
                escape_attr(&tooltip_id(t)),
                t.definition_html
            ));
        }
        out.push_str("</div>");
        out
    }
}

/// Escapes text for an HTML attribute value or text node.
pub(crate) fn escape_attr(s: &str) -> String {
    crate::escape::html(s)
}
