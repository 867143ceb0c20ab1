//! Printing, in Chromium with print media emulated (`Emulation.setEmulatedMedia`):
//!
//! - a quiz page, answered and checked, prints its questions and no answer,
//!   explanation, feedback, result or button (on screen the same page shows
//!   the results);
//! - the worksheets (`/print/quizzes/`) start each quiz and the answer key
//!   on a new page, keep each question on one page, leave out navigation
//!   and on-screen links, and show the lines to write on.
//!
//! The worksheets' axe, HTML and request checks are those of every page
//! type (`PAGE_TYPES` in `tests/browser.rs`).

use serde_json::{json, Value};

use super::chrome::{Browser, Result};
use super::gate;
use super::site;

/// Emulate print media (or stop emulating it) on the current page.
async fn print_media(browser: &Browser, print: bool) -> Result<()> {
    browser
        .cdp(
            "Emulation.setEmulatedMedia",
            json!({ "media": if print { "print" } else { "" } }),
        )
        .await?;
    Ok(())
}

/// `[selector, display, count shown]` for each selector: the computed
/// `display` of its first match and how many of its matches take up room.
const SHOWN: &str = "
  return arguments[0].map((css) => {
    const all = [...document.querySelectorAll(css)];
    const shown = all.filter((e) => e.getClientRects().length > 0).length;
    return [css, all.length ? getComputedStyle(all[0]).display : 'missing', shown, all.length];
  });";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_printed_quiz_shows_no_answers() {
    let test = "a_printed_quiz_shows_no_answers";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    site::expect_no_problems_on_fixture_page(
        &tools,
        "quiz-print",
        "{article}/quiz/index.html",
        "printing a checked quiz",
        printed_quiz,
    )
    .await;
}

async fn printed_quiz(browser: &Browser, url: &str) -> Result<Vec<String>> {
    browser.open(url).await?;
    // Answer the first question and check: results and feedback appear on screen.
    browser
        .eval(
            "document.querySelector('.quiz-question input[type=radio]').click();
             document.querySelector('.quiz-check').click(); return true;",
            vec![],
        )
        .await?;
    browser.settle().await?;
    let hidden_in_print = [
        "details.quiz-answer",
        ".quiz-result",
        ".quiz-status",
        ".quiz-actions",
        ".quiz-nojs",
    ];
    let mut problems = Vec::new();
    let on_screen = browser
        .eval(SHOWN, vec![json!([".quiz-result", ".quiz-status"])])
        .await?;
    for row in on_screen.as_array().into_iter().flatten() {
        if row[2].as_u64() == Some(0) {
            problems.push(format!(
                "on screen, after checking, {} should show: {row}",
                row[0]
            ));
        }
    }
    print_media(browser, true).await?;
    let printed = browser.eval(SHOWN, vec![json!(hidden_in_print)]).await?;
    for row in printed.as_array().into_iter().flatten() {
        if row[1] == "missing" {
            problems.push(format!("the quiz page has no {}", row[0]));
        } else if row[2].as_u64() != Some(0) {
            problems.push(format!(
                "printed, {} should not show; {} of {} do (display {})",
                row[0], row[2], row[3], row[1]
            ));
        }
    }
    let questions = browser.eval(SHOWN, vec![json!([".quiz-question"])]).await?;
    let row = &questions[0];
    if row[2].as_u64() == Some(0) || row[2] != row[3] {
        problems.push(format!("printed, every question should show: {row}"));
    }
    let text = browser
        .eval("return document.body.innerText", vec![])
        .await?;
    for answer in ["Show the answer", "Answer:", "Incorrect", "Correct"] {
        if text.as_str().is_some_and(|t| t.contains(answer)) {
            problems.push(format!("printed, the page reads {answer:?}"));
        }
    }
    print_media(browser, false).await?;
    Ok(problems)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worksheets_print_a_quiz_a_page_and_the_key_after() {
    let test = "worksheets_print_a_quiz_a_page_and_the_key_after";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    site::expect_no_problems_on_fixture_page(
        &tools,
        "worksheets-print",
        "print/quizzes/index.html",
        "printing the worksheets",
        printed_worksheets,
    )
    .await;
}

async fn printed_worksheets(browser: &Browser, url: &str) -> Result<Vec<String>> {
    browser.open(url).await?;
    let mut problems = Vec::new();
    // On screen: the links between quizzes and key show, the name line does not.
    let screen = browser
        .eval(SHOWN, vec![json!([".ws-links", ".ws-name"])])
        .await?;
    if screen[0][2].as_u64() == Some(0) || screen[1][2].as_u64() != Some(0) {
        problems.push(format!(
            "on screen the links should show and the name line not: {screen}"
        ));
    }
    print_media(browser, true).await?;
    let styles = browser
        .eval(
            "const style = (css) => [...document.querySelectorAll(css)].map((e) => getComputedStyle(e));
             const line = document.querySelector('.ws-write .ws-line');
             return {
               quizzes: style('.ws-quiz').map((s) => s.breakBefore),
               key: style('.ws-key').map((s) => s.breakBefore),
               questions: style('.ws-question').map((s) => s.breakInside),
               answers: style('.ws-key-list > li').map((s) => s.breakInside),
               line: line ? [getComputedStyle(line).borderBottomWidth, getComputedStyle(line).borderBottomStyle, line.getBoundingClientRect().width, line.getBoundingClientRect().height] : null,
               boxes: [...document.querySelectorAll('.ws-line-box')].filter((e) => e.getBoundingClientRect().width < 20).length,
             };",
            vec![],
        )
        .await?;
    let all_are = |key: &str, value: &str| -> bool {
        styles[key]
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(|v| v == value))
    };
    if !all_are("quizzes", "page") {
        problems.push(format!(
            "printed, every quiz should start a page: {}",
            styles["quizzes"]
        ));
    }
    if !all_are("key", "page") {
        problems.push(format!(
            "printed, the answer key should start a page: {}",
            styles["key"]
        ));
    }
    if !all_are("questions", "avoid") || !all_are("answers", "avoid") {
        problems.push(format!(
            "printed, no question or answer should split across pages: {} {}",
            styles["questions"], styles["answers"]
        ));
    }
    let line = &styles["line"];
    let width = |v: &Value| v.as_f64().unwrap_or(0.0);
    if line.is_null() || line[0] == "0px" || line[1] != "solid" || width(&line[2]) < 200.0 {
        problems.push(format!(
            "printed, a short answer should have lines to write on: {line}"
        ));
    }
    if styles["boxes"].as_u64() != Some(0) {
        problems.push(format!(
            "printed, {} blanks for a number or letter are too narrow to write in",
            styles["boxes"]
        ));
    }
    let shown = browser
        .eval(
            SHOWN,
            vec![json!([
                ".site-nav",
                ".crisis",
                ".header-search",
                ".breadcrumbs",
                ".ws-links",
                ".toc"
            ])],
        )
        .await?;
    for row in shown.as_array().into_iter().flatten() {
        if row[2].as_u64() != Some(0) {
            problems.push(format!("printed, {} should not show: {row}", row[0]));
        }
    }
    let name = browser.eval(SHOWN, vec![json!([".ws-name"])]).await?;
    if name[0][2] != name[0][3] || name[0][2].as_u64() == Some(0) {
        problems.push(format!(
            "printed, each worksheet should have a name line: {name}"
        ));
    }
    print_media(browser, false).await?;
    Ok(problems)
}
