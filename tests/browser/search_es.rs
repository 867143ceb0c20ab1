//! Search in the bundled handbook's Spanish edition (`es/search/`), in a
//! real browser:
//!
//! - a reader finds a Spanish page whatever the accents and capitals typed:
//!   "confianza", "CONFIANZA", "Confíanza" and its start "confia" list the
//!   article "Por qué la confianza es lo más importante", "terapéutica", "terapeutica" and "TERAPEUTICA" the
//!   glossary term "Alianza terapéutica" (with the accented word marked),
//!   and "reparacion" the term "Reparación de la ruptura"; each query shows
//!   the Spanish index's first results in its order and loads exactly the
//!   files [`SearchIndex::payload`] names for it (under `es/search/`);
//! - the search page splits, folds and stems Spanish exactly as
//!   `trellis::search` does (Snowball's Spanish stemmer in `stem-es.js`
//!   against `rust-stemmers`), over every Spanish source of the handbook
//!   and the word list `tests/fixtures/stem-es.txt`;
//! - the English search page does not download the Spanish stemmer.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use trellis::pipeline::load;
use trellis::render::search as site_search;
use trellis::search::{text, Analyzer, SearchIndex};
use trellis::site::{LoadOptions, Site};

use super::chrome::{self, Browser, Result};
use super::gate;
use super::server::StaticServer;
use super::site;

/// Spanish words whose folding or stemming is easy to get wrong.
const TRICKY: &str = "Terapéutica TERAPÉUTICA terapeutica Confíanza confío confiar \
    pingüino averigüé niño AÑO acción acciones relación relaciones diciéndole \
    hablarle dárselo arguyendo creativamente felicidades posibilidad \
    te\u{301}rapia Sócrates qué porqué";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_spanish_edition_is_searched_with_spanish_rules() {
    let test = "the_spanish_edition_is_searched_with_spanish_rules";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let Some(handbook) = site::handbook_or_skip(test) else {
        return;
    };
    chrome::expect_no_problems(
        &tools,
        "search-es",
        "Spanish search in Chromium",
        async |browser| {
            let server = StaticServer::start(&handbook.output);
            let mut problems = finding(browser, &server).await?;
            problems.extend(parity(browser, &server).await?);
            Ok(problems)
        },
    )
    .await;
}

/// The results of the query `q` on the Spanish search page: each result's
/// title and the words marked in it.
async fn results(browser: &Browser, server: &StaticServer, q: &str) -> Result<Value> {
    let q: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    browser
        .open(&server.url(&format!("es/search/index.html?q={q}")))
        .await?;
    let started = Instant::now();
    loop {
        let s = browser
            .eval(
                r#"return {
                  status: document.getElementById('search-status').textContent,
                  titles: Array.from(document.querySelectorAll('#search-results .search-title a'))
                    .map((a) => a.textContent),
                  marks: Array.from(document.querySelectorAll('#search-results mark'))
                    .map((m) => m.textContent),
                  hrefs: Array.from(document.querySelectorAll('#search-results .search-title a'))
                    .map((a) => a.href),
                  loaded: window.trellisSearch.loaded.slice(),
                };"#,
                vec![],
            )
            .await?;
        if s["status"].as_str().is_some_and(|t| !t.is_empty())
            || started.elapsed() > Duration::from_secs(10)
        {
            return Ok(s);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The Spanish edition's search index, as `trellis build` writes it.
fn spanish_index() -> Result<SearchIndex> {
    let options = LoadOptions {
        root: gate::repo_root().to_path_buf(),
        drafts: false,
        ..Default::default()
    };
    let site = Site::load(&options).map_err(|d| format!("{} problem(s)", d.0.len()))?;
    let es = load::languages(&options, &site)
        .map_err(|d| format!("{} problem(s)", d.0.len()))?
        .into_iter()
        .find(|s| s.handbook.config.language == "es")
        .ok_or("the bundled handbook has no Spanish edition")?;
    Ok(site_search::index(&es))
}

async fn finding(browser: &Browser, server: &StaticServer) -> Result<Vec<String>> {
    let index = spanish_index()?;
    let mut problems = Vec::new();
    for (queries, title, marked) in [
        (
            // "confia": as the last word, also the words it begins.
            &["confianza", "CONFIANZA", "Confíanza", "confia"][..],
            "Por qué la confianza es lo más importante",
            "confianza",
        ),
        (
            &["terapéutica", "terapeutica", "TERAPEUTICA"][..],
            "Alianza terapéutica",
            "terapéutica",
        ),
        (
            &["reparacion"][..],
            "Reparación de la ruptura",
            "Reparación",
        ),
    ] {
        for q in queries {
            let s = results(browser, server, q).await?;
            let has = |key: &str, want: &str| {
                s[key]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|t| t.as_str() == Some(want)))
            };
            if !has("titles", title) {
                problems.push(format!("es: {q:?} does not list “{title}”: {s}"));
            } else if !has("marks", marked) {
                problems.push(format!("es: {q:?} does not mark “{marked}”: {s}"));
            }
            let hrefs: Vec<String> = serde_json::from_value(s["hrefs"].clone())?;
            let expected: Vec<String> = index
                .query(q)
                .hits
                .iter()
                .take(10)
                .map(|h| {
                    // As the browser gives a link's href: non-ASCII percent-encoded.
                    let url = server.url(&format!("es/{}", index.docs()[h.doc as usize].url));
                    url::Url::parse(&url).map_or(url, String::from)
                })
                .collect();
            if hrefs != expected {
                problems.push(format!(
                    "es: {q:?} shows {hrefs:?}, not the index's first results {expected:?}"
                ));
            }
            let loaded: BTreeSet<String> = serde_json::from_value(s["loaded"].clone())?;
            let payload: BTreeSet<String> = index.payload(q, 10).into_iter().collect();
            if loaded != payload {
                problems.push(format!(
                    "es: {q:?} loaded {loaded:?}, but SearchIndex::payload names {payload:?}"
                ));
            }
        }
    }
    for e in browser.page_errors().await? {
        problems.push(format!("es: page error: {e}"));
    }
    Ok(problems)
}

async fn parity(browser: &Browser, server: &StaticServer) -> Result<Vec<String>> {
    let root = gate::repo_root();
    let mut corpus = String::from(TRICKY);
    corpus.push(' ');
    corpus.push_str(&std::fs::read_to_string(
        root.join("tests/fixtures/stem-es.txt"),
    )?);
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let path = entry?.into_path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.contains(".es.") {
            corpus.push(' ');
            corpus.push_str(&std::fs::read_to_string(&path)?);
        }
    }
    let mut problems = Vec::new();
    browser.open(&server.url("es/search/index.html")).await?;
    browser
        .eval("return window.trellisSearch.query('')", vec![])
        .await?;
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
            "es: words differ ({} in Rust, {} in search.js), first at {at:?}: {:?} vs {:?}",
            rust_words.len(),
            js_words.len(),
            at.map(|i| &rust_words[i]),
            at.map(|i| &js_words[i])
        ));
    }
    let unique: Vec<String> = rust_words
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let js_terms: Vec<Option<String>> = serde_json::from_value(
        browser
            .eval(
                "return arguments[0].map((w) => window.trellisSearch.term(w))",
                vec![json!(unique)],
            )
            .await?,
    )?;
    if js_terms.len() != unique.len() {
        problems.push(format!(
            "es: {} terms from search.js for {} words",
            js_terms.len(),
            unique.len()
        ));
    }
    for (word, js) in unique.iter().zip(&js_terms) {
        let rust = Analyzer::Spanish.term(word);
        if &rust != js {
            problems.push(format!(
                "es: the term of {word:?} is {rust:?} in Rust, {js:?} in search.js"
            ));
        }
    }
    gate::say(&format!(
        "es: {} distinct Spanish words fold and stem alike in Rust and search.js",
        unique.len()
    ));

    // English pages have no use for the Spanish stemmer.
    browser
        .open(&server.url("search/index.html?q=trust"))
        .await?;
    browser
        .eval("return window.trellisSearch.query('trust')", vec![])
        .await?;
    let loaded = browser
        .eval(
            "return performance.getEntriesByType('resource').some((r) => r.name.endsWith('stem-es.js'))",
            vec![],
        )
        .await?;
    if loaded != json!(false) {
        problems.push(format!(
            "the English search page loaded stem-es.js ({loaded})"
        ));
    }
    Ok(problems)
}
