//! Translations beside their sources (`*.es.md`, `_index.es.md`,
//! `*.es.quiz.yaml`, `glossary.es.yaml`): which files are translations,
//! the errors for a language handbook.yaml does not declare and for a
//! translation without a source, and `check`'s `translation-outdated`
//! with the digest to record.

mod common;
#[path = "support/epub_book.rs"]
mod epub_book;

use std::fs;
use std::path::{Path, PathBuf};

use common::{build, check_json, copy_dir, fixture, read, temp_dir};

const ARTICLE: &str = "content/01-first-part/01-an-article.md";
const TRANSLATION: &str = "content/01-first-part/01-an-article.es.md";

/// The basic fixture, copied, with `extra` added to handbook.yaml and `files` written.
fn handbook(name: &str, extra: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = temp_dir(name);
    copy_dir(&fixture("basic"), &root);
    let config = root.join("handbook.yaml");
    fs::write(&config, format!("{}\n{extra}\n", read(&config))).unwrap();
    for (path, body) in files {
        fs::write(root.join(path), body).unwrap();
    }
    root
}

/// The basic fixture in English and Spanish, its article translated from
/// a source it records a digest of that is not the source's.
fn spanish_handbook(name: &str) -> PathBuf {
    handbook(
        name,
        "languages: { es: { title: Manual básico } }",
        &[(TRANSLATION, &translated("0000000000000000"))],
    )
}

fn translated(digest: &str) -> String {
    format!(
        "---\ntitle: Un artículo\nsummary: El primer artículo.\ntranslation: {{ source_digest: \"{digest}\" }}\n---\nUn párrafo.\n\n## Reparar {{#repair}}\n\nTexto.\n"
    )
}

/// `check`'s findings of one rule, as (file, line, message, help).
fn findings(root: &Path, rule: &str) -> Vec<(String, u64, String, String)> {
    let report = check_json(root);
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["check"] == rule)
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_string(),
                d["help"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The digest `check` asks a translation to record.
fn asked_digest(help: &str) -> String {
    help.split("source_digest: \"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no digest in {help}"))
        .to_string()
}

#[test]
fn check_gives_the_digest_to_record_and_flags_a_translation_once_its_source_changes() {
    let root = spanish_handbook("translation-digest");
    let outdated = findings(&root, "translation-outdated");
    assert_eq!(outdated.len(), 1, "{outdated:?}");
    let (file, line, message, help) = &outdated[0];
    assert_eq!(file, TRANSLATION);
    assert_eq!(*line, 4, "the source_digest line");
    assert!(
        message.contains("`01-an-article.md` has changed"),
        "{message}"
    );
    let digest = asked_digest(help);
    assert_eq!(digest.len(), 16);

    // Recorded, the warning goes; the source edited, it comes back with a new digest.
    fs::write(root.join(TRANSLATION), translated(&digest)).unwrap();
    assert!(findings(&root, "translation-outdated").is_empty());
    let source = root.join(ARTICLE);
    fs::write(
        &source,
        read(&source).replace("Intro paragraph", "An intro paragraph"),
    )
    .unwrap();
    let again = findings(&root, "translation-outdated");
    assert_eq!(again.len(), 1, "{again:?}");
    assert_ne!(asked_digest(&again[0].3), digest);

    // A new review date is no change to translate.
    fs::write(
        root.join(TRANSLATION),
        translated(&asked_digest(&again[0].3)),
    )
    .unwrap();
    fs::write(
        &source,
        read(&source).replace("reviewed: 2026-01-15", "reviewed: 2026-06-01"),
    )
    .unwrap();
    assert!(findings(&root, "translation-outdated").is_empty());

    // The translation is no page of its own, and glossary.es.yaml no asset.
    fs::write(root.join("content/glossary.es.yaml"), "[]\n").unwrap();
    let out = temp_dir("translation-digest-out");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!out.join("first-part/an-article-es").exists());
    assert!(!out.join("glossary.es.yaml").exists());
}

/// The build fails with exactly one error, at `file`, saying `says`.
fn fails_with(root: &Path, file: &str, says: &str, help: &str) {
    let out = temp_dir("translation-error-out");
    let run = build(root, &out, &[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with(&format!("{}:", root.join(file).display())),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains(says), "{}", errors[0]);
    assert!(run.stderr.contains(help), "{}", run.stderr);
    assert!(!out.exists(), "a failed build writes nothing");
}

#[test]
fn a_translation_into_an_undeclared_language_or_of_nothing_fails_the_build() {
    // A tag beside its source that handbook.yaml does not declare: a typo
    // of a declared one is named, another is to be declared.
    let br = TRANSLATION.replace(".es.", ".pt-br.");
    let root = handbook(
        "translation-typo",
        "languages: { pt-BR: {} }",
        &[(&br, &translated("x"))],
    );
    fails_with(
        &root,
        &br,
        "a language handbook.yaml does not declare",
        "did you mean `pt-BR`?",
    );
    let fr = TRANSLATION.replace(".es.", ".fr.");
    let root = handbook("translation-undeclared", "", &[(&fr, &translated("x"))]);
    fails_with(
        &root,
        &fr,
        "into `fr`, a language handbook.yaml does not declare",
        "`languages: { fr: {} }`",
    );

    // Declared, but its source is not there.
    let orphan = "content/01-first-part/09-gone.es.md";
    let root = handbook(
        "translation-orphan",
        "languages: { es: {} }",
        &[(orphan, &translated("x"))],
    );
    fails_with(
        &root,
        orphan,
        "translates `09-gone.md`, which does not exist",
        "name a translation after its source",
    );

    // Into the handbook's own language.
    let en = TRANSLATION.replace(".es.", ".en.");
    let root = handbook(
        "translation-own",
        "languages: { es: {} }",
        &[(&en, &translated("x"))],
    );
    fails_with(
        &root,
        &en,
        "the handbook's own language",
        "write the page in `01-an-article.md` itself",
    );
}

#[test]
fn names_that_only_look_like_translations_stay_articles() {
    // No source beside it and no declared language: `notes.v2.md` and
    // `intro.to.md` are articles of their own.
    let root = handbook(
        "translation-lookalike",
        "",
        &[
            (
                "content/01-first-part/notes.v2.md",
                "---\ntitle: Notes\nsummary: Notes.\n---\nText.\n",
            ),
            (
                "content/01-first-part/intro.to.md",
                "---\ntitle: Intro\nsummary: Intro.\n---\nText.\n",
            ),
        ],
    );
    let out = temp_dir("translation-lookalike-out");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let part = read(&out.join("first-part/index.html"));
    assert!(
        part.contains(">Notes</a>") && part.contains(">Intro</a>"),
        "{part}"
    );
}

#[test]
fn languages_must_be_tags_other_than_the_handbooks_own() {
    for (extra, says) in [
        (
            "languages: { Spanish: {} }",
            "`Spanish` is not a language tag",
        ),
        (
            "language: en\nlanguages: { en: {} }",
            "`en` is the handbook's own `language`",
        ),
    ] {
        let root = handbook("translation-tags", extra, &[]);
        let out = temp_dir("translation-tags-out");
        let run = build(&root, &out, &[]);
        assert_eq!(run.status, 1, "{extra}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{extra}: {}", run.stderr);
        assert!(run.stderr.contains("handbook.yaml:"), "{}", run.stderr);
    }
}

#[test]
fn a_drafts_translation_is_left_out_with_it() {
    let root = handbook(
        "translation-draft",
        "languages: { es: {} }",
        &[("content/01-first-part/03-draft.es.md", &translated("x"))],
    );
    let out = temp_dir("translation-draft-out");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(findings(&root, "translation-outdated").is_empty());
}

#[test]
fn each_further_language_is_a_site_under_its_tag_with_links_between_the_same_pages() {
    let root = handbook(
        "translation-site",
        "languages: { es: { title: Manual básico }, ar: {} }",
        &[(TRANSLATION, &translated("x"))],
    );
    let out = temp_dir("translation-site-out");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);

    let en = read(&out.join("first-part/an-article/index.html"));
    let es = read(&out.join("es/first-part/an-article/index.html"));
    assert!(
        es.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"),
        "{es}"
    );
    assert!(
        es.contains("<h1>Un artículo</h1>") && es.contains("Un párrafo."),
        "{es}"
    );
    assert!(es.contains(">Manual básico</a>"), "the language's title");
    // hreflang both ways, and the switcher leads to the same page.
    assert!(en.contains(r#"<link rel="alternate" hreflang="es" href="../../es/first-part/an-article/index.html">"#), "{en}");
    assert!(es.contains(r#"<link rel="alternate" hreflang="en" href="../../../first-part/an-article/index.html">"#), "{es}");
    assert!(es.contains(
        r#"<a href="../../../first-part/an-article/index.html" hreflang="en" lang="en">English</a>"#
    ));
    assert!(en.contains(r#"hreflang="es" lang="es">Español</a>"#));
    // One robots.txt, at the root where crawlers read it, naming every
    // language's sitemap.
    assert_eq!(
        read(&out.join("robots.txt")),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/basic/sitemap.xml\nSitemap: https://example.org/basic/ar/sitemap.xml\nSitemap: https://example.org/basic/es/sitemap.xml\n"
    );
    assert!(out.join("es/sitemap.xml").is_file() && !out.join("es/robots.txt").exists());
    // A page not yet translated: the source's text, marked with its language, under a notice.
    let second = read(&out.join("es/first-part/second/index.html"));
    assert!(
        second.contains(
            r#"<p class="untranslated-notice" role="note">Esta página aún no está traducida."#
        ),
        "{second}"
    );
    assert!(second.contains(r#"<article class="article" lang="en">"#));
    // The theme's own words in it stay Spanish.
    assert!(second.contains(r#"<p class="meta" lang="es">"#), "{second}");
    // On a right-to-left page, the English text runs left to right and the
    // theme's words around it right to left.
    let ar_second = read(&out.join("ar/first-part/second/index.html"));
    assert!(
        ar_second.contains(r#"<article class="article" lang="en" dir="ltr">"#),
        "{ar_second}"
    );
    assert!(
        ar_second.contains(r#"<p class="meta" lang="ar" dir="rtl">"#),
        "{ar_second}"
    );
    assert!(!es.contains("untranslated-notice"));
    // A quiz not yet translated: the same notice; its title and questions
    // marked English, the theme's words in them Spanish.
    let quiz = read(&out.join("es/quizzes/warm-up/index.html"));
    assert!(
        quiz.contains(
            r#"<p class="untranslated-notice" role="note">Esta página aún no está traducida."#
        ),
        "{quiz}"
    );
    assert!(quiz.contains(r#"<h1 lang="en">"#), "{quiz}");
    let questions = quiz.matches(r#"<fieldset class="quiz-question""#).count();
    assert!(questions > 0, "{quiz}");
    // Each fieldset ends `aria-describedby="…-hint" lang="en">`, each hint
    // paragraph `id="…-hint" lang="es">`.
    assert_eq!(
        quiz.matches(r#"-hint" lang="en">"#).count(),
        questions,
        "{quiz}"
    );
    assert_eq!(
        quiz.matches(r#"-hint" lang="es">"#).count(),
        questions,
        "{quiz}"
    );
    // On a right-to-left page, the English quiz runs left to right, and the
    // theme's words in it right to left, as an article's do.
    let ar_quiz = read(&out.join("ar/quizzes/warm-up/index.html"));
    assert!(ar_quiz.contains(r#"<h1 lang="en" dir="ltr">"#), "{ar_quiz}");
    assert_eq!(
        ar_quiz.matches(r#"-hint" lang="en" dir="ltr">"#).count(),
        questions,
        "{ar_quiz}"
    );
    assert_eq!(
        ar_quiz.matches(r#"-hint" lang="ar" dir="rtl">"#).count(),
        questions,
        "{ar_quiz}"
    );
    let en_quiz = read(&out.join("quizzes/warm-up/index.html"));
    assert!(!en_quiz.contains("untranslated-notice") && !en_quiz.contains(r#"-hint" lang="#));
    // Arabic, with no translations yet: every page, right to left.
    let ar = read(&out.join("ar/index.html"));
    assert!(
        ar.starts_with("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">"),
        "{ar}"
    );
    // Each language's scripts get its words.
    assert!(out.join("es/static/strings.es.js").is_file());
    // The sitemaps name every language's page, as the pages do.
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    let base = "https://example.org/basic/";
    for lang_base in [base.to_string(), format!("{base}es/"), format!("{base}ar/")] {
        let alternate = format!("href=\"{lang_base}first-part/an-article/\"/>");
        assert!(sitemap.contains(&alternate), "{alternate} in {sitemap}");
    }
    assert!(read(&out.join("es/sitemap.xml"))
        .contains(&format!("<loc>{base}es/first-part/an-article/</loc>")));
}

#[test]
fn a_mistake_in_a_translation_fails_the_build_at_the_translation() {
    let body = "---\ntitle: Un artículo\nsummary: Resumen.\n---\nVer [otro](no-existe.md).\n\n## Reparar {#repair}\n";
    let root = handbook(
        "translation-broken",
        "languages: { es: {} }",
        &[(TRANSLATION, body)],
    );
    fails_with(&root, TRANSLATION, "no-existe.md", "");
}

#[test]
fn check_reports_a_translations_mistakes_as_the_build_does() {
    let body = "---\ntitle: Un artículo\nsummary: Resumen.\n---\nVer [otro](no-existe.md).\n\n## Reparar {#repair}\n";
    let root = handbook(
        "translation-check",
        "languages: { es: {} }",
        &[(TRANSLATION, body)],
    );
    let report = check_json(&root);
    let errors: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["file"], TRANSLATION);
    assert_eq!(errors[0]["code"], "broken-link");
}

#[test]
fn check_lists_each_page_not_yet_translated_as_a_note() {
    let root = handbook(
        "translation-missing",
        "languages: { es: {} }",
        &[(TRANSLATION, &translated("x"))],
    );
    let report = check_json(&root);
    let notes: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "translation-missing")
        .collect();
    let files: Vec<&str> = notes.iter().filter_map(|d| d["file"].as_str()).collect();
    // Every article but the translated one, each once, as a note.
    assert!(
        files.contains(&"content/01-first-part/02-second.md"),
        "{files:?}"
    );
    assert!(!files.contains(&ARTICLE), "{files:?}");
    assert!(notes.iter().all(|d| d["severity"] == "note"));
    assert_eq!(report["summary"]["notes"], notes.len());
    assert!(report["ok"].as_bool().unwrap());
    assert_eq!(
        notes[0]["message"].as_str().unwrap(),
        "not yet translated into `es`"
    );
    // A note, not a warning: the text report counts them apart.
    let text = common::trellis(&["check", "--root", root.to_str().unwrap()], &root);
    assert!(
        text.stdout.contains(&format!("{} notes.", notes.len())),
        "{}",
        text.stdout
    );
    assert!(text
        .stdout
        .contains("note[translation-missing]: not yet translated into `es`"));
}

#[test]
fn a_translation_whose_source_changed_says_so_on_its_page() {
    let root = spanish_handbook("translation-outdated-page");
    let site = |name: &str| {
        let out = temp_dir(name);
        let run = build(&root, &out, &[]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        out
    };
    let page = |name: &str| read(&site(name).join("es/first-part/an-article/index.html"));
    let notice = r#"<p class="outdated-notice" role="note">La página original ha cambiado desde que se tradujo. <a href="../../../first-part/an-article/index.html" hreflang="en">La versión original</a> puede tener información más reciente.</p>"#;
    let out = site("translation-outdated-page-1");
    let outdated = read(&out.join("es/first-part/an-article/index.html"));
    assert!(outdated.contains(notice), "{outdated}");
    // Not on the original, nor on a page not yet translated.
    for other in [
        "first-part/an-article/index.html",
        "es/first-part/second/index.html",
    ] {
        let html = read(&out.join(other));
        assert!(!html.contains("outdated-notice"), "{other}: {html}");
    }

    // The digest `check` asks for recorded: the notice goes.
    let digest = asked_digest(&findings(&root, "translation-outdated")[0].3);
    fs::write(root.join(TRANSLATION), translated(&digest)).unwrap();
    let current = page("translation-outdated-page-2");
    assert!(!current.contains("outdated-notice"), "{current}");

    // One that records no digest says nothing: nothing tells.
    let unrecorded = translated("x").replace("translation: { source_digest: \"x\" }\n", "");
    fs::write(root.join(TRANSLATION), unrecorded).unwrap();
    let unknown = page("translation-outdated-page-3");
    assert!(
        unknown.contains("Un párrafo.") && !unknown.contains("outdated-notice"),
        "{unknown}"
    );

    // A part's translated intro the same, on the part's page.
    let intro_es = root.join("content/01-first-part/_index.es.md");
    let intro = |digest: &str| {
        format!("---\ntitle: La primera parte\ntranslation: {{ source_digest: \"{digest}\" }}\n---\nEsta parte tiene dos artículos.\n")
    };
    fs::write(&intro_es, intro("0000000000000000")).unwrap();
    let out = site("translation-outdated-part");
    let part = read(&out.join("es/first-part/index.html"));
    assert!(
        part.contains(r#"<p class="outdated-notice" role="note">La página original ha cambiado desde que se tradujo. <a href="../../first-part/index.html" hreflang="en">La versión original</a>"#),
        "{part}"
    );
    assert!(!read(&out.join("first-part/index.html")).contains("outdated-notice"));
    let flagged = findings(&root, "translation-outdated");
    let asked = flagged
        .iter()
        .find(|f| f.0.ends_with("_index.es.md"))
        .unwrap_or_else(|| panic!("check flags the intro: {flagged:?}"));
    fs::write(&intro_es, intro(&asked_digest(&asked.3))).unwrap();
    let out = site("translation-outdated-part-2");
    assert!(!read(&out.join("es/first-part/index.html")).contains("outdated-notice"));
}

#[test]
fn the_e_book_says_so_too_without_a_link() {
    let root = spanish_handbook("translation-outdated-book");
    let notice = r#"<p class="outdated-notice" role="note">El original de este capítulo ha cambiado desde que se tradujo. Puede tener información más reciente.</p>"#;
    let book = epub_book::export_in(&root, "translation-outdated-book-es", Some("es"));
    let files = epub_book::texts(&fs::read(&book).unwrap());
    let chapters: Vec<&String> = files
        .iter()
        .filter(|(name, _)| name.starts_with("EPUB/article-"))
        .map(|(_, text)| text)
        .collect();
    let translated = chapters
        .iter()
        .find(|t| t.contains(">Un artículo</h1>"))
        .expect("the translated chapter");
    assert!(translated.contains(notice), "{translated}");
    // Only there: not on the chapter not yet translated.
    let with_notice = chapters
        .iter()
        .filter(|t| t.contains("outdated-notice"))
        .count();
    assert_eq!(with_notice, 1);
}
