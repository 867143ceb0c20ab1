//! Browser tests: the built site in real headless Chromium.
//!
//! For every page type in [`PAGE_TYPES`], in the test fixture (in English,
//! and with `language: es` printed part by part), in the Arabic fixture (right to left) and in the handbook bundled at the repository root (and every page type they have in
//! handbooks made by `trellis import`, in [`imported`]):
//! - opened from a static server on 127.0.0.1 and from `file://`, the page
//!   requests nothing from another host, everything it loads exists, its
//!   links lead to pages (and anchors) that exist, and no script fails;
//! - axe-core finds no violation of WCAG 2.0/2.1/2.2 A and AA rules, at
//!   phone (390×844) and desktop (1280×800) sizes, and at desktop size in
//!   the dark colour scheme (`prefers-color-scheme: dark`);
//! - screenshots of each land in `target/screenshots/<site>/`
//!   (`<page>-<width>.png`, `<page>-<width>-dark.png`);
//! - the Nu Html Checker finds no error in any generated HTML file.
//!
//! The article page is also used from the keyboard: the first Tab stop is a
//! skip link into `<main>`, and every Tab stop shows a focus indicator.
//! Printing a quiz page and the worksheets is checked with print media
//! emulated ([`worksheets`]). The order of quiz choices is checked without
//! JavaScript and over two attempts with it ([`answer_order`]); the crisis
//! banner's region, guessed from the time zone, in [`crisis`].
//!
//! A page's requests are read from Chromium's DevTools network log (through
//! ChromeDriver's performance log), so each is tied to the page that made
//! it. Chromium also sends every request for another host to a proxy inside
//! the test that records and refuses it, so nothing leaves the machine.
//! `harness_catches_what_it_should` proves on hand-made pages that all of
//! this catches what it should.
//!
//! `TRELLIS_BROWSER_TESTS=required` makes missing tools (Chromium,
//! ChromeDriver, `npm ci`'s node_modules, Java) a failure; unset, these
//! tests say why they skip. `.ci/run` installs everything.

#[path = "browser/answer_order.rs"]
mod answer_order;
#[path = "browser/checks.rs"]
mod checks;
#[path = "browser/chrome.rs"]
mod chrome;
#[path = "browser/crisis.rs"]
mod crisis;
#[path = "browser/gate.rs"]
mod gate;
#[path = "browser/glossary.rs"]
mod glossary;
#[path = "browser/imported.rs"]
mod imported;
#[path = "browser/languages.rs"]
mod languages;
#[path = "browser/quiz.rs"]
mod quiz;
#[path = "browser/reader.rs"]
mod reader;
#[path = "browser/search.rs"]
mod search;
#[path = "browser/search_es.rs"]
mod search_es;
#[path = "browser/serve.rs"]
mod serve;
#[path = "browser/server.rs"]
mod server;
#[path = "browser/site.rs"]
mod site;
#[path = "browser/vnu.rs"]
mod vnu;
#[path = "browser/worksheets.rs"]
mod worksheets;

use std::path::{Path, PathBuf};
use std::time::Instant;

use checks::Origin;
use chrome::{Browser, Result, Violation};
use gate::BrowserTools;
use server::StaticServer;
use site::Site;

/// Every page type the site has: (name, path inside the output). `{part}` is
/// a part's slug path, `{article}` an article's (`part/article`). A new page
/// type joins every browser check and the HTML check by adding one line.
const PAGE_TYPES: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("part", "{part}/index.html"),
    ("article", "{article}/index.html"),
    ("404", "404.html"),
    ("glossary", "glossary/index.html"),
    ("flashcards", "glossary/flashcards/index.html"),
    ("search", "search/index.html"),
    ("quiz", "{article}/quiz/index.html"),
    ("quizzes", "quizzes/index.html"),
    ("practice", "quizzes/practice/index.html"),
    ("print", "print/index.html"),
    (PRINT_PART, "print/{part}/index.html"),
    ("worksheets", "print/quizzes/index.html"),
    (WORKSHEETS_PART, "print/quizzes/{part}/index.html"),
    ("help", "help/index.html"),
];

/// A part's own print page, which only a site printed part by part has
/// (its `print` page is then the list of parts).
const PRINT_PART: &str = "print part";

/// A part's own worksheets page, which a site printed part by part has
/// for each part with quizzes (its `worksheets` page then lists them).
const WORKSHEETS_PART: &str = "worksheets part";

/// The page types `site` has: [`PAGE_TYPES`], but a part's print and
/// worksheets pages only where the print view is split by part.
fn page_types(site: &Site) -> impl Iterator<Item = &'static (&'static str, &'static str)> + '_ {
    PAGE_TYPES
        .iter()
        .filter(|(name, _)| (*name != PRINT_PART && *name != WORKSHEETS_PART) || site.print_parts)
}

/// The page type used from the keyboard.
const KEYBOARD_PAGE: &str = "article";

/// Viewports: (name, width, height). Screenshots are `<page>-<width>.png`.
const SIZES: &[(&str, u32, u32)] = &[("desktop", 1280, 800), ("phone", 390, 844)];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixture_pages_work_in_chromium() {
    let test = "fixture_pages_work_in_chromium";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let site = site::fixture().as_ref().unwrap_or_else(|e| panic!("{e}"));
    check_site_or_panic(site, &tools).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundled_handbook_pages_work_in_chromium() {
    let test = "bundled_handbook_pages_work_in_chromium";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    match site::handbook() {
        Err(e) => panic!("{e}"),
        Ok(None) => gate::say(&format!(
            "skipping {test}: the repository has no handbook.yaml yet, so there is no bundled handbook to check"
        )),
        Ok(Some(site)) => check_site_or_panic(site, &tools).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn classic_theme_pages_work_in_chromium() {
    let test = "classic_theme_pages_work_in_chromium";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let site = site::classic().as_ref().unwrap_or_else(|e| panic!("{e}"));
    check_site_or_panic(site, &tools).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundled_handbook_spanish_pages_work_in_chromium() {
    let test = "bundled_handbook_spanish_pages_work_in_chromium";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    match site::handbook_spanish() {
        None => gate::say(&format!(
            "skipping {test}: the bundled handbook has no Spanish edition"
        )),
        Some(site) => check_site_or_panic(&site, &tools).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spanish_pages_work_in_chromium() {
    let test = "spanish_pages_work_in_chromium";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let site = site::spanish().as_ref().unwrap_or_else(|e| panic!("{e}"));
    check_site_or_panic(site, &tools).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arabic_pages_work_in_chromium_right_to_left() {
    let test = "arabic_pages_work_in_chromium_right_to_left";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let site = site::arabic().as_ref().unwrap_or_else(|e| panic!("{e}"));
    for (page_type, template) in page_types(site) {
        let path = site.output.join(site.page(template));
        let html = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("the {page_type} page {}: {e}", path.display()));
        assert!(
            html.contains(r#"<html lang="ar" dir="rtl">"#),
            "the {page_type} page {} is not marked Arabic, right to left",
            path.display()
        );
    }
    check_site_or_panic(site, &tools).await;
}

#[test]
fn every_generated_page_is_valid_html() {
    let test = "every_generated_page_is_valid_html";
    let Some(tools) = gate::vnu_tools(test) else {
        return;
    };
    // The checker's own check: a page with known errors and a clean one go
    // through the same single run.
    let selfcheck = gate::scratch_dir("vnu-selfcheck");
    let invalid = selfcheck.join("invalid.html");
    let valid = selfcheck.join("valid.html");
    std::fs::write(
        &invalid,
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8></head>\
         <body><p>Text<div>block in a paragraph</div><img src=x.png></body></html>",
    )
    .expect("write a page");
    std::fs::write(
        &valid,
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Fine</title></head>\
         <body><main><p>Fine.</p></main></body></html>",
    )
    .expect("write a page");

    let mut sites: Vec<&Site> = vec![site::fixture().as_ref().unwrap_or_else(|e| panic!("{e}"))];
    match site::handbook() {
        Err(e) => panic!("{e}"),
        Ok(None) => gate::say(&format!(
            "{test}: the repository has no handbook.yaml yet; checking the fixture only"
        )),
        Ok(Some(handbook)) => sites.push(handbook),
    }
    sites.push(site::classic().as_ref().unwrap_or_else(|e| panic!("{e}")));
    sites.push(site::spanish().as_ref().unwrap_or_else(|e| panic!("{e}")));
    sites.push(site::arabic().as_ref().unwrap_or_else(|e| panic!("{e}")));
    let mut files = vec![invalid.clone(), valid.clone()];
    let mut missing = Vec::new();
    for site in &sites {
        let found = vnu::html_files(&site.output);
        for (page_type, template) in page_types(site) {
            let path = site.output.join(site.page(template));
            if !found.contains(&path) {
                missing.push(format!(
                    "{}: the {page_type} page {} was not generated",
                    site.name,
                    path.display()
                ));
            }
        }
        files.extend(found);
    }

    let started = Instant::now();
    let errors = vnu::check(&tools, &files).unwrap_or_else(|e| panic!("{e}"));
    gate::say(&format!(
        "{test}: the Nu Html Checker read {} files in {:.1} s",
        files.len(),
        started.elapsed().as_secs_f64()
    ));
    let of = |file: &Path| errors.iter().filter(|e| e.file == file).count();
    assert!(
        of(&invalid) >= 2,
        "the Nu Html Checker should report the errors in {} (a <div> in a <p>, no <title>, \
         an <img> without alt); it reported: {errors:#?}",
        invalid.display()
    );
    assert_eq!(of(&valid), 0, "a valid page got errors: {errors:#?}");

    let mut report = missing;
    for site in &sites {
        for error in errors.iter().filter(|e| e.file.starts_with(&site.output)) {
            report.push(format!("{}: {}", site.name, error.show(&site.output)));
        }
    }
    assert!(
        report.is_empty(),
        "the Nu Html Checker found {} error(s) in generated pages:\n{}",
        report.len(),
        report.join("\n")
    );
}

/// The harness's own check: on hand-made pages it catches a request to
/// another host (and that request never leaves the machine), a broken link,
/// a folder link that breaks under `file://`, an axe violation and a page
/// without skip link or focus indicator, and stays quiet on a good page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harness_catches_what_it_should() {
    let Some(tools) = gate::browser_tools("harness_catches_what_it_should") else {
        return;
    };
    let dir = gate::scratch_dir("harness-pages");
    write_harness_pages(&dir);
    let browser = Browser::launch(&tools, "harness")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let result = harness_checks(&browser, &dir).await;
    browser.close().await;
    result.unwrap_or_else(|e| panic!("{e}"));
}

async fn harness_checks(browser: &Browser, dir: &Path) -> Result<()> {
    let server = StaticServer::start_without_csp(dir);
    let http = Origin::Http(url::Url::parse(&server.origin())?);

    // A page that reaches out to two other hosts, over http…
    browser.take_requests().await?;
    browser.open(&server.url("bad.html")).await?;
    let requests = browser.take_requests().await?;
    let problems = checks::page_problems(browser, dir, &http, &requests).await?;
    let all = problems.join("\n");
    for needle in [
        "requests https://example.com/x.js",
        "requests http://example.org/y.png",
        "link \"a missing page\" to",
        "has no element with id \"nowhere\"",
    ] {
        assert!(
            all.contains(needle),
            "over http the harness should report {needle:?}; it reported:\n{all}"
        );
    }
    assert!(
        !all.contains("folder"),
        "over http a link to a folder with index.html is fine; the harness reported:\n{all}"
    );
    // …and none of it left the machine: the proxy got those requests and
    // refused them, while the page's own files came straight from loopback.
    let proxied: Vec<(String, String)> = browser
        .proxy
        .take_log()
        .iter()
        .map(|r| {
            let host = server::proxied_host(&r.target);
            (host, format!("{} {} → {}", r.method, r.target, r.status))
        })
        .collect();
    for host in ["example.com", "example.org"] {
        assert!(
            proxied.iter().any(|(h, _)| h == host),
            "the recording proxy should have received (and refused) the request to {host}; it got {proxied:#?}"
        );
    }
    assert!(
        !proxied
            .iter()
            .any(|(h, _)| h == "127.0.0.1" || h == "localhost"),
        "requests to the local server went through the proxy: {proxied:#?}"
    );
    let served = server.take_log();
    assert!(
        served
            .iter()
            .any(|s| s.method == "GET" && s.target == "/local.css" && s.status == 200),
        "the local stylesheet should come from the static server directly; it served {served:#?}"
    );

    // Generated sites are served under `Content-Security-Policy: default-src 'self'`:
    // an inline script or style there is a problem.
    let strict = StaticServer::start(dir);
    browser.take_requests().await?;
    browser.open(&strict.url("inline.html")).await?;
    let requests = browser.take_requests().await?;
    let strict_origin = Origin::Http(url::Url::parse(&strict.origin())?);
    let all = checks::page_problems(browser, dir, &strict_origin, &requests)
        .await?
        .join("\n");
    for needle in ["CSP violation: script-src", "CSP violation: style-src"] {
        assert!(
            all.contains(needle),
            "under a strict CSP the harness should report {needle:?}; it reported:\n{all}"
        );
    }

    // …and from file://, where a link to a folder shows a folder listing.
    browser
        .open(&server::file_url(&dir.join("bad.html")))
        .await?;
    let requests = browser.take_requests().await?;
    let problems = checks::page_problems(browser, dir, &Origin::File, &requests).await?;
    let all = problems.join("\n");
    for needle in [
        "requests https://example.com/x.js",
        "link \"a folder\" to",
        "folder listing",
        "link \"a missing page\" to",
    ] {
        assert!(
            all.contains(needle),
            "from file:// the harness should report {needle:?}; it reported:\n{all}"
        );
    }

    // axe-core is injected and finds the image without alt text.
    let violations = browser.axe().await?;
    assert!(
        violations.iter().any(|v| v.rule == "image-alt"),
        "axe should report image-alt on bad.html; it reported: {violations:#?}"
    );

    // A page without skip link whose links hide their focus.
    let (_, keyboard) = checks::keyboard_problems(browser, &server.url("nofocus.html")).await?;
    let all = keyboard.join("\n");
    assert!(
        all.contains("not a skip link") && all.contains("shows no focus indicator"),
        "the keyboard check should report the missing skip link and focus indicator; it reported:\n{all}"
    );

    // A good page passes everything, both ways.
    for (origin, url) in [
        (http.clone(), server.url("good.html")),
        (Origin::File, server::file_url(&dir.join("good.html"))),
    ] {
        browser.take_requests().await?;
        browser.open(&url).await?;
        let requests = browser.take_requests().await?;
        let problems = checks::page_problems(browser, dir, &origin, &requests).await?;
        assert!(problems.is_empty(), "good.html ({url}): {problems:#?}");
        let violations = browser.axe().await?;
        assert!(violations.is_empty(), "good.html: {violations:#?}");
    }
    let (stops, keyboard) = checks::keyboard_problems(browser, &server.url("good.html")).await?;
    assert!(
        keyboard.is_empty(),
        "good.html from the keyboard: {keyboard:#?}"
    );
    assert_eq!(
        stops, 5,
        "good.html has five Tab stops (skip link, three links, a button)"
    );
    Ok(())
}

fn write_harness_pages(dir: &Path) {
    let page = |title: &str, head: &str, body: &str| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title}</title>{head}</head><body>{body}</body></html>\n"
        )
    };
    let files = [
        (
            "bad.html",
            page(
                "Bad",
                "<link rel=\"stylesheet\" href=\"local.css\">\
                 <script src=\"https://example.com/x.js\"></script>",
                "<main><h1>Bad</h1><img src=\"http://example.org/y.png\" alt=\"remote\">\
                 <img src=\"local.png\"><p><a href=\"sub/\">a folder</a> \
                 <a href=\"missing.html\">a missing page</a> \
                 <a href=\"good.html#nowhere\">a missing anchor</a></p></main>",
            ),
        ),
        (
            "good.html",
            page(
                "Good",
                "<link rel=\"stylesheet\" href=\"local.css\">",
                "<a class=\"skip\" href=\"#main\">Skip to content</a>\
                 <nav aria-label=\"Site\"><a href=\"sub/index.html\">Sub page</a></nav>\
                 <main id=\"main\" tabindex=\"-1\"><h1 id=\"top-heading\">Good</h1>\
                 <p><a href=\"good.html#top-heading\">This page</a> and \
                 <a href=\"https://example.com/\">an outside link</a>.</p>\
                 <button type=\"button\">A button</button></main>",
            ),
        ),
        (
            "nofocus.html",
            page(
                "No focus",
                "<style>a:focus, a:focus-visible { outline: none; }</style>",
                "<main><h1>No focus</h1><p><a href=\"good.html\">one</a> \
                 <a href=\"bad.html\">two</a></p></main>",
            ),
        ),
        (
            "sub/index.html",
            page("Sub", "", "<main><h1>Sub</h1></main>"),
        ),
        (
            "inline.html",
            page(
                "Inline",
                "<style>p { color: #111; }</style>",
                "<main><h1>Inline</h1><p>Text.</p><script>document.title = 'ran';</script></main>",
            ),
        ),
        (
            "local.css",
            "body { font-family: sans-serif; color: #111; background: #fff; }\n\
             .skip { position: absolute; left: -9999px; }\n\
             .skip:focus { left: 0.5rem; top: 0.5rem; }\n\
             a:focus-visible, button:focus-visible { outline: 3px solid #1a4d8f; outline-offset: 2px; }\n"
                .to_string(),
        ),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
        std::fs::write(path, text).expect("write a page");
    }
    // A real (1×1) PNG, so the image without alt loads and only lacks alt.
    std::fs::write(dir.join("local.png"), ONE_PIXEL_PNG).expect("write an image");
}

const ONE_PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

async fn check_site_or_panic(site: &Site, tools: &BrowserTools) {
    let started = Instant::now();
    let browser = Browser::launch(tools, site.name)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let result = check_site(&browser, site).await;
    browser.close().await;
    let report = result.unwrap_or_else(|e| panic!("{}: the browser check broke: {e}", site.name));
    gate::say(&format!(
        "{}: {} page types checked in Chromium in {:.1} s; screenshots in {}",
        site.name,
        page_types(site).count(),
        started.elapsed().as_secs_f64(),
        screenshot_dir(site).display()
    ));
    assert!(
        report.is_empty(),
        "{} problem(s) in the {} site ({}):\n\n{}",
        report.len(),
        site.name,
        site.output.display(),
        report.join("\n\n")
    );
}

fn screenshot_dir(site: &Site) -> PathBuf {
    gate::target_dir().join("screenshots").join(site.name)
}

/// Marks an axe run in the dark colour scheme (at the first size).
const DARK: u32 = 0;

/// Every check on every page type; the problems found, each naming its page.
async fn check_site(browser: &Browser, site: &Site) -> Result<Vec<String>> {
    let server = StaticServer::start(&site.output);
    let http = Origin::Http(url::Url::parse(&server.origin())?);
    let mut report = Vec::new();
    for (page_type, template) in page_types(site) {
        let path = site.page(template);
        let file = site.output.join(&path);
        if !file.is_file() {
            if !site.imported {
                report.push(format!("{page_type} ({path}): the page was not generated"));
            }
            continue;
        }

        // Over http, at each size: axe and a screenshot.
        let (_, width, height) = SIZES[0];
        browser.set_viewport(width, height).await?;
        browser.take_requests().await?;
        browser.open(&server.url(&path)).await?;
        let mut violations: Vec<(Violation, Vec<u32>)> = Vec::new();
        for (_, width, height) in SIZES {
            browser.set_viewport(*width, *height).await?;
            for violation in browser.axe().await? {
                match violations.iter_mut().find(|(v, _)| *v == violation) {
                    Some((_, widths)) => widths.push(*width),
                    None => violations.push((violation, vec![*width])),
                }
            }
            let shot = screenshot_dir(site).join(format!("{page_type}-{width}.png"));
            browser.screenshot(&shot).await?;
        }
        // The dark colour scheme (the theme follows prefers-color-scheme).
        browser.set_viewport(width, height).await?;
        browser.set_dark(true).await?;
        browser.open(&server.url(&path)).await?;
        for violation in browser.axe().await? {
            match violations.iter_mut().find(|(v, _)| *v == violation) {
                Some((_, seen)) => seen.push(DARK),
                None => violations.push((violation, vec![DARK])),
            }
        }
        let shot = screenshot_dir(site).join(format!("{page_type}-{width}-dark.png"));
        browser.screenshot(&shot).await?;
        browser.set_dark(false).await?;
        for (violation, seen) in violations {
            let seen: Vec<String> = seen
                .iter()
                .map(|w| match *w {
                    DARK => format!("{width} px in the dark colour scheme"),
                    w => format!("{w} px"),
                })
                .collect();
            report.push(format!(
                "{page_type} ({path}), at {}: {violation}",
                seen.join(" and ")
            ));
        }
        let requests = browser.take_requests().await?;
        for problem in checks::page_problems(browser, &site.output, &http, &requests).await? {
            report.push(format!("{page_type} ({path}), over http: {problem}"));
        }

        // From disk.
        browser.set_viewport(width, height).await?;
        browser.take_requests().await?;
        browser.open(&server::file_url(&file)).await?;
        let requests = browser.take_requests().await?;
        for problem in
            checks::page_problems(browser, &site.output, &Origin::File, &requests).await?
        {
            report.push(format!("{page_type} ({path}), from file://: {problem}"));
        }
        // Chromium's own background traffic also reaches the proxy; only the
        // pages' requests (above) are judged.
        browser.proxy.take_log();
    }

    if let Some((_, template)) = PAGE_TYPES.iter().find(|(name, _)| *name == KEYBOARD_PAGE) {
        let path = site.page(template);
        if site.output.join(&path).is_file() {
            browser.set_viewport(SIZES[0].1, SIZES[0].2).await?;
            let (stops, problems) = checks::keyboard_problems(browser, &server.url(&path)).await?;
            gate::say(&format!(
                "{}: pressed Tab through {stops} focus stops on the {KEYBOARD_PAGE} page",
                site.name
            ));
            for problem in problems {
                report.push(format!("{KEYBOARD_PAGE} ({path}), keyboard: {problem}"));
            }
        }
    }
    Ok(report)
}
