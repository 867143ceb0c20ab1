//! The handbook as data: parts, articles and the files around them.
//!
//! Nothing here knows about HTML or templates; rendering reads this model.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::translations::{Localized, Translation};
use crate::config::Config;
use crate::frontmatter::ArticleMeta;

/// Index of a part in [`Handbook::parts`]. Part 0 is the home page (the content folder itself).
pub type PartId = usize;
/// Index of an article in [`Handbook::articles`].
pub type ArticleId = usize;

/// A loaded handbook: configuration and content, not yet rendered.
#[derive(Debug, Clone)]
pub struct Handbook {
    /// The folder holding `handbook.yaml`.
    pub root: PathBuf,
    /// `root/content`.
    pub content_dir: PathBuf,
    /// `handbook.yaml`.
    pub config: Config,
    /// Every part; `parts[0]` is the content folder (home page).
    pub parts: Vec<Part>,
    /// Every article, in reading order (depth first through the parts).
    pub articles: Vec<Article>,
    /// Files copied beside the pages (images, PDFs …).
    pub assets: Vec<Asset>,
    /// Every `*.quiz.yaml` under content.
    pub quiz_files: Vec<PathBuf>,
    /// Markdown files that could not be read or parsed (already reported);
    /// links to them are not reported again.
    pub broken_files: Vec<PathBuf>,
    /// The pages translated into each language of `languages:`, by language.
    pub translations: BTreeMap<String, Translation>,
    /// Set when this is the handbook seen in a further language
    /// ([`Handbook::localized`]): what it keeps of the default language.
    pub localized: Option<Localized>,
}

/// A folder of articles (and maybe of other parts).
#[derive(Debug, Clone)]
pub struct Part {
    /// From `_index.md`'s `title`, else from the folder name.
    pub title: String,
    /// From `_index.md`'s `summary`.
    pub summary: Option<String>,
    /// The URL segment.
    pub slug: String,
    /// Site-relative folder of the part's page: `""` for home, `"foundations/"`, `"foundations/sub/"`.
    pub url: String,
    /// The part's folder.
    pub dir: PathBuf,
    /// Its `_index.md`, if any.
    pub index_file: Option<PathBuf>,
    /// The markdown after `_index.md`'s front matter.
    pub intro: String,
    /// Lines before `intro` in `_index.md` (for error positions).
    pub intro_line_offset: usize,
    /// The enclosing part (`None` for home).
    pub parent: Option<PartId>,
    /// Articles and sub-parts in order.
    pub entries: Vec<Entry>,
    /// Depth: 0 for home, 1 for a top-level part.
    pub depth: usize,
}

/// One item in a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// An article.
    Article(ArticleId),
    /// A sub-part.
    Part(PartId),
}

/// One markdown article.
#[derive(Debug, Clone)]
pub struct Article {
    /// Its front matter.
    pub meta: ArticleMeta,
    /// The `.md` file.
    pub source: PathBuf,
    /// The markdown after the front matter.
    pub body: String,
    /// Lines before `body` in the file.
    pub body_line_offset: usize,
    /// The URL segment.
    pub slug: String,
    /// Site-relative folder of its page, e.g. `"foundations/why-trust-matters/"`.
    pub url: String,
    /// The part it belongs to.
    pub part: PartId,
    /// Its quiz (`<stem>.quiz.yaml` beside it), if any.
    pub quiz_file: Option<PathBuf>,
}

/// A file copied as is into the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it is.
    pub source: PathBuf,
    /// Where it goes, relative to the output root.
    pub dest: PathBuf,
}

impl Handbook {
    /// The chain of parts from the top-level part down to `part` (home excluded).
    pub fn part_chain(&self, part: PartId) -> Vec<PartId> {
        let mut chain = Vec::new();
        let mut current = Some(part);
        while let Some(p) = current {
            if p != 0 {
                chain.push(p);
            }
            current = self.parts[p].parent;
        }
        chain.reverse();
        chain
    }

    /// The articles of `part` (not of its sub-parts), in order.
    pub fn part_articles(&self, part: PartId) -> impl Iterator<Item = ArticleId> + '_ {
        self.parts[part].entries.iter().filter_map(|e| match e {
            Entry::Article(a) => Some(*a),
            Entry::Part(_) => None,
        })
    }

    /// The sub-parts of `part`, in order.
    pub fn sub_parts(&self, part: PartId) -> impl Iterator<Item = PartId> + '_ {
        self.parts[part].entries.iter().filter_map(|e| match e {
            Entry::Part(p) => Some(*p),
            Entry::Article(_) => None,
        })
    }
}
