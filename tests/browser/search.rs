//! Search in a real browser.
//!
//! - On the fixture, served over http and opened from `file://`: typing a
//!   word from an article's body into the search page lists that article
//!   (with the word marked and the count announced), the down arrow moves
//!   into the results and Enter opens the article; the search box in an
//!   article page's header leads to the same results; axe finds nothing
//!   wrong on the page with results, light or dark (a screenshot of the
//!   dark one lands in `target/screenshots/fixture/search-results-1280-dark.png`).
//! - On the fixture and the bundled handbook: `search.js` splits words,
//!   stems them and ranks results exactly as `trellis::search` does, shows
//!   the first ten in that order (each taken from the file under
//!   `search/docs/` that holds several documents), and loads exactly the
//!   files [`SearchIndex::payload`] names (so the payload figures in
//!   docs/performance.md are what a browser downloads), printed per query.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};
use trellis::render::search as site_search;
use trellis::search::{text, SearchIndex};
use trellis::site::{LoadOptions, Site as Handbook};

use super::chrome::{self, Browser, Result};
use super::gate;
use super::server::{self, StaticServer};
use super::site::{self, Site};

/// A word only in the body of the fixture's first article.
const BODY_WORD: &str = "emphasis";
/// That article's page.
const ARTICLE: &str = "first-part/an-article/index.html";
const SEARCH_PAGE: &str = "search/index.html";

/// The search page's state: the status line and the results shown.
const RESULTS: &str = r#"
  const status = document.getElementById('search-status');
  return {
    status: status ? status.textContent : null,
    results: Array.from(document.querySelectorAll('#search-results .search-title a')).map((a) => ({
      title: a.textContent,
      href: a.href,
    })),
    marks: Array.from(document.querySelectorAll('#search-results mark')).map((m) => m.textContent),
    focused: document.activeElement ? (document.activeElement.id || document.activeElement.textContent) : null,
    url: location.href,
  };
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_an_article_by_a_word_from_its_body_served_and_from_file() {
    let test = "search_finds_an_article_by_a_word_from_its_body_served_and_from_file";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let site = site::fixture().as_ref().unwrap_or_else(|e| panic!("{e}"));
    chrome::expect_no_problems(
        &tools,
        "search",
        &format!("search in Chromium ({})", site.output.display()),
        async |browser| find_checks(browser, site).await,
    )
    .await;
}

async fn state(browser: &Browser) -> Result<Value> {
    browser.eval(RESULTS, vec![]).await
}

/// Waits until `done` holds for the page state (at most 10 s); the last state.
async fn wait_for(browser: &Browser, done: impl Fn(&Value) -> bool) -> Result<Value> {
    let started = Instant::now();
    loop {
        let s = state(browser).await?;
        if done(&s) || started.elapsed() > Duration::from_secs(10) {
            return Ok(s);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn has_result(s: &Value, href: &str) -> bool {
    s["results"]
        .as_array()
        .is_some_and(|r| r.iter().any(|l| l["href"] == href))
}

async fn find_checks(browser: &Browser, site: &Site) -> Result<Vec<String>> {
    let server = StaticServer::start(&site.output);
    let mut problems = Vec::new();
    browser.set_viewport(1280, 800).await?;
    let ways = [
        ("over http", server.url(SEARCH_PAGE), server.url(ARTICLE)),
        (
            "from file://",
            server::file_url(&site.output.join(SEARCH_PAGE)),
            server::file_url(&site.output.join(ARTICLE)),
        ),
    ];
    for (how, page, article) in &ways {
        // Typing on the search page.
        browser.open(page).await?;
        let input = browser.client.find(Locator::Id("search-q")).await?;
        input.send_keys(BODY_WORD).await?;
        let s = wait_for(browser, |s| has_result(s, article)).await?;
        if !has_result(&s, article) {
            problems.push(format!(
                "{how}: typing {BODY_WORD:?} on the search page does not list {article}: {s}"
            ));
            continue;
        }
        let status = s["status"].as_str().unwrap_or("");
        if !status.starts_with("1 result for") {
            problems.push(format!(
                "{how}: the status should announce one result; it says {status:?}"
            ));
        }
        if !s["marks"]
            .as_array()
            .is_some_and(|m| m.iter().any(|w| w.as_str() == Some(BODY_WORD)))
        {
            problems.push(format!(
                "{how}: {BODY_WORD:?} is not marked in the snippet: {s}"
            ));
        }
        if how.starts_with("over") {
            for v in browser.axe().await? {
                problems.push(format!("{how}: the search page with results: {v}"));
            }
            // The marked words in the dark colour scheme too.
            browser.set_dark(true).await?;
            browser.open(&format!("{page}?q={BODY_WORD}")).await?;
            let dark = wait_for(browser, |s| has_result(s, article)).await?;
            if !has_result(&dark, article) {
                problems.push(format!("{how}: ?q={BODY_WORD} shows no results: {dark}"));
            }
            let shot = gate::target_dir()
                .join("screenshots")
                .join(site.name)
                .join("search-results-1280-dark.png");
            browser.screenshot(&shot).await?;
            for v in browser.axe().await? {
                problems.push(format!("{how}: the search page with results, dark: {v}"));
            }
            browser.set_dark(false).await?;
            browser.open(page).await?;
            let input = browser.client.find(Locator::Id("search-q")).await?;
            input.send_keys(BODY_WORD).await?;
            wait_for(browser, |s| has_result(s, article)).await?;
        }
        // Keyboard: down arrow into the results, Enter opens the article.
        browser.press(Key::Down).await?;
        let s = state(browser).await?;
        if s["focused"] != "An article" {
            problems.push(format!(
                "{how}: the down arrow in the search box should focus the first result; focus is on {}",
                s["focused"]
            ));
        } else {
            browser.press(Key::Enter).await?;
            let s = wait_for(browser, |s| s["url"] == article.as_str()).await?;
            if s["url"] != article.as_str() {
                problems.push(format!(
                    "{how}: Enter on the first result went to {}",
                    s["url"]
                ));
            }
        }
        for e in browser.page_errors().await? {
            problems.push(format!("{how}: page error: {e}"));
        }

        // The header's search box on an article page.
        browser.open(article).await?;
        let input = browser.client.find(Locator::Id("header-search-q")).await?;
        input.send_keys(BODY_WORD).await?;
        browser.press(Key::Enter).await?;
        let expected = format!("{page}?q={BODY_WORD}");
        let s = wait_for(browser, |s| {
            s["url"] == expected.as_str() && has_result(s, article)
        })
        .await?;
        if s["url"] != expected.as_str() || !has_result(&s, article) {
            problems.push(format!(
                "{how}: the header search box should lead to {expected} listing {article}; got {s}"
            ));
        }
        for e in browser.page_errors().await? {
            problems.push(format!("{how}: page error: {e}"));
        }
    }
    Ok(problems)
}

/// Queries checked and measured on each site.
const FIXTURE_QUERIES: &[&str] = &["emphasis", "footnotes repa", "nested article", "the", "zzz"];
const HANDBOOK_QUERIES: &[&str] = &[
    "trust",
    "rupture repair",
    "confidentiality",
    "therapist sessions",
    "anx",
    "what if I don't trust my therapist?",
];

/// Words whose splitting or stemming is easy to get wrong.
const TRICKY: &str = "Client’s don't 'quoted' self-harm e.g. café NAÏVE ΣΟΦΙΑ 988 b12 \
    trusts trusted trusting therapies worried worrying hoping stopped running adding agreed \
    seeing trustee classes status crisis anxious bring things x2 ABC123 naïvely";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_page_splits_stems_ranks_and_loads_like_the_index() {
    let test = "the_search_page_splits_stems_ranks_and_loads_like_the_index";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let mut sites: Vec<(&Site, &Path, &[&str])> = Vec::new();
    let fixture = site::fixture().as_ref().unwrap_or_else(|e| panic!("{e}"));
    let fixture_root = gate::repo_root().join("tests/fixtures/basic");
    sites.push((fixture, &fixture_root, FIXTURE_QUERIES));
    match site::handbook() {
        Err(e) => panic!("{e}"),
        Ok(None) => gate::say(&format!(
            "{test}: no bundled handbook yet; the fixture only"
        )),
        Ok(Some(handbook)) => sites.push((handbook, gate::repo_root(), HANDBOOK_QUERIES)),
    }
    chrome::expect_no_problems(
        &tools,
        "search-parity",
        "search.js against trellis::search",
        async |browser| {
            let mut problems = Vec::new();
            for (site, root, queries) in sites {
                let found = parity_checks(browser, site, root, queries).await;
                problems.extend(found.map_err(|e| format!("{}: {e}", site.name))?);
            }
            Ok(problems)
        },
    )
    .await;
}

async fn parity_checks(
    browser: &Browser,
    site: &Site,
    root: &Path,
    queries: &[&str],
) -> Result<Vec<String>> {
    let loaded = Handbook::load(&LoadOptions {
        root: root.to_path_buf(),
        drafts: false,
        ..Default::default()
    })
    .map_err(|d| format!("loading {}: {} problem(s)", root.display(), d.0.len()))?;
    let index: SearchIndex = site_search::index(&loaded);
    let name = site.name;
    let server = StaticServer::start(&site.output);
    let mut problems = Vec::new();
    browser.open(&server.url(SEARCH_PAGE)).await?;
    browser
        .eval("return window.trellisSearch.query('')", vec![])
        .await?;

    // Words and stems, over every document's text.
    let mut corpus = String::from(TRICKY);
    for d in index.docs() {
        for part in [&d.title, &d.summary, &d.body] {
            corpus.push(' ');
            corpus.push_str(part);
        }
    }
    let rust_words: Vec<String> = text::words(&corpus).collect();
    let js_words: Vec<String> = serde_json::from_value(
        browser
            .eval(
                "return window.trellisSearch.words(arguments[0])",
                vec![json!(corpus)],
            )
            .await?,
    )?;
    if js_words != rust_words {
        let at = rust_words.iter().zip(&js_words).position(|(a, b)| a != b);
        problems.push(format!(
            "{name}: words differ ({} in Rust, {} in search.js), first at {at:?}: {:?} vs {:?}",
            rust_words.len(),
            js_words.len(),
            at.map(|i| &rust_words[i]),
            at.map(|i| &js_words[i])
        ));
    }
    let unique: Vec<String> = rust_words
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let js_stems: Vec<String> = serde_json::from_value(
        browser
            .eval(
                "return arguments[0].map((w) => window.trellisSearch.stem(w))",
                vec![json!(unique)],
            )
            .await?,
    )?;
    for (word, js) in unique.iter().zip(&js_stems) {
        let rust = text::stem(word);
        if rust != js.as_str() {
            problems.push(format!(
                "{name}: stem({word:?}) is {rust:?} in Rust, {js:?} in search.js"
            ));
        }
    }

    // Ranking, and the files a query loads.
    let mut report = Vec::new();
    for q in queries {
        let js = browser
            .eval(
                "return window.trellisSearch.query(arguments[0]).then((r) => r.hits)",
                vec![json!(q)],
            )
            .await?;
        let js: Vec<(u64, u64, u64)> = js
            .as_array()
            .map(|hits| {
                hits.iter()
                    .map(|h| {
                        (
                            h["doc"].as_u64().unwrap_or(u64::MAX),
                            h["matched"].as_u64().unwrap_or(0),
                            h["score"].as_u64().unwrap_or(0),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let rust: Vec<(u64, u64, u64)> = index
            .query(q)
            .hits
            .iter()
            .map(|h| (u64::from(h.doc), u64::from(h.matched), h.score))
            .collect();
        if js != rust {
            problems.push(format!(
                "{name}: {q:?} ranks differently: search.js {:?}…, Rust {:?}…",
                &js[..js.len().min(5)],
                &rust[..rust.len().min(5)]
            ));
        }

        // A fresh page for the query: what it loads is the payload.
        let url = format!("{}?q={}", server.url(SEARCH_PAGE), url_encode(q));
        browser.open(&url).await?;
        let s = wait_for(browser, |s| {
            s["status"].as_str().is_some_and(|t| !t.is_empty())
        })
        .await?;
        let shown: Vec<&str> = s["results"]
            .as_array()
            .map(|r| r.iter().filter_map(|l| l["href"].as_str()).collect())
            .unwrap_or_default();
        let expected_shown: Vec<String> = rust
            .iter()
            .take(10)
            .map(|&(doc, _, _)| server.url(&index.docs()[doc as usize].url))
            .collect();
        if shown != expected_shown {
            problems.push(format!(
                "{name}: {q:?} shows {shown:?}, not the first results of the index {expected_shown:?}"
            ));
        }
        let loaded: BTreeSet<String> = serde_json::from_value(
            browser
                .eval("return window.trellisSearch.loaded.slice()", vec![])
                .await?,
        )?;
        let expected: BTreeSet<String> = index.payload(q, 10).into_iter().collect();
        if loaded != expected {
            problems.push(format!(
                "{name}: {q:?} loaded {loaded:?}, but SearchIndex::payload names {expected:?}"
            ));
        }
        let bytes: u64 = loaded
            .iter()
            .map(|p| std::fs::metadata(site.output.join("search").join(p)).map_or(0, |m| m.len()))
            .sum();
        report.push(format!(
            "{q:?}: {} results, {} files, {:.1} kB",
            rust.len(),
            loaded.len(),
            bytes as f64 / 1000.0
        ));
        for e in browser.page_errors().await? {
            problems.push(format!("{name}: {q:?}: page error: {e}"));
        }
    }
    gate::say(&format!(
        "{name}: search payload per query (meta.js, shards, first 10 results):\n  {}",
        report.join("\n  ")
    ));
    Ok(problems)
}

fn url_encode(q: &str) -> String {
    url::form_urlencoded::byte_serialize(q.as_bytes()).collect()
}
