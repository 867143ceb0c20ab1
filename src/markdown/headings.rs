//! Heading ids: explicit (`## Repair {#repair}`) or the slug of the heading's
//! text, made unique within the page. Computed the same way in the first pass
//! (to know every page's anchors) and in rendering.

use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::content::slug::slugify;

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
    /// Ids the theme itself uses on every page; headings never take them.
    const RESERVED: &'static [&'static str] = &[
        "main",
        "top",
        "contents",
        "references",
        "footnotes",
        "site-nav",
        "search",
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
        let base = match slugify(text) {
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

/// Level as a number.
pub fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// The headings of a markdown body, with the ids rendering will give them.
pub fn collect(markdown: &str) -> Vec<Heading> {
    let mut ids = IdAllocator::new();
    let mut out = Vec::new();
    let mut current: Option<(u8, Option<String>, String)> = None;
    for event in Parser::new_ext(markdown, super::options()) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((
                    level_number(level),
                    id.map(|s| s.to_string()),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text)) = current.take() {
                    let id = ids.allocate(explicit.as_deref(), &text);
                    out.push(Heading {
                        level,
                        id,
                        text: text.trim().to_string(),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = &mut current {
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_explicit_ones_kept() {
        let h = collect("# Title\n\n## Repair {#mend}\n\n## Trust\n\n## Trust\n\n## Contents\n");
        let ids: Vec<&str> = h.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["title", "mend", "trust", "trust-1", "contents-1"]);
        assert_eq!(h[1].text, "Repair");
    }
}
