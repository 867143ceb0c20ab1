//! Quizzes in a real browser.
//!
//! - Keyboard only (Tab, Space, Enter, arrow keys and typing; scripts only
//!   read the page): on the fixture article's quiz, answer every question
//!   with the first one wrong, check, read that question's feedback and the
//!   announced score, try again, answer all right, pass, then follow "All
//!   quizzes" and see the best score there; "Reset my progress" clears it.
//! - The practice exam: a short exam with the timer on, paused, extended
//!   and turned off, then checked, with results by article.
//! - The practice exam drawing on question bank files ([`bank`]).
//!
//! Screenshots land in `target/screenshots/fixture/quiz-*.png`.

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::{json, Value};

use super::chrome::{Browser, Result};
use super::gate;
use super::site;

/// The practice exam of a handbook with more questions than its page holds.
#[path = "quiz_bank.rs"]
mod bank;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiz_is_taken_by_keyboard_only() {
    let test = "a_quiz_is_taken_by_keyboard_only";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    site::expect_no_problems_on_fixture_page(
        &tools,
        "quiz-keyboard",
        "{article}/quiz/index.html",
        "taking the quiz by keyboard",
        take_quiz,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_practice_exam_draws_times_and_reports_by_article() {
    let test = "the_practice_exam_draws_times_and_reports_by_article";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    site::expect_no_problems_on_fixture_page(
        &tools,
        "quiz-practice",
        "quizzes/practice/index.html",
        "the practice exam",
        practice,
    )
    .await;
}

/// Presses Tab until the focused element matches `css` (at most 300 times).
async fn tab_to(browser: &Browser, css: &str) -> Result<()> {
    let matches = "return !!document.activeElement && document.activeElement.matches(arguments[0])";
    for _ in 0..300 {
        if browser.eval(matches, vec![json!(css)]).await? == Value::Bool(true) {
            return Ok(());
        }
        browser.press(Key::Tab).await?;
    }
    Err(format!("Tab never reaches `{css}`").into())
}

/// Types `text` key by key.
async fn type_text(browser: &Browser, text: &str) -> Result<()> {
    let mut actions = KeyActions::new("typing".to_string());
    for c in text.chars() {
        actions = actions
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
    }
    browser.client.perform_actions(actions).await?;
    Ok(())
}

async fn text_of(browser: &Browser, css: &str) -> Result<String> {
    let v = browser
        .eval(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;",
            vec![json!(css)],
        )
        .await?;
    Ok(v.as_str().unwrap_or("").to_string())
}

async fn press_times(browser: &Browser, key: Key, times: usize) -> Result<()> {
    for _ in 0..times {
        browser.press(key).await?;
    }
    Ok(())
}

/// Answers every question of the fixture quiz from the keyboard; the first
/// one wrong unless `all_right`.
async fn answer(browser: &Browser, all_right: bool) -> Result<()> {
    // single: Tab lands on the first choice (wrong); an arrow key moves to and picks the next.
    tab_to(browser, "#q-what-comes-first-c1").await?;
    if all_right {
        browser.press(Key::Down).await?;
    } else {
        browser.press(Key::Space).await?;
    }
    // true-false
    tab_to(browser, "input[name='q-trust-grows'][value='true']").await?;
    browser.press(Key::Space).await?;
    // multiple
    tab_to(browser, "#q-helps-c1").await?;
    browser.press(Key::Space).await?;
    tab_to(browser, "#q-helps-c2").await?;
    browser.press(Key::Space).await?;
    // short answer: case and spaces do not matter
    tab_to(browser, "#q-the-word-answer").await?;
    type_text(browser, " Repair ").await?;
    // ordering: move each item up to its place with its "Move up" button
    let right = ["i1", "i2", "i3"];
    for (place, item) in right.iter().enumerate() {
        let order = browser
            .eval(
                "return [...document.querySelectorAll('#q-steps .quiz-order-item')].map(li => li.dataset.item)",
                vec![],
            )
            .await?;
        let order: Vec<String> = serde_json::from_value(order)?;
        let at = order
            .iter()
            .position(|i| i == item)
            .ok_or_else(|| format!("item {item} is not in the list: {order:?}"))?;
        if at > place {
            tab_to(
                browser,
                &format!("#q-steps li[data-item='{item}'] button[data-move='up']"),
            )
            .await?;
            press_times(browser, Key::Enter, at - place).await?;
        }
    }
    // matching: one select per left item; arrow down to the right option
    for n in 1..=3 {
        let select = format!("#q-parts-l{n}");
        let index = browser
            .eval(
                "return [...document.querySelector(arguments[0]).options].findIndex(o => o.value === arguments[1])",
                vec![json!(select), json!(format!("r{n}"))],
            )
            .await?;
        let index = index.as_u64().unwrap_or(0) as usize;
        tab_to(browser, &select).await?;
        press_times(browser, Key::Down, index).await?;
    }
    tab_to(browser, ".quiz-check").await?;
    browser.press(Key::Enter).await?;
    browser.settle().await?;
    Ok(())
}

async fn take_quiz(browser: &Browser, url: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.set_viewport(1280, 800).await?;
    browser.open(url).await?;
    browser
        .eval("localStorage.clear(); return true", vec![])
        .await?;
    browser.open(url).await?;

    // Before: no answers shown, the check button there, nothing announced.
    let start = browser
        .eval(
            "return {
               details: [...document.querySelectorAll('.quiz-answer')].filter(d => !d.hidden).length,
               check: !document.querySelector('.quiz-check').hidden,
               status: document.querySelector('.quiz-status').innerText.trim(),
               legend: document.querySelector('#q-what-comes-first legend').innerText,
               moveButtons: [...document.querySelectorAll('.quiz-order-buttons')].every(b => !b.hidden),
             }",
            vec![],
        )
        .await?;
    if start["details"] != 0 {
        problems.push(format!("answers show before checking: {start}"));
    }
    if start["check"] != true || start["moveButtons"] != true {
        problems.push(format!("the quiz's controls are not ready: {start}"));
    }
    if !start["legend"]
        .as_str()
        .unwrap_or("")
        .contains("What comes first in a repair?")
    {
        problems.push(format!(
            "the first fieldset's legend is not its prompt: {start}"
        ));
    }

    // First attempt: the first question wrong.
    answer(browser, false).await?;
    let first = text_of(browser, "#q-what-comes-first .quiz-result").await?;
    for needle in [
        "Incorrect.",
        "A new schedule can help later",
        "A rupture can only be repaired once someone notices it.",
        "Read more about this",
    ] {
        if !first.contains(needle) {
            problems.push(format!(
                "after a wrong answer, question 1 should say {needle:?}; it says {first:?}"
            ));
        }
    }
    for id in ["trust-grows", "helps", "the-word", "steps", "parts"] {
        let result = text_of(browser, &format!("#q-{id} .quiz-result")).await?;
        if !result.contains("Correct.") {
            problems.push(format!("question {id} answered right is marked {result:?}"));
        }
    }
    let status = text_of(browser, ".quiz-status").await?;
    if !status.contains("You scored 5 out of 6 (83%)") || !status.contains("Not passed yet") {
        problems.push(format!(
            "the status after the first attempt says {status:?}"
        ));
    }
    let focused_status = browser
        .eval(
            "return document.activeElement === document.querySelector('.quiz-status') && document.querySelector('.quiz-status').getAttribute('role')",
            vec![],
        )
        .await?;
    if focused_status != "status" {
        problems.push(format!(
            "focus should move to the role=status result; got {focused_status}"
        ));
    }
    let shot = gate::target_dir()
        .join("screenshots")
        .join("fixture")
        .join("quiz-checked-1280.png");
    browser
        .eval(
            "document.querySelector('#q-what-comes-first').scrollIntoView(); return true",
            vec![],
        )
        .await?;
    browser.screenshot(&shot).await?;

    // Try again: everything cleared; then all right.
    tab_to(browser, ".quiz-retry").await?;
    browser.press(Key::Enter).await?;
    browser.settle().await?;
    let cleared = browser
        .eval(
            "return {
               checked: document.querySelectorAll('.quiz-form input:checked').length,
               text: document.querySelector('#q-the-word-answer').value,
               results: [...document.querySelectorAll('.quiz-result')].filter(r => !r.hidden).length,
               focus: document.activeElement && document.activeElement.id,
             }",
            vec![],
        )
        .await?;
    if cleared["checked"] != 0 || cleared["text"] != "" || cleared["results"] != 0 {
        problems.push(format!("\"Try again\" left answers or results: {cleared}"));
    }
    answer(browser, true).await?;
    let status = text_of(browser, ".quiz-status").await?;
    if !status.contains("You scored 6 out of 6 (100%)") || !status.contains("You passed") {
        problems.push(format!(
            "the status after the second attempt says {status:?}"
        ));
    }
    let progress = text_of(browser, ".quiz-progress-text").await?;
    if !progress.contains("Your best score: 100%") {
        problems.push(format!("the quiz page's progress line says {progress:?}"));
    }

    // The list of quizzes shows the best score.
    tab_to(browser, ".quiz-more a[href$='quizzes/index.html']").await?;
    browser.press(Key::Enter).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    browser.settle().await?;
    let best = text_of(
        browser,
        ".quiz-best[data-quiz-key$='first-part/an-article/quiz/']",
    )
    .await?;
    if !best.starts_with("100%") {
        problems.push(format!("/quizzes/ shows the best score {best:?}, not 100%"));
    }
    let untaken = text_of(browser, ".quiz-best[data-quiz-key$='quizzes/warm-up/']").await?;
    if untaken != "Not taken yet" {
        problems.push(format!("an untaken quiz shows {untaken:?}"));
    }
    tab_to(browser, ".quiz-reset-all").await?;
    browser.press(Key::Enter).await?;
    let reset = text_of(
        browser,
        ".quiz-best[data-quiz-key$='first-part/an-article/quiz/']",
    )
    .await?;
    if reset != "Not taken yet" {
        problems.push(format!(
            "after \"Reset my progress\" the score shows {reset:?}"
        ));
    }
    for error in browser.page_errors().await? {
        problems.push(format!("page error: {error}"));
    }
    Ok(problems)
}

async fn practice(browser: &Browser, url: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.set_viewport(1280, 800).await?;
    browser.open(url).await?;
    let setup = browser
        .eval(
            "return {
               setup: !document.querySelector('.practice-setup').hidden,
               form: !document.querySelector('.quiz-form').hidden,
               count: document.querySelector('#practice-count').value,
               max: document.querySelector('#practice-count').max,
             }",
            vec![],
        )
        .await?;
    if setup["setup"] != true || setup["form"] != false {
        problems.push(format!(
            "the practice page does not open on its set-up form: {setup}"
        ));
    }
    if setup["count"] != "8" || setup["max"] != "8" {
        problems.push(format!("the fixture has 8 questions in all: {setup}"));
    }
    // Three questions, timed, from the keyboard.
    tab_to(browser, "#practice-count").await?;
    press_times(browser, Key::Backspace, 3).await?;
    type_text(browser, "3").await?;
    tab_to(browser, "#practice-timed").await?;
    browser.press(Key::Space).await?;
    tab_to(browser, "#practice-minutes").await?;
    press_times(browser, Key::Backspace, 3).await?;
    type_text(browser, "2").await?;
    tab_to(browser, ".practice-start").await?;
    browser.press(Key::Enter).await?;
    browser.settle().await?;
    let running = browser
        .eval(
            "return {
               shown: [...document.querySelectorAll('fieldset.quiz-question')].filter(f => !f.hidden).length,
               timer: !document.querySelector('.practice-timer').hidden,
               clock: document.querySelector('.practice-clock').textContent,
               title: document.activeElement && document.activeElement.id,
             }",
            vec![],
        )
        .await?;
    if running["shown"] != 3 || running["timer"] != true {
        problems.push(format!("after start: {running}"));
    }
    if running["title"] != "practice-form-title" {
        problems.push(format!("focus should go to the exam's heading: {running}"));
    }
    // Pause, extend, turn off.
    tab_to(browser, ".practice-pause").await?;
    browser.press(Key::Enter).await?;
    let paused = text_of(browser, ".practice-clock").await?;
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let still = text_of(browser, ".practice-clock").await?;
    if paused != still {
        problems.push(format!("the paused timer went on: {paused} then {still}"));
    }
    let status = text_of(browser, ".quiz-status").await?;
    if !status.contains("Timer paused") {
        problems.push(format!("pausing is not announced: {status:?}"));
    }
    tab_to(browser, ".practice-extend").await?;
    browser.press(Key::Enter).await?;
    let extended = text_of(browser, ".practice-clock").await?;
    if !extended.starts_with('6') && !extended.starts_with('7') {
        problems.push(format!("2 minutes plus 5 shows {extended}"));
    }
    tab_to(browser, ".practice-stop").await?;
    browser.press(Key::Enter).await?;
    let off = browser
        .eval(
            "return document.querySelector('.practice-timer').hidden",
            vec![],
        )
        .await?;
    if off != true {
        problems.push("\"Turn off the timer\" leaves the timer showing".into());
    }
    // Check unanswered: every question wrong, results by article.
    tab_to(browser, ".quiz-check").await?;
    browser.press(Key::Enter).await?;
    browser.settle().await?;
    let results = browser
        .eval(
            "return {
               shown: !document.querySelector('.practice-results').hidden,
               rows: [...document.querySelectorAll('.practice-results tbody tr')].map(tr => tr.innerText),
               links: [...document.querySelectorAll('.practice-results tbody th a')].map(a => a.getAttribute('href')),
               status: document.querySelector('.quiz-status').innerText,
             }",
            vec![],
        )
        .await?;
    let rows = results["rows"].as_array().map_or(0, Vec::len);
    if results["shown"] != true || rows == 0 {
        problems.push(format!("no results by article: {results}"));
    }
    if !results["status"]
        .as_str()
        .unwrap_or("")
        .contains("You scored 0 out of 3")
    {
        problems.push(format!("the practice score: {results}"));
    }
    for link in results["links"].as_array().into_iter().flatten() {
        let href = link.as_str().unwrap_or("");
        if !href.ends_with("index.html") {
            problems.push(format!("a results link is not relative to a page: {href}"));
        }
    }
    let shot = gate::target_dir()
        .join("screenshots")
        .join("fixture")
        .join("practice-results-1280.png");
    browser
        .eval(
            "document.querySelector('.practice-results').scrollIntoView(); return true",
            vec![],
        )
        .await?;
    browser.screenshot(&shot).await?;
    for error in browser.page_errors().await? {
        problems.push(format!("page error: {error}"));
    }
    Ok(problems)
}
