//! The quiz worksheets at `/print/quizzes/` with the real binary on
//! `tests/fixtures/quizzes`: what a reader sees there (every quiz's
//! questions numbered, choices lettered in the quiz page's order, room to
//! write, then the answer key), read against the quiz page itself; and no
//! worksheets for a handbook without quizzes.

mod common;

use common::{broken_links, build, fixture, read, temp_dir};

fn built(fixture_name: &str, name: &str) -> std::path::PathBuf {
    let out = temp_dir(name);
    let run = build(&fixture(fixture_name), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    out
}

/// The text between `start` (after it) and the next `end`, or to the end.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let (_, rest) = html
        .split_once(start)
        .unwrap_or_else(|| panic!("no {start:?}"));
    rest.split_once(end).map_or(rest, |(inside, _)| inside)
}

/// Every `open…close` text in `html`, in order.
fn all_between<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    html.split(open)
        .skip(1)
        .map(|s| s.split_once(close).map_or(s, |(inside, _)| inside))
        .collect()
}

/// A question of the quiz page, as shown without JavaScript: its kind, the
/// form values of its options in the order shown, their texts, and its
/// `id`.
struct PageQuestion {
    id: String,
    kind: String,
    values: Vec<String>,
    texts: Vec<String>,
}

fn page_questions(quiz_page: &str) -> Vec<PageQuestion> {
    all_between(
        quiz_page,
        "<fieldset class=\"quiz-question\" id=\"",
        "</fieldset>",
    )
    .into_iter()
    .map(|fieldset| {
        let id = fieldset.split('"').next().unwrap().to_string();
        let kind = between(fieldset, "data-kind=\"", "\"").to_string();
        let (values, texts) = match kind.as_str() {
            "single" | "multiple" | "true-false" => {
                let values = all_between(fieldset, "value=\"", "\"");
                let texts = all_between(fieldset, "<label for=\"", "</label>")
                    .into_iter()
                    .map(|l| l.split_once("\">").unwrap().1)
                    .collect();
                (values, texts)
            }
            "ordering" => (
                all_between(fieldset, "data-item=\"", "\""),
                all_between(fieldset, "<span class=\"quiz-order-text\">", "</span>"),
            ),
            "matching" => {
                // The options of the first select (every select has the same).
                let select = between(fieldset, "<select", "</select>");
                let options: Vec<(&str, &str)> =
                    all_between(select, "<option value=\"", "</option>")
                        .into_iter()
                        .map(|o| o.split_once("\">").unwrap())
                        .filter(|(value, _)| !value.is_empty())
                        .collect();
                options.into_iter().unzip()
            }
            _ => (Vec::new(), Vec::new()),
        };
        PageQuestion {
            id,
            kind,
            values: values.into_iter().map(str::to_string).collect(),
            texts: texts.into_iter().map(str::to_string).collect(),
        }
    })
    .collect()
}

/// The quiz page's answer key (its JSON data block), by question id.
fn page_key(quiz_page: &str) -> serde_json::Value {
    let data = between(
        quiz_page,
        "<script type=\"application/json\" id=\"quiz-data\">",
        "</script>",
    );
    serde_json::from_str(data).expect("the quiz data is JSON")
}

/// The letters and texts of a worksheet list: `A.` `text` pairs.
fn lettered(list: &str) -> Vec<(String, String)> {
    all_between(list, "<span class=\"ws-letter\">", "</span></li>")
        .into_iter()
        .map(|item| {
            let (letter, text) = item
                .split_once(".</span> <span class=\"ws-text\">")
                .unwrap_or_else(|| panic!("a lettered item: {item}"));
            (letter.to_string(), text.to_string())
        })
        .collect()
}

fn letter(i: usize) -> String {
    char::from(b'A' + u8::try_from(i).unwrap()).to_string()
}

#[test]
fn worksheets_letter_the_quiz_page_s_choices_and_key_them_at_the_end() {
    let out = built("quizzes", "worksheets");
    let html = read(&out.join("print/quizzes/index.html"));
    let quiz_page = read(&out.join("basics/first-steps/quiz/index.html"));
    let article = between(&html, "<article class=\"ws-page\">", "</article>");
    let (sheets, key) = article
        .split_once("<section class=\"ws-key\" id=\"answer-key\"")
        .expect("an answer key section");

    assert!(html.contains("<h1>Quiz worksheets</h1>"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"../../static/worksheets.css\">"));
    assert!(article.contains("The <a href=\"#answer-key\">answer key</a> is at the end."));
    assert!(key.contains("<h2 id=\"answer-key-title\">Answer key</h2>"));

    // Each quiz is a section headed by its title, with its article; questions numbered from 1.
    let first = between(
        sheets,
        "<section class=\"ws-quiz\" id=\"ws-1\"",
        "</section>",
    );
    let second = between(
        sheets,
        "<section class=\"ws-quiz\" id=\"ws-2\"",
        "</section>",
    );
    assert!(first.contains("<h2 id=\"ws-1-title\">First steps: check your understanding</h2>"));
    assert!(first.contains(
        "<p class=\"ws-about\">About the article <a href=\"../../basics/first-steps/index.html\">First steps</a></p>"
    ));
    assert!(second.contains("<h2 id=\"ws-2-title\">Review set</h2>"));
    assert!(
        !second.contains("ws-about"),
        "a stand-alone quiz has no article"
    );
    assert!(
        !sheets.contains("id=\"ws-3\""),
        "the draft's quiz is left out"
    );
    for (section, count) in [(first, 6), (second, 1)] {
        assert_eq!(section.matches("<div class=\"ws-question").count(), count);
        for n in 1..=count {
            assert!(
                section.contains(&format!("<span class=\"ws-number\">{n}.</span>")),
                "question {n}"
            );
        }
    }
    assert!(first.contains(
        "<h3 class=\"ws-prompt\"><span class=\"ws-number\">1.</span> What are the first sessions <em>for</em>?</h3>"
    ));

    // Choices, items and options are lettered in the order the quiz page shows them,
    // and the key's letters are where the quiz page's own key puts the answer.
    let questions = page_questions(&quiz_page);
    let page_key = page_key(&quiz_page);
    assert_eq!(questions.len(), 6);
    for (i, q) in questions.iter().enumerate() {
        let n = i + 1;
        let ws = between(first, &format!("id=\"ws-1-{n}\">"), "</div>\n");
        let ws = if q.kind == "matching" {
            between(first, &format!("id=\"ws-1-{n}\">"), "</div>\n    </div>")
        } else {
            ws
        };
        let answer = between(key, &format!("<li id=\"ws-1-key-{n}\">"), "</strong></p>");
        assert!(
            answer.starts_with(&format!("\n          <p class=\"ws-key-answer\"><a href=\"#ws-1-{n}\">Question {n}</a>: <strong>")),
            "the key links back to question {n}: {answer}"
        );
        let answer = answer.rsplit("<strong>").next().unwrap();
        let keyed = &page_key["questions"][i];
        assert_eq!(keyed["id"], q.id.as_str());
        let letter_of = |value: &str| letter(q.values.iter().position(|v| v == value).unwrap());
        match q.kind.as_str() {
            "single" | "multiple" => {
                let shown = lettered(ws);
                let letters: Vec<String> = (0..q.texts.len()).map(letter).collect();
                assert_eq!(
                    shown,
                    letters.into_iter().zip(q.texts.clone()).collect::<Vec<_>>(),
                    "question {n}: the quiz page's order"
                );
                let expected: Vec<String> = keyed["correct"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| letter_of(v.as_str().unwrap()))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                assert_eq!(answer, expected.join(", "), "question {n}");
                assert!(ws.contains("Answer: <span class=\"ws-line ws-line-short\"></span>"));
            }
            "true-false" => {
                assert!(ws.contains(
                    "<p class=\"ws-truefalse\">True <span class=\"ws-or\">/</span> False</p>"
                ));
                assert_eq!(answer, "True");
            }
            "short-answer" => {
                assert_eq!(ws.matches("<span class=\"ws-line\"></span>").count(), 3);
                assert_eq!(answer, "trust");
            }
            "ordering" => {
                let shown = lettered(ws);
                assert_eq!(
                    shown.iter().map(|(_, t)| t).collect::<Vec<_>>(),
                    q.texts.iter().collect::<Vec<_>>(),
                    "the items in the quiz page's scrambled order"
                );
                assert_eq!(ws.matches("ws-line-box").count(), 3, "a blank per item");
                // The letters in the right order: `i1` comes first.
                let expected: Vec<String> = keyed["order"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| letter_of(v.as_str().unwrap()))
                    .collect();
                assert_eq!(answer, expected.join(", "));
                let by_key: Vec<&str> = answer
                    .split(", ")
                    .map(|l| shown.iter().find(|(s, _)| s == l).unwrap().1.as_str())
                    .collect();
                assert_eq!(by_key, ["Meet", "Ask", "Agree"]);
            }
            "matching" => {
                let items = between(ws, "<ol class=\"ws-items\">", "</ol>");
                let options = between(ws, "<ol class=\"ws-choices ws-options\">", "</ol>");
                assert_eq!(
                    lettered(items),
                    [("1".into(), "Goal".into()), ("2".into(), "Task".into())]
                );
                assert_eq!(items.matches("ws-line-box").count(), 2, "a blank per item");
                let shown = lettered(options);
                assert_eq!(
                    shown.iter().map(|(_, t)| t).collect::<Vec<_>>(),
                    q.texts.iter().collect::<Vec<_>>()
                );
                let pairs = keyed["pairs"].as_object().unwrap();
                let expected: Vec<String> = (1..=2)
                    .map(|k| {
                        format!(
                            "{k} → {}",
                            letter_of(pairs[&format!("l{k}")].as_str().unwrap())
                        )
                    })
                    .collect();
                assert_eq!(answer, expected.join(", "));
                let right_of = |k: usize| {
                    let l = answer
                        .split(", ")
                        .nth(k)
                        .unwrap()
                        .rsplit(' ')
                        .next()
                        .unwrap();
                    shown.iter().find(|(s, _)| s == l).unwrap().1.clone()
                };
                assert_eq!(right_of(0), "Where you go");
                assert_eq!(right_of(1), "How you get there");
            }
            other => panic!("{other}"),
        }
    }
    // The known question: its right answer's letter is its place on the quiz page.
    let q1 = &questions[0];
    let at = q1
        .texts
        .iter()
        .position(|t| t == "Getting to know each other")
        .unwrap();
    assert!(key.contains(&format!(
        "<a href=\"#ws-1-1\">Question 1</a>: <strong>{}</strong>",
        letter(at)
    )));

    // The rationale: the explanation, or without one the wrong choices' feedback.
    let key_1 = between(key, "<li id=\"ws-1-key-1\">", "</li>");
    assert!(key_1.contains(
        "<p class=\"ws-rationale\">The first sessions are for getting to know each other.</p>"
    ));
    assert!(
        !key_1.contains("Change takes time"),
        "the explanation is enough"
    );
    let key_2 = between(key, "<li id=\"ws-1-key-2\">", "</ul>");
    let nothing = letter(
        questions[1]
            .texts
            .iter()
            .position(|t| t.starts_with("Nothing"))
            .unwrap(),
    );
    assert!(key_2.contains(&format!("<li>Not {nothing}: You can always ask.</li>")));
    assert!(between(key, "<li id=\"ws-2-key-1\">", "</li>").contains("<strong>True</strong>"));

    // Quizzes and their keys link both ways.
    assert!(first.contains("<a href=\"#ws-1-key\">Answers to this worksheet</a>"));
    assert!(key.contains("<section class=\"ws-key-quiz\" id=\"ws-1-key\""));
    assert!(key.contains("<a href=\"#ws-1\">Back to the worksheet</a>"));
    assert!(first.contains(
        "<a href=\"../../basics/first-steps/quiz/index.html\">Take this quiz online</a>"
    ));

    // No answer before the key, and nothing to fill in on screen: lines are borders.
    for answer in [
        "ws-key-answer",
        "ws-rationale",
        "<strong>",
        "quiz-answer",
        "You can always ask.",
        "Change takes time",
        "data-correct",
    ] {
        assert!(!sheets.contains(answer), "{answer:?} before the answer key");
    }
    for control in [
        "<input",
        "<select",
        "<textarea",
        "<button",
        "tabindex",
        "<script",
    ] {
        assert!(!article.contains(control), "{control} on the worksheets");
    }
    for heading in ["<h2></h2>", "<h3></h3>", "\"></h2>", "\"></h3>"] {
        assert!(!article.contains(heading), "an empty heading");
    }

    // Linked from the list of quizzes and the print page; in the sitemap; no broken link.
    let list = read(&out.join("quizzes/index.html"));
    assert!(list.contains("<a href=\"../print/quizzes/index.html\">Worksheets to print</a>"));
    let print = read(&out.join("print/index.html"));
    assert!(print.contains("<a href=\"quizzes/index.html\">worksheets with an answer key</a>"));
    assert!(read(&out.join("sitemap.xml"))
        .contains("<loc>https://example.org/quizzes-fixture/print/quizzes/</loc>"));
    assert!(out.join("static/worksheets.css").is_file());
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn a_handbook_without_quizzes_gets_no_worksheets() {
    let out = built("glossary", "worksheets-none");
    assert!(out.join("index.html").is_file());
    assert!(!out.join("print/quizzes").exists());
    assert!(!out.join("quizzes").exists());
    let print = read(&out.join("print/index.html"));
    assert!(!print.contains("worksheets"), "no link to worksheets");
    assert!(!read(&out.join("sitemap.xml")).contains("print/quizzes/"));
}
