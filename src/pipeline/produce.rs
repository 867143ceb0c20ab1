//! The producer: a loaded [`Site`]'s pages rendered through the templates
//! and handed to a [`Writer`] as soon as each is made, so the whole site is
//! never held in memory at once: an article page's values are made just
//! before it is rendered, and the print page is written a batch of
//! sections at a time. `build` runs it on every page of the site into its
//! staging folder, then on the data files ([`Producer::data_files`]);
//! `serve` runs it into its preview folder on the whole site, or
//! on what a change touched ([`Selection`]): one edited article's page,
//! then, when the author pauses, the pages every article feeds.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use super::write::Writer;
use crate::content::ArticleId;
use crate::diagnostic::Diagnostic;
use crate::render::context::NavCache;
use crate::render::search::ArticleHtml;
use crate::render::{
    feeds, glossary, pages, print, quiz, search, write_error, OutputFile, PageJob, Pages,
    Templates, PAGES,
};
use crate::site::Site;
use crate::theme::Theme;

/// The largest print page held in memory to be compared with the site's
/// before it is written; a larger one is written as it is made, then
/// compared. A part of a few hundred articles is a few megabytes.
const PRINT_HOLD: usize = 16 << 20;

/// Which of the site's files a run of the producer makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every page and every file made without templates.
    All,
    /// Every page (the print view's too), without the files made without
    /// templates: `build` makes those after, with [`Producer::data_files`].
    Pages,
    /// These articles' own pages.
    Articles(Vec<ArticleId>),
    /// The files made without templates: feeds, glossary data, the practice
    /// exam's question bank, the e-book and the search index.
    Data,
    /// The print view's pages.
    Print,
    /// The glossary's pages (their "used in" lists).
    Glossary,
    /// The home page (which gives the e-book's size).
    Home,
}

/// What the producer works from: the site, its templates and theme, and
/// the navigation its pages share.
pub struct Producer<'a> {
    /// The loaded site.
    pub site: &'a Site,
    /// Its templates.
    pub templates: &'a Templates,
    /// Its theme (for the theme's own static files).
    pub theme: &'a Theme,
    /// The navigation around each part's list, shared by its pages.
    pub nav: &'a NavCache,
}

impl Producer<'_> {
    /// Makes the `selection`'s files and gives them to `writer`. Returns the
    /// number of files written, or every template and write error.
    pub fn run(
        &self,
        selection: &Selection,
        writer: &dyn Writer,
    ) -> Result<usize, Vec<Diagnostic>> {
        let run = Run::new(self, writer);
        match selection {
            Selection::All => {
                run.pages();
                run.data_files(ArticleHtml::InSite);
            }
            Selection::Pages => run.pages(),
            Selection::Articles(articles) => articles
                .par_iter()
                .for_each(|&a| run.render(pages::article(self.site, a, self.nav))),
            Selection::Data => run.data_files(ArticleHtml::InSite),
            Selection::Print => run.print_page(),
            Selection::Home => run.render(pages::home(self.site)),
            Selection::Glossary => glossary::pages(self.site)
                .into_par_iter()
                .for_each(|job| run.render(job)),
        }
        run.finish()
    }

    /// Makes the files made without templates ([`Selection::Data`]), the
    /// search index reading the articles' HTML from `html`, and gives them
    /// to `writer`. `build` runs it after [`Selection::Pages`], with the
    /// HTML taken out of the site, which the search index frees a batch
    /// of articles at a time.
    pub fn data_files(
        &self,
        html: ArticleHtml,
        writer: &dyn Writer,
    ) -> Result<usize, Vec<Diagnostic>> {
        let run = Run::new(self, writer);
        run.data_files(html);
        run.finish()
    }

    /// Copies the files that go into the site as they are (theme assets
    /// under `static/`, the handbook's `static/` at the root, content assets
    /// beside their pages; see [`Site::static_files`]) through `writer`.
    pub fn copy_static(&self, writer: &dyn Writer) -> std::io::Result<()> {
        self.site
            .static_files(self.theme)?
            .par_iter()
            .try_for_each(|(rel, source)| writer.copy_file(rel, source))
    }
}

/// One run of the producer: where its files go and what went wrong.
struct Run<'a> {
    producer: &'a Producer<'a>,
    writer: &'a dyn Writer,
    errors: Mutex<Vec<Diagnostic>>,
    count: AtomicUsize,
}

impl<'a> Run<'a> {
    fn new(producer: &'a Producer<'a>, writer: &'a dyn Writer) -> Self {
        Run {
            producer,
            writer,
            errors: Mutex::new(Vec::new()),
            count: AtomicUsize::new(0),
        }
    }

    /// The number of files written, or every error.
    fn finish(self) -> Result<usize, Vec<Diagnostic>> {
        let errors = self.errors.into_inner().unwrap_or_else(|e| e.into_inner());
        if errors.is_empty() {
            Ok(self.count.into_inner())
        } else {
            Err(errors)
        }
    }
}

impl Run<'_> {
    /// Every page: the print page streams its sections while the other
    /// pages render, and the pages' folders are made beside both. The
    /// articles' HTML is read by nothing after these but the search index.
    fn pages(&self) {
        rayon::join(
            || self.folders(),
            || rayon::join(|| self.print_page(), || self.other_pages()),
        );
    }

    /// Renders `job` (unless the writer already holds it) and writes it.
    fn render(&self, job: PageJob) {
        if !self.writer.wants(&job) {
            return;
        }
        match self.producer.templates.render(job.template, &job.context) {
            Ok(html) => {
                let dest = self.writer.dir().join(&job.path);
                match self.writer.write_page(job, html) {
                    Ok(()) => self.written(),
                    Err(e) => self.failed(write_error(&dest, &e)),
                }
            }
            Err(d) => self.failed(d),
        }
    }

    /// Writes a file made without templates.
    fn write(&self, path: &Path, bytes: &[u8]) {
        match self.writer.write_file(path, bytes) {
            Ok(()) => self.written(),
            Err(e) => self.failed(write_error(&self.writer.dir().join(path), &e)),
        }
    }

    fn written(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    fn failed(&self, d: Diagnostic) {
        push_once(&self.errors, d);
    }

    /// The print view's pages: streamed into the folder when the writer
    /// allows it, else rendered whole.
    fn print_page(&self) {
        if !PAGES.iter().any(|k| matches!(k, Pages::Print)) {
            return;
        }
        let Producer {
            site, templates, ..
        } = self.producer;
        if !self.writer.streams() {
            return print::pages(site)
                .into_par_iter()
                .for_each(|job| self.render(job));
        }
        let dir = self.writer.dir();
        // Over an existing site, a page is held to be compared before it is
        // written (see `print::write`).
        let hold = if self.writer.is_new() { 0 } else { PRINT_HOLD };
        print::write(
            site,
            templates,
            print::Destination { dir, hold },
            &|written| {
                let settled = written.and_then(|written| match written {
                    print::Written::InFolder(rel) => self
                        .writer
                        .settle(rel)
                        .map_err(|e| write_error(&dir.join(rel), &e)),
                    print::Written::Held(rel, bytes) => self
                        .writer
                        .write_file(rel, &bytes)
                        .map_err(|e| write_error(&dir.join(rel), &e)),
                });
                match settled {
                    Ok(()) => self.written(),
                    Err(d) => self.failed(d),
                }
            },
        );
    }

    /// Every page but the print page, kind by kind in [`PAGES`]' order.
    fn other_pages(&self) {
        let Producer { site, nav, .. } = self.producer;
        for kind in &PAGES {
            match kind {
                Pages::Jobs(make) => make(site).into_par_iter().for_each(|job| self.render(job)),
                Pages::Later(plan) => plan(site)
                    .into_par_iter()
                    .with_max_len(crate::PAR_LEAF)
                    .for_each(|later| self.render(later())),
                Pages::Each { count, page } => (0..count(site))
                    .into_par_iter()
                    .with_max_len(crate::PAR_LEAF)
                    .for_each(|i| self.render(page(site, i, nav))),
                Pages::Print => {}
            }
        }
    }

    /// The files made without templates; the search index is written as it
    /// is made, from the articles' HTML in `html`. The index comes first:
    /// HTML taken out of the site is freed as it goes, before the other
    /// files (the glossary's, tens of megabytes to make on a large
    /// handbook) need memory.
    fn data_files(&self, html: ArticleHtml) {
        let Producer {
            site, templates, ..
        } = self.producer;
        search::for_each_file(site, html, |f| self.write(&f.path, &f.bytes));
        if let Err(d) = small_files(site, templates, &|f| self.write(&f.path, &f.bytes)) {
            self.failed(d);
        }
    }

    /// The articles' and quizzes' page folders, ahead of their pages, when
    /// the folder starts empty.
    fn folders(&self) {
        if self.writer.is_new() {
            make_folders(self.producer.site, self.writer.dir())
        }
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

fn push_once(errors: &Mutex<Vec<Diagnostic>>, d: Diagnostic) {
    let mut errors = errors.lock().unwrap_or_else(|e| e.into_inner());
    if !errors.contains(&d) {
        errors.push(d);
    }
}

/// The files that are not pages, but the search index (written as it is
/// made): feeds, glossary data, the practice exam's question bank, the e-book.
fn small_files(
    site: &Site,
    templates: &Templates,
    write: &(dyn Fn(OutputFile) + Sync),
) -> Result<(), Diagnostic> {
    // The producers do not depend on each other, so they run side by side,
    // each file written as soon as it is made (the practice exam's banks
    // are tens of megabytes on a large handbook).
    let ((), quiz) = rayon::join(
        || {
            rayon::join(
                || feeds::all(site).into_iter().for_each(write),
                || glossary::files(site).into_iter().for_each(write),
            );
        },
        || quiz::each_file(site, templates, write),
    );
    quiz?;
    let (path, bytes) = templates.strings_script();
    write(OutputFile { path, bytes });
    // The e-book, with `epub: true` (its errors stop `build` before this).
    match site.ebook() {
        Some(Ok(book)) => write(OutputFile {
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
    Ok(())
}
