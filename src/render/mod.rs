//! Rendering: turns a loaded [`Site`] into output files through the theme's
//! Tera templates. Each kind of page has a function that returns
//! [`PageJob`]s; [`render_site`] renders them all in parallel.

pub mod context;
pub mod feeds;
pub mod glossary;
pub mod pages;
pub mod print;
pub mod quiz;
pub mod search;
pub mod templates;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::site::Site;
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

/// Every page job of the site, in a stable order. New page kinds join here.
pub fn page_jobs(site: &Site) -> Vec<PageJob> {
    let mut jobs = vec![pages::home(site), pages::not_found(site)];
    jobs.extend(pages::parts(site));
    jobs.extend(pages::articles(site));
    jobs.extend(pages::redirects(site));
    jobs.extend(glossary::pages(site));
    jobs.push(print::page(site));
    jobs.extend(quiz::pages(site));
    jobs.extend(search::pages(site));
    jobs
}

/// Renders every page and feed. All template errors are returned together.
pub fn render_site(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files = render_jobs(&page_jobs(site), templates)?;
    files.extend(other_files(site));
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
/// the whole site is never held in memory at once. Returns the number of files
/// written, or every template and write error.
pub fn write_site(
    site: &Site,
    templates: &Templates,
    dir: &Path,
) -> Result<usize, Vec<Diagnostic>> {
    let errors = Mutex::new(Vec::new());
    let count = AtomicUsize::new(0);
    let write = |path: &Path, bytes: &[u8]| {
        let dest = dir.join(path);
        // Through `output`, so an interrupted build can remove the staging folder between writes.
        let result = crate::output::write_file(&dest, bytes);
        match result {
            Ok(()) => {
                count.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => push_once(
                &errors,
                Diagnostic::error(&dest, 0, 0, format!("cannot write the site: {e}")).with_help(
                    "check that there is space on the disk and that you may write there",
                ),
            ),
        }
    };
    page_jobs(site).into_par_iter().for_each(|job| {
        match templates.render(job.template, &job.context) {
            Ok(html) => write(&job.path, html.as_bytes()),
            Err(d) => push_once(&errors, d),
        }
    });
    other_files(site)
        .par_iter()
        .for_each(|f| write(&f.path, &f.bytes));
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if errors.is_empty() {
        Ok(count.into_inner())
    } else {
        Err(errors)
    }
}

fn push_once(errors: &Mutex<Vec<Diagnostic>>, d: Diagnostic) {
    let mut errors = errors.lock().unwrap_or_else(|e| e.into_inner());
    if !errors.contains(&d) {
        errors.push(d);
    }
}

/// The files made without templates: feeds and glossary data.
pub fn other_files(site: &Site) -> Vec<OutputFile> {
    let mut files = feeds::all(site);
    files.extend(glossary::files(site));
    files.extend(search::files(site));
    files
}
