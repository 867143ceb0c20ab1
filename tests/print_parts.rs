//! The print view of a handbook over `print: { split_above }` articles:
//! one print page per top-level part (and one for the articles outside
//! parts), listed at `/print/`, in every language, with links that still
//! work, and the quiz worksheets split the same way; and the bundled
//! handbook, under the limit, on one page.

mod common;

use std::fs;
use std::path::Path;

use common::{build, fixture, read, temp_dir};

/// The titles of the sections a print page holds, in order.
fn sections(html: &str) -> Vec<&str> {
    html.split("<h2 id=\"trellis-p-")
        .skip(1)
        .filter_map(|rest| rest.split_once("-title\">"))
        .filter_map(|(_, rest)| rest.split_once("</h2>"))
        .map(|(title, _)| title)
        .collect()
}

#[test]
fn a_handbook_over_the_limit_prints_one_page_per_part() {
    let out = temp_dir("print-parts");
    let run = build(&fixture("print-parts"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for lang in ["", "es/"] {
        let page = |folder: &str| read(&out.join(format!("{lang}print/{folder}index.html")));
        let listing = page("");
        // The list: every part's page, with its articles' count, and no sections.
        let items: Vec<&str> = listing
            .split("<li><a href=\"")
            .skip(1)
            .filter_map(|item| item.split_once("</span></li>"))
            .map(|(item, _)| item)
            .collect();
        let (alpha, beta, loose) = if lang.is_empty() {
            (
                "alpha/index.html\">Alpha</a> <span class=\"print-part-count\">2 articles",
                "beta/index.html\">Beta</a> <span class=\"print-part-count\">2 articles",
                "articles/index.html\">Articles outside the parts</a> <span class=\"print-part-count\">2 articles",
            )
        } else {
            (
                "alpha/index.html\">Alpha</a> <span class=\"print-part-count\">2 artículos",
                "beta/index.html\">Beta</a> <span class=\"print-part-count\">2 artículos",
                "articles/index.html\">Artículos fuera de las partes</a> <span class=\"print-part-count\">2 artículos",
            )
        };
        assert_eq!(items, [alpha, beta, loose], "{lang}print/: {listing}");
        assert!(sections(&listing).is_empty(), "{listing}");
        // The home page's introduction stays on the list, its link sent to
        // the part's page.
        assert!(listing.contains("<h1 id=\"p-home\">"), "{listing}");
        assert!(
            listing.contains("href=\"alpha/index.html#p-alpha--one\""),
            "{listing}"
        );

        // Each part's page: that part's sections, and no others.
        let alpha = page("alpha/");
        let beta = page("beta/");
        let loose = page("articles/");
        assert_eq!(sections(&alpha), ["Alpha", "Article one", "Article two"]);
        assert_eq!(
            sections(&beta),
            ["Beta", "Article three", "Sub-part", "Article four"]
        );
        assert_eq!(sections(&loose), ["Loose article", "Later article"]);

        // Within a part, anchors stay on the page; to another part, they go
        // to its page; home is on the list.
        assert!(alpha.contains("href=\"#p-alpha--two-second-heading\""));
        assert!(alpha.contains("id=\"p-alpha--two-second-heading\""));
        assert!(alpha.contains("href=\"../beta/index.html#p-beta--three-later-on\""));
        assert!(beta.contains("id=\"p-beta--three-later-on\""));
        assert!(!alpha.contains("id=\"p-beta--three-later-on\""));
        assert!(beta.contains("href=\"../alpha/index.html#p-alpha--one-where\""));
        assert!(beta.contains("href=\"../articles/index.html#p-loose\""));
        assert!(alpha.contains("href=\"../index.html#p-home\""));
        // Files are found from a folder deeper, from an article in a part
        // and from one outside parts alike.
        assert!(
            alpha.contains("src=\"../../alpha/figures/dot.svg\""),
            "{alpha}"
        );
        assert!(
            loose.contains("href=\"../../alpha/figures/dot.svg\""),
            "{loose}"
        );
        // Glossary links stay on the page, which lists the terms it links.
        assert!(alpha.contains("<a class=\"term\" href=\"#glossary-alliance\">"));
        assert!(alpha.contains("<dt id=\"glossary-alliance\">"));
        assert!(!alpha.contains("id=\"glossary-rupture\""));
        assert!(beta.contains("<dt id=\"glossary-rupture\">"));
        for html in [&alpha, &beta, &loose] {
            assert!(!html.contains("id=\"glossary-zeugma\""));
            assert!(
                html.contains("href=\"../index.html\">"),
                "no link to the list"
            );
        }
    }
    // Every link of every page, the print pages' included, leads somewhere.
    let broken = common::broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
    // Every page's footer says how the handbook prints.
    let home = read(&out.join("index.html"));
    assert!(home.contains(">The whole handbook to print, one part per page</a>"));
    let _ = fs::remove_dir_all(&out);
}

/// The titles of the worksheets a worksheets page holds, in order.
fn worksheet_titles(html: &str) -> Vec<&str> {
    html.split("<h2 id=\"ws-")
        .skip(1)
        .filter_map(|rest| rest.split_once("-title\">"))
        // A worksheet's section is `ws-<number>`; its key's and the page's own are not.
        .filter(|(id, _)| id.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|(_, rest)| rest.split_once("</h2>"))
        .map(|(title, _)| title)
        .collect()
}

#[test]
fn its_worksheets_are_split_by_part_as_the_print_view_is() {
    let out = temp_dir("worksheets-parts");
    let run = build(&fixture("print-parts"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for (lang, alpha_title, counts) in [
        ("", "Quiz worksheets: Alpha", "1 worksheet"),
        ("es/", "Fichas de los cuestionarios: Alpha", "1 ficha"),
    ] {
        let page =
            |folder: &str| read(&out.join(format!("{lang}print/quizzes/{folder}index.html")));
        // The list: a page for each part with quizzes, as the print view's,
        // then the quiz that goes with no article, with its answer key.
        let listing = page("");
        let list = listing
            .split_once("<ol class=\"print-parts\">")
            .and_then(|(_, rest)| rest.split_once("</ol>"))
            .map_or("", |(list, _)| list);
        let items: Vec<&str> = list
            .split("<li><a href=\"")
            .skip(1)
            .filter_map(|item| item.split_once("</span></li>"))
            .map(|(item, _)| item)
            .collect();
        assert_eq!(items.len(), 3, "{listing}");
        assert!(
            items[0].starts_with("alpha/index.html\">Alpha</a>"),
            "{listing}"
        );
        assert!(
            items[1].starts_with("beta/index.html\">Beta</a>"),
            "{listing}"
        );
        assert!(items[2].starts_with("articles/index.html\">"), "{listing}");
        assert!(items.iter().all(|i| i.ends_with(counts)), "{listing}");
        assert_eq!(worksheet_titles(&listing), ["Review of the parts"]);
        assert!(listing.contains("id=\"answer-key\""));
        // Each part's page: its quizzes only, its own answer key, and its
        // links from a folder deeper.
        let alpha = page("alpha/");
        assert_eq!(worksheet_titles(&alpha), ["Article one check"]);
        assert!(
            alpha.contains(&format!("<h1>{alpha_title}</h1>")),
            "{alpha}"
        );
        assert!(alpha.contains("id=\"answer-key\""));
        assert!(
            alpha.contains("href=\"../../../alpha/one/quiz/index.html\""),
            "{alpha}"
        );
        assert!(
            alpha.contains("<a href=\"../index.html\">"),
            "no link to the list"
        );
        assert_eq!(worksheet_titles(&page("beta/")), ["Article four check"]);
        assert_eq!(
            worksheet_titles(&page("articles/")),
            ["Loose article check"]
        );
    }
    for lang in ["", "es/"] {
        let sitemap = read(&out.join(format!("{lang}sitemap.xml")));
        for folder in ["", "alpha/", "beta/", "articles/"] {
            assert!(
                sitemap.contains(&format!("/parts/{lang}print/quizzes/{folder}</loc>")),
                "{lang}{folder}: {sitemap}"
            );
        }
    }
    let broken = common::broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn the_bundled_handbook_prints_from_one_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = temp_dir("print-bundled");
    let run = build(root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let print = read(&out.join("print/index.html"));
    let articles = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            // An article in the handbook's language: `x.md`, not `x.es.md`.
            name.ends_with(".md") && !name.starts_with('_') && name.matches('.').count() == 1
        })
        .count();
    assert!(articles > 10, "{articles}");
    assert_eq!(
        print.matches("<section class=\"print-article\"").count(),
        articles
    );
    assert!(print.contains("<section class=\"print-glossary\""));
    assert!(!print.contains("print-parts"));
    let folders: Vec<_> = fs::read_dir(out.join("print"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(folders, ["quizzes"]);
    let home = read(&out.join("index.html"));
    assert!(home.contains(">The whole handbook on one page, for printing</a>"));
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn a_bad_print_setting_is_an_error_at_its_place() {
    let root = temp_dir("print-setting");
    fs::create_dir_all(root.join("content")).unwrap();
    for (setting, error, help) in [
        (
            "print: { split_above: lots }",
            "handbook.yaml:2:23: error[invalid-value]: print.split_above: invalid type: string \"lots\"",
            "",
        ),
        (
            "print:\n  split_abov: 3",
            "handbook.yaml:3:3: error[unknown-key]: print: unknown key `split_abov`",
            "did you mean `split_above`?",
        ),
    ] {
        fs::write(root.join("handbook.yaml"), format!("title: T\n{setting}\n")).unwrap();
        let run = build(&root, &root.join("public"), &[]);
        assert_eq!(run.status, 1, "{}", run.stderr);
        assert!(run.stderr.contains(error), "{}", run.stderr);
        assert!(run.stderr.contains(help), "{}", run.stderr);
        assert!(!root.join("public").exists());
    }
    let _ = fs::remove_dir_all(&root);
}
