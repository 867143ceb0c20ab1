//! Page data for the quiz templates: a [`Quiz`] turned into what
//! `quiz.html`, `practice.html` and `quizzes.html` print.
//!
//! Text is rendered here (inline markdown to HTML, raw HTML escaped), answers
//! are worked out for the no-JavaScript `<details>` view, and the answer key
//! that the quiz scripts check against is serialized to JSON that is safe to embed in
//! a `<script type="application/json">` block (so the page works from
//! `file://`, where `fetch` cannot read local files). Review links arrive
//! already resolved, relative to the page, from the pipeline.
//!
//! The practice exam embeds at most [`PRACTICE_PAGE_MAX`] questions. A
//! handbook with more gets a sample on the page ([`practice_page`]) and its
//! whole question bank in script files beside it ([`each_practice_bank`]), which
//! `practice.js` loads with `<script src>` (that works from `file://` and under
//! `Content-Security-Policy: default-src 'self'`, where `fetch` or `eval`
//! would not) when a student starts an exam.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::inline::{plain_text, render_inline};
use crate::quiz::model::{Kind, Question, Quiz};
use crate::quiz::order;
use crate::theme_strings::Words;

/// How many questions the practice exam offers by default.
pub const PRACTICE_DEFAULT_COUNT: usize = 20;

/// At most this many questions are embedded in the practice exam page, and
/// held by each of its bank files. Each embedded question adds its
/// controls, answer, explanation and share of the answer key to the page,
/// so a cap keeps the page's size the same however large the handbook
/// (its figures are in docs/performance.md); the bundled handbook stays
/// well under it and embeds everything.
pub const PRACTICE_PAGE_MAX: usize = 400;

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
    /// The answer key for the quiz scripts, safe inside `<script type="application/json">`.
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
    /// How many questions the page embeds: `total`, or the limit when the
    /// rest are in bank files. Also the most an exam can have.
    pub on_page: usize,
    /// How many bank files hold the whole question bank (0 when every
    /// question is on the page).
    pub banks: usize,
    /// How many questions the page offers by default (20, or all when fewer).
    pub default_count: usize,
    /// The quizzes the embedded questions come from.
    pub sources: Vec<Source>,
    /// The embedded questions, in reading order: every question of every
    /// quiz, or the sample of [`practice_sample`]; `practice.js` draws from them
    /// (and from the bank files, when there are any).
    pub questions: Vec<QuestionView>,
    /// The answer key, sources and bank file names for `practice.js`, safe inside
    /// `<script type="application/json">`.
    pub data_json: String,
}

/// One file of the practice exam's question bank (`bank-<n>.js`, beside the page).
#[derive(Debug, Clone)]
pub struct PracticeBank {
    /// The file name, also its key in `window.trellisPracticeBanks`.
    pub name: String,
    /// The script: it stores its questions in `window.trellisPracticeBanks`.
    pub js: String,
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
    pub hint: String,
    /// The prompt as inline HTML.
    pub prompt_html: String,
    /// The explanation as inline HTML.
    pub explanation_html: Option<String>,
    /// Where to read more, relative to the page.
    pub review_url: Option<String>,
    /// Choices (`single`, `multiple`, `true-false`), items in their first
    /// shown order (`ordering`), or the options of each select (`matching`),
    /// in the orders of [`order`], which give nothing away.
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

/// What the quiz scripts need to mark one question.
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
    /// The question keeps its order of choices (`shuffle: false`): the scripts
    /// never reorders them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    fixed: bool,
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
    /// The practice exam's bank files, relative to the page (none when every
    /// question is on the page, so such pages keep their bytes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    banks: Vec<String>,
}

/// What a bank file holds: its questions and the quizzes they come from.
#[derive(Serialize)]
struct BankData<'a> {
    sources: Vec<&'a Source>,
    questions: Vec<BankQuestion>,
}

/// One question of a bank file: its answer key (`source` indexes the bank's
/// own `sources`) and the fieldset the theme's `quiz_question.html` printed
/// for it, which `practice.js` puts in the page as it is: the template is
/// the one source of a question's markup, on the page and in the banks.
#[derive(Serialize)]
struct BankQuestion {
    #[serde(flatten)]
    key: AnswerKey,
    html: String,
}

/// Builds a quiz page. `review_urls` holds each question's resolved review
/// link, relative to the page, in question order (missing entries mean none).
pub fn quiz_page(
    quiz: &Quiz,
    title: &str,
    key: &str,
    default_pass_mark: u32,
    review_urls: &[Option<String>],
    words: &Words,
) -> QuizPage {
    let questions = question_views(quiz, review_urls, words);
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
        banks: Vec::new(),
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

/// The questions of `quiz` as its page shows them (in the order written,
/// choices in the order of [`order::choice_order`], ordering items
/// scrambled), with the page's DOM ids (`q-<id>`); `review_urls` as for
/// [`quiz_page`]. The worksheets (`/print/quizzes/`) print these views, so
/// their choices and letters are the quiz page's. Hints and true/false are
/// in `words`' language.
pub fn question_views(
    quiz: &Quiz,
    review_urls: &[Option<String>],
    words: &Words,
) -> Vec<QuestionView> {
    quiz.questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let url = review_urls.get(i).cloned().flatten();
            question_view(q, i + 1, format!("q-{}", q.id), url, 0, words)
        })
        .collect()
}

/// Builds the practice exam from every quiz. Choices are always shuffled there.
///
/// At most `limit` questions are embedded (the pipeline passes
/// [`PRACTICE_PAGE_MAX`]; tests pass less): with more, the page holds the
/// sample of [`practice_sample`], lists only the quizzes it draws on, and
/// names the files of [`each_practice_bank`] for `practice.js`.
pub fn practice_page(
    sources: &[PracticeSource<'_>],
    key: &str,
    pass_mark: u32,
    limit: usize,
    words: &Words,
) -> PracticePage {
    let limit = limit.max(1);
    let sizes: Vec<usize> = sources.iter().map(|s| s.quiz.questions.len()).collect();
    let total: usize = sizes.iter().sum();
    let banks = bank_count(total, limit);
    let picked = practice_sample(&sizes, limit);
    // Every quiz keeps its place in the sources while the page holds every
    // question (so such pages are as they always were); a sample lists only
    // the quizzes it draws on, not thousands of titles the page never uses.
    let mut used = vec![banks == 0; sources.len()];
    for &(s, _) in &picked {
        used[s] = true;
    }
    let mut page_source: Vec<Option<usize>> = vec![None; sources.len()];
    let mut source_views: Vec<Source> = Vec::new();
    for (s, source) in sources.iter().enumerate() {
        if used[s] {
            page_source[s] = Some(source_views.len());
            source_views.push(source.view());
        }
    }
    let mut questions = Vec::with_capacity(picked.len());
    let mut keys = Vec::with_capacity(picked.len());
    for &(s, i) in &picked {
        let source = &sources[s];
        let Some(q) = source.quiz.questions.get(i) else {
            continue;
        };
        let view = practice_view(source, s, i, q, page_source[s].unwrap_or(0), words);
        keys.push(answer_key(q, &view));
        questions.push(view);
    }
    let title = words.get("practice_exam");
    let pass_mark = pass_mark.min(100);
    let data = QuizData {
        key,
        title,
        pass_mark,
        shuffle: true,
        questions: keys,
        sources: Some(&source_views),
        banks: (1..=banks).map(bank_name).collect(),
    };
    let data_json = embeddable_json(&data);
    PracticePage {
        title: title.to_string(),
        key: key.to_string(),
        pass_mark,
        total,
        on_page: questions.len(),
        banks,
        default_count: questions.len().min(PRACTICE_DEFAULT_COUNT),
        sources: source_views,
        data_json,
        questions,
    }
}

/// The practice exam's whole question bank, in the fewest files of at most
/// `limit` questions (none when every question fits on the page), each file
/// as full as the others give or take one. Every question is in exactly one
/// file. Quizzes are dealt to the files like cards: with `n` files, the
/// quizzes are lined up as quiz 0, n, 2n, …, then 1, n + 1, …, and that line
/// of questions is cut into `n` files. So each file holds whole quizzes (but
/// at its ends) spread over the whole handbook, and one file, loaded at
/// random, makes a varied exam.
///
/// Each question is its answer key and the fieldset `fieldset` makes of it
/// (the theme's `quiz_question.html`, rendered by the caller: this module
/// knows no templates); its first error stops the banks.
///
/// Each bank is handed to `each` with its number (from 1) as soon as it is
/// made, in no set order, rather than all kept: a large handbook's banks
/// are tens of megabytes.
pub fn each_practice_bank(
    sources: &[PracticeSource<'_>],
    limit: usize,
    fieldset: Fieldset<'_>,
    words: &Words,
    each: &(dyn Fn(usize, PracticeBank) + Sync),
) -> Result<(), Diagnostic> {
    let total: usize = sources.iter().map(|s| s.quiz.questions.len()).sum();
    let count = bank_count(total, limit);
    if count == 0 {
        return Ok(());
    }
    let dealt: Vec<(usize, usize)> = (0..count)
        .flat_map(|first| (first..sources.len()).step_by(count))
        .flat_map(|s| (0..sources[s].quiz.questions.len()).map(move |i| (s, i)))
        .collect();
    // `count` files of `total / count` questions, the first `total % count`
    // one more: never over `limit`, since `count >= total / limit`.
    let mut chunks = Vec::with_capacity(count);
    let mut rest = dealt.as_slice();
    for b in 0..count {
        let size = total / count + usize::from(b < total % count);
        let (chunk, after) = rest.split_at(size.min(rest.len()));
        chunks.push(chunk);
        rest = after;
    }
    let views: Vec<Source> = sources.iter().map(PracticeSource::view).collect();
    chunks.par_iter().enumerate().try_for_each(|(b, chunk)| {
        let bank = bank_file(sources, &views, chunk, b + 1, count, fieldset, words)?;
        each(b + 1, bank);
        Ok(())
    })
}

/// A question's fieldset as a theme prints it (see [`each_practice_bank`]).
pub type Fieldset<'a> = &'a (dyn Fn(&QuestionView) -> Result<String, Diagnostic> + Sync);

/// How many bank files `total` questions need: none when they all fit on the page.
fn bank_count(total: usize, limit: usize) -> usize {
    let limit = limit.max(1);
    if total <= limit {
        0
    } else {
        total.div_ceil(limit)
    }
}

/// Bank file `n`'s name, relative to the practice page.
fn bank_name(n: usize) -> String {
    format!("bank-{n}.js")
}

/// The questions the practice page embeds, as (quiz, question) pairs in
/// reading order: every question when there are at most `limit`; else
/// `limit` of them taken round by round (question 1 of every quiz, then
/// question 2, …), so every quiz is on the page when there are at most
/// `limit` quizzes. A round that cannot take every quiz still left takes
/// quizzes spread evenly over the handbook, not its first ones. The same
/// handbook always gets the same sample.
pub fn practice_sample(sizes: &[usize], limit: usize) -> Vec<(usize, usize)> {
    let total: usize = sizes.iter().sum();
    let mut taken = sizes.to_vec();
    if total > limit {
        taken = vec![0; sizes.len()];
        let mut left = limit;
        let mut round = 0;
        while left > 0 {
            let open: Vec<usize> = (0..sizes.len()).filter(|&s| sizes[s] > round).collect();
            if open.is_empty() {
                break;
            }
            if open.len() <= left {
                open.iter().for_each(|&s| taken[s] += 1);
                left -= open.len();
            } else {
                // `open.len() > left`, so these indexes are all different.
                (0..left).for_each(|i| taken[open[i * open.len() / left]] += 1);
                left = 0;
            }
            round += 1;
        }
    }
    taken
        .iter()
        .enumerate()
        .flat_map(|(s, &n)| (0..n).map(move |i| (s, i)))
        .collect()
}

impl PracticeSource<'_> {
    fn view(&self) -> Source {
        Source {
            title: self.title.clone(),
            url: self.url.clone(),
        }
    }
}

/// Question `i` of quiz `s` as the practice page shows it. Its DOM id names
/// the quiz by its place among all quizzes, so a question has the same id on
/// the page and in a bank file (`practice.js` uses the page's copy when both have it).
fn practice_view(
    source: &PracticeSource<'_>,
    s: usize,
    i: usize,
    q: &Question,
    source_index: usize,
    words: &Words,
) -> QuestionView {
    let url = source.review_urls.get(i).cloned().flatten();
    let dom_id = format!("p{}-{}", s + 1, q.id);
    let mut view = question_view(q, i + 1, dom_id, url, source_index, words);
    view.source_title = Some(source.title.clone());
    view.source_url = Some(source.url.clone());
    view
}

/// One bank file: the questions `chunk` names, with the sources they use.
fn bank_file(
    sources: &[PracticeSource<'_>],
    views: &[Source],
    chunk: &[(usize, usize)],
    n: usize,
    count: usize,
    fieldset: Fieldset<'_>,
    words: &Words,
) -> Result<PracticeBank, Diagnostic> {
    let mut local: BTreeMap<usize, usize> = BTreeMap::new();
    let mut bank = BankData {
        sources: Vec::new(),
        questions: Vec::with_capacity(chunk.len()),
    };
    for &(s, i) in chunk {
        let (Some(source), Some(view_of_source)) = (sources.get(s), views.get(s)) else {
            continue;
        };
        let Some(q) = source.quiz.questions.get(i) else {
            continue;
        };
        let index = *local.entry(s).or_insert_with(|| {
            bank.sources.push(view_of_source);
            bank.sources.len() - 1
        });
        let view = practice_view(source, s, i, q, index, words);
        bank.questions.push(BankQuestion {
            html: fieldset(&view)?,
            key: answer_key(q, &view),
        });
    }
    let name = bank_name(n);
    // JSON is JavaScript, but for U+2028 and U+2029, which older engines
    // take for line ends inside strings.
    let json = embeddable_json(&bank)
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    let js = format!(
        "/* Trellis practice exam: question bank {n} of {count}, {} questions. \
         practice.js loads it with a <script> element, which works from file:// where fetch does not. */\n\
         (window.trellisPracticeBanks = window.trellisPracticeBanks || {{}})[\"{name}\"] = {json};\n",
        bank.questions.len()
    );
    Ok(PracticeBank { name, js })
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
    words: &Words,
) -> QuestionView {
    let (options, lefts, answer_html, hint) = match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => {
            // Shown in the order derived from the id; each keeps its file
            // place in its value (`c1` is the first written), so answers
            // and feedback follow a choice wherever it is shown.
            let options: Vec<OptionView> = order::choice_order(q)
                .into_iter()
                .filter_map(|i| choices.get(i).map(|c| (i, c)))
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
                (options, Vec::new(), answer, "hint_single")
            } else {
                let answer = list("ul", right.iter().map(|o| o.html.clone()));
                (options, Vec::new(), answer, "hint_multiple")
            }
        }
        Kind::TrueFalse { answer } => {
            let word = |value: bool| words.get(if value { "true_word" } else { "false_word" });
            let option = |value: bool| OptionView {
                id: value.to_string(),
                html: escape_html(word(value)),
                text: word(value).to_string(),
                correct: value == *answer,
                feedback_html: None,
            };
            let answer = escape_html(word(*answer));
            (
                vec![option(true), option(false)],
                Vec::new(),
                answer,
                "hint_true_false",
            )
        }
        Kind::ShortAnswer { accept } => {
            let mut answer = accept.first().map_or(String::new(), |a| escape_html(a));
            if accept.len() > 1 {
                let others: Vec<String> = accept[1..].iter().map(|a| escape_html(a)).collect();
                answer.push(' ');
                answer.push_str(
                    &words
                        .get("also_accepted")
                        .replace("{answers}", &others.join(", ")),
                );
            }
            (Vec::new(), Vec::new(), answer, "hint_short_answer")
        }
        Kind::Ordering { sequence } => {
            let items: Vec<OptionView> = sequence
                .iter()
                .enumerate()
                .map(|(i, s)| plain_option(format!("i{}", i + 1), s))
                .collect();
            let answer = list("ol", items.iter().map(|o| o.html.clone()));
            let shown = order::arrange(items, &order::scrambled(&q.id, sequence.len()));
            (shown, Vec::new(), answer, "hint_ordering")
        }
        Kind::Matching { pairs } => {
            let lefts: Vec<OptionView> = pairs
                .iter()
                .enumerate()
                .map(|(i, p)| plain_option(format!("l{}", i + 1), &p.left))
                .collect();
            let rights: Vec<OptionView> = pairs
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
            // Never in the pairs' order, which would line each option up with its item.
            let rights = order::arrange(rights, &order::matching_order(q, pairs.len()));
            (rights, lefts, answer, "hint_matching")
        }
    };
    QuestionView {
        id: q.id.clone(),
        dom_id,
        number,
        kind: q.kind.name(),
        hint: words.get(hint).to_string(),
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
        fixed: !q.shuffle,
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

    /// Every bank of [`each_practice_bank`], in order.
    fn practice_banks(
        sources: &[PracticeSource<'_>],
        limit: usize,
        fieldset: Fieldset<'_>,
        words: &Words,
    ) -> Result<Vec<PracticeBank>, Diagnostic> {
        let banks = std::sync::Mutex::new(Vec::new());
        each_practice_bank(sources, limit, fieldset, words, &|n, bank| {
            banks.lock().unwrap().push((n, bank));
        })?;
        let mut banks = banks.into_inner().unwrap();
        banks.sort_by_key(|(n, _)| *n);
        Ok(banks.into_iter().map(|(_, bank)| bank).collect())
    }
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

    /// The bundled theme's English words.
    fn english() -> Words {
        Words::bundled_english()
    }

    fn page() -> QuizPage {
        let quiz = parse(QUIZ, Path::new("q.quiz.yaml")).unwrap();
        quiz_page(
            &quiz,
            "Quiz",
            "a/quiz/",
            70,
            &[Some("../#b".into())],
            &english(),
        )
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
        // Choice `c1` is the one written first, wherever it is shown.
        let first_written = q.options.iter().find(|o| o.id == "c1").unwrap();
        assert_eq!(first_written.feedback_html.as_deref(), Some("Not A."));
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
        let page = practice_page(&sources, "practice", 70, PRACTICE_PAGE_MAX, &english());
        assert_eq!(page.total, 8);
        assert_eq!(page.on_page, 8);
        assert_eq!(page.banks, 0);
        assert_eq!(page.default_count, 8);
        assert_eq!(page.questions[4].dom_id, "p2-one");
        assert_eq!(page.questions[4].source, 1);
        let value: serde_json::Value = serde_json::from_str(&page.data_json).unwrap();
        assert_eq!(value["sources"][1]["url"], "../../b/");
        assert_eq!(value["questions"][5]["source"], 1);
        assert!(value.get("banks").is_none(), "no bank without need");
        assert!(
            practice_banks(&sources, PRACTICE_PAGE_MAX, &marked, &english())
                .unwrap()
                .is_empty()
        );
        // Exactly at the limit everything is still on the page.
        assert_eq!(
            practice_page(&sources, "practice", 70, 8, &english()).banks,
            0
        );
        assert!(practice_banks(&sources, 8, &marked, &english())
            .unwrap()
            .is_empty());
    }

    /// A stand-in for the theme's `quiz_question.html`: the view's id, its
    /// prompt and its first option, so the tests can see what it was given.
    fn marked(q: &QuestionView) -> Result<String, Diagnostic> {
        let first = q.options.first().map_or("", |o| o.id.as_str());
        Ok(format!(
            "<fieldset class=\"quiz-question\" id=\"{}\"><legend>{}. {}</legend>{first}</fieldset>",
            q.dom_id, q.number, q.prompt_html
        ))
    }

    /// A bank file's data, as `practice.js` reads it after the script ran.
    fn bank_json(bank: &PracticeBank) -> serde_json::Value {
        let prefix = format!(
            "(window.trellisPracticeBanks = window.trellisPracticeBanks || {{}})[\"{}\"] = ",
            bank.name
        );
        let (_, rest) = bank.js.split_once(&prefix).expect("the assignment");
        let json = rest.strip_suffix(";\n").expect("ends with `;`");
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn over_the_limit_the_page_holds_a_sample_and_the_banks_hold_everything() {
        let quiz = parse(QUIZ, Path::new("q.quiz.yaml")).unwrap();
        let sources: Vec<PracticeSource<'_>> = (0..9)
            .map(|s| PracticeSource {
                title: format!("Article {s}"),
                url: format!("../../a{s}/index.html"),
                quiz: &quiz,
                review_urls: vec![Some(format!("../../a{s}/index.html#b"))],
            })
            .collect();
        // 9 quizzes of 4 questions, 10 on the page: question 1 of each, then
        // question 2 of the first quiz.
        let page = practice_page(&sources, "practice", 70, 10, &english());
        assert_eq!((page.total, page.on_page, page.banks), (36, 10, 4));
        let ids: Vec<&str> = page.questions.iter().map(|q| q.dom_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "p1-one", "p1-order", "p2-one", "p3-one", "p4-one", "p5-one", "p6-one", "p7-one",
                "p8-one", "p9-one"
            ]
        );
        assert_eq!(page.sources.len(), 9, "every quiz is on the page");
        assert_eq!(page.default_count, 10);
        let value: serde_json::Value = serde_json::from_str(&page.data_json).unwrap();
        assert_eq!(
            value["banks"],
            serde_json::json!(["bank-1.js", "bank-2.js", "bank-3.js", "bank-4.js"])
        );
        assert_eq!(value["questions"].as_array().unwrap().len(), 10);

        let banks = practice_banks(&sources, 10, &marked, &english()).unwrap();
        assert_eq!(banks.len(), 4);
        let mut seen = Vec::new();
        for bank in &banks {
            assert!(bank
                .js
                .starts_with("/* Trellis practice exam: question bank "));
            let data = bank_json(bank);
            let questions = data["questions"].as_array().unwrap();
            assert!(questions.len() <= 10, "{}: {}", bank.name, questions.len());
            for q in questions {
                let source = &data["sources"][q["source"].as_u64().unwrap() as usize];
                let id = q["id"].as_str().unwrap().to_string();
                // The source is the question's own quiz (`p<n>-` names it).
                let n: usize = id[1..id.find('-').unwrap()].parse().unwrap();
                assert_eq!(source["title"], format!("Article {}", n - 1));
                seen.push(id);
            }
        }
        let mut all: Vec<String> = (1..=9)
            .flat_map(|s| {
                ["one", "order", "match", "say"]
                    .iter()
                    .map(move |id| format!("p{s}-{id}"))
            })
            .collect();
        seen.sort();
        all.sort();
        assert_eq!(seen, all, "every question in exactly one bank");

        // Each question: its answer key and the fieldset the template printed
        // from the practice page's view of it (the page's id, number and prompt).
        let data = bank_json(&banks[0]);
        let first = &data["questions"][0];
        assert_eq!(first["id"], "p1-one");
        assert_eq!(first["kind"], "single");
        assert_eq!(first["correct"], serde_json::json!(["c2"]));
        let html = first["html"].as_str().unwrap();
        assert!(
            html.starts_with("<fieldset class=\"quiz-question\" id=\"p1-one\"><legend>1. Pick <em>one</em> &lt;script&gt;</legend>c"),
            "{html}"
        );
        for field in ["prompt", "hint", "options", "answer", "number"] {
            assert!(
                first.get(field).is_none(),
                "{field} is sent beside the fieldset"
            );
        }
        let matching = data["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["kind"] == "matching")
            .unwrap();
        assert_eq!(matching["pairs"]["l2"], "r2");
        // A template's error stops the banks.
        let broken = |_: &QuestionView| -> Result<String, Diagnostic> {
            Err(crate::diagnostic::Code::TemplateError.error(
                Path::new("templates/quiz_question.html"),
                3,
                1,
                "bad",
            ))
        };
        assert_eq!(
            practice_banks(&sources, 10, &broken, &english())
                .unwrap_err()
                .message,
            "bad"
        );
        assert!(!banks[0].js.contains("</script>"), "no raw `<` in the data");
    }

    #[test]
    fn the_sample_is_spread_over_every_quiz() {
        // Every quiz's first questions, while they fit.
        let sample = practice_sample(&[5; 90], 400);
        assert_eq!(sample.len(), 400);
        for s in 0..90 {
            let n = sample.iter().filter(|&&(q, _)| q == s).count();
            assert!((4..=5).contains(&n), "quiz {s}: {n}");
        }
        let fifths: Vec<usize> = sample
            .iter()
            .filter(|&&(_, i)| i == 4)
            .map(|&(q, _)| q)
            .collect();
        assert_eq!(fifths.len(), 40);
        assert!(fifths[0] == 0 && fifths[39] >= 85, "spread: {fifths:?}");
        // More quizzes than room: quizzes spread evenly, one question each.
        let sample = practice_sample(&[5; 2000], 400);
        assert_eq!(sample, (0..400).map(|i| (i * 5, 0)).collect::<Vec<_>>());
        // Uneven quizzes; in reading order; all of them when they fit.
        assert_eq!(
            practice_sample(&[1, 3, 2], 4),
            [(0, 0), (1, 0), (1, 1), (2, 0)]
        );
        assert_eq!(practice_sample(&[1, 3, 2], 6).len(), 6);
        assert_eq!(practice_sample(&[1, 3, 2], 0), []);
    }
}
