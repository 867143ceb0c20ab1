//! Handbooks made by `trellis import` in Chromium and the Nu Html Checker:
//! the three small books of `tests/fixtures/import/`, and the public books
//! under `$TRELLIS_IMPORT_BOOKS` when it is set (`tests/support/import_books.rs`).
//! Every page type they have goes through the same checks as the fixture's
//! (axe-core at both sizes and in the dark scheme, links, requests, scripts,
//! the keyboard); page types they have no content for (quizzes, glossary,
//! crisis regions) are not made, so they are not asked for.

#[path = "../support/import_books.rs"]
mod import_books;

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use super::chrome::Browser;
use super::site::{self, Site};
use super::{gate, vnu};

/// Imports `source` (of `kind`) into a scratch folder and builds it.
fn import_and_build(name: &'static str, kind: &str, source: &Path) -> Result<Site, String> {
    let root = gate::scratch_dir(&format!("{name}-handbook"));
    let _ = std::fs::remove_dir_all(&root);
    let started = Instant::now();
    let run = Command::new(env!("CARGO_BIN_EXE_trellis"))
        .args(["import", kind])
        .arg(source)
        .arg("--output")
        .arg(&root)
        .output()
        .map_err(|e| format!("running trellis: {e}"))?;
    if !run.status.success() {
        return Err(format!(
            "`trellis import {kind} {}` failed:\n{}{}",
            source.display(),
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        ));
    }
    let imported = started.elapsed();
    let started = Instant::now();
    let output = site::build(name, &root)?;
    gate::say(&format!(
        "{name}: imported in {:.2} s, built in {:.2} s",
        imported.as_secs_f64(),
        started.elapsed().as_secs_f64()
    ));
    let (part, article) = site::find_article(&output)
        .ok_or_else(|| format!("{name}: {} has no part with an article", output.display()))?;
    Ok(Site {
        name,
        output,
        part,
        article,
        imported: true,
        print_parts: false,
        prefix: "",
    })
}

/// The imported sites: the fixtures, then the real books found.
fn sites() -> &'static Result<Vec<Site>, String> {
    static SITES: OnceLock<Result<Vec<Site>, String>> = OnceLock::new();
    SITES.get_or_init(|| {
        let mut sites = Vec::new();
        for (kind, folder) in import_books::FIXTURES {
            let source = gate::repo_root().join("tests/fixtures/import").join(folder);
            let name: &'static str = Box::leak(format!("import-{folder}").into_boxed_str());
            sites.push(import_and_build(name, kind, &source)?);
        }
        match import_books::real_books_root() {
            Err(why) => gate::say(&format!("imported books: only the fixtures; {why}")),
            Ok(root) => {
                for (kind, folder, what) in import_books::REAL_BOOKS {
                    let source = root.join(folder);
                    if !source.is_dir() {
                        gate::say(&format!(
                            "skipping {what}: {} is not there",
                            source.display()
                        ));
                        continue;
                    }
                    let name: &'static str = Box::leak(
                        format!("import-{}", folder.replace(['/', '+'], "-")).into_boxed_str(),
                    );
                    sites.push(import_and_build(name, kind, &source)?);
                }
            }
        }
        Ok(sites)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imported_books_work_in_chromium() {
    let test = "imported_books_work_in_chromium";
    let Some(tools) = gate::browser_tools(test) else {
        return;
    };
    let sites = sites().as_ref().unwrap_or_else(|e| panic!("{e}"));
    let mut report = Vec::new();
    for site in sites {
        let started = Instant::now();
        let browser = Browser::launch(&tools, site.name)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let result = super::check_site(&browser, site).await;
        browser.close().await;
        let problems =
            result.unwrap_or_else(|e| panic!("{}: the browser check broke: {e}", site.name));
        gate::say(&format!(
            "{}: {} problem(s) in Chromium, checked in {:.1} s",
            site.name,
            problems.len(),
            started.elapsed().as_secs_f64()
        ));
        report.extend(problems.into_iter().map(|p| format!("{}: {p}", site.name)));
    }
    assert!(
        report.is_empty(),
        "{} problem(s) in imported books:\n\n{}",
        report.len(),
        report.join("\n\n")
    );
}

#[test]
fn imported_books_are_valid_html() {
    let test = "imported_books_are_valid_html";
    let Some(tools) = gate::vnu_tools(test) else {
        return;
    };
    let sites = sites().as_ref().unwrap_or_else(|e| panic!("{e}"));
    let mut files = Vec::new();
    for site in sites {
        files.extend(vnu::html_files(&site.output));
    }
    let started = Instant::now();
    let errors = vnu::check(&tools, &files).unwrap_or_else(|e| panic!("{e}"));
    gate::say(&format!(
        "{test}: the Nu Html Checker read {} files of {} imported books in {:.1} s",
        files.len(),
        sites.len(),
        started.elapsed().as_secs_f64()
    ));
    let mut report = Vec::new();
    for site in sites {
        for error in errors.iter().filter(|e| e.file.starts_with(&site.output)) {
            report.push(format!("{}: {}", site.name, error.show(&site.output)));
        }
    }
    assert!(
        report.is_empty(),
        "the Nu Html Checker found {} error(s) in imported books:\n{}",
        report.len(),
        report.join("\n")
    );
}
