//! The order of a quiz's choices as students meet it, on the bundled
//! handbook:
//!
//! - without JavaScript (the page loaded with scripts turned off through
//!   the DevTools protocol), the right answers of every quiz's single-choice questions
//!   are spread over the positions, not piled in the first;
//! - with JavaScript, a quiz taken twice shows its choices in two orders,
//!   and the right choice is still marked right wherever it moved.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Value};

use super::chrome::{self, Browser, Result};
use super::gate;
use super::server::StaticServer;
use super::site;

/// Every quiz page of a built site in its default language
/// (`…/quiz/index.html` and `quizzes/<slug>/index.html`, not the practice
/// exam or the list, nor the pages of a further language's tree `es/`, which
/// has a `static/` of its own), relative to its root, sorted.
fn quiz_pages(output: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name() == "index.html")
        .filter_map(|e| {
            let rel = e.path().strip_prefix(output).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            let top = rel.split('/').next().unwrap_or("");
            if output.join(top).join("static").is_dir() {
                return None;
            }
            let quiz = rel.ends_with("/quiz/index.html")
                || (rel.starts_with("quizzes/")
                    && rel.matches('/').count() == 2
                    && rel != "quizzes/practice/index.html");
            quiz.then_some(rel)
        })
        .collect();
    pages.sort();
    pages
}

/// For each single-choice question on the open page: the values of its
/// choices in the order shown, and the value of its right one.
const SINGLE_QUESTIONS: &str = "
  const key = JSON.parse(document.getElementById('quiz-data').textContent);
  const right = {};
  key.questions.forEach(q => { if (q.kind === 'single') right[q.id] = q.correct[0]; });
  return [...document.querySelectorAll('fieldset.quiz-question[data-kind=single]')].map(f => ({
    id: f.id,
    shown: [...f.querySelectorAll('input[type=radio]')].map(i => i.value),
    right: right[f.id],
  }));";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_keys_are_spread_over_the_positions() {
    let test = "without_javascript_the_keys_are_spread_over_the_positions";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let Some(site) = site::handbook_or_skip(test) else {
        return;
    };
    let server = StaticServer::start(&site.output);
    let pages = quiz_pages(&site.output);
    assert!(pages.len() > 5, "the handbook's quiz pages: {pages:?}");
    chrome::expect_no_problems(
        &tools,
        "order-nojs",
        "the keys of the handbook's quizzes without JavaScript",
        async |browser| keys_spread(browser, &server, &pages).await,
    )
    .await;
}

async fn keys_spread(
    browser: &Browser,
    server: &StaticServer,
    pages: &[String],
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut by_position: BTreeMap<usize, usize> = BTreeMap::new();
    let mut singles = 0;
    for page in pages {
        // The page loads with scripts off, so none of its own runs; they are
        // turned on again only for this test's own reading of the page.
        let scripts_off = |off: bool| {
            browser.cdp(
                "Emulation.setScriptExecutionDisabled",
                json!({ "value": off }),
            )
        };
        scripts_off(true).await?;
        browser
            .client
            .goto(&server.url(page))
            .await
            .map_err(|e| format!("opening {page}: {e}"))?;
        scripts_off(false).await?;
        // The quiz scripts did not run: their "answers hidden" mark is absent.
        let ran = browser
            .eval(
                "return [...document.querySelectorAll('.quiz-answer')].some(d => d.hidden)",
                vec![],
            )
            .await?;
        if ran != Value::Bool(false) {
            problems.push(format!("{page}: the quiz's script ran"));
        }
        let questions = browser.eval(SINGLE_QUESTIONS, vec![]).await?;
        let mut first = 0;
        let questions = questions.as_array().cloned().unwrap_or_default();
        for q in &questions {
            let shown: Vec<&str> = q["shown"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let Some(at) = shown.iter().position(|v| Some(*v) == q["right"].as_str()) else {
                problems.push(format!("{page}: no right choice shown in {q}"));
                continue;
            };
            *by_position.entry(at).or_default() += 1;
            first += usize::from(at == 0);
            singles += 1;
        }
        // No quiz shows most of its keys first.
        if questions.len() >= 4 && first * 2 > questions.len() {
            problems.push(format!(
                "{page}: {first} of {} right answers are shown first",
                questions.len()
            ));
        }
    }
    // Over the handbook, every one of the four positions holds a fair share:
    // at least half of a quarter.
    for position in 0..4 {
        let n = by_position.get(&position).copied().unwrap_or(0);
        if n * 8 < singles {
            problems.push(format!(
                "position {} holds {n} of {singles} right answers: {by_position:?}",
                position + 1
            ));
        }
    }
    Ok(problems)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiz_taken_twice_shows_two_orders() {
    let test = "a_quiz_taken_twice_shows_two_orders";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let Some(site) = site::handbook_or_skip(test) else {
        return;
    };
    let server = StaticServer::start(&site.output);
    let page = quiz_pages(&site.output)
        .into_iter()
        .next()
        .expect("a quiz page");
    let url = server.url(&page);
    chrome::expect_no_problems(
        &tools,
        "order-retry",
        "a quiz taken twice",
        async |browser| two_attempts(browser, &url).await,
    )
    .await;
}

/// The shown order of every single-choice question, as one list.
async fn orders(browser: &Browser) -> Result<Vec<Value>> {
    let questions = browser.eval(SINGLE_QUESTIONS, vec![]).await?;
    Ok(questions
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|q| json!([q["id"], q["shown"]]))
        .collect())
}

/// Picks the right choice of every single-choice question, checks the
/// answers and reads what question `id` was marked.
async fn answer_right_and_check(browser: &Browser) -> Result<Value> {
    browser
        .eval(
            "const key = JSON.parse(document.getElementById('quiz-data').textContent);
             key.questions.filter(q => q.kind === 'single').forEach(q =>
               document.getElementById(q.id + '-' + q.correct[0]).click());
             document.querySelector('.quiz-check').click();
             return [...document.querySelectorAll('fieldset.quiz-question[data-kind=single]')]
               .map(f => f.querySelector('.quiz-result').innerText);",
            vec![],
        )
        .await
}

async fn two_attempts(browser: &Browser, url: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.open(url).await?;
    let first = orders(browser).await?;
    let marks = answer_right_and_check(browser).await?;
    browser
        .eval(
            "document.querySelector('.quiz-retry').click(); return true",
            vec![],
        )
        .await?;
    let second = orders(browser).await?;
    let sorted = |list: &[Value]| {
        let mut l: Vec<String> = list.iter().map(|v| v[0].to_string()).collect();
        l.sort();
        l
    };
    if sorted(&first) != sorted(&second) {
        problems.push(format!(
            "the questions changed between attempts: {first:?} / {second:?}"
        ));
    }
    let by_id = |list: &[Value]| -> BTreeMap<String, String> {
        list.iter()
            .map(|v| (v[0].to_string(), v[1].to_string()))
            .collect()
    };
    if by_id(&first) == by_id(&second) {
        problems.push(format!(
            "a second attempt shows every question's choices in the same order: {first:?}"
        ));
    }
    for (i, mark) in marks
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        if !mark.as_str().unwrap_or("").contains("Correct.") {
            problems.push(format!(
                "single-choice question {} answered right is marked {mark}",
                i + 1
            ));
        }
    }
    // The second attempt is marked right as well, in its new order.
    let again = answer_right_and_check(browser).await?;
    if again.as_array().is_none_or(|a| {
        a.iter()
            .any(|m| !m.as_str().unwrap_or("").contains("Correct."))
    }) {
        problems.push(format!(
            "the second attempt answered right is marked {again}"
        ));
    }
    Ok(problems)
}
