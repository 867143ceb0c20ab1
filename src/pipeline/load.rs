//! The load stages: a handbook folder read, checked and its markdown
//! rendered, as a [`Site`].
//!
//! [`load`] runs them in order, each a named function taking what the one
//! before made and returning what it makes with the problems it found:
//! [`config`] → [`discover`] (beside it [`parse`]: glossary and references)
//! → [`index`] → [`quizzes`] → [`resolve`]. A stage whose input had errors
//! does not run, so one mistake is not reported five times; what the
//! stages could read comes back with the problems ([`Loaded::Failed`]), for
//! `trellis check` to look at it still.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build_cache::rendered::CachedRender;
use crate::build_cache::BuildCache;
use crate::citations::Bibliography;
use crate::config::{Config, CONFIG_FILE};
use crate::content::discover::{content_file, GLOSSARY_FILE, REFERENCES_FILE};
use crate::content::{self, DiscoverOptions, Handbook};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::glossary::Glossary;
use crate::links::LinkIndex;
use crate::markdown::Rendered;
use crate::quiz::load::SiteQuiz;
use crate::read_ahead::ReadAhead;
use crate::site::{LoadOptions, PageMarkdown, Site, Source};
use crate::text_file;
use crate::theme_strings::Words;

/// What [`load`] made of a handbook.
pub enum Loaded {
    /// Every stage ran without an error.
    Site(Box<Site>),
    /// A stage found errors.
    Failed {
        /// The handbook as far as [`discover`] read it: `None` when
        /// `handbook.yaml` or `content/` could not be read.
        handbook: Option<Box<Handbook>>,
        /// Every problem the stages found.
        problems: Diagnostics,
    },
}

impl Loaded {
    /// The site, or the problems that kept it from loading.
    pub fn into_result(self) -> Result<Site, Diagnostics> {
        match self {
            Loaded::Site(site) => Ok(*site),
            Loaded::Failed { problems, .. } => Err(problems),
        }
    }
}

impl Site {
    /// Loads and checks the handbook at `options.root`: every stage of [`load`].
    pub fn load(options: &LoadOptions) -> Result<Site, Diagnostics> {
        load(options).into_result()
    }
}

/// Runs the load stages on the handbook at `options.root`.
pub fn load(options: &LoadOptions) -> Loaded {
    load_in(options, None)
}

/// The site in each further language of `site`'s handbook (`languages:`),
/// or every problem their pages have.
pub fn languages(options: &LoadOptions, site: &Site) -> Result<Vec<Site>, Diagnostics> {
    let mut sites = Vec::new();
    let mut problems = Diagnostics::new();
    for language in site.handbook.config.languages.keys() {
        match load_in(options, Some(language)).into_result() {
            Ok(site) => sites.push(site),
            Err(d) => problems.extend(d.into_vec()),
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(sites)
    }
}

/// Runs the load stages on the handbook at `options.root` as a reader of
/// `language` (one of `languages:`) sees it: after [`discover`], the
/// handbook is the [localized](Handbook::localized) one, the glossary
/// `glossary.<language>.yaml` when there is one, and a page not yet
/// translated keeps its text, a glossary term of which the language's
/// glossary lacks being plain text there.
pub fn load_in(options: &LoadOptions, language: Option<&str>) -> Loaded {
    let failed = |handbook: Option<Handbook>, problems| Loaded::Failed {
        handbook: handbook.map(Box::new),
        problems,
    };
    let mut laps = Laps::start();
    let root = options.root.as_path();

    let config = match config(root) {
        Ok(config) => config,
        Err(problems) => return failed(None, problems),
    };
    laps.lap("config");

    // The glossary's matcher takes a while to build, and the glossary and
    // the references need nothing but their files: they are parsed while
    // the content is discovered.
    let style = config.citation_style.clone();
    let glossary_file = glossary_file(root, language);
    let (discovered, parsed) = rayon::join(
        || discover(root, config, options),
        || parse(root, &style, glossary_file.as_deref()),
    );
    let (mut handbook, mut errors) = match discovered {
        Ok(discovered) => discovered,
        Err(problems) => return failed(None, problems),
    };
    if let Some(language) = language {
        handbook = handbook.localized(language);
    }
    laps.lap("discover");
    laps.push("parse", parsed.took);
    let words = Words::for_handbook(&handbook);

    let mut links = index(&handbook);
    laps.lap("index");
    let (quizzes, quiz_errors) = quizzes(&handbook, &links, &words, &options.read_ahead);
    laps.lap("quizzes");
    let parsed = parsed.checked(&mut errors);
    errors.extend(quiz_errors);

    let sources = if options.drop_sources && !handbook.config.epub {
        Sources::Free
    } else {
        Sources::Keep
    };
    let resolved = resolve(
        &mut handbook,
        &parsed,
        &mut links,
        &quizzes,
        &words,
        Rendering {
            sources,
            cache: &options.cache,
        },
    );
    errors.extend(resolved.problems.into_vec());
    if errors.has_errors() {
        return failed(Some(handbook), errors);
    }
    laps.lap("resolve");

    let warnings = unused_term_warnings(&parsed.glossary, &resolved.articles, &resolved.intros);
    Loaded::Site(Box::new(Site {
        handbook,
        links,
        articles: resolved.articles,
        intros: resolved.intros,
        glossary: parsed.glossary,
        bibliography: parsed.bibliography,
        quizzes,
        warnings,
        timings: laps.timings,
        cache: options.cache.clone(),
        words,
        ebook: std::sync::OnceLock::new(),
        html_taken: false,
    }))
}

/// Stage 1: `handbook.yaml`.
pub fn config(root: &Path) -> Result<Config, Diagnostics> {
    let file = root.join(CONFIG_FILE);
    let bytes = fs::read(&file).map_err(|e| {
        Diagnostics(vec![Code::ReadFailed
            .error(&file, 0, 0, format!("cannot read {CONFIG_FILE}: {e}"))
            .with_help(
                "run Trellis inside a handbook (a folder with handbook.yaml), or pass --root",
            )])
    })?;
    let text = text_file::decode(bytes, &file, text_file::SAVE_AS_UTF8)
        .map_err(|d| Diagnostics(vec![d]))?;
    Config::parse(&text, &file).map_err(Diagnostics)
}

/// Stage 2: `content/` read into parts, articles, assets and quiz files,
/// with the problems found in them (an `Err` when there is no content to
/// go on with).
pub fn discover(
    root: &Path,
    config: Config,
    options: &LoadOptions,
) -> Result<(Handbook, Diagnostics), Diagnostics> {
    let options = DiscoverOptions {
        drafts: options.drafts,
        read_ahead: options.read_ahead.clone(),
    };
    content::discover(root, config, options)
}

/// What [`parse`] read: the glossary and the references, each or its errors.
pub struct Parsed {
    glossary: Result<Glossary, Diagnostics>,
    bibliography: Result<Option<Bibliography>, Diagnostics>,
    took: Duration,
}

/// [`Parsed`] with its errors taken out: what a broken file leaves is empty.
pub struct Checked {
    /// The glossary (empty when there is none, or it is broken).
    pub glossary: Glossary,
    /// The references, when there are any and they could be read.
    pub bibliography: Option<Bibliography>,
    /// `glossary.yaml` had errors.
    pub glossary_failed: bool,
    /// `references.yaml` had errors.
    pub references_failed: bool,
}

impl Parsed {
    /// The parsed files, their errors moved to `errors`.
    fn checked(self, errors: &mut Diagnostics) -> Checked {
        let (mut glossary_failed, mut references_failed) = (false, false);
        let glossary = self.glossary.unwrap_or_else(|d| {
            errors.extend(d.into_vec());
            glossary_failed = true;
            Glossary::empty()
        });
        let bibliography = self.bibliography.unwrap_or_else(|d| {
            errors.extend(d.into_vec());
            references_failed = true;
            None
        });
        Checked {
            glossary,
            bibliography,
            glossary_failed,
            references_failed,
        }
    }
}

/// Stage 3, beside stage 2: the glossary (`content/glossary.yaml`) and the
/// bibliography (`content/references.yaml`, in the citation `style`), each
/// when there is one.
pub fn parse(root: &Path, style: &str, glossary: Option<&Path>) -> Parsed {
    let start = Instant::now();
    let glossary = parse_glossary(glossary);
    let references = content_file(root, REFERENCES_FILE);
    let bibliography = parse_references(references.as_deref(), style);
    Parsed {
        glossary,
        bibliography,
        took: start.elapsed(),
    }
}

/// The glossary file for `language`: its own (`glossary.<language>.yaml`)
/// when there is one, else the handbook's.
fn glossary_file(root: &Path, language: Option<&str>) -> Option<std::path::PathBuf> {
    let own = language.and_then(|l| content_file(root, &format!("glossary.{l}.yaml")));
    own.or_else(|| content_file(root, GLOSSARY_FILE))
}

/// The glossary, if there is one.
fn parse_glossary(file: Option<&Path>) -> Result<Glossary, Diagnostics> {
    let Some(file) = file else {
        return Ok(Glossary::empty());
    };
    let text = text_file::read(file, "the glossary", text_file::SAVE_AS_UTF8)
        .map_err(|d| Diagnostics(vec![d]))?;
    Glossary::parse(&text, file).map_err(Diagnostics)
}

/// The bibliography, if there is one, in the configured citation style.
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

/// Stage 4: every page's source, so links can be resolved. (Their anchors
/// come with rendering, in [`resolve`].)
pub fn index(hb: &Handbook) -> LinkIndex {
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
    // Seen in a further language, a link written to a translated page's
    // source reaches the translation.
    if let Some(localized) = &hb.localized {
        let urls: std::collections::HashMap<&Path, &str> = hb
            .articles
            .iter()
            .map(|a| (a.source.as_path(), a.url.as_str()))
            .chain(
                hb.parts
                    .iter()
                    .filter_map(|p| Some((p.index_file.as_deref()?, p.url.as_str()))),
            )
            .collect();
        for (translation, source) in &localized.sources {
            if let Some(url) = urls.get(translation.as_path()) {
                links.add_page(source, url);
            }
        }
    }
    links
}

/// Stage 5: the quiz files read and checked, their `review:` links resolved
/// against the index (their `#fragment`s are checked in [`resolve`]).
pub fn quizzes(
    hb: &Handbook,
    links: &LinkIndex,
    words: &Words,
    read_ahead: &ReadAhead,
) -> (Vec<SiteQuiz>, Vec<Diagnostic>) {
    crate::quiz::load::load(hb, links, words.get("quiz_default_title"), read_ahead)
}

/// What [`resolve`] made: every article's and intro's markdown rendered.
pub struct Resolved {
    /// Article bodies, parallel to the handbook's articles.
    pub articles: Vec<Rendered>,
    /// Part intros, parallel to the handbook's parts (0 = home).
    pub intros: Vec<Rendered>,
    /// Broken links, terms, citations and `#fragment`s.
    pub problems: Diagnostics,
}

/// Whether [`resolve`] keeps the articles' markdown in the handbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sources {
    /// Every article keeps it.
    Keep,
    /// Each article's is freed as soon as it is rendered, but for those
    /// whose print view must be rendered from it again
    /// ([`LoadOptions::drop_sources`]).
    Free,
}

/// How [`resolve`] renders: what it keeps of the markdown, and the build
/// cache it renders through.
#[derive(Debug, Clone, Copy)]
pub struct Rendering<'a> {
    /// What is kept of the articles' markdown.
    pub sources: Sources,
    /// Bodies rendered by an earlier build ([`LoadOptions::cache`]).
    pub cache: &'a BuildCache,
}

/// Stage 6: markdown to HTML with links, glossary terms and citations
/// checked (in parallel); then each page's anchors (its headings' ids)
/// added to `links`, and every link's and quiz review link's `#fragment`
/// checked against them.
pub fn resolve(
    hb: &mut Handbook,
    parsed: &Checked,
    links: &mut LinkIndex,
    quizzes: &[SiteQuiz],
    words: &Words,
    rendering: Rendering<'_>,
) -> Resolved {
    // Taken out to be rendered, and put back unless they are to be freed.
    let bodies: Vec<String> = hb
        .articles
        .iter_mut()
        .map(|a| std::mem::take(&mut a.body))
        .collect();
    let markdown = PageMarkdown {
        hb: &*hb,
        links,
        glossary: &parsed.glossary,
        bibliography: parsed.bibliography.as_ref(),
        words,
    };
    let (articles, intros, kept) = resolve_markdown(&markdown, bodies, rendering);
    for (article, body) in hb.articles.iter_mut().zip(kept) {
        article.body = body;
    }
    add_anchors(links, hb, &articles, &intros);
    let mut problems = Diagnostics::new();
    let pending = articles.iter().chain(&intros).flat_map(|r| &r.anchors);
    problems.extend(links.anchor_errors(pending));
    problems.extend(links.anchor_errors(quizzes.iter().flat_map(|q| &q.review_anchors)));
    for d in articles.iter().chain(&intros).flat_map(|r| &r.diagnostics) {
        // When glossary.yaml or references.yaml is broken, its own errors say so;
        // "unknown term" for every use of it would only bury them.
        let cascade = (parsed.glossary_failed && d.code == Code::UnknownTerm)
            || (parsed.references_failed && d.code == Code::UnknownCitation);
        if !cascade {
            problems.push(d.clone());
        }
    }
    Resolved {
        articles,
        intros,
        problems,
    }
}

/// Every article's and intro's page render, resolving links, terms and
/// citations, each article from its markdown in `bodies`; the markdown to
/// put back in the handbook: all of it with [`Sources::Keep`], else only
/// that of the articles whose print view needs it again.
fn resolve_markdown(
    markdown: &PageMarkdown<'_>,
    bodies: Vec<String>,
    Rendering { sources, cache }: Rendering<'_>,
) -> (Vec<Rendered>, Vec<Rendered>, Vec<String>) {
    let cached = CachedRender::new(cache, markdown);
    let (articles, kept): (Vec<Rendered>, Vec<String>) = bodies
        .into_par_iter()
        .enumerate()
        .with_max_len(crate::PAR_LEAF)
        .map(|(a, body)| {
            let rendered = cached.article(a, &body);
            let keep = sources == Sources::Keep || rendered.needs_source();
            (rendered, if keep { body } else { String::new() })
        })
        .unzip();
    let intros: Vec<Rendered> = (0..markdown.hb.parts.len())
        .map(|p| markdown.render(Source::Intro(p), false))
        .collect();
    (articles, intros, kept)
}

/// Every page's heading ids, as rendering gave them, so that links'
/// `#fragment`s can be checked.
fn add_anchors(links: &mut LinkIndex, hb: &Handbook, articles: &[Rendered], intros: &[Rendered]) {
    let pages = hb.articles.iter().map(|a| &a.url).zip(articles);
    for (url, rendered) in pages.chain(hb.parts.iter().map(|p| &p.url).zip(intros)) {
        links.add_anchors(url, rendered.heading_ids());
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

/// The time each stage of [`load`] took.
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

    /// Stage `name` ended now.
    fn lap(&mut self, name: &'static str) {
        let took = self.restart();
        self.push(name, took);
    }

    /// The time since the last stage ended; the next one starts now.
    fn restart(&mut self) -> Duration {
        let took = self.step.elapsed();
        self.step = Instant::now();
        took
    }

    /// A stage timed by its caller (stages that run side by side).
    fn push(&mut self, name: &'static str, took: Duration) {
        self.timings.push((name, took));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_fixture(name: &str) -> Loaded {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        load(&LoadOptions {
            root,
            drafts: false,
            ..Default::default()
        })
    }

    #[test]
    fn a_failed_load_gives_back_what_it_could_read() {
        // A broken link is found by the last stage: the handbook was read.
        let Loaded::Failed { handbook, problems } = load_fixture("errors/broken-link") else {
            panic!("a broken link must fail the load");
        };
        assert!(problems.has_errors());
        assert!(handbook.is_some_and(|hb| !hb.articles.is_empty()));
        // Without a readable handbook.yaml nothing further is read.
        let Loaded::Failed { handbook, problems } = load_fixture("no-such-handbook") else {
            panic!("a missing handbook.yaml must fail the load");
        };
        assert!(problems.has_errors());
        assert!(handbook.is_none());
    }

    #[test]
    fn a_good_handbook_loads_with_every_stage_timed() {
        let Loaded::Site(site) = load_fixture("basic") else {
            panic!("the basic fixture must load");
        };
        let stages: Vec<&str> = site.timings.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            stages,
            ["config", "discover", "parse", "index", "quizzes", "resolve"]
        );
    }
}
