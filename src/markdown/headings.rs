//! Heading ids: explicit (`## Repair {#repair}`) or the slug of the heading's
//! text by GitHub's rules, as mdBook and Zola make them for plain headings,
//! so a link written for those tools (`reading.md#search`) finds its heading
//! here; made unique within the page. Rendering gives them (a page's
//! anchors, for link checks, are the ids its render gave). The theme's own
//! ids on pages with author content start with `trellis-`, so they never
//! take an author's slug.

use std::collections::HashSet;

use pulldown_cmark::HeadingLevel;
use serde::Serialize;

/// One heading of a page, for its contents list and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The `id` attribute.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// Hands out unique ids within one page.
#[derive(Debug, Default)]
pub struct IdAllocator {
    used: HashSet<String>,
}

impl IdAllocator {
    /// Ids the default theme gives its own elements on pages that hold
    /// author content (the main landmark, the navigation, the contents and
    /// references headings …); headings never take them.
    const RESERVED: &'static [&'static str] = &[
        "trellis-main",
        "trellis-nav",
        "trellis-toc-title",
        "trellis-references",
        "trellis-crisis-note-title",
        "trellis-in-this-part",
        "trellis-parts",
        "trellis-articles",
    ];

    /// A new allocator with the theme's ids reserved.
    pub fn new() -> Self {
        IdAllocator {
            used: Self::RESERVED.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// `explicit` if given (authors own their ids), else a unique slug of `text`.
    pub fn allocate(&mut self, explicit: Option<&str>, text: &str) -> String {
        if let Some(id) = explicit {
            self.used.insert(id.to_string());
            return id.to_string();
        }
        let base = match github_slug(text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let mut id = base.clone();
        let mut n = 1;
        while self.used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

/// A heading's slug by GitHub's rules (which mdBook follows): lower case,
/// each space a hyphen, letters, digits, `-` and `_` kept and every other
/// character dropped. "Rupture & repair" is `rupture--repair`, "What's next?"
/// `whats-next`.
pub fn github_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

/// Level as a number.
pub fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_githubs_rules() {
        for (text, slug) in [
            ("Search", "search"),
            ("References", "references"),
            ("Getting started", "getting-started"),
            ("Rupture & repair", "rupture--repair"),
            ("What's next?", "whats-next"),
            ("Step 1: ask", "step-1-ask"),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
            ("Über Vertrauen", "über-vertrauen"),
            ("  Trimmed  ", "trimmed"),
        ] {
            assert_eq!(github_slug(text), slug, "{text}");
        }
    }

    #[test]
    fn authors_headings_take_their_own_slugs_and_repeats_are_numbered() {
        let mut ids = IdAllocator::new();
        assert_eq!(ids.allocate(None, "Search"), "search");
        assert_eq!(ids.allocate(None, "References"), "references");
        assert_eq!(ids.allocate(None, "Main"), "main");
        assert_eq!(ids.allocate(None, "Search"), "search-1");
        assert_eq!(ids.allocate(None, "Search"), "search-2");
        assert_eq!(ids.allocate(Some("mine"), "Whatever"), "mine");
        // Only the theme's own (prefixed) ids are kept from authors.
        assert_eq!(ids.allocate(None, "Trellis main"), "trellis-main-1");
        assert_eq!(ids.allocate(None, "?!"), "section");
    }
}
