//! Where the producer's files go: the [`Writer`] trait, and its
//! implementation for `trellis build`'s staging folder ([`Staging`]).
//! `trellis serve`'s preview folder is the other writer
//! (`serve/preview.rs`), one language's tree of it at a time.

use std::io;
use std::path::Path;

use crate::output::Staging;
use crate::render::PageJob;
use crate::site::StaticSource;

/// A folder the producer ([`super::produce`]) writes a site into. Shared by
/// the threads that render, so every method takes `&self`.
pub trait Writer: Sync {
    /// The folder, for error messages and for what is written into it
    /// directly (the print page, the page folders made ahead).
    fn dir(&self) -> &Path;

    /// Whether `job`'s page must be rendered: a writer that remembers the
    /// pages it holds declines one whose template and values are the same.
    fn wants(&self, _job: &PageJob) -> bool {
        true
    }

    /// The page `job` rendered to `html` (given whole, for a writer that
    /// keeps it until the run ends).
    fn write_page(&self, job: PageJob, html: String) -> io::Result<()> {
        self.write_file(&job.path, html.as_bytes())
    }

    /// The site's file `rel` (site-relative), made without templates.
    fn write_file(&self, rel: &Path, bytes: &[u8]) -> io::Result<()>;

    /// The site's file `rel`, copied as it is from `source`.
    fn copy_file(&self, rel: &Path, source: &StaticSource) -> io::Result<()>;

    /// Whether the print page may be written straight into [`Writer::dir`]
    /// a batch of sections at a time (then [`Writer::settle`]d), rather than
    /// rendered whole and passed to [`Writer::write_page`].
    fn streams(&self) -> bool;

    /// The file `rel`, written straight into the folder, is complete.
    fn settle(&self, _rel: &Path) -> io::Result<()> {
        Ok(())
    }

    /// Whether the folder starts empty, so the pages' folders may be made
    /// ahead of them.
    fn is_new(&self) -> bool;
}

/// `trellis build`'s writer: the staging folder that is swapped in whole.
impl Writer for Staging {
    fn dir(&self) -> &Path {
        &self.dir
    }

    fn write_file(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        // Through the staging folder, which skips what an updated site
        // already holds and lets an interrupted build remove what it wrote.
        self.write(rel, bytes)
    }

    fn copy_file(&self, rel: &Path, source: &StaticSource) -> io::Result<()> {
        match source {
            StaticSource::Bytes(bytes) => self.write(rel, bytes),
            StaticSource::File(from) => self.copy(rel, from),
        }
    }

    fn streams(&self) -> bool {
        true
    }

    fn settle(&self, rel: &Path) -> io::Result<()> {
        Staging::settle(self, rel)
    }

    fn is_new(&self) -> bool {
        // An update stages just the pages that changed.
        !self.is_update()
    }
}

/// A writer that puts every file under `prefix/` of another: a further
/// language's site, in its folder of the whole site (`es/`).
pub struct Prefixed<'a> {
    /// The writer of the whole site.
    pub inner: &'a dyn Writer,
    /// The language's folder, relative to the site's root.
    pub prefix: std::path::PathBuf,
    /// `inner`'s folder joined with `prefix`.
    pub dir: std::path::PathBuf,
}

impl<'a> Prefixed<'a> {
    /// Files under `prefix` of `inner`.
    pub fn new(inner: &'a dyn Writer, prefix: &str) -> Self {
        Prefixed {
            inner,
            prefix: prefix.into(),
            dir: inner.dir().join(prefix),
        }
    }
}

impl Writer for Prefixed<'_> {
    fn dir(&self) -> &Path {
        &self.dir
    }

    fn wants(&self, job: &PageJob) -> bool {
        self.inner.wants(job)
    }

    fn write_file(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        self.inner.write_file(&self.prefix.join(rel), bytes)
    }

    fn copy_file(&self, rel: &Path, source: &StaticSource) -> io::Result<()> {
        self.inner.copy_file(&self.prefix.join(rel), source)
    }

    fn streams(&self) -> bool {
        self.inner.streams()
    }

    fn settle(&self, rel: &Path) -> io::Result<()> {
        self.inner.settle(&self.prefix.join(rel))
    }

    fn is_new(&self) -> bool {
        self.inner.is_new()
    }
}
