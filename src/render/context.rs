//! What templates see: the values shared by every page (site settings,
//! navigation, links to the built-in pages) computed for one page's place in
//! the site, so that every URL in it is relative.
//!
//! Navigation lists the top-level parts and opens only the part the page is
//! in; each list shows at most [`NAV_ENTRIES_SHOWN`] entries, those around
//! the page's own, so a page's size grows neither with the articles of
//! other parts, nor with their number, nor with the size of its own part.

use std::borrow::Cow;
use std::fmt::Write;

use serde::Serialize;
use serde_json::{json, Value};

use crate::content::{Entry, Handbook, PartId};
use crate::links::relative_url;
use crate::site::Site;
use crate::theme_strings::Words;

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
    /// The article a page belongs to without showing it (a quiz page's):
    /// a long list of the contents shows the entries around it.
    pub near: Option<usize>,
}

/// The values every page gets: `site`, `urls`, `nav_html`, `features`, `lang`.
pub fn common(site: &Site, place: Place<'_>) -> tera::Context {
    common_with_nav(site, place, &nav_html(&site.handbook, &site.words, place))
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
            "contact": c.contact,
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
            "worksheets": href(super::worksheets::WORKSHEETS_URL),
            "help": href(super::help::HELP_URL),
            "root": root_prefix,
            "static": format!("{root_prefix}static/"),
        }),
    );
    ctx.insert("features", &site.features());
    ctx.insert("nav_html", nav);
    ctx.insert("lang", &c.language);
    ctx.insert("dir", &super::languages::direction(&c.language));
    ctx.insert("alternates", &super::languages::alternates(hb, place.url));
    // Absolute, for sharing and search engines (only when base_url is absolute).
    let base = c.base_url_with_slash();
    let canonical = base
        .starts_with("http")
        .then(|| format!("{base}{}", place.url));
    ctx.insert("canonical", &canonical);
    ctx
}

/// The navigation of article pages, made once per part and shared by the
/// part's articles. Seen from two pages in the same folder the navigation
/// differs only in which of the part's entries are shown (the window around
/// the page's own) and in the page's own entry (its link and
/// `aria-current`), so the cache keeps, per part, the HTML before and after
/// the part's list of entries and each entry's HTML seen from a sibling.
/// The same HTML as [`nav_html`], without walking every part and article
/// for every page.
pub struct NavCache {
    parts: Vec<std::sync::OnceLock<PartNav>>,
    /// Every part's and article's title, HTML-escaped once.
    titles: Titles,
    /// The words of the link to a long list.
    words: Words,
}

/// One part's share of its articles' navigation.
struct PartNav {
    /// The folder its articles are in.
    folder: String,
    /// The navigation up to the part's list of entries, and after it.
    before: String,
    after: String,
    /// Each entry of the part as seen from a page in `folder` that is none of them.
    entries: Vec<String>,
    /// The "all N" link that ends a list shown in part.
    more: String,
    /// The part's articles and their index among its entries, by article.
    slots: Vec<(usize, usize)>,
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
    /// An empty cache for the parts of `hb`, its words those of `words`.
    pub fn new(hb: &Handbook, words: &Words) -> NavCache {
        NavCache {
            parts: (0..hb.parts.len()).map(|_| Default::default()).collect(),
            titles: Titles::of(hb),
            words: words.clone(),
        }
    }

    /// `nav_html(hb, words, place)`, with the titles escaped beforehand:
    /// for pages that are not articles (see [`NavCache::article_nav`]).
    pub fn nav(&self, hb: &Handbook, place: Place<'_>) -> String {
        nav_with(hb, &self.words, place, Some(&self.titles), None).0
    }

    /// `nav_html(hb, words, place)` for article `a`'s page (`place` is that page's).
    pub fn article_nav(&self, hb: &Handbook, a: usize, place: Place<'_>) -> String {
        let art = &hb.articles[a];
        let folder = parent_folder(&art.url);
        let Some(slot) = self.parts.get(art.part) else {
            return self.nav(hb, place);
        };
        let shared = slot.get_or_init(|| self.part_nav(hb, art.part, folder));
        if shared.folder != folder || place.part != Some(art.part) {
            return self.nav(hb, place);
        }
        let Ok(found) = shared
            .slots
            .binary_search_by_key(&a, |&(article, _)| article)
        else {
            return self.nav(hb, place);
        };
        let own_at = shared.slots[found].1;
        let shown = entries_window(shared.entries.len(), Some(own_at));
        let mut own = String::new();
        open_entry_link(
            &mut own,
            &relative_url(place.url, &art.url),
            true,
            self.titles.article(hb, a),
        );
        own.push_str("</li>");
        let mut html = String::with_capacity(
            shared.before.len()
                + shared.after.len()
                + shared.more.len()
                + shown
                    .clone()
                    .map(|i| shared.entries[i].len())
                    .sum::<usize>()
                + 32,
        );
        html.push_str(&shared.before);
        for i in shown.clone() {
            html.push_str(if i == own_at {
                &own
            } else {
                &shared.entries[i]
            });
        }
        if shown.len() < shared.entries.len() {
            html.push_str(&shared.more);
        }
        html.push_str(&shared.after);
        html
    }

    /// Part `p`'s share of the navigation of its articles in `folder`.
    fn part_nav(&self, hb: &Handbook, p: PartId, folder: &str) -> PartNav {
        // A name no page has (a NUL), so no entry is the current page's.
        let elsewhere = format!("{folder}\u{0}/");
        let nobody = Place {
            url: &elsewhere,
            part: Some(p),
            article: None,
            near: None,
        };
        let (html, hole) = nav_with(hb, &self.words, nobody, Some(&self.titles), Some(p));
        let at = hole.unwrap_or(html.len());
        let open = hb.part_chain(p);
        let entries = hb.parts[p]
            .entries
            .iter()
            .map(|&entry| {
                let mut li = String::new();
                open_entry(hb, entry, &open, nobody, Some(&self.titles), &mut li);
                li.push_str("</li>");
                li
            })
            .collect();
        let mut slots: Vec<(usize, usize)> = hb.parts[p]
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                Entry::Article(a) => Some((*a, i)),
                Entry::Part(_) => None,
            })
            .collect();
        slots.sort_unstable();
        let mut more = String::new();
        more_link(hb, &self.words, p, nobody, &mut more);
        PartNav {
            folder: folder.to_string(),
            before: html[..at].to_string(),
            after: html[at..].to_string(),
            entries,
            more,
            slots,
        }
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

/// The site contents as nested lists, with the current page marked; the
/// link to a long list in `words`' language.
pub fn nav_html(hb: &Handbook, words: &Words, place: Place<'_>) -> String {
    nav_with(hb, words, place, None, None).0
}

/// [`nav_html`], with titles escaped beforehand if `titles` has them. With
/// `hole`, that part's list of entries is left out and where it would be
/// is returned.
fn nav_with(
    hb: &Handbook,
    words: &Words,
    place: Place<'_>,
    titles: Option<&Titles>,
    hole: Option<PartId>,
) -> (String, Option<usize>) {
    let open: Vec<PartId> = place.part.map(|p| hb.part_chain(p)).unwrap_or_default();
    let mut nav = Nav {
        hb,
        words,
        open: &open,
        place,
        titles,
        hole,
        hole_at: None,
        html: String::with_capacity(4096),
    };
    nav.html.push_str("<ul>");
    nav.entries(0);
    nav.html.push_str("</ul>");
    (nav.html, nav.hole_at)
}

/// The most entries (parts and articles) one list of the contents shows. A
/// part with more, or a handbook with more top-level parts, shows those
/// around the page's own and a link to the list of all of them (the home
/// page's, or the part's page), so that no page grows with the number of
/// parts or with the number of articles in its part.
pub const NAV_ENTRIES_SHOWN: usize = 25;

/// Which of a list's `count` entries the contents show: all when there are
/// at most [`NAV_ENTRIES_SHOWN`], else that many around entry `own` (or
/// from the first when the page is in none of them).
fn entries_window(count: usize, own: Option<usize>) -> std::ops::Range<usize> {
    if count <= NAV_ENTRIES_SHOWN {
        return 0..count;
    }
    let start = own
        .unwrap_or(0)
        .saturating_sub(NAV_ENTRIES_SHOWN / 2)
        .min(count - NAV_ENTRIES_SHOWN);
    start..start + NAV_ENTRIES_SHOWN
}

/// The navigation being written for one page.
struct Nav<'a> {
    hb: &'a Handbook,
    words: &'a Words,
    /// The parts the page is in, outermost first (the home excluded).
    open: &'a [PartId],
    place: Place<'a>,
    titles: Option<&'a Titles>,
    hole: Option<PartId>,
    hole_at: Option<usize>,
    html: String,
}

impl Nav<'_> {
    /// Part `part`'s entries (the window of them) and, when not all are
    /// shown, the link to all.
    fn entries(&mut self, part: PartId) {
        if self.hole == Some(part) {
            self.hole_at = Some(self.html.len());
            return;
        }
        let entries = &self.hb.parts[part].entries;
        let own = entries.iter().position(|e| match *e {
            Entry::Article(a) => self.place.article == Some(a) || self.place.near == Some(a),
            Entry::Part(p) => self.open.contains(&p),
        });
        let shown = entries_window(entries.len(), own);
        for &entry in &entries[shown.clone()] {
            open_entry(
                self.hb,
                entry,
                self.open,
                self.place,
                self.titles,
                &mut self.html,
            );
            if let Entry::Part(p) = entry {
                if self.open.contains(&p) && !self.hb.parts[p].entries.is_empty() {
                    // An open part lists its own entries inside its item.
                    self.html.push_str("<ul>");
                    self.entries(p);
                    self.html.push_str("</ul>");
                }
            }
            self.html.push_str("</li>");
        }
        if shown.len() < entries.len() {
            more_link(self.hb, self.words, part, self.place, &mut self.html);
        }
    }
}

/// One entry of a list of the contents, its `<li>` left open (`<li><a
/// …>…</a>`): the caller adds an open part's own list inside it, then
/// `</li>`.
fn open_entry(
    hb: &Handbook,
    entry: Entry,
    open: &[PartId],
    place: Place<'_>,
    titles: Option<&Titles>,
    html: &mut String,
) {
    match entry {
        Entry::Article(a) => {
            let art = &hb.articles[a];
            let title = match titles {
                Some(t) => Cow::Borrowed(t.article(hb, a)),
                None => Cow::Owned(text(&art.meta.title)),
            };
            open_entry_link(
                html,
                &relative_url(place.url, &art.url),
                place.article == Some(a),
                &title,
            );
        }
        Entry::Part(p) => {
            let pt = &hb.parts[p];
            let current = place.article.is_none() && place.part == Some(p) && place.url == pt.url;
            let _ = write!(
                html,
                "<li class=\"nav-part{}\"><a href=\"{}\"{}>{}</a>",
                if open.contains(&p) { " open" } else { "" },
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
        }
    }
}

/// An article's entry, its `<li>` left open: `<li><a href="…">title</a>`,
/// marked when it is the page's own. `title` is escaped already.
fn open_entry_link(html: &mut String, href: &str, current: bool, title: &str) {
    let _ = write!(
        html,
        "<li><a href=\"{}\"{}>{title}</a>",
        attr(href),
        if current {
            " aria-current=\"page\""
        } else {
            ""
        }
    );
}

/// The link that ends a list shown in part: to the home page's list of
/// every part, or to part `part`'s page, which lists all its entries.
fn more_link(hb: &Handbook, words: &Words, part: PartId, place: Place<'_>, html: &mut String) {
    let entries = &hb.parts[part].entries;
    let parts = entries
        .iter()
        .filter(|e| matches!(e, Entry::Part(_)))
        .count();
    let (key, n) = match (parts, entries.len() - parts) {
        (n, 0) => ("nav_all_parts", n),
        (0, n) => ("nav_all_articles", n),
        (_, _) => ("nav_all_entries", entries.len()),
    };
    let what = text(&words.get(key).replace("{n}", &n.to_string()));
    if part == 0 {
        // The home page lists the parts under #trellis-parts, top-level
        // articles under #trellis-articles.
        let _ = write!(
            html,
            "<li class=\"nav-more\"><a href=\"{}#{}\">{what}</a></li>",
            attr(&relative_url(place.url, "")),
            if parts == 0 {
                "trellis-articles"
            } else {
                "trellis-parts"
            },
        );
    } else {
        let pt = &hb.parts[part];
        let all = text(words.get("nav_all_in"))
            .replace("{all}", &what)
            .replace("{part}", &text(&pt.title));
        let _ = write!(
            html,
            "<li class=\"nav-more\"><a href=\"{}\">{all}</a></li>",
            attr(&relative_url(place.url, &pt.url)),
        );
    }
}

/// Home > Part > Sub-part links for a page in `part`.
pub fn breadcrumbs(site: &Site, part: PartId, from: &str, include_part: bool) -> Vec<Link> {
    let hb = &site.handbook;
    let mut crumbs = vec![Link {
        title: site.words.get("home").into(),
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
