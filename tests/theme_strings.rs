//! The theme's words in the handbook's language (`themes/<name>/i18n/`,
//! the handbook's own `i18n/`): a Spanish handbook's pages show the bundled
//! theme's Spanish words and none of its English ones; a handbook may change
//! any string; a language the theme lacks falls back to English and `check`
//! says so; a key no page uses gets a "did you mean".

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{build, check_json, copy_dir, fixture, read, temp_dir};

/// The basic fixture, copied, with `language` set and optional files added.
fn handbook(name: &str, language: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let root = temp_dir(name);
    copy_dir(&fixture("basic"), &root);
    let config = root.join("handbook.yaml");
    let text = read(&config);
    fs::write(&config, format!("{text}\nlanguage: {language}\n")).unwrap();
    for (path, body) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, body).unwrap();
    }
    root
}

/// The bundled default theme's strings in one language.
fn bundled(language: &str) -> BTreeMap<String, String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("themes/default/i18n/{language}.yaml"));
    trellis::yaml::from_str(&read(&path), &path).expect("a map of strings")
}

/// The text of every HTML page of a built site, by path.
fn pages(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| (e.path().display().to_string(), read(e.path())))
        .collect()
}

/// The diagnostics of one check.
fn findings(report: &serde_json::Value, check: &str) -> Vec<serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["check"] == check)
        .cloned()
        .collect()
}

#[test]
fn a_spanish_handbook_shows_the_theme_in_spanish_and_none_of_its_english() {
    let root = handbook("strings-es", "es", &[]);
    let out = temp_dir("strings-es-out");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);

    let home = read(&out.join("index.html"));
    assert!(home.contains(r#"<html lang="es">"#));
    assert!(home.contains(">Ir al contenido principal</a>"), "{home}");
    assert!(home.contains("Basic Handbook ofrece información general."));
    assert!(home.contains(r#"mira <a href="help/index.html">ayuda en crisis</a>."#));

    // No page carries a sentence of the theme's English: every English
    // string that differs in Spanish, long enough not to be a common word
    // and not written in the fixture's own (English) content, is absent.
    let content: String = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| fs::read_to_string(e.path()).ok())
        .collect();
    let (en, es) = (bundled("en"), bundled("es"));
    let english: Vec<&str> = en
        .iter()
        .filter(|(k, v)| es.get(*k) != Some(*v) && v.len() >= 16)
        .map(|(_, v)| v.split('{').next().unwrap_or(v).trim())
        .filter(|v| v.len() >= 16 && !content.contains(v))
        .collect();
    assert!(
        english.len() > 60,
        "the test sees the theme’s strings ({})",
        english.len()
    );
    for (path, html) in pages(&out) {
        for s in &english {
            let escaped = s.replace('\'', "&#39;");
            assert!(
                !html.contains(s) && !html.contains(&escaped),
                "{path} still says “{s}”"
            );
        }
    }
    // …and the Spanish ones are there.
    let quiz = read(&out.join("first-part/an-article/quiz/index.html"));
    assert!(quiz.contains("Mostrar la respuesta"), "{quiz}");
    assert!(quiz.contains("Comprobar las respuestas"));
    assert!(findings(&check_json(&root), "theme-string-missing").is_empty());
}

#[test]
fn a_spanish_handbook_shows_none_of_the_english_trellis_writes_itself() {
    // A quiz with no title of its own, for the default one.
    let untitled = "questions:\n  - type: true-false\n    prompt: Sure?\n    answer: true\n";
    let root = handbook(
        "words-es",
        "es",
        &[("content/01-first-part/02-second.quiz.yaml", untitled)],
    );
    let out = temp_dir("words-es-out");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);

    // Breadcrumbs, the titles Trellis gives its own pages, questions' hints
    // and true/false, on every page.
    let crumbs = [
        "Home",
        "Quizzes",
        "Practice exam",
        "Quiz worksheets",
        "Glossary",
        "Flashcards",
        "Search",
        "Crisis help",
        "Page not found",
    ];
    let hints = [
        "Choose one answer.",
        "Choose all that apply.</p>",
        "True or false?",
        "Type your answer.",
        "Put these in the right order",
        "Choose the match for each item.",
        "(also accepted:",
        "Choose one. Write its letter.",
        "Circle True or False.",
        "Number these in order",
        "Write the letter of the matching option",
        "Write your answer.",
        ">True</label>",
        ">False</label>",
        "Second article: check your understanding",
        "minute read",
        "callout-title\">Note<",
        "aria-label=\"Done\"",
        "aria-label=\"Not done\"",
        "\"name\":\"Glossary: ",
    ];
    for (path, html) in pages(&out) {
        let breadcrumbs = html
            .split(r#"<nav class="breadcrumbs""#)
            .nth(1)
            .and_then(|rest| rest.split("</nav>").next())
            .unwrap_or("");
        for word in crumbs {
            for form in [format!(">{word}</a></li>"), format!(">{word}</span></li>")] {
                assert!(!breadcrumbs.contains(&form), "{path} says “{form}”");
            }
        }
        for hint in hints {
            assert!(!html.contains(hint), "{path} says “{hint}”");
        }
    }
    let article = read(&out.join("first-part/an-article/index.html"));
    assert!(
        article.contains(r#"<a href="../../index.html">Inicio</a>"#),
        "{article}"
    );
    assert!(article.contains("Lectura de 1 minuto<"));
    assert!(article.contains(r#"<p class="callout-title">Nota</p>"#));
    assert!(article.contains(r#"aria-label="Hecho""#));

    let quiz = read(&out.join("first-part/an-article/quiz/index.html"));
    assert!(
        quiz.contains(">Elige todas las que correspondan.</p>"),
        "{quiz}"
    );
    assert!(quiz.contains(">¿Verdadero o falso?</p>"));
    assert!(quiz.contains(">Verdadero</label>"));
    let practice = read(&out.join("quizzes/practice/index.html"));
    assert!(
        practice.contains(r#"<span aria-current="page">Examen de práctica</span>"#),
        "{practice}"
    );
    let list = read(&out.join("quizzes/index.html"));
    assert!(
        list.contains("Second article: comprueba lo que has aprendido"),
        "{list}"
    );
    let glossary = read(&out.join("glossary/index.html"));
    assert!(glossary.contains(r#""name":"Glosario: Basic Handbook""#));
    let sheets = read(&out.join("print/quizzes/index.html"));
    assert!(sheets.contains("Rodea Verdadero o Falso."));

    // Dates in Spanish words, ISO where machines read them.
    assert!(article.contains(r#"<time datetime="2026-01-15">15 de enero de 2026</time>"#));
    assert!(article.contains("15 de enero de 2028"));
    let print = read(&out.join("print/index.html"));
    assert!(print.contains("15 de enero de 2026"));
    for (path, html) in pages(&out) {
        assert!(!html.contains(" January 20"), "{path} has an English date");
    }

    // The search index names the glossary in Spanish.
    let docs: String = walkdir::WalkDir::new(out.join("search/docs"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| read(e.path()))
        .collect();
    assert!(docs.contains(r#""context":"Glosario""#), "{docs}");
    assert!(!docs.contains(r#""context":"Glossary""#));
}

#[test]
fn a_handbook_may_change_any_string_and_a_key_no_page_uses_is_named() {
    let root = handbook(
        "strings-override",
        "en",
        &[(
            "i18n/en.yaml",
            "skip_link: Jump to the text\nskip_lnk: Typo\n",
        )],
    );
    let out = temp_dir("strings-override-out");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let home = read(&out.join("index.html"));
    assert!(home.contains(">Jump to the text</a>"), "{home}");
    assert!(
        home.contains(">Contents</summary>"),
        "other strings stay the theme's"
    );

    let report = check_json(&root);
    let unknown = findings(&report, "theme-string-unknown");
    assert_eq!(unknown.len(), 1, "{report:#}");
    assert_eq!(unknown[0]["file"], "i18n/en.yaml");
    assert_eq!(unknown[0]["line"], 2);
    assert_eq!(unknown[0]["help"], "did you mean `skip_link`?");
}

#[test]
fn a_language_the_theme_lacks_falls_back_to_english_and_check_says_so() {
    let root = handbook(
        "strings-fr",
        "fr",
        &[("i18n/fr.yaml", "skip_link: Aller au contenu\n")],
    );
    let out = temp_dir("strings-fr-out");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let home = read(&out.join("index.html"));
    assert!(home.contains(r#"<html lang="fr">"#));
    assert!(home.contains(">Aller au contenu</a>"));
    assert!(
        home.contains("<summary><span lang=\"en\">Contents</span></summary>"),
        "English where French is missing, marked as English"
    );

    let report = check_json(&root);
    let missing = findings(&report, "theme-string-missing");
    assert_eq!(missing.len(), 1, "{report:#}");
    let total = bundled("en").len();
    let message = missing[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("{} of its {total} strings", total - 1)),
        "{message}"
    );
    assert_eq!(missing[0]["file"], "handbook.yaml");
    assert_eq!(missing[0]["severity"], "warning");
}

#[test]
fn a_further_language_falls_back_to_the_handbooks_own_and_check_names_what_it_lacks() {
    // A Spanish handbook with a French edition whose strings give one word.
    let root = handbook(
        "strings-further",
        "es\nlanguages: { fr: {} }",
        &[("i18n/fr.yaml", "skip_link: Aller au contenu\n")],
    );
    let out = temp_dir("strings-further-out");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let home = read(&out.join("fr/index.html"));
    assert!(home.contains(">Aller au contenu</a>"), "{home}");
    assert!(
        home.contains("<summary><span lang=\"es\">Contenido</span></summary>"),
        "Spanish, the handbook's own, before English, marked as Spanish"
    );

    let report = check_json(&root);
    let missing = findings(&report, "theme-string-missing");
    assert_eq!(missing.len(), 1, "{report:#}");
    assert!(missing[0]["message"]
        .as_str()
        .unwrap()
        .contains("no `fr` words"));
    let config = read(&root.join("handbook.yaml"));
    let fr_line = config.lines().position(|l| l.contains("fr: {}")).unwrap() + 1;
    assert_eq!(missing[0]["line"], fr_line);
}
