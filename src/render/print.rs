//! `/print/`: the whole handbook on one page (parts, articles, glossary and
//! one reference list), with every link to another page rewritten to an
//! anchor within the page, for printing or saving as PDF.

use serde_json::json;

use super::context::{common, Place};
use super::PageJob;
use crate::content::{Entry, Handbook, PartId};
use crate::markdown::{print_anchor, Rendered};
use crate::site::Site;

/// Site-relative folder of the print page.
pub const PRINT_URL: &str = "print/";

/// The print page.
pub fn page(site: &Site) -> PageJob {
    let hb = &site.handbook;
    let (articles, intros) = site.render_for_print();
    let mut sections = Vec::new();
    sections_of(hb, 0, &articles, &intros, &mut sections);
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
            "intro_html": intros[0].html,
            "sections": sections,
            "glossary": glossary,
            "references_html": references_html,
        }),
    );
    PageJob::new(PRINT_URL, "print.html", ctx)
}

fn sections_of(
    hb: &Handbook,
    part: PartId,
    articles: &[Rendered],
    intros: &[Rendered],
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
                    "html": intros[p].html,
                }));
                sections_of(hb, p, articles, intros, out);
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
                    "html": articles[a].html,
                }));
            }
        }
    }
}
