//! The navigation document (`nav.xhtml`): the table of contents, nested as
//! the parts are, each article's practice questions under it, and the
//! landmarks (cover, front matter, contents, the start of the text, the
//! glossary, the answer key) that reading systems offer as shortcuts, named
//! in the book's language (`site.words`).

use std::fmt::Write as _;

use super::language::{self, attrs};
use super::xhtml::esc;
use super::{cover, Document, Plan, ANSWERS_FILE, FRONT_FILE, GLOSSARY_FILE, INTRO_FILE};
use crate::content::Entry;
use crate::site::Site;

/// The navigation document's file name.
pub const FILE: &str = "nav.xhtml";

/// The navigation document of `site`'s book, whose other documents are `docs`.
pub fn document(site: &Site, plan: &Plan, docs: &[Document]) -> String {
    let hb = &site.handbook;
    let words = &site.words;
    let word = |key: &str| esc(words.get(key));
    let has = |file: &str| docs.iter().any(|d| d.file == file);
    let mut toc = String::from("<ol>\n");
    let _ = writeln!(
        toc,
        "<li><a href=\"{FRONT_FILE}\">{}</a></li>",
        esc(&hb.config.title)
    );
    if has(INTRO_FILE) {
        let title = docs
            .iter()
            .find(|d| d.file == INTRO_FILE)
            .map_or(words.get("epub_introduction"), |d| d.title.as_str());
        let _ = writeln!(toc, "<li><a href=\"{INTRO_FILE}\">{}</a></li>", esc(title));
    }
    entries(site, plan, 0, &word("epub_practice_questions"), &mut toc);
    for (q, quiz) in site.quizzes.iter().enumerate() {
        if quiz.article.is_none() {
            let _ = writeln!(
                toc,
                "<li><a href=\"{}\"{}>{}</a></li>",
                Plan::quiz_file(q),
                attrs(language::of_quiz_title(site, q), &hb.config.language),
                esc(&quiz.title)
            );
        }
    }
    let (glossary, answer_key) = (word("glossary"), word("answer_key"));
    if has(GLOSSARY_FILE) {
        let _ = writeln!(toc, "<li><a href=\"{GLOSSARY_FILE}\">{glossary}</a></li>");
    }
    if has(ANSWERS_FILE) {
        let _ = writeln!(toc, "<li><a href=\"{ANSWERS_FILE}\">{answer_key}</a></li>");
    }
    toc.push_str("</ol>\n");

    // The start of the text: the first part or article.
    let body_start = docs
        .iter()
        .find(|d| d.matter == "bodymatter")
        .map(|d| d.file.as_str());
    let mut landmarks = String::from("<ol>\n");
    let contents = word("epub_contents");
    let _ = writeln!(
        landmarks,
        "<li><a epub:type=\"cover\" href=\"{}\">{}</a></li>",
        cover::PAGE,
        word("epub_cover")
    );
    let _ = writeln!(
        landmarks,
        "<li><a epub:type=\"frontmatter\" href=\"{FRONT_FILE}\">{}</a></li>",
        word("epub_before_you_read")
    );
    let _ = writeln!(
        landmarks,
        "<li><a epub:type=\"toc\" href=\"{FILE}#toc\">{contents}</a></li>"
    );
    if let Some(start) = body_start {
        let _ = writeln!(
            landmarks,
            "<li><a epub:type=\"bodymatter\" href=\"{start}\">{}</a></li>",
            word("epub_start_of_text")
        );
    }
    if has(GLOSSARY_FILE) {
        let _ = writeln!(
            landmarks,
            "<li><a epub:type=\"glossary\" href=\"{GLOSSARY_FILE}\">{glossary}</a></li>"
        );
    }
    if has(ANSWERS_FILE) {
        let _ = writeln!(
            landmarks,
            "<li><a epub:type=\"appendix\" href=\"{ANSWERS_FILE}\">{answer_key}</a></li>"
        );
    }
    landmarks.push_str("</ol>\n");

    let body = format!(
        "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"trellis-toc-title\">\n<h1 id=\"trellis-toc-title\">{contents}</h1>\n{toc}</nav>\n<nav epub:type=\"landmarks\" id=\"landmarks\" aria-labelledby=\"trellis-landmarks-title\" hidden=\"hidden\">\n<h2 id=\"trellis-landmarks-title\">{}</h2>\n{landmarks}</nav>",
        word("epub_landmarks")
    );
    super::page(
        &hb.config.language,
        words.get("epub_contents"),
        "frontmatter",
        &body,
    )
}

/// The entries of part `part`, nested; `practice` names (escaped) an
/// article's practice questions.
fn entries(site: &Site, plan: &Plan, part: usize, practice: &str, out: &mut String) {
    let hb = &site.handbook;
    for entry in &hb.parts[part].entries {
        match *entry {
            Entry::Part(p) => {
                let _ = write!(
                    out,
                    "<li><a href=\"{}\"{}>{}</a>",
                    Plan::part_file(p),
                    attrs(language::of_intro(site, p), &hb.config.language),
                    esc(&hb.parts[p].title)
                );
                if !hb.parts[p].entries.is_empty() {
                    out.push_str("\n<ol>\n");
                    entries(site, plan, p, practice, out);
                    out.push_str("</ol>\n");
                }
                out.push_str("</li>\n");
            }
            Entry::Article(a) => {
                let _ = write!(
                    out,
                    "<li><a href=\"{}\"{}>{}</a>",
                    Plan::article_file(a),
                    attrs(language::of_article(site, a), &hb.config.language),
                    esc(&hb.articles[a].meta.title)
                );
                if let Some(q) = plan.quiz_of(a) {
                    let _ = write!(
                        out,
                        "\n<ol>\n<li><a href=\"{}\">{practice}</a></li>\n</ol>\n",
                        Plan::quiz_file(q)
                    );
                }
                out.push_str("</li>\n");
            }
        }
    }
}
