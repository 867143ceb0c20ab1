//! The practice exam of a handbook with more questions than its page embeds
//! (`tests/support/practice_handbook.rs`: 453 questions, 400 on the page, the
//! whole bank in `bank-1.js` and `bank-2.js`), in a real browser, served over
//! http under `Content-Security-Policy: default-src 'self'` and opened from
//! `file://`:
//!
//! - started from the keyboard, an exam of 400 questions loads the bank
//!   files with `<script src>`, announces the loading in the set-up form's
//!   status region, and draws its questions from them, some of which are not
//!   on the page and are put in it by `practice.js` from their fieldsets; every link on the page (review
//!   links and sources of the built questions included) leads to a page and
//!   heading that exist; axe finds no violation before, during and after;
//! - one built question answered right is marked right, and the results by
//!   article link back to articles;
//! - with the bank files gone, the exam falls back to the page's questions
//!   and says so;
//! - the page with its sample is valid HTML (the Nu Html Checker);
//! - with the handbook's own `quiz_question.html`, the questions taken from
//!   the bank files come in that template's markup too, and one answered
//!   right is marked right.
//!
//! Keyboard keys do the work; scripts read the page, and only move focus to
//! a control deep in a 400-question exam that Tab would take too long to reach.

#[path = "../support/practice_handbook.rs"]
mod practice_handbook;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::key::Key;
use serde_json::{json, Value};

use super::{press_times, tab_to, text_of, type_text};
use crate::checks::{self, Origin};
use crate::chrome::{self, Browser, Result};
use crate::gate;
use crate::server::{self, StaticServer};

/// The page embeds this many (`PRACTICE_PAGE_MAX`).
const ON_PAGE: usize = 400;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practice_exam_beyond_the_page_draws_on_the_bank_files() {
    let test = "a_practice_exam_beyond_the_page_draws_on_the_bank_files";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let output = big_handbook().as_ref().unwrap_or_else(|e| panic!("{e}"));
    chrome::expect_no_problems(
        &tools,
        "quiz-bank",
        &format!(
            "the practice exam with a question bank ({})",
            output.display()
        ),
        async |browser| bank_exams(browser, output).await,
    )
    .await;
}

#[test]
fn a_practice_page_with_a_sample_is_valid_html() {
    let test = "a_practice_page_with_a_sample_is_valid_html";
    let Some(tools) = gate::vnu_tools(test) else {
        return;
    };
    let output = big_handbook().as_ref().unwrap_or_else(|e| panic!("{e}"));
    let page = output.join("quizzes/practice/index.html");
    let errors =
        crate::vnu::check(&tools, std::slice::from_ref(&page)).unwrap_or_else(|e| panic!("{e}"));
    let report: Vec<String> = errors.iter().map(|e| e.show(output)).collect();
    assert!(
        report.is_empty(),
        "the Nu Html Checker found errors in {}:\n{}",
        page.display(),
        report.join("\n")
    );
}

/// A theme author's `quiz_question.html` (the default's with a class and an
/// attribute of its own): the questions an exam takes from the bank files
/// come in that markup too, like those on the page, and the exam can be
/// answered and checked from the keyboard.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bank_questions_take_the_themes_question_template() {
    let test = "bank_questions_take_the_themes_question_template";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let default = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/quiz_question.html"),
    )
    .unwrap_or_else(|e| panic!("the default template: {e}"));
    let template = default.replace(
        "<fieldset class=\"quiz-question\"",
        "<fieldset class=\"quiz-question house-style\" data-house=\"{{ q.number }}\"",
    );
    let output = build_practice_handbook("practice-bank-themed", Some(&template))
        .unwrap_or_else(|e| panic!("{e}"));
    chrome::expect_no_problems(
        &tools,
        "quiz-bank-themed",
        &format!(
            "a practice exam with the theme's question template ({})",
            output.display()
        ),
        async |browser| themed_exam(browser, &output).await,
    )
    .await;
}

async fn themed_exam(browser: &Browser, output: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let server = StaticServer::start(output);
    browser.set_viewport(1280, 800).await?;
    browser
        .open(&server.url("quizzes/practice/index.html"))
        .await?;
    browser
        .eval("localStorage.clear(); return true", vec![])
        .await?;
    let on_page = question_ids(browser).await?;
    start_exam(browser, ON_PAGE).await?;
    let exam = browser
        .eval(
            "return [...document.querySelectorAll('fieldset.quiz-question')].filter(f => !f.hidden)
               .map(f => ({ id: f.id, themed: f.classList.contains('house-style') && f.dataset.house !== undefined,
                            kind: f.dataset.kind, inputs: f.querySelectorAll('input, select, button').length }))",
            vec![],
        )
        .await?;
    let shown = exam.as_array().cloned().unwrap_or_default();
    let from_banks: Vec<&Value> = shown
        .iter()
        .filter(|q| !on_page.contains(q["id"].as_str().unwrap_or("")))
        .collect();
    if shown.len() != ON_PAGE || from_banks.is_empty() {
        problems.push(format!(
            "an exam of {ON_PAGE} should show {ON_PAGE} questions, some from the bank files: {} shown, {} from the banks",
            shown.len(),
            from_banks.len()
        ));
    }
    for q in &shown {
        if q["themed"] != true {
            problems.push(format!("{} is not in the theme's markup: {q}", q["id"]));
        }
        if q["inputs"] == 0 {
            problems.push(format!("{} has no controls: {q}", q["id"]));
        }
    }
    problems.extend(axe_problems(browser, "during a themed exam").await?);
    // A bank-built question of the theme's markup answered right is marked right.
    let Some(id) = from_banks
        .iter()
        .find(|q| q["kind"] == "single")
        .and_then(|q| q["id"].as_str())
    else {
        problems.push("no single-choice question came from the banks".into());
        return Ok(problems);
    };
    let result = answer_right_and_check(browser, id).await?;
    if !result.contains("Correct.") {
        problems.push(format!(
            "the themed bank question {id} answered right says {result:?}"
        ));
    }
    Ok(problems)
}

/// Chooses the right answer of single-choice question `id` (taken from a
/// bank) and checks the exam from the keyboard; the question's result text.
/// Tab would need hundreds of presses to get this deep into an exam: focus
/// is moved by script, the keys do the rest.
async fn answer_right_and_check(browser: &Browser, id: &str) -> Result<String> {
    let correct = browser
        .eval(
            "const id = arguments[0];
             for (const b of Object.values(window.trellisPracticeBanks)) {
               const q = b.questions.find(q => q.id === id);
               if (q) return q.correct[0];
             }
             return null",
            vec![json!(id)],
        )
        .await?;
    let radio = format!("{id}-{}", correct.as_str().unwrap_or("c1"));
    browser
        .eval(
            "document.getElementById(arguments[0]).focus(); return true",
            vec![json!(radio)],
        )
        .await?;
    browser.press(Key::Space).await?;
    browser
        .eval(
            "document.querySelector('.quiz-check').focus(); return true",
            vec![],
        )
        .await?;
    browser.press(Key::Enter).await?;
    browser.settle().await?;
    text_of(browser, &format!("#{id} .quiz-result")).await
}

/// The handbook of `tests/support/practice_handbook.rs`, built once per test run.
fn big_handbook() -> &'static std::result::Result<PathBuf, String> {
    static SITE: OnceLock<std::result::Result<PathBuf, String>> = OnceLock::new();
    SITE.get_or_init(build_big_handbook)
}

fn build_big_handbook() -> std::result::Result<PathBuf, String> {
    build_practice_handbook("practice-bank", None)
}

/// Writes and builds the handbook of `tests/support/practice_handbook.rs`
/// in scratch folder `name`, with `question_template` as its own
/// `templates/quiz_question.html` when given.
fn build_practice_handbook(
    name: &str,
    question_template: Option<&str>,
) -> std::result::Result<PathBuf, String> {
    let root = gate::scratch_dir(name);
    practice_handbook::write(&root).map_err(|e| format!("writing the handbook: {e}"))?;
    if let Some(template) = question_template {
        std::fs::create_dir_all(root.join("templates"))
            .and_then(|()| std::fs::write(root.join("templates/quiz_question.html"), template))
            .map_err(|e| format!("writing the template: {e}"))?;
    }
    let output = root.join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_trellis"))
        .args(["build", "--quiet", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&output)
        .output()
        .map_err(|e| format!("running trellis: {e}"))?;
    if !run.status.success() {
        return Err(format!(
            "building {} failed:\n{}",
            root.display(),
            String::from_utf8_lossy(&run.stderr)
        ));
    }
    Ok(output)
}

async fn bank_exams(browser: &Browser, output: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let server = StaticServer::start(output);
    let http = Origin::Http(url::Url::parse(&server.origin())?);
    let page = output.join("quizzes/practice/index.html");
    browser.set_viewport(1280, 800).await?;
    for (origin, url, name) in [
        (
            http.clone(),
            server.url("quizzes/practice/index.html"),
            "over http",
        ),
        (Origin::File, server::file_url(&page), "from file://"),
    ] {
        for p in exam_from_banks(browser, output, &origin, &url).await? {
            problems.push(format!("{name}: {p}"));
        }
    }
    let served = server.take_log();
    for bank in ["bank-1.js", "bank-2.js"] {
        let path = format!("/quizzes/practice/{bank}");
        if !served.iter().any(|s| s.target == path && s.status == 200) {
            problems.push(format!("over http, {path} was never loaded: {served:#?}"));
        }
    }

    // Without the bank files, the exam comes from the page and says so.
    let dir = output.join("quizzes/practice");
    for bank in ["bank-1.js", "bank-2.js"] {
        std::fs::rename(dir.join(bank), dir.join(format!("{bank}.gone")))?;
    }
    for p in fallback(browser, &server.url("quizzes/practice/index.html")).await? {
        problems.push(format!("without bank files: {p}"));
    }
    Ok(problems)
}

/// Waits until the exam's form shows (the bank files loaded, or failed).
async fn wait_for_exam(browser: &Browser) -> Result<()> {
    for _ in 0..100 {
        let shown = browser
            .eval(
                "return !document.querySelector('.quiz-form').hidden",
                vec![],
            )
            .await?;
        if shown == Value::Bool(true) {
            return browser.settle().await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("the exam never started".into())
}

/// Starts an exam of `count` questions from the keyboard, recording what the
/// set-up form's status region says on the way.
async fn start_exam(browser: &Browser, count: usize) -> Result<()> {
    browser
        .eval(
            "const note = document.querySelector('.practice-loading');
             window.__notes = [];
             new MutationObserver(() => window.__notes.push(note.textContent))
               .observe(note, { childList: true, characterData: true, subtree: true });
             return true",
            vec![],
        )
        .await?;
    tab_to(browser, "#practice-count").await?;
    press_times(browser, Key::Backspace, 3).await?;
    type_text(browser, &count.to_string()).await?;
    tab_to(browser, ".practice-start").await?;
    browser.press(Key::Enter).await?;
    wait_for_exam(browser).await
}

async fn axe_problems(browser: &Browser, when: &str) -> Result<Vec<String>> {
    Ok(browser
        .axe()
        .await?
        .into_iter()
        .map(|v| format!("axe, {when}: {v}"))
        .collect())
}

async fn exam_from_banks(
    browser: &Browser,
    output: &Path,
    origin: &Origin,
    url: &str,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.take_requests().await?;
    browser.open(url).await?;
    browser
        .eval("localStorage.clear(); return true", vec![])
        .await?;
    let before = browser
        .eval(
            "return {
               ids: [...document.querySelectorAll('fieldset.quiz-question')].map(f => f.id),
               lede: document.querySelector('.lede').innerText,
               max: Number(document.querySelector('#practice-count').max),
               setup: !document.querySelector('.practice-setup').hidden,
               banks: Object.keys(window.trellisPracticeBanks || {}),
             }",
            vec![],
        )
        .await?;
    let on_page: BTreeSet<String> = serde_json::from_value(before["ids"].clone())?;
    if on_page.len() != ON_PAGE || before["max"] != ON_PAGE || before["setup"] != true {
        problems.push(format!(
            "the page should open on its set-up form with {ON_PAGE} questions: {} on the page, max {}, set-up shown: {}",
            on_page.len(),
            before["max"],
            before["setup"]
        ));
    }
    let total = practice_handbook::TOTAL;
    if !before["lede"]
        .as_str()
        .unwrap_or("")
        .contains(&format!("{total} questions in all"))
    {
        problems.push(format!(
            "the page does not say {total} questions in all: {}",
            before["lede"]
        ));
    }
    if before["banks"] != json!([]) {
        problems.push(format!(
            "bank files load before an exam starts: {}",
            before["banks"]
        ));
    }
    problems.extend(axe_problems(browser, "on the set-up form").await?);

    // An exam of every question the page may offer: more than either bank holds.
    start_exam(browser, ON_PAGE).await?;
    let exam = browser
        .eval(
            "const banks = window.trellisPracticeBanks || {};
             return {
               shown: [...document.querySelectorAll('fieldset.quiz-question')].filter(f => !f.hidden).map(f => f.id),
               banks: Object.keys(banks).sort(),
               bankIds: [].concat(...Object.values(banks).map(b => b.questions.map(q => q.id))),
               focus: document.activeElement && document.activeElement.id,
               title: document.querySelector('#practice-form-title').innerText,
               notes: window.__notes,
               scripts: document.querySelectorAll('script[src*=bank-]').length,
             }",
            vec![],
        )
        .await?;
    let shown: Vec<String> = serde_json::from_value(exam["shown"].clone())?;
    let bank_ids: BTreeSet<String> = serde_json::from_value(exam["bankIds"].clone())?;
    if exam["banks"] != json!(["bank-1.js", "bank-2.js"]) {
        problems.push(format!(
            "an exam of {ON_PAGE} needs both bank files; loaded: {}",
            exam["banks"]
        ));
    }
    if bank_ids.len() != total {
        problems.push(format!(
            "the bank files hold {} questions, not {total}",
            bank_ids.len()
        ));
    }
    if shown.len() != ON_PAGE || shown.iter().collect::<BTreeSet<_>>().len() != ON_PAGE {
        problems.push(format!(
            "the exam shows {} questions (unique), not {ON_PAGE}",
            shown.len()
        ));
    }
    let outside: Vec<&String> = shown.iter().filter(|id| !bank_ids.contains(*id)).collect();
    if !outside.is_empty() {
        problems.push(format!(
            "questions not drawn from the bank files: {outside:?}"
        ));
    }
    let built: Vec<&String> = shown.iter().filter(|id| !on_page.contains(*id)).collect();
    if built.is_empty() {
        problems.push("every question came from the page; none was built from a bank file".into());
    }
    if exam["focus"] != "practice-form-title"
        || exam["title"] != format!("Your practice exam: {ON_PAGE} questions")
    {
        problems.push(format!(
            "focus should go to the exam's heading: {exam:.300}"
        ));
    }
    let notes = exam["notes"].to_string();
    if !notes.contains("Loading questions from the whole handbook") {
        problems.push(format!(
            "the loading is not announced in the set-up form's status: {notes}"
        ));
    }
    if exam["scripts"] != 0 {
        problems.push("the bank <script> elements stay in the page".into());
    }
    problems.extend(axe_problems(browser, "with the exam shown").await?);

    // A built question looks like the page's own (quiz_question.html) and is marked right.
    let Some(id) = built_single(browser, &built).await? else {
        problems.push(format!(
            "no `single` question among the built ones: {built:?}"
        ));
        return Ok(problems);
    };
    let shape = browser
        .eval(
            "const f = document.getElementById(arguments[0]);
             return {
               describedby: f.getAttribute('aria-describedby'),
               hint: document.getElementById(f.getAttribute('aria-describedby')).innerText,
               legend: f.querySelector('legend').innerHTML,
               labels: [...f.querySelectorAll('input[type=radio]')].every(i => i.name === f.id && document.querySelector('label[for=\"' + i.id + '\"]')),
               details: f.querySelector('details.quiz-answer').hidden,
               source: f.querySelector('.quiz-source a').getAttribute('href'),
               review: f.querySelector('.quiz-review a').getAttribute('href'),
             }",
            vec![json!(id)],
        )
        .await?;
    let legend = shape["legend"].as_str().unwrap_or("");
    if shape["hint"] != "Choose one answer."
        || !legend.contains("<em>which</em> &lt;b&gt;one&lt;/b&gt; &amp; why?")
        || shape["labels"] != true
        || shape["details"] != true
        || !shape["source"]
            .as_str()
            .unwrap_or("")
            .ends_with("/index.html")
        || !shape["review"]
            .as_str()
            .unwrap_or("")
            .ends_with("/index.html#key-idea")
    {
        problems.push(format!(
            "the built question {id} is not shaped like the page's: {shape}"
        ));
    }
    let result = answer_right_and_check(browser, &id).await?;
    if !result.contains("Correct.") || !result.contains("Because of topic") {
        problems.push(format!(
            "the built question {id} answered right says {result:?}"
        ));
    }
    let status = text_of(browser, ".quiz-status").await?;
    if !status.contains(&format!("You scored 1 out of {ON_PAGE}")) {
        problems.push(format!("the score after one right answer: {status:?}"));
    }
    let results = browser
        .eval(
            "return [...document.querySelectorAll('.practice-results tbody th a')].map(a => a.getAttribute('href'))",
            vec![],
        )
        .await?;
    let links: Vec<String> = serde_json::from_value(results)?;
    // One row for each quiz the exam drew a question from: a random draw
    // of 400 of the 453 questions misses a quiz's every question now and
    // then (about one exam in 300).
    let drawn: BTreeSet<&str> = shown.iter().filter_map(|id| id.split('-').next()).collect();
    if drawn.len() < practice_handbook::ARTICLES || links.len() != drawn.len() {
        problems.push(format!(
            "results by article should list the {} quizzes the exam of {ON_PAGE} drew on; it lists {}",
            drawn.len(),
            links.len()
        ));
    }
    for link in &links {
        if !link.starts_with("../") || !link.ends_with("/index.html") {
            problems.push(format!("a results link is not relative to a page: {link}"));
        }
    }
    // Every link now on the page (results, review and source links of the
    // built questions) leads to a page and heading that exist.
    let requests = browser.take_requests().await?;
    for problem in checks::page_problems(browser, output, origin, &requests).await? {
        if !in_page_now(browser, &problem).await? {
            problems.push(problem);
        }
    }
    if matches!(origin, Origin::Http(_)) {
        problems.extend(axe_problems(browser, "with the exam checked").await?);
        let shot = gate::target_dir()
            .join("screenshots")
            .join("fixture")
            .join("practice-bank-1280.png");
        browser
            .eval(
                "document.getElementById(arguments[0]).scrollIntoView(); return true",
                vec![json!(id)],
            )
            .await?;
        browser.screenshot(&shot).await?;
    }
    Ok(problems)
}

/// Whether `problem` is a link from the results to a question built in the
/// page: the link check reads the page's file, which does not have those.
async fn in_page_now(browser: &Browser, problem: &str) -> Result<bool> {
    let needle = "quizzes/practice/index.html has no element with id \"";
    let Some((_, rest)) = problem.split_once(needle) else {
        return Ok(false);
    };
    let id = rest.trim_end_matches('"');
    let found = browser
        .eval(
            "const f = document.getElementById(arguments[0]);
             return !!f && f.matches('fieldset.quiz-question:not([hidden])')",
            vec![json!(id)],
        )
        .await?;
    Ok(found == Value::Bool(true))
}

/// The first shown question built from a bank file whose kind is `single`.
async fn built_single(browser: &Browser, built: &[&String]) -> Result<Option<String>> {
    let id = browser
        .eval(
            "return arguments[0].find(id => document.getElementById(id).dataset.kind === 'single') || null",
            vec![json!(built)],
        )
        .await?;
    Ok(id.as_str().map(String::from))
}

/// The ids of the questions in the page.
async fn question_ids(browser: &Browser) -> Result<BTreeSet<String>> {
    let ids = browser
        .eval(
            "return [...document.querySelectorAll('fieldset.quiz-question')].map(f => f.id)",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(ids)?)
}

async fn fallback(browser: &Browser, url: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.open(url).await?;
    let on_page = question_ids(browser).await?;
    start_exam(browser, 10).await?;
    let exam = browser
        .eval(
            "return {
               shown: [...document.querySelectorAll('fieldset.quiz-question')].filter(f => !f.hidden).map(f => f.id),
               status: document.querySelector('.quiz-status').innerText,
               focus: document.activeElement && document.activeElement.id,
             }",
            vec![],
        )
        .await?;
    let shown: Vec<String> = serde_json::from_value(exam["shown"].clone())?;
    if shown.len() != 10 || shown.iter().any(|id| !on_page.contains(id)) {
        problems.push(format!(
            "the exam should be 10 of the page's questions: {shown:?}"
        ));
    }
    let status = exam["status"].as_str().unwrap_or("");
    if !status.contains("could not be loaded")
        || !status.contains(&format!("the {ON_PAGE} questions on this page"))
    {
        problems.push(format!("the fallback is not explained: {status:?}"));
    }
    if exam["focus"] != "practice-form-title" {
        problems.push(format!(
            "focus should go to the exam's heading: {}",
            exam["focus"]
        ));
    }
    for error in browser.page_errors().await? {
        if !(error.starts_with("failed to load <script>") && error.contains("bank-")) {
            problems.push(format!("page error: {error}"));
        }
    }
    problems.extend(axe_problems(browser, "after the fallback").await?);
    Ok(problems)
}
