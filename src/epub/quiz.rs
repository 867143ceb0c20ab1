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
//! question's explanation, else the feedback of its wrong choices.

use std::fmt::Write as _;

use super::content::{Books, Writer};
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

/// What to do, in words, by question type.
fn hint(kind: &str) -> &'static str {
    match kind {
        "single" => "Choose one answer.",
        "multiple" => "Choose all that apply.",
        "true-false" => "True or false?",
        "short-answer" => "Answer in a word or a few words.",
        "ordering" => "Put these in order, first to last.",
        "matching" => "Match each numbered item with a lettered option.",
        _ => "Answer the question.",
    }
}

/// Quiz `q` (index into `Site::quizzes`) as practice questions.
pub fn practice(books: &Books<'_>, q: usize, sheet: &Worksheet) -> Document {
    let site = books.site;
    let mut w = Writer::new(books, &Plan::quiz_file(q));
    let quiz = site.quizzes.get(q);
    let mut s = format!(
        "<section class=\"practice\" id=\"quiz-{}\" aria-labelledby=\"trellis-title\">\n<h1 id=\"trellis-title\">{}</h1>\n",
        q + 1,
        esc(&sheet.title)
    );
    let article = quiz
        .and_then(|quiz| quiz.article)
        .and_then(|a| site.handbook.articles.get(a).map(|art| (a, art)));
    if let Some((a, art)) = article {
        let _ = writeln!(
            s,
            "<p class=\"lede\">Practice questions on <a href=\"{}\">{}</a>.</p>",
            Plan::article_file(a),
            esc(&art.meta.title)
        );
    } else {
        s.push_str("<p class=\"lede\">Practice questions.</p>\n");
    }
    s.push_str("<p class=\"hint\">Each question links to its answer in the <a href=\"answers.xhtml\">answer key</a> at the back of the book.</p>\n<ol class=\"questions\">\n");
    w.push(&s);
    for question in &sheet.questions {
        question_item(&mut w, q, question);
    }
    w.push("</ol>\n</section>");
    w.finish(&sheet.title, "bodymatter")
}

fn question_item(w: &mut Writer<'_>, q: usize, question: &WorksheetQuestion) {
    let n = question.number;
    w.push(&format!(
        "<li class=\"question\" id=\"{}\">\n<p class=\"prompt\"><span class=\"number\">{n}.</span> ",
        question_id(q, n)
    ));
    let prompt = w.inline(&question.prompt_html);
    w.push(&prompt);
    w.push(&format!(
        "</p>\n<p class=\"hint\">{}</p>\n",
        hint(question.kind)
    ));
    if !question.items.is_empty() {
        w.push("<ol class=\"items\">\n");
        for item in &question.items {
            let html = w.inline(&item.html);
            w.push(&format!(
                "<li><span class=\"number\">{}.</span> {html}</li>\n",
                item.number
            ));
        }
        w.push("</ol>\n");
    }
    match question.kind {
        "true-false" => w.push("<ul class=\"choices\">\n<li>True</li>\n<li>False</li>\n</ul>\n"),
        _ if !question.choices.is_empty() => {
            w.push("<ol class=\"choices\">\n");
            for c in &question.choices {
                let html = w.inline(&c.html);
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
        "<p class=\"to-answer\"><a href=\"{ANSWERS_FILE}#{}\">Answer to question {n}</a></p>\n</li>\n",
        answer_id(q, n)
    ));
}

/// The answer key: per quiz and question, the answer and its rationale,
/// each linking back to its question.
pub fn answer_key(books: &Books<'_>, sheets: &WorksheetsPage) -> Document {
    let mut w = Writer::new(books, ANSWERS_FILE);
    w.push("<section class=\"answer-key\" epub:type=\"appendix\" role=\"doc-appendix\" aria-labelledby=\"trellis-title\">\n<h1 id=\"trellis-title\">Answer key</h1>\n<p class=\"hint\">Letters name the choices as the questions list them.</p>\n");
    for (q, sheet) in sheets.quizzes.iter().enumerate() {
        w.push(&format!(
            "<section class=\"answers\" id=\"answers-{0}\" aria-labelledby=\"answers-{0}-title\">\n<h2 id=\"answers-{0}-title\"><a href=\"{1}\">{2}</a></h2>\n<ol class=\"answers\">\n",
            q + 1,
            Plan::quiz_file(q),
            esc(&sheet.title)
        ));
        for question in &sheet.questions {
            let n = question.number;
            w.push(&format!(
                "<li id=\"{}\">\n<p class=\"answer\"><span class=\"number\">{n}.</span> <strong>",
                answer_id(q, n)
            ));
            let answer = w.inline(&question.answer_html);
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
                    let words = w.inline(&keyed.join("; "));
                    w.push(&format!(": {words}"));
                }
            }
            w.push("</p>\n");
            if let Some(explanation) = &question.explanation_html {
                let html = w.inline(explanation);
                w.push(&format!("<p class=\"rationale\">{html}</p>\n"));
            } else if !question.feedback.is_empty() {
                w.push("<ul class=\"rationale\">\n");
                for f in &question.feedback {
                    let html = w.inline(&f.html);
                    w.push(&format!("<li>{}: {html}</li>\n", esc(&f.letter)));
                }
                w.push("</ul>\n");
            }
            w.push(&format!(
                "<p class=\"back\"><a role=\"doc-backlink\" href=\"{}#{}\">Back to question {n}</a></p>\n</li>\n",
                Plan::quiz_file(q),
                question_id(q, n)
            ));
        }
        w.push("</ol>\n</section>\n");
    }
    w.push("</section>");
    w.finish("Answer key", "backmatter")
}
