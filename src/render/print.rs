//! `/print/`: the handbook to print or save as PDF, every link to another
//! page rewritten to an anchor within the print view. A handbook of at most
//! `print.split_above` articles prints from one page (parts, articles,
//! glossary and one reference list); a larger one from one page per
//! top-level part ([`crate::print_parts`]), each with the glossary entries
//! its sections link and the reference list, and `/print/` lists those
//! pages (`print_parts.html`). On such a page a link to a page another part
//! holds goes to that part's print page, and a link to a file is made
//! relative to the page's folder.
//!
//! A `trellis build` writes each print page a batch of sections at a time
//! ([`write()`]): the template is rendered once with a placeholder for each
//! section's HTML, then each placeholder is replaced by the section's print
//! HTML as the file is written, so the page (tens of megabytes for a large
//! handbook on one page) is never held in memory whole. A section's print
//! HTML is its page HTML, already rendered by `Site::load`, with the few
//! print splices the same markdown pass recorded
//! (`Rendered::print_pieces`), copied piece by piece. `trellis serve`,
//! which compares page values between builds, uses [`pages`], which holds
//! every section.

use std::path::Path;

use rayon::prelude::*;
use serde_json::json;

use super::context::{common, Place};
use super::pages::ClinicalReviewView;
use super::print_sections::{push_print_html, section_html};
use super::{PageJob, Templates};
use crate::content::{Entry, PartId};
use crate::diagnostic::Diagnostic;
use crate::links::relative_url;
use crate::markdown::print_anchor;
use crate::print_parts::PrintParts;
use crate::site::{Site, Source};

pub use crate::print_parts::PRINT_URL;

/// Sections spliced into one buffer, and written, at a time by [`write()`]:
/// few writes, and a buffer of a few megabytes at most.
const BATCH: usize = 256;

/// One page of the print view.
#[derive(Debug, Clone, Copy)]
pub(super) enum View<'a> {
    /// The whole handbook on one page.
    Whole,
    /// `/print/` of a view split by part: the list of its pages.
    Listing(&'a PrintParts),
    /// Page `.1` of a view split by part.
    Part(&'a PrintParts, usize),
}

impl View<'_> {
    /// Its site-relative folder.
    pub(super) fn url(&self) -> &str {
        match self {
            View::Whole | View::Listing(_) => PRINT_URL,
            View::Part(parts, i) => parts.pages.get(*i).map_or(PRINT_URL, |p| p.url.as_str()),
        }
    }

    fn template(&self) -> &'static str {
        match self {
            View::Listing(_) => "print_parts.html",
            View::Whole | View::Part(..) => "print.html",
        }
    }
}

/// Every page of a site's print view: the whole handbook, or the list of
/// parts then each part's.
fn views(parts: Option<&PrintParts>) -> Vec<View<'_>> {
    match parts {
        None => vec![View::Whole],
        Some(parts) => std::iter::once(View::Listing(parts))
            .chain((0..parts.pages.len()).map(|i| View::Part(parts, i)))
            .collect(),
    }
}

/// The print view's pages, with every section's HTML in their values.
pub fn pages(site: &Site) -> Vec<PageJob> {
    let Some(parts) = PrintParts::of(&site.handbook) else {
        return vec![whole(site)];
    };
    views(Some(&parts))
        .into_par_iter()
        .map(|view| {
            let ctx = context(site, view, &mut |source| section_html(site, source, view));
            PageJob::new(view.url(), view.template(), ctx)
        })
        .collect()
}

/// The one print page of the whole handbook.
fn whole(site: &Site) -> PageJob {
    let (articles, intros) = site.render_for_print();
    let ctx = context(site, View::Whole, &mut |source| match source {
        Source::Article(a) => articles.get(a).cloned().unwrap_or_default(),
        Source::Intro(p) => intros.get(p).cloned().unwrap_or_default(),
    });
    PageJob::new(PRINT_URL, "print.html", ctx)
}

/// Where [`write()`] puts the print pages: into a folder, a batch of
/// sections at a time, or first into memory.
#[derive(Debug, Clone, Copy)]
pub struct Destination<'a> {
    /// The folder (the staging folder).
    pub dir: &'a Path,
    /// A page of up to this many bytes is held in memory and given whole
    /// ([`Written::Held`]); a larger one goes on into its file. 0 for a
    /// folder that starts empty, where every page is written as it is made.
    pub hold: usize,
}

/// A print page [`write()`] made: its file (site-relative) and where its
/// bytes are.
#[derive(Debug)]
pub enum Written<'a> {
    /// Written into the folder, complete.
    InFolder(&'a Path),
    /// Held, to be written (or found unchanged) by the caller.
    Held(&'a Path, Vec<u8>),
}

/// Renders the print view's pages into `to`, each a batch of sections at
/// a time, and gives `done` each page once it is complete, or the error
/// that stopped it. The pages are the same as rendering [`pages`].
///
/// A build over an existing site holds each page in memory up to
/// [`Destination::hold`], so that a page that did not change is found
/// unchanged without being written (docs/performance.md).
pub fn write(
    site: &Site,
    templates: &Templates,
    to: Destination<'_>,
    done: &(dyn Fn(Result<Written<'_>, Diagnostic>) + Sync),
) {
    let parts = PrintParts::of(&site.handbook);
    views(parts.as_ref()).into_par_iter().for_each(|view| {
        let rel = Path::new(view.url()).join("index.html");
        done(
            write_one(site, templates, to, view, &rel).map(|held| match held {
                Some(bytes) => Written::Held(&rel, bytes),
                None => Written::InFolder(&rel),
            }),
        );
    });
}

/// The bytes of a print page on their way to its file.
struct Sink<'a> {
    path: &'a Path,
    /// What is held so far, while it is within the limit.
    held: Option<Vec<u8>>,
    hold: usize,
    file: Option<crate::output::Appender>,
}

impl Sink<'_> {
    fn push(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(held) = &mut self.held {
            if held.len() + bytes.len() <= self.hold {
                held.extend_from_slice(bytes);
                return Ok(());
            }
        }
        let file = match &mut self.file {
            Some(file) => file,
            None => self
                .file
                .insert(crate::output::Appender::create(self.path)?),
        };
        if let Some(held) = self.held.take() {
            file.write(&held)?;
        }
        file.write(bytes)
    }

    /// The page's bytes when they were all held; `None` when they are in
    /// the file.
    fn finish(mut self) -> std::io::Result<Option<Vec<u8>>> {
        if self.file.is_none() && self.held.is_none() {
            self.push(&[])?;
        }
        Ok(self.held.take().filter(|_| self.file.is_none()))
    }
}

/// Renders one print page at `rel` (see [`write()`]): its bytes when they
/// were held, `None` when they were written into the folder.
fn write_one(
    site: &Site,
    templates: &Templates,
    to: Destination<'_>,
    view: View<'_>,
    rel: &Path,
) -> Result<Option<Vec<u8>>, Diagnostic> {
    // A token no handbook text holds: control characters and this build's time.
    let nonce = format!(
        "\u{1}trellis-print-{:x}-{}-",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
        std::process::id()
    );
    let mut sources = Vec::new();
    let hb = &site.handbook;
    let ctx = context(site, view, &mut |source| {
        // Nothing to render renders as nothing (templates may test `s.html`).
        let blank = match source {
            // (By its HTML: `build` drops the articles' markdown once rendered.)
            Source::Article(a) => site.articles[a].html.trim().is_empty(),
            Source::Intro(p) => {
                hb.parts[p].index_file.is_none() || hb.parts[p].intro.trim().is_empty()
            }
        };
        if blank {
            return String::new();
        }
        sources.push(source);
        format!("{nonce}{}\u{2}", sources.len() - 1)
    });
    let html = templates.render(view.template(), &ctx)?;
    drop(ctx);
    // The template's text between placeholders, and each placeholder's section.
    let mut pieces: Vec<(&str, Option<usize>)> = Vec::new();
    let mut rest = html.as_str();
    while let Some(at) = rest.find(&nonce) {
        let after = &rest[at + nonce.len()..];
        let Some((number, tail)) = after.split_once('\u{2}') else {
            break;
        };
        let Some(section) = number.parse::<usize>().ok().filter(|&i| i < sources.len()) else {
            break;
        };
        pieces.push((&rest[..at], Some(section)));
        rest = tail;
    }
    pieces.push((rest, None));

    let dest = to.dir.join(rel);
    let io_error = |e: std::io::Error| super::write_error(&dest, &e);
    let mut sink = Sink {
        path: &dest,
        held: (to.hold > 0).then(Vec::new),
        hold: to.hold,
        file: None,
    };
    let mut out = String::new();
    for batch in pieces.chunks(BATCH) {
        out.clear();
        for (text, section) in batch {
            out.push_str(text);
            if let Some(&source) = section.and_then(|i| sources.get(i)) {
                push_print_html(site, source, view, &mut out);
            }
        }
        sink.push(out.as_bytes()).map_err(io_error)?;
    }
    sink.finish().map_err(io_error)
}

/// Print page `view`'s values; `html` gives each section's HTML.
fn context(site: &Site, view: View<'_>, html: &mut dyn FnMut(Source) -> String) -> tera::Context {
    let hb = &site.handbook;
    let url = view.url();
    let mut ctx = common(
        site,
        Place {
            url,
            part: None,
            article: None,
            near: None,
        },
    );
    let intro_html = match view {
        View::Whole | View::Listing(_) => html(Source::Intro(0)),
        View::Part(..) => String::new(),
    };
    if let View::Listing(parts) = view {
        let list: Vec<_> = parts
            .pages
            .iter()
            .map(|page| {
                json!({
                    "title": part_title(site, page.part),
                    "href": relative_url(url, &page.url),
                    "articles": page.articles,
                })
            })
            .collect();
        ctx.insert(
            "page",
            &json!({
                "kind": "print_parts",
                "title": hb.config.title,
                "intro_html": intro_html,
                "parts": list,
            }),
        );
        return ctx;
    }
    let mut sections = Vec::new();
    let part = match view {
        View::Part(parts, i) => parts.pages.get(i).map(|page| {
            match page.part {
                Some(p) => {
                    sections.push(section(site, Entry::Part(p), html));
                    sections_of(site, p, html, &mut sections);
                }
                None => {
                    for &entry in &hb.parts[0].entries {
                        if matches!(entry, Entry::Article(_)) {
                            sections.push(section(site, entry, html));
                        }
                    }
                }
            }
            json!({
                "title": part_title(site, page.part),
                "all_href": relative_url(url, PRINT_URL),
                "articles": page.articles,
            })
        }),
        _ => {
            sections_of(site, 0, html, &mut sections);
            None
        }
    };
    let linked = match (view, part.is_some()) {
        (View::Part(parts, i), true) => Some(terms_linked(site, parts, i)),
        _ => None,
    };
    let glossary: Vec<_> = site
        .glossary
        .terms
        .iter()
        .enumerate()
        .filter(|(id, _)| linked.as_ref().is_none_or(|l| l.get(*id) == Some(&true)))
        .map(|(_, t)| json!({"id": format!("glossary-{}", t.slug), "term": t.term, "aliases": t.aliases, "definition_html": t.definition_html}))
        .collect();
    let references_html = site
        .bibliography
        .as_ref()
        .map(|b| {
            let keys: Vec<String> = b.keys().map(str::to_string).collect();
            b.render_all(keys.iter().map(String::as_str))
                .into_iter()
                .map(|r| r.html)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    let mut page = json!({
        "kind": "print",
        "title": hb.config.title,
        "intro_html": intro_html,
        "sections": sections,
        "glossary": glossary,
        "references_html": references_html,
    });
    if let Some(part) = part {
        page["part"] = part;
    }
    ctx.insert("page", &page);
    ctx
}

/// The title of a print page of one part (`None`: the articles outside parts).
pub(super) fn part_title(site: &Site, part: Option<PartId>) -> &str {
    match part {
        Some(p) => &site.handbook.parts[p].title,
        None => site.words.get("print_loose_articles"),
    }
}

/// Which glossary terms the sections of print page `i` link, by term.
fn terms_linked(site: &Site, parts: &PrintParts, i: usize) -> Vec<bool> {
    let hb = &site.handbook;
    let mut linked = vec![false; site.glossary.terms.len()];
    let on_page = |p: PartId| parts.page_of_part(p) == Some(i);
    let intros = (1..hb.parts.len())
        .filter(|&p| on_page(p))
        .filter_map(|p| site.intros.get(p));
    let articles = hb
        .articles
        .iter()
        .zip(&site.articles)
        .filter(|(a, _)| on_page(a.part))
        .map(|(_, r)| r);
    for rendered in intros.chain(articles) {
        for &term in &rendered.terms_used {
            if let Some(l) = linked.get_mut(term) {
                *l = true;
            }
        }
    }
    linked
}

/// The sections of part `part`'s entries, its sub-parts' after each.
fn sections_of(
    site: &Site,
    part: PartId,
    html: &mut dyn FnMut(Source) -> String,
    out: &mut Vec<serde_json::Value>,
) {
    for &entry in &site.handbook.parts[part].entries {
        out.push(section(site, entry, html));
        if let Entry::Part(p) = entry {
            sections_of(site, p, html, out);
        }
    }
}

/// A part's own section (its title and introduction) or an article's.
fn section(site: &Site, entry: Entry, html: &mut dyn FnMut(Source) -> String) -> serde_json::Value {
    match entry {
        Entry::Part(p) => {
            let pt = &site.handbook.parts[p];
            json!({
                "kind": "part",
                "id": print_anchor(&pt.url),
                "title": pt.title,
                "summary": pt.summary,
                "html": html(Source::Intro(p)),
            })
        }
        Entry::Article(a) => {
            let art = &site.handbook.articles[a];
            json!({
                "kind": "article",
                "id": print_anchor(&art.url),
                "title": art.meta.title,
                "summary": art.meta.summary,
                "content_note": art.meta.content_note,
                "reviewed": art.meta.reviewed.map(|d| site.words.page_date(d.0)),
                "reviewer": art.meta.reviewer,
                "clinical_review": ClinicalReviewView::of(art.meta.clinical_review.as_ref(), &site.words),
                "html": html(Source::Article(a)),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::site::{LoadOptions, Site, Source};

    /// Every article and intro rendered again in print mode, as the print
    /// page was made before it was spliced from the page renders.
    fn print_render(site: &Site, source: Source) -> String {
        site.render_one_in_print_mode(source).html
    }

    #[test]
    fn print_sections_spliced_from_the_page_renders_are_the_print_renders() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let fixtures = [
            "basic",
            "citations",
            "glossary",
            "escaping",
            "classic-theme",
        ]
        .map(|name| manifest.join("tests/fixtures").join(name));
        // The bundled handbook has footnotes, citations, alerts and assets.
        let mut spliced = 0;
        for root in [PathBuf::from(manifest)].into_iter().chain(fixtures) {
            let site = Site::load(&LoadOptions {
                root: root.clone(),
                drafts: false,
                ..Default::default()
            })
            .unwrap_or_else(|d| panic!("{}: {:?}", root.display(), d.0.first()));
            let sources = (0..site.articles.len())
                .map(Source::Article)
                .chain((0..site.intros.len()).map(Source::Intro));
            for source in sources {
                let page = match source {
                    Source::Article(a) => &site.articles[a],
                    Source::Intro(p) => &site.intros[p],
                };
                spliced += page.print.len();
                assert_eq!(
                    site.render_one_for_print(source),
                    print_render(&site, source),
                    "{}: {source:?}",
                    root.display()
                );
                assert!(page.print_pieces().is_some(), "{source:?}");
            }
        }
        assert!(spliced > 100, "{spliced}");
    }
}
