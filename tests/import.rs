//! `trellis import mdbook|zola|markdown SOURCE --output DIR`, end to end on
//! the small books in `tests/fixtures/import/` (nested chapters, a draft, an
//! include, pictures, links with anchors, a shortcode and a preprocessor):
//! each imports, reports exactly what it could not carry over, leaves its
//! source byte for byte as it was, and the new handbook builds with no error
//! and no broken link. Also: an output that exists is refused, and errors in
//! the source stop the import at `file:line:col` with nothing written.
//!
//! Real books: with `TRELLIS_IMPORT_BOOKS` set to a folder holding copies of
//! public repositories (`import_books::REAL_BOOKS`), `real_books_import_and_build`
//! imports, builds and link-checks each one found there; without it the
//! test says why it skips. Their text is never committed here. The browser
//! suite checks the same books' pages (`tests/browser/imported.rs`).

mod common;
#[path = "support/import_books.rs"]
mod import_books;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{broken_links, build, normalize, read, temp_dir, trellis, Run};

/// The fixtures' folder: imports run from here so reports name `mdbook/…`.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

/// `trellis import KIND SOURCE --output OUT`, run in `cwd`.
fn import_in(cwd: &Path, kind: &str, source: &str, out: &Path) -> Run {
    trellis(
        &["import", kind, source, "--output", out.to_str().unwrap()],
        cwd,
    )
}

/// The report's items as printed (the indented lines of standard output).
fn items(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .map(str::to_string)
        .collect()
}

/// Imports fixture `kind`, checks that the source is unchanged, that the
/// report lists exactly `expected` (also in IMPORT-REPORT.md), and that the
/// handbook builds (with and without drafts) with no error and no broken
/// link. Returns the new handbook's folder and its built site.
fn import_fixture(kind: &str, expected: &[&str]) -> (PathBuf, PathBuf) {
    let source = fixtures().join(kind);
    let before = snapshot(&source);
    let out = temp_dir(&format!("import-{kind}"));
    let run = import_in(&fixtures(), kind, kind, &out);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(snapshot(&source), before, "the import changed its source");
    assert_eq!(items(&run), expected, "{}", run.stdout);
    let report = read(&out.join("IMPORT-REPORT.md"));
    for item in expected {
        assert!(
            report.contains(&format!("- {}\n", item.replace('<', "&lt;"))),
            "IMPORT-REPORT.md lacks {item}:\n{report}"
        );
    }
    let site = temp_dir(&format!("import-{kind}-site"));
    for drafts in [&[][..], &["--drafts"][..]] {
        let _ = fs::remove_dir_all(&site);
        let built = build(&out, &site, drafts);
        assert_eq!(built.status, 0, "{kind} {drafts:?}: {}", built.stderr);
        assert!(built.stderr.is_empty(), "{kind}: {}", built.stderr);
        assert_eq!(
            broken_links(&site),
            Vec::<String>::new(),
            "{kind} {drafts:?}"
        );
    }
    let checked = trellis(&["check", "--root", out.to_str().unwrap()], &out);
    assert_eq!(checked.status, 0, "{}", checked.stdout);
    (out, site)
}

#[test]
fn an_mdbook_book_imports_and_builds() {
    let (out, site) = import_fixture(
        "mdbook",
        &[
            "mdbook/book.toml:7: the `mermaid` preprocessor is not run — Mermaid diagrams stay as code: draw them as SVG pictures and show them as images with alt text",
            "mdbook/book.toml:11: `additional-css` (the book's own styles or scripts) is not carried over — Trellis pages load only their theme's files: make a theme of your own (docs/themes.md)",
            "mdbook/src/basics/box-breathing.md:8: the link to `missing.md` names a file that does not exist; it is now plain text — fix the address, or remove it",
            "mdbook/src/basics/breathing.md:13: a Mermaid diagram is shown as its source code (Trellis pages run no diagram scripts) — draw it as an SVG (the Mermaid CLI, `mmdc`, can), put it beside the article and show it as an image with alt text",
            "mdbook/src/basics/breathing.md:17: `{{#title Breathe slowly}}` (the page's own title) is not carried over — Trellis titles the page with `title:` in its front matter; change that if you want this title",
        ],
    );
    let content = out.join("content");
    // The first chapter is the home page's intro; part titles and chapters
    // with sub-chapters are parts; the draft chapter is a draft.
    let home = read(&content.join("_index.md"));
    assert!(home.starts_with("---\ntitle: Coping Skills\nsummary: Small steps for hard days.\n---\n\nThis small book"), "{home}");
    assert!(
        home.contains("[breathing](01-basics/01-breathing/_index.md#why-breathing-helps)"),
        "{home}"
    );
    assert!(
        home.contains("[grounding](01-basics/02-grounding.md)"),
        "{home}"
    );
    let breathing = read(&content.join("01-basics/01-breathing/_index.md"));
    assert!(
        breathing.contains("1. Breathe in for a count of four.\n2. Breathe out"),
        "the include is expanded: {breathing}"
    );
    assert!(
        !breathing.contains("# Breathing\n") && !breathing.contains("{{#"),
        "{breathing}"
    );
    assert!(
        breathing.contains("![A simple diagram of the lungs](images/lungs.svg)"),
        "{breathing}"
    );
    assert!(content
        .join("01-basics/01-breathing/images/lungs.svg")
        .is_file());
    let draft = read(&content.join("01-basics/01-breathing/02-a-later-chapter.md"));
    assert!(draft.contains("draft: true"), "{draft}");
    let grounding = read(&content.join("01-basics/02-grounding.md"));
    assert!(
        !grounding.contains("hidden_setup"),
        "mdBook's hidden lines stay hidden: {grounding}"
    );
    assert!(
        grounding.contains("<img src=\"01-breathing/images/lungs.svg\""),
        "{grounding}"
    );
    assert!(
        grounding.contains("(01-breathing/01-box-breathing.md#whats-next)"),
        "{grounding}"
    );
    let boxed = read(&content.join("01-basics/01-breathing/01-box-breathing.md"));
    assert!(
        boxed.contains("The missing page is not written."),
        "{boxed}"
    );
    assert!(content.join("02-thanks.md").is_file());
    // Included files are not copied as well; the draft is built only with --drafts.
    assert!(!out.join("static/basics/snippets/steps.txt").exists());
    assert!(site
        .join("basics/breathing/a-later-chapter/index.html")
        .is_file());
    let report = read(&out.join("IMPORT-REPORT.md"));
    assert!(
        report.contains("| `basics/box-breathing.html` | `basics/breathing/box-breathing/` | no |"),
        "{report}"
    );
    let config = read(&out.join("handbook.yaml"));
    assert!(
        config.contains("title: Coping Skills\n")
            && config.contains("language: en\n")
            && config.contains("- Ada Example\n"),
        "{config}"
    );
}

#[test]
fn a_zola_site_imports_and_builds() {
    let (out, site) = import_fixture(
        "zola",
        &[
            "zola/config.toml:5: the theme `calm` is not carried over — Trellis pages use its own themes: see docs/themes.md to change how they look",
            "zola/config.toml:7: `[extra]` settings (read by the templates) are not carried over — put what readers need from them into the pages, or into handbook.yaml's `subtitle` and `description`",
            "zola/content/basics/breathing.md:12: the shortcode `youtube` is not carried over: it is an HTML comment now — write what it showed in markdown: a picture with alt text, a link or a callout",
            "zola/content/basics/breathing.md:18: the picture `https://example.org/pace.png` is on another site, which Trellis pages never load from; it is a link to it now — download it, put it beside the article and show it with `![description](file)`",
            "zola/content/basics/breathing.md:20: the `<iframe>` from `https://example.org/embed/pace` is on another site, which Trellis pages never load from; it is a link to it now — keep the link, or download the file, put it beside the article and show it from there",
            "zola/content/basics/deeper/2024-05-01-journaling.md:3: the page's `date` is not carried over — Trellis pages show no date; write it in the text if readers need it",
            "zola/content/basics/deeper/_index.md:5: `extra` values (read by templates) are not carried over — put what readers need from them into the text",
            "zola/content/basics/grounding/index.md:12: the shortcode `note` is not carried over: its text is kept, the shortcode's markup is an HTML comment — turn it into markdown, e.g. a callout (`> [!NOTE]`) for a note or quote",
            "zola/templates: the site's HTML templates are not carried over — Trellis pages use its own themes: see docs/themes.md to change how they look",
        ],
    );
    let content = out.join("content");
    let breathing = read(&content.join("01-basics/01-breathing.md"));
    assert!(
        breathing.starts_with(
            "---\ntitle: Breathing\nsummary: Slow breathing calms the body.\ntags:\n- body\n---\n"
        ),
        "{breathing}"
    );
    // Zola's heading id is kept where Trellis's own would differ.
    assert!(
        breathing.contains("## What's new? {#what-s-new}"),
        "{breathing}"
    );
    assert!(
        breathing
            .contains("<!-- Zola shortcode, not carried over: {{ youtube(id=\"abc123\") }} -->"),
        "{breathing}"
    );
    assert!(
        breathing.contains("[grounding](02-grounding.md#rupture-repair)"),
        "{breathing}"
    );
    // Pages load nothing from other sites: a remote picture or frame is a link.
    assert!(
        breathing.contains("\n[A chart of the pace](https://example.org/pace.png)\n"),
        "{breathing}"
    );
    assert!(
        breathing.contains("<a href=\"https://example.org/embed/pace\">The pace, as a video</a>"),
        "{breathing}"
    );
    let grounding = read(&content.join("01-basics/02-grounding.md"));
    assert!(
        grounding.contains("## Rupture & repair {#rupture-repair}"),
        "{grounding}"
    );
    assert!(
        grounding.contains("aliases:\n- old/grounding\n"),
        "{grounding}"
    );
    assert!(
        grounding.contains("Keep this text when the shortcode goes."),
        "{grounding}"
    );
    assert!(
        grounding.contains("![Five small squares](grounding/five.png)"),
        "{grounding}"
    );
    assert!(read(&content.join("01-basics/03-someday.md")).contains("draft: true"));
    // Addresses stay as they were: the page bundle's picture too.
    for page in [
        "basics/breathing/index.html",
        "basics/grounding/index.html",
        "basics/grounding/five.png",
        "basics/deeper/journaling/index.html",
        "old/grounding/index.html",
    ] {
        assert!(site.join(page).is_file(), "{page}");
    }
    let html = read(&site.join("basics/breathing/index.html"));
    assert!(html.contains("id=\"what-s-new\""), "{html}");
    let config = read(&out.join("handbook.yaml"));
    assert!(
        config.contains("base_url: https://example.org/coping/\n"),
        "{config}"
    );
}

#[test]
fn a_folder_of_markdown_imports_and_builds() {
    let (out, _) = import_fixture(
        "markdown",
        &[
            "markdown/01-basics/01-breathing.md:3: front matter key `layout` is not carried over — move what it says into the text if readers need it",
            "markdown/01-basics/01-breathing.md:12: `[[Box breathing]]` (a wiki link) is kept as plain text — link the page with `[text](file.md)`, or add the term to content/glossary.yaml (Trellis's `[[Term]]` links the glossary)",
            "markdown/01-basics/02-grounding.md:9: a picture has no alt text; it has an empty `alt=\"\"` now, which screen readers skip — describe the picture in `alt=\"…\"`, unless it only decorates the page",
            "markdown/01-basics/02-grounding.md:9: the `style` of a `<span>` is not carried over (Trellis pages carry no inline styles) — style it from a theme of your own (docs/themes.md), or leave it out",
            "markdown/01-basics/02-grounding.md:11: an inline `<style>` is not carried over (Trellis pages carry no inline styles or scripts) — put the rules in a theme of your own (docs/themes.md), or leave them out",
        ],
    );
    let content = out.join("content");
    let home = read(&content.join("_index.md"));
    assert!(home.starts_with("---\ntitle: Coping Skills\n"), "{home}");
    let part = read(&content.join("01-basics/_index.md"));
    assert!(
        part.starts_with("---\ntitle: The basics\nsummary: Where to begin when a day is hard.\n"),
        "{part}"
    );
    let grounding = read(&content.join("01-basics/02-grounding.md"));
    assert!(grounding.starts_with("---\ntitle: Grounding\nsummary: Name five things you can see. It brings you back to the room.\n---\n\nName five"), "{grounding}");
    // Headings start at the second level; raw HTML keeps only what a page may carry.
    assert!(grounding.contains("\n## Five things\n"), "{grounding}");
    assert!(
        grounding.contains(
            "<img src=\"img/lungs.svg\" width=\"40\" alt=\"\"> Look <span>slowly</span>."
        ),
        "{grounding}"
    );
    assert!(
        !grounding.contains("<style>") && !grounding.contains(".calm"),
        "{grounding}"
    );
    assert!(content.join("01-basics/img/lungs.svg").is_file());
    let journaling = read(&content.join("02-more/01-deeper/01-journaling.md"));
    assert!(
        journaling.contains("[the start](../../_index.md)"),
        "{journaling}"
    );
    let notes = read(&content.join("03-notes.md"));
    assert!(notes.starts_with("---\ntitle: Notes\n"), "{notes}");
}

#[test]
fn an_output_that_exists_is_refused_and_an_empty_one_accepted() {
    let dir = temp_dir("import-refuse");
    fs::create_dir_all(dir.join("full")).unwrap();
    fs::write(dir.join("full/keep.txt"), "mine").unwrap();
    let run = import_in(&fixtures(), "markdown", "markdown", &dir.join("full"));
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("is not empty; Trellis imports only into a new or empty folder"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&dir.join("full/keep.txt")), "mine");
    assert_eq!(fs::read_dir(dir.join("full")).unwrap().count(), 1);

    fs::write(dir.join("a-file"), "x").unwrap();
    let run = import_in(&fixtures(), "markdown", "markdown", &dir.join("a-file"));
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("is a file, not a folder"),
        "{}",
        run.stderr
    );

    fs::create_dir_all(dir.join("empty")).unwrap();
    let run = import_in(&fixtures(), "markdown", "markdown", &dir.join("empty"));
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(dir.join("empty/handbook.yaml").is_file());

    // Into the source itself: refused before anything is written.
    let copy = dir.join("book");
    common::copy_dir(&fixtures().join("markdown"), &copy);
    let before = snapshot(&copy);
    let run = import_in(&dir, "markdown", "book", &copy.join("out"));
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("is inside the book being imported"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&copy), before);
}

#[test]
fn errors_in_the_source_stop_the_import_at_file_line_col() {
    let dir = temp_dir("import-errors");
    // A SUMMARY.md naming a file that is not there.
    let book = dir.join("book");
    common::copy_dir(&fixtures().join("mdbook"), &book);
    let summary = book.join("src/SUMMARY.md");
    let text = read(&summary).replace(
        "- [Grounding](grounding.md)",
        "- [Grounding](grounding.md)\n- [Sleep](sleep.md)",
    );
    fs::write(&summary, text).unwrap();
    let run = import_in(&dir, "mdbook", "book", &dir.join("out"));
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "book/src/SUMMARY.md:11:3: error[broken-link]: the chapter `Sleep` names `sleep.md`, which does not exist\n  help: fix the path, create the file, or make it a draft chapter with `[Title]()`\nerror: the import stopped with 1 error in the source; nothing was written\n"
    );
    assert!(!dir.join("out").exists());

    // Malformed TOML in book.toml.
    fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"A\nauthors = []\n",
    )
    .unwrap();
    let run = import_in(&dir, "mdbook", "book", &dir.join("out"));
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .starts_with("book/book.toml:2:11: error[front-matter]: malformed TOML"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("out").exists());

    // Malformed front matter in a Zola page, among good ones.
    let site = dir.join("site");
    common::copy_dir(&fixtures().join("zola"), &site);
    fs::write(
        site.join("content/basics/bad.md"),
        "+++\ntitle = \"Bad\"\nweight = = 3\n+++\nText.\n",
    )
    .unwrap();
    let run = import_in(&dir, "zola", "site", &dir.join("out"));
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.starts_with("site/content/basics/bad.md:3:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error[front-matter]: malformed TOML"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("out").exists());

    // Not a book of that kind, and unknown kinds: bad usage.
    let run = import_in(&fixtures(), "mdbook", "zola", &dir.join("out"));
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("has no book.toml: it is not an mdBook book"),
        "{}",
        run.stderr
    );
    let run = import_in(&fixtures(), "gitbook", "mdbook", &dir.join("out"));
    assert_eq!(run.status, 2, "{}", run.stderr);
    let run = import_in(&fixtures(), "zola", "no-such-folder", &dir.join("out"));
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(!dir.join("out").exists());
}

#[test]
fn real_books_import_and_build() {
    let root = match import_books::real_books_root() {
        Ok(root) => root,
        Err(why) => {
            eprintln!("skipping real_books_import_and_build: {why}");
            return;
        }
    };
    let mut tried = 0;
    for (kind, folder, what) in import_books::REAL_BOOKS {
        let source = root.join(folder);
        if !source.is_dir() {
            eprintln!("skipping {what}: {} is not there", source.display());
            continue;
        }
        tried += 1;
        let name = folder.replace(['/', '+'], "-");
        let out = temp_dir(&format!("real-{name}"));
        let before = snapshot(&source);
        let started = Instant::now();
        let run = import_in(&root, kind, folder, &out);
        let imported = started.elapsed();
        assert_eq!(run.status, 0, "{what}: {}{}", run.stdout, run.stderr);
        assert_eq!(
            snapshot(&source),
            before,
            "{what}: the import changed its source"
        );
        let site = temp_dir(&format!("real-{name}-site"));
        let started = Instant::now();
        let built = build(&out, &site, &[]);
        let took = started.elapsed();
        assert_eq!(built.status, 0, "{what}: {}", built.stderr);
        let broken = site_link_problems(&site);
        assert!(
            broken.is_empty(),
            "{what}: {} broken links:\n{}",
            broken.len(),
            broken.join("\n")
        );
        let checked = trellis(&["check", "--root", out.to_str().unwrap()], &out);
        assert_eq!(checked.status, 0, "{what}: {}", checked.stdout);
        eprintln!(
            "{what}: imported in {:.2} s with {} report items, built in {:.2} s, no broken link",
            imported.as_secs_f64(),
            items(&run).len(),
            took.as_secs_f64()
        );
    }
    eprintln!("{tried} real books tried");
}

/// Links in the site's pages that lead nowhere: like `common::broken_links`
/// but reading only real tags, so code samples about HTML (which real books
/// hold) are not taken for links.
fn site_link_problems(site: &Path) -> Vec<String> {
    let mut ids: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    for page in &pages {
        let html = read(page);
        for (name, value) in tag_attributes(&html) {
            if name != "href" && name != "src" {
                continue;
            }
            if value.contains(':') || value.starts_with("//") {
                continue;
            }
            let (path, fragment) = value.split_once('#').unwrap_or((&value, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                normalize(&page.parent().unwrap().join(path))
            };
            if !target.is_file() {
                problems.push(format!("{} -> {value} (no such file)", page.display()));
                continue;
            }
            if !fragment.is_empty() && target.extension().is_some_and(|e| e == "html") {
                let known = ids.entry(target.clone()).or_insert_with(|| {
                    tag_attributes(&read(&target))
                        .into_iter()
                        .filter(|(n, _)| n == "id")
                        .map(|(_, v)| v)
                        .collect()
                });
                if !known.iter().any(|id| id == fragment) {
                    problems.push(format!(
                        "{} -> {value} (no id `{fragment}`)",
                        page.display()
                    ));
                }
            }
        }
    }
    problems
}

/// Every attribute of every tag in `html` (names lower-cased, `&amp;` decoded).
fn tag_attributes(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        if html[lt..].starts_with("<!--") {
            i = html[lt..].find("-->").map_or(html.len(), |e| lt + e + 3);
            continue;
        }
        if !b.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let mut j = lt + 1;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
            j += 1;
        }
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let start = j;
            while j < b.len() && !b"= \t\n>".contains(&b[j]) {
                j += 1;
            }
            let name = html[start..j].to_ascii_lowercase();
            if b.get(j) == Some(&b'=') {
                j += 1;
                let value = match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[j + 1..].find(q as char).map_or(b.len(), |e| j + 1 + e);
                        let v = &html[j + 1..end];
                        j = end + 1;
                        v
                    }
                    _ => {
                        let s = j;
                        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                            j += 1;
                        }
                        &html[s..j]
                    }
                };
                out.push((name, value.replace("&amp;", "&")));
            }
        }
        i = j + 1;
    }
    out
}
