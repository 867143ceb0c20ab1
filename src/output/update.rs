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
//!
//! The site's files are listed on a thread of their own while the pages
//! are made (`Listing`), so the commit need not walk the whole site
//! after them: at 10,000 articles the walk takes a tenth of a second. A
//! file someone puts into the site while the build runs is not in that
//! list, so it stays until the next build; one removed meanwhile is
//! simply gone already.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;

use super::manifest::{Entry, Manifest, Verdict};
use super::MARKER;

/// What an update knows: the site it updates, what the last build recorded
/// of it, and every file of the new one.
#[derive(Debug)]
pub struct Update {
    /// The site being updated.
    site: PathBuf,
    /// The last build's record of the site's files ([`super::manifest`]).
    previous: Option<Manifest>,
    /// Every file of the new site, site-relative, staged or not; for a
    /// file the site already holds, its record.
    produced: Mutex<HashMap<PathBuf, Option<Entry>>>,
    /// The files the site held when the build began.
    listing: Listing,
}

/// The files of a site (site-relative, but for its marker), listed on a
/// thread of their own from the moment it starts.
#[derive(Debug)]
struct Listing {
    running: Mutex<Option<JoinHandle<io::Result<Vec<PathBuf>>>>>,
    /// The files, or why they could not be listed (an `io::Error` is not `Clone`).
    done: OnceLock<Result<Vec<PathBuf>, (io::ErrorKind, String)>>,
}

impl Listing {
    fn start(site: &Path) -> Listing {
        let site = site.to_path_buf();
        let running = std::thread::spawn(move || {
            let mut files = Vec::new();
            for entry in walkdir::WalkDir::new(&site).min_depth(1) {
                let entry = match entry {
                    Ok(entry) => entry,
                    // Removed while it was listed: nothing of it to remove.
                    Err(e)
                        if e.io_error()
                            .is_some_and(|e| e.kind() == io::ErrorKind::NotFound) =>
                    {
                        continue
                    }
                    Err(e) => return Err(e.into()),
                };
                let rel = entry.path().strip_prefix(&site).unwrap_or(entry.path());
                if !entry.file_type().is_dir() && rel != Path::new(MARKER) {
                    files.push(rel.to_path_buf());
                }
            }
            Ok(files)
        });
        Listing {
            running: Mutex::new(Some(running)),
            done: OnceLock::new(),
        }
    }

    /// The files, once listed (waiting for the listing if it still runs).
    fn files(&self) -> io::Result<&[PathBuf]> {
        let done = self.done.get_or_init(|| {
            let running = self
                .running
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            match running.map(JoinHandle::join) {
                Some(Ok(listed)) => listed.map_err(|e| (e.kind(), e.to_string())),
                _ => Err((
                    io::ErrorKind::Other,
                    "the listing of the site's files stopped".into(),
                )),
            }
        });
        done.as_deref()
            .map_err(|(kind, why)| io::Error::new(*kind, why.clone()))
    }
}

impl Update {
    /// An update of the site at `site`.
    pub fn of(site: &Path) -> Update {
        Update {
            site: site.to_path_buf(),
            previous: Manifest::read(site),
            produced: Mutex::new(HashMap::new()),
            listing: Listing::start(site),
        }
    }

    /// Notes that the new site has `rel`, and says whether the old site
    /// already holds exactly `bytes` (whose [`super::manifest::hash`] is
    /// `hash`) there, so it need not be written. The last build's record
    /// answers when it can; otherwise the old file is read.
    pub fn unchanged(&self, rel: &Path, bytes: &[u8], hash: u128) -> bool {
        let old = self.site.join(rel);
        let len = bytes.len() as u64;
        let verdict = self
            .previous
            .as_ref()
            .map_or(Verdict::Unknown, |m| m.verdict(&old, rel, len, hash));
        let kept = match verdict {
            Verdict::Same(entry) => Some(entry),
            Verdict::Differs => None,
            Verdict::Unknown => same_bytes(&old, bytes, hash),
        };
        let same = kept.is_some();
        self.produced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_path_buf(), kept);
        same
    }

    /// The records of the files the site already held and keeps.
    pub fn kept(&self) -> HashMap<PathBuf, Entry> {
        let produced = self.produced.lock().unwrap_or_else(|e| e.into_inner());
        produced
            .iter()
            .filter_map(|(rel, kept)| Some((rel.clone(), (*kept)?)))
            .collect()
    }

    /// Moves the staged files of `staged` into the site, then removes from
    /// the site the files the new site does not have, and the folders that
    /// leaves empty. `staged` keeps only its folders and marker.
    pub fn commit(&self, staged: &Path) -> io::Result<()> {
        // Listed first, so a failed listing moves nothing in.
        let listed = self.listing.files()?;
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
        // The folders a file was removed from, and theirs: only these may be left empty.
        let mut emptied = HashSet::new();
        for rel in listed.iter().filter(|rel| !produced.contains_key(*rel)) {
            let path = self.site.join(rel);
            match fs::remove_file(&path) {
                // Gone already: someone removed it while the build ran.
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            let folders = path.ancestors().skip(1);
            emptied.extend(
                folders
                    .take_while(|f| *f != self.site)
                    .map(Path::to_path_buf),
            );
        }
        // Deepest first, so a folder emptied of folders goes too.
        let mut emptied: Vec<PathBuf> = emptied.into_iter().collect();
        emptied.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
        for folder in emptied {
            if fs::read_dir(&folder).is_ok_and(|mut files| files.next().is_none()) {
                fs::remove_dir(&folder)?;
            }
        }
        Ok(())
    }
}

/// The record of the file at `path` when it holds exactly `bytes` (whose
/// hash is `hash`), read to be sure.
fn same_bytes(path: &Path, bytes: &[u8], hash: u128) -> Option<Entry> {
    let meta = fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return None;
    }
    let old = fs::read(path).ok()?;
    if old != bytes {
        return None;
    }
    Entry::of(hash, &meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_removed_by_hand_after_they_were_listed_do_not_fail_the_commit() {
        let dir = std::env::temp_dir().join(format!("trellis-listed-{}", std::process::id()));
        let site = dir.join("public");
        let staged = dir.join("staged");
        for folder in [site.join("old/deep"), site.join("kept"), staged.clone()] {
            fs::create_dir_all(folder).unwrap();
        }
        for file in ["index.html", "old/deep/a.html", "old/b.html", "kept/c.html"] {
            fs::write(site.join(file), "x").unwrap();
        }
        let update = Update::of(&site);
        update.unchanged(
            Path::new("index.html"),
            b"x",
            super::super::manifest::hash(b"x"),
        );
        // Listed, then gone: one file and a whole folder, removed by hand.
        let listed = update.listing.files().unwrap();
        assert_eq!(listed.len(), 4, "{listed:?}");
        fs::remove_file(site.join("old/b.html")).unwrap();
        fs::remove_dir_all(site.join("old/deep")).unwrap();
        update.commit(&staged).unwrap();
        assert!(site.join("index.html").is_file());
        // The new site lacks the rest; their emptied folders go too.
        assert!(!site.join("old").exists());
        assert!(!site.join("kept").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn files_compare_by_their_bytes() {
        let dir = std::env::temp_dir().join(format!("trellis-same-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut other = big.clone();
        other[150_000] ^= 1;
        for (name, bytes) in [("a", &big), ("c", &other)] {
            fs::write(dir.join(name), bytes).unwrap();
        }
        let hash = super::super::manifest::hash(&big);
        assert!(same_bytes(&dir.join("a"), &big, hash).is_some());
        assert!(same_bytes(&dir.join("c"), &big, hash).is_none());
        assert!(same_bytes(&dir.join("missing"), b"", 0).is_none());
        fs::remove_dir_all(&dir).unwrap();
    }
}
