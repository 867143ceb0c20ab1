//! `trellis build` end to end: fixture handbooks under `tests/fixtures/` are
//! built with the real binary, and the tests assert on the HTML a reader gets
//! and on the exact error text an author gets.

mod common;

use std::fs;
use std::path::Path;

use common::{build, fixture, read, temp_dir};

#[test]
fn basic_fixture_builds_every_page_kind() {
    let out = temp_dir("basic");
    let run = build(&fixture("basic"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for page in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "first-part/index.html",
        "first-part/an-article/index.html",
        "first-part/second/index.html",
        "nested/index.html",
        "nested/inner/index.html",
        "nested/inner/deep/index.html",
        "loose/index.html",
        "first-part/figures/leaf.svg",
        "static/trellis.css",
        "humans.txt",
        ".trellis-output",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
}

#[test]
fn article_page_shows_what_a_reader_needs() {
    let out = temp_dir("article");
    let run = build(&fixture("basic"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let html = read(&out.join("first-part/an-article/index.html"));
    // Markdown extensions.
    assert!(html.contains("<table>"), "tables");
    assert!(html.contains("<del>strike</del>"), "strikethrough");
    assert!(html.contains("type=\"checkbox\""), "task lists");
    assert!(
        html.contains("\u{201c}quote\u{201d}") && html.contains("\u{2013}"),
        "smart punctuation"
    );
    assert!(html.contains("class=\"footnote-definition\""), "footnotes");
    assert!(
        html.contains("class=\"callout callout-note\" role=\"note\""),
        "GitHub alert as callout"
    );
    // Heading ids: explicit, and unique when generated.
    assert!(html.contains("<h2 id=\"repair\">Repair</h2>"));
    assert!(html.contains("<h2 id=\"repair-1\">Repair</h2>"));
    // Contents list, breadcrumbs, previous/next, review line, content note.
    assert!(
        html.contains("<a href=\"#repair-1\">Repair</a>"),
        "contents list"
    );
    assert!(
        html.contains("<a href=\"../../index.html\">Home</a>"),
        "breadcrumb home"
    );
    assert!(
        html.contains("<a href=\"../index.html\">The first part</a>"),
        "breadcrumb part"
    );
    assert!(html.contains("rel=\"next\""), "next link");
    assert!(html.contains(
        "Reviewed on <time datetime=\"2026-01-15\">15 January 2026</time> by A. Reviewer, PhD."
    ));
    assert!(html.contains("Next review due 15 January 2028."));
    assert!(html.contains("Content note:</strong> Mentions nothing upsetting"));
    assert!(html.contains("minute read"));
    // Links rewritten to relative page URLs, assets relative.
    assert!(
        html.contains("href=\"../second/index.html#next-steps\""),
        "{html}"
    );
    assert!(html.contains("src=\"../figures/leaf.svg\""));
    // Crisis signposting.
    assert!(html.contains("href=\"tel:988\""));
    // Navigation marks the current page.
    assert!(html.contains("aria-current=\"page\">An article</a>"));
}

#[test]
fn home_lists_parts_with_their_articles() {
    let out = temp_dir("home");
    let run = build(&fixture("basic"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let html = read(&out.join("index.html"));
    let first = html.find("The first part").unwrap();
    let nested = html.find("Nested part").unwrap();
    assert!(first < nested, "parts in number order");
    assert!(html.contains("href=\"first-part/an-article/index.html\""));
    assert!(html.contains("The first article, with most markdown features."));
}

#[test]
fn contents_show_a_window_of_parts_when_there_are_many() {
    // 40 parts of one article each: no page lists them all.
    let root = temp_dir("many-parts-src");
    for p in 1..=40 {
        write_article(
            &root.join(format!("content/{p:02}-part-{p}/01-only.md")),
            &format!("Article of part {p}"),
        );
    }
    fs::write(root.join("handbook.yaml"), "title: Many parts\n").unwrap();
    let out = temp_dir("many-parts");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let nav = |page: &str| site_nav(&read(&out.join(page)));
    let shown = |nav: &str| -> Vec<usize> {
        (1..=40)
            .filter(|p| nav.contains(&format!(">Part {p}</a>")))
            .collect()
    };
    // In the middle: the page's own part and those around it, and the way to all.
    let middle = nav("part-20/only/index.html");
    assert_eq!(shown(&middle), (8..=32).collect::<Vec<_>>(), "{middle}");
    assert!(middle.contains(">Article of part 20</a>"));
    assert!(middle.contains("href=\"../../index.html#trellis-parts\">All 40 parts</a>"));
    // At the ends the window stays full.
    assert_eq!(
        shown(&nav("part-1/index.html")),
        (1..=25).collect::<Vec<_>>()
    );
    assert_eq!(
        shown(&nav("part-40/index.html")),
        (16..=40).collect::<Vec<_>>()
    );
    // The home page still lists every part.
    let home = read(&out.join("index.html"));
    assert!((1..=40).all(|p| home.contains(&format!("Article of part {p}"))));
    let _ = fs::remove_dir_all(&root);
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn contents_show_a_window_of_a_part_s_articles_when_it_has_many() {
    // One part of 60 articles, another of two, and a flat handbook of 40:
    // no page lists a whole long list, however the articles are arranged.
    let root = temp_dir("big-part-src");
    let big = root.join("content/01-big");
    fs::create_dir_all(&big).unwrap();
    fs::write(big.join("_index.md"), "---\ntitle: Big part\n---\n").unwrap();
    for a in 1..=60 {
        write_article(
            &big.join(format!("{a:02}-a{a}.md")),
            &format!("Article {a}"),
        );
    }
    for a in 1..=2 {
        write_article(
            &root.join(format!("content/02-small/{a:02}-s{a}.md")),
            &format!("Small {a}"),
        );
    }
    fs::write(
        big.join("40-a40.quiz.yaml"),
        "questions:\n  - type: true-false\n    prompt: Is this article 40?\n    answer: true\n",
    )
    .unwrap();
    fs::write(root.join("handbook.yaml"), "title: Big part\n").unwrap();
    let out = temp_dir("big-part");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let nav = |page: &str| site_nav(&read(&out.join(page)));
    let shown = |nav: &str| -> Vec<usize> {
        (1..=60)
            .filter(|a| nav.contains(&format!(">Article {a}</a>")))
            .collect()
    };
    // In the middle: the page's own article and those around it, and the way to all.
    let middle = nav("big/a30/index.html");
    assert_eq!(shown(&middle), (18..=42).collect::<Vec<_>>(), "{middle}");
    assert!(middle.contains("<a href=\"index.html\" aria-current=\"page\">Article 30</a>"));
    assert!(middle.contains("href=\"../index.html\">All 60 articles in Big part</a>"));
    assert!(middle.contains(">Small</a>"), "other parts are listed");
    // At the ends the window stays full; the part's own page shows its first.
    assert_eq!(
        shown(&nav("big/a1/index.html")),
        (1..=25).collect::<Vec<_>>()
    );
    assert_eq!(
        shown(&nav("big/a60/index.html")),
        (36..=60).collect::<Vec<_>>()
    );
    assert_eq!(shown(&nav("big/index.html")), (1..=25).collect::<Vec<_>>());
    // An article's quiz page shows the articles around its article, none as the page.
    let quiz = nav("big/a40/quiz/index.html");
    assert_eq!(shown(&quiz), (28..=52).collect::<Vec<_>>(), "{quiz}");
    assert!(!quiz.contains("aria-current"), "{quiz}");
    // Pages of another part do not open this one; the part page lists all.
    let other = nav("small/s1/index.html");
    assert!(shown(&other).is_empty(), "{other}");
    assert!(!other.contains("nav-more"));
    let part_page = read(&out.join("big/index.html"));
    assert!((1..=60).all(|a| part_page.contains(&format!(">Article {a}</a>"))));

    // Articles directly in content/: the same window, and a link to the home page's list.
    let flat = temp_dir("flat-src");
    for a in 1..=40 {
        write_article(
            &flat.join(format!("content/{a:02}-a{a}.md")),
            &format!("Article {a}"),
        );
    }
    fs::write(flat.join("handbook.yaml"), "title: Flat\n").unwrap();
    let flat_out = temp_dir("flat");
    let run = build(&flat, &flat_out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let flat_nav = site_nav(&read(&flat_out.join("a20/index.html")));
    assert_eq!(shown(&flat_nav), (8..=32).collect::<Vec<_>>(), "{flat_nav}");
    assert!(flat_nav.contains("href=\"../index.html#trellis-articles\">All 40 articles</a>"));
    let home = read(&flat_out.join("index.html"));
    assert!(home.contains("id=\"trellis-articles\""));
    assert!((1..=40).all(|a| home.contains(&format!(">Article {a}</a>"))));
    for dir in [root, out, flat, flat_out] {
        let _ = fs::remove_dir_all(dir);
    }
}

/// Writes an article `file` (folders made) with `title` and a one-line body.
fn write_article(file: &Path, title: &str) {
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(
        file,
        format!("---\ntitle: {title}\nsummary: One.\n---\n\nText.\n"),
    )
    .unwrap();
}

/// The contents list of a page (its `site-nav`).
fn site_nav(html: &str) -> String {
    let start = html.find("<nav class=\"site-nav\"").unwrap();
    let end = start + html[start..].find("</nav>").unwrap();
    html[start..end].to_string()
}

#[test]
fn internal_links_all_resolve() {
    let out = temp_dir("links");
    let run = build(&fixture("basic"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let broken = common::broken_links(&out);
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

#[test]
fn sitemap_uses_absolute_urls_from_base_url() {
    let out = temp_dir("sitemap");
    build(&fixture("basic"), &out, &[]);
    let xml = read(&out.join("sitemap.xml"));
    assert!(xml.contains(
        "<loc>https://example.org/basic/first-part/an-article/</loc><lastmod>2026-01-15</lastmod>"
    ));
    let atom = read(&out.join("atom.xml"));
    assert!(atom.contains("<title>An article</title>"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let out = temp_dir("nodrafts");
    build(&fixture("basic"), &out, &[]);
    assert!(!out.join("first-part/draft/index.html").exists());
    assert!(!read(&out.join("index.html")).contains("Draft article"));
    let out = temp_dir("drafts");
    let run = build(&fixture("basic"), &out, &["--drafts"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(out.join("first-part/draft/index.html").is_file());
}

#[test]
fn handbook_templates_replace_theme_templates() {
    let out = temp_dir("override");
    let run = build(&fixture("template-override"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(read(&out.join("404.html")).contains("<h1>Custom lost page</h1>"));
    // The rest still comes from the bundled default theme.
    assert!(read(&out.join("a/index.html")).contains("Skip to main content"));
}

fn error_of(case: &str) -> String {
    let out = temp_dir(&format!("err-{case}"));
    let run = build(&fixture(&format!("errors/{case}")), &out, &[]);
    assert_eq!(
        run.status, 1,
        "{case} should fail with status 1: {}",
        run.stderr
    );
    assert!(
        !out.exists(),
        "{case}: a failed build must not write output"
    );
    run.stderr
        .replace(&fixture("errors").display().to_string(), "F")
}

#[test]
fn broken_link_names_file_and_line() {
    assert_eq!(
        error_of("broken-link"),
        "F/broken-link/content/a.md:7:5: error[broken-link]: links to `nope.md`, which is not a page of this handbook\n  help: fix the path, or remove the link\nerror: the build failed with 1 error; nothing was written\n"
    );
}

#[test]
fn missing_anchor_suggests_the_nearest() {
    assert!(error_of("missing-anchor").starts_with(
        "F/missing-anchor/content/a.md:5:5: error[unknown-anchor]: `b.md` has no heading with id `#repare` (did you mean `#repair`?)\n"
    ));
}

#[test]
fn malformed_yaml_points_at_line_and_column_in_the_file() {
    let err = error_of("malformed-yaml");
    assert!(
        err.starts_with(
            "F/malformed-yaml/content/a.md:4:6: error[yaml-syntax]: mapping values are not allowed in this context\n  help: check the YAML syntax on this line (indentation, colons, quotes)\n"
        ),
        "{err}"
    );
}

#[test]
fn unknown_keys_get_a_suggestion() {
    assert!(error_of("unknown-key").starts_with(
        "F/unknown-key/content/a.md:3:1: error[unknown-key]: unknown key `sumary`\n  help: did you mean `summary`?\n"
    ));
    assert!(error_of("unknown-config-key").starts_with(
        "F/unknown-config-key/handbook.yaml:2:1: error[unknown-key]: unknown key `thme`\n  help: did you mean `theme`?\n"
    ));
}

#[test]
fn missing_title_wrong_type_and_impossible_date() {
    assert!(error_of("missing-title").starts_with(
        "F/missing-title/content/a.md:2:1: error[missing-key]: missing required key `title`\n  help: add `title: ...` to the front matter\n"
    ));
    assert!(error_of("wrong-type").starts_with(
        "F/wrong-type/content/a.md:4:8: error[invalid-value]: order: invalid type: string \"three\", expected i64\n"
    ));
    assert!(error_of("bad-date").starts_with(
        "F/bad-date/content/a.md:4:11: error[invalid-value]: reviewed: `2026-02-30` is not a real date (no such day); write it as YYYY-MM-DD\n"
    ));
}

#[test]
fn duplicate_slugs_name_both_files() {
    let err = error_of("duplicate-slug");
    assert!(err.starts_with("F/duplicate-slug/content/02-a.md:1:1: error[duplicate-name]: two pages would be written to /a/: this one and F/duplicate-slug/content/01-a.md\n"), "{err}");
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let err = error_of("many-errors");
    assert!(
        err.contains("content/a.md:5:1: error[broken-link]: links to `x.md`"),
        "{err}"
    );
    assert!(
        err.contains("content/b.md:2:1: error[missing-key]: missing required key `summary`"),
        "{err}"
    );
    assert!(
        err.contains("content/c.md:5:1: error[broken-link]: links to `y.md`"),
        "{err}"
    );
    assert!(
        err.ends_with("error: the build failed with 3 errors; nothing was written\n"),
        "{err}"
    );
}

#[test]
fn refuses_outputs_that_would_hit_sources_or_strangers() {
    let root = temp_dir("refuse-root");
    common::copy_dir(&fixture("basic"), &root);
    for bad in [
        root.join("content"),
        root.clone(),
        root.join("content/01-first-part"),
        Path::new("/").to_path_buf(),
    ] {
        let run = build(&root, &bad, &[]);
        assert_eq!(run.status, 1, "{} must be refused", bad.display());
        assert!(run.stderr.contains("refusing to"), "{}", run.stderr);
    }
    let stranger = root.join("mine");
    fs::create_dir_all(&stranger).unwrap();
    fs::write(stranger.join("notes.txt"), "keep me").unwrap();
    let run = build(&root, &stranger, &[]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("was not created by Trellis"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(stranger.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert!(
        root.join("content/_index.md").is_file(),
        "sources untouched"
    );
}

#[test]
fn a_failed_build_keeps_the_previous_site() {
    let root = temp_dir("keep-root");
    common::copy_dir(&fixture("basic"), &root);
    let out = root.join("public");
    assert_eq!(build(&root, &out, &[]).status, 0);
    fs::write(root.join("content/broken.md"), "---\ntitle: [\n---\n").unwrap();
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 1);
    assert!(
        out.join("first-part/an-article/index.html").is_file(),
        "old site kept"
    );
    fs::remove_file(root.join("content/broken.md")).unwrap();
    assert_eq!(
        build(&root, &out, &[]).status,
        0,
        "rebuilds over its own output"
    );
}

#[test]
fn bad_usage_exits_2() {
    let run = common::trellis(&["build", "--no-such-flag"], Path::new("."));
    assert_eq!(run.status, 2);
    let run = common::trellis(
        &["build", "--root", "/nonexistent-handbook"],
        Path::new("."),
    );
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("not a handbook root"), "{}", run.stderr);
}

#[test]
fn bundled_handbook_builds_with_every_link_resolving() {
    let out = temp_dir("bundled");
    let run = build(Path::new(env!("CARGO_MANIFEST_DIR")), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let broken = common::broken_links(&out);
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    assert!(out
        .join("foundations/why-trust-matters/index.html")
        .is_file());
}

#[test]
fn print_page_holds_every_article_with_links_inside_the_page() {
    let out = temp_dir("print");
    let run = build(&fixture("basic"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let html = read(&out.join("print/index.html"));
    for title in [
        "An article",
        "Second article",
        "Deep article",
        "Loose article",
    ] {
        assert!(
            html.contains(&format!("-title\">{title}</h2>")),
            "{title} missing from print page"
        );
    }
    // A link to another article's heading becomes an anchor on this page.
    assert!(
        html.contains("href=\"#p-first-part--second-next-steps\""),
        "{html}"
    );
    assert!(html.contains("id=\"p-first-part--second-next-steps\""));
    // Assets are still found from /print/.
    assert!(html.contains("src=\"../first-part/figures/leaf.svg\""));
    let broken = common::broken_links(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_second_theme_is_one_line_away() {
    let out = temp_dir("classic");
    let run = build(&fixture("classic-theme"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let html = read(&out.join("a/index.html"));
    assert!(html.contains("href=\"../static/classic.css\""), "{html}");
    assert!(out.join("static/classic.css").is_file());
    assert!(
        out.join("static/trellis.css").is_file(),
        "inherits the default theme's files"
    );
}

#[test]
fn article_pages_carry_sharing_metadata() {
    let out = temp_dir("share");
    build(&fixture("basic"), &out, &[]);
    let html = read(&out.join("first-part/an-article/index.html"));
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://example.org/basic/first-part/an-article/\">"
    ));
    assert!(html.contains("<meta property=\"og:title\" content=\"An article\">"));
    assert!(html.contains(
        "<meta name=\"description\" content=\"The first article, with most markdown features.\">"
    ));
    assert!(html.contains("\"@type\":\"MedicalWebPage\""));
    assert!(html.contains("\"lastReviewed\":\"2026-01-15\""));
}

#[test]
fn template_errors_name_the_template_and_line() {
    assert!(error_of("template-error").starts_with(
        "F/template-error/templates/article.html:3:19: error[template-error]: template error: Found `}` but expected }}.\n"
    ));
    assert!(error_of("unknown-theme").starts_with(
        "F/unknown-theme/handbook.yaml:2:1: error[unknown-theme]: theme `clasic` not found\n  help: did you mean `theme: classic`?\n"
    ));
}

#[test]
fn aliases_send_old_addresses_to_the_article() {
    let out = temp_dir("aliases");
    let run = build(&fixture("basic"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for old in ["old/an-article/index.html", "older/name/index.html"] {
        let html = read(&out.join(old));
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"0; url=../../first-part/an-article/index.html\">"), "{old}: {html}");
        assert!(html.contains("<a href=\"../../first-part/an-article/index.html\">An article</a>"));
    }
    assert!(
        !read(&out.join("sitemap.xml")).contains("/old/"),
        "old addresses stay out of the sitemap"
    );
}

#[test]
fn an_alias_outside_the_site_is_refused() {
    assert!(error_of("bad-alias").starts_with(
        "F/bad-alias/content/a.md:4:1: error[invalid-value]: alias `../outside` has an empty, `.` or `..` part\n"
    ));
}

#[test]
fn citations_link_to_an_apa_reference_list() {
    let out = temp_dir("citations");
    let run = build(&fixture("citations"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let html = read(&out.join("a/index.html"));
    assert!(
        html.contains("<a href=\"#ref-bordin1979\">Bordin, 1979, p. 253</a>"),
        "{html}"
    );
    assert!(html.contains("id=\"ref-bordin1979\""));
    assert!(html.contains("Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of the working alliance."));
    assert!(html.contains("<a href=\"https://doi.org/10.1037/h0085885\">"));
}

#[test]
fn an_unknown_citation_key_names_file_and_line() {
    assert!(error_of("unknown-citation").starts_with(
        "F/unknown-citation/content/a.md:7:5: error[unknown-citation]: `@bordn1979` is not in content/references.yaml\n  help: did you mean `@bordin1979`?\n"
    ), "{}", error_of("unknown-citation"));
}

#[test]
fn sitemap_and_feed_are_well_formed_xml_of_the_right_kind() {
    let out = temp_dir("xml");
    let run = build(&fixture("basic"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let sitemap = read(&out.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://example.org/basic/")),
        "{locs:?}"
    );
    assert!(locs.contains(&"https://example.org/basic/glossary/"));
    let atom = read(&out.join("atom.xml"));
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml parses as XML");
    let root = doc.root_element();
    assert_eq!(
        (root.tag_name().name(), root.tag_name().namespace()),
        ("feed", Some("http://www.w3.org/2005/Atom"))
    );
    for required in ["id", "title", "updated"] {
        assert!(
            root.children().any(|n| n.has_tag_name(required)),
            "feed lacks <{required}>"
        );
    }
    let entries = root.children().filter(|n| n.has_tag_name("entry")).count();
    assert_eq!(entries, 4, "one entry per article");
}

#[test]
fn pages_say_plainly_whether_a_clinician_has_reviewed_the_article() {
    let root = temp_dir("clinical-review-root");
    fs::create_dir_all(root.join("content/01-part")).unwrap();
    fs::write(root.join("handbook.yaml"), "title: Reviews\n").unwrap();
    let article = |file: &str, title: &str, review: &str| {
        fs::write(
            root.join("content/01-part").join(file),
            format!("---\ntitle: {title}\nsummary: S.\n{review}---\n\nText.\n"),
        )
        .unwrap();
    };
    article(
        "01-checked.md",
        "Checked",
        "clinical_review: { date: 2026-11-02, reviewer: \"Dr A. Person, clinical psychologist\" }\n",
    );
    article("02-pending.md", "Pending", "clinical_review: pending\n");
    article("03-unsaid.md", "Unsaid", "");
    let out = temp_dir("clinical-review");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let checked = read(&out.join("part/checked/index.html"));
    assert!(
        checked.contains("Clinical review: <time datetime=\"2026-11-02\">2 November 2026</time> by Dr A. Person, clinical psychologist."),
        "{checked}"
    );
    for page in ["part/pending/index.html", "part/unsaid/index.html"] {
        let html = read(&out.join(page));
        assert!(html.contains("Clinical review: not yet done."), "{page}");
        assert!(!html.contains("Clinical review: <time"), "{page}");
    }
    let print = read(&out.join("print/index.html"));
    assert_eq!(print.matches("Clinical review: not yet done.").count(), 2);
    assert!(
        print.contains("Clinical review: 2 November 2026 by Dr A. Person, clinical psychologist.")
    );
}

#[test]
fn crisis_help_is_on_every_page_and_on_a_page_of_its_own() {
    let out = temp_dir("crisis-help");
    let run = build(&fixture("basic"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    // The help page lists every region, with its emergency number and lines.
    let help = read(&out.join("help/index.html"));
    for needle in [
        "<h1>Crisis help</h1>",
        "<h2 id=\"united-states-title\">United States</h2>",
        "Emergency: <a href=\"tel:911\">911</a>",
        "<a href=\"tel:116123\">Samaritans 116 123</a>",
        "<h2 id=\"australia-title\">Australia</h2>",
        "<a href=\"https://findahelpline.com\">Find a helpline in other countries</a>",
        "If you are worried about someone else, these lines can help you help them.",
    ] {
        assert!(help.contains(needle), "the help page lacks {needle}");
    }
    // Every page's banner: the general links shown, each region's line
    // hidden until the browser guesses it, and a relative link to the help page.
    let article = read(&out.join("first-part/an-article/index.html"));
    assert!(article.contains(
        "<span class=\"crisis-links\"><span class=\"crisis-line\"><a href=\"tel:988\">US: call or text 988</a></span></span>"
    ));
    assert!(article.contains("<span class=\"crisis-region\" hidden data-region=\"australia\" data-zones=\"Australia/\" data-langs=\"en-AU\">"));
    assert!(article.contains(
        "<a class=\"crisis-more\" href=\"../../help/index.html\">Help in other countries</a>"
    ));
    // `crisis_note: true` puts the signposting in the article too; others lack it.
    assert!(
        article.contains("<aside class=\"crisis-note\""),
        "{article}"
    );
    let second = read(&out.join("first-part/second/index.html"));
    assert!(!second.contains("crisis-note"));
    // The footer links the editors' address and the help page.
    assert!(second.contains(
        "Found a mistake or a problem? Write to <a href=\"mailto:editors@example.org\">editors@example.org</a>."
    ));
    assert!(second.contains("see <a href=\"../../help/index.html\">crisis help</a>"));
    assert!(read(&out.join("sitemap.xml")).contains("https://example.org/basic/help/"));
}

#[test]
fn a_handbook_without_crisis_signposting_has_no_help_page() {
    let root = temp_dir("no-crisis-root");
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("handbook.yaml"), "title: Quiet\n").unwrap();
    fs::write(
        root.join("content/a.md"),
        "---\ntitle: A\nsummary: S.\ncrisis_note: true\n---\n\nText.\n",
    )
    .unwrap();
    let out = temp_dir("no-crisis");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!out.join("help").exists());
    let page = read(&out.join("a/index.html"));
    assert!(!page.contains("crisis"), "{page}");
}

#[test]
fn a_part_with_only_an_introduction_has_no_empty_list() {
    let root = temp_dir("intro-only-root");
    fs::create_dir_all(root.join("content/01-about")).unwrap();
    fs::write(root.join("handbook.yaml"), "title: Intro\n").unwrap();
    fs::write(
        root.join("content/01-about/_index.md"),
        "---\ntitle: About\nsummary: How it was made.\n---\n\nWe wrote it carefully.\n",
    )
    .unwrap();
    let out = temp_dir("intro-only");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = read(&out.join("about/index.html"));
    assert!(page.contains("We wrote it carefully."));
    assert!(!page.contains("In this part"), "{page}");
}

#[test]
fn headings_take_githubs_ids_and_raw_html_addresses_are_rewritten() {
    let out = temp_dir("github-ids-raw-html");
    let run = build(&fixture("basic"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let html = read(&out.join("first-part/an-article/index.html"));
    // `## Search` is the author's `#search`; the theme's ids start with `trellis-`.
    assert!(html.contains("<h2 id=\"search\">Search</h2>"), "{html}");
    assert!(html.contains("<a href=\"index.html#search\">Back to it</a>"));
    assert!(html.contains("<main id=\"trellis-main\""));
    // Raw HTML's image and link are rewritten as markdown's are.
    assert!(html.contains("<img src=\"../figures/leaf.svg\" alt=\"A leaf, in raw HTML\">"));
    assert!(
        html.contains("From <a href=\"../second/index.html#next-steps\">the second article</a>.")
    );
    assert!(out.join("first-part/figures/leaf.svg").is_file());
    assert!(broken_links_of(&out).is_empty());
}

/// Links of the built site that lead nowhere (common::broken_links).
fn broken_links_of(out: &Path) -> Vec<String> {
    common::broken_links(out)
}

#[test]
fn a_raw_html_address_to_a_missing_file_fails_the_build_at_its_place() {
    let root = temp_dir("raw-html-missing-root");
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("handbook.yaml"), "title: Raw\n").unwrap();
    fs::write(
        root.join("content/a.md"),
        "---\ntitle: A\nsummary: S.\n---\n\nText.\n\n<p><img src=\"images/logo.svg\" alt=\"Logo\"> and <a href=\"b.md\">b</a></p>\n",
    )
    .unwrap();
    let out = temp_dir("raw-html-missing");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("content/a.md:8:14: error[broken-link]: links to `images/logo.svg`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "content/a.md:8:56: error[broken-link]: links to `b.md`, which is not a page of this handbook"
        ),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "a failed build writes nothing");
}

/// The inode of every file of a built site, by its path in the site.
#[cfg(unix)]
fn inodes(site: &Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    common::site_files(site, |meta| meta.ino())
}

#[test]
#[cfg(unix)]
fn a_build_over_its_own_site_writes_only_what_changed() {
    let root = temp_dir("update-root");
    common::copy_dir(&fixture("basic"), &root);
    let out = temp_dir("update-out");
    assert_eq!(build(&root, &out, &[]).status, 0);
    let first = inodes(&out);
    // Nothing changed: no file is written again, none removed.
    assert_eq!(build(&root, &out, &[]).status, 0);
    assert_eq!(
        inodes(&out),
        first,
        "a build with nothing changed writes nothing"
    );
    // One article edited: its page and the pages that show its text change.
    let second = root.join("content/01-first-part/02-second.md");
    let text = fs::read_to_string(&second).unwrap();
    fs::write(&second, format!("{text}\nA new sentence.\n")).unwrap();
    assert_eq!(build(&root, &out, &[]).status, 0);
    let edited = inodes(&out);
    assert!(read(&out.join("first-part/second/index.html")).contains("A new sentence."));
    assert_ne!(
        edited["first-part/second/index.html"],
        first["first-part/second/index.html"]
    );
    assert_ne!(edited["print/index.html"], first["print/index.html"]);
    assert_eq!(
        edited["first-part/an-article/index.html"],
        first["first-part/an-article/index.html"]
    );
    assert_eq!(edited["static/trellis.css"], first["static/trellis.css"]);
    let rewritten = edited
        .iter()
        .filter(|(p, i)| first.get(*p) != Some(*i))
        .count();
    assert!(
        rewritten < first.len() / 4,
        "{rewritten} of {} files rewritten",
        first.len()
    );
    // A failed build (a broken link) leaves the site as it was.
    fs::write(&second, format!("{text}\n[broken](missing.md)\n")).unwrap();
    assert_eq!(build(&root, &out, &[]).status, 1);
    assert_eq!(inodes(&out), edited);
    // An article removed: its page goes, and its folder with it.
    fs::remove_file(&second).unwrap();
    let text = fs::read_to_string(root.join("content/01-first-part/01-an-article.md")).unwrap();
    fs::write(
        root.join("content/01-first-part/01-an-article.md"),
        text.replace(
            "See [the second article](02-second.md#next-steps) and",
            "See",
        )
        .replace(
            "<a href=\"02-second.md#next-steps\">the second article</a>",
            "the second article",
        ),
    )
    .unwrap();
    let quiz = root.join("content/01-first-part/01-an-article.quiz.yaml");
    let q = fs::read_to_string(&quiz).unwrap();
    fs::write(
        &quiz,
        q.replace(
            "review: 02-second.md#next-steps",
            "review: 01-an-article.md#repair",
        ),
    )
    .unwrap();
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!out.join("first-part/second").exists());
    assert!(out.join(".trellis-output").is_file());
    assert!(
        common::broken_links(&out).is_empty(),
        "{:?}",
        common::broken_links(&out)
    );
    let beside: Vec<String> = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("trellis-update-out") && n.contains(".trellis-"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    let _ = fs::remove_dir_all(&root);
    let _ = fs::remove_dir_all(&out);
}
