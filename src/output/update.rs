//! Building again over a site Trellis wrote: only what changed is written.
//!
//! Writing a whole new site beside the old one and deleting the old one costs
//! the file system a new inode for every file and folder and a freed one for
//! each of the old, whether or not a page changed, and some file systems are slow to hand out
//! inodes freed moments before. So when the output already holds a site of
//! Trellis's (its marker file), a build stages only the files whose bytes
//! differ from the site's, and its commit moves them in and removes the
//! files the new site no longer has. A build with nothing changed writes
//! nothing.
//!
//! The output promise holds: a failed build changes nothing (the staged
//! files are removed with their folder); a build interrupted by SIGINT or
//! SIGTERM before its commit leaves the old site whole, and the commit,
//! which holds the lock the signal handler waits for, finishes first. While
//! a commit runs (renames only), a reader may get
//! a changed page before another: each file is always whole, old or new.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::MARKER;

/// What an update knows: the site it updates and every file of the new one.
#[derive(Debug)]
pub struct Update {
    /// The site being updated.
    site: PathBuf,
    /// Every file of the new site, site-relative, staged or not.
    produced: Mutex<HashSet<PathBuf>>,
}

impl Update {
    /// An update of the site at `site`.
    pub fn of(site: &Path) -> Update {
        Update {
            site: site.to_path_buf(),
            produced: Mutex::new(HashSet::new()),
        }
    }

    /// Notes that the new site has `rel`, and says whether the old site
    /// already holds exactly `bytes` there (so it need not be written).
    pub fn unchanged(&self, rel: &Path, bytes: &[u8]) -> bool {
        self.note(rel);
        same_bytes(&self.site.join(rel), bytes)
    }

    /// Notes that the new site has `rel`, and says whether the old site's
    /// file there has the same bytes as `file` (so it need not be moved in).
    pub fn unchanged_file(&self, rel: &Path, file: &Path) -> bool {
        self.note(rel);
        let old = self.site.join(rel);
        match (fs::metadata(&old), fs::metadata(file)) {
            (Ok(a), Ok(b)) if a.is_file() && a.len() == b.len() => {
                same_contents(&old, file).unwrap_or(false)
            }
            _ => false,
        }
    }

    fn note(&self, rel: &Path) {
        self.produced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_path_buf());
    }

    /// Moves the staged files of `staged` into the site, then removes from
    /// the site the files the new site does not have, and the folders that
    /// leaves empty. `staged` keeps only its folders and marker.
    pub fn commit(&self, staged: &Path) -> io::Result<()> {
        let marker = staged.join(MARKER);
        for entry in walkdir::WalkDir::new(staged).min_depth(1) {
            let entry = entry?;
            if entry.file_type().is_dir() || entry.path() == marker {
                continue;
            }
            let rel = entry.path().strip_prefix(staged).unwrap_or(entry.path());
            let dest = self.site.join(rel);
            if let Some(folder) = dest.parent() {
                fs::create_dir_all(folder)?;
            }
            fs::rename(entry.path(), &dest)?;
        }
        let produced = self.produced.lock().unwrap_or_else(|e| e.into_inner());
        let mut folders = Vec::new();
        for entry in walkdir::WalkDir::new(&self.site).min_depth(1) {
            let entry = entry?;
            let rel = entry
                .path()
                .strip_prefix(&self.site)
                .unwrap_or(entry.path());
            if entry.file_type().is_dir() {
                folders.push((entry.depth(), entry.into_path()));
            } else if rel != Path::new(MARKER) && !produced.contains(rel) {
                fs::remove_file(entry.path())?;
            }
        }
        // Deepest first, so a folder emptied of folders goes too.
        folders.sort_by_key(|f| std::cmp::Reverse(f.0));
        for (_, folder) in folders {
            if fs::read_dir(&folder)?.next().is_none() {
                fs::remove_dir(&folder)?;
            }
        }
        Ok(())
    }
}

/// Whether two files of the same length hold the same bytes, read a block
/// at a time: the print page of a large handbook is tens of megabytes.
fn same_contents(a: &Path, b: &Path) -> io::Result<bool> {
    use std::io::Read;
    let (mut a, mut b) = (fs::File::open(a)?, fs::File::open(b)?);
    let (mut x, mut y) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = a.read(&mut x)?;
        if n == 0 {
            return Ok(b.read(&mut y)? == 0);
        }
        b.read_exact(&mut y[..n])?;
        if x[..n] != y[..n] {
            return Ok(false);
        }
    }
}

/// Whether the file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_compare_by_their_bytes_a_block_at_a_time() {
        let dir = std::env::temp_dir().join(format!("trellis-same-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut other = big.clone();
        other[150_000] ^= 1;
        for (name, bytes) in [("a", &big), ("b", &big), ("c", &other)] {
            fs::write(dir.join(name), bytes).unwrap();
        }
        assert!(same_contents(&dir.join("a"), &dir.join("b")).unwrap());
        assert!(!same_contents(&dir.join("a"), &dir.join("c")).unwrap());
        assert!(same_bytes(&dir.join("a"), &big));
        assert!(!same_bytes(&dir.join("c"), &big));
        assert!(!same_bytes(&dir.join("missing"), b""));
        fs::remove_dir_all(&dir).unwrap();
    }
}
