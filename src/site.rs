//! The build pipeline, as named steps in one place.
//!
//! [`Site::load`]: load config → discover content → parse (glossary,
//! references) → index pages and anchors → resolve and render markdown
//! (links, glossary terms, citations). [`Site::build`]: render pages through
//! the templates → write them to a staging folder → swap it in.
//! Every step collects all the problems it finds; a step whose input had
//! errors does not run, so one mistake is not reported five times.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, CONFIG_FILE};
use crate::content::{self, DiscoverOptions, Handbook};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::glossary::Glossary;
use crate::links::LinkIndex;
use crate::markdown::{self, headings, RenderContext, Rendered, Terms};
use crate::output::{self, Staging};
use crate::render::{self, Templates};
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
    /// Warnings found while loading (the build still succeeds).
    pub warnings: Diagnostics,
    /// How long each step took.
    pub timings: Vec<(&'static str, Duration)>,
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
        let mut timings = Vec::new();
        let mut step = Instant::now();
        let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
            timings.push((name, step.elapsed()));
            step = Instant::now();
        };
        let root = options.root.as_path();

        let config = load_config(root)?;
        lap("config", &mut timings);

        let (handbook, mut errors) = content::discover(
            root,
            config,
            DiscoverOptions {
                drafts: options.drafts,
            },
        )?;
        lap("discover", &mut timings);

        let glossary = parse_glossary(&handbook).unwrap_or_else(|d| {
            errors.extend(d.into_vec());
            Glossary::empty()
        });
        lap("parse", &mut timings);

        let links = index_links(&handbook);
        lap("index", &mut timings);

        let (articles, intros) = resolve_markdown(&handbook, &links, &glossary, &mut errors);
        if errors.has_errors() {
            return Err(errors);
        }
        lap("resolve", &mut timings);

        let mut warnings = Diagnostics::new();
        if !glossary.is_empty() {
            let mut used = vec![false; glossary.terms.len()];
            for r in articles.iter().chain(&intros) {
                for &t in &r.terms_used {
                    used[t] = true;
                }
            }
            warnings.extend(glossary.unused_warnings(&used));
        }
        Ok(Site {
            handbook,
            links,
            articles,
            intros,
            glossary,
            warnings,
            timings,
        })
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
        let theme =
            Theme::find(root, &self.handbook.config.theme).map_err(|d| Diagnostics(vec![d]))?;
        let templates = Templates::load(root, &theme).map_err(Diagnostics)?;
        let files = render::render_site(self, &templates).map_err(Diagnostics)?;
        timings.push(("render", start.elapsed()));

        let start = Instant::now();
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
        let count = files.len();
        files
            .par_iter()
            .try_for_each(|f| write_file(&staging.dir.join(&f.path), &f.bytes))
            .map_err(|e| io_error(e, output))?;
        self.copy_static(&theme, &staging.dir)
            .map_err(|e| io_error(e, output))?;
        staging.commit().map_err(|e| io_error(e, output))?;
        timings.push(("write", start.elapsed()));
        Ok(BuildReport {
            files: count,
            output: output.to_path_buf(),
            warnings: self.warnings.clone(),
            timings,
        })
    }

    /// Theme assets to `static/`, the handbook's `static/` to the root, content assets beside their pages.
    fn copy_static(&self, theme: &Theme, dest: &Path) -> std::io::Result<()> {
        let root = &self.handbook.root;
        for f in theme.files("static")? {
            write_file(&dest.join("static").join(&f.rel), &f.bytes)?;
        }
        copy_tree(&root.join("static"), dest)?;
        self.handbook
            .assets
            .par_iter()
            .try_for_each(|a| copy_file(&a.source, &dest.join(&a.dest)))
    }

    /// Which optional pages exist.
    pub fn features(&self) -> Features {
        Features {
            glossary: !self.glossary.is_empty(),
            quizzes: false,
            search: false,
        }
    }

    /// The hidden definition tooltips for the terms a page links.
    pub fn tooltips_html(&self, used: &[usize]) -> String {
        self.glossary.tooltips_html(used.iter().copied())
    }

    /// Site-relative folder of article `a`'s quiz page, if it has one.
    pub fn article_quiz_url(&self, _a: usize) -> Option<String> {
        None
    }

    /// Site-relative URLs of pages beyond parts and articles (for the sitemap).
    pub fn extra_urls(&self) -> Vec<String> {
        render::glossary::urls(self)
    }
}

/// Step 1: `handbook.yaml`.
fn load_config(root: &Path) -> Result<Config, Diagnostics> {
    let file = root.join(CONFIG_FILE);
    let text = fs::read_to_string(&file).map_err(|e| {
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
    Config::parse(&text, &file).map_err(Diagnostics)
}

/// Step 3: the glossary (references and quizzes join here).
fn parse_glossary(hb: &Handbook) -> Result<Glossary, Diagnostics> {
    let Some(file) = &hb.glossary_file else {
        return Ok(Glossary::empty());
    };
    let text = fs::read_to_string(file).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            file,
            0,
            0,
            format!("cannot read the glossary: {e}"),
        )])
    })?;
    Glossary::parse(&text, file).map_err(Diagnostics)
}

/// Step 4: every page's source and anchors, so links can be checked.
fn index_links(hb: &Handbook) -> LinkIndex {
    let mut links = LinkIndex::default();
    for part in &hb.parts {
        if let Some(index) = &part.index_file {
            links.add_page(index, &part.url);
        }
    }
    let anchors: Vec<Vec<String>> = hb
        .articles
        .par_iter()
        .map(|a| {
            headings::collect(&a.body)
                .into_iter()
                .map(|h| h.id)
                .collect()
        })
        .collect();
    for (article, ids) in hb.articles.iter().zip(anchors) {
        links.add_page(&article.source, &article.url);
        links.add_anchors(&article.url, ids);
    }
    for part in &hb.parts {
        let ids = headings::collect(&part.intro).into_iter().map(|h| h.id);
        links.add_anchors(&part.url, ids);
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
    errors: &mut Diagnostics,
) -> (Vec<Rendered>, Vec<Rendered>) {
    let terms: Option<&dyn Terms> = if glossary.is_empty() {
        None
    } else {
        Some(glossary)
    };
    let autolink = hb.config.glossary.autolink;
    let render_one = |file: &Path, body: &str, offset: usize, url: &str| {
        let ctx = RenderContext {
            file,
            line_offset: offset,
            page_url: url,
            links,
            terms,
            autolink,
            glossary_url: "glossary/",
            citations: None,
        };
        markdown::render(body, &ctx)
    };
    let articles: Vec<Rendered> = hb
        .articles
        .par_iter()
        .map(|a| render_one(&a.source, &a.body, a.body_line_offset, &a.url))
        .collect();
    let intros: Vec<Rendered> = hb
        .parts
        .iter()
        .map(|p| match &p.index_file {
            Some(f) => render_one(f, &p.intro, p.intro_line_offset, &p.url),
            None => Rendered::default(),
        })
        .collect();
    for r in articles.iter().chain(&intros) {
        errors.extend(r.diagnostics.iter().cloned());
    }
    (articles, intros)
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

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, bytes)
}

fn copy_file(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::copy(from, to).map(|_| ())
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(from).follow_links(true) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
            copy_file(entry.path(), &to.join(rel))?;
        }
    }
    Ok(())
}
