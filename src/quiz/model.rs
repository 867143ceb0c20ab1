//! The quiz model: a `*.quiz.yaml` file after it has been read and checked.
//!
//! [`crate::quiz::parse()`] builds these from the raw YAML; everything here is
//! already valid (a `single` question has exactly one right choice, ids are
//! unique, and so on), so the page builder and the exporters need not check
//! again. Text fields hold the author's inline markdown as written.

use crate::diagnostic::Code;
use serde::Serialize;

/// The question types, in the spelling authors use for `type:`.
pub const TYPE_NAMES: [&str; 6] = [
    "single",
    "multiple",
    "true-false",
    "short-answer",
    "ordering",
    "matching",
];

/// One quiz file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quiz {
    /// The quiz's own title; `None` means the default one, made from the
    /// article's title ("`<article title>`: check your understanding").
    pub title: Option<String>,
    /// Percent needed to pass; `None` means the handbook's `quiz.pass_mark`.
    pub pass_mark: Option<u32>,
    /// A fresh order of choices and questions on every attempt with
    /// JavaScript (`shuffle:`, default true). Without it, or without
    /// JavaScript, choices keep the order [`crate::quiz::order`] derives.
    pub shuffle: bool,
    /// `check` rules silenced for the whole quiz (`allow:`).
    pub allow: Vec<String>,
    /// The questions, in the order written.
    pub questions: Vec<Question>,
    /// Where the quiz's own keys are, for `check`'s quiz-wide warnings.
    pub at: QuizPositions,
}

impl Quiz {
    /// The title to show: the quiz's own, else the default built from the
    /// article's title by `default_title` (the theme's words, `{article}`
    /// filled in), else `fallback` (for a stand-alone quiz, its file stem).
    pub fn display_title(
        &self,
        article_title: Option<&str>,
        fallback: &str,
        default_title: &str,
    ) -> String {
        match (&self.title, article_title) {
            (Some(title), _) => title.clone(),
            (None, Some(article)) => default_title.replace("{article}", article),
            (None, None) => fallback.to_string(),
        }
    }

    /// The pass mark in percent, falling back to the handbook's default.
    pub fn pass_mark_or(&self, default: u32) -> u32 {
        self.pass_mark.unwrap_or(default).min(100)
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// Stable and unique in the quiz: as written, or derived from the prompt.
    pub id: String,
    /// The type and its answer.
    pub kind: Kind,
    /// What is asked (inline markdown).
    pub prompt: String,
    /// Shown after answering (inline markdown).
    pub explanation: Option<String>,
    /// Where to read more: the link as written (`article.md#anchor`), resolved
    /// by the pipeline like a markdown link.
    pub review: Option<String>,
    /// The 1-based line of the `review:` key (the question's line when unknown),
    /// for errors about the link.
    pub review_line: usize,
    /// The 1-based line where the question starts in the file.
    pub line: usize,
    /// False when the question keeps its file order of choices
    /// (`shuffle: false`, for choices with a natural order).
    pub shuffle: bool,
    /// `check` rules silenced for this question (`allow:`).
    pub allow: Vec<String>,
    /// The author's tags (`tags: [scenario]`), counted in `check`'s figures.
    pub tags: Vec<String>,
    /// Where its parts are written, for `check`'s warnings.
    pub at: QuestionPositions,
}

impl Question {
    /// Whether `check` rule `rule` is silenced for this question.
    pub fn allows(&self, rule: Code) -> bool {
        self.allow.iter().any(|r| Code::from_name(r) == Some(rule))
    }

    /// Whether the author tagged it as a scenario question.
    pub fn is_scenario(&self) -> bool {
        self.tags.iter().any(|t| t == SCENARIO_TAG)
    }
}

/// The tag that marks a scenario question (a situation, then what would help
/// or what it shows), counted in `check`'s quiz figures.
pub const SCENARIO_TAG: &str = "scenario";

/// A 1-based line and column in a quiz file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Where a quiz's own keys are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QuizPositions {
    /// The `questions:` key.
    pub questions: Position,
    /// The `allow:` value (the file's start when there is none).
    pub allow: Position,
}

/// Where the parts of a question are written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuestionPositions {
    /// The `prompt:` value.
    pub prompt: Position,
    /// Each choice's `text:` value, in file order (choice questions only).
    pub choices: Vec<Position>,
    /// The `answer:` value (true-false questions only).
    pub answer: Position,
    /// The `allow:` value.
    pub allow: Position,
}

/// A question's type with what makes an answer right.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Kind {
    /// Pick one choice; exactly one is correct.
    Single {
        /// Two or more choices.
        choices: Vec<Choice>,
    },
    /// Pick every correct choice; at least one is correct.
    Multiple {
        /// Two or more choices.
        choices: Vec<Choice>,
    },
    /// True or false.
    TrueFalse {
        /// The right answer.
        answer: bool,
    },
    /// Type a short answer.
    ShortAnswer {
        /// Accepted answers, compared trimmed, ignoring case and inner whitespace.
        accept: Vec<String>,
    },
    /// Put items in order.
    Ordering {
        /// Two or more distinct items in the right order.
        sequence: Vec<String>,
    },
    /// Match each left item with its right item.
    Matching {
        /// Two or more pairs; no left or right item repeats.
        pairs: Vec<Pair>,
    },
}

impl Kind {
    /// The type's name as authors write it (`true-false`).
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Single { .. } => "single",
            Kind::Multiple { .. } => "multiple",
            Kind::TrueFalse { .. } => "true-false",
            Kind::ShortAnswer { .. } => "short-answer",
            Kind::Ordering { .. } => "ordering",
            Kind::Matching { .. } => "matching",
        }
    }
}

/// One choice of a `single` or `multiple` question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    /// What the student reads (inline markdown).
    pub text: String,
    /// Whether choosing it is right.
    pub correct: bool,
    /// Shown when the student picks it (inline markdown).
    pub feedback: Option<String>,
}

/// One pair of a `matching` question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// The item shown with a select (inline markdown).
    pub left: String,
    /// The option that belongs with it (plain text in selects).
    pub right: String,
}
