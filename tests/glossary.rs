//! The glossary rules, shown on the fixture handbook `tests/fixtures/glossary`
//! built with the real `trellis` binary: where terms are linked and where
//! not, aliases, plurals, `first` / `every` / `off`, the error for an unknown
//! `[[Term]]`, the glossary and flashcards pages, `glossary.json`, the
//! tooltips and the warning for unused terms.
//!
//! Each test copies the fixture into a scratch folder, edits the copy if it
//! needs to, and builds it there.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

/// A built copy of the fixture.
struct Built {
    root: PathBuf,
    /// The exit status: 0 built, 1 content errors.
    status: i32,
    /// What the command printed (stdout, then stderr).
    printed: String,
}

impl Built {
    /// A page of the output, e.g. `basics/rules/index.html`.
    fn page(&self, path: &str) -> String {
        let file = self.root.join("public").join(path);
        fs::read_to_string(&file).unwrap_or_else(|e| {
            panic!(
                "{} was not written ({e}); trellis printed:\n{}",
                file.display(),
                self.printed
            )
        })
    }

    /// The article body (the `.prose` block) of an article page.
    fn prose(&self, path: &str) -> String {
        let html = self.page(path);
        let start = html
            .find("<div class=\"prose\">")
            .unwrap_or_else(|| panic!("{path} has no prose block:\n{html}"));
        let end = html[start..]
            .find("</article>")
            .map_or(html.len(), |e| start + e);
        html[start..end].to_string()
    }
}

/// Copies the fixture to a fresh folder named `name`, lets `edit` change it,
/// and runs `trellis build` inside it (so messages name paths as an author
/// sees them).
fn build(name: &str, edit: impl FnOnce(&Path)) -> Built {
    let root = common::temp_dir(&format!("glossary-{name}"));
    common::copy_dir(&common::fixture("glossary"), &root);
    let _ = fs::remove_dir_all(root.join("public"));
    edit(&root);
    let run = common::trellis(&["build"], &root);
    Built {
        status: run.status,
        printed: format!("{}{}", run.stdout, run.stderr),
        root,
    }
}

/// Builds and checks that it worked and that every internal link and anchor
/// (term links included) leads somewhere.
fn build_ok(name: &str, edit: impl FnOnce(&Path)) -> Built {
    let built = build(name, edit);
    assert_eq!(built.status, 0, "the build failed:\n{}", built.printed);
    let broken = common::broken_links(&built.root.join("public"));
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    built
}

fn set_autolink(root: &Path, mode: &str) {
    let file = root.join("handbook.yaml");
    let text = fs::read_to_string(&file).expect("read handbook.yaml");
    let text = text.replace(
        "glossary: { autolink: first }",
        &format!("glossary: {{ autolink: {mode} }}"),
    );
    fs::write(file, text).expect("write handbook.yaml");
}

/// The link Trellis writes for a term from an article two levels down.
fn term_link(slug: &str, shown: &str) -> String {
    format!(
        "<a class=\"term\" href=\"../../glossary/index.html#{slug}\" aria-describedby=\"tip-{slug}\">{shown}</a>"
    )
}

const RULES: &str = "basics/rules/index.html";
const MORE: &str = "basics/more/index.html";

#[test]
fn code_headings_links_images_and_raw_html_are_not_linked() {
    // `every`, so that an earlier use cannot hide a wrong link.
    let built = build_ok("not-linked", |root| set_autolink(root, "every"));
    let prose = built.prose(RULES);
    for kept in [
        "<h2 id=\"sessions-and-the-working-alliance\">Sessions and the working alliance</h2>",
        "<p>Code: <code>session</code> and <code>working alliance</code> stay code.</p>",
        "<a href=\"../more/index.html\">a session and a working alliance</a> stays one link.",
        "<pre><code>session in a code block\n</code></pre>",
        "alt=\"a session room\" /> keeps its alt text.",
        "<a href=\"../index.html\">a session</a> stays one link.",
        "<p>session in raw HTML</p>",
    ] {
        assert!(
            prose.contains(kept),
            "expected, untouched:\n{kept}\nin:\n{prose}"
        );
    }
}

#[test]
fn an_alias_links_to_its_term() {
    let built = build_ok("alias", |_| {});
    let prose = built.prose(RULES);
    assert!(
        prose.contains(&format!(
            "build a {} over time",
            term_link("therapeutic-alliance", "working alliance")
        )),
        "{prose}"
    );
    // An explicit link may name an alias too, in any case, with its own text.
    assert!(
        prose.contains(&format!(
            "Explicit: {}, {} and {}.",
            term_link("rupture-repair", "Rupture repair"),
            term_link("rupture-repair", "fixing it"),
            term_link("therapeutic-alliance", "working alliance")
        )),
        "{prose}"
    );
}

#[test]
fn a_plural_links_to_its_term() {
    let built = build_ok("plural", |_| {});
    let prose = built.prose(RULES);
    assert!(
        prose.contains(&format!("your {} build", term_link("session", "sessions"))),
        "{prose}"
    );
}

#[test]
fn a_hyphenated_word_is_one_word() {
    let built = build_ok("hyphen", |_| {});
    let prose = built.prose(RULES);
    assert!(
        prose.contains(&format!(
            "Hyphenated: {} is one word, and inferiority alone is not a term.",
            term_link("non-inferiority", "non-inferiority")
        )),
        "{prose}"
    );
}

#[test]
fn first_links_the_first_use_in_each_article() {
    let built = build_ok("first", |_| {});
    let prose = built.prose(RULES);
    assert!(
        prose.contains("<p>Again: another session and the therapeutic alliance.</p>"),
        "{prose}"
    );
    assert_eq!(prose.matches("class=\"term\"").count(), 6, "{prose}");
    // Each article starts afresh.
    let more = built.prose(MORE);
    assert!(
        more.contains(&format!(
            "Every {} counts, and so does every {}.",
            term_link("session", "session"),
            term_link("rupture-repair", "repair")
        )),
        "{more}"
    );
}

#[test]
fn every_links_every_use() {
    let built = build_ok("every", |root| set_autolink(root, "every"));
    let prose = built.prose(RULES);
    assert!(
        prose.contains(&format!(
            "<p>Again: another {} and the {}.</p>",
            term_link("session", "session"),
            term_link("therapeutic-alliance", "therapeutic alliance")
        )),
        "{prose}"
    );
    assert_eq!(prose.matches("class=\"term\"").count(), 8, "{prose}");
    // Still never in headings, code, links or raw HTML.
    assert!(prose.contains(
        "<h2 id=\"sessions-and-the-working-alliance\">Sessions and the working alliance</h2>"
    ));
    assert!(prose.contains("<code>session</code>"));
    assert!(prose.contains("<p>session in raw HTML</p>"));
}

#[test]
fn off_links_only_explicit_terms() {
    let built = build_ok("off", |root| set_autolink(root, "off"));
    let prose = built.prose(RULES);
    assert!(
        prose.contains("<p>Prose: your sessions build a working alliance over time.</p>"),
        "{prose}"
    );
    assert_eq!(prose.matches("class=\"term\"").count(), 3, "{prose}");
    assert!(!built.prose(MORE).contains("class=\"term\""));
}

#[test]
fn an_unknown_term_fails_the_build_naming_file_line_and_nearest_terms() {
    let built = build("unknown-term", |root| {
        fs::write(
            root.join("content/01-basics/03-broken.md"),
            "---\ntitle: Broken\nsummary: Unknown terms.\n---\nA paragraph.\n\n\
             Here is [[Theraputic aliance]] and [[nothing like it]].\n",
        )
        .expect("write an article");
    });
    assert_eq!(built.status, 1, "the build should fail:\n{}", built.printed);
    assert!(
        !built.root.join("public").exists(),
        "a failed build wrote files"
    );
    assert_eq!(
        built.printed,
        "content/01-basics/03-broken.md:7:9: error[unknown-term]: `[[Theraputic aliance]]` is not a glossary term\n  \
         help: did you mean `Therapeutic alliance`?\n\
         content/01-basics/03-broken.md:7:36: error[unknown-term]: `[[nothing like it]]` is not a glossary term\n  \
         help: add the term to content/glossary.yaml, or fix its spelling\n\
         error: the build failed with 2 errors; nothing was written\n"
    );
}

#[test]
fn glossary_errors_name_file_and_line() {
    let built = build("bad-glossary", |root| {
        let file = root.join("content/glossary.yaml");
        let text = fs::read_to_string(&file).expect("read the glossary");
        let text = text
            .replace("aliases: [repair]", "aliases: [repair, Working Alliance]")
            .replace("see_also: [Session, repair]", "see_also: [Sesion, repair]");
        fs::write(&file, text).expect("write the glossary");
    });
    assert_eq!(built.status, 1, "the build should fail:\n{}", built.printed);
    assert!(
        !built.root.join("public").exists(),
        "a failed build wrote files"
    );
    for expected in [
        "content/glossary.yaml:10:14: error[unknown-term]: `see_also` of `Therapeutic alliance` names unknown term `Sesion`\n  help: did you mean `Session`?",
        "content/glossary.yaml:13:21: error[duplicate-name]: alias `Working Alliance` of `Rupture repair` duplicates alias `working alliance` of `Therapeutic alliance` at line 8 (terms and aliases are unique, ignoring case)",
    ] {
        assert!(
            built.printed.contains(expected),
            "expected:\n{expected}\nin:\n{}",
            built.printed
        );
    }
}

#[test]
fn a_term_used_nowhere_is_a_warning() {
    let built = build_ok("unused", |_| {});
    assert!(
        built.printed.contains(
            "content/glossary.yaml:19:1: warning[unused-term]: glossary term `Unused term` is used in no article\n  \
             help: use it in an article, link it with [[...]], or remove it"
        ),
        "{}",
        built.printed
    );
    assert_eq!(
        built.printed.matches(": warning[").count(),
        1,
        "{}",
        built.printed
    );
}

#[test]
fn every_linked_term_has_its_tooltip_once() {
    let built = build_ok("tooltips", |root| set_autolink(root, "every"));
    let html = built.page(RULES);
    for slug in [
        "session",
        "therapeutic-alliance",
        "rupture-repair",
        "non-inferiority",
    ] {
        let tip = format!("id=\"tip-{slug}\" role=\"tooltip\" hidden>");
        assert_eq!(html.matches(&tip).count(), 1, "{slug}: {html}");
    }
    assert!(html.contains(
        "<div class=\"term-tip\" id=\"tip-therapeutic-alliance\" role=\"tooltip\" hidden>The <em>working partnership</em> between you and your therapist.</div>"
    ));
    assert!(html.contains("<script src=\"../../static/glossary.js\" defer></script>"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"../../static/glossary.css\">"));
    // A page without terms loads neither.
    let part = built.page("basics/index.html");
    assert!(!part.contains("glossary.js") && !part.contains("role=\"tooltip\""));
    let out = built.root.join("public/static");
    for asset in ["glossary.js", "glossary.css", "flashcards.js"] {
        assert!(out.join(asset).is_file(), "static/{asset} was not copied");
    }
}

#[test]
fn the_glossary_page_has_the_bar_entries_and_backlinks() {
    let built = build_ok("page", |_| {});
    let html = built.page("glossary/index.html");
    // The A–Z bar: letters with terms link to their section; the others are shown, not linked.
    assert!(html.contains("<li><span class=\"az-empty\">A</span></li>"));
    assert!(html.contains("<li><a href=\"#letter-s\">S</a></li>"));
    assert_eq!(html.matches("class=\"az-empty\"").count(), 26 - 5);
    assert!(html.contains("<h2 id=\"letter-s\">S</h2>"));
    // One entry per term, its id the term's slug, A–Z.
    let ids: Vec<usize> = [
        "non-inferiority",
        "rupture-repair",
        "session",
        "therapeutic-alliance",
        "unused-term",
    ]
    .iter()
    .map(|slug| {
        html.find(&format!("<div class=\"glossary-entry\" id=\"{slug}\">"))
            .unwrap_or_else(|| panic!("no entry with id {slug}"))
    })
    .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "entries are not A–Z");
    assert!(html.contains("<dd class=\"glossary-aliases\">Also called: working alliance</dd>"));
    assert!(html.contains(
        "<dd class=\"glossary-definition\">The <em>working partnership</em> between you and your therapist.</dd>"
    ));
    assert!(html.contains(
        "See also: <a href=\"#session\">Session</a>, <a href=\"#rupture-repair\">Rupture repair</a>"
    ));
    // "Used in": every article that links the term, in reading order.
    assert!(html.contains(
        "Used in: <a href=\"../basics/rules/index.html\">The rules</a>, <a href=\"../basics/more/index.html\">More</a>"
    ));
    // No article uses it: no "Used in".
    let unused = &html[ids[4]..];
    let unused = &unused[..unused.find("</div>").unwrap_or(unused.len())];
    assert!(!unused.contains("Used in"), "{unused}");
    // The glossary page itself links no terms.
    assert!(!html.contains("class=\"term\""));

    // schema.org DefinedTermSet.
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").expect("end of JSON-LD");
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "DefinedTermSet");
    assert_eq!(ld["hasDefinedTerm"].as_array().map(Vec::len), Some(5));
    assert_eq!(ld["hasDefinedTerm"][3]["name"], "Therapeutic alliance");
    assert_eq!(
        ld["hasDefinedTerm"][3]["@id"],
        "https://example.org/glossary-fixture/glossary/#therapeutic-alliance"
    );
    assert_eq!(
        ld["hasDefinedTerm"][3]["alternateName"][0],
        "working alliance"
    );
    assert_eq!(
        ld["hasDefinedTerm"][3]["description"],
        "The working partnership between you and your therapist."
    );

    // glossary.json beside the page.
    let json: serde_json::Value =
        serde_json::from_str(&built.page("glossary/glossary.json")).expect("glossary.json parses");
    let session = &json["terms"][2];
    assert_eq!(session["term"], "Session");
    assert_eq!(session["url"], "index.html#session");
    assert_eq!(session["see_also"][0], "Therapeutic alliance");
    assert_eq!(session["used_in"][1]["url"], "../basics/more/index.html");

    // The sitemap knows both pages.
    let sitemap = built.page("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/glossary-fixture/glossary/</loc>"));
    assert!(
        sitemap.contains("<loc>https://example.org/glossary-fixture/glossary/flashcards/</loc>")
    );
}

#[test]
fn the_flashcards_page_lists_every_card() {
    let built = build_ok("flashcards", |_| {});
    let html = built.page("glossary/flashcards/index.html");
    assert_eq!(html.matches("<div class=\"fc-item\" data-slug=").count(), 5);
    assert!(html.contains(
        "<div class=\"fc-item\" data-slug=\"session\">\n      <dt><a href=\"../index.html#session\">Session</a></dt>\n      <dd>One meeting with your therapist, usually 50 minutes.</dd>"
    ));
    for control in [
        "data-fc=\"flip\"",
        "data-fc=\"known\"",
        "data-fc=\"review\"",
        "data-fc=\"shuffle\"",
    ] {
        assert!(html.contains(control), "no {control}");
    }
    assert!(html.contains("<script src=\"../../static/flashcards.js\" defer></script>"));
}

#[test]
fn no_glossary_no_glossary_pages() {
    let built = build_ok("no-glossary", |root| {
        fs::remove_file(root.join("content/glossary.yaml")).expect("remove the glossary");
        fs::write(
            root.join("content/01-basics/01-rules.md"),
            "---\ntitle: The rules\nsummary: No terms.\n---\nPlain prose about a session.\n",
        )
        .expect("write an article");
    });
    assert!(!built.root.join("public/glossary").exists());
    assert!(!built.page(RULES).contains("class=\"term\""));
    assert!(!built.page("index.html").contains("glossary/index.html"));
}
