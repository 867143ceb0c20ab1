//! A markdown file as an author saves it: front matter split and parsed (as an
//! article's and as a part's), then the body rendered the way the build does,
//! with links, glossary terms and citations to resolve, for its own page and
//! for the print page. Nothing may panic, and every diagnostic must point at a
//! line of the file.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trellis::citations::Bibliography;
use trellis::config::Autolink;
use trellis::frontmatter::{self, ArticleMeta, PartMeta};
use trellis::glossary::Glossary;
use trellis::links::LinkIndex;
use trellis::markdown::{self, headings, Citations, RenderContext, Terms};

struct World {
    links: LinkIndex,
    glossary: Glossary,
    bibliography: Bibliography,
}

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

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = Path::new("content/part/a.md");
    let lines = text.lines().count().max(1);
    let Ok(split) = frontmatter::split(text, file) else {
        return;
    };
    for d in [
        frontmatter::parse::<ArticleMeta>(&split, file).err(),
        frontmatter::parse::<PartMeta>(&split, file).err(),
    ]
    .into_iter()
    .flatten()
    {
        assert!(
            d.line <= lines + 1,
            "{d} is past the end of a {lines}-line file"
        );
    }
    let _ = headings::collect(split.body);
    let w = world();
    for (print, autolink) in [(false, Autolink::First), (true, Autolink::Every)] {
        let ctx = RenderContext {
            file,
            line_offset: split.body_line_offset,
            page_url: "part/a/",
            links: &w.links,
            terms: Some(&w.glossary as &dyn Terms),
            autolink,
            glossary_url: "glossary/",
            citations: Some(&w.bibliography as &dyn Citations),
            print,
        };
        let rendered = markdown::render(split.body, &ctx);
        for d in &rendered.diagnostics {
            assert!(
                d.line >= 1 && d.line <= lines + 1,
                "{d} is outside a {lines}-line file"
            );
        }
    }
});
