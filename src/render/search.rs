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
use crate::markdown::Rendered;
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

/// Where the search index reads the articles' HTML from.
#[derive(Debug)]
pub enum ArticleHtml {
    /// The site's ([`crate::markdown::Rendered::html`]).
    InSite,
    /// Taken out of the site ([`Site::take_article_html`]), in the site's
    /// order: freed a batch of articles at a time, once their search
    /// documents are made.
    Taken(Vec<String>),
}

/// The index files, under `search/`, each handed to `write` as soon as it is
/// made (see [`SearchIndex::write_files`]): the articles' text is made a
/// batch at a time and dropped once written, never all held at once.
pub fn for_each_file(site: &Site, html: ArticleHtml, write: impl Fn(OutputFile) + Sync + Send) {
    let options = options(site);
    SearchIndex::write_files(document_batches(site, html), &options, &site.cache, |f| {
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
    document_batches(site, ArticleHtml::InSite)
        .flatten()
        .collect()
}

/// [`documents`], a batch of articles at a time (their text made from their
/// HTML in parallel), then the part pages and glossary terms. HTML taken
/// out of the site is freed a batch at a time, as its documents are made.
fn document_batches(site: &Site, html: ArticleHtml) -> impl Iterator<Item = Vec<Document>> + '_ {
    let hb = &site.handbook;
    let mut taken = match html {
        ArticleHtml::InSite => Vec::new(),
        ArticleHtml::Taken(html) => {
            debug_assert_eq!(html.len(), site.articles.len(), "one HTML per article");
            html
        }
    };
    let articles = hb
        .articles
        .chunks(BATCH)
        .zip(site.articles.chunks(BATCH))
        .map(move |(articles, rendered)| {
            // This batch's taken HTML, dropped at the end of the batch.
            let own: Vec<String> = taken.drain(..articles.len().min(taken.len())).collect();
            let body = |i: usize, r: &Rendered| -> String {
                strip_html(own.get(i).map_or(r.html.as_str(), String::as_str))
            };
            articles
                .par_iter()
                .with_max_len(crate::PAR_LEAF)
                .zip(rendered)
                .enumerate()
                .map(|(i, (a, r))| Document {
                    kind: Kind::Article,
                    title: a.meta.title.clone(),
                    aliases: Vec::new(),
                    url: relative_url("", &a.url),
                    context: part_title(site, a.part),
                    summary: a.meta.summary.clone().unwrap_or_default(),
                    headings: r.headings.iter().map(|h| h.text.clone()).collect(),
                    body: body(i, r),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::LoadOptions;

    /// A handbook of more articles than a batch, each with text of its own.
    fn site_of_two_batches() -> (Site, std::path::PathBuf) {
        let root = std::env::temp_dir().join(format!("trellis-taken-html-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("handbook.yaml"), "title: T\n").unwrap();
        for i in 0..BATCH + 40 {
            std::fs::write(
                root.join(format!("content/{i:04}-a{i}.md")),
                format!(
                    "---\ntitle: A{i}\nsummary: S.\n---\n\nArticle number {i} is about topic{i}.\n"
                ),
            )
            .unwrap();
        }
        let site = Site::load(&LoadOptions {
            root: root.clone(),
            ..Default::default()
        })
        .unwrap_or_else(|d| panic!("{:?}", d.0.first()));
        (site, root)
    }

    #[test]
    fn html_taken_out_of_the_site_gives_the_same_documents() {
        let (mut site, root) = site_of_two_batches();
        let in_site = documents(&site);
        let html = site.take_article_html();
        assert!(site.articles.iter().all(|r| r.html.is_empty()));
        let taken: Vec<Document> = document_batches(&site, ArticleHtml::Taken(html))
            .flatten()
            .collect();
        assert_eq!(taken, in_site);
        // Each article's own text, in its own document, past the first batch too.
        for i in [0, BATCH - 1, BATCH, BATCH + 39] {
            let doc = taken.iter().find(|d| d.title == format!("A{i}")).unwrap();
            assert!(doc.body.contains(&format!("topic{i}")), "{doc:?}");
        }
        std::fs::remove_dir_all(root).unwrap();
    }
}
