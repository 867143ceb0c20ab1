//! Which pages the print view is. A handbook of at most
//! `print: { split_above }` articles (`handbook.yaml`, default
//! [`DEFAULT_SPLIT_ABOVE`](crate::config::DEFAULT_SPLIT_ABOVE)) prints from
//! one page, `/print/`. A larger one would make a page no browser opens, so
//! it prints from one page per top-level part, `/print/<part>/`, and one
//! for the articles outside parts if it has any; `/print/` then lists
//! them. A handbook with fewer than two such pages keeps the one page.
//!
//! Content and rendering both ask: `Site::features` (the templates' words
//! for the print link) and `render::print` (the pages and their links).

use std::collections::HashMap;

use crate::content::{Entry, Handbook, PartId};

/// Site-relative folder of the print page (of the list, when split).
pub const PRINT_URL: &str = "print/";

/// The folder of the page of the articles outside parts, when no top-level
/// part or article already has it; else the first of `articles-2`,
/// `articles-3` … that is free. `print/quizzes/` (the worksheets) is never
/// a part's: `quizzes` is a reserved name.
const LOOSE_SLUG: &str = "articles";

/// The print view split into one page per top-level part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintParts {
    /// The pages, in the handbook's order (the articles outside parts
    /// where the first of them is).
    pub pages: Vec<PrintPart>,
    /// Each top-level slug (a part's or an article's) to its page.
    by_slug: HashMap<String, usize>,
    /// Each part's page, by [`PartId`] (home's: the articles outside parts).
    by_part: Vec<Option<usize>>,
}

/// One page of a split print view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintPart {
    /// Site-relative folder: `print/<slug>/`.
    pub url: String,
    /// The top-level part it prints; `None`: the articles outside parts.
    pub part: Option<PartId>,
    /// How many articles it holds, its sub-parts' included.
    pub articles: usize,
}

/// Which print page holds a page of the handbook (see [`PrintParts::holder`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// `/print/`, the list of pages (it holds the home page's introduction).
    Listing,
    /// The page at this index of [`PrintParts::pages`].
    Page(usize),
    /// None of them: not a page the print view has.
    Unknown,
}

/// Whether `hb`'s print view is one page per part: cheap enough for every
/// page to ask (its footer's words depend on it).
pub fn splits(hb: &Handbook) -> bool {
    if hb.articles.len() <= hb.config.print.split_above {
        return false;
    }
    let top = &hb.parts[0].entries;
    let parts = top.iter().filter(|e| matches!(e, Entry::Part(_))).count();
    let loose = top.iter().any(|e| matches!(e, Entry::Article(_)));
    parts + usize::from(loose) >= 2
}

impl PrintParts {
    /// The print pages of `hb`, or `None` when it prints from one page.
    pub fn of(hb: &Handbook) -> Option<PrintParts> {
        if !splits(hb) {
            return None;
        }
        let top = &hb.parts[0].entries;
        let taken: Vec<&str> = top
            .iter()
            .map(|e| match *e {
                Entry::Part(p) => hb.parts[p].slug.as_str(),
                Entry::Article(a) => hb.articles[a].slug.as_str(),
            })
            .collect();
        let loose_slug = std::iter::once(LOOSE_SLUG.to_string())
            .chain((2..).map(|n| format!("{LOOSE_SLUG}-{n}")))
            .find(|s| !taken.contains(&s.as_str()))
            .unwrap_or_default();
        let mut pages: Vec<PrintPart> = Vec::new();
        let mut by_slug = HashMap::new();
        let mut loose_page = None;
        for (entry, slug) in top.iter().zip(&taken) {
            let page = match *entry {
                Entry::Part(p) => {
                    pages.push(PrintPart {
                        url: format!("{}{}/", PRINT_URL, slug),
                        part: Some(p),
                        articles: 0,
                    });
                    pages.len() - 1
                }
                Entry::Article(_) => *loose_page.get_or_insert_with(|| {
                    pages.push(PrintPart {
                        url: format!("{}{loose_slug}/", PRINT_URL),
                        part: None,
                        articles: 0,
                    });
                    pages.len() - 1
                }),
            };
            by_slug.insert((*slug).to_string(), page);
        }
        let by_part: Vec<Option<usize>> = (0..hb.parts.len())
            .map(|p| match top_level(hb, p) {
                0 => loose_page,
                top => by_slug.get(&hb.parts[top].slug).copied(),
            })
            .collect();
        for a in &hb.articles {
            let page = by_part.get(a.part).copied().flatten();
            if let Some(page) = page.and_then(|p| pages.get_mut(p)) {
                page.articles += 1;
            }
        }
        Some(PrintParts {
            pages,
            by_slug,
            by_part,
        })
    }

    /// The print page holding the page whose address starts with the
    /// folder `top` (`""`: the home page).
    pub fn holder(&self, top: &str) -> Holder {
        if top.is_empty() {
            return Holder::Listing;
        }
        match self.by_slug.get(top) {
            Some(&page) => Holder::Page(page),
            None => Holder::Unknown,
        }
    }

    /// The print page holding part `p`'s articles (`0`: the articles
    /// outside parts).
    pub fn page_of_part(&self, p: PartId) -> Option<usize> {
        self.by_part.get(p).copied().flatten()
    }
}

/// The top-level part `p` is in (itself for a top-level part, `0` for home).
fn top_level(hb: &Handbook, mut p: PartId) -> PartId {
    while let Some(parent) = hb.parts.get(p).and_then(|part| part.parent) {
        if parent == 0 {
            return p;
        }
        p = parent;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{LoadOptions, Site};
    use std::path::Path;

    fn written(name: &str, split_above: usize, files: &[&str]) -> Handbook {
        let root = std::env::temp_dir().join(format!("trellis-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for path in files {
            let path = root.join("content").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "---\ntitle: T\nsummary: S.\n---\n\nText.\n").unwrap();
        }
        std::fs::write(
            root.join("handbook.yaml"),
            format!("title: Generated\nprint: {{ split_above: {split_above} }}\n"),
        )
        .unwrap();
        let site = Site::load(&LoadOptions {
            root: root.clone(),
            drafts: false,
            ..Default::default()
        })
        .unwrap_or_else(|d| panic!("{name}: {:?}", d.0.first()));
        let _ = std::fs::remove_dir_all(&root);
        site.handbook
    }

    #[test]
    fn a_handbook_over_the_limit_prints_a_page_per_top_level_part() {
        let hb = written(
            "print-parts",
            3,
            &[
                "01-first.md",
                "02-one/01-a.md",
                "02-one/02-sub/01-b.md",
                "03-articles/01-c.md",
                "04-last.md",
            ],
        );
        let parts = PrintParts::of(&hb).unwrap();
        let urls: Vec<_> = parts.pages.iter().map(|p| p.url.as_str()).collect();
        // "articles" is a part's: the loose articles' page takes the next name.
        assert_eq!(urls, ["print/articles-2/", "print/one/", "print/articles/"]);
        let counts: Vec<_> = parts.pages.iter().map(|p| p.articles).collect();
        assert_eq!(counts, [2, 2, 1]);
        assert_eq!(parts.holder(""), Holder::Listing);
        assert_eq!(parts.holder("first"), Holder::Page(0));
        assert_eq!(parts.holder("last"), Holder::Page(0));
        assert_eq!(parts.holder("one"), Holder::Page(1));
        assert_eq!(parts.holder("glossary"), Holder::Unknown);
        let sub = hb.parts.iter().position(|p| p.slug == "sub").unwrap();
        assert_eq!(parts.page_of_part(sub), Some(1));
        assert_eq!(parts.page_of_part(0), Some(0));
    }

    #[test]
    fn a_handbook_at_the_limit_or_of_one_part_prints_one_page() {
        let files = ["01-one/01-a.md", "02-two/01-b.md"];
        assert!(PrintParts::of(&written("print-at-limit", 2, &files)).is_none());
        assert!(PrintParts::of(&written("print-over-limit", 1, &files)).is_some());
        let one_part = ["01-one/01-a.md", "01-one/02-b.md"];
        assert!(PrintParts::of(&written("print-one-part", 0, &one_part)).is_none());
        let bundled = Site::load(&LoadOptions {
            root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
            drafts: false,
            ..Default::default()
        })
        .unwrap();
        assert!(!splits(&bundled.handbook));
    }
}
