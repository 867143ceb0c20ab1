//! Benchmarks of the functions a build spends its time in, on a handbook
//! written by `examples/gen_handbook.rs` (300 articles by default; set
//! `TRELLIS_BENCH_ARTICLES`): markdown with glossary linking, the glossary
//! matcher alone, parsing a glossary, one article page's values (with its navigation) and its
//! rendering through the default theme, the search index, and the whole load.
//!
//! ```text
//! cargo bench --bench hot
//! cargo bench --bench hot -- markdown      # only those whose name matches
//! ```
//!
//! Whole builds beside Hugo: `bench/run.sh` (see docs/performance.md).

use std::path::PathBuf;
use std::sync::OnceLock;

use clap::Parser as _;
use divan::{black_box, Bencher};
use trellis::markdown::{self, RenderContext, Terms};
use trellis::render::{context, pages, search, Templates};
use trellis::search::{Analyzer, Options, SearchIndex};
use trellis::site::{LoadOptions, Site};
use trellis::theme::Theme;

#[allow(dead_code)]
#[path = "../examples/gen_handbook.rs"]
mod gen_handbook;

fn main() {
    divan::main();
}

/// The generated handbook's root (written once per run).
fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let articles = std::env::var("TRELLIS_BENCH_ARTICLES").unwrap_or_else(|_| "300".into());
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-hot-{articles}"));
        let args = gen_handbook::Args::parse_from([
            "gen_handbook",
            "--out",
            root.to_str().expect("a UTF-8 target folder"),
            "--articles",
            &articles,
        ]);
        gen_handbook::run(&args).expect("the generated handbook");
        root
    })
}

/// The loaded site (once per run).
fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        Site::load(&LoadOptions {
            root: root().clone(),
            drafts: false,
            ..Default::default()
        })
        .unwrap_or_else(|d| panic!("the generated handbook loads: {:?}", d.0.first()))
    })
}

fn templates() -> &'static Templates {
    static TEMPLATES: OnceLock<Templates> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let theme = Theme::find(root(), "default").expect("the default theme");
        Templates::for_handbook(&theme, &site().handbook).expect("its templates")
    })
}

/// Every article's markdown to HTML, resolving links and linking glossary
/// terms (the `resolve` step, on one thread).
#[divan::bench(sample_count = 20)]
fn markdown_with_glossary(bencher: Bencher) {
    let site = site();
    let hb = &site.handbook;
    bencher.bench(|| {
        for a in &hb.articles {
            let ctx = RenderContext {
                file: &a.source,
                line_offset: a.body_line_offset,
                page_url: &a.url,
                links: &site.links,
                terms: Some(&site.glossary as &dyn Terms),
                autolink: hb.config.glossary.autolink,
                glossary_url: "glossary/",
                citations: None,
                words: &site.words,
                print: false,
            };
            black_box(markdown::render(&a.body, &ctx));
        }
    });
}

/// The glossary matcher alone over every article's text.
#[divan::bench(sample_count = 20)]
fn glossary_matches(bencher: Bencher) {
    let site = site();
    bencher.bench(|| {
        for a in &site.handbook.articles {
            black_box(Terms::find(&site.glossary, &a.body));
        }
    });
}

/// A glossary of `n` terms (each with an alias and a see-also) parsed and
/// checked, its matcher built: the checks look up each entry's lines.
#[divan::bench(args = [500, 5000], sample_count = 10)]
fn glossary_parse(bencher: Bencher, n: usize) {
    let text: String = (0..n)
        .map(|i| {
            format!(
                "- term: Term {i}\n  aliases: [other name {i}]\n  definition: What term {i} means, in a plain sentence or two.\n  see_also: [Term {}]\n",
                (i + 1) % n
            )
        })
        .collect();
    let file = std::path::Path::new("content/glossary.yaml");
    bencher
        .bench(|| black_box(trellis::glossary::Glossary::parse(&text, file).expect("it parses")));
}

/// One article page's template values, navigation included.
#[divan::bench(sample_count = 50)]
fn article_values(bencher: Bencher) {
    let site = site();
    let n = site.handbook.articles.len();
    let nav = context::NavCache::new(&site.handbook, &site.words);
    let mut a = 0;
    bencher.bench_local(|| {
        a = (a + 1) % n;
        black_box(pages::article(site, a, &nav))
    });
}

/// The navigation of one article page alone.
#[divan::bench(sample_count = 50)]
fn nav_html(bencher: Bencher) {
    let site = site();
    let hb = &site.handbook;
    let n = hb.articles.len();
    let mut a = 0;
    bencher.bench_local(|| {
        a = (a + 1) % n;
        let art = &hb.articles[a];
        black_box(context::nav_html(
            hb,
            &site.words,
            context::Place {
                url: &art.url,
                part: Some(art.part),
                article: Some(a),
                near: None,
            },
        ))
    });
}

/// One article page through the default theme's templates (values made beforehand).
#[divan::bench(sample_count = 50)]
fn article_template(bencher: Bencher) {
    let site = site();
    let templates = templates();
    let nav = context::NavCache::new(&site.handbook, &site.words);
    let jobs: Vec<_> = (0..site.handbook.articles.len().min(50))
        .map(|a| pages::article(site, a, &nav))
        .collect();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % jobs.len();
        black_box(templates.render(jobs[i].template, &jobs[i].context))
    });
}

/// The search index of every article, part and glossary term, and its files.
#[divan::bench(sample_count = 10)]
fn search_index(bencher: Bencher) {
    let site = site();
    let options = Options {
        analyzer: Analyzer::for_language(&site.handbook.config.language),
        ..Options::default()
    };
    bencher
        .with_inputs(|| search::documents(site))
        .bench_values(|docs| black_box(SearchIndex::build(docs, &options).files()));
}

/// `Site::load`: read, parse, index and resolve the whole handbook.
#[divan::bench(sample_count = 10)]
fn load(bencher: Bencher) {
    let options = LoadOptions {
        root: root().clone(),
        drafts: false,
        ..Default::default()
    };
    bencher.bench(|| black_box(Site::load(&options).is_ok()));
}
