//! The theme's scripts speak the page's language: on the Spanish fixture
//! ([`site::spanish`]), checking a quiz with nothing answered says so in
//! Spanish (the verdict of each question and the score), and a search
//! reports its results in Spanish.

use fantoccini::Locator;
use serde_json::Value;

use super::chrome::{self, Browser, Result};
use super::gate;
use super::server::StaticServer;
use super::site;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiz_feedback_and_search_status_are_in_the_pages_language() {
    let test = "quiz_feedback_and_search_status_are_in_the_pages_language";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let site = site::spanish().as_ref().unwrap_or_else(|e| panic!("{e}"));
    let server = StaticServer::start(&site.output);
    let quiz = server.url(&site.page("{article}/quiz/index.html"));
    let search = server.url("search/index.html?q=article");
    chrome::expect_no_problems(&tools, "languages-es", "Spanish scripts", async |browser| {
        spanish_scripts(browser, &quiz, &search).await
    })
    .await;
}

async fn text_of(browser: &Browser, css: &str) -> Result<String> {
    let script = "const e = document.querySelector(arguments[0]); return e ? e.innerText : ''";
    match browser.eval(script, vec![Value::from(css)]).await? {
        Value::String(s) => Ok(s),
        other => Err(format!("{css}: {other}").into()),
    }
}

async fn spanish_scripts(browser: &Browser, quiz: &str, search: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.open(quiz).await?;
    browser
        .client
        .find(Locator::Css("button.quiz-check"))
        .await?
        .click()
        .await?;
    let verdict = text_of(browser, ".quiz-result .quiz-verdict").await?;
    if !verdict.contains("Sin responder.") {
        problems.push(format!(
            "an unanswered question's verdict reads “{verdict}”"
        ));
    }
    let score = text_of(browser, ".quiz-status .quiz-score").await?;
    if !score.starts_with("Has acertado 0 de ") {
        problems.push(format!("the score reads “{score}”"));
    }
    browser.open(search).await?;
    let mut status = String::new();
    for _ in 0..50 {
        status = text_of(browser, "#search-status").await?;
        if !status.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if !status.contains("para «article»") {
        problems.push(format!("the search status reads “{status}”"));
    }
    Ok(problems)
}
