//! The search page, `/search/`, and its index files under `search/` (see
//! [`crate::search`]): every article (title, summary, headings, the text of
//! its rendered body), every part page with a title, and every glossary
//! term (with its aliases, linking to its entry on the glossary page).

use rayon::prelude::*;
use serde_json::json;

use super::context::{common, Place};
use super::{OutputFile, PageJob};
use crate::glossary::Glossary;
use crate::links::relative_url;
use crate::search::index::{docs_per_file_for, BATCH};
use crate::search::text::strip_html;
use crate::search::{Analyzer, Document, Kind, Options, SearchIndex};
use crate::site::Site;

/// Site-relative folder of the search page (its index files are inside it).
pub const SEARCH_URL: &str = "search/";

/// The search page.
pub fn pages(site: &Site) -> Vec<PageJob> {
    let mut ctx = common(
        site,
        Place {
            url: SEARCH_URL,
            part: None,
            article: None,
            near: None,
        },
    );
    ctx.insert(
        "page",
        &json!({ "kind": "search", "title": site.words.get("search_title"), "index": "./" }),
    );
    vec![PageJob::new(SEARCH_URL, "search.html", ctx)]
}

/// The index files, under `search/`.
pub fn files(site: &Site) -> Vec<OutputFile> {
    index(site)
        .files()
        .into_iter()
        .map(|f| OutputFile {
            path: format!("{SEARCH_URL}{}", f.path).into(),
            bytes: f.bytes,
        })
        .collect()
}

/// The index files, under `search/`, each handed to `write` as soon as it is
/// made (see [`SearchIndex::write_files`]): the articles' text is made a
/// batch at a time and dropped once written, never all held at once.
pub fn for_each_file(site: &Site, write: impl Fn(OutputFile) + Sync + Send) {
    let options = options(site);
    SearchIndex::write_files(document_batches(site), &options, &site.cache, |f| {
        write(OutputFile {
            path: format!("{SEARCH_URL}{}", f.path).into(),
            bytes: f.bytes,
        })
    });
}

/// The site's search index.
pub fn index(site: &Site) -> SearchIndex {
    SearchIndex::build(documents(site), &options(site))
}

/// How the site's index is built: word rules for the handbook's language,
/// and documents grouped in files by the index's size.
pub fn options(site: &Site) -> Options {
    let hb = &site.handbook;
    let documents = hb.articles.len() + hb.parts.len() + site.glossary.terms.len();
    Options {
        analyzer: Analyzer::for_language(&hb.config.language),
        docs_per_file: docs_per_file_for(documents),
        ..Options::default()
    }
}

/// What search finds: articles in reading order, then part pages, then
/// glossary terms A–Z.
pub fn documents(site: &Site) -> Vec<Document> {
    document_batches(site).flatten().collect()
}

/// [`documents`], a batch of articles at a time (their text made from their
/// HTML in parallel), then the part pages and glossary terms.
fn document_batches(site: &Site) -> impl Iterator<Item = Vec<Document>> + '_ {
    let hb = &site.handbook;
    let articles = hb
        .articles
        .chunks(BATCH)
        .zip(site.articles.chunks(BATCH))
        .map(move |(articles, rendered)| {
            articles
                .par_iter()
                .with_max_len(crate::PAR_LEAF)
                .zip(rendered)
                .map(|(a, r)| Document {
                    kind: Kind::Article,
                    title: a.meta.title.clone(),
                    aliases: Vec::new(),
                    url: relative_url("", &a.url),
                    context: part_title(site, a.part),
                    summary: a.meta.summary.clone().unwrap_or_default(),
                    headings: r.headings.iter().map(|h| h.text.clone()).collect(),
                    body: strip_html(&r.html),
                })
                .collect()
        });
    articles.chain(std::iter::once_with(move || {
        let mut docs = Vec::new();
        for (p, (part, r)) in hb.parts.iter().zip(&site.intros).enumerate() {
            let body = strip_html(&r.html);
            // The home page is a result only when its intro says something.
            if p == 0 && body.is_empty() {
                continue;
            }
            docs.push(Document {
                kind: Kind::Part,
                title: part_title(site, p),
                aliases: Vec::new(),
                url: relative_url("", &part.url),
                context: part.parent.map(|q| part_title(site, q)).unwrap_or_default(),
                summary: part.summary.clone().unwrap_or_default(),
                headings: r.headings.iter().map(|h| h.text.clone()).collect(),
                body,
            });
        }
        docs.extend(glossary_documents(
            &site.glossary,
            site.words.get("glossary"),
        ));
        docs
    }))
}

/// Part `p`'s title, or the handbook's for an untitled part (the home page).
fn part_title(site: &Site, p: usize) -> String {
    let hb = &site.handbook;
    hb.parts
        .get(p)
        .map(|pt| pt.title.clone())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| hb.config.title.clone())
}

/// The glossary's terms, each shown in search results beside the glossary's
/// name in the site's language (`context`).
fn glossary_documents<'a>(
    glossary: &'a Glossary,
    context: &'a str,
) -> impl Iterator<Item = Document> + 'a {
    let page = relative_url("", super::glossary::GLOSSARY_URL);
    glossary.terms.iter().map(move |t| Document {
        kind: Kind::Term,
        title: t.term.clone(),
        aliases: t.aliases.clone(),
        url: format!("{page}#{}", t.slug),
        context: context.into(),
        summary: String::new(),
        headings: Vec::new(),
        body: strip_html(&t.definition_html),
    })
}
