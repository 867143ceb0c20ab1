//! The order in which a question's choices are shown.
//!
//! Authors tend to write the right answer first, so the file's order gives
//! answers away. Wherever choices appear without JavaScript (the quiz page,
//! the practice exam and its bank files, the worksheets, the exports), they
//! are shown in an order derived from the question's `id` alone: the same in
//! every build and every place, different from question to question, and
//! independent of where the key was written. A question with `shuffle: false`
//! keeps its file order (for choices with a natural order). `ordering` items
//! and `matching` options are always shown out of their written order, from
//! the same derivation.

use super::model::{Kind, Question};

/// The file indexes of `q`'s choices in the order readers see them: for
/// `single` and `multiple` questions, derived from the id unless the
/// question pins its order; for other types, the file's order.
pub fn choice_order(q: &Question) -> Vec<usize> {
    match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } if q.shuffle => {
            permutation(&q.id, choices.len())
        }
        Kind::Single { choices } | Kind::Multiple { choices } => (0..choices.len()).collect(),
        _ => Vec::new(),
    }
}

/// The 0-based positions, as readers see them, of `q`'s keyed choices
/// (empty for types without choices).
pub fn keyed_positions(q: &Question) -> Vec<usize> {
    let (Kind::Single { choices } | Kind::Multiple { choices }) = &q.kind else {
        return Vec::new();
    };
    choice_order(q)
        .iter()
        .enumerate()
        .filter(|(_, &i)| choices.get(i).is_some_and(|c| c.correct))
        .map(|(shown, _)| shown)
        .collect()
}

/// A fixed order of `n` items, seeded by `seed`, that is never the given
/// order: how `ordering` questions show their items, so the page without
/// JavaScript does not give the answer away.
pub fn scrambled(seed: &str, n: usize) -> Vec<usize> {
    not_as_written(permutation(&format!("ordering:{seed}"), n))
}

/// The order of a `matching` question's `n` options (its right items):
/// drawn from the id and never the pairs' order, which would line each
/// option up with its item.
pub fn matching_order(q: &Question, n: usize) -> Vec<usize> {
    not_as_written(permutation(&format!("matching:{}", q.id), n))
}

/// `order`, or, when it is the order as written, that order turned by one.
fn not_as_written(mut order: Vec<usize>) -> Vec<usize> {
    if order.iter().enumerate().all(|(i, &o)| i == o) {
        order.rotate_left(1);
    }
    order
}

/// `items` taken in `order` (indexes into `items`; an index out of range
/// or repeated is skipped).
pub fn arrange<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// A permutation of `0..n` derived from `seed`: FNV-1a for the seed, then a
/// Fisher–Yates shuffle driven by xorshift. Small, and stable across
/// platforms and releases, which a hasher from the standard library is not.
pub fn permutation(seed: &str, n: usize) -> Vec<usize> {
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
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::parse;
    use std::path::Path;

    fn quiz(text: &str) -> crate::quiz::Quiz {
        parse(text, Path::new("t.quiz.yaml")).expect("valid quiz")
    }

    const FOUR: &str = "    choices:\n      - text: right\n        correct: true\n      - text: b\n      - text: c\n      - text: d\n";

    #[test]
    fn every_seed_gives_a_permutation() {
        for n in 0..9 {
            for seed in ["", "a", "most-crucial-element", "ünï"] {
                let mut p = permutation(seed, n);
                p.sort_unstable();
                assert_eq!(p, (0..n).collect::<Vec<_>>(), "seed {seed:?}, n {n}");
            }
        }
    }

    #[test]
    fn the_order_depends_on_the_id_only() {
        let a = quiz(&format!(
            "questions:\n  - id: one\n    type: single\n    prompt: P\n{FOUR}"
        ));
        let b = quiz(&format!("title: Other\nquestions:\n  - id: zero\n    type: single\n    prompt: Q\n{FOUR}  - id: one\n    type: single\n    prompt: Something else\n{FOUR}"));
        assert_eq!(choice_order(&a.questions[0]), choice_order(&b.questions[1]));
    }

    #[test]
    fn keys_written_first_are_spread_over_the_positions() {
        // 400 questions whose key is written first: each of the four
        // positions gets about a quarter of the keys.
        let mut text = String::from("questions:\n");
        for i in 0..400 {
            text.push_str(&format!(
                "  - id: q{i}\n    type: single\n    prompt: P{i}\n{FOUR}"
            ));
        }
        let mut counts = [0usize; 4];
        for q in &quiz(&text).questions {
            counts[keyed_positions(q)[0]] += 1;
        }
        assert!(
            counts.iter().all(|&c| (70..=130).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn shuffle_false_keeps_the_file_order() {
        let q = quiz(&format!(
            "questions:\n  - id: q7\n    type: single\n    shuffle: false\n    prompt: P\n{FOUR}"
        ));
        assert_eq!(choice_order(&q.questions[0]), [0, 1, 2, 3]);
        assert_eq!(keyed_positions(&q.questions[0]), [0]);
    }

    #[test]
    fn scrambled_is_never_the_right_order() {
        for n in 2..7 {
            for i in 0..200 {
                let order = scrambled(&format!("s{i}"), n);
                assert_ne!(order, (0..n).collect::<Vec<_>>());
            }
        }
    }
}
