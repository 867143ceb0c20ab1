//! Watching the handbook's sources with notify: `content/`, `templates/`,
//! `themes/` and `static/` (recursively) and `handbook.yaml`, and nothing
//! else (the root may hold `target/` or `node_modules/`). The root itself is
//! watched without recursion, so a folder or `handbook.yaml` created,
//! replaced or renamed later is picked up. Events are debounced: a batch
//! ends after [`QUIET`] without events (or [`MAX_WAIT`] after it began),
//! or after only [`SETTLED`] when every file in it was last seen finished:
//! closed after writing, renamed into place or removed. An editor's save
//! is such a sequence, so a save reaches the builder within milliseconds
//! while a file still being written waits for the quiet.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::CONFIG_FILE;

/// The folders watched recursively.
pub const FOLDERS: [&str; 5] = crate::config::SOURCE_FOLDERS;
/// A batch of changes ends after this long without events.
pub const QUIET: Duration = Duration::from_millis(100);
/// … or this long without events when every changed file was last seen finished.
pub const SETTLED: Duration = Duration::from_millis(8);
/// … or this long after its first event, however busy the folder.
pub const MAX_WAIT: Duration = Duration::from_secs(2);

/// One debounced batch of changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    /// The changed paths that matter, relative to the root.
    pub paths: BTreeSet<PathBuf>,
    /// The watcher lost events (an overflow): assume everything changed.
    pub rescan: bool,
}

impl Batch {
    /// Whether templates must be loaded again: a change under `templates/`,
    /// `themes/` or `i18n/` (the theme's words), to `handbook.yaml` (it names
    /// the theme and the language), or a rescan.
    pub fn touches_templates(&self) -> bool {
        self.rescan
            || self.paths.iter().any(|p| {
                ["templates", "themes", "i18n"]
                    .iter()
                    .any(|folder| p.starts_with(folder))
                    || p == Path::new(CONFIG_FILE)
            })
    }
}

/// The watcher and its events.
pub struct Watch {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    /// Events taken by [`Watch::has_pending`], to be read first.
    early: std::collections::VecDeque<notify::Result<notify::Event>>,
    watched: BTreeSet<&'static str>,
}

impl Watch {
    /// Starts watching the handbook at `root`.
    pub fn start(root: &Path) -> notify::Result<Watch> {
        // Events name absolute paths; so must the root they are compared with.
        let root = &crate::output::absolute(root);
        let (tx, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        let mut watch = Watch {
            root: root.to_path_buf(),
            watcher,
            events,
            early: std::collections::VecDeque::new(),
            watched: BTreeSet::new(),
        };
        watch.refresh(&BTreeSet::new());
        Ok(watch)
    }

    /// Watches each source folder that exists, again when it was replaced,
    /// and forgets those that are gone.
    fn refresh(&mut self, replaced: &BTreeSet<PathBuf>) {
        for folder in FOLDERS {
            let dir = self.root.join(folder);
            let was = self.watched.contains(folder);
            if was && (replaced.contains(Path::new(folder)) || !dir.is_dir()) {
                let _ = self.watcher.unwatch(&dir);
                self.watched.remove(folder);
            }
            if !self.watched.contains(folder)
                && dir.is_dir()
                && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(folder);
            }
        }
    }

    /// Waits for the next batch of changes that matter; `None` when the
    /// watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Batch> {
        match self.next(None) {
            Next::Batch(b) => Some(b),
            Next::Idle | Next::Stopped => None,
        }
    }

    /// Like [`Watch::next_batch`], but `None` also when no change began
    /// within `wait`.
    pub fn next_batch_within(&mut self, wait: Option<Duration>) -> Option<Batch> {
        match self.next(wait) {
            Next::Batch(b) => Some(b),
            Next::Idle | Next::Stopped => None,
        }
    }

    /// Whether a change that matters has arrived and waits for
    /// [`Watch::next`] (which then sees it), without waiting.
    pub fn has_pending(&mut self) -> bool {
        while let Ok(event) = self.events.try_recv() {
            self.early.push_back(event);
        }
        self.early.iter().any(|e| match e {
            // Reading a file (Trellis reads sources while it builds) changes nothing.
            Ok(e) => {
                let read = matches!(e.kind, EventKind::Access(_))
                    && e.kind != EventKind::Access(AccessKind::Close(AccessMode::Write));
                !read && e.paths.iter().any(|p| relevant(&self.root, p).is_some())
            }
            Err(_) => true,
        })
    }

    /// The next event: one taken early first, else from the watcher
    /// (`Err(Timeout)` when none came by `deadline`).
    fn recv(
        &mut self,
        deadline: Option<Instant>,
    ) -> Result<notify::Result<notify::Event>, RecvTimeoutError> {
        if let Some(event) = self.early.pop_front() {
            return Ok(event);
        }
        match deadline {
            None => self
                .events
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected),
            Some(d) => self
                .events
                .recv_timeout(d.saturating_duration_since(Instant::now())),
        }
    }

    /// The next batch of changes that matter, or [`Next::Idle`] when none
    /// began within `idle` (`None`: wait as long as it takes).
    pub fn next(&mut self, idle: Option<Duration>) -> Next {
        let deadline = idle.map(|w| Instant::now() + w);
        loop {
            let first = match self.recv(deadline) {
                Ok(e) => e,
                Err(RecvTimeoutError::Timeout) => return Next::Idle,
                Err(RecvTimeoutError::Disconnected) => return Next::Stopped,
            };
            let began = Instant::now();
            let mut batch = Batch::default();
            let mut unfinished = BTreeSet::new();
            add_event(&self.root, &mut batch, &mut unfinished, first);
            loop {
                let left = MAX_WAIT.saturating_sub(began.elapsed());
                if left.is_zero() {
                    break;
                }
                let quiet = if unfinished.is_empty() && !batch.rescan {
                    SETTLED
                } else {
                    QUIET
                };
                match self.recv(Some(Instant::now() + quiet.min(left))) {
                    Ok(event) => add_event(&self.root, &mut batch, &mut unfinished, event),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Next::Stopped,
                }
            }
            let top: BTreeSet<PathBuf> = batch
                .paths
                .iter()
                .filter(|p| p.components().count() == 1)
                .cloned()
                .collect();
            self.refresh(&top);
            if batch.rescan || !batch.paths.is_empty() {
                return Next::Batch(batch);
            }
        }
    }
}

/// Adds `event` to `batch`; `unfinished` holds the paths whose last event
/// left them possibly half written.
fn add_event(
    root: &Path,
    batch: &mut Batch,
    unfinished: &mut BTreeSet<PathBuf>,
    event: notify::Result<notify::Event>,
) {
    let event = match event {
        Ok(e) => e,
        Err(_) => {
            batch.rescan = true;
            return;
        }
    };
    if event.need_rescan() {
        batch.rescan = true;
    }
    let finished = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        // Reading (by Trellis or anyone) changes nothing.
        EventKind::Access(_) => return,
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
        | EventKind::Remove(_)
        | EventKind::Create(CreateKind::Folder) => true,
        _ => false,
    };
    for path in event.paths {
        if let Some(rel) = relevant(root, &path) {
            if finished {
                unfinished.remove(&rel);
            } else {
                unfinished.insert(rel.clone());
            }
            batch.paths.insert(rel);
        }
    }
}

/// What [`Watch::next`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Changes that matter.
    Batch(Batch),
    /// No change began in the time given.
    Idle,
    /// The watcher has stopped.
    Stopped,
}

/// `path` relative to the root, if a change to it can change the site:
/// inside a source folder or `handbook.yaml`, and not an editor's scratch file.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    let top = parts.next()?.as_os_str().to_str()?;
    let inside = FOLDERS.contains(&top) || (top == CONFIG_FILE && parts.next().is_none());
    if !inside {
        return None;
    }
    let name = rel.file_name()?.to_string_lossy();
    let scratch = name.ends_with('~')
        || name.starts_with(".#")
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913";
    (!scratch).then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_matter() {
        let root = Path::new("/hb");
        let rel = |p: &str| relevant(root, Path::new(p));
        assert_eq!(
            rel("/hb/content/01-a/02-b.md"),
            Some(PathBuf::from("content/01-a/02-b.md"))
        );
        assert_eq!(
            rel("/hb/handbook.yaml"),
            Some(PathBuf::from("handbook.yaml"))
        );
        assert_eq!(rel("/hb/templates"), Some(PathBuf::from("templates")));
        assert_eq!(rel("/hb/public/index.html"), None);
        assert_eq!(rel("/hb/target/debug/x"), None);
        assert_eq!(rel("/hb/README.md"), None);
        assert_eq!(rel("/elsewhere/content/a.md"), None);
        assert_eq!(rel("/hb/content/.a.md.swp"), None);
        assert_eq!(rel("/hb/content/a.md~"), None);
        assert_eq!(rel("/hb/content/4913"), None);
    }

    #[test]
    fn a_file_is_finished_once_closed_after_writing_or_renamed_into_place() {
        use notify::event::DataChange;
        let root = Path::new("/hb");
        let file = "/hb/content/a.md";
        let mut batch = Batch::default();
        let mut unfinished = BTreeSet::new();
        let mut see = |kind: EventKind, path: &str| {
            let event = Ok(notify::Event::new(kind).add_path(path.into()));
            add_event(root, &mut batch, &mut unfinished, event);
            unfinished.len()
        };
        see(EventKind::Create(CreateKind::File), file);
        // Being written: the batch waits for the quiet.
        assert_eq!(
            see(EventKind::Modify(ModifyKind::Data(DataChange::Any)), file),
            1
        );
        assert_eq!(
            see(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                file
            ),
            0
        );
        // Reading a file changes nothing.
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        assert_eq!(see(read, "/hb/content/b.md"), 0);
        // An editor's save by renaming a temporary file into place.
        let c = "/hb/content/c.md";
        assert_eq!(
            see(EventKind::Modify(ModifyKind::Name(RenameMode::From)), c),
            1
        );
        assert_eq!(
            see(EventKind::Modify(ModifyKind::Name(RenameMode::To)), c),
            0
        );
        assert_eq!(
            batch.paths,
            [PathBuf::from("content/a.md"), PathBuf::from("content/c.md")].into()
        );
    }

    #[test]
    fn template_changes_are_told_apart() {
        let batch = |p: &str| Batch {
            paths: [PathBuf::from(p)].into(),
            rescan: false,
        };
        assert!(!batch("content/a.md").touches_templates());
        assert!(!batch("content/glossary.yaml").touches_templates());
        assert!(batch("templates/article.html").touches_templates());
        assert!(batch("themes/default/templates/base.html").touches_templates());
        assert!(batch("handbook.yaml").touches_templates());
        assert!(Batch {
            rescan: true,
            ..Batch::default()
        }
        .touches_templates());
    }

    #[test]
    fn a_saved_file_arrives_as_one_batch() {
        let root = std::env::temp_dir().join(format!("trellis-watch-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content")).unwrap();
        let root = root.canonicalize().unwrap();
        let mut watch = Watch::start(&root).unwrap();
        let wait = Some(Duration::from_secs(20));
        std::fs::write(root.join("README.md"), "not a source").unwrap();
        std::fs::write(root.join("content/a.md"), "one").unwrap();
        std::fs::write(root.join("content/a.md"), "two").unwrap();
        let batch = watch.next_batch_within(wait).expect("a batch");
        assert_eq!(
            batch.paths,
            [PathBuf::from("content/a.md")].into_iter().collect()
        );
        // Reading a source is no change; writing one is, and waits for `next`.
        let _ = std::fs::read_to_string(root.join("content/a.md")).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        assert!(!watch.has_pending());
        std::fs::write(root.join("content/b.md"), "three").unwrap();
        let start = Instant::now();
        while !watch.has_pending() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no event for b.md"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let batch = watch.next_batch_within(wait).expect("the pending batch");
        assert_eq!(batch.paths, [PathBuf::from("content/b.md")].into());
        // A source folder created after the start is watched too.
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let mut seen = BTreeSet::new();
        while !seen.contains(Path::new("templates")) {
            let batch = watch.next_batch_within(wait).expect("a batch");
            seen.extend(batch.paths);
        }
        std::fs::write(root.join("templates/base.html"), "x").unwrap();
        while !seen.contains(Path::new("templates/base.html")) {
            let batch = watch.next_batch_within(wait).expect("a batch");
            assert!(batch.touches_templates());
            seen.extend(batch.paths);
        }
        std::fs::remove_dir_all(&root).unwrap();
    }
}
