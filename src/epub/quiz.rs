//! Each quiz as practice questions after its article, and one answer key
//! at the back of the book, each question and its answer linked both ways.
//!
//! The questions are the worksheets' ([`crate::render::worksheets`]), so
//! choices, ordering items and matching options are lettered in the order
//! the quiz page shows them without JavaScript, and the key names the
//! same letters as the page. Per type: `single` and `multiple` list their
//! lettered choices; `true-false` reads "True / False"; `short-answer`
//! asks for a few words; `ordering` letters its items to put in order;
//! `matching` numbers its items beside lettered options. The key gives the
//! letters (for an ordering, first to last; for a matching, each item's
//! letter), the words, or the accepted answers, then the rationale: the
//! question's explanation, else the feedback of its wrong choices. Its
//! words are the theme's in the book's language (`site.words`).

use std::fmt::Write as _;

use super::content::{Books, Writer};
use super::language::{self, attrs};
use super::words::fill;
use super::xhtml::esc;
use super::{Document, Plan, ANSWERS_FILE};
use crate::render::worksheets::{Worksheet, WorksheetQuestion, WorksheetsPage};

/// The id of question `number` of quiz `q` in its document.
fn question_id(q: usize, number: usize) -> String {
    format!("q-{}-{number}", q + 1)
}

/// The id of its answer in the answer key.
fn answer_id(q: usize, number: usize) -> String {
    format!("a-{}-{number}", q + 1)
}

/// The key of what to do, by question type: the quiz pages' words where
/// they fit a book, the book's own where the page's speak of typing or
/// choosing from a list.
fn hint(kind: &str) -> &'static str {
    match kind {
        "single" => "hint_single",
        "multiple" => "hint_multiple",
        "true-false" => "hint_true_false",
        "short-answer" => "epub_hint_short_answer",
        "ordering" => "epub_hint_ordering",
        "matching" => "epub_hint_matching",
        _ => "epub_hint_other",
    }
}

/// Quiz `q` (index into `Site::quizzes`) as practice questions.
pub fn practice(books: &Books<'_>, q: usize, sheet: &Worksheet) -> Document {
    let site = books.site;
    let words = &site.words;
    let book = site.handbook.config.language.as_str();
    let mut w = Writer::new(books, &Plan::quiz_file(q));
    // Not yet translated, the quiz's own text is marked as the default
    // language's, and the chapter opens with the pages' notice.
    let untranslated = language::of_quiz(site, q);
    w.text_language(untranslated);
    let quiz = site.quizzes.get(q);
    let mut s = format!(
        "<section class=\"practice\" id=\"quiz-{}\" aria-labelledby=\"trellis-title\">\n<h1 id=\"trellis-title\"{}>{}</h1>\n",
        q + 1,
        attrs(language::of_quiz_title(site, q), book),
        esc(&sheet.title)
    );
    if untranslated.is_some() {
        s.push_str(&language::notice(site));
    }
    let article = quiz
        .and_then(|quiz| quiz.article)
        .and_then(|a| site.handbook.articles.get(a).map(|art| (a, art)));
    let lede = match article {
        Some((a, art)) => fill(
            words.get("epub_practice_on"),
            &[(
                "article",
                &format!(
                    "<a href=\"{}\"{}>{}</a>",
                    Plan::article_file(a),
                    attrs(language::of_article(site, a), book),
                    esc(&art.meta.title)
                ),
            )],
        ),
        None => esc(words.get("epub_practice_lede")),
    };
    let key = format!(
        "<a href=\"{ANSWERS_FILE}\">{}</a>",
        esc(words.get("worksheets_intro_link"))
    );
    let _ = write!(
        s,
        "<p class=\"lede\">{lede}</p>\n<p class=\"hint\">{}</p>\n<ol class=\"questions\">\n",
        fill(words.get("epub_practice_hint"), &[("link", &key)])
    );
    w.push(&s);
    for question in &sheet.questions {
        question_item(&mut w, q, question);
    }
    w.push("</ol>\n</section>");
    w.finish(&sheet.title, "bodymatter")
}

fn question_item(w: &mut Writer<'_>, q: usize, question: &WorksheetQuestion) {
    let words = &w.site().words;
    let n = question.number;
    w.push(&format!(
        "<li class=\"question\" id=\"{}\">\n<p class=\"prompt\"><span class=\"number\">{n}.</span> ",
        question_id(q, n)
    ));
    let prompt = w.text(&question.prompt_html);
    w.push(&prompt);
    w.push(&format!(
        "</p>\n<p class=\"hint\">{}</p>\n",
        esc(words.get(hint(question.kind)))
    ));
    if !question.items.is_empty() {
        w.push("<ol class=\"items\">\n");
        for item in &question.items {
            let html = w.text(&item.html);
            w.push(&format!(
                "<li><span class=\"number\">{}.</span> {html}</li>\n",
                item.number
            ));
        }
        w.push("</ol>\n");
    }
    match question.kind {
        "true-false" => w.push(&format!(
            "<ul class=\"choices\">\n<li>{}</li>\n<li>{}</li>\n</ul>\n",
            esc(words.get("true_word")),
            esc(words.get("false_word"))
        )),
        _ if !question.choices.is_empty() => {
            w.push("<ol class=\"choices\">\n");
            for c in &question.choices {
                let html = w.text(&c.html);
                w.push(&format!(
                    "<li><span class=\"letter\">{}.</span> {html}</li>\n",
                    esc(&c.letter)
                ));
            }
            w.push("</ol>\n");
        }
        _ => {}
    }
    w.push(&format!(
        "<p class=\"to-answer\"><a href=\"{ANSWERS_FILE}#{}\">{}</a></p>\n</li>\n",
        answer_id(q, n),
        fill(words.get("epub_to_answer"), &[("n", &n.to_string())])
    ));
}

/// The answer key: per quiz and question, the answer and its rationale,
/// each linking back to its question.
pub fn answer_key(books: &Books<'_>, sheets: &WorksheetsPage) -> Document {
    let words = &books.site.words;
    let title = words.get("answer_key");
    let mut w = Writer::new(books, ANSWERS_FILE);
    w.push(&format!("<section class=\"answer-key\" epub:type=\"appendix\" role=\"doc-appendix\" aria-labelledby=\"trellis-title\">\n<h1 id=\"trellis-title\">{}</h1>\n<p class=\"hint\">{}</p>\n", esc(title), esc(words.get("epub_answers_hint"))));
    let site = books.site;
    for (q, sheet) in sheets.quizzes.iter().enumerate() {
        w.text_language(language::of_quiz(site, q));
        w.push(&format!(
            "<section class=\"answers\" id=\"answers-{0}\" aria-labelledby=\"answers-{0}-title\">\n<h2 id=\"answers-{0}-title\"><a href=\"{1}\"{3}>{2}</a></h2>\n<ol class=\"answers\">\n",
            q + 1,
            Plan::quiz_file(q),
            esc(&sheet.title),
            attrs(language::of_quiz_title(site, q), &site.handbook.config.language)
        ));
        for question in &sheet.questions {
            let n = question.number;
            w.push(&format!(
                "<li id=\"{}\">\n<p class=\"answer\"><span class=\"number\">{n}.</span> <strong>",
                answer_id(q, n)
            ));
            // Letters and numbers are no language's, true and false are
            // the book's words; a short answer's accepted words are the quiz's.
            let answer = match question.kind {
                "single" | "multiple" | "true-false" | "ordering" | "matching" => {
                    w.inline(&question.answer_html)
                }
                _ => w.text(&question.answer_html),
            };
            w.push(&answer);
            w.push("</strong>");
            // The keyed choices' words too, so the key reads on its own.
            if matches!(question.kind, "single" | "multiple") {
                let keyed: Vec<&str> = question
                    .answer_html
                    .split(", ")
                    .filter_map(|l| question.choices.iter().find(|c| c.letter == l))
                    .map(|c| c.html.as_str())
                    .collect();
                if !keyed.is_empty() {
                    let words = w.text(&keyed.join("; "));
                    w.push(&format!(": {words}"));
                }
            }
            w.push("</p>\n");
            if let Some(explanation) = &question.explanation_html {
                let html = w.text(explanation);
                w.push(&format!("<p class=\"rationale\">{html}</p>\n"));
            } else if !question.feedback.is_empty() {
                w.push("<ul class=\"rationale\">\n");
                for f in &question.feedback {
                    let html = w.text(&f.html);
                    w.push(&format!("<li>{}: {html}</li>\n", esc(&f.letter)));
                }
                w.push("</ul>\n");
            }
            w.push(&format!(
                "<p class=\"back\"><a role=\"doc-backlink\" href=\"{}#{}\">{}</a></p>\n</li>\n",
                Plan::quiz_file(q),
                question_id(q, n),
                fill(words.get("epub_back_to_question"), &[("n", &n.to_string())])
            ));
        }
        w.push("</ol>\n</section>\n");
    }
    w.push("</section>");
    w.finish(title, "backmatter")
}
