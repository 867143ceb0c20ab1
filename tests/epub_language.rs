//! The e-book's own words in the book's language: the headings, labels,
//! hints, landmarks, cover text and accessibility summary that Trellis
//! writes into the book (`src/epub/`) come from the theme's strings. The
//! bundled handbook's Spanish edition has the Spanish words where its
//! English edition has the English ones, and none of those English ones;
//! a handbook written in Spanish gets them in Spanish; a language the
//! theme has no words for falls back to the handbook's own language, then
//! to English, as the site's pages do.

mod common;
#[path = "support/epub_book.rs"]
mod epub_book;

use std::fs;
use std::path::Path;

use common::{copy_dir, fixture, read, temp_dir};
use epub_book::{export_in, texts};

/// Every text file of the book at `root` (in `lang`), one after another.
fn book_text(root: &Path, name: &str, lang: Option<&str>) -> String {
    let book = export_in(root, name, lang);
    let text = texts(&fs::read(&book).unwrap()).into_values().collect();
    let _ = fs::remove_dir_all(book.parent().unwrap());
    text
}

/// Each thing Trellis writes into the book, as the bundled handbook's
/// English book shows it and as its Spanish book shows the same place.
/// Markup around a word keeps it apart from the articles' own text: the
/// Spanish book still holds articles not yet translated, in English.
const LABELS: &[(&str, &str)] = &[
    // nav.xhtml: contents and landmarks.
    ("<title>Contents</title>", "<title>Índice</title>"),
    (
        "<h1 id=\"trellis-toc-title\">Contents</h1>",
        "<h1 id=\"trellis-toc-title\">Índice</h1>",
    ),
    (
        "<a href=\"intro.xhtml\">Introduction</a>",
        "<a href=\"intro.xhtml\">Introducción</a>",
    ),
    (
        "\">Practice questions</a></li>",
        "\">Preguntas de práctica</a></li>",
    ),
    (
        "<li><a href=\"glossary.xhtml\">Glossary</a></li>",
        "<li><a href=\"glossary.xhtml\">Glosario</a></li>",
    ),
    (
        "<li><a href=\"answers.xhtml\">Answer key</a></li>",
        "<li><a href=\"answers.xhtml\">Respuestas</a></li>",
    ),
    (
        "<h2 id=\"trellis-landmarks-title\">Landmarks</h2>",
        "<h2 id=\"trellis-landmarks-title\">Secciones principales</h2>",
    ),
    (
        "href=\"cover.xhtml\">Cover</a>",
        "href=\"cover.xhtml\">Portada</a>",
    ),
    (
        "href=\"front.xhtml\">Before you read</a>",
        "href=\"front.xhtml\">Antes de empezar</a>",
    ),
    (
        "href=\"nav.xhtml#toc\">Contents</a>",
        "href=\"nav.xhtml#toc\">Índice</a>",
    ),
    (
        "epub:type=\"bodymatter\" href=\"part-1.xhtml\">Start of the text</a>",
        "epub:type=\"bodymatter\" href=\"part-1.xhtml\">Comienzo del texto</a>",
    ),
    (
        "epub:type=\"glossary\" href=\"glossary.xhtml\">Glossary</a>",
        "epub:type=\"glossary\" href=\"glossary.xhtml\">Glosario</a>",
    ),
    (
        "epub:type=\"appendix\" href=\"answers.xhtml\">Answer key</a>",
        "epub:type=\"appendix\" href=\"answers.xhtml\">Respuestas</a>",
    ),
    // The cover's text alternative, on its page and in its image.
    ("alt=\"Cover: ", "alt=\"Portada: "),
    (
        "<title id=\"cover-title\">Cover: ",
        "<title id=\"cover-title\">Portada: ",
    ),
    // front.xhtml: crisis help and "not a substitute for care".
    (
        "<h2 id=\"trellis-crisis-title\">If you need help now</h2>",
        "<h2 id=\"trellis-crisis-title\">Si necesitas ayuda ahora</h2>",
    ),
    (
        "<p>Emergency: <a href=\"tel:",
        "<p>Emergencias: <a href=\"tel:",
    ),
    ("<h3>Elsewhere</h3>", "<h3>En otros países</h3>"),
    (
        "<h2 id=\"trellis-care\">Not a substitute for care</h2>",
        "<h2 id=\"trellis-care\">No sustituye la atención profesional</h2>",
    ),
    (
        "<p>This handbook gives general information. It is not therapy",
        "<p>Este manual ofrece información general. No es una terapia",
    ),
    // Introduction, parts, articles.
    (
        "<h1 id=\"trellis-title\">Introduction</h1>",
        "<h1 id=\"trellis-title\">Introducción</h1>",
    ),
    (
        "<h2 id=\"trellis-in-this-part\">In this part</h2>",
        "<h2 id=\"trellis-in-this-part\">En esta parte</h2>",
    ),
    (
        "<p class=\"meta\">Reviewed on ",
        "<p class=\"meta\">Revisado el ",
    ),
    (
        ". Clinical review: not yet done.</p>",
        ". Revisión clínica: aún no realizada.</p>",
    ),
    (
        "<strong>Content note:</strong>",
        "<strong>Aviso de contenido:</strong>",
    ),
    (
        "<h2 id=\"trellis-crisis-note\">If this brings up something hard</h2>",
        "<h2 id=\"trellis-crisis-note\">Si esto te remueve algo difícil</h2>",
    ),
    (
        "#trellis-crisis\">Where to get help now</a>",
        "#trellis-crisis\">Dónde pedir ayuda ahora</a>",
    ),
    (
        "\">Practice questions: check your understanding</a>",
        "\">Preguntas de práctica: comprueba lo que has aprendido</a>",
    ),
    (
        "<h2 id=\"trellis-references\">References</h2>",
        "<h2 id=\"trellis-references\">Referencias</h2>",
    ),
    // Practice questions.
    (
        "<p class=\"lede\">Practice questions on <a href=\"article-",
        "<p class=\"lede\">Preguntas de práctica sobre <a href=\"article-",
    ),
    (
        "<p class=\"lede\">Practice questions.</p>",
        "<p class=\"lede\">Preguntas de práctica.</p>",
    ),
    (
        "<p class=\"hint\">Each question links to its answer in the <a href=\"answers.xhtml\">answer key</a> at the back of the book.</p>",
        "<p class=\"hint\">Cada pregunta enlaza con su respuesta en el apartado de <a href=\"answers.xhtml\">respuestas</a>, al final del libro.</p>",
    ),
    (
        "<p class=\"hint\">Choose one answer.</p>",
        "<p class=\"hint\">Elige una respuesta.</p>",
    ),
    (
        "<p class=\"hint\">Choose all that apply.</p>",
        "<p class=\"hint\">Elige todas las que correspondan.</p>",
    ),
    (
        "<p class=\"hint\">True or false?</p>",
        "<p class=\"hint\">¿Verdadero o falso?</p>",
    ),
    (
        "<p class=\"hint\">Answer in a word or a few words.</p>",
        "<p class=\"hint\">Responde con una palabra o unas pocas.</p>",
    ),
    (
        "<p class=\"hint\">Put these in order, first to last.</p>",
        "<p class=\"hint\">Ordénalos del primero al último.</p>",
    ),
    (
        "<p class=\"hint\">Match each numbered item with a lettered option.</p>",
        "<p class=\"hint\">Une cada elemento numerado con la opción que le corresponde, marcada con una letra.</p>",
    ),
    (
        "<li>True</li>\n<li>False</li>",
        "<li>Verdadero</li>\n<li>Falso</li>",
    ),
    (
        "#a-1-1\">Answer to question 1</a>",
        "#a-1-1\">Respuesta a la pregunta 1</a>",
    ),
    // The answer key.
    ("<title>Answer key</title>", "<title>Respuestas</title>"),
    (
        "<h1 id=\"trellis-title\">Answer key</h1>",
        "<h1 id=\"trellis-title\">Respuestas</h1>",
    ),
    (
        "<p class=\"hint\">Letters name the choices as the questions list them.</p>",
        "<p class=\"hint\">Las letras son las de las opciones, en el orden en que aparecen en cada pregunta.</p>",
    ),
    (
        "#q-1-1\">Back to question 1</a>",
        "#q-1-1\">Volver a la pregunta 1</a>",
    ),
    // The glossary.
    ("<title>Glossary</title>", "<title>Glosario</title>"),
    (
        "<h1 id=\"trellis-title\">Glossary</h1>",
        "<h1 id=\"trellis-title\">Glosario</h1>",
    ),
    (
        "<span class=\"aliases\">(also: ",
        "<span class=\"aliases\">(también: ",
    ),
    (
        "<span class=\"see-also\">See also: ",
        "<span class=\"see-also\">Ver también: ",
    ),
    // The package's accessibility summary, sentence by sentence.
    (
        "This book meets WCAG 2.2 Level AA. It has a table of contents and landmarks",
        "Este libro cumple el nivel AA de las WCAG 2.2. Tiene índice y secciones principales",
    ),
    (
        "It has no images but its cover, whose text is its title.",
        "No tiene más imagen que la portada, cuyo texto es el título.",
    ),
    (
        "Terms link to a glossary at the back.",
        "Los términos enlazan con un glosario al final.",
    ),
    (
        "Practice questions follow their articles, with an answer key at the back",
        "Después de cada artículo hay preguntas de práctica, y sus respuestas están al final",
    ),
    (
        "Nothing flashes, moves or makes sound.",
        "Nada parpadea, se mueve ni suena.",
    ),
];

#[test]
fn the_spanish_book_says_in_spanish_what_the_english_book_says_in_english() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let english = book_text(root, "epub-words-en", None);
    let spanish = book_text(root, "epub-words-es", Some("es"));
    let mut wrong = Vec::new();
    for (en, es) in LABELS {
        if !english.contains(en) {
            wrong.push(format!("the English book lacks {en:?}"));
        }
        if !spanish.contains(es) {
            wrong.push(format!("the Spanish book lacks {es:?}"));
        }
        if spanish.contains(en) {
            wrong.push(format!("the Spanish book still says {en:?}"));
        }
    }
    // A key the theme has no words for would show as itself.
    if let Some(at) = spanish.find("epub_") {
        wrong.push(format!("a key shown as such: {:?}", &spanish[at..at + 40]));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The e-book fixture, copied, written in `language` and declaring
/// `further` languages (no translations), without `crisis:`, its first
/// article clinically reviewed.
fn handbook(name: &str, language: &str, further: &[&str]) -> std::path::PathBuf {
    let root = temp_dir(name);
    copy_dir(&fixture("epub"), &root);
    let config = root.join("handbook.yaml");
    let text = read(&config);
    let text = text[..text.find("crisis:").unwrap()].replace("language: en", "");
    let mut text = format!("{text}language: {language}\n");
    if !further.is_empty() {
        text.push_str("languages:\n");
        for l in further {
            text.push_str(&format!("  {l}:\n    title: Book Fixture ({l})\n"));
        }
    }
    fs::write(&config, text).unwrap();
    let article = root.join("content/01-basics/01-first.md");
    let text = read(&article).replacen(
        "reviewer: Fixture Team\n",
        "reviewer: Fixture Team\nclinical_review: { date: 2025-03-05, reviewer: \"Dr. A. Fixture\" }\n",
        1,
    );
    fs::write(&article, text).unwrap();
    root
}

#[test]
fn a_handbook_written_in_spanish_gets_spanish_words_and_other_languages_fall_back() {
    let root = handbook("epub-words-own", "es", &["fr"]);
    let spanish = book_text(&root, "epub-words-own-es", None);
    for said in [
        "lang=\"es\" xml:lang=\"es\"",
        // Without `crisis:`, the book still says where to turn.
        "<p><strong>Si estás en peligro o piensas en quitarte la vida, llama ahora al número de emergencias de tu país.</strong></p>",
        "<p class=\"meta\">Revisado el 4 de marzo de 2025 por Fixture Team. Revisión clínica: 5 de marzo de 2025 por Dr. A. Fixture.</p>",
        "Todas las imágenes tienen un texto alternativo.",
        // The stand-alone quiz.
        "<p class=\"lede\">Preguntas de práctica.</p>",
    ] {
        assert!(spanish.contains(said), "{said}");
    }
    for english in [
        "If you are in danger",
        "Clinical review:",
        "Every image has a text alternative.",
    ] {
        assert!(!spanish.contains(english), "{english}");
    }

    // French: no theme strings, so the handbook's own language's words.
    let french = book_text(&root, "epub-words-own-fr", Some("fr"));
    assert!(french.contains("lang=\"fr\" xml:lang=\"fr\""));
    assert!(french.contains("<h1 id=\"trellis-toc-title\">Índice</h1>"));
    assert!(!french.contains(">Contents</h1>"));
    let _ = fs::remove_dir_all(root);

    // A French handbook: English, the theme's base.
    let root = handbook("epub-words-fr", "fr", &[]);
    let french = book_text(&root, "epub-words-fr-fr", None);
    assert!(french.contains("lang=\"fr\" xml:lang=\"fr\""));
    assert!(french.contains("<h1 id=\"trellis-toc-title\">Contents</h1>"));
    assert!(french.contains(
        "<p class=\"meta\">Reviewed on 4 March 2025 by Fixture Team. Clinical review: 5 March 2025 by Dr. A. Fixture.</p>"
    ));
    let _ = fs::remove_dir_all(root);
}

/// The Spanish pages' notice over a page not yet translated.
const NOTICE_ES: &str = "<p class=\"untranslated-notice\" role=\"note\">Esta página aún no está traducida. Se muestra en el idioma original del manual.</p>";

/// The book at `root` (in `lang`) as its files' texts, by name.
fn book_files(
    root: &Path,
    name: &str,
    lang: Option<&str>,
) -> std::collections::BTreeMap<String, String> {
    let book = export_in(root, name, lang);
    let files = texts(&fs::read(&book).unwrap());
    let _ = fs::remove_dir_all(book.parent().unwrap());
    files
}

/// The chapter of `files` whose heading is `title`, and its file name.
fn chapter<'f>(
    files: &'f std::collections::BTreeMap<String, String>,
    title: &str,
) -> (&'f str, &'f str) {
    files
        .iter()
        .find(|(name, text)| {
            name.starts_with("EPUB/article-") && text.contains(&format!(">{title}</h1>"))
        })
        .map(|(name, text)| (name.trim_start_matches("EPUB/"), text.as_str()))
        .unwrap_or_else(|| panic!("no chapter titled {title}"))
}

#[test]
fn the_spanish_book_marks_its_untranslated_chapters_as_english_under_the_pages_notice() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spanish = book_files(root, "epub-parts-es", Some("es"));
    // `why-trust-matters` has a Spanish translation, `ending-therapy-well` none.
    let (_, translated) = chapter(&spanish, "Por qué la confianza es lo más importante");
    assert!(!translated.contains("untranslated-notice"), "{translated}");
    assert!(!translated.contains("lang=\"en\""), "{translated}");

    let (file, untranslated) = chapter(&spanish, "Ending therapy well");
    for said in [
        // The document is the book's, in Spanish; its heading and text
        // are marked as English, after the notice in Spanish.
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"es\" xml:lang=\"es\">",
        &format!("<h1 id=\"trellis-title\" lang=\"en\" xml:lang=\"en\">Ending therapy well</h1>\n{NOTICE_ES}\n<p class=\"lede\" lang=\"en\" xml:lang=\"en\">How therapy usually comes to an end"),
        "<div lang=\"en\" xml:lang=\"en\">\n<p>",
        // The book's own words around it stay Spanish, unmarked.
        "<p class=\"meta\">Revisado el ",
    ] {
        assert!(untranslated.contains(said), "{said}\n{untranslated}");
    }
    // Its entry in the contents, and its quiz: the quiz's text marked, the
    // sentence around the article's title the book's.
    let nav = &spanish["EPUB/nav.xhtml"];
    let entry = format!("<a href=\"{file}\" lang=\"en\" xml:lang=\"en\">Ending therapy well</a>");
    assert!(nav.contains(&entry), "{nav}");
    let quiz = spanish
        .values()
        .find(|t| {
            t.contains(&format!(
                "<p class=\"lede\">Preguntas de práctica sobre <a href=\"{file}\" lang=\"en\" xml:lang=\"en\">"
            ))
        })
        .expect("the chapter's quiz");
    assert!(quiz.contains(NOTICE_ES), "{quiz}");
    assert!(
        quiz.contains("</span> <span lang=\"en\" xml:lang=\"en\">"),
        "the prompt is marked: {quiz}"
    );

    // The English book has nothing to mark.
    let english = book_text(root, "epub-parts-en", None);
    assert!(!english.contains("untranslated-notice"));
    assert!(!english.contains("lang=\"es\""));
}

#[test]
fn text_in_a_right_to_left_default_language_is_marked_with_its_direction() {
    // An Arabic handbook (its text, here, the fixture's) with a Spanish
    // edition that translates its first article only.
    let root = handbook("epub-parts-rtl", "ar", &["es"]);
    let source = root.join("content/01-basics/01-first.md");
    let translation = read(&source).replacen("title: First & foremost", "title: Lo primero", 1);
    fs::write(root.join("content/01-basics/01-first.es.md"), translation).unwrap();
    let spanish = book_files(&root, "epub-parts-rtl-es", Some("es"));
    let _ = fs::remove_dir_all(&root);

    let (_, translated) = chapter(&spanish, "Lo primero");
    assert!(!translated.contains("lang=\"ar\""), "{translated}");
    let (_, untranslated) = chapter(&spanish, "Inner article");
    let mark = "lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\"";
    assert!(
        untranslated.contains(&format!(
            "<h1 id=\"trellis-title\" {mark}>Inner article</h1>\n{NOTICE_ES}"
        )),
        "{untranslated}"
    );
    assert!(
        untranslated.contains(&format!("<div {mark}>")),
        "{untranslated}"
    );
}
