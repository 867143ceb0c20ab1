//! Speed only: the source files `trellis build` already read for the
//! digest of its inputs ([`crate::pipeline::unchanged`]), handed to the
//! load so that it does not read them a second time.
//!
//! The digest reads every file under the source folders before the build
//! decides whether it has anything to do; the articles and quizzes are
//! most of those bytes, and reading them again in `discover` and
//! `quizzes` cost about 50 ms at 10,000 articles. Those files' bytes are
//! kept here, each taken (and dropped from here) by the first stage that
//! reads its file; any other file, or a second read, goes to the disk, and
//! what the load did not take is released once it is done.
//!
//! The default language's load then reads exactly the bytes the digest was
//! taken of; a further language's load (which reads the same files again,
//! after the first took them) goes to the disk, and a build during which a
//! file changed keeps no record ([`crate::pipeline::unchanged`]).

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Files read ahead of the load, by their path under the handbook's root.
/// The default holds none: every read goes to the disk.
#[derive(Clone, Default)]
pub struct ReadAhead(Option<Arc<Files>>);

/// How many files it holds, not their bytes (hundreds of megabytes).
impl std::fmt::Debug for ReadAhead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = self
            .0
            .as_ref()
            .map_or(0, |files| files.bytes.lock().map_or(0, |bytes| bytes.len()));
        write!(f, "ReadAhead({held} files)")
    }
}

struct Files {
    /// The handbook's root, as the load is given it.
    root: PathBuf,
    /// Each file's bytes, by its path relative to `root`.
    bytes: Mutex<HashMap<PathBuf, Vec<u8>>>,
}

impl ReadAhead {
    /// The files `bytes` (by path relative to `root`) of the handbook at `root`.
    pub fn new(root: &Path, bytes: HashMap<PathBuf, Vec<u8>>) -> ReadAhead {
        ReadAhead(Some(Arc::new(Files {
            root: root.to_path_buf(),
            bytes: Mutex::new(bytes),
        })))
    }

    /// Whether a file with this name is worth keeping: the articles and
    /// quizzes, which the load reads whole.
    pub fn keeps(name: &str) -> bool {
        name.ends_with(".md") || name.ends_with(".quiz.yaml") || name.ends_with(".quiz.yml")
    }

    /// The bytes of `path` when they were read ahead and not taken yet.
    pub fn take(&self, path: &Path) -> Option<Vec<u8>> {
        let files = self.0.as_ref()?;
        let rel = path.strip_prefix(&files.root).ok()?;
        files
            .bytes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(rel)
    }

    /// Drops whatever was not taken (files under `content/` the load
    /// skipped, such as those in hidden folders): once the load is done,
    /// nothing will take them.
    pub fn release(&self) {
        if let Some(files) = &self.0 {
            *files.bytes.lock().unwrap_or_else(|e| e.into_inner()) = HashMap::new();
        }
    }

    /// The bytes of `path`: read ahead, or else from the disk.
    pub fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.take(path) {
            Some(bytes) => Ok(bytes),
            None => std::fs::read(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_read_ahead_is_given_once_then_read_from_the_disk() {
        let root = std::env::temp_dir().join(format!("trellis-read-ahead-{}", std::process::id()));
        std::fs::create_dir_all(root.join("content")).unwrap();
        let file = root.join("content/a.md");
        std::fs::write(&file, "on disk").unwrap();
        let ahead = ReadAhead::new(
            &root,
            HashMap::from([(PathBuf::from("content/a.md"), b"as read".to_vec())]),
        );
        assert_eq!(ahead.read(&file).unwrap(), b"as read");
        assert_eq!(ahead.read(&file).unwrap(), b"on disk");
        assert_eq!(ReadAhead::default().read(&file).unwrap(), b"on disk");
        assert!(ahead.read(&root.join("content/missing.md")).is_err());
        // Released, what was not taken is gone: reads go to the disk.
        let ahead = ReadAhead::new(
            &root,
            HashMap::from([(PathBuf::from("content/a.md"), b"as read".to_vec())]),
        );
        ahead.clone().release();
        assert_eq!(format!("{ahead:?}"), "ReadAhead(0 files)");
        assert_eq!(ahead.read(&file).unwrap(), b"on disk");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
