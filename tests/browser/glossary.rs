//! Glossary tooltips in a real browser (WCAG 1.4.13 and 4.1.2): on the
//! fixture's article page, a linked term's definition opens with the mouse
//! (and stays while the pointer moves onto it), with the keyboard (Tab to the
//! term; Escape closes it and focus stays), with a tap (which does not follow
//! the link), and is the term's accessible description in Chromium's
//! accessibility tree. The flashcards work from the keyboard and keep their
//! tally across a reload. A screenshot of the open tooltip lands in
//! `target/screenshots/fixture/article-tooltip-1280.png`.

use std::time::Duration;

use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};

use super::chrome::{Browser, Result};
use super::gate;
use super::site;

/// Longer than glossary.js's delay before a tooltip hides.
const HIDE_WAIT: Duration = Duration::from_millis(700);

/// The state of the first linked term and its tooltip.
const TIP_STATE: &str = r#"
  const link = document.querySelector('a.term[aria-describedby]');
  if (!link) return null;
  const id = link.getAttribute('aria-describedby');
  const tip = document.getElementById(id);
  if (!tip) return { id, missing: true };
  const r = tip.getBoundingClientRect();
  const style = getComputedStyle(tip);
  return {
    id,
    term: link.textContent,
    role: tip.getAttribute('role'),
    text: tip.textContent.trim(),
    hidden: tip.hidden,
    visible: !tip.hidden && style.display !== 'none' && style.visibility !== 'hidden' && r.width > 0 && r.height > 0,
    inViewport: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
    focused: document.activeElement === link,
    url: location.href,
  };
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn glossary_tooltips_open_with_mouse_keyboard_and_tap_and_reach_assistive_tech() {
    let test = "glossary_tooltips_open_with_mouse_keyboard_and_tap_and_reach_assistive_tech";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    site::expect_no_problems_on_fixture_page(
        &tools,
        "glossary",
        "{article}/index.html",
        "glossary tooltips",
        tooltip_checks,
    )
    .await;
}

async fn tip(browser: &Browser) -> Result<Value> {
    browser.eval(TIP_STATE, vec![]).await
}

async fn tooltip_checks(browser: &Browser, url: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.set_viewport(1280, 800).await?;
    browser.open(url).await?;
    let start = tip(browser).await?;
    if start.is_null() {
        return Ok(vec!["the article links no glossary term".into()]);
    }
    if start["missing"] == Value::Bool(true) {
        return Ok(vec![format!(
            "the term's aria-describedby names #{}, which is not on the page",
            start["id"]
        )]);
    }
    if start["role"] != "tooltip" {
        problems.push(format!(
            "#{} has role {}, not tooltip",
            start["id"], start["role"]
        ));
    }
    if start["visible"] == Value::Bool(true) {
        problems.push("the tooltip shows before anything happened".into());
    }
    let definition = start["text"].as_str().unwrap_or("").to_string();
    if definition.is_empty() {
        problems.push("the tooltip is empty".into());
    }

    // Assistive technology: the definition is the link's accessible description.
    let tree = browser
        .cdp("Accessibility.getFullAXTree", json!({}))
        .await?;
    let term = start["term"].as_str().unwrap_or("");
    let link = tree["nodes"].as_array().and_then(|nodes| {
        nodes
            .iter()
            .find(|n| n["role"]["value"] == "link" && n["name"]["value"].as_str() == Some(term))
    });
    match link {
        None => problems.push(format!("no link named {term:?} in the accessibility tree")),
        Some(node) => {
            let description = node["description"]["value"].as_str().unwrap_or("");
            if description.trim() != definition {
                problems.push(format!(
                    "the link {term:?} has the accessible description {description:?}, not its definition {definition:?}"
                ));
            }
        }
    }

    // Mouse: hover opens it; the pointer can move onto it; leaving both closes it.
    let link = browser
        .client
        .find(Locator::Css("a.term[aria-describedby]"))
        .await?;
    let tooltip = browser
        .client
        .find(Locator::Id(start["id"].as_str().unwrap_or("")))
        .await?;
    move_to(browser, Some(&link)).await?;
    let hovered = tip(browser).await?;
    if hovered["visible"] != Value::Bool(true) {
        problems.push(format!(
            "hovering the term does not show its definition: {hovered}"
        ));
    } else {
        let shot = gate::target_dir()
            .join("screenshots")
            .join("fixture")
            .join("article-tooltip-1280.png");
        browser.screenshot(&shot).await?;
        if hovered["inViewport"] != Value::Bool(true) {
            problems.push("the tooltip opened by hovering is not inside the viewport".into());
        }
        move_to(browser, Some(&tooltip)).await?;
        tokio::time::sleep(HIDE_WAIT).await;
        if tip(browser).await?["visible"] != Value::Bool(true) {
            problems.push(
                "moving the pointer from the term onto its tooltip closes it (not hoverable)"
                    .into(),
            );
        }
        move_to(browser, None).await?;
        tokio::time::sleep(HIDE_WAIT).await;
        if tip(browser).await?["visible"] == Value::Bool(true) {
            problems
                .push("the tooltip stays after the pointer left the term and the tooltip".into());
        }
        move_to(browser, Some(&link)).await?;
        browser.press(Key::Escape).await?;
        if tip(browser).await?["visible"] == Value::Bool(true) {
            problems.push("Escape does not close the tooltip opened by hovering".into());
        }
        move_to(browser, None).await?;
    }

    // Keyboard: Tab to the term opens it; Escape closes it and focus stays.
    browser.open(url).await?;
    let mut reached = false;
    for _ in 0..100 {
        browser.press(Key::Tab).await?;
        if tip(browser).await?["focused"] == Value::Bool(true) {
            reached = true;
            break;
        }
    }
    if !reached {
        problems.push("Tab never reaches the glossary term".into());
    } else {
        let focused = tip(browser).await?;
        if focused["visible"] != Value::Bool(true) {
            problems.push(format!(
                "focusing the term with Tab does not show its definition: {focused}"
            ));
        }
        tokio::time::sleep(HIDE_WAIT).await;
        if tip(browser).await?["visible"] != Value::Bool(true) {
            problems.push(
                "the tooltip opened by focus closes by itself while the term has focus".into(),
            );
        }
        browser.press(Key::Escape).await?;
        let after = tip(browser).await?;
        if after["visible"] == Value::Bool(true) {
            problems.push("Escape does not close the tooltip opened by focus".into());
        }
        if after["focused"] != Value::Bool(true) {
            problems.push("Escape moved focus away from the term".into());
        }
    }

    // Tap: the first tap shows the definition and stays on the page.
    browser.open(url).await?;
    let rect = browser
        .eval(
            "const r = document.querySelector('a.term[aria-describedby]').getBoundingClientRect();
             return [r.left + r.width / 2, r.top + r.height / 2];",
            vec![],
        )
        .await?;
    let (x, y) = (
        rect[0].as_f64().unwrap_or(0.0),
        rect[1].as_f64().unwrap_or(0.0),
    );
    browser
        .cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": true, "maxTouchPoints": 1 }),
        )
        .await?;
    for kind in ["touchStart", "touchEnd"] {
        let points = if kind == "touchEnd" {
            json!([])
        } else {
            json!([{ "x": x, "y": y }])
        };
        browser
            .cdp(
                "Input.dispatchTouchEvent",
                json!({ "type": kind, "touchPoints": points }),
            )
            .await?;
    }
    browser.settle().await?;
    let here = browser.eval("return location.href", vec![]).await?;
    let tapped = tip(browser).await?;
    if here.as_str() != Some(url) {
        problems.push(format!(
            "the first tap on the term followed the link to {here}"
        ));
    } else if tapped["visible"] != Value::Bool(true) {
        problems.push(format!(
            "tapping the term does not show its definition: {tapped}"
        ));
    }
    browser
        .cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": false }),
        )
        .await?;

    for error in browser.page_errors().await? {
        problems.push(format!("page error: {error}"));
    }
    Ok(problems)
}

/// Moves the mouse onto `element`'s centre, or to the page's top-left corner.
async fn move_to(browser: &Browser, element: Option<&fantoccini::elements::Element>) -> Result<()> {
    let action = match element {
        Some(element) => PointerAction::MoveToElement {
            element: element.clone(),
            duration: Some(Duration::from_millis(100)),
            x: 0.0,
            y: 0.0,
        },
        None => PointerAction::MoveTo {
            duration: Some(Duration::from_millis(100)),
            x: 1.0,
            y: 1.0,
        },
    };
    let actions = MouseActions::new("mouse".to_string()).then(action);
    browser.client.perform_actions(actions).await?;
    browser.settle().await?;
    Ok(())
}

/// The flashcards page state: card, definition shown, tally, saved tally.
const CARDS_STATE: &str = r#"
  const app = document.querySelector('.fc-app');
  const count = (k) => Number(app.querySelector('[data-fc-count="' + k + '"]').textContent);
  let saved = {};
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key.startsWith('trellis-flashcards:')) saved = JSON.parse(localStorage.getItem(key));
  }
  return {
    app: !app.hidden,
    list: !document.querySelector('.fc-list').hidden,
    term: app.querySelector('.fc-term').textContent,
    shown: !app.querySelector('.fc-definition').hidden,
    definition: app.querySelector('.fc-definition').textContent.trim(),
    known: count('known'),
    review: count('review'),
    saved: Object.keys(saved).length,
    focused: document.activeElement ? document.activeElement.textContent.trim() : null,
  };
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flashcards_work_from_the_keyboard_and_keep_the_tally() {
    let test = "flashcards_work_from_the_keyboard_and_keep_the_tally";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    site::expect_no_problems_on_fixture_page(
        &tools,
        "flashcards",
        "glossary/flashcards/index.html",
        "flashcards",
        flashcard_checks,
    )
    .await;
}

async fn flashcard_checks(browser: &Browser, url: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.set_viewport(1280, 800).await?;
    browser.open(url).await?;
    let state = browser.eval(CARDS_STATE, vec![]).await?;
    if state["app"] != Value::Bool(true) || state["list"] != Value::Bool(false) {
        return Ok(vec![format!(
            "the script did not replace the list with the cards: {state}"
        )]);
    }
    let first = state["term"].as_str().unwrap_or("").to_string();
    if first.is_empty() || state["shown"] == Value::Bool(true) {
        problems.push(format!("the first card should show a term only: {state}"));
    }
    // Tab to "Show definition", Enter turns the card over.
    let mut on_flip = false;
    for _ in 0..60 {
        browser.press(Key::Tab).await?;
        let s = browser.eval(CARDS_STATE, vec![]).await?;
        if s["focused"] == "Show definition" {
            on_flip = true;
            break;
        }
    }
    if !on_flip {
        return Ok(vec![
            "Tab never reaches the \"Show definition\" button".into()
        ]);
    }
    browser.press(Key::Enter).await?;
    let flipped = browser.eval(CARDS_STATE, vec![]).await?;
    if flipped["shown"] != Value::Bool(true) || flipped["definition"] == "" {
        problems.push(format!(
            "Enter on \"Show definition\" does not show the definition: {flipped}"
        ));
    }
    // Tab to "Knew it", Space marks it and moves on.
    browser.press(Key::Tab).await?;
    browser.press(Key::Space).await?;
    let marked = browser.eval(CARDS_STATE, vec![]).await?;
    if marked["known"] != 1 || marked["saved"] != 1 {
        problems.push(format!(
            "\"Knew it\" did not count and save the card: {marked}"
        ));
    }
    if marked["term"] == first.as_str() {
        problems.push("after \"Knew it\" the same card is still showing".into());
    }
    // The arrow keys move between cards.
    browser.press(Key::Left).await?;
    if browser.eval(CARDS_STATE, vec![]).await?["term"] != first.as_str() {
        problems.push("the left arrow key does not go back to the previous card".into());
    }
    // The tally survives a reload.
    browser.open(url).await?;
    let reloaded = browser.eval(CARDS_STATE, vec![]).await?;
    if reloaded["known"] != 1 {
        problems.push(format!(
            "the tally was not kept in localStorage: {reloaded}"
        ));
    }
    for error in browser.page_errors().await? {
        problems.push(format!("page error: {error}"));
    }
    Ok(problems)
}
