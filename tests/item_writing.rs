//! The item-writing rules of `trellis check` on a fixture with one flaw of
//! each kind (tests/fixtures/item-writing): exactly the expected warnings,
//! at the expected places, none for the clean quiz, none for what `allow:`
//! silences; the quiz figures of the report; and the order in which
//! choices are shown: the same in every build, different between
//! questions, the file's with `shuffle: false`.

mod common;

use common::{build, check_json_run, fixture, read, temp_dir, trellis};
use serde_json::Value;

fn report() -> Value {
    let run = check_json_run(&fixture("item-writing"));
    assert_eq!(run.status, 0, "warnings only: exit 0\n{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON report")
}

#[test]
fn each_flaw_gives_exactly_its_warning_and_the_clean_quiz_none() {
    let report = report();
    let found: Vec<(String, String, u64, u64)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["check"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let flawed = "content/quizzes/flawed.quiz.yaml";
    let expected: Vec<(&str, &str, u64, u64)> = vec![
        // A misspelled rule in a question's `allow:`, with a suggestion.
        ("allow", "content/quizzes/allowed.quiz.yaml", 17, 12),
        // All three true-false statements false.
        ("true-false-balance", flawed, 3, 11),
        // The key 60 characters long, the longest wrong choice 15.
        ("longest-choice", flawed, 8, 15),
        // "always" and "all" in wrong choices only.
        ("absolute-words", flawed, 18, 15),
        ("absolute-words", flawed, 19, 15),
        ("all-none-of-the-above", flawed, 27, 15),
        ("duplicate-choice", flawed, 35, 15),
        ("negative-stem", flawed, 38, 13),
        // "nothing" in a false statement, none in a true one.
        ("absolute-words", flawed, 50, 13),
        // Five pinned keys, all first.
        ("answer-position", "content/quizzes/pinned.quiz.yaml", 3, 11),
        // A misspelled rule in handbook.yaml's `check: { allow }`.
        ("allow", "handbook.yaml", 12, 1),
    ];
    let expected: Vec<(String, String, u64, u64)> = expected
        .into_iter()
        .map(|(c, f, l, col)| (c.to_string(), f.to_string(), l, col))
        .collect();
    assert_eq!(found, expected);
    // The handbook allows `review-missing`, so the unreviewed article is not flagged.
    assert!(!found.iter().any(|f| f.0 == "review-missing"));
}

#[test]
fn warnings_read_as_what_is_wrong_and_what_to_do() {
    let root = fixture("item-writing");
    let run = trellis(&["check"], &root);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for line in [
        "content/quizzes/flawed.quiz.yaml:8:15: warning[longest-choice]: the right choice is 60 characters long, the longest wrong one 15: length gives the answer away",
        "  help: make the choices about as long as each other: trim the right one, or make the wrong ones as specific",
        "content/quizzes/flawed.quiz.yaml:38:13: warning[negative-stem]: the question asks with “not” and does not emphasize it",
        "content/quizzes/pinned.quiz.yaml:3:11: warning[answer-position]: in this quiz, the right answer is choice A in 5 of 5 single-choice questions as readers see them, where chance would put about 1.2 (p = 0.0078)",
        "content/quizzes/allowed.quiz.yaml:17:12: warning[allow]: `allow` names `duplicate-choise`, which is no `check` rule",
        "  help: did you mean `duplicate-choice`?",
        "  content/01-basics/01-trust.quiz.yaml          5         1  1/1/1/0       1 of 3  single 3, true-false 2",
    ] {
        assert!(
            run.stdout.lines().any(|l| l == line),
            "missing line:\n{line}\nin:\n{}",
            run.stdout
        );
    }
}

#[test]
fn the_report_carries_each_quiz_s_figures_and_the_handbook_s() {
    let report = report();
    let quizzes = report["quizzes"].as_array().expect("quizzes");
    let clean = &quizzes[0];
    assert_eq!(clean["file"], "content/01-basics/01-trust.quiz.yaml");
    assert_eq!(clean["questions"], 5);
    assert_eq!(clean["scenario_questions"], 1);
    assert_eq!(clean["types"]["single"], 3);
    assert_eq!(clean["types"]["true-false"], 2);
    let pinned = quizzes
        .iter()
        .find(|q| q["file"] == "content/quizzes/pinned.quiz.yaml")
        .expect("pinned quiz");
    assert_eq!(pinned["key_positions"], serde_json::json!([5, 0, 0, 0]));
    assert_eq!(
        pinned["key_position_shares"],
        serde_json::json!([1.0, 0.0, 0.0, 0.0])
    );
    let total = &report["quiz_totals"];
    assert_eq!(total["questions"], 23);
    let keys: u64 = total["key_positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_u64().unwrap())
        .sum();
    assert_eq!(keys, total["single_questions"].as_u64().unwrap());
}

/// The values of the choices of question `id` on a built quiz page, in the
/// order they are shown (`c1` is the choice written first).
fn shown_order(page: &str, dom_id: &str) -> Vec<String> {
    let start = page
        .find(&format!(
            "<fieldset class=\"quiz-question\" id=\"{dom_id}\""
        ))
        .unwrap_or_else(|| panic!("question {dom_id} on the page"));
    let end = start + page[start..].find("</fieldset>").expect("fieldset ends");
    page[start..end]
        .split(&format!("name=\"{dom_id}\" id=\"{dom_id}-"))
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn choices_are_shown_in_an_order_drawn_from_the_id_the_same_in_every_build() {
    let root = fixture("item-writing");
    let page_of = |name: &str| {
        let out = temp_dir(name);
        let run = build(&root, &out, &[]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        read(&out.join("quizzes/pinned/index.html"))
    };
    let (first, second) = (page_of("order-a"), page_of("order-b"));
    let clean = read(&{
        let out = temp_dir("order-c");
        assert_eq!(build(&root, &out, &[]).status, 0);
        out.join("basics/trust/quiz/index.html")
    });
    // The clean quiz's first question: its key, written first, is not
    // always shown first; its order is the same in two builds.
    let order = shown_order(&clean, "q-trust-grows");
    assert_eq!(order.len(), 4);
    // Pinned questions keep the file's order, in every build.
    for i in 1..=5 {
        let id = format!("q-pinned-{i}");
        assert_eq!(shown_order(&first, &id), ["c1", "c2", "c3", "c4"]);
        assert_eq!(shown_order(&first, &id), shown_order(&second, &id));
    }
    // `shuffle: false` questions tell the quiz scripts to leave them be.
    assert!(first.contains("\"fixed\":true"));
}

#[test]
fn questions_written_alike_are_shown_in_different_orders() {
    // Twelve questions whose choices are written in the same order, each
    // with its own id: their shown orders are not all the same, and each is
    // the same in a second build.
    let root = temp_dir("order-alike");
    std::fs::create_dir_all(root.join("content/quizzes")).unwrap();
    std::fs::write(root.join("handbook.yaml"), "title: Alike\n").unwrap();
    let mut quiz = String::from("questions:\n");
    for i in 0..12 {
        quiz.push_str(&format!(
            "  - id: alike-{i}\n    type: single\n    prompt: Question {i}?\n    choices:\n      - text: right\n        correct: true\n      - text: two\n      - text: three\n      - text: four\n"
        ));
    }
    std::fs::write(root.join("content/quizzes/alike.quiz.yaml"), quiz).unwrap();
    let orders = |out: &str| {
        let out = temp_dir(out);
        let run = build(&root, &out, &[]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let page = read(&out.join("quizzes/alike/index.html"));
        (0..12)
            .map(|i| shown_order(&page, &format!("q-alike-{i}")))
            .collect::<Vec<_>>()
    };
    let (a, b) = (orders("alike-a"), orders("alike-b"));
    assert_eq!(a, b, "the same order in every build");
    let mut distinct = a.clone();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() > 3, "orders differ between questions: {a:?}");
    let first_shown: Vec<&str> = a.iter().map(|o| o[0].as_str()).collect();
    assert!(
        first_shown.iter().filter(|c| **c == "c1").count() < 12,
        "the key, written first, is not always shown first: {first_shown:?}"
    );
}
