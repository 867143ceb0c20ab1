//! Builds the site into the serve folder, doing only what a change needs.
//!
//! Every rebuild loads the handbook afresh (`Site::load`: reading and
//! checking everything is what catches a link broken by a rename). Then:
//! - a page whose template values are equal to the last build's is not
//!   rendered again: editing one article's body re-renders that article (and
//!   any page whose values show it, such as a glossary page listing where a
//!   term is used), not every page;
//! - templates are loaded again only after a change under `templates/` or
//!   `themes/` or to `handbook.yaml`, and then every page is rendered;
//! - a file is written only when its bytes differ from what the folder
//!   holds, each by a rename so a request never sees half a file, and files
//!   the new site no longer has are removed.
//!
//! The folder is Trellis's own (it carries the output marker) and is only
//! ever changed after a build succeeded, so the last good site stays served.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output;
use crate::render::{self, OutputFile, PageJob, Templates};
use crate::site::{LoadOptions, Site, StaticSource};
use crate::theme::Theme;

/// What one successful build did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The pages rendered through the templates (site-relative paths).
    pub rendered: Vec<PathBuf>,
    /// Pages the site has.
    pub pages: usize,
    /// Files written because their bytes changed.
    pub written: usize,
    /// Files removed because the site no longer has them.
    pub removed: usize,
    /// The build's warnings.
    pub warnings: Diagnostics,
    /// Time to load and check the handbook.
    pub load: Duration,
    /// Time to render pages.
    pub render: Duration,
    /// Time to compare and write files.
    pub write: Duration,
}

impl Outcome {
    /// Whether the folder changed.
    pub fn changed(&self) -> bool {
        self.written > 0 || self.removed > 0
    }

    /// Total time.
    pub fn elapsed(&self) -> Duration {
        self.load + self.render + self.write
    }
}

/// A page as last rendered: its template and values.
struct Rendered {
    template: &'static str,
    context: tera::Context,
}

/// A fingerprint of a file's bytes (length and 64-bit SipHash).
type Fingerprint = (usize, u64);

/// Builds one handbook into one folder, remembering the last build.
pub struct Builder {
    options: LoadOptions,
    dir: PathBuf,
    templates: Option<(Theme, Templates)>,
    pages: HashMap<PathBuf, Rendered>,
    on_disk: HashMap<PathBuf, Fingerprint>,
}

impl Builder {
    /// A builder for the handbook in `options`, writing into `dir`, which it
    /// empties (refusing a folder without the output marker) and marks.
    pub fn new(options: LoadOptions, dir: PathBuf) -> io::Result<Builder> {
        if dir.exists() {
            output::remove_ours(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        fs::write(
            dir.join(output::MARKER),
            "This folder was written by `trellis serve`. It is replaced whole on every start.\n",
        )?;
        Ok(Builder {
            options,
            dir,
            templates: None,
            pages: HashMap::new(),
            on_disk: HashMap::new(),
        })
    }

    /// The folder being served.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Forgets the templates, so the next build loads them and renders every page.
    pub fn templates_changed(&mut self) {
        self.templates = None;
        self.pages.clear();
    }

    /// Builds the site; on error the folder is left as it was.
    pub fn build(&mut self) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        let site = Site::load(&self.options)?;
        let load = start.elapsed();

        let start = Instant::now();
        let root = &site.handbook.root;
        let theme =
            Theme::find(root, &site.handbook.config.theme).map_err(|d| Diagnostics(vec![d]))?;
        if self.templates.as_ref().is_some_and(|(t, _)| *t != theme) {
            self.templates_changed();
        }
        if self.templates.is_none() {
            let templates = Templates::load(root, &theme).map_err(Diagnostics)?;
            self.templates = Some((theme.clone(), templates));
        }
        let Some((_, templates)) = &self.templates else {
            return Err(Diagnostics::new());
        };
        let jobs = render::page_jobs(&site);
        let pages = jobs.len();
        let (fresh, stale): (Vec<PageJob>, Vec<PageJob>) =
            jobs.into_iter().partition(|job| self.unchanged(job));
        let rendered = render::render_jobs(&stale, templates).map_err(Diagnostics)?;
        let others = render::other_files(&site);
        let statics = site
            .static_files(&theme)
            .map_err(|e| io_error(&e, &self.dir))?;
        let render_time = start.elapsed();

        let start = Instant::now();
        let mut keep: BTreeSet<PathBuf> = fresh.iter().map(|j| j.path.clone()).collect();
        let mut written = 0;
        for OutputFile { path, bytes } in rendered.into_iter().chain(others) {
            written += usize::from(self.put(&path, &bytes)?);
            keep.insert(path);
        }
        for (path, source) in statics {
            let bytes = match source {
                StaticSource::Bytes(b) => b,
                StaticSource::File(f) => fs::read(&f).map_err(|e| io_error(&e, &f))?,
            };
            written += usize::from(self.put(&path, &bytes)?);
            keep.insert(path);
        }
        let removed = self.remove_all_but(&keep)?;
        let rendered: Vec<PathBuf> = stale.iter().map(|j| j.path.clone()).collect();
        for job in stale {
            self.pages.insert(
                job.path,
                Rendered {
                    template: job.template,
                    context: job.context,
                },
            );
        }
        self.pages.retain(|path, _| keep.contains(path));
        Ok(Outcome {
            rendered,
            pages,
            written,
            removed,
            warnings: site.warnings.clone(),
            load,
            render: render_time,
            write: start.elapsed(),
        })
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

    /// Removes every file written before that is not in `keep`, and folders left empty.
    fn remove_all_but(&mut self, keep: &BTreeSet<PathBuf>) -> Result<usize, Diagnostics> {
        let gone: Vec<PathBuf> = self
            .on_disk
            .keys()
            .filter(|p| !keep.contains(*p))
            .cloned()
            .collect();
        for rel in &gone {
            let file = self.dir.join(rel);
            match fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(&e, &file)),
            }
            self.on_disk.remove(rel);
            let mut parent = rel.parent();
            while let Some(p) = parent.filter(|p| !p.as_os_str().is_empty()) {
                // Fails (and stops) at the first folder that is not empty.
                if fs::remove_dir(self.dir.join(p)).is_err() {
                    break;
                }
                parent = p.parent();
            }
        }
        Ok(gone.len())
    }
}

fn fingerprint(bytes: &[u8]) -> Fingerprint {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    (bytes.len(), h.finish())
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

fn io_error(e: &io::Error, path: &Path) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        path,
        0,
        0,
        format!("cannot write the preview site: {e}"),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handbook(name: &str) -> (PathBuf, PathBuf) {
        let base = std::env::temp_dir().join(format!(
            "trellis-serve-builder-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&base);
        let root = base.join("hb");
        fs::create_dir_all(root.join("content/01-part")).unwrap();
        fs::write(root.join("handbook.yaml"), "title: T\n").unwrap();
        for (file, title) in [("01-one.md", "One"), ("02-two.md", "Two")] {
            fs::write(
                root.join("content/01-part").join(file),
                format!("---\ntitle: {title}\nsummary: About {title}.\n---\n\nBody of {title}.\n"),
            )
            .unwrap();
        }
        (base, root)
    }

    #[test]
    fn one_body_edit_renders_one_page_and_removals_are_removed() {
        let (base, root) = handbook("edit");
        let dir = base.join("site");
        let mut b = Builder::new(
            LoadOptions {
                root: root.clone(),
                drafts: false,
            },
            dir.clone(),
        )
        .unwrap();
        let first = b.build().unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(first.rendered.len(), first.pages);
        assert!(dir.join(output::MARKER).is_file());
        let page = dir.join("part/one/index.html");
        assert!(fs::read_to_string(&page).unwrap().contains("Body of One."));

        let again = b.build().unwrap();
        assert_eq!(
            (again.rendered.len(), again.written, again.removed),
            (0, 0, 0)
        );

        fs::write(
            root.join("content/01-part/01-one.md"),
            "---\ntitle: One\nsummary: About One.\n---\n\nA new body.\n",
        )
        .unwrap();
        let edit = b.build().unwrap();
        // The article, and the print page that holds every article.
        let print = PathBuf::from(crate::render::print::PRINT_URL).join("index.html");
        assert_eq!(
            edit.rendered,
            [PathBuf::from("part/one/index.html"), print],
            "only the edited article and the print page are rendered"
        );
        assert!(fs::read_to_string(&page).unwrap().contains("A new body."));

        fs::remove_file(root.join("content/01-part/01-one.md")).unwrap();
        let removal = b.build().unwrap();
        assert!(removal.removed >= 1);
        assert!(!dir.join("part/one").exists());
        assert!(dir.join(output::MARKER).is_file());

        b.templates_changed();
        let all = b.build().unwrap();
        assert_eq!(all.rendered.len(), all.pages);
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_failed_build_leaves_the_folder_alone() {
        let (base, root) = handbook("fail");
        let dir = base.join("site");
        let mut b = Builder::new(
            LoadOptions {
                root: root.clone(),
                drafts: false,
            },
            dir.clone(),
        )
        .unwrap();
        b.build().unwrap();
        let before = fs::read_to_string(dir.join("part/one/index.html")).unwrap();
        fs::write(
            root.join("content/01-part/01-one.md"),
            "---\ntitle: One\nsummary: About One.\n---\n\nSee [two](missing.md).\n",
        )
        .unwrap();
        assert!(b.build().is_err());
        assert_eq!(
            fs::read_to_string(dir.join("part/one/index.html")).unwrap(),
            before
        );
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn refuses_a_folder_it_did_not_make() {
        let (base, root) = handbook("refuse");
        let dir = base.join("mine");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("keep.txt"), "x").unwrap();
        assert!(Builder::new(
            LoadOptions {
                root,
                drafts: false
            },
            dir.clone()
        )
        .is_err());
        assert!(dir.join("keep.txt").is_file());
        fs::remove_dir_all(&base).unwrap();
    }
}
