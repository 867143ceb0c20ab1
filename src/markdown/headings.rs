//! Heading ids: explicit (`## Repair {#repair}`) or the slug of the heading's
//! text, made unique within the page. Rendering gives them (a page's
//! anchors, for link checks, are the ids its render gave).

use std::collections::HashSet;

use pulldown_cmark::HeadingLevel;
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
