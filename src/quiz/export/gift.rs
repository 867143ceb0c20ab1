//! Moodle GIFT export: one `$CATEGORY` per quiz, one question per question.
//!
//! Text is exported as the author wrote it, marked `[markdown]` so Moodle
//! renders the inline markdown; GIFT's special characters (`~ = # { } :` and
//! backslash) are escaped and line breaks become `\n`. Per type:
//!
//! - `single`: `=right` and `~wrong`, each with `#feedback` when it has some.
//! - `multiple`: `~%50%right` and `~%-100%wrong`. Right choices share 100%
//!   using Moodle's own grade values (50, 33.33333, 25, …); a wrong choice
//!   takes -100%, so, as on the site, picking any wrong choice scores nothing.
//!   (Moodle's list of grades stops at tenths: more than ten right choices
//!   give shares it refuses to import.)
//! - `true-false`: `{T}` or `{F}`.
//! - `short-answer`: `{=a =b}`; Moodle compares ignoring case.
//! - `matching`: `{=left -> right}`. Moodle keeps the right side as plain
//!   text, so it is exported as plain text; `->` inside a side (which GIFT
//!   cannot escape) becomes `→`.
//! - `ordering`: GIFT has no ordering type, so it becomes a matching question
//!   from positions to items (`=Position 1 -> first item`), with a line added
//!   to the prompt saying so; Moodle scores it per position, like a partial order.
//!
//! The explanation becomes the general feedback (`####`). `review:` links point
//! into the handbook and are not exported.

use std::fmt::Write as _;

use crate::inline::plain_text;
use crate::quiz::model::{Choice, Kind, Question, Quiz};
use crate::quiz::order;

/// The GIFT text for `quizzes`, each given with the title the handbook shows.
pub fn gift(quizzes: &[(&str, &Quiz)]) -> String {
    let mut out = String::from("// Quizzes exported by Trellis in Moodle GIFT format.\n");
    for (title, quiz) in quizzes {
        let category = one_line(title).replace('/', "//");
        let _ = write!(out, "\n$CATEGORY: {category}\n");
        for question in &quiz.questions {
            out.push('\n');
            write_question(&mut out, question);
        }
    }
    out
}

/// `choices` in the order readers of the site see them (Moodle shuffles
/// them again on each attempt unless its settings say not to).
fn shown<'a>(q: &Question, choices: &'a [Choice]) -> impl Iterator<Item = &'a Choice> {
    order::choice_order(q)
        .into_iter()
        .filter_map(|i| choices.get(i))
}

fn write_question(out: &mut String, q: &Question) {
    let mut prompt = q.prompt.clone();
    if let Kind::Ordering { .. } = q.kind {
        let _ = writeln!(
            out,
            "// `{}` is an ordering question: exported as matching positions to items.",
            one_line(&q.id)
        );
        prompt.push_str(
            "\n\nFor each position, choose the item that belongs there (position 1 comes first).",
        );
    }
    if !q.shuffle && matches!(q.kind, Kind::Single { .. } | Kind::Multiple { .. }) {
        let _ = writeln!(
            out,
            "// `{}` keeps its order of choices: GIFT cannot say so, so turn off \"Shuffle the choices?\" for it after import.",
            one_line(&q.id)
        );
    }
    let _ = writeln!(out, "::{}::[markdown]{}{{", escape(&q.id), escape(&prompt));
    match &q.kind {
        Kind::Single { choices } => {
            for choice in shown(q, choices) {
                let mark = if choice.correct { "=" } else { "~" };
                write_choice(out, mark, choice);
            }
        }
        Kind::Multiple { choices } => {
            let right = choices.iter().filter(|c| c.correct).count();
            let weight = share(right);
            for choice in shown(q, choices) {
                let mark = if choice.correct {
                    format!("~%{weight}%")
                } else {
                    "~%-100%".to_string()
                };
                write_choice(out, &mark, choice);
            }
        }
        Kind::TrueFalse { answer } => {
            out.push_str(if *answer { "\tT\n" } else { "\tF\n" });
        }
        Kind::ShortAnswer { accept } => {
            for answer in accept {
                let _ = writeln!(out, "\t={}", escape(answer));
            }
        }
        Kind::Matching { pairs } => {
            for pair in pairs {
                let _ = writeln!(
                    out,
                    "\t={} -> {}",
                    escape(&arrow_free(&pair.left)),
                    escape(&arrow_free(&plain_text(&pair.right)))
                );
            }
        }
        Kind::Ordering { sequence } => {
            for (n, item) in sequence.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "\t=Position {} -> {}",
                    n + 1,
                    escape(&arrow_free(&plain_text(item)))
                );
            }
        }
    }
    if let Some(explanation) = &q.explanation {
        let _ = writeln!(out, "\t####{}", escape(explanation));
    }
    out.push_str("}\n");
}

fn write_choice(out: &mut String, mark: &str, choice: &Choice) {
    let _ = write!(out, "\t{mark}{}", escape(&choice.text));
    if let Some(feedback) = &choice.feedback {
        let _ = write!(out, "#{}", escape(feedback));
    }
    out.push('\n');
}

/// Each right choice's share of 100%, as one of the grades Moodle accepts.
fn share(right: usize) -> String {
    match right {
        0 | 1 => "100".into(),
        2 => "50".into(),
        3 => "33.33333".into(),
        4 => "25".into(),
        5 => "20".into(),
        6 => "16.66667".into(),
        7 => "14.28571".into(),
        8 => "12.5".into(),
        9 => "11.11111".into(),
        10 => "10".into(),
        n => format!("{:.5}", 100.0 / n as f64),
    }
}

/// Escapes GIFT's special characters and turns line breaks into `\n`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.trim().chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// `->` separates the two sides of a matching pair and cannot be escaped.
fn arrow_free(text: &str) -> String {
    text.replace("->", "\u{2192}")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::model::Pair;

    fn question(kind: Kind) -> Question {
        Question {
            id: "q1".into(),
            kind,
            prompt: "Is 1 = 1: {yes}?".into(),
            explanation: Some("Because ~ # \\ said so.\nReally.".into()),
            review: None,
            review_line: 1,
            line: 1,
            // The file's order, so the tests can name it.
            shuffle: false,
            allow: Vec::new(),
            tags: Vec::new(),
            at: Default::default(),
        }
    }

    fn export(kind: Kind) -> String {
        let quiz = Quiz {
            title: None,
            pass_mark: None,
            shuffle: false,
            allow: Vec::new(),
            questions: vec![question(kind)],
            at: Default::default(),
        };
        gift(&[("Part 1/2: basics", &quiz)])
    }

    #[test]
    fn escapes_special_characters() {
        assert_eq!(
            escape(" a~b=c#d{e}f:g\\h\r\ni "),
            "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
        );
    }

    #[test]
    fn single_choice_with_feedback() {
        let kind = Kind::Single {
            choices: vec![
                Choice {
                    text: "Yes".into(),
                    correct: true,
                    feedback: None,
                },
                Choice {
                    text: "No".into(),
                    correct: false,
                    feedback: Some("It is: equal.".into()),
                },
            ],
        };
        assert_eq!(
            export(kind),
            "// Quizzes exported by Trellis in Moodle GIFT format.\n\n$CATEGORY: Part 1//2: basics\n\n// `q1` keeps its order of choices: GIFT cannot say so, so turn off \"Shuffle the choices?\" for it after import.\n::q1::[markdown]Is 1 \\= 1\\: \\{yes\\}?{\n\t=Yes\n\t~No#It is\\: equal.\n\t####Because \\~ \\# \\\\ said so.\\nReally.\n}\n"
        );
    }

    #[test]
    fn choices_come_in_the_order_readers_see() {
        let choices: Vec<Choice> = ["w", "x", "y", "z"]
            .iter()
            .map(|t| Choice {
                text: (*t).into(),
                correct: *t == "w",
                feedback: None,
            })
            .collect();
        let mut q = question(Kind::Single { choices });
        q.shuffle = true;
        let shown: String = order::choice_order(&q)
            .iter()
            .map(|&i| ["w", "x", "y", "z"][i])
            .collect();
        let mut out = String::new();
        write_question(&mut out, &q);
        let written: String = out
            .lines()
            .filter_map(|l| l.strip_prefix("\t=").or_else(|| l.strip_prefix("\t~")))
            .collect();
        assert_eq!(written, shown);
        assert!(!out.contains("keeps its order"), "{out}");
    }

    #[test]
    fn multiple_choice_weights() {
        let choice = |text: &str, correct| Choice {
            text: text.into(),
            correct,
            feedback: None,
        };
        let kind = Kind::Multiple {
            choices: vec![
                choice("a", true),
                choice("b", true),
                choice("c", true),
                choice("d", false),
            ],
        };
        let out = export(kind);
        assert!(
            out.contains("\t~%33.33333%a\n\t~%33.33333%b\n\t~%33.33333%c\n\t~%-100%d\n"),
            "{out}"
        );
        assert_eq!(share(2), "50");
        assert_eq!(share(12), "8.33333");
    }

    #[test]
    fn other_types() {
        assert!(export(Kind::TrueFalse { answer: false }).contains("{\n\tF\n\t####"));
        assert!(export(Kind::TrueFalse { answer: true }).contains("{\n\tT\n\t####"));
        let out = export(Kind::ShortAnswer {
            accept: vec!["meta-analysis".into(), "a:b".into()],
        });
        assert!(out.contains("{\n\t=meta-analysis\n\t=a\\:b\n"), "{out}");
        let out = export(Kind::Matching {
            pairs: vec![
                Pair {
                    left: "*a* -> x".into(),
                    right: "**b**".into(),
                },
                Pair {
                    left: "c".into(),
                    right: "d".into(),
                },
            ],
        });
        assert!(
            out.contains("{\n\t=*a* \u{2192} x -> b\n\t=c -> d\n"),
            "{out}"
        );
        let out = export(Kind::Ordering {
            sequence: vec!["first".into(), "second".into()],
        });
        assert!(out.contains("// `q1` is an ordering question"), "{out}");
        assert!(
            out.contains(
                "(position 1 comes first).{\n\t=Position 1 -> first\n\t=Position 2 -> second\n"
            ),
            "{out}"
        );
    }
}
