//! The crisis banner in a real browser, on the test fixture (whose
//! `handbook.yaml` lists regions for the US, the UK and Australia):
//!
//! - with the browser's time zone set to Sydney, the banner shows
//!   Australia's emergency number and line in place of the general links;
//! - in a time zone no region lists, with a language none lists, it keeps
//!   the general links; with British English preferred, it shows the UK's;
//! - with scripts off, the general links and the link to the help page show,
//!   and no region's line does;
//! - from every case, the help page is one link away and lists every region.

use serde_json::{json, Value};

use super::chrome::{Browser, Result};
use super::gate;
use super::site;

/// Which parts of the banner a reader sees: the general links, each
/// region's line, and the help link's target.
const BANNER: &str = "
  const b = document.querySelector('.crisis');
  const seen = e => !!e && !e.hidden && e.getClientRects().length > 0;
  return {
    general: seen(b.querySelector('.crisis-links')),
    regions: [...b.querySelectorAll('.crisis-region')].filter(seen).map(r => r.dataset.region),
    text: b.innerText,
    help: b.querySelector('.crisis-more').href,
  };";

async fn banner(browser: &Browser) -> Result<Value> {
    browser.eval(BANNER, vec![]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_banner_shows_the_readers_likely_region_first() {
    let test = "the_banner_shows_the_readers_likely_region_first";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    site::expect_no_problems_on_fixture_page(
        &tools,
        "crisis-region",
        "index.html",
        "the crisis banner's region",
        regions,
    )
    .await;
}

async fn regions(browser: &Browser, url: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    // Sydney: Australia's line in place of the general links.
    browser
        .cdp(
            "Emulation.setTimezoneOverride",
            json!({ "timezoneId": "Australia/Sydney" }),
        )
        .await?;
    browser.open(url).await?;
    let sydney = banner(browser).await?;
    if sydney["general"] != false || sydney["regions"] != json!(["australia"]) {
        problems.push(format!("in Sydney the banner shows {sydney}"));
    }
    if !sydney["text"]
        .as_str()
        .unwrap_or("")
        .contains("Australia: emergency 000")
    {
        problems.push(format!("in Sydney the banner reads {}", sydney["text"]));
    }
    // Tokyo, with Japanese preferred: no listed region, the general links stay.
    browser
        .cdp(
            "Emulation.setTimezoneOverride",
            json!({ "timezoneId": "Asia/Tokyo" }),
        )
        .await?;
    let agent = browser.eval("return navigator.userAgent", vec![]).await?;
    browser
        .cdp(
            "Emulation.setUserAgentOverride",
            json!({ "userAgent": agent, "acceptLanguage": "ja-JP" }),
        )
        .await?;
    browser.open(url).await?;
    let tokyo = banner(browser).await?;
    if tokyo["general"] != true || tokyo["regions"] != json!([]) {
        problems.push(format!("in Tokyo the banner shows {tokyo}"));
    }
    // Tokyo, with British English preferred: the language is the second guess.
    browser
        .cdp(
            "Emulation.setUserAgentOverride",
            json!({ "userAgent": agent, "acceptLanguage": "en-GB" }),
        )
        .await?;
    browser.open(url).await?;
    let british = banner(browser).await?;
    if british["general"] != false || british["regions"] != json!(["uk"]) {
        problems.push(format!("in Tokyo with en-GB the banner shows {british}"));
    }
    // Scripts off: the general links and the help link, no region.
    browser
        .cdp(
            "Emulation.setScriptExecutionDisabled",
            json!({ "value": true }),
        )
        .await?;
    browser
        .cdp(
            "Emulation.setTimezoneOverride",
            json!({ "timezoneId": "Australia/Sydney" }),
        )
        .await?;
    browser
        .client
        .goto(url)
        .await
        .map_err(|e| format!("opening {url}: {e}"))?;
    browser
        .cdp(
            "Emulation.setScriptExecutionDisabled",
            json!({ "value": false }),
        )
        .await?;
    let off = banner(browser).await?;
    if off["general"] != true || off["regions"] != json!([]) {
        problems.push(format!("without JavaScript the banner shows {off}"));
    }
    // The help page lists every region.
    let help = off["help"].as_str().unwrap_or("").to_string();
    browser.open(&help).await?;
    let listed = browser
        .eval(
            "return [...document.querySelectorAll('.help-region h2')].map(h => h.innerText)",
            vec![],
        )
        .await?;
    if listed != json!(["United States", "UK", "Australia", "Other countries"]) {
        problems.push(format!("the help page ({help}) lists {listed}"));
    }
    Ok(problems)
}
