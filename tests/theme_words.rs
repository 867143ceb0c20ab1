//! The theme's words on pages whose language's strings lack some: each
//! word shown in another language is marked with it where it is text
//! (`<span lang="en">`, with `dir` on a page written right to left), and
//! plain in attributes, which HTML cannot mark in part. Pages whose
//! strings are complete have no such mark.

mod common;

use std::fs;
use std::path::Path;

use common::{build, copy_dir, fixture, read, temp_dir};

#[test]
fn an_arabic_page_marks_the_english_words_it_falls_back_to() {
    // The Arabic fixture has no Arabic strings: every theme word is English.
    let out = temp_dir("words-arabic");
    let run = build(&fixture("arabic"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let home = read(&out.join("index.html"));
    let _ = fs::remove_dir_all(&out);
    for said in [
        "<html lang=\"ar\" dir=\"rtl\">",
        "<a class=\"skip-link\" href=\"#trellis-main\"><span lang=\"en\" dir=\"ltr\">Skip to main content</span></a>",
        "<button type=\"submit\"><span lang=\"en\" dir=\"ltr\">Search</span></button>",
        "<li><a href=\"glossary/index.html\"><span lang=\"en\" dir=\"ltr\">Glossary</span></a></li>",
        // Attributes and the title hold the plain word.
        "aria-label=\"Site search\"",
        "placeholder=\"Search\"",
    ] {
        assert!(home.contains(said), "{said}\n{home}");
    }
    let title = &home[home.find("<title>").unwrap()..home.find("</title>").unwrap()];
    assert!(!title.contains("<span"), "{title}");
    assert!(!home.contains('\u{FDD0}') && !home.contains('\u{FDD2}'));
}

#[test]
fn a_partial_translation_marks_only_the_words_it_lacks() {
    // A French handbook giving one word of its own: the others are English,
    // written the same way as French, so without `dir`.
    let root = temp_dir("words-partial");
    copy_dir(&fixture("basic"), &root);
    let config = root.join("handbook.yaml");
    let text = read(&config).replace("language: en\n", "");
    fs::write(&config, format!("{text}language: fr\n")).unwrap();
    fs::create_dir_all(root.join("i18n")).unwrap();
    fs::write(root.join("i18n/fr.yaml"), "search_button: Chercher\n").unwrap();
    let out = temp_dir("words-partial-out");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let home = read(&out.join("index.html"));
    let _ = fs::remove_dir_all(&root);
    let _ = fs::remove_dir_all(&out);
    assert!(home.contains("<html lang=\"fr\""), "{home}");
    assert!(
        home.contains("<button type=\"submit\">Chercher</button>"),
        "{home}"
    );
    assert!(
        home.contains("<label class=\"visually-hidden\" for=\"header-search-q\"><span lang=\"en\">Search this handbook</span></label>"),
        "{home}"
    );
}

#[test]
fn the_bundled_handbooks_pages_in_english_and_spanish_have_no_marked_word() {
    let out = temp_dir("words-bundled");
    let run = build(Path::new(env!("CARGO_MANIFEST_DIR")), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|x| x == "html") {
            let html = read(&path);
            pages += 1;
            assert!(
                !html.contains("<span lang=\"en\"") && !html.contains('\u{FDD0}'),
                "{}",
                path.display()
            );
        }
    }
    let _ = fs::remove_dir_all(&out);
    assert!(pages > 100, "{pages} pages");
}
