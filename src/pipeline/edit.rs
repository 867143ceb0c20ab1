//! One saved article applied to a loaded [`Site`] without loading the
//! handbook again: what `trellis serve` does on the most common change, so
//! that the page being written reloads in milliseconds however large the
//! handbook is.
//!
//! Only an edit that cannot change any other page's navigation or any
//! link's validity is applied here: the article's front matter is the same
//! as before (title, order, slug, draft … feed every page's navigation) and
//! its headings keep every anchor they had (links elsewhere may point at
//! them; new anchors break nothing, as the last build had no broken link).
//! Everything else, and any edit that brings an error, returns `None`, and
//! the caller loads the whole handbook as a build does, which reports the
//! error at its line.
//!
//! The site may be the handbook in a further language: there the article's
//! file is its translation (`x.es.md`), or its source when it has none, a
//! saved source then changing that language's page too.
//!
//! It is the load stages run again on that one article: its file read as
//! `discover` reads it, its markdown rendered as `resolve` renders it
//! ([`Site::render_one`]) and its anchors checked against the link index.
//! Its page is then made by the same producer as every page
//! ([`super::produce::Selection::Articles`]).

use std::path::Path;

use super::load::unused_term_warnings;
use crate::content::discover::reread_article;
use crate::content::translations::article_text_digest;
use crate::content::ArticleId;
use crate::diagnostic::Diagnostic;
use crate::frontmatter::ArticleMeta;
use crate::site::{Site, Source};

/// A saved article's file, read once (as `discover` reads it) for every
/// language that shows it.
#[derive(Debug, Clone)]
pub struct SavedArticle {
    meta: ArticleMeta,
    body: String,
    line_offset: usize,
}

impl SavedArticle {
    /// The article file at `path` as it is now; `None` when it is no longer
    /// a valid article (a full load then says why).
    pub fn read(path: &Path) -> Option<SavedArticle> {
        let (meta, body, line_offset) = reread_article(path)?;
        Some(SavedArticle {
            meta,
            body,
            line_offset,
        })
    }
}

/// What applying one article's edit changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleEdit {
    /// The article.
    pub article: ArticleId,
    /// Its body differs from the one loaded before (otherwise nothing changed).
    pub body_changed: bool,
    /// The set of glossary terms it links changed, so the glossary's
    /// "used in" lists (and the unused-term warnings) change too.
    pub terms_changed: bool,
}

impl Site {
    /// In a further language's site, once article `a`'s source was saved
    /// as `saved`: whether its translation is outdated now (the digest it
    /// records is not the saved source's), kept in
    /// [`crate::content::translations::Localized::outdated`]. True when that changed, so
    /// the translation's page and e-book chapter, which say it, must be
    /// made again (the e-book is made anew when next asked for).
    pub fn source_saved(&mut self, a: ArticleId, saved: &SavedArticle) -> bool {
        let hb = &mut self.handbook;
        let Some(localized) = hb.localized.as_mut() else {
            return false;
        };
        let record = hb.articles.get(a).and_then(|t| t.meta.translation.as_ref());
        let Some(record) = record.filter(|_| !localized.untranslated.contains(&a)) else {
            return false;
        };
        let outdated = record.source_digest != article_text_digest(&saved.meta, &saved.body);
        if outdated == localized.outdated.contains(&a) {
            return false;
        }
        if outdated {
            localized.outdated.insert(a);
        } else {
            localized.outdated.remove(&a);
        }
        self.ebook = std::sync::OnceLock::new();
        true
    }

    /// The article the file at `source` shows in this site's language: a
    /// source (in a further language, when it has no translation there)
    /// or a translation (in its language).
    pub fn article_at(&self, source: &Path) -> Option<ArticleId> {
        self.handbook
            .articles
            .iter()
            .position(|a| a.source == source)
    }

    /// Applies `saved`, the file of article `a` ([`Site::article_at`]), if
    /// the edit is one that only its own page, the print page, the search
    /// index and the glossary's backlinks can show. `None` leaves the site
    /// as it was.
    pub fn apply_article_edit(
        &mut self,
        a: ArticleId,
        saved: &SavedArticle,
    ) -> Option<ArticleEdit> {
        let old = self.handbook.articles.get(a)?;
        if saved.meta != old.meta {
            return None;
        }
        let (body, line_offset) = (&saved.body, saved.line_offset);
        if *body == old.body && line_offset == old.body_line_offset {
            return Some(ArticleEdit {
                article: a,
                body_changed: false,
                terms_changed: false,
            });
        }
        let art = &mut self.handbook.articles[a];
        let old_body = std::mem::replace(&mut art.body, body.clone());
        let old_offset = std::mem::replace(&mut art.body_line_offset, line_offset);
        let url = art.url.clone();
        let rendered = self.render_one(Source::Article(a));
        let ids: Vec<String> = rendered.heading_ids().collect();
        let mut applied = false;
        if self.links.anchors_kept_by(&url, &ids)
            && !rendered.diagnostics.iter().any(Diagnostic::is_error)
        {
            // Its own `#links` are checked against its new headings.
            let old_ids = self.links.replace_anchors(&url, ids);
            applied = self.links.anchor_errors(&rendered.anchors).is_empty();
            if !applied {
                self.links.replace_anchors(&url, old_ids);
            }
        }
        if !applied {
            let art = &mut self.handbook.articles[a];
            art.body = old_body;
            art.body_line_offset = old_offset;
            return None;
        }
        let set = |terms: &[usize]| {
            let mut t = terms.to_vec();
            t.sort_unstable();
            t
        };
        let terms_changed = set(&rendered.terms_used) != set(&self.articles[a].terms_used);
        self.articles[a] = rendered;
        // The e-book holds the article too: made again when next asked for.
        self.ebook = std::sync::OnceLock::new();
        if terms_changed {
            self.warnings = unused_term_warnings(&self.glossary, &self.articles, &self.intros);
        }
        Some(ArticleEdit {
            article: a,
            body_changed: true,
            terms_changed,
        })
    }
}
