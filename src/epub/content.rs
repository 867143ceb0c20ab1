//! The book's text documents: the front matter (title, "not a substitute
//! for care", crisis help), the home page's introduction, each part and
//! each article (with its reference list), and the glossary.
//!
//! Articles and intros are the print view's HTML (`Site::render_one_for_print`),
//! converted to XHTML ([`super::xhtml`]) with links sent to the document
//! that holds their target ([`super::links`]). Everything around them is
//! written here, escaped, with the `epub:type` and ARIA roles reading systems
//! and assistive technology navigate by (`doc-chapter`, `doc-part`,
//! `doc-bibliography`, `doc-glossary` …), its words the theme's in the
//! book's language (`site.words`).

use std::collections::HashSet;
use std::fmt::Write as _;

use super::language::{self, attrs};
use super::links::{Anchors, BookLinks};
use super::media::Images;
use super::words::fill;
use super::xhtml::{esc, ids, Converter};
use super::{Document, Plan, FRONT_FILE, GLOSSARY_FILE, INTRO_FILE};
use crate::content::Entry;
use crate::frontmatter::ClinicalReview;
use crate::markdown::print_anchor;
use crate::site::{Site, Source};

/// What every document of one book is made from.
pub struct Books<'a> {
    /// The handbook.
    pub site: &'a Site,
    /// Which document holds each id.
    pub anchors: &'a Anchors,
    /// The book's images.
    pub images: &'a Images,
    /// `base_url` when it is a web address.
    pub web: Option<String>,
}

/// A document being written: its body and what its HTML held.
pub struct Writer<'b> {
    books: &'b Books<'b>,
    file: String,
    /// The body so far.
    pub body: String,
    found: super::xhtml::Found,
    /// The attributes marking the author's inline text as another language
    /// than the book's ([`super::language::attrs`]), empty when it is the book's.
    text_language: String,
}

impl<'b> Writer<'b> {
    /// A new document `file`.
    pub fn new(books: &'b Books<'b>, file: &str) -> Writer<'b> {
        Writer {
            books,
            file: file.to_string(),
            body: String::new(),
            found: Default::default(),
            text_language: String::new(),
        }
    }

    /// The handbook the book is made of (its words for the book's own text).
    pub fn site(&self) -> &'b Site {
        self.books.site
    }

    /// Appends `html` (site HTML: the print view's, or inline markdown's)
    /// as XHTML. `local` are the ids this document holds besides those of
    /// `html` itself.
    pub fn html(&mut self, html: &str, local: &HashSet<String>) {
        let mut ids = ids(html);
        ids.extend(local.iter().cloned());
        let links = BookLinks {
            anchors: self.books.anchors,
            local: ids,
            file: &self.file,
            images: self.books.images,
            web: self.books.web.as_deref(),
        };
        let mut converter = Converter::new(&links);
        let xhtml = converter.convert(html);
        self.found.svg |= converter.found.svg;
        self.found.mathml |= converter.found.mathml;
        self.body.push_str(&xhtml);
    }

    /// Inline HTML (quiz text, definitions) as XHTML, returned.
    pub fn inline(&mut self, html: &str) -> String {
        let start = self.body.len();
        self.html(html, &HashSet::new());
        self.body.split_off(start)
    }

    /// The author's inline text (a quiz's prompt, choices, rationale) as
    /// [`Writer::inline`] makes it, in a span marking its language when
    /// [`Writer::text_language`] set one.
    pub fn text(&mut self, html: &str) -> String {
        let xhtml = self.inline(html);
        marked(&xhtml, &self.text_language)
    }

    /// Marks the author's text that [`Writer::text`] returns as `lang`
    /// (`None`: the book's).
    pub fn text_language(&mut self, lang: Option<&str>) {
        self.text_language = attrs(lang, &self.books.site.handbook.config.language);
    }

    /// Appends markup Trellis writes itself (already XHTML).
    pub fn push(&mut self, xhtml: &str) {
        self.body.push_str(xhtml);
    }

    /// The finished document.
    pub fn finish(self, title: &str, matter: &'static str) -> Document {
        Document {
            file: self.file,
            title: title.to_string(),
            matter,
            body: self.body,
            found: self.found,
        }
    }
}

/// Whether the home page has an introduction (`content/_index.md` with text).
pub fn has_intro(site: &Site) -> bool {
    let home = &site.handbook.parts[0];
    home.index_file.is_some() && !home.intro.trim().is_empty()
}

/// The front matter: the title page, "not a substitute for care" and the
/// crisis help of `handbook.yaml`.
pub fn front(books: &Books<'_>) -> Document {
    let config = &books.site.handbook.config;
    let words = &books.site.words;
    let mut w = Writer::new(books, FRONT_FILE);
    let mut s = String::new();
    let _ = write!(
        s,
        "<section class=\"title-page\" epub:type=\"titlepage\" aria-labelledby=\"trellis-title\">\n<h1 id=\"trellis-title\">{}</h1>\n",
        esc(&config.title)
    );
    if let Some(sub) = &config.subtitle {
        let _ = writeln!(s, "<p class=\"subtitle\">{}</p>", esc(sub));
    }
    if !config.authors.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"authors\">{}</p>",
            esc(&config.authors.join(", "))
        );
    }
    if let Some(d) = &config.description {
        let _ = writeln!(s, "<p class=\"description\">{}</p>", esc(d));
    }
    s.push_str("</section>\n");
    let _ = writeln!(
        s,
        "<section class=\"crisis\" id=\"trellis-crisis\" aria-labelledby=\"trellis-crisis-title\">\n<h2 id=\"trellis-crisis-title\">{}</h2>",
        esc(words.get("epub_crisis_title"))
    );
    match &config.crisis {
        Some(c) => {
            let _ = writeln!(s, "<p><strong>{}</strong></p>", esc(&c.message));
            link_list(&mut s, &c.links);
            for r in &c.regions {
                let _ = writeln!(s, "<h3>{}</h3>", esc(&r.name));
                if let Some(e) = &r.emergency {
                    let _ = writeln!(
                        s,
                        "<p>{}: <a href=\"tel:{}\">{}</a></p>",
                        esc(words.get("help_emergency")),
                        esc(&e.chars().filter(|c| !c.is_whitespace()).collect::<String>()),
                        esc(e)
                    );
                }
                link_list(&mut s, &r.links);
            }
            if let Some(e) = &c.elsewhere {
                if !c.regions.is_empty() {
                    let _ = writeln!(s, "<h3>{}</h3>", esc(words.get("epub_crisis_elsewhere")));
                }
                link_list(&mut s, std::slice::from_ref(e));
            }
            if let Some(other) = &c.someone_else {
                let _ = writeln!(s, "<p>{}</p>", esc(other));
            }
        }
        None => {
            let _ = writeln!(
                s,
                "<p><strong>{}</strong></p>",
                esc(words.get("epub_crisis_danger"))
            );
        }
    }
    s.push_str("</section>\n");
    let _ = write!(
        s,
        "<section class=\"not-a-substitute\" aria-labelledby=\"trellis-care\">\n<h2 id=\"trellis-care\">{}</h2>\n<p>{}</p>\n</section>\n",
        esc(words.get("epub_not_care_title")),
        esc(words.get("epub_not_care"))
    );
    w.push(&s);
    w.finish(&config.title, "frontmatter")
}

/// A list of crisis links (`tel:`, `sms:`, web addresses).
fn link_list(s: &mut String, links: &[crate::config::CrisisLink]) {
    if links.is_empty() {
        return;
    }
    s.push_str("<ul class=\"crisis-links\">\n");
    for l in links {
        // Text only for `sms:`, which reading systems do not know (the
        // label names the number); every other address is a link.
        if l.href.to_ascii_lowercase().starts_with("sms:") {
            let _ = writeln!(s, "<li>{}</li>", esc(&l.label));
        } else {
            let _ = writeln!(
                s,
                "<li><a href=\"{}\">{}</a></li>",
                esc(&l.href),
                esc(&l.label)
            );
        }
    }
    s.push_str("</ul>\n");
}

/// The home page's introduction, when it has one.
pub fn intro(books: &Books<'_>) -> Option<Document> {
    let site = books.site;
    if !has_intro(site) {
        return None;
    }
    let home = &site.handbook.parts[0];
    let mark = attrs(language::of_intro(site, 0), &site.handbook.config.language);
    let (title, title_mark) =
        if home.title.trim().is_empty() || home.title == site.handbook.config.title {
            (site.words.get("epub_introduction").to_string(), "")
        } else {
            (home.title.clone(), mark.as_str())
        };
    let mut w = Writer::new(books, INTRO_FILE);
    let anchor = print_anchor("");
    w.push(&format!(
        "<section epub:type=\"introduction\" role=\"doc-introduction\" id=\"{anchor}\" aria-labelledby=\"trellis-title\">\n<h1 id=\"trellis-title\"{title_mark}>{}</h1>\n",
        esc(&title)
    ));
    w.push(&language::outdated_notice(site, Source::Intro(0)));
    let local: HashSet<String> = [anchor.clone()].into_iter().collect();
    open_text(&mut w, &mark);
    w.html(&site.render_one_for_print(Source::Intro(0)), &local);
    close_text(&mut w, &mark);
    references(&mut w, &site.intros[0].references_html, &local);
    w.push("\n</section>");
    Some(w.finish(&title, "frontmatter"))
}

/// Part `p`: its title, summary, introduction and what it holds.
pub fn part(books: &Books<'_>, p: usize) -> Document {
    let site = books.site;
    let hb = &site.handbook;
    let pt = &hb.parts[p];
    let anchor = print_anchor(&pt.url);
    let book = hb.config.language.as_str();
    // An untranslated introduction keeps its title and summary too.
    let mark = attrs(language::of_intro(site, p), book);
    let mut w = Writer::new(books, &Plan::part_file(p));
    w.push(&format!(
        "<section epub:type=\"part\" role=\"doc-part\" id=\"{anchor}\" aria-labelledby=\"trellis-title\">\n<h1 id=\"trellis-title\"{mark}>{}</h1>\n",
        esc(&pt.title)
    ));
    if let Some(summary) = &pt.summary {
        w.push(&format!("<p class=\"lede\"{mark}>{}</p>\n", esc(summary)));
    }
    let local: HashSet<String> = [anchor.clone()].into_iter().collect();
    if pt.index_file.is_some() && !pt.intro.trim().is_empty() {
        w.push(&language::outdated_notice(site, Source::Intro(p)));
        open_text(&mut w, &mark);
        w.html(&site.render_one_for_print(Source::Intro(p)), &local);
        close_text(&mut w, &mark);
        references(&mut w, &site.intros[p].references_html, &local);
    }
    if !pt.entries.is_empty() {
        let mut list = format!(
            "<nav class=\"part-contents\" aria-labelledby=\"trellis-in-this-part\">\n<h2 id=\"trellis-in-this-part\">{}</h2>\n<ol>\n",
            esc(site.words.get("part_entries"))
        );
        for entry in &pt.entries {
            let (file, title, lang) = match *entry {
                Entry::Part(sub) => (
                    Plan::part_file(sub),
                    &hb.parts[sub].title,
                    language::of_intro(site, sub),
                ),
                Entry::Article(a) => (
                    Plan::article_file(a),
                    &hb.articles[a].meta.title,
                    language::of_article(site, a),
                ),
            };
            let _ = writeln!(
                list,
                "<li><a href=\"{file}\"{}>{}</a></li>",
                attrs(lang, book),
                esc(title)
            );
        }
        list.push_str("</ol>\n</nav>\n");
        w.push(&list);
    }
    w.push("</section>");
    w.finish(&pt.title, "bodymatter")
}

/// Article `a`, with its reference list and a link to its practice
/// questions (quiz `quiz`, when it has one).
pub fn article(books: &Books<'_>, a: usize, quiz: Option<usize>) -> Document {
    let site = books.site;
    let words = &site.words;
    let art = &site.handbook.articles[a];
    let meta = &art.meta;
    let anchor = print_anchor(&art.url);
    // Not yet translated, the author's text is marked as the default
    // language's; the book's own words around it stay the book's.
    let untranslated = language::of_article(site, a);
    let mark = attrs(untranslated, &site.handbook.config.language);
    let mut w = Writer::new(books, &Plan::article_file(a));
    let mut head = format!(
        "<section epub:type=\"chapter\" role=\"doc-chapter\" id=\"{anchor}\" aria-labelledby=\"trellis-title\">\n<h1 id=\"trellis-title\"{mark}>{}</h1>\n",
        esc(&meta.title)
    );
    if untranslated.is_some() {
        head.push_str(&language::notice(site));
    }
    head.push_str(&language::outdated_notice(site, Source::Article(a)));
    if let Some(summary) = &meta.summary {
        let _ = writeln!(head, "<p class=\"lede\"{mark}>{}</p>", esc(summary));
    }
    // The same sentences as the article page's (`article.html`,
    // `clinical_review.html`), from the same words.
    let by = esc(words.get("reviewed_by"));
    head.push_str("<p class=\"meta\">");
    if let Some(reviewed) = &meta.reviewed {
        let _ = write!(
            head,
            "{} {}",
            esc(words.get("reviewed_on")),
            esc(&words.date(reviewed.0))
        );
        if let Some(reviewer) = &meta.reviewer {
            let _ = write!(head, " {by} {}", esc(reviewer));
        }
        head.push_str(". ");
    }
    let clinical = esc(words.get("clinical_review"));
    match &meta.clinical_review {
        Some(ClinicalReview::Done { date, reviewer }) => {
            let _ = write!(
                head,
                "{clinical} {} {by} {}.",
                esc(&words.date(date.0)),
                esc(reviewer)
            );
        }
        _ => {
            let _ = write!(
                head,
                "{clinical} {}",
                esc(words.get("clinical_review_pending"))
            );
        }
    }
    head.push_str("</p>\n");
    if let Some(note) = &meta.content_note {
        let _ = writeln!(
            head,
            "<div class=\"content-note\" role=\"note\"><p><strong>{}</strong> {}</p></div>",
            esc(words.get("content_note")),
            marked(&esc(note), &mark)
        );
    }
    w.push(&head);
    let local: HashSet<String> = [anchor.clone()].into_iter().collect();
    open_text(&mut w, &mark);
    w.html(&site.render_one_for_print(Source::Article(a)), &local);
    close_text(&mut w, &mark);
    if meta.crisis_note {
        if let Some(c) = &site.handbook.config.crisis {
            let mut note = format!(
                "\n<aside class=\"crisis-note\" aria-labelledby=\"trellis-crisis-note\">\n<h2 id=\"trellis-crisis-note\">{}</h2>\n<p>{}",
                esc(words.get("crisis_note_title")),
                esc(&c.message)
            );
            if let Some(other) = &c.someone_else {
                let _ = write!(note, " {}", esc(other));
            }
            let _ = writeln!(
                note,
                "</p>\n<p><a href=\"{FRONT_FILE}#trellis-crisis\">{}</a></p>\n</aside>",
                esc(words.get("epub_crisis_note_link"))
            );
            w.push(&note);
        }
    }
    references(&mut w, &site.articles[a].references_html, &local);
    if let Some(q) = quiz {
        w.push(&format!(
            "\n<p class=\"practice-link\"><a href=\"{}\">{}</a></p>",
            Plan::quiz_file(q),
            esc(words.get("epub_practice_link"))
        ));
    }
    w.push("\n</section>");
    w.finish(&meta.title, "bodymatter")
}

/// Opens a block of the author's text marked by `mark` (see
/// [`language::attrs`]); nothing when it is the book's language.
fn open_text(w: &mut Writer<'_>, mark: &str) {
    if !mark.is_empty() {
        w.push(&format!("<div{mark}>\n"));
    }
}

/// Closes what [`open_text`] opened.
fn close_text(w: &mut Writer<'_>, mark: &str) {
    if !mark.is_empty() {
        w.push("\n</div>");
    }
}

/// Inline `xhtml` marked by `mark` (see [`language::attrs`]): in a span
/// when there is a mark, else as it is.
pub fn marked(xhtml: &str, mark: &str) -> String {
    if mark.is_empty() || xhtml.is_empty() {
        xhtml.to_string()
    } else {
        format!("<span{mark}>{xhtml}</span>")
    }
}

/// A reference list, when there is one.
fn references(w: &mut Writer<'_>, html: &str, local: &HashSet<String>) {
    if html.trim().is_empty() {
        return;
    }
    let title = esc(w.site().words.get("references"));
    w.push(&format!("\n<section class=\"references\" epub:type=\"bibliography\" role=\"doc-bibliography\" aria-labelledby=\"trellis-references\">\n<h2 id=\"trellis-references\">{title}</h2>\n"));
    w.html(html, local);
    w.push("\n</section>");
}

/// The glossary, A–Z, each term with its definition, aliases and related terms.
pub fn glossary(books: &Books<'_>) -> Document {
    let glossary = &books.site.glossary;
    let words = &books.site.words;
    let title = words.get("glossary");
    let mut w = Writer::new(books, GLOSSARY_FILE);
    w.push(&format!("<section epub:type=\"glossary\" role=\"doc-glossary\" aria-labelledby=\"trellis-title\">\n<h1 id=\"trellis-title\">{}</h1>\n<dl>\n", esc(title)));
    for t in &glossary.terms {
        let mut entry = format!(
            "<dt id=\"glossary-{}\" epub:type=\"glossterm\"><dfn>{}</dfn>",
            esc(&t.slug),
            esc(&t.term)
        );
        if !t.aliases.is_empty() {
            let _ = write!(
                entry,
                " <span class=\"aliases\">{}</span>",
                fill(
                    words.get("epub_glossary_also"),
                    &[("terms", &esc(&t.aliases.join(", ")))]
                )
            );
        }
        entry.push_str("</dt>\n<dd epub:type=\"glossdef\">");
        w.push(&entry);
        let definition = w.inline(&t.definition_html);
        w.push(&definition);
        let related: Vec<String> = t
            .see_also
            .iter()
            .filter_map(|name| glossary.lookup(name).and_then(|i| glossary.terms.get(i)))
            .map(|other| {
                format!(
                    "<a href=\"#glossary-{}\">{}</a>",
                    esc(&other.slug),
                    esc(&other.term)
                )
            })
            .collect();
        if !related.is_empty() {
            w.push(&format!(
                " <span class=\"see-also\">{} {}.</span>",
                esc(words.get("glossary_see_also")),
                related.join(", ")
            ));
        }
        w.push("</dd>\n");
    }
    w.push("</dl>\n</section>");
    w.finish(title, "backmatter")
}
