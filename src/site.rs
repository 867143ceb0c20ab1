//! The build pipeline, as named steps in one place.
//!
//! [`Site::load`]: load config → discover content → parse (glossary,
//! references) → index pages and anchors → resolve and render markdown
//! (links, glossary terms, citations). [`Site::build`]: render pages through
//! the templates → write them to a staging folder → swap it in.
//! Every step collects all the problems it finds; a step whose input had
//! errors does not run, so one mistake is not reported five times.

use std::collections::BTreeMap;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::citations::{self, Bibliography, CiteItem};
use crate::config::{Config, CONFIG_FILE};
use crate::content::discover::{content_file, GLOSSARY_FILE, REFERENCES_FILE};
use crate::content::{self, DiscoverOptions, Handbook, PartId};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::glossary::Glossary;
use crate::links::LinkIndex;
use crate::markdown::{self, Citations, CitedWork, RenderContext, Rendered, Terms};
use crate::output::{self, Staging};
use crate::quiz::load::SiteQuiz;
use crate::render::{self, Templates};
use crate::text_file;
use crate::theme::Theme;

/// How to load a handbook.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The handbook root (the folder with `handbook.yaml`).
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
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
    /// The e-book, made the first time it is asked for ([`Site::ebook`]);
    /// emptied when `serve` applies an edit.
    pub(crate) ebook: std::sync::OnceLock<Result<crate::epub::Ebook, Diagnostics>>,
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
}

/// Where a static file's bytes come from (see [`Site::static_files`]).
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// Bytes in memory (a bundled theme's file).
    Bytes(Vec<u8>),
    /// A file to copy.
    File(PathBuf),
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Pages and other files written.
    pub files: usize,
    /// Where.
    pub output: PathBuf,
    /// Warnings (build succeeded).
    pub warnings: Diagnostics,
    /// Time per step.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Site {
    /// Loads and checks the handbook at `options.root`.
    pub fn load(options: &LoadOptions) -> Result<Site, Diagnostics> {
        let mut laps = Laps::start();
        let root = options.root.as_path();

        let config = load_config(root)?;
        laps.lap("config");

        // The glossary's matcher takes a while to build, and the glossary
        // and the references need nothing but their files: they are parsed
        // while the content is discovered.
        let style = config.citation_style.clone();
        let (discovered, (glossary, bibliography, parse_took)) = rayon::join(
            || {
                let options = DiscoverOptions {
                    drafts: options.drafts,
                };
                content::discover(root, config, options)
            },
            || {
                let start = Instant::now();
                let glossary = parse_glossary(content_file(root, GLOSSARY_FILE).as_deref());
                let references = content_file(root, REFERENCES_FILE);
                let bibliography = parse_references(references.as_deref(), &style);
                (glossary, bibliography, start.elapsed())
            },
        );
        let (handbook, mut errors) = discovered?;
        laps.lap("discover");
        laps.push("parse", parse_took);

        let mut links = index_links(&handbook);
        laps.lap("index");
        let (quizzes, quiz_errors) = crate::quiz::load::load(&handbook, &links);
        laps.lap("quizzes");
        let (mut glossary_failed, mut references_failed) = (false, false);
        let glossary = glossary.unwrap_or_else(|d| {
            errors.extend(d.into_vec());
            glossary_failed = true;
            Glossary::empty()
        });
        let bibliography = bibliography.unwrap_or_else(|d| {
            errors.extend(d.into_vec());
            references_failed = true;
            None
        });
        errors.extend(quiz_errors);

        let (articles, intros) =
            resolve_markdown(&handbook, &links, &glossary, bibliography.as_ref(), false);
        add_anchors(&mut links, &handbook, &articles, &intros);
        let pending = articles.iter().chain(&intros).flat_map(|r| &r.anchors);
        errors.extend(links.anchor_errors(pending));
        errors.extend(links.anchor_errors(quizzes.iter().flat_map(|q| &q.review_anchors)));
        for d in articles.iter().chain(&intros).flat_map(|r| &r.diagnostics) {
            // When glossary.yaml or references.yaml is broken, its own errors say so;
            // "unknown term" for every use of it would only bury them.
            let cascade = (glossary_failed && d.message.ends_with(markdown::UNKNOWN_TERM))
                || (references_failed && d.message.ends_with(markdown::UNKNOWN_CITATION));
            if !cascade {
                errors.push(d.clone());
            }
        }
        if errors.has_errors() {
            return Err(errors);
        }
        laps.lap("resolve");

        let warnings = unused_term_warnings(&glossary, &articles, &intros);
        Ok(Site {
            handbook,
            links,
            articles,
            intros,
            glossary,
            bibliography,
            quizzes,
            warnings,
            timings: laps.timings,
            ebook: std::sync::OnceLock::new(),
        })
    }

    /// The handbook as an EPUB book, when `handbook.yaml` says `epub: true`
    /// (`build` writes it into the site and the home page links it): made
    /// once, on first use, or the errors that keep it from being made.
    pub fn ebook(&self) -> Option<&Result<crate::epub::Ebook, Diagnostics>> {
        self.handbook
            .config
            .epub
            .then(|| self.ebook.get_or_init(|| crate::epub::Ebook::of(self)))
    }

    /// Renders the site and writes it to `output`, replacing what was there
    /// only when everything succeeded.
    pub fn build(&self, output: &Path) -> Result<BuildReport, Diagnostics> {
        let mut timings = self.timings.clone();
        let start = Instant::now();
        let root = &self.handbook.root;
        if let Err(refusal) = output::check(root, output) {
            let help = refusal.help();
            return Err(Diagnostics(vec![Diagnostic::error(
                output,
                0,
                0,
                refusal.to_string(),
            )
            .with_help(help)]));
        }
        // The e-book's errors (an image without alt text …) before anything is written.
        if let Some(Err(d)) = self.ebook() {
            return Err(d.clone());
        }
        let theme =
            Theme::find(root, &self.handbook.config.theme).map_err(|d| Diagnostics(vec![d]))?;
        let templates = Templates::load(root, &theme).map_err(Diagnostics)?;
        let io_error = |e: std::io::Error, path: &Path| {
            Diagnostics(vec![Diagnostic::error(
                path,
                0,
                0,
                format!("cannot write the site: {e}"),
            )
            .with_help(
                "check that the output folder's parent exists and that you may write there",
            )])
        };
        let staging = Staging::new(output).map_err(|e| io_error(e, output))?;
        // Rendering and writing go together, page by page, to keep memory flat.
        let count = render::write_site(self, &templates, &staging).map_err(Diagnostics)?;
        self.copy_static(&theme, &staging)
            .map_err(|e| io_error(e, output))?;
        timings.push(("render and write", start.elapsed()));
        let start = Instant::now();
        staging.commit().map_err(|e| io_error(e, output))?;
        timings.push(("swap", start.elapsed()));
        Ok(BuildReport {
            files: count,
            output: output.to_path_buf(),
            warnings: self.warnings.clone(),
            timings,
        })
    }

    /// Theme assets to `static/`, the handbook's `static/` to the root, content assets beside their pages.
    fn copy_static(&self, theme: &Theme, staging: &Staging) -> std::io::Result<()> {
        self.static_files(theme)?
            .par_iter()
            .try_for_each(|(rel, source)| match source {
                StaticSource::Bytes(bytes) => staging.write(rel, bytes),
                StaticSource::File(from) => staging.copy(rel, from),
            })
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
        render_page_markdown(
            &self.handbook,
            &self.links,
            &self.glossary,
            self.bibliography.as_ref(),
            true,
            source,
        )
    }

    /// One article's body or part's intro rendered again for its own page,
    /// as [`Site::load`] rendered it (`trellis serve` uses this after an edit).
    pub fn render_one(&self, source: Source) -> Rendered {
        render_page_markdown(
            &self.handbook,
            &self.links,
            &self.glossary,
            self.bibliography.as_ref(),
            false,
            source,
        )
    }

    /// Which optional pages exist.
    pub fn features(&self) -> Features {
        Features {
            glossary: !self.glossary.is_empty(),
            quizzes: !self.quizzes.is_empty(),
            search: true,
        }
    }

    /// The hidden definition tooltips for the terms a page links.
    pub fn tooltips_html(&self, used: &[usize]) -> String {
        self.glossary.tooltips_html(used.iter().copied())
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

    /// Site-relative URLs of pages beyond parts and articles (for the sitemap).
    pub fn extra_urls(&self) -> Vec<String> {
        let mut urls = render::glossary::urls(self);
        urls.extend(render::quiz::urls(self));
        urls.extend(render::worksheets::urls(self));
        urls.extend(render::help::urls(self));
        urls
    }
}

/// The time each step of [`Site::load`] took.
struct Laps {
    step: Instant,
    timings: Vec<(&'static str, Duration)>,
}

impl Laps {
    fn start() -> Laps {
        Laps {
            step: Instant::now(),
            timings: Vec::new(),
        }
    }

    /// Step `name` ended now.
    fn lap(&mut self, name: &'static str) {
        let took = self.restart();
        self.push(name, took);
    }

    /// The time since the last step ended; the next one starts now.
    fn restart(&mut self) -> Duration {
        let took = self.step.elapsed();
        self.step = Instant::now();
        took
    }

    /// A step timed by its caller (steps that run side by side).
    fn push(&mut self, name: &'static str, took: Duration) {
        self.timings.push((name, took));
    }
}

/// A warning for every glossary term that no article or intro uses.
pub(crate) fn unused_term_warnings(
    glossary: &Glossary,
    articles: &[Rendered],
    intros: &[Rendered],
) -> Diagnostics {
    let mut warnings = Diagnostics::new();
    if !glossary.is_empty() {
        let mut used = vec![false; glossary.terms.len()];
        for r in articles.iter().chain(intros) {
            for &t in &r.terms_used {
                used[t] = true;
            }
        }
        warnings.extend(glossary.unused_warnings(&used));
    }
    warnings
}

/// Step 1: `handbook.yaml`.
fn load_config(root: &Path) -> Result<Config, Diagnostics> {
    let file = root.join(CONFIG_FILE);
    let bytes = fs::read(&file).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            &file,
            0,
            0,
            format!("cannot read {CONFIG_FILE}: {e}"),
        )
        .with_help(
            "run Trellis inside a handbook (a folder with handbook.yaml), or pass --root",
        )])
    })?;
    let text = text_file::decode(bytes, &file, text_file::SAVE_AS_UTF8)
        .map_err(|d| Diagnostics(vec![d]))?;
    Config::parse(&text, &file).map_err(Diagnostics)
}

/// Step 3: the glossary (`content/glossary.yaml`), if there is one.
fn parse_glossary(file: Option<&Path>) -> Result<Glossary, Diagnostics> {
    let Some(file) = file else {
        return Ok(Glossary::empty());
    };
    let text = text_file::read(file, "the glossary", text_file::SAVE_AS_UTF8)
        .map_err(|d| Diagnostics(vec![d]))?;
    Glossary::parse(&text, file).map_err(Diagnostics)
}

/// Step 3: the bibliography (`content/references.yaml`), if there is one,
/// in the configured citation style.
fn parse_references(file: Option<&Path>, style: &str) -> Result<Option<Bibliography>, Diagnostics> {
    let Some(file) = file else {
        return Ok(None);
    };
    let text = text_file::read(file, "the references", text_file::SAVE_AS_UTF8)
        .map_err(|d| Diagnostics(vec![d]))?;
    Bibliography::parse(&text, file, style)
        .map(Some)
        .map_err(Diagnostics)
}

/// Step 4: every page's source, so links can be resolved. (Their anchors
/// come with rendering: [`add_anchors`].)
fn index_links(hb: &Handbook) -> LinkIndex {
    let mut links = LinkIndex::default();
    for part in &hb.parts {
        if let Some(index) = &part.index_file {
            links.add_page(index, &part.url);
        }
    }
    for article in &hb.articles {
        links.add_page(&article.source, &article.url);
    }
    for asset in &hb.assets {
        links.add_asset(&asset.source, &asset.dest);
    }
    for broken in &hb.broken_files {
        links.add_broken_page(broken);
    }
    links
}

/// Step 5: render every article and intro, resolving links, terms and citations.
fn resolve_markdown(
    hb: &Handbook,
    links: &LinkIndex,
    glossary: &Glossary,
    bibliography: Option<&Bibliography>,
    print: bool,
) -> (Vec<Rendered>, Vec<Rendered>) {
    let articles: Vec<Rendered> = (0..hb.articles.len())
        .into_par_iter()
        .with_max_len(crate::PAR_LEAF)
        .map(|a| render_page_markdown(hb, links, glossary, bibliography, print, Source::Article(a)))
        .collect();
    let intros: Vec<Rendered> = (0..hb.parts.len())
        .map(|p| render_page_markdown(hb, links, glossary, bibliography, print, Source::Intro(p)))
        .collect();
    (articles, intros)
}

/// Step 5, its end: every page's heading ids, as rendering gave them, so that links'
/// `#fragment`s can be checked.
fn add_anchors(links: &mut LinkIndex, hb: &Handbook, articles: &[Rendered], intros: &[Rendered]) {
    let pages = hb.articles.iter().map(|a| &a.url).zip(articles);
    for (url, rendered) in pages.chain(hb.parts.iter().map(|p| &p.url).zip(intros)) {
        links.add_anchors(url, rendered.heading_ids());
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

/// One article's or intro's markdown rendered, for its own page or (`print`)
/// for the one-page print view.
fn render_page_markdown(
    hb: &Handbook,
    links: &LinkIndex,
    glossary: &Glossary,
    bibliography: Option<&Bibliography>,
    print: bool,
    source: Source,
) -> Rendered {
    let (file, body, offset, url) = match source {
        Source::Article(a) => {
            let a = &hb.articles[a];
            (&a.source, &a.body, a.body_line_offset, &a.url)
        }
        Source::Intro(p) => {
            let p = &hb.parts[p];
            match &p.index_file {
                Some(f) => (f, &p.intro, p.intro_line_offset, &p.url),
                None => return Rendered::default(),
            }
        }
    };
    let ctx = RenderContext {
        file,
        line_offset: offset,
        page_url: url,
        links,
        terms: if glossary.is_empty() {
            None
        } else {
            Some(glossary as &dyn Terms)
        },
        autolink: hb.config.glossary.autolink,
        glossary_url: "glossary/",
        citations: bibliography.map(|b| b as &dyn Citations),
        print,
    };
    markdown::render(body, &ctx)
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
