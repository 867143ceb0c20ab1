//! The quiz figures of `check`'s report: per quiz and for the handbook,
//! where the keys of single-choice questions sit as readers see them, how
//! often the key is the longest choice, the mix of question types and how
//! many questions the author tagged as scenarios. They let an author see
//! the cues [`super::items`] warns about before they cross its thresholds.

use std::path::PathBuf;

use super::items::key_is_longest;
use crate::quiz::model::{Kind, Quiz, TYPE_NAMES};
use crate::quiz::order;

/// One quiz's figures (or, summed, the handbook's).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuizFigures {
    /// The quiz file (`None` for the handbook's total).
    pub file: Option<PathBuf>,
    /// The quiz's title as shown.
    pub title: String,
    /// How many questions.
    pub questions: usize,
    /// Questions tagged `scenario`.
    pub scenario: usize,
    /// Questions per type, in [`TYPE_NAMES`] order.
    pub types: [usize; TYPE_NAMES.len()],
    /// Keys of single-choice questions per position as shown (A, B, …).
    pub key_positions: Vec<usize>,
    /// Choice questions (single and multiple).
    pub choice_questions: usize,
    /// Choice questions whose uniquely longest choice is keyed.
    pub key_longest: usize,
}

impl QuizFigures {
    /// The figures of `quiz`, shown as `title`, from `file`.
    pub fn of(file: PathBuf, title: &str, quiz: &Quiz) -> QuizFigures {
        let mut figures = QuizFigures {
            file: Some(file),
            title: title.to_string(),
            questions: quiz.questions.len(),
            ..QuizFigures::default()
        };
        for q in &quiz.questions {
            if let Some(t) = TYPE_NAMES.iter().position(|n| *n == q.kind.name()) {
                figures.types[t] += 1;
            }
            figures.scenario += usize::from(q.is_scenario());
            if let Kind::Single { choices } = &q.kind {
                // Every position a key could take shows, also those none took.
                if figures.key_positions.len() < choices.len() {
                    figures.key_positions.resize(choices.len(), 0);
                }
                if let Some(&position) = order::keyed_positions(q).first() {
                    figures.count_key_at(position);
                }
            }
            if let Some((longest, _)) = key_is_longest(q) {
                figures.choice_questions += 1;
                figures.key_longest += usize::from(longest);
            }
        }
        figures
    }

    /// The handbook's figures: the sum of every quiz's.
    pub fn total(quizzes: &[QuizFigures]) -> QuizFigures {
        let mut total = QuizFigures {
            title: "all quizzes".to_string(),
            ..QuizFigures::default()
        };
        for q in quizzes {
            total.questions += q.questions;
            total.scenario += q.scenario;
            for (t, n) in total.types.iter_mut().zip(q.types) {
                *t += n;
            }
            if total.key_positions.len() < q.key_positions.len() {
                total.key_positions.resize(q.key_positions.len(), 0);
            }
            for (sum, n) in total.key_positions.iter_mut().zip(&q.key_positions) {
                *sum += n;
            }
            total.choice_questions += q.choice_questions;
            total.key_longest += q.key_longest;
        }
        total
    }

    fn count_key_at(&mut self, position: usize) {
        if self.key_positions.len() <= position {
            self.key_positions.resize(position + 1, 0);
        }
        self.key_positions[position] += 1;
    }

    /// Single-choice questions counted in [`Self::key_positions`].
    pub fn single_questions(&self) -> usize {
        self.key_positions.iter().sum()
    }

    /// Each position's share of the keys, 0 to 1.
    pub fn key_position_shares(&self) -> Vec<f64> {
        let n = self.single_questions().max(1) as f64;
        self.key_positions.iter().map(|&k| k as f64 / n).collect()
    }

    /// The question types used, with their counts (`single 8, true-false 2`).
    pub fn type_mix(&self) -> Vec<(&'static str, usize)> {
        TYPE_NAMES
            .iter()
            .zip(self.types)
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| (*name, n))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::parse;
    use std::path::Path;

    #[test]
    fn counts_types_scenarios_positions_and_longest_keys() {
        let text = "questions:\n  - id: a\n    type: single\n    shuffle: false\n    tags: [scenario]\n    prompt: P\n    choices:\n      - text: the right answer, at length\n        correct: true\n      - text: wrong\n  - id: b\n    type: single\n    shuffle: false\n    prompt: Q\n    choices:\n      - text: no\n      - text: ok\n        correct: true\n  - id: c\n    type: true-false\n    prompt: R\n    answer: true\n";
        let quiz = parse(text, Path::new("q.quiz.yaml")).expect("valid");
        let f = QuizFigures::of(PathBuf::from("q.quiz.yaml"), "Q", &quiz);
        assert_eq!(f.questions, 3);
        assert_eq!(f.scenario, 1);
        assert_eq!(f.type_mix(), [("single", 2), ("true-false", 1)]);
        assert_eq!(f.key_positions, [1, 1]);
        assert_eq!((f.key_longest, f.choice_questions), (1, 2));
        let total = QuizFigures::total(&[f.clone(), f]);
        assert_eq!(total.key_positions, [2, 2]);
        assert_eq!(total.key_position_shares(), [0.5, 0.5]);
        assert_eq!(total.questions, 6);
    }
}
