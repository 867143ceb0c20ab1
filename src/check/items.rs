//! The item-writing rules: cues in a quiz that let a student find the key
//! without knowing the answer, as the item-writing literature names them
//! (the NBME's item-writing guide; Haladyna, Downing & Rodriguez, 2002).
//! docs/check.md explains each rule, its source, and an example of the flaw
//! and of a fix.
//!
//! Some rules look at one question (`question`); others at a quiz or the
//! whole handbook (`quiz_wide`, `handbook_wide`), where a pattern is a
//! cue only when chance does not explain it ([`super::chance`]). Positions
//! are the ones readers see ([`crate::quiz::order`]). A question or a quiz
//! silences a rule with `allow: [rule]`; the handbook does in `handbook.yaml`
//! (applied by the caller).

use std::path::Path;

use super::chance::{self, ALPHA};
use super::report::Finding;
use crate::diagnostic::Code;
use crate::inline::plain_text;
use crate::quiz::model::{Choice, Kind, Position, Question, Quiz};
use crate::quiz::order;
use crate::quiz::parse::normalized;

/// Every item-writing rule (their codes are what `allow:` names).
pub const RULES: [Code; 7] = [
    Code::AnswerPosition,
    Code::LongestChoice,
    Code::AbsoluteWords,
    Code::AllNoneOfTheAbove,
    Code::DuplicateChoice,
    Code::NegativeStem,
    Code::TrueFalseBalance,
];

/// A keyed choice this many times as long as the longest wrong one (and
/// [`LONGEST_MIN_GAP`] characters longer) is "clearly the longest".
pub const LONGEST_RATIO: f64 = 1.5;
/// See [`LONGEST_RATIO`]: short choices a few letters apart are no cue.
pub const LONGEST_MIN_GAP: usize = 10;
/// A quiz with at least this many true-false questions, all with one
/// answer, is flagged by `true-false-balance` (with fewer, one answer for
/// all is common by chance: a quarter of the time for two).
pub const TRUE_FALSE_MIN: usize = 3;

/// Words that mark a statement as sweeping, which test-wise students learn
/// to rule out ("specific determiners" in the literature).
pub const ABSOLUTE_WORDS: [&str; 22] = [
    "always",
    "never",
    "all",
    "none",
    "only",
    "every",
    "everyone",
    "everything",
    "everybody",
    "nothing",
    "nobody",
    "no one",
    "guaranteed",
    "guarantee",
    "guarantees",
    "completely",
    "entirely",
    "absolutely",
    "totally",
    "certainly",
    "impossible",
    "forever",
];

/// A quiz file and its quiz, as `check` hands them over.
#[derive(Debug, Clone, Copy)]
pub struct QuizFile<'a> {
    /// The `*.quiz.yaml` file.
    pub file: &'a Path,
    /// The quiz in it.
    pub quiz: &'a Quiz,
}

impl QuizFile<'_> {
    fn warn(&self, rule: Code, at: Position, message: String, help: &str) -> Finding {
        Finding::new(
            rule.warning(self.file, at.line, at.column, message)
                .with_help(help),
        )
    }

    /// The quiz's questions that do not silence `rule`, unless the quiz does.
    fn questions_checked_for(&self, rule: Code) -> Vec<&Question> {
        if self
            .quiz
            .allow
            .iter()
            .any(|r| Code::from_name(r) == Some(rule))
        {
            return Vec::new();
        }
        self.quiz
            .questions
            .iter()
            .filter(|q| !q.allows(rule))
            .collect()
    }
}

/// Every item-writing finding for `quizzes`: each question, each quiz, and
/// the handbook as a whole (reported against `handbook_file`).
pub fn check(quizzes: &[QuizFile<'_>], handbook_file: &Path) -> Vec<Finding> {
    let mut findings = Vec::new();
    for quiz in quizzes {
        for rule in RULES {
            for q in quiz.questions_checked_for(rule) {
                findings.extend(question(quiz, q, rule));
            }
        }
        findings.extend(quiz_wide(quiz));
    }
    findings.extend(handbook_wide(quizzes, handbook_file));
    findings
}

/// What rule `rule` finds in question `q` on its own.
fn question(quiz: &QuizFile<'_>, q: &Question, rule: Code) -> Vec<Finding> {
    let choices = match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => choices.as_slice(),
        Kind::TrueFalse { answer } if rule == Code::AbsoluteWords => {
            return false_absolute(quiz, q, *answer);
        }
        _ => return Vec::new(),
    };
    let at = |i: usize| q.at.choices.get(i).copied().unwrap_or(q.at.prompt);
    match rule {
        Code::LongestChoice => longest(quiz, q, choices, at),
        Code::AbsoluteWords => absolute_in_choices(quiz, choices, at),
        Code::AllNoneOfTheAbove => choices
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let text = normalized(&plain_text(&c.text));
                let phrase = ["all of the above", "none of the above"]
                    .into_iter()
                    .find(|p| text.contains(p))?;
                Some(quiz.warn(
                    rule,
                    at(i),
                    format!("“{phrase}” as a choice"),
                    "it tests whether a student spots two right (or no right) choices, not what they know, and its order depends on the others; replace it with a plausible answer of its own",
                ))
            })
            .collect(),
        Code::DuplicateChoice => {
            let texts: Vec<String> = choices
                .iter()
                .map(|c| normalized(&plain_text(&c.text)))
                .collect();
            (1..texts.len())
                .filter_map(|i| {
                    let first = texts[..i].iter().position(|t| *t == texts[i])?;
                    Some(quiz.warn(
                        rule,
                        at(i),
                        format!(
                            "this choice reads the same as the one on line {}",
                            at(first).line
                        ),
                        "a repeated choice is one fewer plausible distractor; write a different one or remove it",
                    ))
                })
                .collect()
        }
        Code::NegativeStem => negative_word(&q.prompt)
            .map(|word| {
                quiz.warn(
                    rule,
                    q.at.prompt,
                    format!("the question asks with “{word}” and does not emphasize it"),
                    "readers miss a negative and answer the opposite question: ask it positively, or write the word in capitals or *emphasis* (NOT, EXCEPT)",
                )
            })
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// `longest-choice` on one question: the keyed choice clearly the longest.
fn longest(
    quiz: &QuizFile<'_>,
    q: &Question,
    choices: &[Choice],
    at: impl Fn(usize) -> Position,
) -> Vec<Finding> {
    let lengths: Vec<usize> = choices.iter().map(length).collect();
    let longest_wrong = choices
        .iter()
        .zip(&lengths)
        .filter(|(c, _)| !c.correct)
        .map(|(_, &n)| n)
        .max();
    let longest_key = choices
        .iter()
        .zip(&lengths)
        .enumerate()
        .filter(|(_, (c, _))| c.correct)
        .max_by_key(|(_, (_, &n))| n);
    match (longest_key, longest_wrong) {
        (Some((i, (_, &key))), Some(wrong)) if clearly_longer(key, wrong) => {
            vec![quiz.warn(
                Code::LongestChoice,
                at(i),
                format!(
                    "the right choice is {key} characters long, the longest wrong one {wrong}: length gives the answer away{}",
                    if matches!(q.kind, Kind::Multiple { .. }) { " (of those chosen)" } else { "" }
                ),
                "make the choices about as long as each other: trim the right one, or make the wrong ones as specific",
            )]
        }
        _ => Vec::new(),
    }
}

/// Whether a choice of `key` characters is clearly longer than one of `other`.
fn clearly_longer(key: usize, other: usize) -> bool {
    key as f64 >= LONGEST_RATIO * other as f64 && key >= other + LONGEST_MIN_GAP
}

/// A choice's length as readers see it: characters of its plain text.
fn length(c: &Choice) -> usize {
    plain_text(&c.text).chars().count()
}

/// `absolute-words` on a choice question: a wrong choice with an absolute
/// word when no keyed choice has one.
fn absolute_in_choices(
    quiz: &QuizFile<'_>,
    choices: &[Choice],
    at: impl Fn(usize) -> Position,
) -> Vec<Finding> {
    if choices
        .iter()
        .any(|c| c.correct && absolute_word(&c.text).is_some())
    {
        return Vec::new();
    }
    choices
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.correct)
        .filter_map(|(i, c)| {
            let word = absolute_word(&c.text)?;
            Some(quiz.warn(
                Code::AbsoluteWords,
                at(i),
                format!("a wrong choice says “{word}”, and no right choice has such a word"),
                "students learn that sweeping words mark wrong answers: reword this choice without it, or qualify the right one as honestly",
            ))
        })
        .collect()
}

/// `absolute-words` on a true-false question: a false statement with an
/// absolute word when no true statement of the quiz has one.
fn false_absolute(quiz: &QuizFile<'_>, q: &Question, answer: bool) -> Vec<Finding> {
    if answer {
        return Vec::new();
    }
    let Some(word) = absolute_word(&q.prompt) else {
        return Vec::new();
    };
    let true_absolute = quiz.quiz.questions.iter().any(|other| {
        matches!(other.kind, Kind::TrueFalse { answer: true })
            && absolute_word(&other.prompt).is_some()
    });
    if true_absolute {
        return Vec::new();
    }
    vec![quiz.warn(
        Code::AbsoluteWords,
        q.at.prompt,
        format!("this false statement says “{word}”, and no true statement of the quiz has such a word"),
        "students learn that sweeping statements are false: make it false for another reason, or give true statements their honest absolutes too",
    )]
}

/// The first absolute word in `text` (whole words, any case), but for the
/// "all" and "none" of "all / none of the above", which have a rule of their own.
pub fn absolute_word(text: &str) -> Option<&'static str> {
    let plain = normalized(&plain_text(text))
        .replace("all of the above", "")
        .replace("none of the above", "");
    let words = words(&plain);
    let mut first: Option<(usize, &'static str)> = None;
    for abs in ABSOLUTE_WORDS {
        let parts: Vec<&str> = abs.split(' ').collect();
        let found = words
            .windows(parts.len())
            .position(|w| w.iter().zip(&parts).all(|(a, b)| a == b));
        if let Some(i) = found {
            if first.is_none_or(|(j, _)| i < j) {
                first = Some((i, abs));
            }
        }
    }
    first.map(|(_, w)| w)
}

/// Lower-case words of `text` (letters, digits and apostrophes).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('\u{2019}', "'"))
        .collect()
}

/// A negative word in the question a prompt asks (its last sentence: a
/// scenario before it may say what it likes) that is not emphasized: not
/// in capitals and not inside `*…*` or `_…_`.
pub fn negative_word(prompt: &str) -> Option<String> {
    let question = last_sentence(prompt);
    let mut previous = String::new();
    for (start, raw) in raw_words(question) {
        let lower = raw.to_lowercase().replace('\u{2019}', "'");
        let negative = matches!(lower.as_str(), "not" | "except" | "cannot")
            || (lower == "least" && previous != "at")
            || lower.ends_with("n't");
        let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
        let shouted = letters.len() > 1 && letters.iter().all(|c| c.is_uppercase());
        let before = &question[..start];
        let marked = before.ends_with('*') || before.ends_with('_');
        if negative && !shouted && !marked {
            return Some(raw.to_string());
        }
        previous = lower;
    }
    None
}

/// The words of raw markdown with their byte offsets.
fn raw_words(text: &str) -> Vec<(usize, &str)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '\u{2019}';
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// The last sentence of `text`: what follows the last `.`, `!` or `?`
/// that is followed by a space (the whole text when there is none).
fn last_sentence(text: &str) -> &str {
    let trimmed = text.trim_end();
    let body = trimmed.trim_end_matches(['.', '?', '!', ':', '*', '_', ' ']);
    let cut = body
        .char_indices()
        .filter(|&(i, c)| {
            matches!(c, '.' | '?' | '!')
                && body[i + c.len_utf8()..].starts_with(char::is_whitespace)
        })
        .map(|(i, c)| i + c.len_utf8())
        .next_back();
    match cut {
        Some(i) => trimmed[i..].trim_start(),
        None => trimmed,
    }
}

/// The rules that look at a whole quiz: `answer-position`, `longest-choice`
/// (too many questions whose longest choice is keyed) and
/// `true-false-balance`.
fn quiz_wide(quiz: &QuizFile<'_>) -> Vec<Finding> {
    let at = quiz.quiz.at.questions;
    let mut findings = Vec::new();
    let positioned = quiz.questions_checked_for(Code::AnswerPosition);
    if let Some(skew) = position_skew(&positioned) {
        findings.push(quiz.warn(
            Code::AnswerPosition,
            at,
            format!("in this quiz, {}", skew.describe()),
            "choices are shown in an order drawn from each question's `id`, or the file's with `shuffle: false`: put pinned questions' keys elsewhere, or change an `id` to draw another order",
        ));
    }
    let sized = quiz.questions_checked_for(Code::LongestChoice);
    if let Some(cue) = longest_skew(&sized) {
        findings.push(quiz.warn(
            Code::LongestChoice,
            at,
            format!("in this quiz, {cue}"),
            "a student who picks the longest choice does well: make the choices of each question about as long as each other",
        ));
    }
    let balanced = quiz.questions_checked_for(Code::TrueFalseBalance);
    if let Some(skew) = true_false_skew(&balanced, true) {
        findings.push(quiz.warn(
            Code::TrueFalseBalance,
            at,
            format!("in this quiz, {skew}"),
            "a student who always answers the same does well: turn some statements around so both answers are right about as often",
        ));
    }
    findings
}

/// The rules that look at every quiz together: `answer-position` and
/// `true-false-balance` (the handbook's `allow:` is applied by the caller).
fn handbook_wide(quizzes: &[QuizFile<'_>], file: &Path) -> Vec<Finding> {
    let warn = |rule: Code, message: String, help: &str| {
        Finding::new(rule.warning(file, 0, 0, message).with_help(help))
    };
    let mut findings = Vec::new();
    if quizzes.len() < 2 {
        return findings;
    }
    let all = |rule: Code| -> Vec<&Question> {
        quizzes
            .iter()
            .flat_map(|q| q.questions_checked_for(rule))
            .collect()
    };
    if let Some(skew) = position_skew(&all(Code::AnswerPosition)) {
        findings.push(warn(
            Code::AnswerPosition,
            format!("over all quizzes, {}", skew.describe()),
            "look at the quizzes' figures in this report: questions with `shuffle: false` keep the file's order",
        ));
    }
    if let Some(skew) = true_false_skew(&all(Code::TrueFalseBalance), false) {
        findings.push(warn(
            Code::TrueFalseBalance,
            format!("over all quizzes, {skew}"),
            "a student who always answers the same does well: turn some statements around",
        ));
    }
    findings
}

/// Where the keys of single-choice questions sit, as readers see them.
pub struct PositionSkew {
    /// The 0-based position furthest from chance.
    pub position: usize,
    /// Keys seen there.
    pub count: usize,
    /// Keys chance would put there.
    pub expected: f64,
    /// Single-choice questions counted.
    pub questions: usize,
    /// The two-sided chance of such a count, corrected for the positions looked at.
    pub p: f64,
}

impl PositionSkew {
    fn describe(&self) -> String {
        format!(
            "the right answer is choice {} in {} of {} single-choice questions as readers see them, where chance would put about {:.1} (p = {:.4})",
            letter(self.position),
            self.count,
            self.questions,
            self.expected,
            self.p
        )
    }
}

/// `A` for position 0.
pub fn letter(position: usize) -> char {
    char::from(b'A' + (position % 26) as u8)
}

/// The most unlikely position of keys among `questions`' single-choice
/// ones, when chance does not explain it.
pub fn position_skew(questions: &[&Question]) -> Option<PositionSkew> {
    let singles: Vec<(usize, usize)> = questions
        .iter()
        .filter_map(|q| match &q.kind {
            Kind::Single { choices } => Some((choices.len(), *order::keyed_positions(q).first()?)),
            _ => None,
        })
        .collect();
    let widest = singles.iter().map(|(n, _)| *n).max()?;
    (0..widest)
        .map(|position| {
            let chances: Vec<f64> = singles
                .iter()
                .map(|&(n, _)| if position < n { 1.0 / n as f64 } else { 0.0 })
                .collect();
            let count = singles.iter().filter(|(_, k)| *k == position).count();
            PositionSkew {
                position,
                count,
                expected: chances.iter().sum(),
                questions: singles.len(),
                p: (chance::two_sided(&chances, count) * widest as f64).min(1.0),
            }
        })
        .min_by(|a, b| a.p.total_cmp(&b.p))
        .filter(|s| s.p < ALPHA)
}

/// Whether `q`'s uniquely longest choice is a keyed one, and the chance of
/// that for a question whose lengths say nothing (keyed / choices); `None`
/// for questions without choices.
pub fn key_is_longest(q: &Question) -> Option<(bool, f64)> {
    let (Kind::Single { choices } | Kind::Multiple { choices }) = &q.kind else {
        return None;
    };
    let lengths: Vec<usize> = choices.iter().map(length).collect();
    let max = *lengths.iter().max()?;
    let longest: Vec<usize> = (0..choices.len()).filter(|&i| lengths[i] == max).collect();
    let keyed = choices.iter().filter(|c| c.correct).count();
    let is = longest.len() == 1 && choices[longest[0]].correct;
    Some((is, keyed as f64 / choices.len() as f64))
}

/// `longest-choice` over a quiz: more questions whose longest choice is
/// keyed than chance explains.
fn longest_skew(questions: &[&Question]) -> Option<String> {
    let trials: Vec<(bool, f64)> = questions.iter().filter_map(|q| key_is_longest(q)).collect();
    let chances: Vec<f64> = trials.iter().map(|(_, p)| *p).collect();
    let count = trials.iter().filter(|(is, _)| *is).count();
    let p = chance::upper_tail(&chances, count);
    (p < ALPHA).then(|| {
        format!(
            "the right answer is the longest choice in {count} of {} questions, where chance would give about {:.1} (p = {p:.4})",
            trials.len(),
            chances.iter().sum::<f64>()
        )
    })
}

/// `true-false-balance`: true-false answers all one way (in a quiz of at
/// least [`TRUE_FALSE_MIN`] such questions, when `all_one_way` is asked
/// for) or further from half and half than chance explains.
fn true_false_skew(questions: &[&Question], all_one_way: bool) -> Option<String> {
    let answers: Vec<bool> = questions
        .iter()
        .filter_map(|q| match q.kind {
            Kind::TrueFalse { answer } => Some(answer),
            _ => None,
        })
        .collect();
    let n = answers.len();
    let trues = answers.iter().filter(|a| **a).count();
    let one_way = all_one_way && n >= TRUE_FALSE_MIN && (trues == 0 || trues == n);
    let p = chance::two_sided(&vec![0.5; n], trues);
    if one_way {
        let answer = if trues == n { "true" } else { "false" };
        Some(format!("all {n} true-false statements are {answer}"))
    } else {
        (p < ALPHA).then(|| {
            format!(
                "{trues} of {n} true-false statements are true and {} false (p = {p:.4})",
                n - trues
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::parse;

    fn quiz(text: &str) -> Quiz {
        parse(text, Path::new("q.quiz.yaml")).expect("valid quiz")
    }

    /// The rules found in `text`, as (rule, line) pairs.
    fn found(text: &str) -> Vec<(&'static str, usize)> {
        let quiz = quiz(text);
        let file = QuizFile {
            file: Path::new("q.quiz.yaml"),
            quiz: &quiz,
        };
        let mut out: Vec<(&'static str, usize)> = check(&[file], Path::new("handbook.yaml"))
            .into_iter()
            .map(|f| (f.diagnostic.code.name(), f.diagnostic.line))
            .collect();
        out.sort();
        out
    }

    /// A single-choice question with a pinned order of `choices` (the first right).
    fn single(id: &str, prompt: &str, choices: &[&str]) -> String {
        let mut q = format!("  - id: {id}\n    type: single\n    shuffle: false\n    prompt: \"{prompt}\"\n    choices:\n");
        for (i, c) in choices.iter().enumerate() {
            q.push_str(&format!("      - text: \"{c}\"\n"));
            if i == 0 {
                q.push_str("        correct: true\n");
            }
        }
        q
    }

    fn true_false(id: &str, prompt: &str, answer: bool) -> String {
        format!(
            "  - id: {id}\n    type: true-false\n    prompt: \"{prompt}\"\n    answer: {answer}\n"
        )
    }

    #[test]
    fn longest_choice_on_both_sides_of_the_ratio() {
        // 30 against 20 characters: 1.5 times and 10 more: flagged.
        let long = single(
            "a",
            "P?",
            &["a".repeat(30).as_str(), &"b".repeat(20), &"c".repeat(20)],
        );
        assert_eq!(
            found(&format!("questions:\n{long}")),
            [("longest-choice", 7)]
        );
        // 29 against 20: under 1.5 times.
        let close = single(
            "a",
            "P?",
            &["a".repeat(29).as_str(), &"b".repeat(20), &"c".repeat(20)],
        );
        assert_eq!(found(&format!("questions:\n{close}")), []);
        // 15 against 9: 1.67 times but only 6 more characters.
        let short = single(
            "a",
            "P?",
            &["a".repeat(15).as_str(), &"b".repeat(9), &"c".repeat(9)],
        );
        assert_eq!(found(&format!("questions:\n{short}")), []);
    }

    #[test]
    fn longest_choice_across_a_quiz() {
        // The key uniquely longest, but not clearly so, in n of n
        // three-choice questions: chance gives (1/3)^n.
        let quiz_of = |n: usize| {
            let mut text = String::from("questions:\n");
            for i in 0..n {
                text.push_str(&single(
                    &format!("q{i}"),
                    "P?",
                    &["right one!", "wrong one", "wrong two"],
                ));
            }
            found(&text)
        };
        // (1/3)^4 = 0.012: chance may do that.
        assert_eq!(quiz_of(4), []);
        // (1/3)^5 = 0.004: it may not.
        assert_eq!(quiz_of(5), [("longest-choice", 1)]);
    }

    #[test]
    fn answer_position_needs_more_than_chance() {
        let quiz_of = |n: usize| {
            let mut text = String::from("questions:\n");
            for i in 0..n {
                text.push_str(&single(&format!("q{i}"), "P?", &["w", "x", "y", "z"]));
            }
            found(&text)
        };
        // Every key first (pinned): four questions could be chance (p = 0.031, two-sided over four places) ...
        assert_eq!(quiz_of(4), []);
        // ... five cannot (p = 0.008).
        assert_eq!(quiz_of(5), [("answer-position", 1)]);
    }

    #[test]
    fn answer_position_counts_the_order_readers_see() {
        // Forty keys written first, shown in the order drawn from each id: no skew.
        let mut text = String::from("questions:\n");
        for i in 0..40 {
            text.push_str(
                &single(&format!("q{i}"), "P?", &["w", "x", "y", "z"])
                    .replace("    shuffle: false\n", ""),
            );
        }
        assert_eq!(found(&text), []);
    }

    #[test]
    fn absolute_words_in_wrong_choices_only() {
        let flawed = single("a", "P?", &["It depends", "It always helps", "It hurts"]);
        assert_eq!(
            found(&format!("questions:\n{flawed}")),
            [("absolute-words", 9)]
        );
        // A keyed choice with such a word breaks the cue.
        let fair = single(
            "a",
            "P?",
            &["It always depends", "It always helps", "It hurts"],
        );
        assert_eq!(found(&format!("questions:\n{fair}")), []);
        // Words inside words do not count ("overall", "allowed").
        let inside = single("a", "P?", &["It depends", "Overall allowed", "It hurts"]);
        assert_eq!(found(&format!("questions:\n{inside}")), []);
    }

    #[test]
    fn absolute_words_in_false_statements() {
        let text = format!(
            "questions:\n{}{}",
            true_false("a", "Therapy never hurts.", false),
            true_false("b", "Trust grows.", true)
        );
        assert_eq!(found(&text), [("absolute-words", 4)]);
        let balanced = format!(
            "questions:\n{}{}",
            true_false("a", "Therapy never hurts.", false),
            true_false("b", "Every client may ask.", true)
        );
        assert_eq!(found(&balanced), []);
    }

    #[test]
    fn all_or_none_of_the_above() {
        // (Not also an absolute word: it is flagged once, for what it is.)
        let text = single("a", "P?", &["Trust", "Money", "All of the above"]);
        assert_eq!(
            found(&format!("questions:\n{text}")),
            [("all-none-of-the-above", 10)]
        );
        let text = single("a", "P?", &["Trust", "None of the above.", "Money"]);
        assert_eq!(
            found(&format!("questions:\n{text}")),
            [("all-none-of-the-above", 9)]
        );
    }

    #[test]
    fn duplicate_choices_ignoring_case_and_spaces() {
        let text = single("a", "P?", &["Trust", "Money", "money "]);
        assert_eq!(
            found(&format!("questions:\n{text}")),
            [("duplicate-choice", 10)]
        );
    }

    #[test]
    fn negative_stems_unless_emphasized() {
        for (prompt, flagged) in [
            ("Which of these is not a sign of trust?", true),
            ("Which of these is NOT a sign of trust?", false),
            ("Which of these is *not* a sign of trust?", false),
            ("All of these help EXCEPT which?", false),
            ("All of these help except which?", true),
            ("Which doesn't help?", true),
            ("Which is least likely to help?", true),
            ("Which needs at least two sessions?", false),
            ("Sam does not speak. What would help?", false),
        ] {
            let text = single("a", prompt, &["Trust", "Money", "Time"]);
            let expected: &[(&str, usize)] = if flagged {
                &[("negative-stem", 5)]
            } else {
                &[]
            };
            assert_eq!(found(&format!("questions:\n{text}")), expected, "{prompt}");
        }
    }

    #[test]
    fn true_false_balance_from_three_questions() {
        let quiz_of = |answers: &[bool]| {
            let mut text = String::from("questions:\n");
            for (i, a) in answers.iter().enumerate() {
                text.push_str(&true_false(&format!("t{i}"), "Trust grows.", *a));
            }
            found(&text)
        };
        assert_eq!(quiz_of(&[true, true]), []);
        assert_eq!(quiz_of(&[false, false, false]), [("true-false-balance", 1)]);
        assert_eq!(quiz_of(&[false, true, false]), []);
    }

    #[test]
    fn allow_silences_a_rule_for_a_question_or_a_quiz() {
        let text = single("a", "P?", &["Trust", "Money", "All of the above"]);
        let allowed = text.replace(
            "    shuffle: false\n",
            "    shuffle: false\n    allow: [all-none-of-the-above]\n",
        );
        assert_eq!(found(&format!("questions:\n{allowed}")), []);
        let quiz_wide = format!("allow: [all-none-of-the-above]\nquestions:\n{text}");
        assert_eq!(found(&quiz_wide), []);
    }

    #[test]
    fn the_last_sentence_is_the_question() {
        assert_eq!(
            last_sentence("Sam is not sure. Which helps?"),
            "Which helps?"
        );
        assert_eq!(last_sentence("Which helps?"), "Which helps?");
        assert_eq!(last_sentence("It is 1.5 times. Why not?"), "Why not?");
    }
}
