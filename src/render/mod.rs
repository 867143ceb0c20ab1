//! Rendering: turns a loaded [`Site`] into output files through the theme's
//! Tera templates. Each kind of page has a function that returns
//! [`PageJob`]s; [`render_site`] renders them all in parallel.

pub mod context;
pub mod feeds;
pub mod glossary;
pub mod help;
pub mod pages;
pub mod print;
pub mod quiz;
pub mod search;
pub mod templates;
pub mod worksheets;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::output::Staging;
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
/// [`write_site`] makes each kind's pages only when their turn comes, and
/// the kinds that are many pages one page at a time, just before it is
/// rendered, so it never holds the values of many pages at once.
enum Pages {
    /// All the pages this function makes.
    Jobs(fn(&Site) -> Vec<PageJob>),
    /// `count(site)` pages, page `i` made by `page(site, i, nav)`.
    Each {
        count: fn(&Site) -> usize,
        page: fn(&Site, usize, &NavCache) -> PageJob,
    },
    /// The print page ([`print::page`], [`print::write`]).
    Print,
}

const PAGES: [Pages; 11] = [
    Pages::Jobs(|site| vec![pages::home(site), pages::not_found(site)]),
    Pages::Jobs(help::pages),
    Pages::Jobs(pages::parts),
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
    Pages::Jobs(worksheets::pages),
    Pages::Jobs(search::pages),
];

/// Every page job of the site, in a stable order.
pub fn page_jobs(site: &Site) -> Vec<PageJob> {
    let nav = NavCache::new(&site.handbook);
    let mut jobs = Vec::new();
    for kind in &PAGES {
        match kind {
            Pages::Jobs(make) => jobs.extend(make(site)),
            Pages::Each { count, page } => {
                jobs.extend((0..count(site)).map(|i| page(site, i, &nav)))
            }
            Pages::Print => jobs.push(print::page(site)),
        }
    }
    jobs
}

/// Renders every page and feed. All template errors are returned together.
pub fn render_site(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files = render_jobs(&page_jobs(site), templates)?;
    files.extend(other_files(site, templates)?);
    Ok(files)
}

/// Renders page jobs in parallel, in their order. All template errors are
/// returned together, each once. (`trellis serve` passes only the pages whose
/// values changed since its last build.)
pub fn render_jobs(
    jobs: &[PageJob],
    templates: &Templates,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            templates
                .render(job.template, &job.context)
                .map(|html| OutputFile {
                    path: job.path.clone(),
                    bytes: html.into_bytes(),
                })
        })
        .collect();
    let mut files = Vec::with_capacity(results.len() + 3);
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => {
                if !errors.contains(&d) {
                    errors.push(d);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(files)
}

/// Renders every page and writes it into `dir` as soon as it is rendered, so
/// the whole site is never held in memory at once: an article page's values
/// are made just before it is rendered, and the print page is written a
/// batch of sections at a time. Returns the number of files written, or
/// every template and write error.
pub fn write_site(
    site: &Site,
    templates: &Templates,
    staging: &Staging,
) -> Result<usize, Vec<Diagnostic>> {
    let dir = staging.dir.as_path();
    let errors = Mutex::new(Vec::new());
    let count = AtomicUsize::new(0);
    let write = |path: &Path, bytes: &[u8]| {
        // Through the staging folder, which skips what an updated site
        // already holds and lets an interrupted build remove what it wrote.
        match staging.write(path, bytes) {
            Ok(()) => {
                count.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => push_once(&errors, write_error(&dir.join(path), &e)),
        }
    };
    let render = |job: PageJob| match templates.render(job.template, &job.context) {
        Ok(html) => write(&job.path, html.as_bytes()),
        Err(d) => push_once(&errors, d),
    };
    let nav = NavCache::new(&site.handbook);
    let print = PAGES.iter().any(|k| matches!(k, Pages::Print));
    // The print page streams its sections while the other pages render.
    let print_page = || {
        if print {
            let rel = Path::new(print::PRINT_URL).join("index.html");
            let written = print::write(site, templates, dir).and_then(|()| {
                staging
                    .settle(&rel)
                    .map_err(|e| write_error(&dir.join(&rel), &e))
            });
            match written {
                Ok(()) => {
                    count.fetch_add(1, Ordering::Relaxed);
                }
                Err(d) => push_once(&errors, d),
            }
        }
    };
    let other_pages = || {
        for kind in &PAGES {
            match kind {
                Pages::Jobs(make) => make(site).into_par_iter().for_each(render),
                Pages::Each { count, page } => (0..count(site))
                    .into_par_iter()
                    .with_max_len(crate::PAR_LEAF)
                    .for_each(|i| render(page(site, i, &nav))),
                Pages::Print => {}
            }
        }
        match small_files(site, templates) {
            Ok(files) => files.par_iter().for_each(|f| write(&f.path, &f.bytes)),
            Err(d) => push_once(&errors, d),
        }
        search::for_each_file(site, |f| write(&f.path, &f.bytes));
    };
    // Folders ahead of the pages only for a whole new site: an update
    // stages just the pages that changed.
    let folders = || {
        if !staging.is_update() {
            make_folders(site, dir)
        }
    };
    rayon::join(folders, || rayon::join(print_page, other_pages));
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if errors.is_empty() {
        Ok(count.into_inner())
    } else {
        Err(errors)
    }
}

/// Creates the folders of the articles' and quizzes' pages, ahead of the
/// threads that render the pages, on threads that may wait on the disk.
///
/// On ext4, making a folder reads the bitmaps and inode tables of the
/// groups it lands in, when they are not in memory: a build with a cold
/// cache waits for the disk in `mkdir` for most of its folders, each time
/// with a core idle (docs/performance.md). Made here, four at a time a core,
/// the waits overlap each other and the rendering, and the pages' own
/// files land in groups already read. A part's folders are made by one
/// thread, since `mkdir` locks the parent folder. A folder that cannot be
/// made here is tried again, and its error reported, when its page is
/// written.
fn make_folders(site: &Site, dir: &Path) {
    let hb = &site.handbook;
    let mut by_part: Vec<Vec<&str>> = vec![Vec::new(); hb.parts.len()];
    for a in &hb.articles {
        if let Some(list) = by_part.get_mut(a.part) {
            list.push(&a.url);
        }
    }
    for q in &site.quizzes {
        if let Some(list) = q
            .article
            .and_then(|a| hb.articles.get(a))
            .and_then(|a| by_part.get_mut(a.part))
        {
            list.push(&q.url);
        }
    }
    crate::waiting_on_disk(|| {
        by_part.par_iter().for_each(|urls| {
            for url in urls {
                let _ = crate::output::make_folder(&dir.join(url));
            }
        })
    });
}

/// A file of the site that could not be written.
pub(crate) fn write_error(dest: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(dest, 0, 0, format!("cannot write the site: {e}"))
        .with_help("check that there is space on the disk and that you may write there")
}

fn push_once(errors: &Mutex<Vec<Diagnostic>>, d: Diagnostic) {
    let mut errors = errors.lock().unwrap_or_else(|e| e.into_inner());
    if !errors.contains(&d) {
        errors.push(d);
    }
}

/// The files that are not pages: feeds, glossary data, the practice exam's
/// question bank and the search index.
pub fn other_files(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files = small_files(site, templates).map_err(|d| vec![d])?;
    files.extend(search::files(site));
    Ok(files)
}

/// [`other_files`] but the search index (which [`write_site`] writes as it is made).
fn small_files(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Diagnostic> {
    // The producers do not depend on each other, so they run side by side.
    let ((feeds, glossary), quiz) = rayon::join(
        || rayon::join(|| feeds::all(site), || glossary::files(site)),
        || quiz::files(site, templates),
    );
    let mut files = feeds;
    files.extend(glossary);
    files.extend(quiz?);
    // The e-book, with `epub: true` (its errors stop `build` before this).
    match site.ebook() {
        Some(Ok(book)) => files.push(OutputFile {
            path: PathBuf::from(&book.file_name),
            bytes: book.bytes.clone(),
        }),
        Some(Err(d)) => {
            if let Some(first) = d.errors().next() {
                return Err(first.clone());
            }
        }
        None => {}
    }
    Ok(files)
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
            let cache = NavCache::new(hb);
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
                    context::nav_html(hb, place),
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
                    context::nav_html(hb, place),
                    "{name}: {url}"
                );
            }
        }
        let _ = std::fs::remove_dir_all(long_root);
    }

    #[test]
    fn the_print_page_written_a_batch_at_a_time_is_the_one_rendered_whole() {
        let site = fixture("basic");
        let root = &site.handbook.root;
        let theme = Theme::find(root, &site.handbook.config.theme).unwrap();
        let templates = Templates::load(root, &theme).unwrap();
        let dir = std::env::temp_dir().join(format!("trellis-print-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        print::write(&site, &templates, &dir).unwrap();
        let written = std::fs::read_to_string(dir.join(print::PRINT_URL).join("index.html"));
        let _ = std::fs::remove_dir_all(&dir);
        let whole = templates
            .render("print.html", &print::page(&site).context)
            .unwrap();
        assert!(whole.contains("class=\"print-article\""));
        assert_eq!(written.unwrap(), whole);
    }
}
