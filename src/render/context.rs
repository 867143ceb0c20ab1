//! What templates see: the values shared by every page (site settings,
//! navigation, links to the built-in pages) computed for one page's place in
//! the site, so that every URL in it is relative.
//!
//! Navigation lists the top-level parts (at most [`NAV_PARTS_SHOWN`], those
//! around the page's own) and opens only the part the page is in, so a
//! page's size grows neither with the articles of other parts nor with
//! their number.

use std::borrow::Cow;
use std::fmt::Write;

use serde::Serialize;
use serde_json::{json, Value};

use crate::content::{Entry, Handbook, PartId};
use crate::links::relative_url;
use crate::site::Site;

/// A link as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Visible text.
    pub title: String,
    /// Relative URL.
    pub href: String,
}

/// Where a page sits, for navigation and relative links.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place<'a> {
    /// The page's site-relative folder (`""` for home, `"a/b/"`), or for a file
    /// at the root (`404.html`) the folder it is served from.
    pub url: &'a str,
    /// The part the page belongs to (for navigation).
    pub part: Option<PartId>,
    /// The article the page shows, for `aria-current`.
    pub article: Option<usize>,
}

/// The values every page gets: `site`, `urls`, `nav_html`, `features`, `lang`.
pub fn common(site: &Site, place: Place<'_>) -> tera::Context {
    common_with_nav(site, place, &nav_html(&site.handbook, place))
}

/// [`common`], with the page's navigation made beforehand (see [`NavCache`]).
pub fn common_with_nav(site: &Site, place: Place<'_>, nav: &str) -> tera::Context {
    let hb = &site.handbook;
    let c = &hb.config;
    let href = |to: &str| relative_url(place.url, to);
    let root_prefix = "../".repeat(place.url.split('/').filter(|s| !s.is_empty()).count());
    let mut ctx = tera::Context::new();
    ctx.insert(
        "site",
        &json!({
            "title": c.title,
            "subtitle": c.subtitle,
            "description": c.description,
            "language": c.language,
            "base_url": c.base_url_with_slash(),
            "authors": c.authors,
            "crisis": c.crisis,
            "pass_mark": c.quiz.pass_mark,
        }),
    );
    ctx.insert(
        "urls",
        &json!({
            "home": href(""),
            "glossary": href("glossary/"),
            "flashcards": href("glossary/flashcards/"),
            "quizzes": href("quizzes/"),
            "practice": href("quizzes/practice/"),
            "search": href("search/"),
            "print": href("print/"),
            "root": root_prefix,
            "static": format!("{root_prefix}static/"),
        }),
    );
    ctx.insert("features", &site.features());
    ctx.insert("nav_html", nav);
    ctx.insert("lang", &c.language);
    // Absolute, for sharing and search engines (only when base_url is absolute).
    let base = c.base_url_with_slash();
    let canonical = base
        .starts_with("http")
        .then(|| format!("{base}{}", place.url));
    ctx.insert("canonical", &canonical);
    ctx
}

/// The navigation of article pages, made once per part and shared by the
/// part's articles: seen from two pages in the same folder the navigation
/// differs only in the entry of the page itself (its link and
/// `aria-current`), so an article's navigation is its part's with that one
/// entry replaced. The same HTML as [`nav_html`], without building a list
/// of every part and article for every page.
pub struct NavCache {
    /// Per part: the folder its articles are in, and the navigation seen
    /// from a page in that folder that is none of them.
    parts: Vec<std::sync::OnceLock<(String, String)>>,
    /// Every part's and article's title, HTML-escaped once.
    titles: Titles,
}

/// Part and article titles as navigation shows them (HTML-escaped), each
/// escaped when first needed: `serve` makes a cache for one page after an
/// edit, which needs only the titles of the parts and of one part's articles.
struct Titles {
    parts: Vec<std::sync::OnceLock<String>>,
    articles: Vec<std::sync::OnceLock<String>>,
}

impl Titles {
    fn of(hb: &Handbook) -> Titles {
        Titles {
            parts: (0..hb.parts.len()).map(|_| Default::default()).collect(),
            articles: (0..hb.articles.len()).map(|_| Default::default()).collect(),
        }
    }

    fn part<'a>(&'a self, hb: &Handbook, p: PartId) -> &'a str {
        self.parts[p].get_or_init(|| text(&hb.parts[p].title))
    }

    fn article<'a>(&'a self, hb: &Handbook, a: usize) -> &'a str {
        self.articles[a].get_or_init(|| text(&hb.articles[a].meta.title))
    }
}

impl NavCache {
    /// An empty cache for the parts of `hb`.
    pub fn new(hb: &Handbook) -> NavCache {
        NavCache {
            parts: (0..hb.parts.len()).map(|_| Default::default()).collect(),
            titles: Titles::of(hb),
        }
    }

    /// `nav_html(hb, place)`, with the titles escaped beforehand: for pages
    /// that are not articles (see [`NavCache::article_nav`]).
    pub fn nav(&self, hb: &Handbook, place: Place<'_>) -> String {
        nav_with(hb, place, Some(&self.titles))
    }

    /// `nav_html(hb, place)` for article `a`'s page (`place` is that page's).
    pub fn article_nav(&self, hb: &Handbook, a: usize, place: Place<'_>) -> String {
        let art = &hb.articles[a];
        let folder = parent_folder(&art.url);
        let Some(slot) = self.parts.get(art.part) else {
            return self.nav(hb, place);
        };
        // A name no page has (a NUL), so no entry is the current page's.
        let elsewhere = format!("{folder}\u{0}/");
        let (shared_folder, shared) = slot.get_or_init(|| {
            let nobody = Place {
                url: &elsewhere,
                part: Some(art.part),
                article: None,
            };
            (folder.to_string(), self.nav(hb, nobody))
        });
        if shared_folder != folder || place.part != Some(art.part) {
            return self.nav(hb, place);
        }
        let title = self.titles.article(hb, a);
        let seen_from_sibling = format!(
            "<li><a href=\"{}\">{title}</a></li>",
            attr(&relative_url(&elsewhere, &art.url))
        );
        let Some(at) = shared.find(&seen_from_sibling) else {
            return self.nav(hb, place);
        };
        let own = format!(
            "<li><a href=\"{}\" aria-current=\"page\">{title}</a></li>",
            attr(&relative_url(place.url, &art.url))
        );
        let mut html = String::with_capacity(shared.len() + 32);
        html.push_str(&shared[..at]);
        html.push_str(&own);
        html.push_str(&shared[at + seen_from_sibling.len()..]);
        html
    }
}

/// `"a/b/"` for `"a/b/c/"`; `""` for `"c/"`.
fn parent_folder(url: &str) -> &str {
    let trimmed = url.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) => &url[..=i],
        None => "",
    }
}

/// The site contents as nested lists, with the current page marked.
pub fn nav_html(hb: &Handbook, place: Place<'_>) -> String {
    nav_with(hb, place, None)
}

/// [`nav_html`], with titles escaped beforehand if `titles` has them.
fn nav_with(hb: &Handbook, place: Place<'_>, titles: Option<&Titles>) -> String {
    let open: Vec<PartId> = place.part.map(|p| hb.part_chain(p)).unwrap_or_default();
    let mut html = String::with_capacity(4096);
    html.push_str("<ul>");
    nav_entries(hb, 0, &open, place, titles, &mut html);
    html.push_str("</ul>");
    html
}

/// The most top-level parts a page's contents list shows. A handbook with
/// more shows the parts around the page's own and a link to the home page's
/// list of all of them, so that no page grows with the number of parts.
pub const NAV_PARTS_SHOWN: usize = 25;

/// Which top-level parts (by their order among the home's parts) the
/// contents list shows: `None` for all.
fn parts_window(hb: &Handbook, open: &[PartId]) -> Option<std::ops::Range<usize>> {
    let count = hb.sub_parts(0).count();
    if count <= NAV_PARTS_SHOWN {
        return None;
    }
    let own = open
        .first()
        .and_then(|top| hb.sub_parts(0).position(|p| p == *top))
        .unwrap_or(0);
    let start = own
        .saturating_sub(NAV_PARTS_SHOWN / 2)
        .min(count - NAV_PARTS_SHOWN);
    Some(start..start + NAV_PARTS_SHOWN)
}

fn nav_entries(
    hb: &Handbook,
    part: PartId,
    open: &[PartId],
    place: Place<'_>,
    titles: Option<&Titles>,
    html: &mut String,
) {
    let window = if part == 0 {
        parts_window(hb, open)
    } else {
        None
    };
    let mut ordinal = 0;
    for entry in &hb.parts[part].entries {
        if let (Entry::Part(_), Some(shown)) = (entry, &window) {
            ordinal += 1;
            if !shown.contains(&(ordinal - 1)) {
                continue;
            }
        }
        match *entry {
            Entry::Article(a) => {
                let art = &hb.articles[a];
                let current = place.article == Some(a);
                let _ = write!(
                    html,
                    "<li><a href=\"{}\"{}>{}</a></li>",
                    attr(&relative_url(place.url, &art.url)),
                    if current {
                        " aria-current=\"page\""
                    } else {
                        ""
                    },
                    match titles {
                        Some(t) => Cow::Borrowed(t.article(hb, a)),
                        None => Cow::Owned(text(&art.meta.title)),
                    }
                );
            }
            Entry::Part(p) => {
                let pt = &hb.parts[p];
                let current =
                    place.article.is_none() && place.part == Some(p) && place.url == pt.url;
                let is_open = open.contains(&p);
                let _ = write!(
                    html,
                    "<li class=\"nav-part{}\"><a href=\"{}\"{}>{}</a>",
                    if is_open { " open" } else { "" },
                    attr(&relative_url(place.url, &pt.url)),
                    if current {
                        " aria-current=\"page\""
                    } else {
                        ""
                    },
                    match titles {
                        Some(t) => Cow::Borrowed(t.part(hb, p)),
                        None => Cow::Owned(text(&pt.title)),
                    }
                );
                if is_open && !pt.entries.is_empty() {
                    html.push_str("<ul>");
                    nav_entries(hb, p, open, place, titles, html);
                    html.push_str("</ul>");
                }
                html.push_str("</li>");
            }
        }
    }
    if window.is_some() {
        let _ = write!(
            html,
            "<li class=\"nav-more\"><a href=\"{}#parts\">All {} parts</a></li>",
            attr(&relative_url(place.url, "")),
            hb.sub_parts(0).count()
        );
    }
}

/// Home > Part > Sub-part links for a page in `part`.
pub fn breadcrumbs(hb: &Handbook, part: PartId, from: &str, include_part: bool) -> Vec<Link> {
    let mut crumbs = vec![Link {
        title: "Home".into(),
        href: relative_url(from, ""),
    }];
    let chain = hb.part_chain(part);
    let take = if include_part {
        chain.len()
    } else {
        chain.len().saturating_sub(1)
    };
    for &p in &chain[..take] {
        crumbs.push(Link {
            title: hb.parts[p].title.clone(),
            href: relative_url(from, &hb.parts[p].url),
        });
    }
    crumbs
}

/// A card for an entry of a part (listing pages).
pub fn entry_card(hb: &Handbook, entry: Entry, from: &str) -> Value {
    match entry {
        Entry::Article(a) => {
            let art = &hb.articles[a];
            json!({"kind": "article", "title": art.meta.title, "summary": art.meta.summary, "href": relative_url(from, &art.url)})
        }
        Entry::Part(p) => {
            let pt = &hb.parts[p];
            json!({"kind": "part", "title": pt.title, "summary": pt.summary, "href": relative_url(from, &pt.url)})
        }
    }
}

/// HTML-escapes text for element content.
pub fn text(s: &str) -> String {
    crate::escape::html(s)
}

/// HTML-escapes text for an attribute value.
pub fn attr(s: &str) -> String {
    crate::escape::html(s)
}
