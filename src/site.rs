//! The loaded handbook: [`Site`], what the load stages make and every later
//! stage reads, with the questions pages ask of it (which features it has,
//! an article's quiz, its files copied as they are, its markdown rendered
//! again for the print view or after an edit). [`Site::load`] and
//! [`Site::build`] are the pipeline's (`crate::pipeline`).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;
use serde::Serialize;

use crate::citations::{self, Bibliography, CiteItem};
use crate::content::{Handbook, PartId};
use crate::diagnostic::{Code, Diagnostics};
use crate::glossary::Glossary;
use crate::links::LinkIndex;
use crate::markdown::{self, Citations, CitedWork, RenderContext, Rendered, Terms};
use crate::quiz::load::SiteQuiz;
use crate::theme::Theme;
use crate::theme_strings::Words;

/// How to load a handbook.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The handbook root (the folder with `handbook.yaml`).
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Files already read (by `trellis build`, for its digest), which the
    /// load takes rather than reading them again; none by default.
    pub read_ahead: crate::read_ahead::ReadAhead,
    /// Free each article's markdown as soon as it is rendered, unless its
    /// print view must be rendered from it again or the handbook makes an
    /// e-book (which reads it): `build`, so the sources and the pages'
    /// HTML are never all held at once. `serve` (which renders an edit
    /// again) and `check` (which reads the prose) keep it.
    pub drop_sources: bool,
    /// Work kept by the last build into the same output, and kept for the
    /// next ([`crate::build_cache`]): `build` only; none by default.
    pub cache: crate::build_cache::BuildCache,
}

/// A handbook loaded, checked and with its markdown rendered: ready to build.
pub struct Site {
    /// Config and content.
    pub handbook: Handbook,
    /// Pages and anchors.
    pub links: LinkIndex,
    /// Rendered article bodies, parallel to `handbook.articles`.
    pub articles: Vec<Rendered>,
    /// Rendered part intros, parallel to `handbook.parts` (0 = home).
    pub intros: Vec<Rendered>,
    /// The glossary (empty when the handbook has none).
    pub glossary: Glossary,
    /// The bibliography, when the handbook has `content/references.yaml`.
    pub bibliography: Option<Bibliography>,
    /// The quizzes, article quizzes first in reading order.
    pub quizzes: Vec<SiteQuiz>,
    /// Warnings found while loading (the build still succeeds).
    pub warnings: Diagnostics,
    /// How long each step took.
    pub timings: Vec<(&'static str, Duration)>,
    /// The build cache it was loaded with ([`LoadOptions::cache`]),
    /// through which the search index counts its documents' terms.
    pub cache: crate::build_cache::BuildCache,
    /// The theme's words in the handbook's language, for what Trellis
    /// writes itself (titles, hints, dates).
    pub words: crate::theme_strings::Words,
    /// The e-book, made the first time it is asked for (`Site::ebook`, in
    /// `crate::epub`); emptied when `serve` applies an edit.
    pub(crate) ebook: std::sync::OnceLock<Result<Ebook, Diagnostics>>,
    /// Whether [`Site::take_article_html`] has taken the articles' HTML.
    pub(crate) html_taken: bool,
}

/// The handbook as one EPUB book, as `build` puts it in the site (with
/// `epub: true` in `handbook.yaml`); `crate::epub` makes it.
#[derive(Debug, Clone)]
pub struct Ebook {
    /// Its file name at the site's root (`epub::file_name`).
    pub file_name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Which optional parts the site has, for templates.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Features {
    /// There is a glossary page.
    pub glossary: bool,
    /// There are quiz pages.
    pub quizzes: bool,
    /// There is a search page.
    pub search: bool,
    /// The print view is one page per part, listed at `/print/`
    /// ([`crate::print_parts`]).
    pub print_parts: bool,
}

/// Where a static file's bytes come from (see [`Site::static_files`]).
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// Bytes in memory (a bundled theme's file).
    Bytes(Vec<u8>),
    /// A file to copy.
    File(PathBuf),
}

impl Site {
    /// For `build`, once the site is loaded: drops the articles' markdown,
    /// which no page reads again, so it is not held beside the rendered
    /// pages (at 10,000 articles, 80 to 140 MB). The e-book, which reads
    /// it, is made first; an article whose print view must be rendered
    /// again from its markdown ([`Rendered::needs_source`]) keeps it.
    /// `serve`, which renders again after an edit, keeps every source.
    pub fn drop_sources(&mut self) {
        let _ = self.ebook();
        for (article, rendered) in self.handbook.articles.iter_mut().zip(&self.articles) {
            if !rendered.needs_source() {
                article.body = String::new();
            }
        }
    }

    /// For `build`, once every page and print page is made: the articles'
    /// HTML, taken out of the site for the search index, which frees it a
    /// batch of articles at a time as it makes their documents (at 10,000
    /// articles, 90 to 150 MB no longer held beside the index). The print
    /// splices, which only the print pages read, go too. The site's
    /// articles have no HTML after this: pages made from it would be empty.
    pub fn take_article_html(&mut self) -> Vec<String> {
        self.html_taken = true;
        self.articles
            .iter_mut()
            .map(|r| {
                r.print = Default::default();
                std::mem::take(&mut r.html)
            })
            .collect()
    }

    /// Every file copied into the site as it is, by its path in the site:
    /// the theme's assets under `static/`, the handbook's `static/` at the
    /// root, content assets beside their pages. When two claim one path the
    /// later in that order wins.
    pub fn static_files(&self, theme: &Theme) -> std::io::Result<BTreeMap<PathBuf, StaticSource>> {
        let root = &self.handbook.root;
        let mut files = BTreeMap::new();
        for f in theme.files("static")? {
            files.insert(
                Path::new("static").join(&f.rel),
                StaticSource::Bytes(f.bytes),
            );
        }
        let own = root.join("static");
        if own.is_dir() {
            for entry in walkdir::WalkDir::new(&own).follow_links(true) {
                let entry = entry.map_err(std::io::Error::other)?;
                if entry.file_type().is_file() {
                    let rel = entry.path().strip_prefix(&own).unwrap_or(entry.path());
                    files.insert(
                        rel.to_path_buf(),
                        StaticSource::File(entry.path().to_path_buf()),
                    );
                }
            }
        }
        for a in &self.handbook.assets {
            files.insert(a.dest.clone(), StaticSource::File(a.source.clone()));
        }
        Ok(files)
    }

    /// Articles' and part intros' HTML for the one-page print view, where
    /// every link to a page becomes a link within that page: the page HTML
    /// with its print splices applied (no second markdown pass).
    pub fn render_for_print(&self) -> (Vec<String>, Vec<String>) {
        let articles = (0..self.articles.len())
            .into_par_iter()
            .map(|a| self.render_one_for_print(Source::Article(a)))
            .collect();
        let intros = (0..self.intros.len())
            .map(|p| self.render_one_for_print(Source::Intro(p)))
            .collect();
        (articles, intros)
    }

    /// One article's body or part's intro for the print view (as
    /// [`Site::render_for_print`] does for all of them). From the page
    /// render's splices; rendered again in print mode only in the rare case
    /// they cannot be used (see [`markdown::PrintSplices`]).
    pub fn render_one_for_print(&self, source: Source) -> String {
        let page = match source {
            Source::Article(a) => self.articles.get(a),
            Source::Intro(p) => self.intros.get(p),
        };
        match page.and_then(Rendered::print_html) {
            Some(html) => html,
            None => self.render_one_in_print_mode(source).html,
        }
    }

    /// One article's body or part's intro rendered in print mode: what the
    /// print page's splices must equal, and their fallback.
    pub(crate) fn render_one_in_print_mode(&self, source: Source) -> Rendered {
        self.markdown().render(source, true)
    }

    /// One article's body or part's intro rendered again for its own page,
    /// as [`Site::load`] rendered it (`trellis serve` uses this after an edit).
    pub fn render_one(&self, source: Source) -> Rendered {
        self.markdown().render(source, false)
    }

    /// What rendering this site's markdown needs.
    fn markdown(&self) -> PageMarkdown<'_> {
        PageMarkdown {
            hb: &self.handbook,
            links: &self.links,
            glossary: &self.glossary,
            bibliography: self.bibliography.as_ref(),
            words: &self.words,
        }
    }

    /// Which optional pages exist.
    pub fn features(&self) -> Features {
        Features {
            glossary: !self.glossary.is_empty(),
            quizzes: !self.quizzes.is_empty(),
            search: true,
            print_parts: crate::print_parts::splits(&self.handbook),
        }
    }

    /// Site-relative folder of article `a`'s quiz page, if it has one.
    pub fn article_quiz_url(&self, a: usize) -> Option<String> {
        // Article quizzes come first, in article order: a binary search,
        // not a scan (every article page asks, so a scan grew with the
        // square of the handbook).
        let at = self
            .quizzes
            .partition_point(|q| q.article.is_some_and(|b| b < a));
        self.quizzes
            .get(at)
            .filter(|q| q.article == Some(a))
            .map(|q| q.url.clone())
    }
}

/// Whose markdown: an article's body or a part's intro (0 = home).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Article `a`.
    Article(usize),
    /// The intro of part `p` (`_index.md`); empty when the part has none.
    Intro(PartId),
}

/// What rendering a page's markdown needs: the handbook, its pages'
/// addresses, its glossary, references and the theme's words.
pub(crate) struct PageMarkdown<'a> {
    /// The handbook.
    pub hb: &'a Handbook,
    /// Every page's address, for links.
    pub links: &'a LinkIndex,
    /// The glossary (`[[terms]]`, autolinks).
    pub glossary: &'a Glossary,
    /// The references (`[@key]`), when there are any.
    pub bibliography: Option<&'a Bibliography>,
    /// The theme's words in the page's language (callouts, task lists).
    pub words: &'a Words,
}

impl PageMarkdown<'_> {
    /// An article's body or a part's intro as HTML (`print`: for the
    /// one-page print view), with its problems.
    pub(crate) fn render(&self, source: Source, print: bool) -> Rendered {
        let body = match source {
            Source::Article(a) => &self.hb.articles[a].body,
            Source::Intro(p) => &self.hb.parts[p].intro,
        };
        self.render_text(source, body, print)
    }

    /// [`PageMarkdown::render`] of `body`, the markdown of `source` held
    /// apart from the handbook (see [`LoadOptions::drop_sources`]).
    pub(crate) fn render_text(&self, source: Source, body: &str, print: bool) -> Rendered {
        let (file, offset, url) = match source {
            Source::Article(a) => {
                let a = &self.hb.articles[a];
                (&a.source, a.body_line_offset, &a.url)
            }
            Source::Intro(p) => {
                let p = &self.hb.parts[p];
                match &p.index_file {
                    Some(f) => (f, p.intro_line_offset, &p.url),
                    None => return Rendered::default(),
                }
            }
        };
        let ctx = RenderContext {
            file,
            line_offset: offset,
            page_url: url,
            links: self.links,
            terms: if self.glossary.is_empty() {
                None
            } else {
                Some(self.glossary as &dyn Terms)
            },
            autolink: self.hb.config.glossary.autolink,
            glossary_url: "glossary/",
            citations: self.bibliography.map(|b| b as &dyn Citations),
            words: self.words,
            print,
        };
        let mut rendered = markdown::render(body, &ctx);
        // In a further language, a page not yet translated shows its
        // source, whose terms that language's glossary need not know: they
        // are plain text there, not errors.
        let untranslated = self.hb.localized.as_ref().is_some_and(|l| match source {
            Source::Article(a) => l.untranslated.contains(&a),
            Source::Intro(p) => l.untranslated_intros.contains(&p),
        });
        if untranslated {
            rendered.diagnostics.retain(|d| d.code != Code::UnknownTerm);
        }
        rendered
    }
}

impl Citations for Bibliography {
    fn find(&self, text: &str) -> Vec<(Range<usize>, Vec<CitedWork>)> {
        citations::find_citations(text)
            .into_iter()
            .map(|span| {
                let works = span
                    .items
                    .into_iter()
                    .map(|i| CitedWork {
                        key: i.key,
                        locator: i.locator,
                    })
                    .collect();
                (span.range, works)
            })
            .collect()
    }
    fn contains(&self, key: &str) -> bool {
        Bibliography::contains(self, key)
    }
    fn nearest(&self, key: &str) -> Option<String> {
        crate::suggest::did_you_mean(key, self.keys()).map(str::to_string)
    }
    fn format(&self, cited: &[Vec<CitedWork>]) -> (Vec<String>, String) {
        let items: Vec<Vec<CiteItem>> = cited
            .iter()
            .map(|c| {
                c.iter()
                    .map(|w| CiteItem {
                        key: w.key.clone(),
                        locator: w.locator.clone(),
                    })
                    .collect()
            })
            .collect();
        let rendered = self.render_article(&items);
        let list: String = rendered
            .references
            .iter()
            .map(|r| r.html.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        (rendered.in_text, list)
    }
}

impl Terms for Glossary {
    fn lookup(&self, name: &str) -> Option<usize> {
        Glossary::lookup(self, name)
    }
    fn nearest(&self, name: &str, limit: usize) -> Vec<String> {
        Glossary::nearest(self, name, limit)
            .into_iter()
            .map(str::to_string)
            .collect()
    }
    fn find(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        self.find_matches(text)
            .into_iter()
            .map(|m| (m.start..m.end, m.term))
            .collect()
    }
    fn slug(&self, term: usize) -> &str {
        &self.terms[term].slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_sources_keeps_those_the_print_view_renders_again() {
        let root =
            std::env::temp_dir().join(format!("trellis-drop-sources-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("handbook.yaml"), "title: T\n").unwrap();
        std::fs::write(
            root.join("content/glossary.yaml"),
            "- term: Session\n  definition: A meeting with a therapist.\n",
        )
        .unwrap();
        std::fs::write(
            root.join("content/01-plain.md"),
            "---\ntitle: Plain\nsummary: S.\n---\n\nA [[Session]] is fifty minutes.\n",
        )
        .unwrap();
        // A footnote inside a term's link: the print view cannot be spliced.
        std::fs::write(
            root.join("content/02-notes.md"),
            "---\ntitle: Notes\nsummary: S.\n---\n\nThe [[Session|the session [^n] here]] runs long.\n\n[^n]: By agreement.\n",
        )
        .unwrap();
        let mut site = Site::load(&LoadOptions {
            root: root.clone(),
            drafts: false,
            ..Default::default()
        })
        .unwrap();
        let titles: Vec<&str> = site
            .handbook
            .articles
            .iter()
            .map(|a| a.meta.title.as_str())
            .collect();
        assert_eq!(titles, ["Plain", "Notes"]);
        assert!(site.articles[0].print_pieces().is_some());
        assert!(site.articles[1].print_pieces().is_none());
        site.drop_sources();
        assert_eq!(site.handbook.articles[0].body, "");
        assert!(site.handbook.articles[1]
            .body
            .contains("[^n]: By agreement."));
        // Freed as each is rendered: the same pages, the same sources kept.
        let freed = Site::load(&LoadOptions {
            root: root.clone(),
            drop_sources: true,
            ..Default::default()
        })
        .unwrap();
        let bodies: Vec<&str> = freed
            .handbook
            .articles
            .iter()
            .map(|a| a.body.as_str())
            .collect();
        assert_eq!(bodies, ["", site.handbook.articles[1].body.as_str()]);
        for (freed, kept) in freed.articles.iter().zip(&site.articles) {
            assert_eq!(freed.html, kept.html);
        }
        assert_eq!(
            freed.render_one_for_print(Source::Article(1)),
            site.render_one_for_print(Source::Article(1)),
            "the print view rendered again from the kept source"
        );
        assert!(freed
            .render_one_for_print(Source::Article(1))
            .contains("By agreement."));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
