//! Builds the site into the serve folder, doing only what a change needs.
//!
//! Every page and file comes from the pipeline's producer
//! ([`crate::pipeline::produce`]), the one `build` runs, here with the
//! preview folder as its writer (`Preview`). Two ways to bring the folder
//! up to date after a change:
//! - **A quick edit** ([`Builder::update`]): when every changed file is an
//!   article whose front matter and anchors stay the same (the common save
//!   while writing), the edit is applied to the site kept from the last
//!   build (`Site::apply_article_edit`) and the producer makes only that
//!   article's page, in milliseconds at any size. The pages every
//!   article feeds (the print page, the search index, the glossary's "used
//!   in" lists) are then behind, and [`Builder::catch_up`] brings them up to
//!   date when the author pauses, a step at a time, giving way to a new save.
//! - **A full build** ([`Builder::build`]), for anything else: the handbook
//!   is loaded afresh (reading and checking everything is what catches a
//!   link broken by a rename), then a page whose template values are equal
//!   to the last build's is not rendered again, and templates are loaded
//!   again only after a change under `templates/` or `themes/` or to
//!   `handbook.yaml` (and then every page is rendered).
//!
//! Either way a file is written only when its bytes differ from what the
//! folder holds, each by a rename so a request never sees half a file, and
//! files the new site no longer has are removed. The folder is Trellis's own
//! (it carries the output marker) and is only ever changed after a build
//! succeeded, so the last good site stays served.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::sync::Mutex;

use super::watch::Batch;
use crate::diagnostic::{Code, Diagnostics};
use crate::output;
use crate::pipeline::produce::{Producer, Selection};
use crate::pipeline::write::Writer;
use crate::render::context::NavCache;
use crate::render::{PageJob, Templates};
use crate::site::{LoadOptions, Site, StaticSource};
use crate::theme::Theme;

/// What one successful build did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The pages rendered through the templates (site-relative paths).
    pub rendered: Vec<PathBuf>,
    /// Pages the site has.
    pub pages: usize,
    /// Files written because their bytes changed, and files removed
    /// because the site no longer has them (site-relative paths).
    pub changed: Vec<PathBuf>,
    /// Files written.
    pub written: usize,
    /// Files removed.
    pub removed: usize,
    /// A quick edit: only the edited articles' pages were brought up to
    /// date; the print page, search index and glossary wait for
    /// [`Builder::catch_up`].
    pub quick: bool,
    /// The build's warnings.
    pub warnings: Diagnostics,
    /// Time to load and check the handbook (or apply a quick edit).
    pub load: Duration,
    /// Time to render pages.
    pub render: Duration,
    /// Time to compare and write files.
    pub write: Duration,
}

impl Outcome {
    /// Whether the folder changed.
    pub fn changed(&self) -> bool {
        !self.changed.is_empty()
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

/// What quick edits leave behind: the pages and files every article feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    /// The files made without templates (search index, feeds, glossary
    /// data), removing those the site no longer has.
    Data,
    /// The one-page print view.
    Print,
    /// The glossary pages (their "used in" lists).
    Glossary,
}

/// The catch-up steps quick edits left to do, in the order
/// [`Builder::catch_up`] takes them: search first (an author may look
/// something up), then the print page, then the glossary.
const CATCH_UP_ORDER: [Scope; 3] = [Scope::Data, Scope::Print, Scope::Glossary];

impl Scope {
    /// What the producer makes to bring it up to date: with the data files,
    /// the e-book, whose size the home page gives.
    fn selections(self, site: &Site) -> Vec<Selection> {
        match self {
            Scope::Data if site.handbook.config.epub => vec![Selection::Data, Selection::Home],
            Scope::Data => vec![Selection::Data],
            Scope::Print => vec![Selection::Print],
            Scope::Glossary => vec![Selection::Glossary],
        }
    }
}

/// Builds one handbook into one folder, remembering the last build.
pub struct Builder {
    options: LoadOptions,
    dir: PathBuf,
    templates: Option<(Theme, Templates)>,
    pages: HashMap<PathBuf, Rendered>,
    on_disk: HashMap<PathBuf, Fingerprint>,
    /// The files made without templates at the last pass (search index,
    /// feeds, glossary data), so a site-wide pass can remove those gone.
    other_files: BTreeSet<PathBuf>,
    /// The site the folder shows, kept while it is good: quick edits apply
    /// to it. `None` after a failed build, so the next change loads afresh.
    site: Option<Site>,
    /// The navigation of `site`, made at the first pass over it and kept
    /// for quick edits and catching up, which change no title or order:
    /// making it again grows with the handbook (docs/performance.md).
    /// Dropped with every full build.
    nav: Option<NavCache>,
    /// What quick edits left behind, for [`Builder::catch_up`].
    behind: BTreeSet<Scope>,
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
            other_files: BTreeSet::new(),
            site: None,
            nav: None,
            behind: BTreeSet::new(),
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

    /// Brings the folder up to date after `batch`: a quick edit when the
    /// batch allows one, else a full build. On error the folder is left as it was.
    pub fn update(&mut self, batch: &Batch) -> Result<Outcome, Diagnostics> {
        if batch.touches_templates() {
            self.templates_changed();
        }
        match self.quick_edit(batch) {
            Some(result) => result,
            None => self.build(),
        }
    }

    /// Whether quick edits left the print page, search index or glossary
    /// behind, for [`Builder::catch_up`].
    pub fn is_behind(&self) -> bool {
        !self.behind.is_empty()
    }

    /// Builds the site from scratch (loading the handbook); on error the
    /// folder is left as it was.
    pub fn build(&mut self) -> Result<Outcome, Diagnostics> {
        self.site = None;
        self.nav = None;
        self.behind.clear();
        let start = Instant::now();
        let site = Site::load(&self.options)?;
        if let Some(Err(d)) = site.ebook() {
            return Err(d.clone());
        }
        let load = start.elapsed();
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
        let mut outcome = self.sync(&site, Selection::All)?;
        outcome.load = load;
        self.site = Some(site);
        Ok(outcome)
    }

    /// Brings the site-wide files up to date after quick edits, a step at a
    /// time (search index and other data, print page, glossary pages),
    /// stopping between steps when `stop` says a new change is waiting (it
    /// goes first; the steps left wait for the next pause); `None` when
    /// nothing was behind.
    pub fn catch_up(
        &mut self,
        stop: &mut dyn FnMut() -> bool,
    ) -> Result<Option<Outcome>, Diagnostics> {
        if self.behind.is_empty() {
            return Ok(None);
        }
        let Some(site) = self.site.take() else {
            self.behind.clear();
            return Ok(None);
        };
        let mut done = Outcome::default();
        for scope in CATCH_UP_ORDER {
            if !self.behind.contains(&scope) {
                continue;
            }
            if stop() {
                break;
            }
            for selection in scope.selections(&site) {
                match self.sync(&site, selection) {
                    Ok(step) => {
                        done.rendered.extend(step.rendered);
                        done.changed.extend(step.changed);
                        done.written += step.written;
                        done.removed += step.removed;
                        done.render += step.render;
                        done.write += step.write;
                    }
                    Err(d) => {
                        self.behind.clear();
                        return Err(d);
                    }
                }
            }
            self.behind.remove(&scope);
        }
        done.pages = self.pages.len();
        done.warnings = site.warnings.clone();
        self.site = Some(site);
        Ok(Some(done))
    }

    /// The quick path (see the module's doc); `None` when `batch` needs a full build.
    fn quick_edit(&mut self, batch: &Batch) -> Option<Result<Outcome, Diagnostics>> {
        let start = Instant::now();
        let articles_only = batch.paths.iter().all(|p| {
            p.starts_with("content")
                && p.extension().is_some_and(|e| e == "md")
                && p.file_name().is_some_and(|n| n != "_index.md")
        });
        if batch.rescan || batch.paths.is_empty() || !articles_only || self.templates.is_none() {
            return None;
        }
        let mut site = self.site.take()?;
        let mut edits = Vec::new();
        for rel in &batch.paths {
            // Any edit it cannot apply leaves the site half-edited: it is dropped,
            // and the full build that follows loads the handbook afresh.
            edits.push(site.apply_article_edit(&self.options.root.join(rel))?);
        }
        let load = start.elapsed();

        // The pipeline's producer, on the edited articles' pages only.
        let edited = edits
            .iter()
            .filter(|e| e.body_changed)
            .map(|e| e.article)
            .collect();
        let result = self.sync(&site, Selection::Articles(edited));
        if edits.iter().any(|e| e.body_changed) {
            self.behind.extend([Scope::Data, Scope::Print]);
        }
        if edits.iter().any(|e| e.terms_changed) {
            self.behind.insert(Scope::Glossary);
        }
        Some(result.map(|mut outcome| {
            outcome.load = load;
            outcome.quick = true;
            outcome.pages = self.pages.len();
            outcome.warnings = site.warnings.clone();
            self.site = Some(site);
            outcome
        }))
    }

    /// Runs the pipeline's producer on the `selection` of `site` into the
    /// folder: pages whose template and values are those last written are
    /// not rendered again, and nothing is written unless every page and file
    /// could be made. Then the files whose bytes changed are written, and
    /// (for the whole site, or its data) the files it no longer has removed.
    fn sync(&mut self, site: &Site, selection: Selection) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        // Navigation stays the same through quick edits (they change no
        // title or order), so it is kept from one pass to the next.
        let nav = self
            .nav
            .take()
            .unwrap_or_else(|| NavCache::new(&site.handbook, &site.words));
        let made = self.produce(site, &selection, &nav);
        self.nav = Some(nav);
        let made = made?;
        let render = start.elapsed();
        let start = Instant::now();
        // What the site no longer has goes first: once a renamed page is
        // served under its new address, the old one is gone.
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
        let mut rendered: Vec<PathBuf> = made.rendered.iter().map(|j| j.path.clone()).collect();
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
        let pages = if selection == Selection::All {
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
            changed: changed.into_iter().chain(removed).collect(),
            warnings: site.warnings.clone(),
            render,
            write: start.elapsed(),
            ..Outcome::default()
        })
    }

    /// What the producer makes of `selection` through the preview writer,
    /// held until all of it is made.
    fn produce(
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

/// The preview folder as the producer's [`Writer`]: it declines pages whose
/// template and values are those it last wrote, and holds what it is given
/// until the whole run succeeded ([`Builder::sync`] writes it then), so a
/// template error leaves the folder as it was.
struct Preview<'a> {
    dir: &'a Path,
    pages: &'a HashMap<PathBuf, Rendered>,
    on_disk: &'a HashMap<PathBuf, Fingerprint>,
    made: Mutex<Made>,
}

/// What one run of the producer gave the preview writer.
#[derive(Default)]
struct Made {
    /// Every page of the run, rendered again or not.
    pages: BTreeSet<PathBuf>,
    /// The pages rendered, with their values.
    rendered: Vec<PageJob>,
    /// The files to write where their bytes changed, pages included.
    files: Vec<(PathBuf, Vec<u8>)>,
    /// The files made without templates (search index, feeds, glossary data).
    data: BTreeSet<PathBuf>,
    /// The files made without templates and the files copied as they are.
    files_kept: BTreeSet<PathBuf>,
}

impl Preview<'_> {
    fn made(&self) -> std::sync::MutexGuard<'_, Made> {
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
    Diagnostics(vec![Code::WriteFailed.error(
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
    fn catching_up_after_a_quick_edit_gives_the_home_page_the_new_e_books_size() {
        let (base, root) = handbook("ebook");
        fs::write(root.join("handbook.yaml"), "title: T\nepub: true\n").unwrap();
        let dir = base.join("site");
        let options = LoadOptions {
            root: root.clone(),
            drafts: false,
        };
        let mut b = Builder::new(options, dir.clone()).unwrap();
        b.build().unwrap_or_else(|d| panic!("{d:?}"));
        let size = |dir: &Path| {
            let home = fs::read_to_string(dir.join("index.html")).unwrap();
            home.split("(EPUB, ")
                .nth(1)
                .and_then(|r| r.split(')').next())
                .map(str::to_string)
        };
        let before = size(&dir).expect("the home page gives the e-book's size");
        // A save that grows the book by far more than a kilobyte.
        let rel = PathBuf::from("content/01-part/01-one.md");
        let words: String = (0..4000).map(|i| format!("word{i} ")).collect();
        let text = format!("---\ntitle: One\nsummary: About One.\n---\n\n{words}\n");
        fs::write(root.join(&rel), text).unwrap();
        let batch = Batch {
            paths: [rel].into(),
            rescan: false,
        };
        assert!(b.update(&batch).unwrap().quick, "a quick edit");
        b.catch_up(&mut || false).unwrap();
        let after = size(&dir).unwrap();
        assert_ne!(after, before, "the e-book's size on the home page");
        let book = fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .find(|e| e.path().extension().is_some_and(|x| x == "epub"))
            .expect("the e-book");
        assert_eq!(
            after,
            crate::epub::size(book.metadata().unwrap().len() as usize)
        );
        let _ = fs::remove_dir_all(base);
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

    /// Every file under `dir` but the output marker, by its path there.
    fn files_of(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file() && e.file_name() != output::MARKER)
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
                (rel, fs::read(e.path()).unwrap())
            })
            .collect()
    }

    fn copy_tree(from: &Path, to: &Path) {
        for e in walkdir::WalkDir::new(from) {
            let e = e.unwrap();
            let dest = to.join(e.path().strip_prefix(from).unwrap());
            if e.file_type().is_dir() {
                fs::create_dir_all(&dest).unwrap();
            } else {
                fs::copy(e.path(), &dest).unwrap();
            }
        }
    }

    #[test]
    fn quick_edits_then_catching_up_leave_what_a_full_build_writes() {
        // The bundled handbook: glossary, citations, quizzes, cross-links.
        let base = std::env::temp_dir().join(format!("trellis-serve-quick-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = base.join("hb");
        copy_tree(&repo.join("content"), &root.join("content"));
        fs::copy(repo.join("handbook.yaml"), root.join("handbook.yaml")).unwrap();
        let options = LoadOptions {
            root: root.clone(),
            drafts: false,
        };
        let mut b = Builder::new(options.clone(), base.join("site")).unwrap();
        b.build().unwrap_or_else(|d| panic!("{d:?}"));
        let rel = PathBuf::from("content/01-foundations/01-why-trust-matters.md");
        let file = root.join(&rel);
        let original = fs::read_to_string(&file).unwrap();
        let batch = Batch {
            paths: [rel.clone()].into(),
            rescan: false,
        };
        let page = PathBuf::from("foundations/why-trust-matters/index.html");
        let edit = |text: &str| fs::write(&file, text).unwrap();

        // What is saved, and how it is expected to be applied.
        #[derive(Debug, PartialEq)]
        enum Way {
            Quick,
            Full,
            Error,
        }
        // Each save must change the article: a replacement that finds nothing
        // (the article was rewritten) would test nothing.
        let changed = |text: String| {
            assert_ne!(text, original, "the edit must find its words in {rel:?}");
            text
        };
        let saves = [
            // Words only.
            (
                changed(original.replace("something quieter", "something quiet")),
                Way::Quick,
            ),
            // A glossary term used here for the first time, and a citation gone.
            (
                changed(
                    original
                        .replace(
                            "something quieter",
                            "something quieter, like [[attachment]],",
                        )
                        .replace(" [@rogers1957]", ""),
                ),
                Way::Quick,
            ),
            // A new heading, and a link to it: a new anchor breaks no link,
            // and the page's own links are checked against its new headings.
            (
                format!("{original}\n## A new section\n\nMore, as [above](#a-new-section).\n"),
                Way::Quick,
            ),
            // That heading gone again: links elsewhere might have pointed at
            // it, so the whole handbook is checked (and none did).
            (original.clone(), Way::Full),
            // A heading a quiz's review link points at, renamed: the full
            // build reports the broken link, the folder stays as it was.
            (
                original.replace("{#what-this-means-for-you}", "{#for-you}"),
                Way::Error,
            ),
            // A new title: every page's navigation shows it.
            (original.replace("title: ", "title: New "), Way::Full),
            // Back as it was.
            (original.clone(), Way::Full),
        ];
        let fresh = base.join("fresh");
        for (text, way) in saves {
            edit(&text);
            let outcome = match b.update(&batch) {
                Ok(outcome) => outcome,
                Err(d) => {
                    assert_eq!(way, Way::Error, "{d:?}");
                    let text = format!("{d:?}");
                    assert!(text.contains("what-this-means-for-you"), "{text}");
                    assert_eq!(files_of(b.dir()), files_of(&fresh), "the last good site");
                    continue;
                }
            };
            let quick = way == Way::Quick;
            assert_eq!(outcome.quick, quick, "{way:?}: {}", &text[..80]);
            if quick {
                assert_eq!(
                    outcome.rendered,
                    std::slice::from_ref(&page),
                    "only the article's page"
                );
                assert!(outcome.changed.contains(&page));
                assert!(b.is_behind());
                let print = PathBuf::from(crate::render::print::PRINT_URL).join("index.html");
                // A change waiting stops the catch-up before its first step.
                let stopped = b.catch_up(&mut || true).unwrap().expect("behind");
                assert!(stopped.changed.is_empty() && b.is_behind());
                let caught_up = b
                    .catch_up(&mut || false)
                    .unwrap()
                    .expect("print page and search behind");
                assert!(caught_up.changed.contains(&print));
                assert!(!b.is_behind());
            }
            // Whatever the path, the folder holds what a fresh build writes.
            let _ = fs::remove_dir_all(&fresh);
            let mut full = Builder::new(options.clone(), fresh.clone()).unwrap();
            full.build().unwrap();
            let (got, want) = (files_of(b.dir()), files_of(&fresh));
            assert_eq!(
                got.keys().collect::<Vec<_>>(),
                want.keys().collect::<Vec<_>>()
            );
            for (path, bytes) in &want {
                assert!(got[path] == *bytes, "{} differs", path.display());
            }
        }

        // An edit that breaks a link is not applied quickly: the full build
        // reports it, and the folder keeps the last good site.
        edit(&changed(
            original.replace("03-creating-a-safe-space.md", "missing.md"),
        ));
        let err = b.update(&batch).unwrap_err();
        assert!(format!("{err:?}").contains("missing.md"), "{err:?}");
        assert_eq!(files_of(b.dir()), files_of(&base.join("fresh")));
        // So is one that links to a heading the page does not have.
        edit(&format!("{original}\nSee [below](#nowhere-here).\n"));
        let err = b.update(&batch).unwrap_err();
        assert!(
            format!("{err:?}").contains("this page has no heading with id `#nowhere-here`"),
            "{err:?}"
        );
        assert_eq!(files_of(b.dir()), files_of(&base.join("fresh")));
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
