//! Output safety: where the site may be written and how it replaces the old one.
//!
//! The site is written to a fresh folder beside the output and swapped in
//! only when the whole build succeeded, so a failed or interrupted build
//! leaves the previous site as it was. Over a site Trellis wrote before,
//! only the files that changed are staged and moved in ([`update`]).
//! Trellis only ever deletes folders that carry its marker file (and, in
//! such a folder, the files its new site no longer has), and refuses outputs
//! that would hit the handbook's own files (the root, `content/`, `themes/`
//! …) or a folder it did not make.

pub mod manifest;
pub mod update;

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock, RwLockWriteGuard};

use manifest::{Entry, Manifest};

/// The file that marks a folder as Trellis output (and so safe to replace).
pub const MARKER: &str = ".trellis-output";
const MARKER_TEXT: &str =
    "This folder was written by Trellis. Each build makes it the handbook's site again and removes\nthe files that site does not have: keep no files of your own here.\n";

/// Why an output folder was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refusal {
    /// Output is the handbook root or one of its ancestors.
    #[error("refusing to write the site to {0}: it holds the handbook itself")]
    ContainsHandbook(PathBuf),
    /// Output is inside a folder of sources.
    #[error("refusing to write the site to {0}: it is inside `{1}`, which holds your sources")]
    InsideSources(PathBuf, String),
    /// Output exists, is not empty and was not made by Trellis.
    #[error("refusing to replace {0}: it is not empty and was not created by Trellis (no {MARKER} file in it)")]
    NotOurs(PathBuf),
    /// Output is the file-system root or has no name.
    #[error("refusing to write the site to {0}")]
    Unsafe(PathBuf),
}

impl Refusal {
    /// What the user can do about it.
    pub fn help(&self) -> &'static str {
        match self {
            Refusal::NotOurs(_) => {
                "choose an empty or new folder with --output, or move that folder away first"
            }
            _ => "choose a folder of its own with --output, e.g. `--output public`",
        }
    }
}

/// Checks that `output` is a safe place for the site of the handbook at `root`.
pub fn check(root: &Path, output: &Path) -> Result<(), Refusal> {
    let out = absolute(output);
    let root_abs = absolute(root);
    if out.parent().is_none() || out.file_name().is_none() {
        return Err(Refusal::Unsafe(output.to_path_buf()));
    }
    if root_abs.starts_with(&out) {
        return Err(Refusal::ContainsHandbook(output.to_path_buf()));
    }
    for source in crate::config::SOURCE_FOLDERS {
        if out.starts_with(root_abs.join(source)) {
            return Err(Refusal::InsideSources(
                output.to_path_buf(),
                source.to_string(),
            ));
        }
    }
    if out.join(crate::config::CONFIG_FILE).exists() {
        return Err(Refusal::ContainsHandbook(output.to_path_buf()));
    }
    if out.is_dir()
        && !out.join(MARKER).is_file()
        && fs::read_dir(&out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Refusal::NotOurs(output.to_path_buf()));
    }
    if out.exists() && !out.is_dir() {
        return Err(Refusal::NotOurs(output.to_path_buf()));
    }
    Ok(())
}

/// The staging folders this process is filling. Writers hold the lock for
/// reading while they write one file ([`write_file`], [`Appender::write`]); the
/// signal handler ([`clean_up_on_signals`]) and [`Staging::commit`] take it
/// for writing, so a folder is removed or swapped only between two writes,
/// and the process exits before another write can start.
static ACTIVE: RwLock<Vec<PathBuf>> = RwLock::new(Vec::new());

/// Files beside the output this process is writing that are to become
/// its records only if the build succeeds (the build cache's first
/// file): the signal handler removes them with the staging folders.
static PARTIAL_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn partial_files() -> MutexGuard<'static, Vec<PathBuf>> {
    PARTIAL_FILES.lock().unwrap_or_else(|e| e.into_inner())
}

/// `path` is a file this build writes beside the output and keeps only if
/// it succeeds: an interrupted build removes it ([`clean_up_on_signals`]).
pub fn partial_file_begun(path: &Path) {
    partial_files().push(path.to_path_buf());
}

/// `path`, given to [`partial_file_begun`], is renamed or removed.
pub fn partial_file_ended(path: &Path) {
    partial_files().retain(|p| p != path);
}

fn active() -> RwLockWriteGuard<'static, Vec<PathBuf>> {
    ACTIVE.write().unwrap_or_else(|e| e.into_inner())
}

/// Held by [`Staging::commit`] from the first rename until the old site is
/// removed, and taken by the signal handler before [`ACTIVE`]: a signal
/// during a swap waits for it to end, so the outgoing site is never left half
/// removed. (Not [`ACTIVE`] itself: the old site is removed on the thread
/// pool, whose threads may be waiting on [`ACTIVE`].)
static SWAP: Mutex<()> = Mutex::new(());

fn swap() -> MutexGuard<'static, ()> {
    SWAP.lock().unwrap_or_else(|e| e.into_inner())
}

/// Writes `bytes` to `path`, creating its folder: the one way pages go into a staging folder.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let _writing = ACTIVE.read().unwrap_or_else(|e| e.into_inner());
    if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
        fs::create_dir_all(folder)?;
    }
    fs::write(path, bytes)
}

/// Creates the folder `path` and its parents, under the same lock as a
/// [`write_file`]: for the folders the render step makes ahead of its pages.
pub fn make_folder(path: &Path) -> io::Result<()> {
    let _writing = ACTIVE.read().unwrap_or_else(|e| e.into_inner());
    fs::create_dir_all(path)
}

/// A file written a piece at a time (the print page), each piece under the
/// same lock as one [`write_file`], so an interrupted build can still remove
/// the staging folder between two pieces.
#[derive(Debug)]
pub struct Appender {
    file: fs::File,
}

impl Appender {
    /// Creates `path` (and its folder), empty.
    pub fn create(path: &Path) -> io::Result<Appender> {
        let _writing = ACTIVE.read().unwrap_or_else(|e| e.into_inner());
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok(Appender {
            file: fs::File::create(path)?,
        })
    }

    /// Appends `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let _writing = ACTIVE.read().unwrap_or_else(|e| e.into_inner());
        io::Write::write_all(&mut self.file, bytes)
    }
}

/// On SIGINT or SIGTERM, removes the staging folders this process is filling
/// and exits with 128 + the signal's number (130, 143): a build interrupted at
/// any moment leaves the previous site or the new one, whole, and nothing
/// beside it. A swap in progress is finished first. For `trellis build` only:
/// `serve` handles its own signals.
pub fn clean_up_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("trellis-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let _swap = swap();
                    let active = active();
                    for dir in active.iter() {
                        let _ = remove_ours(dir);
                    }
                    for file in partial_files().iter() {
                        let _ = fs::remove_file(file);
                    }
                    std::process::exit(128 + signal);
                }
            });
    }
}

/// A folder being filled with a new site, swapped in by [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    /// Where pages are written during the build.
    pub dir: PathBuf,
    target: PathBuf,
    /// Set when the output already holds a site of Trellis's: only files
    /// that differ from it are staged.
    update: Option<update::Update>,
    /// The record of each file staged, for the next build's manifest.
    staged: Mutex<HashMap<PathBuf, Entry>>,
}

impl Staging {
    /// Creates a fresh staging folder beside `output` (which must have passed [`check`]).
    pub fn new(output: &Path) -> io::Result<Staging> {
        let target = absolute(output);
        let parent = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        fs::create_dir_all(&parent)?;
        let mut active = active();
        let dir = fresh(&target, "new");
        fs::create_dir(&dir)?;
        if let Err(e) = fs::write(dir.join(MARKER), MARKER_TEXT) {
            let _ = fs::remove_dir_all(&dir); // just made, empty or holding a part of the marker
            return Err(e);
        }
        active.push(dir.clone());
        let update = target
            .join(MARKER)
            .is_file()
            .then(|| update::Update::of(&target));
        Ok(Staging {
            dir,
            target,
            update,
            staged: Mutex::new(HashMap::new()),
        })
    }

    /// Whether the build updates a site Trellis wrote before (only changed
    /// files are staged) rather than writing a whole new one.
    pub fn is_update(&self) -> bool {
        self.update.is_some()
    }

    /// Writes the site's file `rel` (site-relative): staged, unless the site
    /// being updated already holds exactly these bytes.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        let hash = manifest::hash(bytes);
        if self
            .update
            .as_ref()
            .is_some_and(|u| u.unchanged(rel, bytes, hash))
        {
            return Ok(());
        }
        let path = self.dir.join(rel);
        write_file(&path, bytes)?;
        self.record(rel, &path, hash)
    }

    /// Copies `from` to the site's file `rel`, like [`Staging::write`].
    pub fn copy(&self, rel: &Path, from: &Path) -> io::Result<()> {
        self.write(rel, &fs::read(from)?)
    }

    /// For a file written into the staging folder another way (the print
    /// page, a piece at a time): drops it from the staging folder when the
    /// site being updated already holds the same bytes.
    pub fn settle(&self, rel: &Path) -> io::Result<()> {
        let staged = self.dir.join(rel);
        let bytes = fs::read(&staged)?;
        let hash = manifest::hash(&bytes);
        if self
            .update
            .as_ref()
            .is_some_and(|u| u.unchanged(rel, &bytes, hash))
        {
            let _writing = ACTIVE.read().unwrap_or_else(|e| e.into_inner());
            return fs::remove_file(&staged);
        }
        self.record(rel, &staged, hash)
    }

    /// Notes the staged file `rel`, at `path`, for the manifest.
    fn record(&self, rel: &Path, path: &Path, hash: u128) -> io::Result<()> {
        if let Some(entry) = Entry::of(hash, &fs::metadata(path)?) {
            self.staged
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(rel.to_path_buf(), entry);
        }
        Ok(())
    }

    /// The records of the new site's files (moved in whole: renames keep
    /// a file's time), written as the next build's manifest. A cache: a
    /// manifest that cannot be written is only a slower next build.
    fn write_manifest(&self) {
        let mut entries =
            std::mem::take(&mut *self.staged.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(update) = &self.update {
            entries.extend(update.kept());
        }
        let _ = Manifest::write(&self.target, &entries);
    }

    /// Replaces the output with the staged site: the old site is renamed away,
    /// the new one renamed in, then the old one removed. Either the old or the
    /// new site is in place at every moment. When updating a site Trellis
    /// wrote, the staged (changed) files are moved in and the files the new
    /// site no longer has are removed instead ([`update`]).
    pub fn commit(self) -> io::Result<()> {
        let _swap = swap();
        let mut active = active();
        if let Some(update) = &self.update {
            // The changed files move in and the gone ones go, under the lock
            // the signal handler waits for: an interrupt lets it finish.
            update.commit(&self.dir)?;
            remove_ours(&self.dir)?;
            active.retain(|d| *d != self.dir);
            drop(active);
            self.write_manifest();
            let target = self.target.clone();
            std::mem::forget(self);
            clear_leftovers(&target);
            return Ok(());
        }
        let old = fresh(&self.target, "old");
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        active.retain(|d| *d != self.dir);
        drop(active);
        self.write_manifest();
        let target = self.target.clone();
        std::mem::forget(self);
        if had_old {
            remove_ours_in_parallel(&old)?;
        }
        // The new site is in place: now clear what killed builds left beside it.
        clear_leftovers(&target);
        Ok(())
    }
}

/// Removes what killed builds left beside `target`: their folders
/// ([`leftovers`]) and the half-written files of what is kept beside an
/// output ([`stale_partials`]).
fn clear_leftovers(target: &Path) {
    for leftover in leftovers(target) {
        let _ = remove_ours_in_parallel(&leftover);
    }
    for partial in stale_partials(target) {
        let _ = fs::remove_file(partial);
    }
}

/// The files a build was writing beside `target` to rename when done
/// (`.public.trellis-manifest.partial-<pid>`, `.public.trellis-build.partial-<pid>`,
/// the build cache's `.public.trellis-cache.partial-<pid>`) when its
/// process was killed before the rename: a process no longer running, on
/// Linux only (see [`leftovers`]), and a file not written for a minute.
pub fn stale_partials(target: &Path) -> Vec<PathBuf> {
    beside_of_killed(target, |rest, kind| {
        let pid = rest.rsplit_once(".partial-")?.1.parse().ok()?;
        Some((pid, move |file: &Path| {
            kind.is_file() && untouched_for_a_minute(file)
        }))
    })
}

/// Whether `file` was last written over a minute ago. A record is written
/// and renamed within milliseconds, and a first build cache is appended to
/// as the build renders, so one left this long is no running build's, even
/// where `/proc` cannot see every process (a shared folder, another PID
/// namespace).
fn untouched_for_a_minute(file: &Path) -> bool {
    fs::metadata(file)
        .and_then(|meta| meta.modified())
        .is_ok_and(|time| time.elapsed().is_ok_and(|age| age.as_secs() >= 60))
}

/// The staging ("new") and outgoing ("old") folders beside `target` that a
/// Trellis process no longer running left behind, carrying the marker: a
/// build killed outright (`kill -9`, the machine going down) while it wrote
/// its site, or between the swap's two renames. Nothing else removes them,
/// and each can hold a whole site. A folder whose process still runs (a
/// build beside this one) is not one of them.
///
/// Only on Linux with `/proc` mounted, where it tells whether a process id
/// is running; elsewhere this finds none.
pub fn leftovers(target: &Path) -> Vec<PathBuf> {
    beside_of_killed(target, |rest, kind| {
        // `new-<pid>` or `old-<pid>`, or, when that name was taken,
        // `<pid>-<n>` (see `fresh`).
        let pid = rest
            .strip_prefix("new-")
            .or_else(|| rest.strip_prefix("old-"))?
            .split('-')
            .next()?
            .parse()
            .ok()?;
        Some((pid, move |dir: &Path| {
            kind.is_dir() && dir.join(MARKER).is_file()
        }))
    })
}

/// What a killed Trellis process left beside `target`: the entries named
/// `.<output>.trellis-<rest>` for which `parse(rest, type)` gives the id of
/// a process no longer running and a test the entry passes, sorted.
fn beside_of_killed<F: Fn(&Path) -> bool>(
    target: &Path,
    parse: impl Fn(&str, fs::FileType) -> Option<(u32, F)>,
) -> Vec<PathBuf> {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Vec::new();
    };
    let prefix = format!(".{}.trellis-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let file_name = e.file_name();
            let rest = file_name.to_str().and_then(|n| n.strip_prefix(&prefix));
            let parsed = rest.zip(e.file_type().ok()).and_then(|(r, t)| parse(r, t));
            parsed.is_some_and(|(pid, test)| process_is_gone(pid) && test(&e.path()))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Whether no process with id `pid` runs on this machine (never this one).
fn process_is_gone(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    // Without /proc mounted (some containers) every process would look gone.
    let proc = Path::new("/proc");
    if cfg!(target_os = "linux") && proc.join("self").exists() {
        !proc.join(pid.to_string()).exists()
    } else {
        false
    }
}

/// A path beside `target` for a staging (`kind` "new") or outgoing ("old")
/// folder that does not exist. A leftover of this process id carrying the
/// marker is removed; one without it (a build killed outright while making
/// it) is left alone and another name taken, so it never blocks a build.
fn fresh(target: &Path, kind: &str) -> PathBuf {
    let base = beside(target, &format!("{kind}-{}", std::process::id()));
    let mut dir = base.clone();
    if dir.exists() && remove_ours(&dir).is_err() {
        let mut n = 1;
        while dir.exists() {
            let mut numbered = base.clone().into_os_string();
            numbered.push(format!("-{n}"));
            dir = PathBuf::from(numbered);
            n += 1;
        }
    }
    dir
}

/// The path beside the output `target` where Trellis keeps its `kind` of
/// file or folder: `.public.trellis-<kind>` for `public/`.
pub fn beside(target: &Path, kind: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.trellis-{kind}"))
}

/// Where this process writes what is to replace `path` beside the
/// output, before renaming it over: `<name>.partial-<pid>`, which
/// [`stale_partials`] finds when the process was killed first.
pub fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!("{name}.partial-{}", std::process::id()))
}

/// Writes `bytes` to `path` whole or not at all: beside it first, then
/// renamed over it, so a reader never finds half of it.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let partial = partial_path(path);
    fs::write(&partial, bytes)?;
    fs::rename(&partial, path).inspect_err(|_| {
        let _ = fs::remove_file(&partial);
    })
}

impl Drop for Staging {
    /// A build that did not commit leaves nothing behind.
    fn drop(&mut self) {
        let mut active = active();
        let _ = remove_ours(&self.dir);
        active.retain(|d| *d != self.dir);
    }
}

/// Removes `dir` only if it carries the Trellis marker. The marker goes
/// last, so a removal cut short leaves a folder still marked as ours.
pub fn remove_ours(dir: &Path) -> io::Result<()> {
    remove_marked(dir, false)
}

/// [`remove_ours`] on many threads: every file first, then the folders,
/// deepest first, then the marker. Removing a site of tens of thousands of
/// files waits mostly on the file system, and the waits overlap. Its own
/// threads, not the pool's: the pool's may be waiting on [`ACTIVE`], which
/// the signal handler holds while it removes.
fn remove_ours_in_parallel(dir: &Path) -> io::Result<()> {
    remove_marked(dir, true)
}

/// Threads removing an old site: they spend their time waiting on the file
/// system, not computing, so many more than the cores keep it busy
/// (docs/performance.md has the measurements).
const REMOVERS: usize = 64;
/// Their stacks: they only call `unlink` and `rmdir`.
const REMOVER_STACK: usize = 64 * 1024;

fn remove_marked(dir: &Path, parallel: bool) -> io::Result<()> {
    let marker = dir.join(MARKER);
    if !marker.is_file() {
        return Err(io::Error::other(format!(
            "{} has no {MARKER} file; not removing it",
            dir.display()
        )));
    }
    if parallel {
        let mut files = Vec::new();
        let mut folders: Vec<(usize, PathBuf)> = Vec::new();
        // Symbolic links are removed, never followed.
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let entry = entry?;
            if entry.file_type().is_dir() {
                folders.push((entry.depth(), entry.into_path()));
            } else if entry.path() != marker {
                files.push(entry.into_path());
            }
        }
        on_threads(&files, |p| fs::remove_file(p))?;
        folders.sort_by_key(|f| std::cmp::Reverse(f.0));
        for level in folders.chunk_by(|a, b| a.0 == b.0) {
            let paths: Vec<&Path> = level.iter().map(|(_, p)| p.as_path()).collect();
            on_threads(&paths, |p| fs::remove_dir(p))?;
        }
    } else {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_name() == MARKER {
                continue;
            } else if entry.file_type()?.is_dir() {
                fs::remove_dir_all(entry.path())?;
            } else {
                fs::remove_file(entry.path())?;
            }
        }
    }
    fs::remove_file(&marker)?;
    fs::remove_dir(dir)
}

/// Calls `remove` on every path, on up to [`REMOVERS`] threads (this one
/// among them), stopping at the first error.
fn on_threads<P: AsRef<Path> + Sync>(
    paths: &[P],
    remove: fn(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let next = AtomicUsize::new(0);
    let failed: Mutex<Option<io::Error>> = Mutex::new(None);
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(path) = paths.get(i) else { break };
        if let Err(e) = remove(path.as_ref()) {
            next.store(paths.len(), Ordering::Relaxed);
            *failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
            break;
        }
    };
    std::thread::scope(|s| {
        for _ in 1..REMOVERS.min(paths.len()) {
            // A thread that cannot be started leaves its share to the others.
            let _ = std::thread::Builder::new()
                .stack_size(REMOVER_STACK)
                .spawn_scoped(s, work);
        }
        work();
    });
    match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// `path` made absolute against the current folder, with `.` and `..` removed,
/// and symbolic links resolved for the part that exists.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let normal = crate::links::normalize(&joined);
    // Resolve the longest existing prefix, so links cannot hide the sources.
    let mut existing = normal.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return normal,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for piece in rest.iter().rev() {
        out.push(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("trellis-output-test-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("content")).unwrap();
        fs::write(dir.join("handbook.yaml"), "title: T\n").unwrap();
        dir
    }

    #[test]
    fn refuses_the_sources_and_strangers() {
        let root = temp("refuse");
        assert!(matches!(
            check(&root, &root),
            Err(Refusal::ContainsHandbook(_))
        ));
        for folder in crate::config::SOURCE_FOLDERS {
            assert!(matches!(
                check(&root, &root.join(folder).join("site")),
                Err(Refusal::InsideSources(_, f)) if f == folder
            ));
        }
        assert!(matches!(
            check(&root, Path::new("/")),
            Err(Refusal::Unsafe(_)) | Err(Refusal::ContainsHandbook(_))
        ));
        fs::create_dir_all(root.join("mine")).unwrap();
        fs::write(root.join("mine/keep.txt"), "x").unwrap();
        assert!(matches!(
            check(&root, &root.join("mine")),
            Err(Refusal::NotOurs(_))
        ));
        assert!(check(&root, &root.join("public")).is_ok());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_leftover_without_the_marker_never_blocks_a_build() {
        // A build killed outright (SIGKILL) while making its staging folder,
        // and a later build that got the same process id.
        let root = temp("leftover");
        let out = root.join("public");
        let stale = root.join(format!(".public.trellis-new-{}", std::process::id()));
        fs::create_dir_all(stale.join("half")).unwrap();
        let s = Staging::new(&out).unwrap();
        assert_ne!(s.dir, stale);
        fs::write(s.dir.join("index.html"), "new").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert!(stale.join("half").is_dir(), "not ours, so left alone");
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn what_killed_builds_left_is_removed_once_a_build_succeeds() {
        let root = temp("killed");
        let out = root.join("public");
        // A process id no Linux process can have (above the kernel's limit,
        // 2^22), one that always runs (init), and this process's.
        let gone = 99_999_999;
        let folder = |name: String, marked: bool| {
            let dir = root.join(name);
            fs::create_dir_all(dir.join("part/page")).unwrap();
            fs::write(dir.join("part/page/index.html"), "x").unwrap();
            if marked {
                fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
            }
            dir
        };
        let killed_new = folder(format!(".public.trellis-new-{gone}"), true);
        let killed_old = folder(format!(".public.trellis-old-{gone}-1"), true);
        let unmarked = folder(format!(".public.trellis-new-{}", gone + 1), false);
        let running = folder(".public.trellis-new-1".into(), true);
        let other_site = folder(format!(".other.trellis-new-{gone}"), true);
        let expected = if cfg!(target_os = "linux") {
            vec![killed_new.clone(), killed_old.clone()]
        } else {
            Vec::new()
        };
        assert_eq!(leftovers(&out), expected);
        // Half-written records beside the output: a killed build's goes,
        // a running one's (init's id) and another output's stay.
        let partial = |name: String| {
            let file = root.join(name);
            fs::write(&file, "half").unwrap();
            let written = std::time::SystemTime::now() - std::time::Duration::from_secs(120);
            fs::File::options()
                .write(true)
                .open(&file)
                .and_then(|f| f.set_modified(written))
                .unwrap();
            file
        };
        let killed_partials = [
            partial(format!(".public.trellis-build.partial-{gone}")),
            partial(format!(".public.trellis-manifest.partial-{gone}")),
        ];
        let kept_partials = [
            partial(".public.trellis-build.partial-1".into()),
            partial(format!(".other.trellis-build.partial-{gone}")),
        ];
        // Named like one but a folder, or written a moment ago: not ours to remove.
        let folder_named_so = root.join(format!(".public.trellis-build.partial-{}", gone + 1));
        fs::create_dir_all(&folder_named_so).unwrap();
        let just_written = root.join(format!(".public.trellis-build.partial-{}", gone + 2));
        fs::write(&just_written, "half").unwrap();
        if cfg!(target_os = "linux") {
            assert_eq!(stale_partials(&out), killed_partials);
        }

        let s = Staging::new(&out).unwrap();
        fs::write(s.dir.join("index.html"), "new").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        for dir in &expected {
            assert!(
                !dir.exists(),
                "{} was left by a killed build",
                dir.display()
            );
        }
        for dir in [&unmarked, &running, &other_site] {
            assert!(
                dir.join("part/page/index.html").is_file(),
                "{} stays",
                dir.display()
            );
        }
        assert!(leftovers(&out).is_empty());
        if cfg!(target_os = "linux") {
            assert!(killed_partials.iter().all(|f| !f.exists()));
        }
        assert!(kept_partials.iter().all(|f| f.is_file()));
        assert!(folder_named_so.is_dir() && just_written.is_file());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn removal_takes_the_marker_last() {
        let root = temp("marker-last");
        let dir = root.join("site");
        fs::create_dir_all(dir.join("a/b")).unwrap();
        fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(dir.join("a/b/page.html"), "x").unwrap();
        remove_ours(&dir).unwrap();
        assert!(!dir.exists());
        fs::create_dir_all(dir.join("a")).unwrap();
        assert!(remove_ours(&dir).is_err(), "no marker: refused");
        assert!(dir.join("a").is_dir());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn parallel_removal_takes_everything_and_follows_no_link() {
        let root = temp("parallel-removal");
        let dir = root.join("site");
        let outside = root.join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("keep.txt"), "mine").unwrap();
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        // More files and folders than threads, nested three deep, and an empty folder.
        for i in 0..3 * REMOVERS {
            let folder = dir.join(format!("part-{}/page-{i}/quiz", i % 7));
            fs::create_dir_all(&folder).unwrap();
            fs::write(folder.join("index.html"), "x").unwrap();
            fs::write(folder.parent().unwrap().join("index.html"), "x").unwrap();
        }
        fs::create_dir_all(dir.join("empty")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, dir.join("part-0/link")).unwrap();
        remove_ours_in_parallel(&dir).unwrap();
        assert!(!dir.exists());
        assert_eq!(
            fs::read_to_string(outside.join("keep.txt")).unwrap(),
            "mine"
        );
        fs::create_dir_all(dir.join("a")).unwrap();
        assert!(remove_ours_in_parallel(&dir).is_err(), "no marker: refused");
        assert!(dir.join("a").is_dir());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn commit_swaps_and_drop_cleans() {
        let root = temp("swap");
        let out = root.join("public");
        let s = Staging::new(&out).unwrap();
        fs::write(s.dir.join("index.html"), "one").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "one");
        let s = Staging::new(&out).unwrap();
        fs::write(s.dir.join("index.html"), "two").unwrap();
        drop(s);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "one");
        let leftovers = fs::read_dir(&root)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("trellis-")
                    && !is_manifest(e.as_ref().unwrap())
            })
            .count();
        assert_eq!(leftovers, 0);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    #[cfg(unix)]
    fn over_a_site_of_ours_only_changed_files_are_written_and_gone_ones_removed() {
        let root = temp("update");
        let out = root.join("public");
        let rel = |p: &str| PathBuf::from(p);
        // A first build: a whole new site.
        let s = Staging::new(&out).unwrap();
        assert!(!s.is_update());
        for (p, text) in [
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("old/deep/index.html", "gone soon"),
        ] {
            s.write(&rel(p), text.as_bytes()).unwrap();
        }
        s.commit().unwrap();
        let inode = |p: &str| {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(out.join(p)).unwrap().ino()
        };
        let (home_inode, a_inode) = (inode("index.html"), inode("a/index.html"));
        // A second: `a` changes, `old/` is no longer made, `b` is new.
        let s = Staging::new(&out).unwrap();
        assert!(s.is_update());
        s.write(&rel("index.html"), b"home").unwrap();
        s.write(&rel("a/index.html"), b"a, edited").unwrap();
        s.write(&rel("b/index.html"), b"b").unwrap();
        // Only what changed is staged.
        assert!(!s.dir.join("index.html").exists());
        assert!(s.dir.join("a/index.html").is_file());
        // Until the commit, the old site is untouched.
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "a");
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home");
        assert_eq!(
            inode("index.html"),
            home_inode,
            "an unchanged file is not written again"
        );
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a, edited"
        );
        assert_ne!(inode("a/index.html"), a_inode);
        assert_eq!(fs::read_to_string(out.join("b/index.html")).unwrap(), "b");
        assert!(
            !out.join("old").exists(),
            "files and folders the new site lacks are removed"
        );
        assert!(out.join(MARKER).is_file());
        // The manifest beside the site vouches for a file only as it was
        // written: one changed by hand, even to the same length, is compared
        // again and written back.
        assert!(Manifest::path(&out).is_file());
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(out.join("index.html"), "HOME").unwrap();
        let s = Staging::new(&out).unwrap();
        s.write(&rel("index.html"), b"home").unwrap();
        s.write(&rel("a/index.html"), b"a, edited").unwrap();
        s.write(&rel("b/index.html"), b"b").unwrap();
        assert!(s.dir.join("index.html").is_file());
        assert!(!s.dir.join("a/index.html").exists());
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home");
        // A build that fails (its staging dropped) leaves the site as it was.
        let s = Staging::new(&out).unwrap();
        s.write(&rel("a/index.html"), b"never").unwrap();
        drop(s);
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a, edited"
        );
        assert!(out.join("b/index.html").is_file());
        let staged_left = fs::read_dir(&root)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("trellis-")
                    && !is_manifest(e.as_ref().unwrap())
            })
            .count();
        assert_eq!(staged_left, 0, "nothing left beside it");
        fs::remove_dir_all(&root).unwrap();
    }

    /// The manifest kept beside an output on purpose (see [`manifest`]).
    fn is_manifest(entry: &fs::DirEntry) -> bool {
        entry
            .file_name()
            .to_string_lossy()
            .ends_with(".trellis-manifest")
    }

    #[test]
    fn writes_make_their_folders_and_make_them_again_once_removed() {
        let root = temp("folders");
        let page = root.join("site/part/article/index.html");
        write_file(&page, b"one").unwrap();
        write_file(&root.join("site/part/article/other.html"), b"two").unwrap();
        assert_eq!(fs::read_to_string(&page).unwrap(), "one");
        // As `serve` does when a page goes: the folder is removed while this
        // process still remembers making it.
        fs::remove_dir_all(root.join("site/part")).unwrap();
        write_file(&page, b"three").unwrap();
        assert_eq!(fs::read_to_string(&page).unwrap(), "three");
        fs::remove_dir_all(&root).unwrap();
    }
}
