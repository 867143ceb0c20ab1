//! `/print/`: the whole handbook on one page (parts, articles, glossary and
//! one reference list), with every link to another page rewritten to an
//! anchor within the page, for printing or saving as PDF.
//!
//! A `trellis build` writes it a batch of sections at a time ([`write()`]):
//! the template is rendered once with a placeholder for each section's HTML,
//! then each placeholder is replaced by the section's print HTML as the file
//! is written, so the page (tens of megabytes for a large handbook) is never
//! held in memory whole. A section's print HTML is its page HTML, already
//! rendered by `Site::load`, with the few print splices the same markdown
//! pass recorded (`Rendered::print_pieces`), copied piece by piece.
//! `trellis serve`, which compares page values between builds, uses
//! [`page`], which holds every section.

use std::path::Path;

use serde_json::json;

use super::context::{common, Place};
use super::pages::ClinicalReviewView;
use super::{PageJob, Templates};
use crate::content::{Entry, PartId};
use crate::diagnostic::Diagnostic;
use crate::markdown::print_anchor;
use crate::site::{Site, Source};

/// Site-relative folder of the print page.
pub const PRINT_URL: &str = "print/";

/// Sections spliced into one buffer, and written, at a time by [`write()`]:
/// few writes, and a buffer of a few megabytes at most.
const BATCH: usize = 256;

/// The print page, with every section's HTML in its values.
pub fn page(site: &Site) -> PageJob {
    let (articles, intros) = site.render_for_print();
    let home = intros.first().map(String::as_str).unwrap_or_default();
    let ctx = context(site, home, &mut |source| match source {
        Source::Article(a) => articles.get(a).cloned().unwrap_or_default(),
        Source::Intro(p) => intros.get(p).cloned().unwrap_or_default(),
    });
    PageJob::new(PRINT_URL, "print.html", ctx)
}

/// Renders the print page into `dir` (the staging folder) a batch of
/// sections at a time. The output is the same as rendering [`page`].
pub fn write(site: &Site, templates: &Templates, dir: &Path) -> Result<(), Diagnostic> {
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
    let home = site.render_one_for_print(Source::Intro(0));
    let hb = &site.handbook;
    let ctx = context(site, &home, &mut |source| {
        // Nothing to render renders as nothing (templates may test `s.html`).
        let blank = match source {
            Source::Article(a) => hb.articles[a].body.trim().is_empty(),
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
    let html = templates.render("print.html", &ctx)?;
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

    let dest = dir.join(PRINT_URL).join("index.html");
    let io_error = |e: std::io::Error| super::write_error(&dest, &e);
    let mut file = crate::output::Appender::create(&dest).map_err(io_error)?;
    let mut out = Vec::new();
    for batch in pieces.chunks(BATCH) {
        out.clear();
        for (text, section) in batch {
            out.extend_from_slice(text.as_bytes());
            if let Some(&source) = section.and_then(|i| sources.get(i)) {
                push_print_html(site, source, &mut out);
            }
        }
        file.write(&out).map_err(io_error)?;
    }
    Ok(())
}

/// Appends a section's print HTML to `out`: its page HTML and print splices,
/// or, when those cannot be used, the section rendered again for print.
fn push_print_html(site: &Site, source: Source, out: &mut Vec<u8>) {
    let page = match source {
        Source::Article(a) => site.articles.get(a),
        Source::Intro(p) => site.intros.get(p),
    };
    match page.and_then(|r| r.print_pieces()) {
        Some(pieces) => {
            for piece in pieces {
                out.extend_from_slice(piece.as_bytes());
            }
        }
        None => out.extend_from_slice(site.render_one_for_print(source).as_bytes()),
    }
}

/// The print page's values; `html` gives each section's HTML.
fn context(site: &Site, intro_html: &str, html: &mut dyn FnMut(Source) -> String) -> tera::Context {
    let hb = &site.handbook;
    let mut sections = Vec::new();
    sections_of(site, 0, html, &mut sections);
    let glossary: Vec<_> = site
        .glossary
        .terms
        .iter()
        .map(|t| json!({"id": format!("glossary-{}", t.slug), "term": t.term, "aliases": t.aliases, "definition_html": t.definition_html}))
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
    let mut ctx = common(
        site,
        Place {
            url: PRINT_URL,
            part: None,
            article: None,
            near: None,
        },
    );
    ctx.insert(
        "page",
        &json!({
            "kind": "print",
            "title": hb.config.title,
            "intro_html": intro_html,
            "sections": sections,
            "glossary": glossary,
            "references_html": references_html,
        }),
    );
    ctx
}

fn sections_of(
    site: &Site,
    part: PartId,
    html: &mut dyn FnMut(Source) -> String,
    out: &mut Vec<serde_json::Value>,
) {
    let hb = &site.handbook;
    for entry in &hb.parts[part].entries {
        match *entry {
            Entry::Part(p) => {
                let pt = &hb.parts[p];
                out.push(json!({
                    "kind": "part",
                    "id": print_anchor(&pt.url),
                    "title": pt.title,
                    "summary": pt.summary,
                    "html": html(Source::Intro(p)),
                }));
                sections_of(site, p, html, out);
            }
            Entry::Article(a) => {
                let art = &hb.articles[a];
                out.push(json!({
                    "kind": "article",
                    "id": print_anchor(&art.url),
                    "title": art.meta.title,
                    "summary": art.meta.summary,
                    "content_note": art.meta.content_note,
                    "reviewed": art.meta.reviewed.map(|d| site.words.page_date(d.0)),
                    "reviewer": art.meta.reviewer,
                    "clinical_review": ClinicalReviewView::of(art.meta.clinical_review.as_ref(), &site.words),
                    "html": html(Source::Article(a)),
                }));
            }
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
