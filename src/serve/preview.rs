//! The preview folder as the producer's [`Writer`]: one language's tree of
//! it (`Preview`), which declines pages whose template and values are
//! those it last wrote, and holds what it is given until the whole run
//! succeeded (`Made`), so that a template error leaves the folder as it
//! was. [`super::tree`] writes what was made.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::pipeline::write::Writer;
use crate::render::PageJob;
use crate::site::StaticSource;

/// A page as last rendered: its template and values.
pub(super) struct Rendered {
    pub(super) template: &'static str,
    pub(super) context: tera::Context,
}

/// A fingerprint of a file's bytes (length and 64-bit SipHash).
pub(super) type Fingerprint = (usize, u64);

/// The fingerprint of `bytes`.
pub(super) fn fingerprint(bytes: &[u8]) -> Fingerprint {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    (bytes.len(), h.finish())
}

/// One language's tree of the preview folder, as the producer writes into
/// it: paths are relative to the tree (`dir`).
pub(super) struct Preview<'a> {
    pub(super) dir: &'a Path,
    pub(super) pages: &'a HashMap<PathBuf, Rendered>,
    pub(super) on_disk: &'a HashMap<PathBuf, Fingerprint>,
    pub(super) made: Mutex<Made>,
}

/// What one run of the producer gave the preview writer.
#[derive(Default)]
pub(super) struct Made {
    /// Every page of the run, rendered again or not.
    pub(super) pages: BTreeSet<PathBuf>,
    /// The pages rendered, with their values.
    pub(super) rendered: Vec<PageJob>,
    /// The files to write where their bytes changed, pages included.
    pub(super) files: Vec<(PathBuf, Vec<u8>)>,
    /// The files made without templates (search index, feeds, glossary data).
    pub(super) data: BTreeSet<PathBuf>,
    /// The files made without templates and the files copied as they are.
    pub(super) files_kept: BTreeSet<PathBuf>,
}

impl Preview<'_> {
    fn made(&self) -> MutexGuard<'_, Made> {
        self.made.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `job` has the template and values it was last rendered with
    /// (and its file is still in the folder).
    fn unchanged(&self, job: &PageJob) -> bool {
        self.on_disk.contains_key(&job.path)
            && self
                .pages
                .get(&job.path)
                .is_some_and(|r| r.template == job.template && r.context == job.context)
    }
}

impl Writer for Preview<'_> {
    fn dir(&self) -> &Path {
        self.dir
    }

    fn wants(&self, job: &PageJob) -> bool {
        self.made().pages.insert(job.path.clone());
        !self.unchanged(job)
    }

    fn write_page(&self, job: PageJob, html: String) -> io::Result<()> {
        let mut made = self.made();
        made.files.push((job.path.clone(), html.into_bytes()));
        made.rendered.push(job);
        Ok(())
    }

    fn write_file(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut made = self.made();
        made.files.push((rel.to_path_buf(), bytes.to_vec()));
        made.data.insert(rel.to_path_buf());
        made.files_kept.insert(rel.to_path_buf());
        Ok(())
    }

    fn copy_file(&self, rel: &Path, source: &StaticSource) -> io::Result<()> {
        let bytes = match source {
            StaticSource::Bytes(bytes) => bytes.clone(),
            StaticSource::File(from) => fs::read(from)?,
        };
        let mut made = self.made();
        made.files.push((rel.to_path_buf(), bytes));
        made.files_kept.insert(rel.to_path_buf());
        Ok(())
    }

    /// Pages come whole, so that a request never sees half of one.
    fn streams(&self) -> bool {
        false
    }

    /// The folder holds the last site: pages' folders are made as written.
    fn is_new(&self) -> bool {
        false
    }
}
