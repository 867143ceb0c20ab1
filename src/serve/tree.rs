//! One language's tree of the preview folder: the default language's at
//! the folder's root, each further language's under its tag (`es/`), as
//! `trellis build` writes them (`pipeline::write::Prefixed`).
//!
//! A tree keeps its language's loaded site, templates and navigation, and
//! remembers the pages and files it wrote, each by its path in the tree: a
//! run of the producer on its site renders only pages whose values changed,
//! writes only files whose bytes changed, and removes only files of its
//! own, so that bringing one language's data files up to date never
//! removes or overwrites another language's.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use super::builder::{Outcome, Scope};
use super::preview::{fingerprint, Fingerprint, Made, Preview, Rendered};
use crate::diagnostic::{Code, Diagnostics};
use crate::pipeline::produce::{Producer, Selection};
use crate::render::context::NavCache;
use crate::render::Templates;
use crate::site::Site;
use crate::theme::Theme;

/// One language's pages and files in the preview folder, and what made them.
pub(super) struct Tree {
    /// Its folder in the preview folder: empty for the default language,
    /// the language's tag for a further one.
    prefix: PathBuf,
    /// The preview folder joined with `prefix`.
    dir: PathBuf,
    /// The theme's templates, with the words of this tree's language.
    templates: Option<(Theme, Templates)>,
    /// The pages as last rendered, by their path in the tree.
    pages: HashMap<PathBuf, Rendered>,
    /// Every file written, by its path in the tree.
    on_disk: HashMap<PathBuf, Fingerprint>,
    /// The files made without templates at the last pass (search index,
    /// feeds, glossary data), so a pass over them can remove those gone.
    other_files: BTreeSet<PathBuf>,
    /// The site the tree shows, kept while it is good: quick edits apply
    /// to it. `None` after a failed build, so the next change loads afresh.
    pub(super) site: Option<Site>,
    /// The navigation of `site`, made at the first pass over it and kept
    /// for quick edits and catching up, which change no title or order:
    /// making it again grows with the handbook (docs/performance.md).
    /// Dropped with every full build.
    nav: Option<NavCache>,
    /// What quick edits left behind, for [`super::builder::Builder::catch_up`].
    pub(super) behind: BTreeSet<Scope>,
}

impl Tree {
    /// The tree at `prefix` (empty: the root) of the preview folder `site_dir`.
    pub(super) fn new(site_dir: &Path, prefix: &Path) -> Tree {
        Tree {
            prefix: prefix.to_path_buf(),
            dir: site_dir.join(prefix),
            templates: None,
            pages: HashMap::new(),
            on_disk: HashMap::new(),
            other_files: BTreeSet::new(),
            site: None,
            nav: None,
            behind: BTreeSet::new(),
        }
    }

    /// Its folder in the preview folder (empty for the default language).
    pub(super) fn prefix(&self) -> &Path {
        &self.prefix
    }

    /// Whether its templates are loaded.
    pub(super) fn has_templates(&self) -> bool {
        self.templates.is_some()
    }

    /// The pages it holds.
    pub(super) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Forgets the templates, so the next pass loads them and renders every page.
    pub(super) fn templates_changed(&mut self) {
        self.templates = None;
        self.pages.clear();
    }

    /// Forgets the site and what quick edits left behind: a full build follows.
    pub(super) fn forget_site(&mut self) {
        self.site = None;
        self.nav = None;
        self.behind.clear();
    }

    /// Loads the theme's templates in `site`'s language, unless they are
    /// loaded and the theme is the same.
    pub(super) fn load_templates(&mut self, site: &Site) -> Result<(), Diagnostics> {
        let root = &site.handbook.root;
        let theme =
            Theme::find(root, &site.handbook.config.theme).map_err(|d| Diagnostics(vec![d]))?;
        if self.templates.as_ref().is_some_and(|(t, _)| *t != theme) {
            self.templates_changed();
        }
        if self.templates.is_none() {
            let templates = Templates::for_handbook(&theme, &site.handbook).map_err(Diagnostics)?;
            self.templates = Some((theme, templates));
        }
        Ok(())
    }

    /// Runs the pipeline's producer on the `selection` of `site` and
    /// writes what changed (see [`Tree::produce`] and [`Tree::commit`]).
    pub(super) fn sync(
        &mut self,
        site: &Site,
        selection: &Selection,
    ) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        let made = self.produce(site, selection)?;
        let render = start.elapsed();
        let start = Instant::now();
        let mut outcome = self.commit(made, selection)?;
        outcome.render = render;
        outcome.write = start.elapsed();
        Ok(outcome)
    }

    /// What the producer makes of the `selection` of `site`, held until all
    /// of it is made: pages whose template and values are those last
    /// written are not rendered again. Nothing is written.
    pub(super) fn produce(
        &mut self,
        site: &Site,
        selection: &Selection,
    ) -> Result<Made, Diagnostics> {
        // Navigation stays the same through quick edits (they change no
        // title or order), so it is kept from one pass to the next.
        let nav = self
            .nav
            .take()
            .unwrap_or_else(|| NavCache::new(&site.handbook, &site.words));
        let made = self.run_producer(site, selection, &nav);
        self.nav = Some(nav);
        made
    }

    fn run_producer(
        &self,
        site: &Site,
        selection: &Selection,
        nav: &NavCache,
    ) -> Result<Made, Diagnostics> {
        let Some((theme, templates)) = &self.templates else {
            return Err(Diagnostics::new());
        };
        let producer = Producer {
            site,
            templates,
            theme,
            nav,
        };
        let preview = Preview {
            dir: &self.dir,
            pages: &self.pages,
            on_disk: &self.on_disk,
            made: Mutex::new(Made::default()),
        };
        producer.run(selection, &preview).map_err(Diagnostics)?;
        if *selection == Selection::All {
            producer
                .copy_static(&preview)
                .map_err(|e| io_error(&e, &self.dir))?;
        }
        Ok(preview.made.into_inner().unwrap_or_else(|e| e.into_inner()))
    }

    /// Writes what [`Tree::produce`] made of `selection`: first, for the
    /// whole site or its data, the tree's files it no longer has are
    /// removed (once a renamed page is served under its new address, the
    /// old one is gone), then the files whose bytes changed are written.
    /// The outcome names files by their path in the preview folder.
    pub(super) fn commit(
        &mut self,
        made: Made,
        selection: &Selection,
    ) -> Result<Outcome, Diagnostics> {
        let gone: BTreeSet<PathBuf> = match selection {
            Selection::All => self
                .on_disk
                .keys()
                .filter(|p| !made.pages.contains(*p) && !made.files_kept.contains(*p))
                .cloned()
                .collect(),
            Selection::Data => self.other_files.difference(&made.data).cloned().collect(),
            _ => BTreeSet::new(),
        };
        let removed = self.remove(&gone)?;
        let mut changed = Vec::new();
        for (path, bytes) in &made.files {
            if self.put(path, bytes)? {
                changed.push(path.clone());
            }
        }
        let mut rendered: Vec<PathBuf> = made
            .rendered
            .iter()
            .map(|j| self.prefix.join(&j.path))
            .collect();
        rendered.sort();
        for job in made.rendered {
            self.pages.insert(
                job.path,
                Rendered {
                    template: job.template,
                    context: job.context,
                },
            );
        }
        let pages = if *selection == Selection::All {
            self.pages.retain(|path, _| made.pages.contains(path));
            made.pages.len()
        } else {
            self.pages.len()
        };
        if matches!(selection, Selection::All | Selection::Data) {
            self.other_files = made.data;
        }
        Ok(Outcome {
            rendered,
            pages,
            written: changed.len(),
            removed: removed.len(),
            changed: changed
                .into_iter()
                .chain(removed)
                .map(|p| self.prefix.join(p))
                .collect(),
            ..Outcome::default()
        })
    }

    /// Removes every file of the tree (its language is no longer declared),
    /// and its folder; the files removed, by their path in the preview folder.
    pub(super) fn remove_all(&mut self) -> Result<Vec<PathBuf>, Diagnostics> {
        let all: BTreeSet<PathBuf> = self.on_disk.keys().cloned().collect();
        let removed = self.remove(&all)?;
        if !self.prefix.as_os_str().is_empty() {
            // Fails, harmlessly, when something else is in it.
            let _ = fs::remove_dir(&self.dir);
        }
        Ok(removed.into_iter().map(|p| self.prefix.join(p)).collect())
    }

    /// Writes `bytes` to `rel` unless the folder already holds them; whether it wrote.
    fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<bool, Diagnostics> {
        let print = fingerprint(bytes);
        if self.on_disk.get(rel) == Some(&print) {
            return Ok(false);
        }
        let target = self.dir.join(rel);
        write_atomically(&target, bytes).map_err(|e| io_error(&e, &target))?;
        self.on_disk.insert(rel.to_path_buf(), print);
        Ok(true)
    }

    /// Removes the files `gone` (written before), and folders left empty;
    /// the files removed.
    fn remove(&mut self, gone: &BTreeSet<PathBuf>) -> Result<Vec<PathBuf>, Diagnostics> {
        for rel in gone {
            let file = self.dir.join(rel);
            match fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(&e, &file)),
            }
            self.on_disk.remove(rel);
            self.pages.remove(rel);
            let mut parent = rel.parent();
            while let Some(p) = parent.filter(|p| !p.as_os_str().is_empty()) {
                // Fails (and stops) at the first folder that is not empty.
                if fs::remove_dir(self.dir.join(p)).is_err() {
                    break;
                }
                parent = p.parent();
            }
        }
        Ok(gone.iter().cloned().collect())
    }
}

/// Writes to a temporary file beside `target`, then renames it over `target`.
fn write_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let parent = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = parent.join(format!(".{name}.trellis-tmp"));
    fs::write(&temp, bytes)?;
    fs::rename(&temp, target).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// A failed write into the preview folder, as a diagnostic.
pub(super) fn io_error(e: &io::Error, path: &Path) -> Diagnostics {
    Diagnostics(vec![Code::WriteFailed.error(
        path,
        0,
        0,
        format!("cannot write the preview site: {e}"),
    )])
}
