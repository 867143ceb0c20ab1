//! A handbook with more quiz questions than the practice exam page embeds
//! (`PRACTICE_PAGE_MAX`, 400), written by the tests that need one: 90
//! articles in 3 parts, each with a quiz of 5 questions (every kind of
//! question, with feedback, explanations, review links and markup), and one
//! stand-alone quiz of 3: 453 questions, so the page embeds a sample and the
//! whole bank goes into `bank-1.js` (400) and `bank-2.js` (53).
//!
//! Included with `#[path]` by `tests/practice_bank.rs` and the browser tests.
#![allow(dead_code)]

use std::fs;
use std::path::Path;

/// How many articles (each with a quiz).
pub const ARTICLES: usize = 90;
/// Questions per article quiz (ids `q1` … `q5`).
pub const PER_QUIZ: usize = 5;
/// Questions of the stand-alone quiz (ids `s1` … `s3`), the last quiz.
pub const STAND_ALONE: usize = 3;
/// Every question of the handbook.
pub const TOTAL: usize = ARTICLES * PER_QUIZ + STAND_ALONE;
/// Articles per part.
const PER_PART: usize = 30;

/// The question kinds, dealt so that every quiz mixes them.
const KINDS: [&str; 6] = [
    "single",
    "multiple",
    "true-false",
    "short-answer",
    "ordering",
    "matching",
];

/// Every question's DOM id on the practice page, `p<quiz>-<id>`, in reading order.
pub fn all_ids() -> Vec<String> {
    let mut ids: Vec<String> = (1..=ARTICLES)
        .flat_map(|a| (1..=PER_QUIZ).map(move |q| format!("p{a}-q{q}")))
        .collect();
    ids.extend((1..=STAND_ALONE).map(|q| format!("p{}-s{q}", ARTICLES + 1)));
    ids
}

/// Writes the handbook into `root` (which should not exist yet).
pub fn write(root: &Path) -> std::io::Result<()> {
    fs::create_dir_all(root.join("content/quizzes"))?;
    fs::write(
        root.join("handbook.yaml"),
        "title: Big Quiz Handbook\ndescription: More quiz questions than one page holds.\n\
         base_url: https://example.org/big-quizzes/\nquiz: { pass_mark: 60 }\n",
    )?;
    for a in 0..ARTICLES {
        let part = a / PER_PART + 1;
        let dir = root.join(format!("content/{part:02}-part-{part}"));
        if a % PER_PART == 0 {
            fs::create_dir_all(&dir)?;
            fs::write(
                dir.join("_index.md"),
                format!(
                    "---\ntitle: Part {part}\nsummary: Articles {}–{}.\n---\nPart {part}.\n",
                    a + 1,
                    a + PER_PART
                ),
            )?;
        }
        let stem = format!("{:02}-topic-{}", a % PER_PART + 1, a + 1);
        fs::write(
            dir.join(format!("{stem}.md")),
            format!(
                "---\ntitle: Topic {n}\nsummary: About topic {n}.\n---\nTopic {n} in brief.\n\n\
                 ## Key idea\n\nThe key idea of topic {n}.\n\n## In practice\n\nWhat to do.\n",
                n = a + 1
            ),
        )?;
        let questions: String = (0..PER_QUIZ)
            .map(|q| {
                question(
                    &format!("q{}", q + 1),
                    KINDS[(a + q) % KINDS.len()],
                    a + 1,
                    q,
                    "#key-idea",
                )
            })
            .collect();
        fs::write(
            dir.join(format!("{stem}.quiz.yaml")),
            format!("questions:\n{questions}"),
        )?;
    }
    let questions: String = (0..STAND_ALONE)
        .map(|q| {
            question(
                &format!("s{}", q + 1),
                KINDS[q % KINDS.len()],
                0,
                q,
                "../01-part-1/01-topic-1.md#in-practice",
            )
        })
        .collect();
    fs::write(
        root.join("content/quizzes/01-review.quiz.yaml"),
        format!("title: Review & revise\nquestions:\n{questions}"),
    )?;
    Ok(())
}

/// One question in YAML. `n` is the article's number (0 for the stand-alone
/// quiz), `q` the question's place in its quiz.
fn question(id: &str, kind: &str, n: usize, q: usize, review: &str) -> String {
    let head = format!(
        "  - id: {id}\n    type: {kind}\n    prompt: \"Topic {n}, question {}: *which* <b>one</b> & why?\"\n    \
         explanation: Because of topic {n}.\n    review: \"{review}\"\n",
        q + 1
    );
    let body = match kind {
        "single" => format!(
            "    choices:\n      - text: Right {n}\n        correct: true\n      - text: Wrong {n} <i>a</i>\n        \
             feedback: Not quite, see topic {n}.\n      - text: Also wrong {n}\n"
        ),
        "multiple" => format!(
            "    choices:\n      - {{ text: \"Yes {n} & more\", correct: true }}\n      - {{ text: Yes too {n}, correct: true }}\n      \
             - {{ text: No {n}, feedback: \"Not this one.\" }}\n"
        ),
        "true-false" => format!("    answer: {}\n", n % 2 == 0),
        "short-answer" => format!("    accept: [answer {n}, \"the answer {n}\"]\n"),
        "ordering" => format!("    sequence: [First {n}, Second {n}, Third {n}]\n"),
        _ => format!(
            "    pairs:\n      - {{ left: Cause {n}, right: Effect {n} }}\n      - {{ left: Goal {n}, right: Path {n} }}\n      \
             - {{ left: Need {n}, right: Help {n} }}\n"
        ),
    };
    head + &body
}
