//! Rendering: a loaded [`Site`]'s pages and files through the theme's Tera
//! templates. Each kind of page has a function that makes its [`PageJob`]s
//! (their templates and values), listed in [`PAGES`]; the pipeline's producer
//! (`crate::pipeline::produce`) renders them and hands them to a writer.
//! The data behind quiz and glossary pages ([`quiz_page`],
//! [`glossary_page`]) and the terms' tooltips ([`tooltips`]) are made here
//! too, so the content types know nothing of pages.

pub mod context;
pub mod fallen_words;
pub mod feeds;
pub mod glossary;
pub mod glossary_page;
pub mod help;
pub mod languages;
pub mod pages;
pub mod print;
mod print_sections;
pub mod quiz;
pub mod quiz_page;
pub mod search;
pub mod templates;
pub mod tooltips;
pub mod worksheets;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::site::Site;
use context::NavCache;
pub use templates::Templates;

/// One page to render: where it goes, with which template and values.
pub struct PageJob {
    /// Output path relative to the site root.
    pub path: PathBuf,
    /// Template name.
    pub template: &'static str,
    /// Template values.
    pub context: tera::Context,
}

impl PageJob {
    /// A page at `url` (a site-relative folder): written to `url/index.html`.
    pub fn new(url: &str, template: &'static str, context: tera::Context) -> Self {
        PageJob {
            path: PathBuf::from(url).join("index.html"),
            template,
            context,
        }
    }

    /// A page written to the file `path` (relative to the site root).
    pub fn file(path: &str, template: &'static str, context: tera::Context) -> Self {
        PageJob {
            path: PathBuf::from(path),
            template,
            context,
        }
    }
}

/// A finished output file.
pub struct OutputFile {
    /// Relative to the site root.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The site's pages by kind, in a stable order. New page kinds join here.
/// The producer makes each kind's pages only when their turn comes, and
/// the kinds that are many pages one page at a time, just before it is
/// rendered, so it never holds the values of many pages at once.
pub enum Pages {
    /// All the pages this function makes.
    Jobs(fn(&Site) -> Vec<PageJob>),
    /// Pages planned together, each made by its [`Later`] when its turn to
    /// be rendered comes.
    Later(fn(&Site) -> Vec<Later<'_>>),
    /// `count(site)` pages, page `i` made by `page(site, i, nav)`.
    Each {
        /// How many.
        count: fn(&Site) -> usize,
        /// Page `i`.
        page: fn(&Site, usize, &NavCache) -> PageJob,
    },
    /// The print view's pages ([`print::pages`], [`print::write`]).
    Print,
}

/// A page to make when it is rendered (see [`Pages::Later`]): its values
/// are not held while other pages are rendered.
pub type Later<'a> = Box<dyn FnOnce() -> PageJob + Send + 'a>;

/// Every kind of page, in the order they are made.
pub const PAGES: [Pages; 11] = [
    Pages::Jobs(|site| vec![pages::home(site), pages::not_found(site)]),
    Pages::Jobs(help::pages),
    Pages::Each {
        count: |site| site.handbook.parts.len().saturating_sub(1),
        page: |site, i, _| pages::part(site, i + 1),
    },
    Pages::Each {
        count: |site| site.handbook.articles.len(),
        page: pages::article,
    },
    Pages::Jobs(pages::redirects),
    Pages::Jobs(glossary::pages),
    Pages::Print,
    Pages::Each {
        count: |site| site.quizzes.len(),
        page: quiz::page,
    },
    Pages::Jobs(quiz::list_pages),
    Pages::Later(worksheets::pages),
    Pages::Jobs(search::pages),
];

/// A file of the site that could not be written.
pub(crate) fn write_error(dest: &Path, e: &std::io::Error) -> Diagnostic {
    Code::WriteFailed
        .error(dest, 0, 0, format!("cannot write the site: {e}"))
        .with_help("check that there is space on the disk and that you may write there")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::LoadOptions;
    use crate::theme::Theme;

    fn fixture(name: &str) -> Site {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        Site::load(&LoadOptions {
            root,
            drafts: false,
            ..Default::default()
        })
        .unwrap_or_else(|d| panic!("{name}: {:?}", d.0.first()))
    }

    /// A handbook written to a temporary folder: `files` are (path, text)
    /// under its root, beside a `handbook.yaml`.
    fn written(name: &str, files: &[(String, String)]) -> (Site, std::path::PathBuf) {
        let root = std::env::temp_dir().join(format!("trellis-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::write(root.join("handbook.yaml"), "title: Generated\n").unwrap();
        let site = Site::load(&LoadOptions {
            root: root.clone(),
            drafts: false,
            ..Default::default()
        })
        .unwrap_or_else(|d| panic!("{name}: {:?}", d.0.first()));
        (site, root)
    }

    fn article(path: String, title: &str) -> (String, String) {
        (
            path,
            format!("---\ntitle: {title}\nsummary: S.\n---\n\nText.\n"),
        )
    }

    /// Lists longer than navigation shows: 30 top-level parts, one of them
    /// with 40 articles and a sub-part of 30 between them, and top-level articles.
    fn long_lists() -> (Site, std::path::PathBuf) {
        let mut files = Vec::new();
        for p in 1..=30 {
            files.push(article(format!("content/{p:02}-p{p}/01-only.md"), "Only"));
        }
        for a in 1..=40 {
            let n = if a > 20 { a + 1 } else { a };
            files.push(article(
                format!("content/05-p5/{n:02}-a{a}.md"),
                &format!("A & {a}"),
            ));
        }
        for a in 1..=30 {
            files.push(article(
                format!("content/05-p5/21-sub/{a:02}-s{a}.md"),
                &format!("S {a}"),
            ));
        }
        for a in 1..=3 {
            files.push(article(
                format!("content/{a:02}-top{a}.md"),
                &format!("Top {a}"),
            ));
        }
        written("long-lists", &files)
    }

    #[test]
    fn shared_navigation_is_each_article_page_s_own() {
        let (long, long_root) = long_lists();
        let sites = ["basic", "glossary", "quizzes"]
            .into_iter()
            .map(|name| (name, fixture(name)))
            .chain([("long lists", long)]);
        for (name, site) in sites {
            let hb = &site.handbook;
            let cache = NavCache::new(hb, &site.words);
            if name == "long lists" {
                // Every list is shown in part: the parts, the big part's entries, the sub-part's.
                let sub = hb
                    .articles
                    .iter()
                    .position(|a| a.meta.title == "S 15")
                    .unwrap();
                let art = &hb.articles[sub];
                let place = context::Place {
                    url: &art.url,
                    part: Some(art.part),
                    article: Some(sub),
                    near: None,
                };
                let nav = cache.article_nav(hb, sub, place);
                for more in [
                    ">All 33 parts and articles</a>",
                    ">All 42 parts and articles in P5</a>",
                    ">All 30 articles in Sub</a>",
                ] {
                    assert!(nav.contains(more), "{more} in {nav}");
                }
            }
            for (a, art) in hb.articles.iter().enumerate() {
                let place = context::Place {
                    url: &art.url,
                    part: Some(art.part),
                    article: Some(a),
                    near: None,
                };
                assert_eq!(
                    cache.article_nav(hb, a, place),
                    context::nav_html(hb, &site.words, place),
                    "{name}: {}",
                    art.url
                );
            }
            // Other pages (quizzes, parts) with the titles escaped beforehand.
            let others = site
                .quizzes
                .iter()
                .map(|q| (q.url.as_str(), q.article.map(|a| hb.articles[a].part)))
                .chain(
                    hb.parts
                        .iter()
                        .enumerate()
                        .map(|(p, pt)| (pt.url.as_str(), Some(p))),
                );
            for (url, part) in others {
                let place = context::Place {
                    url,
                    part,
                    article: None,
                    near: None,
                };
                assert_eq!(
                    cache.nav(hb, place),
                    context::nav_html(hb, &site.words, place),
                    "{name}: {url}"
                );
            }
        }
        let _ = std::fs::remove_dir_all(long_root);
    }

    #[test]
    fn the_print_pages_written_a_batch_at_a_time_are_the_ones_rendered_whole() {
        // Written as they are made, held whole, and held then written on
        // when they outgrow what may be held.
        for (split, hold) in [
            (false, 0),
            (true, 0),
            (true, 1 << 20),
            (false, 1 << 20),
            (true, 3000),
        ] {
            let mut site = fixture("basic");
            if split {
                site.handbook.config.print.split_above = 0;
            }
            let root = &site.handbook.root;
            let theme = Theme::find(root, &site.handbook.config.theme).unwrap();
            let templates = Templates::for_handbook(&theme, &site.handbook).unwrap();
            let dir = std::env::temp_dir().join(format!(
                "trellis-print-test-{split}-{hold}-{}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            let written = std::sync::Mutex::new(Vec::new());
            let held = std::sync::atomic::AtomicUsize::new(0);
            let to = print::Destination { dir: &dir, hold };
            print::write(&site, &templates, to, &|file| match file.unwrap() {
                print::Written::InFolder(rel) => written.lock().unwrap().push(rel.to_path_buf()),
                print::Written::Held(rel, bytes) => {
                    assert!(bytes.len() <= hold);
                    held.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    std::fs::create_dir_all(dir.join(rel).parent().unwrap()).unwrap();
                    std::fs::write(dir.join(rel), bytes).unwrap();
                    written.lock().unwrap().push(rel.to_path_buf());
                }
            });
            let held = held.into_inner();
            match hold {
                0 => assert_eq!(held, 0),
                3000 => assert!(
                    held < written.lock().unwrap().len(),
                    "some pages outgrow 3,000 bytes"
                ),
                _ => assert_eq!(held, written.lock().unwrap().len()),
            }
            let mut written = written.into_inner().unwrap();
            written.sort();
            let jobs = print::pages(&site);
            let mut paths: Vec<_> = jobs.iter().map(|j| j.path.clone()).collect();
            paths.sort();
            assert_eq!(written, paths);
            assert_eq!(jobs.len() > 2, split, "{paths:?}");
            for job in jobs {
                let on_disk = std::fs::read_to_string(dir.join(&job.path));
                let whole = templates.render(job.template, &job.context).unwrap();
                assert_eq!(on_disk.unwrap(), whole, "{}", job.path.display());
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
