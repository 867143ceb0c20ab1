//! The pages of the core site: home, parts, articles and the 404 page. Each
//! function returns [`PageJob`]s; rendering them is the caller's business.

use chrono::Months;
use serde::Serialize;
use serde_json::json;

use super::context::{breadcrumbs, common, common_with_nav, entry_card, Link, NavCache, Place};
use super::tooltips::tooltips_html;
use super::PageJob;
use crate::content::{Entry, PartId};
use crate::frontmatter::ClinicalReview;
use crate::links::relative_url;
use crate::markdown::headings::Heading;
use crate::site::Site;
use crate::theme_strings::Words;

/// The home page: the intro and every part with its articles.
pub fn home(site: &Site) -> PageJob {
    let hb = &site.handbook;
    let home = &hb.parts[0];
    let mut ctx = common(
        site,
        Place {
            url: "",
            part: Some(0),
            article: None,
            near: None,
        },
    );
    ctx.insert(
        "translation_outdated",
        &super::languages::outdated_intro_original(hb, 0),
    );
    let parts: Vec<_> = hb
        .sub_parts(0)
        .map(|p| {
            let pt = &hb.parts[p];
            json!({
                "title": pt.title,
                "summary": pt.summary,
                "href": relative_url("", &pt.url),
                "entries": pt.entries.iter().map(|e| entry_card(hb, *e, "")).collect::<Vec<_>>(),
            })
        })
        .collect();
    let articles: Vec<_> = hb
        .part_articles(0)
        .map(|a| entry_card(hb, Entry::Article(a), ""))
        .collect();
    ctx.insert(
        "page",
        &json!({
            "kind": "home",
            "title": if home.title.is_empty() { &hb.config.title } else { &home.title },
            "summary": home.summary.as_ref().or(hb.config.description.as_ref()),
            "intro_html": site.intros[0].html,
            "tooltips_html": tooltips_html(&site.glossary, site.intros[0].terms_used.iter().copied()),
            "parts": parts,
            "articles": articles,
            "ebook": site.ebook().and_then(|b| b.as_ref().ok()).map(|b| json!({
                "href": b.file_name,
                "size": b.size(),
            })),
        }),
    );
    PageJob::new("", "home.html", ctx)
}

/// Part `p`'s page (`p` > 0: part 0 is the home page).
pub fn part(site: &Site, p: PartId) -> PageJob {
    let hb = &site.handbook;
    let pt = &hb.parts[p];
    let mut ctx = common(
        site,
        Place {
            url: &pt.url,
            part: Some(p),
            article: None,
            near: None,
        },
    );
    ctx.insert(
        "translation_outdated",
        &super::languages::outdated_intro_original(hb, p),
    );
    ctx.insert(
        "page",
        &json!({
            "kind": "part",
            "title": pt.title,
            "summary": pt.summary,
            "intro_html": site.intros[p].html,
            "tooltips_html": tooltips_html(&site.glossary, site.intros[p].terms_used.iter().copied()),
            "entries": pt.entries.iter().map(|e| entry_card(hb, *e, &pt.url)).collect::<Vec<_>>(),
            "breadcrumbs": breadcrumbs(site, p, &pt.url, false),
        }),
    );
    PageJob::new(&pt.url, "part.html", ctx)
}

/// One page per article.
pub fn articles(site: &Site) -> Vec<PageJob> {
    let nav = NavCache::new(&site.handbook, &site.words);
    (0..site.handbook.articles.len())
        .map(|a| article(site, a, &nav))
        .collect()
}

/// Article `a`'s page; `nav` is shared by the calls for one site.
pub fn article(site: &Site, a: usize, nav: &NavCache) -> PageJob {
    let hb = &site.handbook;
    let art = &hb.articles[a];
    let meta = &art.meta;
    let rendered = &site.articles[a];
    let url = art.url.as_str();
    let place = Place {
        url,
        part: Some(art.part),
        article: Some(a),
        near: None,
    };
    let mut ctx = common_with_nav(site, place, &nav.article_nav(hb, a, place));
    // Seen in a further language, a page not yet translated is shown in
    // the default language, marked as such.
    let untranslated = hb
        .localized
        .as_ref()
        .filter(|l| l.untranslated.contains(&a))
        .map(|l| l.default_language.as_str());
    super::languages::insert_untranslated(&mut ctx, &hb.config.language, untranslated);
    ctx.insert(
        "translation_outdated",
        &super::languages::outdated_original(hb, a),
    );
    let link_to = |i: usize| {
        let other = &hb.articles[i];
        Link {
            title: other.meta.title.clone(),
            href: relative_url(url, &other.url),
        }
    };
    let toc: Vec<_> = rendered
        .headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .collect();
    let words = rendered.word_count;
    let next_review = meta
        .reviewed
        .and_then(|d| {
            d.0.checked_add_months(Months::new(hb.config.review.interval_months))
        })
        .map(|d| site.words.page_date(d));
    let tooltips_html = tooltips_html(&site.glossary, rendered.terms_used.iter().copied());
    let json_ld = article_json_ld(site, a);
    let page = ArticlePage {
        kind: "article",
        title: &meta.title,
        summary: meta.summary.as_deref(),
        html: &rendered.html,
        toc,
        breadcrumbs: breadcrumbs(site, art.part, url, true),
        prev: a.checked_sub(1).map(link_to),
        next: (a + 1 < hb.articles.len()).then(|| link_to(a + 1)),
        reading_minutes: words.div_ceil(200).max(1),
        word_count: words,
        reviewed: meta.reviewed.map(|d| site.words.page_date(d.0)),
        reviewed_iso: meta.reviewed.map(|d| d.to_string()),
        reviewer: meta.reviewer.as_deref(),
        clinical_review: ClinicalReviewView::of(meta.clinical_review.as_ref(), &site.words),
        next_review,
        content_note: meta.content_note.as_deref(),
        crisis_note: meta.crisis_note,
        tags: &meta.tags,
        authors: &meta.authors,
        references_html: &rendered.references_html,
        quiz_href: site.article_quiz_url(a).map(|q| relative_url(url, &q)),
        tooltips_html,
        json_ld,
        draft: meta.draft,
    };
    ctx.insert("page", &page);
    PageJob::new(url, "article.html", ctx)
}

/// An article page's `page` value (docs/themes.md lists its fields). A
/// struct serialized straight into the template's values, rather than a
/// `serde_json::Value` built first, which copied the article's HTML once
/// more for every page.
#[derive(Serialize)]
struct ArticlePage<'a> {
    kind: &'static str,
    title: &'a str,
    summary: Option<&'a str>,
    html: &'a str,
    toc: Vec<&'a Heading>,
    breadcrumbs: Vec<Link>,
    prev: Option<Link>,
    next: Option<Link>,
    reading_minutes: usize,
    word_count: usize,
    reviewed: Option<String>,
    reviewed_iso: Option<String>,
    reviewer: Option<&'a str>,
    clinical_review: ClinicalReviewView,
    next_review: Option<String>,
    content_note: Option<&'a str>,
    crisis_note: bool,
    tags: &'a [String],
    authors: &'a [String],
    references_html: &'a str,
    quiz_href: Option<String>,
    tooltips_html: String,
    json_ld: String,
    draft: bool,
}

/// `404.html` at the root, linking as if served from the root.
pub fn not_found(site: &Site) -> PageJob {
    let mut ctx = common(
        site,
        Place {
            url: "",
            part: None,
            article: None,
            near: None,
        },
    );
    ctx.insert(
        "page",
        &json!({"kind": "404", "title": site.words.get("not_found_title")}),
    );
    ctx.insert("canonical", &Option::<String>::None);
    PageJob::file("404.html", "404.html", ctx)
}

/// schema.org data for an article: a `MedicalWebPage` with its review.
/// Every `<` is escaped, so the JSON can neither close its `<script>` element
/// nor open a `<!--` that would keep the next `</script>` from closing it.
fn article_json_ld(site: &Site, a: usize) -> String {
    let hb = &site.handbook;
    let art = &hb.articles[a];
    let m = &art.meta;
    let base = hb.config.base_url_with_slash();
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": m.title,
        "headline": m.title,
        "description": m.summary,
        "inLanguage": hb.config.language,
        "isPartOf": {"@type": "WebSite", "name": hb.config.title},
    });
    if base.starts_with("http") {
        data["url"] = json!(format!("{base}{}", art.url));
    }
    if let Some(d) = m.reviewed {
        data["lastReviewed"] = json!(d.to_string());
    }
    if let Some(r) = &m.reviewer {
        data["reviewedBy"] = json!({"@type": "Organization", "name": r});
    }
    if !m.authors.is_empty() {
        data["author"] = json!(m
            .authors
            .iter()
            .map(|n| json!({"@type": "Person", "name": n}))
            .collect::<Vec<_>>());
    }
    serde_json::to_string(&data)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// A small page at each old address in an article's `aliases`, sending the
/// reader on to the article (a refresh with no delay, and a plain link).
pub fn redirects(site: &Site) -> Vec<PageJob> {
    let hb = &site.handbook;
    hb.articles
        .iter()
        .flat_map(|art| {
            art.meta.aliases.iter().filter_map(move |alias| {
                let from = crate::content::discover::alias_url(alias).ok()?;
                let mut ctx = tera::Context::new();
                ctx.insert("lang", &hb.config.language);
                ctx.insert(
                    "page",
                    &json!({
                        "kind": "redirect",
                        "title": art.meta.title,
                        "target": relative_url(&from, &art.url),
                        "site_title": hb.config.title,
                    }),
                );
                Some(PageJob::new(&from, "redirect.html", ctx))
            })
        })
        .collect()
}

/// What a page says of an article's clinical review: `done` with who and
/// when, or not (pending, or not recorded: readers are told the same).
#[derive(Debug, Clone, Serialize)]
pub struct ClinicalReviewView {
    /// A qualified clinician has checked it.
    pub done: bool,
    /// When, in words in the page's language ("2 November 2026").
    pub date: Option<String>,
    /// When, as `2026-11-02` (for `<time datetime>`).
    pub date_iso: Option<String>,
    /// Who, with credentials.
    pub reviewer: Option<String>,
}

impl ClinicalReviewView {
    /// The view of an article's `clinical_review`, its date in `words`' language.
    pub fn of(review: Option<&ClinicalReview>, words: &Words) -> ClinicalReviewView {
        match review {
            Some(ClinicalReview::Done { date, reviewer }) => ClinicalReviewView {
                done: true,
                date: Some(words.page_date(date.0)),
                date_iso: Some(date.to_string()),
                reviewer: Some(reviewer.clone()),
            },
            _ => ClinicalReviewView {
                done: false,
                date: None,
                date_iso: None,
                reviewer: None,
            },
        }
    }
}
