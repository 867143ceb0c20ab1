//! The reader's side of the theme in a real browser:
//!
//! - the dark-mode toggle changes the colours, is announced as pressed, and
//!   the choice survives a reload (it is kept in localStorage);
//! - at phone width the contents start folded and open and close from the
//!   keyboard, and the current page is marked inside them;
//! - the print page holds every article, and the practice exam, printed,
//!   sends the reader to the worksheets;
//! - no page scrolls sideways at phone widths, and a crisis help line that
//!   fits on one line is not broken across two.

use fantoccini::key::Key;
use serde_json::{json, Value};

use super::chrome::{self, Browser, Result};
use super::gate;
use super::server::StaticServer;
use super::site;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dark_mode_choice_survives_a_reload() {
    let test = "the_dark_mode_choice_survives_a_reload";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    site::expect_no_problems_on_fixture_page(
        &tools,
        "reader-dark",
        "{article}/index.html",
        "dark mode",
        dark_mode,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contents_fold_at_phone_width_and_work_by_keyboard() {
    let test = "the_contents_fold_at_phone_width_and_work_by_keyboard";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    site::expect_no_problems_on_fixture_page(
        &tools,
        "reader-phone",
        "{article}/index.html",
        "contents at phone width",
        phone_contents,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_print_page_holds_every_article() {
    let test = "the_print_page_holds_every_article";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let Some(site) = site::handbook_or_skip(test) else {
        return;
    };
    let server = StaticServer::start(&site.output);
    chrome::expect_no_problems(&tools, "reader-print", "the print page", async |browser| {
        let mut problems = print_page(browser, &server).await?;
        problems.extend(practice_printed(browser, &server).await?);
        Ok(problems)
    })
    .await;
}

/// Every article the home page lists is a section of the print page, and
/// printing (the print media type) hides the site's navigation.
async fn print_page(browser: &Browser, server: &StaticServer) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.open(&server.url("index.html")).await?;
    let titles = browser
        .eval("return [...document.querySelectorAll('.part-card .entries a')].map(a => a.textContent.trim())", vec![])
        .await?;
    let titles: Vec<String> = serde_json::from_value(titles)?;
    if titles.len() < 12 {
        problems.push(format!(
            "the home page lists only {} articles",
            titles.len()
        ));
    }
    browser.open(&server.url("print/index.html")).await?;
    let sections = browser
        .eval("return [...document.querySelectorAll('section.print-article h2')].map(h => h.textContent.trim())", vec![])
        .await?;
    let sections: Vec<String> = serde_json::from_value(sections)?;
    for t in &titles {
        if !sections.contains(t) {
            problems.push(format!("the print page has no section for \"{t}\""));
        }
    }
    browser
        .cdp("Emulation.setEmulatedMedia", json!({"media": "print"}))
        .await?;
    let nav_shown =
        "return getComputedStyle(document.querySelector('.site-nav')).display !== 'none'";
    if browser.eval(nav_shown, vec![]).await? != Value::Bool(false) {
        problems.push("when printing, the site navigation should be hidden".to_string());
    }
    browser
        .cdp("Emulation.setEmulatedMedia", json!({"media": ""}))
        .await?;
    Ok(problems)
}

/// The practice exam, whose questions a script draws on screen, prints a
/// line that sends the reader to the worksheets, and shows it only then.
async fn practice_printed(browser: &Browser, server: &StaticServer) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser
        .open(&server.url("quizzes/practice/index.html"))
        .await?;
    let note = "const p = document.querySelector('.print-only'); \
                const a = p && p.querySelector('a'); \
                return p ? [getComputedStyle(p).display !== 'none', a ? a.href : ''] : [false, ''];";
    let on_screen: (bool, String) = serde_json::from_value(browser.eval(note, vec![]).await?)?;
    if on_screen.0 {
        problems.push("the practice exam's printing note shows on screen".to_string());
    }
    browser
        .cdp("Emulation.setEmulatedMedia", json!({"media": "print"}))
        .await?;
    let printed: (bool, String) = serde_json::from_value(browser.eval(note, vec![]).await?)?;
    if !printed.0 {
        problems.push("the practice exam prints nothing that says where the worksheets are".into());
    }
    if !printed.1.ends_with("/print/quizzes/") && !printed.1.ends_with("/print/quizzes/index.html")
    {
        problems.push(format!(
            "the practice exam's printing note links {:?}, not the worksheets",
            printed.1
        ));
    }
    browser
        .cdp("Emulation.setEmulatedMedia", json!({"media": ""}))
        .await?;
    Ok(problems)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fit_a_320_px_screen() {
    let test = "pages_fit_a_320_px_screen";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let site = site::fixture().as_ref().unwrap_or_else(|e| panic!("{e}"));
    let server = StaticServer::start(&site.output);
    let handbook = site::handbook_or_skip(test);
    let handbook_server = handbook.map(|h| StaticServer::start(&h.output));
    chrome::expect_no_problems(&tools, "reader-320", "at 320 px wide", async |browser| {
        let mut problems = narrow(browser, &server, site).await?;
        if let (Some(h), Some(server)) = (handbook, &handbook_server) {
            problems.extend(phone_widths(browser, server, h).await?);
        }
        Ok(problems)
    })
    .await;
}

/// The crisis banner's help lines that would fit on one line of the banner
/// but take more: a phone number broken across lines is hard to read.
const SPLIT_HELP_LINES: &str = "
    const box = document.querySelector('.crisis p');
    const room = box.clientWidth - parseFloat(getComputedStyle(box).paddingLeft) - parseFloat(getComputedStyle(box).paddingRight);
    return [...document.querySelectorAll('.crisis .crisis-line')]
      .filter(el => el.offsetParent !== null)
      .filter(el => {
        const copy = el.cloneNode(true);
        copy.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
        box.appendChild(copy);
        const whole = copy.getBoundingClientRect().width;
        copy.remove();
        const lines = el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight);
        return whole <= room && lines > 1.5;
      })
      .map(el => el.textContent.trim());";

/// The bundled handbook's article page in each language at common phone
/// widths: its crisis lines (long, in Spanish) wrap rather than push the
/// page sideways.
async fn phone_widths(
    browser: &Browser,
    server: &StaticServer,
    site: &site::Site,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for width in [360, 390, 412, 428] {
        browser.set_viewport(width, 800).await?;
        for path in [
            site.page("{article}/index.html"),
            format!("es/{}", site.page("{article}/index.html")),
        ] {
            browser.open(&server.url(&path)).await?;
            if let Some((scroll, inner)) = sideways(browser).await? {
                problems.push(format!("{path} is {scroll} px wide in a {inner} px window"));
            }
            let split: Vec<String> =
                serde_json::from_value(browser.eval(SPLIT_HELP_LINES, vec![]).await?)?;
            for line in split {
                problems.push(format!(
                    "{path} at {width} px: the crisis line \"{line}\" fits on one line but is broken"
                ));
            }
        }
    }
    browser.set_viewport(1280, 800).await?;
    Ok(problems)
}

/// The open page's width and the window's, when the page is the wider:
/// it scrolls sideways.
async fn sideways(browser: &Browser) -> Result<Option<(u64, u64)>> {
    let widths = browser
        .eval(
            "return [document.documentElement.scrollWidth, window.innerWidth]",
            vec![],
        )
        .await?;
    let (scroll, inner): (u64, u64) = serde_json::from_value(widths)?;
    Ok((scroll > inner).then_some((scroll, inner)))
}

/// No page scrolls sideways on the narrowest common phone (WCAG 1.4.10 reflow).
async fn narrow(
    browser: &Browser,
    server: &StaticServer,
    site: &site::Site,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.set_viewport(320, 640).await?;
    for (name, path) in crate::page_types(site) {
        let url = server.url(&site.page(path));
        browser.open(&url).await?;
        if let Some((scroll, inner)) = sideways(browser).await? {
            problems.push(format!(
                "{name} ({path}) is {scroll} px wide in a {inner} px window"
            ));
        }
    }
    browser.set_viewport(1280, 800).await?;
    Ok(problems)
}

const BACKGROUND: &str = "return getComputedStyle(document.body).backgroundColor";

async fn dark_mode(browser: &Browser, url: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.set_dark(false).await?;
    browser.open(url).await?;
    browser
        .eval("localStorage.clear(); return true", vec![])
        .await?;
    browser.open(url).await?;
    let light = browser.eval(BACKGROUND, vec![]).await?;
    let pressed = "return document.querySelector('.theme-toggle').getAttribute('aria-pressed')";
    if browser.eval(pressed, vec![]).await? != json!("false") {
        problems.push("the toggle should start unpressed in light mode".to_string());
    }
    // Reach the toggle with Tab and press it with Enter, as a keyboard user would.
    tab_to(browser, ".theme-toggle").await?;
    browser.press(Key::Enter).await?;
    let dark = browser.eval(BACKGROUND, vec![]).await?;
    if dark == light {
        problems.push(format!(
            "the background stayed {light} after choosing dark mode"
        ));
    }
    if browser.eval(pressed, vec![]).await? != json!("true") {
        problems.push("the toggle should be announced as pressed in dark mode".to_string());
    }
    browser.open(url).await?;
    let after_reload = browser.eval(BACKGROUND, vec![]).await?;
    if after_reload != dark {
        problems.push(format!(
            "after a reload the background is {after_reload}, not the chosen dark {dark}"
        ));
    }
    // And back: the light choice is kept too, even when the system prefers dark.
    browser.set_dark(true).await?;
    tab_to(browser, ".theme-toggle").await?;
    browser.press(Key::Enter).await?;
    browser.open(url).await?;
    let chosen_light = browser.eval(BACKGROUND, vec![]).await?;
    if chosen_light != light {
        problems.push(format!(
            "choosing light under a dark system theme gave {chosen_light}, not {light}"
        ));
    }
    browser.set_dark(false).await?;
    Ok(problems)
}

async fn phone_contents(browser: &Browser, url: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    browser.set_viewport(390, 844).await?;
    browser.open(url).await?;
    let open = "return document.querySelector('.nav-details').open";
    if browser.eval(open, vec![]).await? != Value::Bool(false) {
        problems.push("at 390 px the contents should start folded".to_string());
    }
    tab_to(browser, ".nav-details > summary").await?;
    browser.press(Key::Enter).await?;
    if browser.eval(open, vec![]).await? != Value::Bool(true) {
        problems.push("Enter on \"Contents\" should unfold the contents".to_string());
    }
    let current = "const a = document.querySelector('.site-nav a[aria-current=\"page\"]'); \
                   return a ? a.getBoundingClientRect().height > 0 : false";
    if browser.eval(current, vec![]).await? != Value::Bool(true) {
        problems.push("the unfolded contents should show the current page, marked".to_string());
    }
    // The next Tab stop is a link inside the contents.
    browser.press(Key::Tab).await?;
    let inside = "return !!document.activeElement.closest('.site-nav')";
    if browser.eval(inside, vec![]).await? != Value::Bool(true) {
        problems.push("Tab after \"Contents\" should reach the links inside it".to_string());
    }
    tab_to(browser, ".nav-details > summary").await.ok();
    browser.press(Key::Enter).await?;
    if browser.eval(open, vec![]).await? != Value::Bool(false) {
        problems.push("Enter on \"Contents\" again should fold it".to_string());
    }
    browser.set_viewport(1280, 800).await?;
    Ok(problems)
}

/// Presses Tab (or Shift+Tab never: the page is short) until `css` has focus.
async fn tab_to(browser: &Browser, css: &str) -> Result<()> {
    let matches = "return !!document.activeElement && document.activeElement.matches(arguments[0])";
    for _ in 0..200 {
        if browser.eval(matches, vec![json!(css)]).await? == Value::Bool(true) {
            return Ok(());
        }
        browser.press(Key::Tab).await?;
    }
    Err(format!("Tab never reaches `{css}`").into())
}
