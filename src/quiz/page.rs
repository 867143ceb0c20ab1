//! Page data for the quiz templates: a [`Quiz`] turned into what
//! `quiz.html`, `practice.html` and `quizzes.html` print.
//!
//! Text is rendered here (inline markdown to HTML, raw HTML escaped), answers
//! are worked out for the no-JavaScript `<details>` view, and the answer key
//! that `quiz.js` checks against is serialized to JSON that is safe to embed in
//! a `<script type="application/json">` block (so the page works from
//! `file://`, where `fetch` cannot read local files). Review links arrive
//! already resolved, relative to the page, from the pipeline.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{Kind, Question, Quiz};
use crate::inline::{plain_text, render_inline};

/// How many questions the practice exam offers by default.
pub const PRACTICE_DEFAULT_COUNT: usize = 20;

/// A quiz page (`/<part>/<article>/quiz/` or `/quizzes/<slug>/`).
#[derive(Debug, Clone, Serialize)]
pub struct QuizPage {
    /// The title shown (already defaulted by the pipeline).
    pub title: String,
    /// The key under which the browser keeps this quiz's best and last score.
    pub key: String,
    /// Percent needed to pass.
    pub pass_mark: u32,
    /// Shuffle choices and question order on each attempt.
    pub shuffle: bool,
    /// How many questions.
    pub question_count: usize,
    /// The questions, in the order written.
    pub questions: Vec<QuestionView>,
    /// The answer key for `quiz.js`, safe inside `<script type="application/json">`.
    pub data_json: String,
}

/// The practice exam page (`/quizzes/practice/`).
#[derive(Debug, Clone, Serialize)]
pub struct PracticePage {
    /// The page title.
    pub title: String,
    /// The key under which the browser keeps the practice exam's scores.
    pub key: String,
    /// Percent needed to pass.
    pub pass_mark: u32,
    /// How many questions there are in all.
    pub total: usize,
    /// How many questions the page offers by default (20, or all when fewer).
    pub default_count: usize,
    /// The quizzes the questions come from.
    pub sources: Vec<Source>,
    /// Every question of every quiz; `quiz.js` draws from them.
    pub questions: Vec<QuestionView>,
    /// The answer key and sources for `quiz.js`, safe inside `<script type="application/json">`.
    pub data_json: String,
}

/// Where practice questions come from, for "results by article".
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// The article's title (or the stand-alone quiz's).
    pub title: String,
    /// Link to the article (or the quiz), relative to the practice page.
    pub url: String,
}

/// One quiz of a practice exam, as the pipeline hands it over.
#[derive(Debug, Clone)]
pub struct PracticeSource<'a> {
    /// The article's title (or the stand-alone quiz's).
    pub title: String,
    /// Link to the article (or the quiz), relative to the practice page.
    pub url: String,
    /// The quiz.
    pub quiz: &'a Quiz,
    /// Review links resolved relative to the practice page, one per question.
    pub review_urls: Vec<Option<String>>,
}

/// The list of quizzes (`/quizzes/`).
#[derive(Debug, Clone, Serialize)]
pub struct QuizzesPage {
    /// Every quiz, article quizzes first in reading order, then stand-alone ones.
    pub quizzes: Vec<QuizListing>,
    /// How many questions in all.
    pub total_questions: usize,
    /// Link to the practice exam.
    pub practice_url: String,
    /// The practice exam's storage key.
    pub practice_key: String,
}

/// One line of the quiz list.
#[derive(Debug, Clone, Serialize)]
pub struct QuizListing {
    /// The quiz's title.
    pub title: String,
    /// Link to the quiz page, relative to `/quizzes/`.
    pub url: String,
    /// The quiz's storage key (the best score is read from it).
    pub key: String,
    /// How many questions.
    pub question_count: usize,
    /// The article it belongs to, if any.
    pub article_title: Option<String>,
    /// Link to that article, relative to `/quizzes/`.
    pub article_url: Option<String>,
}

/// One question as the templates print it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    /// The question's id in its quiz.
    pub id: String,
    /// An id unique on the page (`q-<id>`, or `p<n>-<id>` on the practice page).
    pub dom_id: String,
    /// 1-based position in its quiz.
    pub number: usize,
    /// The type: `single`, `multiple`, `true-false`, `short-answer`, `ordering`, `matching`.
    pub kind: &'static str,
    /// What to do, in words ("Choose one answer.").
    pub hint: &'static str,
    /// The prompt as inline HTML.
    pub prompt_html: String,
    /// The explanation as inline HTML.
    pub explanation_html: Option<String>,
    /// Where to read more, relative to the page.
    pub review_url: Option<String>,
    /// Choices (`single`, `multiple`, `true-false`), items in their first
    /// shown order (`ordering`), or the options of each select (`matching`,
    /// sorted so their order gives nothing away).
    pub options: Vec<OptionView>,
    /// The left items of a `matching` question.
    pub lefts: Vec<OptionView>,
    /// The right answer as HTML, for the `<details>` shown without JavaScript.
    pub answer_html: String,
    /// True when some choice has feedback to list with the answer.
    pub has_feedback: bool,
    /// Index of the question's quiz in the practice page's sources (0 on quiz pages).
    pub source: usize,
    /// On the practice page, the title of the question's article or quiz.
    pub source_title: Option<String>,
    /// On the practice page, the link to that article or quiz.
    pub source_url: Option<String>,
}

/// A choice, item, or select option.
#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    /// Its value in the form (`c1`, `true`, `i2`, `l1`, `r3`).
    pub id: String,
    /// Its text as inline HTML.
    pub html: String,
    /// Its text as plain text (for `<option>` and labels).
    pub text: String,
    /// Whether it is a right choice (choices only).
    pub correct: bool,
    /// Feedback shown when it is picked, as inline HTML.
    pub feedback_html: Option<String>,
}

/// What `quiz.js` needs to mark one question.
#[derive(Debug, Clone, Serialize)]
struct AnswerKey {
    id: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    correct: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    accept: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    order: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pairs: BTreeMap<String, String>,
    source: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QuizData<'a> {
    key: &'a str,
    title: &'a str,
    pass_mark: u32,
    shuffle: bool,
    questions: Vec<AnswerKey>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sources: Option<&'a [Source]>,
}

/// Builds a quiz page. `review_urls` holds each question's resolved review
/// link, relative to the page, in question order (missing entries mean none).
pub fn quiz_page(
    quiz: &Quiz,
    title: &str,
    key: &str,
    default_pass_mark: u32,
    review_urls: &[Option<String>],
) -> QuizPage {
    let questions: Vec<QuestionView> = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let url = review_urls.get(i).cloned().flatten();
            question_view(q, i + 1, format!("q-{}", q.id), url, 0)
        })
        .collect();
    let pass_mark = quiz.pass_mark_or(default_pass_mark);
    let data = QuizData {
        key,
        title,
        pass_mark,
        shuffle: quiz.shuffle,
        questions: quiz
            .questions
            .iter()
            .zip(&questions)
            .map(|(q, v)| answer_key(q, v))
            .collect(),
        sources: None,
    };
    QuizPage {
        title: title.to_string(),
        key: key.to_string(),
        pass_mark,
        shuffle: quiz.shuffle,
        question_count: questions.len(),
        questions,
        data_json: embeddable_json(&data),
    }
}

/// Builds the practice exam from every quiz. Choices are always shuffled there.
pub fn practice_page(sources: &[PracticeSource<'_>], key: &str, pass_mark: u32) -> PracticePage {
    let mut questions = Vec::new();
    let mut keys = Vec::new();
    for (s, source) in sources.iter().enumerate() {
        for (i, q) in source.quiz.questions.iter().enumerate() {
            let url = source.review_urls.get(i).cloned().flatten();
            let mut view = question_view(q, i + 1, format!("p{}-{}", s + 1, q.id), url, s);
            view.source_title = Some(source.title.clone());
            view.source_url = Some(source.url.clone());
            keys.push(answer_key(q, &view));
            questions.push(view);
        }
    }
    let source_views: Vec<Source> = sources
        .iter()
        .map(|s| Source {
            title: s.title.clone(),
            url: s.url.clone(),
        })
        .collect();
    let title = "Practice exam";
    let pass_mark = pass_mark.min(100);
    let data = QuizData {
        key,
        title,
        pass_mark,
        shuffle: true,
        questions: keys,
        sources: Some(&source_views),
    };
    let data_json = embeddable_json(&data);
    PracticePage {
        title: title.to_string(),
        key: key.to_string(),
        pass_mark,
        total: questions.len(),
        default_count: questions.len().min(PRACTICE_DEFAULT_COUNT),
        sources: source_views,
        data_json,
        questions,
    }
}

/// Builds the list of quizzes.
pub fn quizzes_page(
    quizzes: Vec<QuizListing>,
    practice_url: &str,
    practice_key: &str,
) -> QuizzesPage {
    QuizzesPage {
        total_questions: quizzes.iter().map(|q| q.question_count).sum(),
        quizzes,
        practice_url: practice_url.to_string(),
        practice_key: practice_key.to_string(),
    }
}

fn question_view(
    q: &Question,
    number: usize,
    dom_id: String,
    review_url: Option<String>,
    source: usize,
) -> QuestionView {
    let (options, lefts, answer_html, hint) = match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => {
            let options: Vec<OptionView> = choices
                .iter()
                .enumerate()
                .map(|(i, c)| OptionView {
                    id: format!("c{}", i + 1),
                    html: render_inline(&c.text),
                    text: plain_text(&c.text),
                    correct: c.correct,
                    feedback_html: c.feedback.as_deref().map(render_inline),
                })
                .collect();
            let right: Vec<&OptionView> = options.iter().filter(|o| o.correct).collect();
            if matches!(q.kind, Kind::Single { .. }) {
                let answer = right.first().map_or(String::new(), |o| o.html.clone());
                (options, Vec::new(), answer, "Choose one answer.")
            } else {
                let answer = list("ul", right.iter().map(|o| o.html.clone()));
                (options, Vec::new(), answer, "Choose all that apply.")
            }
        }
        Kind::TrueFalse { answer } => {
            let option = |value: bool| OptionView {
                id: value.to_string(),
                html: if value { "True" } else { "False" }.to_string(),
                text: if value { "True" } else { "False" }.to_string(),
                correct: value == *answer,
                feedback_html: None,
            };
            let answer = if *answer { "True" } else { "False" }.to_string();
            (
                vec![option(true), option(false)],
                Vec::new(),
                answer,
                "True or false?",
            )
        }
        Kind::ShortAnswer { accept } => {
            let mut answer = accept.first().map_or(String::new(), |a| escape_html(a));
            if accept.len() > 1 {
                let others: Vec<String> = accept[1..].iter().map(|a| escape_html(a)).collect();
                answer.push_str(&format!(" (also accepted: {})", others.join(", ")));
            }
            (Vec::new(), Vec::new(), answer, "Type your answer.")
        }
        Kind::Ordering { sequence } => {
            let items: Vec<OptionView> = sequence
                .iter()
                .enumerate()
                .map(|(i, s)| plain_option(format!("i{}", i + 1), s))
                .collect();
            let answer = list("ol", items.iter().map(|o| o.html.clone()));
            let shown = scrambled(items, &dom_id);
            (
                shown,
                Vec::new(),
                answer,
                "Put these in the right order, first at the top.",
            )
        }
        Kind::Matching { pairs } => {
            let lefts: Vec<OptionView> = pairs
                .iter()
                .enumerate()
                .map(|(i, p)| plain_option(format!("l{}", i + 1), &p.left))
                .collect();
            let mut rights: Vec<OptionView> = pairs
                .iter()
                .enumerate()
                .map(|(i, p)| plain_option(format!("r{}", i + 1), &p.right))
                .collect();
            let answer = list(
                "ul",
                lefts
                    .iter()
                    .zip(&rights)
                    .map(|(l, r)| format!("{} \u{2192} {}", l.html, r.html)),
            );
            rights.sort_by_key(|r| r.text.to_lowercase());
            (rights, lefts, answer, "Choose the match for each item.")
        }
    };
    QuestionView {
        id: q.id.clone(),
        dom_id,
        number,
        kind: q.kind.name(),
        hint,
        prompt_html: render_inline(&q.prompt),
        explanation_html: q.explanation.as_deref().map(render_inline),
        review_url,
        has_feedback: options.iter().any(|o| o.feedback_html.is_some()),
        options,
        lefts,
        answer_html,
        source,
        source_title: None,
        source_url: None,
    }
}

fn plain_option(id: String, text: &str) -> OptionView {
    OptionView {
        id,
        html: render_inline(text),
        text: plain_text(text),
        correct: false,
        feedback_html: None,
    }
}

fn answer_key(q: &Question, view: &QuestionView) -> AnswerKey {
    let mut key = AnswerKey {
        id: view.dom_id.clone(),
        kind: q.kind.name(),
        correct: Vec::new(),
        accept: Vec::new(),
        order: Vec::new(),
        pairs: BTreeMap::new(),
        source: view.source,
    };
    match &q.kind {
        Kind::Single { .. } | Kind::Multiple { .. } | Kind::TrueFalse { .. } => {
            key.correct = view
                .options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect();
        }
        Kind::ShortAnswer { accept } => key.accept = accept.clone(),
        Kind::Ordering { sequence } => {
            key.order = (1..=sequence.len()).map(|i| format!("i{i}")).collect();
        }
        Kind::Matching { pairs } => {
            key.pairs = (1..=pairs.len())
                .map(|i| (format!("l{i}"), format!("r{i}")))
                .collect();
        }
    }
    key
}

fn list(tag: &str, items: impl Iterator<Item = String>) -> String {
    let mut out = format!("<{tag}>");
    for item in items {
        out.push_str("<li>");
        out.push_str(&item);
        out.push_str("</li>");
    }
    out.push_str(&format!("</{tag}>"));
    out
}

/// A fixed shuffle of `items` (seeded by `seed`) that is never the right
/// order, so the page shown without JavaScript does not give the answer away.
fn scrambled<T>(mut items: Vec<T>, seed: &str) -> Vec<T> {
    let n = items.len();
    if n < 2 {
        return items;
    }
    // FNV-1a then xorshift: small, stable across platforms and releases.
    let mut state = seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    }) | 1;
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = (state % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    if order.iter().enumerate().all(|(i, &o)| i == o) {
        order.rotate_left(1);
    }
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    order
        .iter()
        .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// JSON that cannot end a `<script>` element or start a comment inside it.
fn embeddable_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".to_string())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn escape_html(text: &str) -> String {
    crate::escape::html(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::parse;
    use std::path::Path;

    const QUIZ: &str = "\
shuffle: true
questions:
  - id: one
    type: single
    prompt: Pick *one* <script>
    choices:
      - text: A
        feedback: Not A.
      - text: B
        correct: true
    explanation: Because.
    review: a.md#b
  - type: ordering
    prompt: Order
    sequence: [first, second, third]
  - type: matching
    prompt: Match
    pairs:
      - { left: x, right: zed }
      - { left: y, right: alpha }
  - type: short-answer
    prompt: Say
    accept: [meta-analysis, '</script>']
";

    fn page() -> QuizPage {
        let quiz = parse(QUIZ, Path::new("q.quiz.yaml")).unwrap();
        quiz_page(&quiz, "Quiz", "a/quiz/", 70, &[Some("../#b".into())])
    }

    #[test]
    fn views_render_text_and_answers() {
        let page = page();
        assert_eq!(page.question_count, 4);
        let q = &page.questions[0];
        assert_eq!(q.dom_id, "q-one");
        assert_eq!(q.prompt_html, "Pick <em>one</em> &lt;script&gt;");
        assert_eq!(q.answer_html, "B");
        assert!(q.has_feedback);
        assert_eq!(q.options[0].feedback_html.as_deref(), Some("Not A."));
        assert_eq!(q.review_url.as_deref(), Some("../#b"));
        assert_eq!(page.questions[1].review_url, None);
        let order: Vec<&str> = page.questions[1]
            .options
            .iter()
            .map(|o| o.id.as_str())
            .collect();
        assert_ne!(order, ["i1", "i2", "i3"]);
        assert_eq!(
            page.questions[1].answer_html,
            "<ol><li>first</li><li>second</li><li>third</li></ol>"
        );
        let rights: Vec<&str> = page.questions[2]
            .options
            .iter()
            .map(|o| o.text.as_str())
            .collect();
        assert_eq!(rights, ["alpha", "zed"]);
        assert_eq!(
            page.questions[3].answer_html,
            "meta-analysis (also accepted: &lt;/script&gt;)"
        );
    }

    #[test]
    fn json_is_safe_to_embed() {
        let page = page();
        assert!(!page.data_json.contains('<'), "{}", page.data_json);
        let value: serde_json::Value = serde_json::from_str(&page.data_json).unwrap();
        assert_eq!(value["passMark"], 70);
        assert_eq!(value["questions"][0]["correct"][0], "c2");
        assert_eq!(value["questions"][1]["order"][2], "i3");
        assert_eq!(value["questions"][2]["pairs"]["l2"], "r2");
        assert_eq!(value["questions"][3]["accept"][1], "</script>");
    }

    #[test]
    fn practice_draws_on_every_quiz() {
        let quiz = parse(QUIZ, Path::new("q.quiz.yaml")).unwrap();
        let sources = [
            PracticeSource {
                title: "A".into(),
                url: "../../a/".into(),
                quiz: &quiz,
                review_urls: vec![],
            },
            PracticeSource {
                title: "B".into(),
                url: "../../b/".into(),
                quiz: &quiz,
                review_urls: vec![],
            },
        ];
        let page = practice_page(&sources, "practice", 70);
        assert_eq!(page.total, 8);
        assert_eq!(page.default_count, 8);
        assert_eq!(page.questions[4].dom_id, "p2-one");
        assert_eq!(page.questions[4].source, 1);
        let value: serde_json::Value = serde_json::from_str(&page.data_json).unwrap();
        assert_eq!(value["sources"][1]["url"], "../../b/");
        assert_eq!(value["questions"][5]["source"], 1);
    }

    #[test]
    fn scramble_never_keeps_the_order() {
        for n in 2..8 {
            for seed in ["a", "b", "q-x", "p1-long-id"] {
                let out = scrambled((0..n).collect::<Vec<_>>(), seed);
                assert_ne!(out, (0..n).collect::<Vec<_>>());
                let mut sorted = out.clone();
                sorted.sort();
                assert_eq!(sorted, (0..n).collect::<Vec<_>>());
            }
        }
    }
}
