//! The glossary's pages: `/glossary/` (A–Z, with "Used in" backlinks to
//! every page that links each term), `/glossary/flashcards/`, and
//! `/glossary/glossary.json`. Nothing is written when the handbook has no
//! glossary. The page data comes from [`super::glossary_page`].

use serde_json::json;

use super::context::{common, Place};
use super::glossary_page::{self as page, PageLink, SetInfo};
use super::{OutputFile, PageJob};
use crate::links::relative_url;
use crate::site::Site;

/// Site-relative folder of the glossary page.
pub const GLOSSARY_URL: &str = "glossary/";
/// Site-relative folder of the flashcards page.
pub const FLASHCARDS_URL: &str = "glossary/flashcards/";

/// The glossary and flashcards pages (none without a glossary).
pub fn pages(site: &Site) -> Vec<PageJob> {
    if site.glossary.is_empty() {
        return Vec::new();
    }
    let used_in = used_in(site);
    let config = &site.handbook.config;
    let name = site
        .words
        .get("glossary_set_name")
        .replace("{title}", &config.title);
    let base_url = config.base_url_with_slash();
    let data = page::glossary_page(
        &site.glossary,
        &used_in,
        SetInfo {
            name: &name,
            base_url: &base_url,
            language: &config.language,
        },
    );
    let mut ctx = common(site, place(GLOSSARY_URL));
    ctx.insert("glossary", &data);
    ctx.insert(
        "page",
        &json!({ "kind": "glossary", "title": site.words.get("glossary"), "term_count": data.term_count }),
    );
    let glossary = PageJob::new(GLOSSARY_URL, "glossary.html", ctx);

    let mut ctx = common(site, place(FLASHCARDS_URL));
    ctx.insert("cards", &page::flashcards(&site.glossary));
    ctx.insert(
        "page",
        &json!({ "kind": "flashcards", "title": site.words.get("flashcards") }),
    );
    let flashcards = PageJob::new(FLASHCARDS_URL, "flashcards.html", ctx);
    vec![glossary, flashcards]
}

/// `glossary/glossary.json` (none without a glossary).
pub fn files(site: &Site) -> Vec<OutputFile> {
    if site.glossary.is_empty() {
        return Vec::new();
    }
    vec![OutputFile {
        path: format!("{GLOSSARY_URL}glossary.json").into(),
        bytes: page::glossary_json(&site.glossary, &used_in(site)).into_bytes(),
    }]
}

/// The site-relative URLs of the glossary's pages, for the sitemap.
pub fn urls(site: &Site) -> Vec<String> {
    if site.glossary.is_empty() {
        Vec::new()
    } else {
        vec![GLOSSARY_URL.to_string(), FLASHCARDS_URL.to_string()]
    }
}

/// For each term, the pages that link it (articles in reading order, then
/// part pages with an intro), relative to the glossary page.
pub fn used_in(site: &Site) -> Vec<Vec<PageLink>> {
    let hb = &site.handbook;
    let mut used: Vec<Vec<PageLink>> = vec![Vec::new(); site.glossary.terms.len()];
    let pages = hb
        .articles
        .iter()
        .zip(&site.articles)
        .map(|(a, r)| (a.meta.title.as_str(), a.url.as_str(), r))
        .chain(
            hb.parts
                .iter()
                .zip(&site.intros)
                .map(|(p, r)| (p.title.as_str(), p.url.as_str(), r)),
        );
    for (title, url, rendered) in pages {
        let title = if title.is_empty() {
            hb.config.title.as_str()
        } else {
            title
        };
        for &t in &rendered.terms_used {
            if let Some(list) = used.get_mut(t) {
                list.push(PageLink {
                    title: title.to_string(),
                    href: relative_url(GLOSSARY_URL, url),
                });
            }
        }
    }
    used
}

fn place(url: &str) -> Place<'_> {
    Place {
        url,
        part: None,
        article: None,
        near: None,
    }
}
