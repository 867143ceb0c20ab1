//! Reading a `*.quiz.yaml` file: YAML in, a checked [`Quiz`] out.
//!
//! The YAML goes through [`crate::yaml`] into "raw" structs that accept every
//! field of every question type (unknown keys are refused with a "did you
//! mean"); then each question is checked against the rules of its type, and
//! every problem becomes a [`Diagnostic`] pointing at the line it is about.
//! All problems are collected, not just the first.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::model::{
    Choice, Kind, Pair, Position, Question, QuestionPositions, Quiz, QuizPositions, TYPE_NAMES,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::inline::plain_text;
use crate::{suggest, yaml};

/// A text field: a string, or a number or boolean written without quotes
/// (`accept: [2011]`), kept as the author wrote it. An empty value is "".
#[derive(Debug, Default)]
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(String::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(String::new()))
            }
        }
        d.deserialize_any(TextVisitor)
    }
}

/// The file as written: every field optional, so that missing ones are
/// reported by us, with the question's line, rather than by serde.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuiz {
    #[serde(default)]
    title: Option<Text>,
    #[serde(default)]
    pass_mark: Option<u32>,
    #[serde(default)]
    shuffle: Option<bool>,
    #[serde(default)]
    allow: Option<Vec<Text>>,
    #[serde(default)]
    questions: Option<Vec<RawQuestion>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    #[serde(default)]
    id: Option<Text>,
    #[serde(default, rename = "type")]
    kind: Option<Text>,
    #[serde(default)]
    prompt: Option<Text>,
    #[serde(default)]
    choices: Option<Vec<RawChoice>>,
    #[serde(default)]
    answer: Option<bool>,
    #[serde(default)]
    accept: Option<Vec<Text>>,
    #[serde(default)]
    sequence: Option<Vec<Text>>,
    #[serde(default)]
    pairs: Option<Vec<RawPair>>,
    #[serde(default)]
    explanation: Option<Text>,
    #[serde(default)]
    review: Option<Text>,
    #[serde(default)]
    shuffle: Option<bool>,
    #[serde(default)]
    allow: Option<Vec<Text>>,
    #[serde(default)]
    tags: Option<Vec<Text>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    #[serde(default)]
    text: Option<Text>,
    #[serde(default)]
    correct: Option<bool>,
    #[serde(default)]
    feedback: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    #[serde(default)]
    left: Option<Text>,
    #[serde(default)]
    right: Option<Text>,
}

/// The answer field each type takes.
const ANSWER_FIELDS: [&str; 5] = ["choices", "answer", "accept", "sequence", "pairs"];

fn answer_field(type_name: &str) -> &'static str {
    match type_name {
        "true-false" => "answer",
        "short-answer" => "accept",
        "ordering" => "sequence",
        "matching" => "pairs",
        _ => "choices",
    }
}

/// "a `single`", "an `ordering`".
fn a_type(type_name: &str) -> String {
    let article = if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} `{type_name}`")
}

fn needs_help(type_name: &str) -> &'static str {
    match type_name {
        "true-false" => "add `answer: true` or `answer: false`",
        "short-answer" => "add `accept: [...]` with the answers to accept",
        "ordering" => "add `sequence: [...]` with the items in the right order",
        "matching" => "add `pairs:` with items like `- { left: ..., right: ... }`",
        "multiple" => {
            "add `choices:` with items like `- text: ...`, marking each right one `correct: true`"
        }
        _ => "add `choices:` with items like `- text: ...`, marking the right one `correct: true`",
    }
}

/// Parses and checks the quiz in `text`; `file` is the path shown in errors.
pub fn parse(text: &str, file: &Path) -> Result<Quiz, Vec<Diagnostic>> {
    let raw: RawQuiz = yaml::parse(text, file).map_err(|f| vec![explain_shape(f, text)])?;
    let lines: Vec<&str> = text.lines().collect();
    let mut checker = Checker {
        text,
        lines: &lines,
        file,
        last_line: lines.len().max(1),
        errors: Vec::new(),
    };
    let quiz = checker.quiz(raw);
    let mut errors = checker.errors;
    if errors.is_empty() {
        Ok(quiz)
    } else {
        errors.sort_by_key(|d| (d.line, d.column));
        Err(errors)
    }
}

/// Rewords YAML errors in quiz terms: serde names our raw structs, and points
/// at the start of a mapping for an unknown key rather than at the key.
fn explain_shape(failure: yaml::Failure, text: &str) -> Diagnostic {
    let yaml::Failure {
        diagnostic: mut d,
        detail,
    } = failure;
    if let Some(yaml::Problem::InvalidType { found, .. }) = &detail.problem {
        if let Some((words, help)) = mapping_at(&detail.path) {
            let path = detail.path_string();
            let said = format!("invalid type: {found}, expected {words}");
            d.message = if path.is_empty() {
                said
            } else {
                format!("{path}: {said}")
            };
            d.help.get_or_insert_with(|| help.to_string());
        }
    }
    if let Some(key) = detail.unknown_key() {
        let last = text.lines().count().max(1);
        if let Some(line) = yaml::key_line(text, d.line.max(1), last, key) {
            let column = text
                .lines()
                .nth(line - 1)
                .map_or(1, |l| l.len() - l.trim_start_matches([' ', '-']).len() + 1);
            d.line = line;
            d.column = column;
        }
    }
    d
}

/// What a quiz file has at `path` when that is a mapping (the quiz, a
/// question, a choice, a pair), in the author's words, and how to write it.
fn mapping_at(path: &[yaml::Segment]) -> Option<(&'static str, &'static str)> {
    use yaml::Segment::{Index, Key};
    let item_of = |list: &str| matches!(path, [.., Key(k), Index(_)] if k == list);
    if path.is_empty() {
        Some((
            "a quiz (`key: value` lines)",
            "a quiz file is a set of `key: value` lines: `title:`, `pass_mark:`, `shuffle:` and a `questions:` list",
        ))
    } else if matches!(path, [Key(k), Index(_)] if k == "questions") {
        Some((
            "a question (`key: value` lines)",
            "each item under `questions:` is a mapping, e.g. `- type: single` with `prompt:` below it",
        ))
    } else if item_of("choices") {
        Some((
            "a choice (`key: value` lines)",
            "each choice is a mapping, e.g. `- text: ...` with `correct: true` on the right one",
        ))
    } else if item_of("pairs") {
        Some((
            "a pair (`key: value` lines)",
            "each pair is a mapping, e.g. `- { left: ..., right: ... }`",
        ))
    } else {
        None
    }
}

struct Checker<'a> {
    text: &'a str,
    /// The file's lines, split once for every position lookup.
    lines: &'a [&'a str],
    file: &'a Path,
    last_line: usize,
    errors: Vec<Diagnostic>,
}

/// Where a question's lines are, as far as the position index could tell.
#[derive(Clone, Copy)]
struct Span {
    from: usize,
    to: usize,
}

impl Checker<'_> {
    fn error(
        &mut self,
        code: Code,
        line: usize,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let column = self.column_at(line);
        self.errors
            .push(code.error(self.file, line, column, message).with_help(help));
    }

    /// The column of the first key or item on `line` (1-based).
    fn column_at(&self, line: usize) -> usize {
        line.checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .map_or(1, |l| l.len() - l.trim_start_matches([' ', '-']).len() + 1)
    }

    /// The line of `key:` inside `span`, else the span's first line.
    fn at(&self, span: Span, key: &str) -> usize {
        yaml::key_line_in(self.lines, span.from, span.to, key).unwrap_or(span.from)
    }

    /// The first line of each of `count` items under `key` in `span`; the key's
    /// line for all when the position index cannot tell them apart.
    fn item_lines(&self, span: Span, key: &str, count: usize) -> Vec<Span> {
        let items = yaml::nested_sequence_items_in(self.lines, span.from, span.to, key);
        if items.len() == count {
            items
                .into_iter()
                .map(|(from, to)| Span { from, to })
                .collect()
        } else {
            let at = self.at(span, key);
            vec![Span { from: at, to: at }; count]
        }
    }

    fn quiz(&mut self, raw: RawQuiz) -> Quiz {
        let whole = Span {
            from: 1,
            to: self.last_line,
        };
        let title = match raw.title {
            Some(Text(t)) if t.trim().is_empty() => {
                self.error(
                    Code::InvalidValue,
                    self.at(whole, "title"),
                    "`title` is empty",
                    "write a title, or remove `title:` to use the default",
                );
                None
            }
            Some(Text(t)) => Some(t.trim().to_string()),
            None => None,
        };
        if let Some(mark) = raw.pass_mark.filter(|m| *m > 100) {
            self.error(
                Code::InvalidValue,
                self.at(whole, "pass_mark"),
                format!("`pass_mark` is a percent and must be 0 to 100, not {mark}"),
                "for example `pass_mark: 70`",
            );
        }
        // `questions: []` written out is a quiz still being written (what
        // `trellis new article` makes): accepted, and given no page.
        let questions_missing = raw.questions.is_none();
        let raw_questions = raw.questions.unwrap_or_default();
        let questions_line = self.at(whole, "questions");
        if questions_missing {
            self.error(
                Code::MissingKey,
                questions_line,
                "the quiz has no questions",
                "add a `questions:` list with at least one question (`questions: []` while you write them)",
            );
        }
        let items = yaml::sequence_items(self.text, Some("questions"));
        let spans: Vec<Span> = if items.len() == raw_questions.len() {
            items
                .into_iter()
                .map(|(from, to)| Span { from, to })
                .collect()
        } else {
            let at = Span {
                from: questions_line,
                to: questions_line,
            };
            vec![at; raw_questions.len()]
        };
        let mut built = Vec::with_capacity(raw_questions.len());
        for (raw_q, span) in raw_questions.into_iter().zip(spans) {
            built.push(self.question(raw_q, span));
        }
        let questions = self.assign_ids(built);
        Quiz {
            title,
            pass_mark: raw.pass_mark,
            shuffle: raw.shuffle.unwrap_or(true),
            allow: words(raw.allow),
            questions,
            at: QuizPositions {
                questions: self.position(questions_line, "questions"),
                // Before `questions:`: a question's own `allow:` is not the quiz's.
                allow: self.position(
                    self.at(
                        Span {
                            from: 1,
                            to: questions_line,
                        },
                        "allow",
                    ),
                    "allow",
                ),
            },
        }
    }

    fn question(&mut self, raw: RawQuestion, span: Span) -> Draft {
        let line = span.from;
        let prompt = match &raw.prompt {
            None => {
                self.error(
                    Code::MissingKey,
                    line,
                    "question has no `prompt`",
                    "add `prompt:` with the question to ask",
                );
                String::new()
            }
            Some(Text(p)) if p.trim().is_empty() => {
                self.error(
                    Code::InvalidValue,
                    self.at(span, "prompt"),
                    "question has an empty `prompt`",
                    "write the question to ask after `prompt:`",
                );
                String::new()
            }
            Some(Text(p)) => p.trim().to_string(),
        };
        let type_name: Option<&'static str> = match &raw.kind {
            None => {
                self.error(
                    Code::MissingKey,
                    line,
                    "question has no `type`",
                    format!("add `type:` with one of: {}", TYPE_NAMES.join(", ")),
                );
                None
            }
            Some(Text(t)) => match TYPE_NAMES.iter().find(|n| **n == t.trim()) {
                Some(name) => Some(*name),
                None => {
                    let help = suggest::help_for(t.trim(), &TYPE_NAMES)
                        .unwrap_or_else(|| format!("use one of: {}", TYPE_NAMES.join(", ")));
                    self.error(
                        Code::InvalidValue,
                        self.at(span, "type"),
                        format!("unknown question type `{}`", t.trim()),
                        help,
                    );
                    None
                }
            },
        };
        let kind = type_name.and_then(|name| self.kind(name, &raw, span));
        if raw.shuffle.is_some() && !matches!(type_name, Some("single" | "multiple") | None) {
            self.error(
                Code::UnknownKey,
                self.at(span, "shuffle"),
                "`shuffle` on a question is for `single` and `multiple` questions",
                "remove it: true-false keeps True before False, and ordering items and matching options are always shown out of their written order",
            );
        }
        let explanation = raw
            .explanation
            .map(|Text(e)| e.trim().to_string())
            .filter(|e| !e.is_empty());
        let review_line = self.at(span, "review");
        let review = match raw.review {
            Some(Text(r)) if r.trim().is_empty() => {
                self.error(
                    Code::InvalidValue,
                    review_line,
                    "`review` is empty",
                    "link the article section to read, e.g. `review: article.md#section`, or remove `review:`",
                );
                None
            }
            Some(Text(r)) => Some(r.trim().to_string()),
            None => None,
        };
        let id = match raw.id {
            None => None,
            Some(Text(id)) => {
                let id = id.trim().to_string();
                let id_line = self.at(span, "id");
                if id.is_empty() {
                    self.error(
                        Code::InvalidValue,
                        id_line,
                        "question `id` is empty",
                        "write an id, or remove `id:` to derive one from the prompt",
                    );
                    None
                } else if !id
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                {
                    let example = slug(&id);
                    self.error(
                        Code::InvalidValue,
                        id_line,
                        format!("question id `{id}` may contain only letters, digits, `-` and `_`"),
                        format!(
                            "for example `{}`",
                            if example.is_empty() {
                                "question-1"
                            } else {
                                &example
                            }
                        ),
                    );
                    None
                } else {
                    Some((id, id_line))
                }
            }
        };
        let choices = match &raw.choices {
            Some(list) => self
                .item_lines(span, "choices", list.len())
                .into_iter()
                .map(|at| {
                    let line = self.at(at, "text");
                    self.position(line, "text")
                })
                .collect(),
            None => Vec::new(),
        };
        let at = QuestionPositions {
            prompt: self.position(self.at(span, "prompt"), "prompt"),
            choices,
            answer: self.position(self.at(span, "answer"), "answer"),
            allow: self.position(self.at(span, "allow"), "allow"),
        };
        Draft {
            id,
            kind,
            prompt,
            explanation,
            review,
            review_line,
            line,
            shuffle: raw.shuffle.unwrap_or(true),
            allow: words(raw.allow),
            tags: words(raw.tags),
            at,
        }
    }

    /// Where the value of `key:` on `line` starts (the line's first key or
    /// item when `key:` is not on it).
    fn position(&self, line: usize, key: &str) -> Position {
        let text = line
            .checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .copied()
            .unwrap_or("");
        let pattern = format!("{key}:");
        let column = match text.find(&pattern) {
            Some(i) => {
                let after = i + pattern.len();
                let value = text[after..].len() - text[after..].trim_start().len();
                text[..after + value].chars().count() + 1
            }
            None => self.column_at(line),
        };
        Position { line, column }
    }

    /// Checks the answer fields against the type and builds the [`Kind`].
    fn kind(&mut self, name: &'static str, raw: &RawQuestion, span: Span) -> Option<Kind> {
        let wanted = answer_field(name);
        let present = [
            raw.choices.is_some(),
            raw.answer.is_some(),
            raw.accept.is_some(),
            raw.sequence.is_some(),
            raw.pairs.is_some(),
        ];
        for (field, is_there) in ANSWER_FIELDS.iter().zip(present) {
            if is_there && *field != wanted {
                self.error(
                    Code::UnknownKey,
                    self.at(span, field),
                    format!("`{field}` does not belong in {} question", a_type(name)),
                    format!(
                        "{} question takes `{wanted}`; remove `{field}` or change `type`",
                        capitalize(&a_type(name))
                    ),
                );
            }
        }
        let missing = |checker: &mut Self| {
            checker.error(
                Code::MissingKey,
                span.from,
                format!("{} question needs `{wanted}`", a_type(name)),
                needs_help(name),
            );
            None
        };
        match name {
            "single" | "multiple" => match &raw.choices {
                Some(choices) => {
                    let choices = self.choices(name, choices, span)?;
                    Some(if name == "single" {
                        Kind::Single { choices }
                    } else {
                        Kind::Multiple { choices }
                    })
                }
                None => missing(self),
            },
            "true-false" => match raw.answer {
                Some(answer) => Some(Kind::TrueFalse { answer }),
                None => missing(self),
            },
            "short-answer" => match &raw.accept {
                Some(accept) => self
                    .accept(accept, span)
                    .map(|accept| Kind::ShortAnswer { accept }),
                None => missing(self),
            },
            "ordering" => match &raw.sequence {
                Some(sequence) => self
                    .sequence(sequence, span)
                    .map(|sequence| Kind::Ordering { sequence }),
                None => missing(self),
            },
            _ => match &raw.pairs {
                Some(pairs) => self
                    .pairs(pairs, span)
                    .map(|pairs| Kind::Matching { pairs }),
                None => missing(self),
            },
        }
    }

    fn choices(&mut self, name: &str, raw: &[RawChoice], span: Span) -> Option<Vec<Choice>> {
        let before = self.errors.len();
        let key_at = self.at(span, "choices");
        if raw.len() < 2 {
            self.error(
                Code::InvalidValue,
                key_at,
                format!(
                    "a question needs at least two choices; this one has {}",
                    raw.len()
                ),
                "add more items like `- text: ...` under `choices:`",
            );
        }
        let lines = self.item_lines(span, "choices", raw.len());
        let mut seen: HashMap<String, (usize, bool)> = HashMap::new();
        let mut choices = Vec::with_capacity(raw.len());
        for (choice, at) in raw.iter().zip(&lines) {
            let text = choice.text.as_ref().map_or("", |t| t.0.trim());
            if choice.text.is_none() {
                self.error(
                    Code::MissingKey,
                    at.from,
                    "a choice has no `text`",
                    "add `text:` with what the student reads",
                );
            } else if text.is_empty() {
                self.error(
                    Code::InvalidValue,
                    self.at(*at, "text"),
                    "a choice has an empty `text`",
                    "write what the student reads after `text:`",
                );
            } else {
                // Two choices that read the same are a `check` warning
                // (`duplicate-choice`), but not when one is right and the
                // other wrong: no answer could be marked.
                let key = normalized(&plain_text(text));
                let correct = choice.correct.unwrap_or(false);
                match seen.get(&key) {
                    Some(&(first, was_correct)) if was_correct != correct => self.error(
                        Code::InvalidValue,
                        self.at(*at, "text"),
                        format!("`choices` repeats `{text}`, once right and once wrong"),
                        format!("each choice must read differently; the first is on line {first}"),
                    ),
                    Some(_) => {}
                    None => {
                        seen.insert(key, (self.at(*at, "text"), correct));
                    }
                }
            }
            choices.push(Choice {
                text: text.to_string(),
                correct: choice.correct.unwrap_or(false),
                feedback: choice
                    .feedback
                    .as_ref()
                    .map(|f| f.0.trim().to_string())
                    .filter(|f| !f.is_empty()),
            });
        }
        let correct: Vec<usize> = choices
            .iter()
            .enumerate()
            .filter(|(_, c)| c.correct)
            .map(|(i, _)| i)
            .collect();
        if name == "single" && correct.is_empty() {
            self.error(
                Code::InvalidValue,
                key_at,
                "a `single` question needs exactly one correct choice; none is marked `correct: true`",
                "mark the right choice with `correct: true`",
            );
        } else if name == "single" && correct.len() > 1 {
            let second = lines
                .get(correct[1])
                .map_or(key_at, |s| self.at(*s, "correct"));
            self.error(
                Code::InvalidValue,
                second,
                format!(
                    "a `single` question needs exactly one correct choice; {} are marked `correct: true`",
                    correct.len()
                ),
                "use `type: multiple` when more than one choice is right",
            );
        } else if name == "multiple" && correct.is_empty() {
            self.error(
                Code::InvalidValue,
                key_at,
                "a `multiple` question needs at least one correct choice",
                "mark each right choice with `correct: true`",
            );
        }
        (self.errors.len() == before).then_some(choices)
    }

    fn accept(&mut self, raw: &[Text], span: Span) -> Option<Vec<String>> {
        let before = self.errors.len();
        let key_at = self.at(span, "accept");
        if raw.is_empty() {
            self.error(
                Code::InvalidValue,
                key_at,
                "`accept` is empty",
                "list the answers to accept, e.g. `accept: [meta-analysis, meta analysis]`",
            );
        }
        let lines = self.item_lines(span, "accept", raw.len());
        for (answer, at) in raw.iter().zip(&lines) {
            if answer.0.trim().is_empty() {
                self.error(
                    Code::InvalidValue,
                    at.from,
                    "`accept` has an empty answer",
                    "remove the empty item; an empty answer would accept a blank box",
                );
            }
        }
        (self.errors.len() == before).then(|| raw.iter().map(|a| a.0.trim().to_string()).collect())
    }

    fn sequence(&mut self, raw: &[Text], span: Span) -> Option<Vec<String>> {
        let before = self.errors.len();
        let key_at = self.at(span, "sequence");
        if raw.len() < 2 {
            self.error(
                Code::InvalidValue,
                key_at,
                format!(
                    "an `ordering` question needs at least two items in `sequence`; it has {}",
                    raw.len()
                ),
                "list the items in the right order, e.g. `sequence: [first, second, third]`",
            );
        }
        let lines = self.item_lines(span, "sequence", raw.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (item, at) in raw.iter().zip(&lines) {
            let text = item.0.trim();
            if text.is_empty() {
                self.error(
                    Code::InvalidValue,
                    at.from,
                    "`sequence` has an empty item",
                    "remove the empty item",
                );
                continue;
            }
            let key = normalized(&plain_text(text));
            if let Some(first) = seen.get(&key) {
                self.error(
                    Code::InvalidValue,
                    at.from,
                    format!("`sequence` repeats `{text}`"),
                    format!("each item must be different, or the right order is ambiguous; the first is on line {first}"),
                );
            } else {
                seen.insert(key, at.from);
            }
        }
        (self.errors.len() == before).then(|| raw.iter().map(|s| s.0.trim().to_string()).collect())
    }

    fn pairs(&mut self, raw: &[RawPair], span: Span) -> Option<Vec<Pair>> {
        let before = self.errors.len();
        let key_at = self.at(span, "pairs");
        if raw.len() < 2 {
            self.error(
                Code::InvalidValue,
                key_at,
                format!(
                    "a `matching` question needs at least two pairs; it has {}",
                    raw.len()
                ),
                "add more items like `- { left: ..., right: ... }` under `pairs:`",
            );
        }
        let lines = self.item_lines(span, "pairs", raw.len());
        let mut lefts: HashMap<String, usize> = HashMap::new();
        let mut rights: HashMap<String, usize> = HashMap::new();
        let mut pairs = Vec::with_capacity(raw.len());
        for (pair, at) in raw.iter().zip(&lines) {
            let mut sides = [
                ("left", &pair.left, &mut lefts),
                ("right", &pair.right, &mut rights),
            ];
            let mut texts = Vec::with_capacity(2);
            for (side, value, seen) in sides.iter_mut() {
                let side_line = self.at(*at, side);
                match value {
                    None => self.error(
                        Code::MissingKey,
                        at.from,
                        format!("a pair has no `{side}`"),
                        "each pair needs both `left:` and `right:`",
                    ),
                    Some(Text(t)) if t.trim().is_empty() => self.error(
                        Code::InvalidValue,
                        side_line,
                        format!("a pair has an empty `{side}`"),
                        format!("write the {side} item after `{side}:`"),
                    ),
                    Some(Text(t)) => {
                        let key = normalized(&plain_text(t.trim()));
                        if let Some(first) = seen.get(&key) {
                            self.error(
                                Code::InvalidValue,
                                side_line,
                                format!("`pairs` repeats the {side} item `{}`", t.trim()),
                                format!("each {side} item must appear once; the first is on line {first}"),
                            );
                        } else {
                            seen.insert(key, side_line);
                        }
                    }
                }
                texts.push(
                    value
                        .as_ref()
                        .map_or(String::new(), |t| t.0.trim().to_string()),
                );
            }
            let right = texts.pop().unwrap_or_default();
            let left = texts.pop().unwrap_or_default();
            pairs.push(Pair { left, right });
        }
        (self.errors.len() == before).then_some(pairs)
    }

    /// Checks explicit ids for duplicates and derives the missing ones from
    /// the prompts, unique in the quiz. Drafts whose kind failed are dropped
    /// (their errors are already recorded).
    fn assign_ids(&mut self, drafts: Vec<Draft>) -> Vec<Question> {
        let mut first_line: HashMap<String, usize> = HashMap::new();
        for draft in &drafts {
            if let Some((id, line)) = &draft.id {
                if let Some(first) = first_line.get(id) {
                    let message = format!("duplicate question id `{id}`");
                    let help = format!(
                        "ids must be unique in a quiz; `{id}` is first used on line {first}"
                    );
                    self.error(Code::DuplicateName, *line, message, help);
                } else {
                    first_line.insert(id.clone(), *line);
                }
            }
        }
        let mut taken: HashSet<String> = first_line.into_keys().collect();
        let mut questions = Vec::with_capacity(drafts.len());
        for (n, draft) in drafts.into_iter().enumerate() {
            let id = match draft.id {
                Some((id, _)) => id,
                None => {
                    let mut base = slug(&plain_text(&draft.prompt));
                    if base.is_empty() {
                        base = format!("question-{}", n + 1);
                    }
                    let mut candidate = base.clone();
                    let mut k = 2;
                    while taken.contains(&candidate) {
                        candidate = format!("{base}-{k}");
                        k += 1;
                    }
                    taken.insert(candidate.clone());
                    candidate
                }
            };
            if let Some(kind) = draft.kind {
                questions.push(Question {
                    id,
                    kind,
                    prompt: draft.prompt,
                    explanation: draft.explanation,
                    review: draft.review,
                    review_line: draft.review_line,
                    line: draft.line,
                    shuffle: draft.shuffle,
                    allow: draft.allow,
                    tags: draft.tags,
                    at: draft.at,
                });
            }
        }
        questions
    }
}

/// A question checked on its own, before ids are settled across the quiz.
struct Draft {
    id: Option<(String, usize)>,
    kind: Option<Kind>,
    prompt: String,
    explanation: Option<String>,
    review: Option<String>,
    review_line: usize,
    line: usize,
    shuffle: bool,
    allow: Vec<String>,
    tags: Vec<String>,
    at: QuestionPositions,
}

/// A list of names (`allow:`, `tags:`) trimmed, without empty entries.
fn words(list: Option<Vec<Text>>) -> Vec<String> {
    list.unwrap_or_default()
        .into_iter()
        .map(|Text(t)| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Trimmed, lower case, inner whitespace collapsed: how answers and items are compared.
pub fn normalized(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A slug for a derived id: lower-case letters and digits joined by `-`,
/// apostrophes dropped, cut at a word boundary to at most 60 characters.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else if c != '\'' && c != '\u{2019}' {
            gap = true;
        }
    }
    if out.chars().count() > 60 {
        let cut: String = out.chars().take(61).collect();
        out = match cut.rfind('-') {
            Some(i) if i > 0 => cut[..i].to_string(),
            _ => cut.chars().take(60).collect(),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<Diagnostic> {
        parse(text, Path::new("q.quiz.yaml")).expect_err("expected errors")
    }

    fn one_error(text: &str) -> Diagnostic {
        let errs = errors(text);
        assert_eq!(errs.len(), 1, "{errs:#?}");
        errs.into_iter().next().unwrap()
    }

    const GOOD: &str = "\
title: T
pass_mark: 80
shuffle: true
questions:
  - id: pick-one
    type: single
    prompt: Which?
    choices:
      - text: A
        correct: true
      - text: B
        feedback: Not B.
    explanation: Because A.
    review: a.md#x
  - type: true-false
    prompt: Trust can grow.
    answer: true
  - type: short-answer
    prompt: Name it.
    accept: [meta-analysis, 2011]
  - type: ordering
    prompt: Order these.
    sequence: [one, two, three]
  - type: matching
    prompt: Match.
    pairs:
      - { left: a, right: b }
      - { left: c, right: d }
  - type: multiple
    prompt: Which ones?
    choices:
      - { text: x, correct: true }
      - { text: y, correct: true }
      - { text: z }
";

    #[test]
    fn parses_every_type() {
        let quiz = parse(GOOD, Path::new("q.quiz.yaml")).unwrap();
        assert_eq!(quiz.title.as_deref(), Some("T"));
        assert_eq!(quiz.pass_mark, Some(80));
        assert!(quiz.shuffle);
        let kinds: Vec<&str> = quiz.questions.iter().map(|q| q.kind.name()).collect();
        assert_eq!(
            kinds,
            [
                "single",
                "true-false",
                "short-answer",
                "ordering",
                "matching",
                "multiple"
            ]
        );
        let q = &quiz.questions[0];
        assert_eq!(q.id, "pick-one");
        assert_eq!(q.line, 5);
        assert_eq!(q.review.as_deref(), Some("a.md#x"));
        assert_eq!(q.review_line, 14);
        assert_eq!(q.explanation.as_deref(), Some("Because A."));
        assert_eq!(quiz.questions[1].id, "trust-can-grow");
        assert_eq!(quiz.questions[1].line, 15);
        assert_eq!(quiz.questions[1].review_line, 15);
        assert_eq!(
            quiz.questions[2].kind,
            Kind::ShortAnswer {
                accept: vec!["meta-analysis".into(), "2011".into()]
            }
        );
        match &q.kind {
            Kind::Single { choices } => {
                assert!(choices[0].correct);
                assert_eq!(choices[1].feedback.as_deref(), Some("Not B."));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn derived_ids_are_unique() {
        let text = "questions:\n  - { type: true-false, prompt: \"Is it? Yes!\", answer: true }\n  - { type: true-false, prompt: Is it yes, answer: false }\n  - { id: is-it-yes-3, type: true-false, prompt: x, answer: true }\n  - { type: true-false, prompt: \"is it, yes\", answer: true }\n";
        let quiz = parse(text, Path::new("q.quiz.yaml")).unwrap();
        let ids: Vec<&str> = quiz.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(
            ids,
            ["is-it-yes", "is-it-yes-2", "is-it-yes-3", "is-it-yes-4"]
        );
        assert_eq!(
            slug("The client's *own* pace — über"),
            "the-clients-own-pace-über"
        );
        let long = slug(&"word ".repeat(30));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn each_kind_of_mistake_has_its_code() {
        let cases = [
            ("questions:\n  - type: singel\n    prompt: P\n    choices: [{text: a, correct: true}, {text: b}]\n", Code::InvalidValue),
            ("questions:\n  - prompt: P\n    answer: true\n", Code::MissingKey),
            ("questions:\n  - type: true-false\n    promt: P\n    answer: true\n", Code::UnknownKey),
            ("questions:\n  - type: true-false\n    prompt: P\n    answer: true\n    choices: [{text: a}]\n", Code::UnknownKey),
            ("questions:\n  - id: a\n    type: true-false\n    prompt: P\n    answer: true\n  - id: a\n    type: true-false\n    prompt: Q\n    answer: false\n", Code::DuplicateName),
            ("questions:\n\t- type: true-false\n", Code::YamlSyntax),
        ];
        for (text, code) in cases {
            assert_eq!(one_error(text).code, code, "{text}");
        }
    }

    #[test]
    fn unknown_type_suggests() {
        let d = one_error("questions:\n  - type: singel\n    prompt: P\n    choices: [{text: a, correct: true}, {text: b}]\n");
        assert_eq!(d.message, "unknown question type `singel`");
        assert_eq!(d.help.as_deref(), Some("did you mean `single`?"));
        assert_eq!((d.line, d.column), (2, 5));
    }

    #[test]
    fn missing_type() {
        let d = one_error("questions:\n  - prompt: P\n    answer: true\n");
        assert_eq!(d.message, "question has no `type`");
        assert_eq!(
            d.help.as_deref(),
            Some("add `type:` with one of: single, multiple, true-false, short-answer, ordering, matching")
        );
        assert_eq!(d.line, 2);
    }

    #[test]
    fn single_with_no_correct_choice() {
        let d = one_error("questions:\n  - type: single\n    prompt: P\n    choices:\n      - text: a\n      - text: b\n");
        assert_eq!(
            d.message,
            "a `single` question needs exactly one correct choice; none is marked `correct: true`"
        );
        assert_eq!(d.line, 4);
    }

    #[test]
    fn single_with_two_correct_choices() {
        let d = one_error("questions:\n  - type: single\n    prompt: P\n    choices:\n      - text: a\n        correct: true\n      - text: b\n        correct: true\n");
        assert_eq!(
            d.message,
            "a `single` question needs exactly one correct choice; 2 are marked `correct: true`"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("use `type: multiple` when more than one choice is right")
        );
        assert_eq!((d.line, d.column), (8, 9));
    }

    #[test]
    fn multiple_with_none_correct() {
        let d = one_error(
            "questions:\n  - type: multiple\n    prompt: P\n    choices: [{text: a}, {text: b}]\n",
        );
        assert_eq!(
            d.message,
            "a `multiple` question needs at least one correct choice"
        );
        assert_eq!(d.line, 4);
    }

    #[test]
    fn fewer_than_two_choices() {
        let d = one_error("questions:\n  - type: single\n    prompt: P\n    choices:\n      - text: a\n        correct: true\n");
        assert_eq!(
            d.message,
            "a question needs at least two choices; this one has 1"
        );
        assert_eq!(d.line, 4);
    }

    #[test]
    fn choice_problems() {
        let errs = errors("questions:\n  - type: single\n    prompt: P\n    choices:\n      - text: a\n        correct: true\n      - feedback: f\n      - text: ' '\n      - text: A\n");
        let messages: Vec<(usize, &str)> =
            errs.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            messages,
            [
                (7, "a choice has no `text`"),
                (8, "a choice has an empty `text`"),
                (9, "`choices` repeats `A`, once right and once wrong"),
            ]
        );
        assert_eq!(
            errs[2].help.as_deref(),
            Some("each choice must read differently; the first is on line 5")
        );
    }

    #[test]
    fn duplicate_ids() {
        let d = one_error("questions:\n  - id: same\n    type: true-false\n    prompt: P\n    answer: true\n  - id: same\n    type: true-false\n    prompt: Q\n    answer: false\n");
        assert_eq!(d.message, "duplicate question id `same`");
        assert_eq!(
            d.help.as_deref(),
            Some("ids must be unique in a quiz; `same` is first used on line 2")
        );
        assert_eq!((d.line, d.column), (6, 5));
    }

    #[test]
    fn bad_ids() {
        let errs = errors("questions:\n  - id: two words\n    type: true-false\n    prompt: P\n    answer: true\n  - id: ''\n    type: true-false\n    prompt: Q\n    answer: false\n");
        assert_eq!(
            errs[0].message,
            "question id `two words` may contain only letters, digits, `-` and `_`"
        );
        assert_eq!(errs[0].help.as_deref(), Some("for example `two-words`"));
        assert_eq!(errs[1].message, "question `id` is empty");
        assert_eq!(errs[1].line, 6);
    }

    #[test]
    fn empty_accept() {
        let d = one_error("questions:\n  - type: short-answer\n    prompt: P\n    accept: []\n");
        assert_eq!(d.message, "`accept` is empty");
        assert_eq!(d.line, 4);
        let d = one_error("questions:\n  - type: short-answer\n    prompt: P\n    accept:\n      - a\n      - ''\n");
        assert_eq!(d.message, "`accept` has an empty answer");
        assert_eq!(d.line, 6);
    }

    #[test]
    fn ordering_needs_two_distinct_items() {
        let d = one_error("questions:\n  - type: ordering\n    prompt: P\n    sequence: [only]\n");
        assert_eq!(
            d.message,
            "an `ordering` question needs at least two items in `sequence`; it has 1"
        );
        assert_eq!(d.line, 4);
        let d = one_error("questions:\n  - type: ordering\n    prompt: P\n    sequence:\n      - a\n      - b\n      - A\n");
        assert_eq!(d.message, "`sequence` repeats `A`");
        assert_eq!(d.line, 7);
    }

    #[test]
    fn matching_with_repeats() {
        let errs = errors("questions:\n  - type: matching\n    prompt: P\n    pairs:\n      - left: a\n        right: b\n      - left: a\n        right: c\n      - left: d\n        right: b\n");
        let messages: Vec<(usize, &str)> =
            errs.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            messages,
            [
                (7, "`pairs` repeats the left item `a`"),
                (10, "`pairs` repeats the right item `b`"),
            ]
        );
        assert_eq!(
            errs[0].help.as_deref(),
            Some("each left item must appear once; the first is on line 5")
        );
        let d = one_error(
            "questions:\n  - type: matching\n    prompt: P\n    pairs: [{left: a, right: b}]\n",
        );
        assert_eq!(
            d.message,
            "a `matching` question needs at least two pairs; it has 1"
        );
        let d = one_error("questions:\n  - type: matching\n    prompt: P\n    pairs:\n      - left: a\n      - left: c\n        right: d\n");
        assert_eq!((d.line, d.message.as_str()), (5, "a pair has no `right`"));
    }

    #[test]
    fn empty_prompt() {
        let d = one_error("questions:\n  - type: true-false\n    prompt: '  '\n    answer: true\n");
        assert_eq!(d.message, "question has an empty `prompt`");
        assert_eq!(d.line, 3);
        let d = one_error("questions:\n  - type: true-false\n    answer: true\n");
        assert_eq!(d.message, "question has no `prompt`");
        assert_eq!(d.line, 2);
    }

    #[test]
    fn missing_answer_fields() {
        let cases = [
            ("single", "a `single` question needs `choices`"),
            ("multiple", "a `multiple` question needs `choices`"),
            ("true-false", "a `true-false` question needs `answer`"),
            ("short-answer", "a `short-answer` question needs `accept`"),
            ("ordering", "an `ordering` question needs `sequence`"),
            ("matching", "a `matching` question needs `pairs`"),
        ];
        for (kind, message) in cases {
            let d = one_error(&format!("questions:\n  - type: {kind}\n    prompt: P\n"));
            assert_eq!(d.message, message);
            assert_eq!(d.line, 2);
        }
    }

    #[test]
    fn fields_that_do_not_belong() {
        let errs = errors("questions:\n  - type: true-false\n    prompt: P\n    answer: true\n    choices: [{text: a}, {text: b}]\n    accept: [x]\n");
        let messages: Vec<(usize, &str)> =
            errs.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            messages,
            [
                (5, "`choices` does not belong in a `true-false` question"),
                (6, "`accept` does not belong in a `true-false` question"),
            ]
        );
        assert_eq!(
            errs[0].help.as_deref(),
            Some("A `true-false` question takes `answer`; remove `choices` or change `type`")
        );
    }

    #[test]
    fn unknown_key_suggests() {
        let d = one_error("questions:\n  - type: true-false\n    promt: P\n    answer: true\n");
        assert_eq!(d.message, "questions[0]: unknown key `promt`");
        assert_eq!(d.help.as_deref(), Some("did you mean `prompt`?"));
        assert_eq!(d.line, 3);
    }

    #[test]
    fn quiz_level_problems() {
        let errs = errors("title: ''\npass_mark: 120\nquestions:\n");
        let messages: Vec<(usize, &str)> =
            errs.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            messages,
            [
                (1, "`title` is empty"),
                (2, "`pass_mark` is a percent and must be 0 to 100, not 120"),
                (3, "the quiz has no questions"),
            ]
        );
        assert_eq!(one_error("").message, "the quiz has no questions");
        let being_written = parse("questions: []\n", Path::new("q.quiz.yaml")).unwrap();
        assert!(being_written.questions.is_empty());
        let d = one_error("- a\n- b\n");
        assert_eq!(
            d.message,
            "invalid type: sequence, expected a quiz (`key: value` lines)"
        );
        assert!(d.help.is_some());
        let d = one_error(
            "questions:\n  - type: true-false\n    prompt: P\n    answer: true\n    review: ''\n",
        );
        assert_eq!((d.line, d.message.as_str()), (5, "`review` is empty"));
    }

    #[test]
    fn collects_errors_from_every_question() {
        let errs = errors("questions:\n  - type: single\n    prompt: P\n    choices: [{text: a}, {text: b}]\n  - type: nope\n    prompt: Q\n  - type: ordering\n    prompt: R\n    sequence: [x]\n");
        let lines: Vec<usize> = errs.iter().map(|d| d.line).collect();
        assert_eq!(lines, [4, 5, 9]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "questions:\n  - 3\n",
            "questions: 3\n",
            "questions:\n  -\n",
            "questions:\n- type: single\n  choices:\n  -\n  - text:\n",
            "questions: [{type: matching, pairs: [{}, {left: a}]}]",
            "questions:\n  - type: ordering\n    sequence: [~, ~]\n",
            "\u{feff}title: x\n\tquestions: []",
        ] {
            let _ = parse(text, Path::new("q.quiz.yaml"));
        }
    }
}
