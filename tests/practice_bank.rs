//! The practice exam of a handbook with more questions than its page embeds
//! (`tests/support/practice_handbook.rs`: 453 questions in 91 quizzes), built
//! with the real binary: what a student gets on the page without JavaScript,
//! and the question bank files `practice.js` draws exams from.

mod common;
#[path = "support/practice_handbook.rs"]
mod practice_handbook;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{broken_links, build, read, temp_dir};
use serde_json::Value;

/// The most questions the page embeds (`trellis::render::quiz_page::PRACTICE_PAGE_MAX`).
const LIMIT: usize = trellis::render::quiz_page::PRACTICE_PAGE_MAX;

fn built(name: &str) -> PathBuf {
    let root = temp_dir(name);
    practice_handbook::write(&root).unwrap();
    let out = root.join("public");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    out
}

/// The page's `quiz-data` block.
fn page_data(html: &str) -> Value {
    let json = html
        .split("<script type=\"application/json\" id=\"quiz-data\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("a data block");
    serde_json::from_str(json).expect("JSON")
}

/// What bank file `name` stores in `window.trellisPracticeBanks` when it runs.
fn bank_data(dir: &Path, name: &str) -> Value {
    let js = read(&dir.join(name));
    let assignment = format!(
        "(window.trellisPracticeBanks = window.trellisPracticeBanks || {{}})[\"{name}\"] = "
    );
    let (comment, rest) = js
        .split_once(&assignment)
        .unwrap_or_else(|| panic!("{name} does not store itself under its name:\n{js:.300}"));
    assert!(
        comment.starts_with("/*") && comment.trim_end().ends_with("*/"),
        "{name}: only a comment before the assignment"
    );
    let json = rest.strip_suffix(";\n").expect("one statement");
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_page_embeds_a_sample_from_every_quiz() {
    const {
        assert!(
            practice_handbook::TOTAL > LIMIT,
            "the handbook must be over the limit"
        )
    };
    let out = built("practice-sample");
    let html = read(&out.join("quizzes/practice/index.html"));

    // At most the limit on the page, and all of them: the page works without JavaScript.
    let fieldsets = html.matches("<fieldset class=\"quiz-question\"").count();
    assert_eq!(fieldsets, LIMIT);
    assert_eq!(
        html.matches("<details class=\"quiz-answer\">").count(),
        LIMIT
    );
    // Every quiz is there: each question names its article (or quiz).
    let from: BTreeSet<&str> = html
        .split("<p class=\"quiz-source\">From: <a href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(from.len(), practice_handbook::ARTICLES + 1, "{from:?}");
    assert!(from.contains("../../part-1/topic-1/index.html"));
    assert!(
        from.contains("../review/index.html"),
        "the stand-alone quiz"
    );
    // Round by round: question 1 to 4 of every quiz, then question 5 of some,
    // spread over the handbook.
    for a in 1..=practice_handbook::ARTICLES {
        for q in 1..=4 {
            assert!(
                html.contains(&format!("id=\"p{a}-q{q}\"")),
                "p{a}-q{q} is not on the page"
            );
        }
    }
    let fifths: Vec<usize> = (1..=practice_handbook::ARTICLES)
        .filter(|a| html.contains(&format!("id=\"p{a}-q5\"")))
        .collect();
    assert!(
        fifths.first() == Some(&1) && fifths.last() >= Some(&85),
        "the last round is spread over the handbook: {fifths:?}"
    );

    // The student is told how many there are in all, and what is on the page.
    let total = practice_handbook::TOTAL;
    assert!(html.contains(&format!("{total} questions in all")));
    assert!(html.contains(&format!(
        "{LIMIT} of the {total} questions, from across the handbook, are listed below"
    )));
    assert!(html.contains(&format!(
        "<label for=\"practice-count\">Number of questions (1 to {LIMIT})</label>"
    )));
    assert!(html.contains(&format!("min=\"1\" max=\"{LIMIT}\" value=\"20\"")));
    assert!(html.contains("<p class=\"practice-loading\" role=\"status\"></p>"));

    // The answer key is that of the page's questions, with its bank files.
    let data = page_data(&html);
    let keys = data["questions"].as_array().unwrap();
    assert_eq!(keys.len(), LIMIT);
    assert_eq!(strings(&data["banks"]), ["bank-1.js", "bank-2.js"]);
    let sources = data["sources"].as_array().unwrap();
    assert_eq!(sources.len(), practice_handbook::ARTICLES + 1);
    for key in keys {
        assert!(key["source"].as_u64().unwrap() < sources.len() as u64);
    }

    // Nothing runs inline, and every link on every page leads somewhere.
    for tag in html.split("<script").skip(1) {
        let open = tag.split('>').next().unwrap_or("");
        assert!(
            open.contains(" src=\"") || open.contains("type=\"application/json\""),
            "an inline script: <script{open}>"
        );
    }
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_bank_files_hold_every_question_once_as_practice_js_reads_them() {
    let out = built("practice-banks");
    let dir = out.join("quizzes/practice");
    let html = read(&dir.join("index.html"));
    let page = page_data(&html);
    let names = strings(&page["banks"]);
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect();
    assert_eq!(
        on_disk,
        names.iter().cloned().collect(),
        "exactly the named banks"
    );
    assert!(
        read(&out.join("static/practice.js")).contains("window.trellisPracticeBanks"),
        "practice.js reads where the banks write"
    );

    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for name in &names {
        let bank = bank_data(&dir, name);
        let sources = bank["sources"].as_array().unwrap();
        let questions = bank["questions"].as_array().unwrap();
        assert!(
            !questions.is_empty() && questions.len() <= LIMIT,
            "{name}: {}",
            questions.len()
        );
        for q in questions {
            let id = q["id"].as_str().unwrap().to_string();
            let problems = question_problems(q, sources, &dir);
            assert!(problems.is_empty(), "{name}, {id}: {problems:?}\n{q}");
            if let Some(other) = seen.insert(id.clone(), name.clone()) {
                panic!("{id} is in {other} and in {name}");
            }
            // A question on the page too is the same fieldset there.
            if let Some(at) = html.find(&format!("<fieldset class=\"quiz-question\" id=\"{id}\"")) {
                let on_page = &html[at..];
                let end = on_page.find("</fieldset>").unwrap() + "</fieldset>".len();
                assert_eq!(q["html"].as_str().unwrap().trim(), &on_page[..end], "{id}");
            }
        }
        // Each bank spreads over the handbook: its quizzes come from every part.
        let parts: BTreeSet<&str> = sources
            .iter()
            .filter_map(|s| s["url"].as_str()?.split('/').nth(2))
            .collect();
        assert!(parts.len() >= 3, "{name} draws on parts {parts:?}");
    }
    let mut all = practice_handbook::all_ids();
    all.sort();
    assert_eq!(
        seen.keys().cloned().collect::<Vec<_>>(),
        all,
        "the banks together hold every question exactly once"
    );
}

/// The values of attribute `name` in `html`, in order.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    html.split(&format!(" {name}=\""))
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(String::from))
        .collect()
}

/// The text between `open` (the start of an element, up to its `>`) and the
/// next `close` in `html`, if there is one.
fn inner<'a>(html: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = html.find(open)?;
    let body = &html[start..];
    let body = &body[body.find('>')? + 1..];
    Some(&body[..body.find(close)?])
}

/// What would stop `practice.js` from showing and marking question `q` of a
/// bank with `sources` (its fieldset, as `quiz_question.html` printed it, and
/// its answer key), or send the student to a page that does not exist.
fn question_problems(q: &Value, sources: &[Value], dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let id = q["id"].as_str().unwrap_or("");
    let kind = q["kind"].as_str().unwrap_or("");
    let html = q["html"].as_str().unwrap_or("").trim();
    let opening = format!("<fieldset class=\"quiz-question\" id=\"{id}\" data-kind=\"{kind}\"");
    if !html.starts_with(&opening) || !html.ends_with("</fieldset>") {
        problems.push(format!(
            "not one fieldset of its own id and kind: {html:.120}"
        ));
    }
    let number = inner(html, "<span class=\"quiz-number\"", "</span>").unwrap_or("");
    if number.trim_end_matches('.').parse::<u64>().is_err() {
        problems.push(format!("no number: {number:?}"));
    }
    let legend = inner(html, "<legend", "</legend>").unwrap_or("");
    if legend.contains("<b>") || !legend.contains("&lt;b&gt;") || !legend.contains("<em>which</em>")
    {
        problems.push(format!("the prompt is not escaped inline HTML: {legend}"));
    }
    for (what, open) in [
        ("hint", "<p class=\"quiz-hint\""),
        ("answer", "<div class=\"quiz-key\""),
        ("explanation", "<p class=\"quiz-explanation\""),
    ] {
        if inner(html, open, "</").is_none_or(|t| t.trim().is_empty()) {
            problems.push(format!("no {what}"));
        }
    }
    let options = match kind {
        "ordering" => attribute_values(html, "data-item"),
        "matching" => attribute_values(html, "value")
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        _ => attribute_values(html, "value"),
    };
    match kind {
        "single" | "true-false" => {
            let correct = strings(&q["correct"]);
            if correct.len() != 1 || !options.contains(&correct[0]) {
                problems.push(format!("correct {correct:?} of {options:?}"));
            }
        }
        "multiple" => {
            let correct = strings(&q["correct"]);
            if correct.is_empty() || correct.iter().any(|c| !options.contains(c)) {
                problems.push(format!("correct {correct:?} of {options:?}"));
            }
        }
        "short-answer" => {
            if strings(&q["accept"]).is_empty() || !html.contains("type=\"text\"") {
                problems.push("nothing accepted, or no text box".into());
            }
        }
        "ordering" => {
            let mut order = strings(&q["order"]);
            let mut shown = options.clone();
            if order == shown {
                problems.push("the items are shown in the right order".into());
            }
            order.sort();
            shown.sort();
            if order != shown || order.len() < 2 {
                problems.push(format!("order {order:?} of items {shown:?}"));
            }
        }
        "matching" => {
            let lefts = attribute_values(html, "data-left");
            let pairs = q["pairs"].as_object().cloned().unwrap_or_default();
            let keys: Vec<String> = pairs.keys().cloned().collect();
            if keys != lefts || pairs.values().any(|r| !options.iter().any(|o| r == o)) {
                problems.push(format!(
                    "pairs {pairs:?}, lefts {lefts:?}, options {options:?}"
                ));
            }
        }
        other => problems.push(format!("unknown kind {other:?}")),
    }
    match q["source"].as_u64().and_then(|s| sources.get(s as usize)) {
        None => problems.push(format!("source {} is not in the bank", q["source"])),
        Some(source) => {
            let url = source["url"].as_str().unwrap_or("");
            if source["title"].as_str().is_none_or(str::is_empty) || !dir.join(url).is_file() {
                problems.push(format!("source {source} leads nowhere from the page"));
            }
        }
    }
    let review = inner(html, "<p class=\"quiz-review\"", "</p>")
        .and_then(|p| attribute_values(p, "href").into_iter().next())
        .unwrap_or_default();
    let (file, anchor) = review.split_once('#').unwrap_or((&review, ""));
    let target = dir.join(file);
    if !target.is_file() || !read(&target).contains(&format!("id=\"{anchor}\"")) {
        problems.push(format!(
            "the review link {review} leads nowhere from the page"
        ));
    }
    problems
}

/// A handbook whose `templates/quiz_question.html` replaces the default
/// theme's: the questions `practice.js` takes from the bank files come with
/// the fieldset that template prints (`html`), the same as the page prints
/// for its own questions, so an exam's questions all look alike.
#[test]
fn bank_questions_carry_the_fieldset_of_a_replaced_question_template() {
    let root = temp_dir("practice-banks-themed");
    practice_handbook::write(&root).unwrap();
    let template = read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/quiz_question.html"),
    )
    .replace(
        "<fieldset class=\"quiz-question\"",
        "<fieldset class=\"quiz-question house-style\" data-page=\"{{ page.kind }}\"",
    );
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/quiz_question.html"), template).unwrap();
    let out = root.join("public");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let dir = out.join("quizzes/practice");
    let html = read(&dir.join("index.html"));
    assert!(html.contains("<fieldset class=\"quiz-question house-style\" data-page=\"practice\""));
    let mut checked = 0;
    for name in strings(&page_data(&html)["banks"]) {
        let bank = bank_data(&dir, &name);
        for q in bank["questions"].as_array().unwrap() {
            let id = q["id"].as_str().unwrap();
            let fieldset = q["html"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}, {id}: no html"));
            let opening = format!(
                "<fieldset class=\"quiz-question house-style\" data-page=\"practice\" id=\"{id}\" data-kind=\"{}\"",
                q["kind"].as_str().unwrap()
            );
            assert!(
                fieldset.trim_start().starts_with(&opening),
                "{name}, {id}: {fieldset:.200}"
            );
            assert!(fieldset.trim_end().ends_with("</fieldset>"), "{name}, {id}");
            // Only the answer key beside it.
            for field in ["prompt", "hint", "options", "lefts", "answer", "number"] {
                assert!(
                    q.get(field).is_none(),
                    "{name}, {id}: {field} sent with html"
                );
            }
            assert!(q["source"].is_u64(), "{name}, {id}: {q}");
            // What the page prints for the same question, when it has it.
            if let Some(at) = html.find(&opening) {
                let on_page = &html[at..];
                let end = on_page.find("</fieldset>").unwrap() + "</fieldset>".len();
                assert_eq!(fieldset.trim(), &on_page[..end], "{id}");
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "some bank questions are on the page too");
}
