//! Where the links of the print view's HTML go in the book.
//!
//! On the print view every page is a section of one page, so a link to
//! another page or one of its headings is `#p-<page>[-<heading>]`, a
//! glossary term `#glossary-<slug>`, and an image or other file of the site
//! `../<path>`. In the book those sections are separate documents:
//! [`Anchors`] knows which document holds each such id, and [`BookLinks`]
//! turns a link into `document.xhtml#id`, keeps a link within its own
//! document, sends a file of the site that the book does not hold to its
//! address on the web (when `base_url` is one), keeps links to other sites
//! and `mailto:`, `tel:` and `sms:` addresses, and leaves out the rest
//! (their text stays).

use std::collections::{HashMap, HashSet};

use super::media::{percent_decode, Images};
use super::xhtml::Resolve;
use crate::links::is_external;

/// Which book document holds each id that links from other documents name.
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    file_of: HashMap<String, String>,
}

impl Anchors {
    /// Records that `file` holds the element with id `id` (the first holder wins).
    pub fn add(&mut self, id: impl Into<String>, file: &str) {
        self.file_of
            .entry(id.into())
            .or_insert_with(|| file.to_string());
    }

    /// The document that holds `id`.
    pub fn file(&self, id: &str) -> Option<&str> {
        self.file_of.get(id).map(String::as_str)
    }
}

/// The links of one document.
pub struct BookLinks<'a> {
    /// Ids of other documents.
    pub anchors: &'a Anchors,
    /// The ids this document holds.
    pub local: HashSet<String>,
    /// This document's file name.
    pub file: &'a str,
    /// The book's images.
    pub images: &'a Images,
    /// `base_url` with a trailing slash when it is an `http(s)` address.
    pub web: Option<&'a str>,
}

/// Schemes a link to elsewhere may keep in the book. (`sms:` is not one:
/// EPUBCheck warns on it; the link's text, which names the number, stays.)
const SCHEMES: &[&str] = &["http:", "https:", "mailto:", "tel:"];

impl Resolve for BookLinks<'_> {
    fn href(&self, href: &str) -> Option<String> {
        if let Some(id) = href.strip_prefix('#') {
            if id.is_empty() {
                return None;
            }
            let decoded = percent_decode(id);
            for id in [id, decoded.as_str()] {
                if self.local.contains(id) {
                    return Some(format!("#{id}"));
                }
                if let Some(file) = self.anchors.file(id) {
                    return Some(if file == self.file {
                        format!("#{id}")
                    } else {
                        format!("{file}#{id}")
                    });
                }
            }
            return None;
        }
        if is_external(href) {
            let lower = href.to_ascii_lowercase();
            return SCHEMES
                .iter()
                .any(|s| lower.starts_with(s))
                .then(|| href.to_string());
        }
        // A file of the site, relative to the print page.
        let path = href.strip_prefix("../")?;
        if path.starts_with("../") {
            return None;
        }
        self.web.map(|web| format!("{web}{path}"))
    }

    fn src(&self, src: &str) -> Option<String> {
        self.images.href(src).map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_go_to_their_document_or_the_web_or_nowhere() {
        let mut anchors = Anchors::default();
        anchors.add("p-a", "article-1.xhtml");
        anchors.add("glossary-trust", "glossary.xhtml");
        let images = Images::default();
        let links = BookLinks {
            anchors: &anchors,
            local: ["ref-x".to_string()].into_iter().collect(),
            file: "article-1.xhtml",
            images: &images,
            web: Some("https://example.org/h/"),
        };
        assert_eq!(links.href("#p-a").as_deref(), Some("#p-a"));
        assert_eq!(
            links.href("#glossary-trust").as_deref(),
            Some("glossary.xhtml#glossary-trust")
        );
        assert_eq!(links.href("#ref-x").as_deref(), Some("#ref-x"));
        assert_eq!(links.href("#nowhere"), None);
        assert_eq!(links.href("#"), None);
        assert_eq!(
            links.href("../p/file.pdf").as_deref(),
            Some("https://example.org/h/p/file.pdf")
        );
        assert_eq!(links.href("javascript:alert(1)"), None);
        assert_eq!(links.href("tel:988").as_deref(), Some("tel:988"));
        assert_eq!(links.href("sms:741741"), None);
        assert_eq!(links.href("other.md"), None);
        assert_eq!(links.src("../p/x.png"), None);
    }
}
