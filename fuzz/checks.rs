//! What each fuzz target checks, shared by the targets (`fuzz_targets/`) and
//! by the regression test at the root (`tests/fuzz_regressions.rs`), which
//! feeds every input kept under `fuzz/regressions/<target>/` through the same
//! function. Nothing may panic; every diagnostic must point at a line of the
//! input; what is made from a valid input must be well-formed.

use std::path::Path;
use std::sync::OnceLock;

use trellis::citations::Bibliography;
use trellis::config::Autolink;
use trellis::diagnostic::Diagnostic;
use trellis::frontmatter::{self, ArticleMeta, PartMeta};
use trellis::glossary::Glossary;
use trellis::links::LinkIndex;
use trellis::markdown::{self, Citations, RenderContext, Terms};
use trellis::quiz::export::{gift::gift, qti::qti};
use trellis::render::glossary_page::{flashcards, glossary_json, glossary_page, SetInfo};
use trellis::render::quiz_page::quiz_page;
use trellis::render::tooltips::tooltips_html;

/// Panics unless `d` points at a line of `text` (1-based, or one past the
/// last line for an error at the very end).
fn assert_inside(d: &Diagnostic, text: &str) {
    let lines = text.lines().count().max(1);
    assert!(
        d.line <= lines + 1,
        "{d} is past the end of a {lines}-line file"
    );
}

struct World {
    links: LinkIndex,
    glossary: Glossary,
    bibliography: Bibliography,
}

/// The handbook around the fuzzed article: pages, anchors, an asset, a
/// glossary and a bibliography for its links, terms and citations.
fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let mut links = LinkIndex::default();
        links.add_page(Path::new("content/part/a.md"), "part/a/");
        links.add_page(Path::new("content/part/b.md"), "part/b/");
        links.add_page(Path::new("content/part/_index.md"), "part/");
        links.add_anchors("part/b/", ["next-steps".to_string(), "repair".to_string()]);
        links.add_asset(Path::new("content/part/leaf.svg"), Path::new("part/leaf.svg"));
        links.add_broken_page(Path::new("content/part/broken.md"));
        let glossary = Glossary::parse(
            "- term: Rupture\n  aliases: [strain]\n  definition: A *break* in trust.\n  see_also: [Repair]\n\
             - term: Repair\n  definition: Mending a rupture.\n",
            Path::new("content/glossary.yaml"),
        )
        .expect("the fixed glossary parses");
        let bibliography = Bibliography::parse(
            "rogers1957:\n  type: article\n  title: The necessary and sufficient conditions\n  \
             author: Rogers, Carl R.\n  date: 1957\n",
            Path::new("content/references.yaml"),
            "apa",
        )
        .expect("the fixed references parse");
        World {
            links,
            glossary,
            bibliography,
        }
    })
}

/// A markdown file as an author saves it: front matter split and parsed (as
/// an article's and as a part's), then the body rendered as the build does,
/// for its own page and for the print page.
pub fn front_matter_markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = Path::new("content/part/a.md");
    let split = match frontmatter::split(text, file) {
        Ok(split) => split,
        Err(d) => return assert_inside(&d, text),
    };
    for d in [
        frontmatter::parse::<ArticleMeta>(&split, file).err(),
        frontmatter::parse::<PartMeta>(&split, file).err(),
    ]
    .into_iter()
    .flatten()
    {
        assert_inside(&d, text);
    }
    let w = world();
    for autolink in [Autolink::First, Autolink::Every] {
        let render = |print| {
            let ctx = RenderContext {
                file,
                line_offset: split.body_line_offset,
                page_url: "part/a/",
                links: &w.links,
                terms: Some(&w.glossary as &dyn Terms),
                autolink,
                glossary_url: "glossary/",
                citations: Some(&w.bibliography as &dyn Citations),
                words: &trellis::theme_strings::Words::default(),
                print,
            };
            markdown::render(split.body, &ctx)
        };
        let (page, print) = (render(false), render(true));
        let anchors = w
            .links
            .anchor_errors(page.anchors.iter().chain(&print.anchors));
        for d in page
            .diagnostics
            .iter()
            .chain(&print.diagnostics)
            .chain(&anchors)
        {
            assert!(d.line >= 1, "{d}");
            assert_inside(d, text);
        }
        // The print page splices the page render; when it can, the result
        // must be what rendering for print gives.
        if let Some(spliced) = page.print_html() {
            assert_eq!(spliced, print.html, "print splices of {text:?}");
        }
        // A print render records its links' addresses unchanged (for a
        // print page of one part): applied, they give its own HTML.
        if let Some(own) = print.print_html() {
            assert_eq!(own, print.html, "a print render's splices of {text:?}");
        }
    }
}

/// `glossary.yaml`: parsed and checked; when valid, its terms matched in the
/// input itself, and its page, flashcards, tooltips and JSON made.
pub fn glossary(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Glossary::parse(text, Path::new("content/glossary.yaml")) {
        Err(errors) => {
            assert!(!errors.is_empty());
            for d in &errors {
                assert_inside(d, text);
            }
        }
        Ok(glossary) => {
            let _ = glossary.find_matches(text);
            let _ = tooltips_html(&glossary, 0..glossary.terms.len());
            let used_in = vec![Vec::new(); glossary.terms.len()];
            let set = SetInfo {
                name: "Glossary",
                base_url: "https://example.org/",
                language: "en",
            };
            let _ = glossary_page(&glossary, &used_in, set);
            let _ = flashcards(&glossary);
            let json = glossary_json(&glossary, &used_in);
            serde_json::from_str::<serde_json::Value>(&json).expect("glossary.json is JSON");
        }
    }
}

/// A `*.quiz.yaml` file: parsed and checked; when valid, its page data made
/// (JSON with no `<`, safe inside `<script>`) and exported as GIFT and QTI.
pub fn quiz(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match trellis::quiz::parse(text, Path::new("content/a.quiz.yaml")) {
        Err(errors) => {
            assert!(!errors.is_empty());
            for d in &errors {
                assert_inside(d, text);
            }
        }
        Ok(quiz) => {
            let words = trellis::theme_strings::Words::default();
            let page = quiz_page(&quiz, "Quiz", "/a/quiz/", 70, &[], &words);
            assert!(!page.data_json.contains('<'), "{}", page.data_json);
            serde_json::from_str::<serde_json::Value>(&page.data_json).expect("quiz data is JSON");
            let _ = gift(&[("a", &quiz)]);
            qti(&[("a", &quiz)]).expect("QTI export");
        }
    }
}
