//! A section's HTML on a print page (`render::print`): its page HTML with
//! the print splices the markdown pass recorded, or the section rendered
//! again for print when those cannot be used. On a print page of one part,
//! each link to a page or file of the site is made to work from there: a
//! section another print page holds is linked on that page, a file from
//! the page's folder, a folder deeper than `print/`.

use super::print::{View, PRINT_URL};
use crate::links::relative_url;
use crate::markdown::{PrintLink, PrintPiece, Rendered};
use crate::print_parts::{Holder, PrintParts};
use crate::site::{Site, Source};

/// A section's HTML on print page `view`.
pub(super) fn section_html(site: &Site, source: Source, view: View<'_>) -> String {
    let mut out = String::new();
    push_print_html(site, source, view, &mut out);
    out
}

/// Appends a section's HTML on print page `view` to `out`: its page HTML
/// and print splices, or, when those cannot be used, the section rendered
/// again for print.
pub(super) fn push_print_html(site: &Site, source: Source, view: View<'_>, out: &mut String) {
    let page = match source {
        Source::Article(a) => site.articles.get(a),
        Source::Intro(p) => site.intros.get(p),
    };
    let relink = match view {
        View::Whole => None,
        View::Listing(parts) => Some(Relink {
            parts,
            here: Holder::Listing,
            url: PRINT_URL,
        }),
        View::Part(parts, i) => Some(Relink {
            parts,
            here: Holder::Page(i),
            url: view.url(),
        }),
    };
    let Some(relink) = relink else {
        match page.and_then(Rendered::print_pieces) {
            Some(pieces) => pieces.into_iter().for_each(|p| out.push_str(p)),
            None => out.push_str(&site.render_one_for_print(source)),
        }
        return;
    };
    if let Some(pieces) = page.and_then(Rendered::print_linked) {
        return relink.push(&pieces, out);
    }
    let again = site.render_one_in_print_mode(source);
    match again.print_linked() {
        Some(pieces) => relink.push(&pieces, out),
        // Never seen outside contrived input (see `PrintSplices`): the
        // section keeps the one-page view's links.
        None => out.push_str(&again.html),
    }
}

/// The links of a section on one page of a print view split by part.
struct Relink<'a> {
    parts: &'a PrintParts,
    /// Which page this is.
    here: Holder,
    /// Its site-relative folder.
    url: &'a str,
}

impl Relink<'_> {
    /// Appends `pieces` to `out` with each link made to work from this page:
    /// a section another page holds is linked there, a file from this folder.
    fn push(&self, pieces: &[PrintPiece<'_>], out: &mut String) {
        for piece in pieces {
            match *piece {
                PrintPiece::Html(html) => out.push_str(html),
                PrintPiece::Link(PrintLink::File(href)) => {
                    // The address is relative to `print/`, a folder up.
                    if self.here != Holder::Listing {
                        out.push_str("../");
                    }
                    out.push_str(href);
                }
                PrintPiece::Link(PrintLink::Section { href, top }) => {
                    let page = match self.parts.holder(top) {
                        holder if holder == self.here => None,
                        Holder::Listing => Some(PRINT_URL),
                        Holder::Page(i) => self.parts.pages.get(i).map(|p| p.url.as_str()),
                        Holder::Unknown => None,
                    };
                    if let Some(page) = page {
                        let _ = pulldown_cmark_escape::escape_href(
                            &mut *out,
                            &relative_url(self.url, page),
                        );
                    }
                    out.push_str(href);
                }
            }
        }
    }
}
