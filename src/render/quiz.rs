//! The quiz pages: one per quiz (`<article>/quiz/` or `quizzes/<slug>/`),
//! the list of quizzes (`quizzes/`) and the practice exam
//! (`quizzes/practice/`), with the practice exam's question bank files
//! (`quizzes/practice/bank-<n>.js`) when it has more questions than the page
//! embeds. Nothing is written when the handbook has no quiz.
//! The page data comes from [`super::quiz_page`].

use std::path::PathBuf;

use serde_json::json;

use super::context::{breadcrumbs, common, common_with_nav, Link, NavCache, Place};
use super::quiz_page::{
    self as page, PracticeSource, QuestionView, QuizListing, PRACTICE_PAGE_MAX,
};
use super::{OutputFile, PageJob, Templates};
use crate::diagnostic::Diagnostic;
use crate::links::relative_url;
use crate::quiz::load::{SiteQuiz, PRACTICE_URL, QUIZZES_URL};
use crate::site::Site;

/// Every quiz page, the list and the practice exam (none without quizzes).
pub fn pages(site: &Site) -> Vec<PageJob> {
    let nav = NavCache::new(&site.handbook, &site.words);
    let mut jobs: Vec<PageJob> = (0..site.quizzes.len())
        .map(|i| page(site, i, &nav))
        .collect();
    jobs.extend(list_pages(site));
    jobs
}

/// The page of quiz `i` (of [`Site::quizzes`]); `nav` is shared by the calls for one site.
pub fn page(site: &Site, i: usize, nav: &NavCache) -> PageJob {
    quiz_page(site, &site.quizzes[i], nav)
}

/// The list of quizzes and the practice exam (none without quizzes).
pub fn list_pages(site: &Site) -> Vec<PageJob> {
    if site.quizzes.is_empty() {
        return Vec::new();
    }
    vec![list_page(site), practice_page(site)]
}

/// The practice exam's question bank files, beside its page; none when the
/// page embeds every question (or there is no quiz). Each question carries
/// the fieldset `quiz_question.html` prints for it (with the practice page's
/// values and `q`) beside its answer key, so questions from a bank are the
/// page's own markup, whichever theme or template prints them.
///
/// Each file is handed to `write` as soon as it is made.
pub fn each_file(
    site: &Site,
    templates: &Templates,
    write: &(dyn Fn(OutputFile) + Sync),
) -> Result<(), Diagnostic> {
    let values = practice_values(site);
    let fieldset = |q: &QuestionView| {
        let mut ctx = values.clone();
        ctx.insert("q", q);
        templates.render(QUESTION_TEMPLATE, &ctx)
    };
    page::each_practice_bank(
        &practice_sources(site),
        PRACTICE_PAGE_MAX,
        &fieldset,
        &site.words,
        &|_, bank| {
            write(OutputFile {
                path: PathBuf::from(PRACTICE_URL).join(bank.name),
                bytes: bank.js.into_bytes(),
            })
        },
    )
}

/// The template of one question, which `quiz.html` and `practice.html` include.
const QUESTION_TEMPLATE: &str = "quiz_question.html";

/// Site-relative URLs of the quiz pages, for the sitemap.
pub fn urls(site: &Site) -> Vec<String> {
    if site.quizzes.is_empty() {
        return Vec::new();
    }
    let mut urls: Vec<String> = site.quizzes.iter().map(|q| q.url.clone()).collect();
    urls.push(QUIZZES_URL.to_string());
    urls.push(PRACTICE_URL.to_string());
    urls
}

fn practice_key(site: &Site) -> String {
    format!(
        "{}{PRACTICE_URL}",
        site.handbook.config.base_url_with_slash()
    )
}

/// The breadcrumbs Home › Quizzes, relative to the page at `from`.
pub(super) fn home_and_quizzes(site: &Site, from: &str) -> Vec<Link> {
    vec![
        Link {
            title: site.words.get("home").into(),
            href: relative_url(from, ""),
        },
        Link {
            title: site.words.get("quizzes").into(),
            href: relative_url(from, QUIZZES_URL),
        },
    ]
}

fn quiz_page(site: &Site, q: &SiteQuiz, nav: &NavCache) -> PageJob {
    let hb = &site.handbook;
    let url = q.url.as_str();
    let article = q
        .article
        .and_then(|a| hb.articles.get(a).map(|art| (a, art)));
    let place = Place {
        url,
        part: article.map(|(_, art)| art.part),
        article: None,
        near: article.map(|(a, _)| a),
    };
    let mut ctx = common_with_nav(site, place, &nav.nav(hb, place));
    let data = page::quiz_page(
        &q.quiz,
        &q.title,
        &q.key,
        hb.config.quiz.pass_mark,
        &q.review_hrefs(url),
        &site.words,
    );
    let (crumbs, article_link) = match article {
        Some((_, art)) => {
            let mut crumbs = breadcrumbs(site, art.part, url, true);
            let link = Link {
                title: art.meta.title.clone(),
                href: relative_url(url, &art.url),
            };
            crumbs.push(link.clone());
            (crumbs, Some(link))
        }
        None => (home_and_quizzes(site, url), None),
    };
    ctx.insert("quiz", &data);
    // Seen in a further language, a quiz not yet translated is shown in the
    // default language, marked as such (as an untranslated article is).
    let untranslated = hb
        .localized
        .as_ref()
        .filter(|l| l.untranslated_quizzes.contains(&q.file))
        .map(|l| l.default_language.as_str());
    super::languages::insert_untranslated(&mut ctx, &hb.config.language, untranslated);
    ctx.insert(
        "page",
        &json!({
            "kind": "quiz",
            "title": q.title,
            "breadcrumbs": crumbs,
            "article": article_link,
        }),
    );
    PageJob::new(url, "quiz.html", ctx)
}

fn list_page(site: &Site) -> PageJob {
    let hb = &site.handbook;
    let listings: Vec<QuizListing> = site
        .quizzes
        .iter()
        .map(|q| {
            let article = q.article.and_then(|a| hb.articles.get(a));
            QuizListing {
                title: q.title.clone(),
                url: relative_url(QUIZZES_URL, &q.url),
                key: q.key.clone(),
                question_count: q.quiz.questions.len(),
                article_title: article.map(|a| a.meta.title.clone()),
                article_url: article.map(|a| relative_url(QUIZZES_URL, &a.url)),
            }
        })
        .collect();
    let data = page::quizzes_page(
        listings,
        &relative_url(QUIZZES_URL, PRACTICE_URL),
        &practice_key(site),
    );
    let mut ctx = common(site, place(QUIZZES_URL));
    ctx.insert("quizzes", &data);
    ctx.insert(
        "page",
        &json!({
            "kind": "quizzes",
            "title": site.words.get("quizzes"),
            "breadcrumbs": [Link { title: site.words.get("home").into(), href: relative_url(QUIZZES_URL, "") }],
        }),
    );
    PageJob::new(QUIZZES_URL, "quizzes.html", ctx)
}

/// Every quiz as the practice exam draws on it: links relative to its page.
fn practice_sources(site: &Site) -> Vec<PracticeSource<'_>> {
    let hb = &site.handbook;
    site.quizzes
        .iter()
        .map(|q| {
            let article = q.article.and_then(|a| hb.articles.get(a));
            PracticeSource {
                title: article.map_or_else(|| q.title.clone(), |a| a.meta.title.clone()),
                url: relative_url(PRACTICE_URL, article.map_or(&q.url, |a| &a.url)),
                quiz: &q.quiz,
                review_urls: q.review_hrefs(PRACTICE_URL),
            }
        })
        .collect()
}

fn practice_page(site: &Site) -> PageJob {
    let data = page::practice_page(
        &practice_sources(site),
        &practice_key(site),
        site.handbook.config.quiz.pass_mark,
        PRACTICE_PAGE_MAX,
        &site.words,
    );
    let mut ctx = practice_values(site);
    ctx.insert("practice", &data);
    PageJob::new(PRACTICE_URL, "practice.html", ctx)
}

/// The practice page's values but its questions (`practice`).
fn practice_values(site: &Site) -> tera::Context {
    let mut ctx = common(site, place(PRACTICE_URL));
    ctx.insert(
        "page",
        &json!({
            "kind": "practice",
            "title": site.words.get("practice_exam"),
            "breadcrumbs": home_and_quizzes(site, PRACTICE_URL),
        }),
    );
    ctx
}

fn place(url: &str) -> Place<'_> {
    Place {
        url,
        part: None,
        article: None,
        near: None,
    }
}
