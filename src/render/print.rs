//! `/print/`: the whole handbook on one page (parts, articles, glossary and
//! one reference list), with every link to another page rewritten to an
//! anchor within the page, for printing or saving as PDF.
//!
//! A `trellis build` writes it a batch of sections at a time ([`write`]):
//! the template is rendered once with a placeholder for each section's HTML,
//! then each placeholder is replaced by the section rendered for print as
//! the file is written, so the page (tens of megabytes for a large
//! handbook) is never held in memory whole. `trellis serve`, which compares
//! page values between builds, uses [`page`], which holds every section.

use std::io::Write as _;
use std::path::Path;

use rayon::prelude::*;
use serde_json::json;

use super::context::{common, Place};
use super::{PageJob, Templates};
use crate::content::{Entry, Handbook, PartId};
use crate::diagnostic::Diagnostic;
use crate::markdown::print_anchor;
use crate::site::{Site, Source};

/// Site-relative folder of the print page.
pub const PRINT_URL: &str = "print/";

/// Sections rendered for print, and written, at a time by [`write`].
const BATCH: usize = 256;

/// The print page, with every section's HTML in its values.
pub fn page(site: &Site) -> PageJob {
    let (articles, intros) = site.render_for_print();
    let ctx = context(site, &intros[0].html, &mut |source| match source {
        Source::Article(a) => articles[a].html.clone(),
        Source::Intro(p) => intros[p].html.clone(),
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
    let ctx = context(site, &home.html, &mut |source| {
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
    for batch in pieces.chunks(BATCH) {
        let sections: Vec<String> = batch
            .par_iter()
            .map(|(_, s)| {
                s.map(|i| site.render_one_for_print(sources[i]).html)
                    .unwrap_or_default()
            })
            .collect();
        let mut out = Vec::with_capacity(sections.iter().map(String::len).sum::<usize>() * 2);
        for ((text, _), section) in batch.iter().zip(&sections) {
            let _ = out.write_all(text.as_bytes());
            let _ = out.write_all(section.as_bytes());
        }
        file.write(&out).map_err(io_error)?;
    }
    Ok(())
}

/// The print page's values; `html` gives each section's HTML.
fn context(site: &Site, intro_html: &str, html: &mut dyn FnMut(Source) -> String) -> tera::Context {
    let hb = &site.handbook;
    let mut sections = Vec::new();
    sections_of(hb, 0, html, &mut sections);
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
    hb: &Handbook,
    part: PartId,
    html: &mut dyn FnMut(Source) -> String,
    out: &mut Vec<serde_json::Value>,
) {
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
                sections_of(hb, p, html, out);
            }
            Entry::Article(a) => {
                let art = &hb.articles[a];
                out.push(json!({
                    "kind": "article",
                    "id": print_anchor(&art.url),
                    "title": art.meta.title,
                    "summary": art.meta.summary,
                    "content_note": art.meta.content_note,
                    "reviewed": art.meta.reviewed.map(|d| d.long()),
                    "reviewer": art.meta.reviewer,
                    "html": html(Source::Article(a)),
                }));
            }
        }
    }
}
