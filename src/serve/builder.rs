//! Builds the site into the serve folder, doing only what a change needs.
//!
//! Every page and file comes from the pipeline's producer
//! ([`crate::pipeline::produce`]), the one `build` runs, here with the
//! preview folder as its writer (`serve/preview.rs`). A handbook with
//! `languages:` is previewed as `build` writes it: the default language at
//! the folder's root, each further language under its tag (`es/`), each a
//! tree (`serve/tree.rs`) of its own with the site loaded in its language
//! ([`crate::pipeline::load::languages`]). Two ways to bring the folder
//! up to date after a change:
//! - **A quick edit** ([`Builder::update`]): when every changed file is an
//!   article or an article's translation whose front matter and anchors
//!   stay the same (the common save while writing), the edit is applied to
//!   the sites kept from the last build (`Site::apply_article_edit`) of
//!   the languages that show that file (the default language first: a
//!   source's edit also changes the pages of the languages with no
//!   translation of it, which show the source), and the producer makes
//!   only those pages, in milliseconds at any size. The pages every
//!   article feeds (the print page, the search index, the glossary's "used
//!   in" lists) are then behind in those languages, and
//!   [`Builder::catch_up`] brings them up to date when the author pauses, a
//!   step at a time, giving way to a new save.
//! - **A full build** ([`Builder::build`]), for anything else: the handbook
//!   is loaded afresh in every language (reading and checking everything
//!   is what catches a link broken by a rename), then a page whose
//!   template values are equal to the last build's is not rendered again,
//!   and templates are loaded again only after a change under
//!   `templates/` or `themes/` or to `handbook.yaml` (and then every page
//!   is rendered). A language no longer declared loses its tree.
//!
//! Either way a file is written only when its bytes differ from what the
//! folder holds, each by a rename so a request never sees half a file, and
//! files the new site no longer has are removed. The folder is Trellis's own
//! (it carries the output marker) and is only ever changed after a build
//! succeeded (in every language), so the last good site stays served.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::tree::Tree;
use super::watch::Batch;
use crate::content::ArticleId;
use crate::diagnostic::Diagnostics;
use crate::output;
use crate::pipeline::edit::{ArticleEdit, SavedArticle};
use crate::pipeline::produce::Selection;
use crate::site::{LoadOptions, Site};

/// What one successful build did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The pages rendered through the templates (paths in the preview
    /// folder: a further language's under its tag).
    pub rendered: Vec<PathBuf>,
    /// Pages the site has, in every language.
    pub pages: usize,
    /// Files written because their bytes changed, and files removed
    /// because the site no longer has them (paths in the preview folder).
    pub changed: Vec<PathBuf>,
    /// Files written.
    pub written: usize,
    /// Files removed.
    pub removed: usize,
    /// A quick edit: only the edited articles' pages were brought up to
    /// date; the print page, search index and glossary wait for
    /// [`Builder::catch_up`].
    pub quick: bool,
    /// The build's warnings (the default language's, as `trellis build`
    /// gives them).
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

    /// Adds what another step (another language, another scope) did.
    fn add(&mut self, step: Outcome) {
        self.rendered.extend(step.rendered);
        self.changed.extend(step.changed);
        self.written += step.written;
        self.removed += step.removed;
        self.render += step.render;
        self.write += step.write;
    }
}

/// What quick edits leave behind: the pages and files every article feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Scope {
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
    /// Every language's tree, the default language's first: the order the
    /// producer runs in, so that its pages are written first.
    trees: Vec<Tree>,
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
        let trees = vec![Tree::new(&dir, Path::new(""))];
        Ok(Builder {
            options,
            dir,
            trees,
        })
    }

    /// The folder being served.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folders of the handbook's further languages in the preview
    /// folder (`es`), as the last build found them.
    pub fn language_folders(&self) -> Vec<PathBuf> {
        self.trees
            .iter()
            .map(Tree::prefix)
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .collect()
    }

    /// Forgets the templates, so the next build loads them and renders every page.
    pub fn templates_changed(&mut self) {
        for tree in &mut self.trees {
            tree.templates_changed();
        }
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
    /// behind (in any language), for [`Builder::catch_up`].
    pub fn is_behind(&self) -> bool {
        self.trees.iter().any(|t| !t.behind.is_empty())
    }

    /// Builds the site from scratch (loading the handbook in every
    /// language); on error the folder is left as it was.
    pub fn build(&mut self) -> Result<Outcome, Diagnostics> {
        for tree in &mut self.trees {
            tree.forget_site();
        }
        let start = Instant::now();
        let site = Site::load(&self.options)?;
        let further = crate::pipeline::load::languages(&self.options, &site)?;
        let sites: Vec<Site> = std::iter::once(site).chain(further).collect();
        // Every language's e-book errors (an image without alt text …)
        // before anything is written, as `build` does.
        for site in &sites {
            if let Some(Err(d)) = site.ebook() {
                return Err(d.clone());
            }
        }
        let load = start.elapsed();
        let prefixes: Vec<PathBuf> = sites
            .iter()
            .enumerate()
            .map(|(i, site)| match i {
                0 => PathBuf::new(),
                _ => PathBuf::from(&site.handbook.config.language),
            })
            .collect();
        self.arrange(&prefixes);
        for (tree, site) in self.trees.iter_mut().zip(&sites) {
            tree.load_templates(site)?;
        }
        // Every language is made before any is written: an error in one
        // leaves the whole folder as it was.
        let start = Instant::now();
        let mut made = Vec::new();
        for (tree, site) in self.trees.iter_mut().zip(&sites) {
            made.push(tree.produce(site, &Selection::All)?);
        }
        let render = start.elapsed();
        let start = Instant::now();
        let mut outcome = Outcome::default();
        // A language no longer declared: its tree goes first.
        while self.trees.len() > sites.len() {
            if let Some(tree) = self.trees.last_mut() {
                let removed = tree.remove_all()?;
                outcome.removed += removed.len();
                outcome.changed.extend(removed);
            }
            self.trees.pop();
        }
        for (tree, made) in self.trees.iter_mut().zip(made) {
            let step = tree.commit(made, &Selection::All)?;
            outcome.pages += step.pages;
            outcome.add(step);
        }
        outcome.load = load;
        outcome.render = render;
        outcome.write = start.elapsed();
        outcome.warnings = sites[0].warnings.clone();
        for (tree, site) in self.trees.iter_mut().zip(sites) {
            tree.site = Some(site);
        }
        Ok(outcome)
    }

    /// Puts the trees in the order of `prefixes` (one for each language
    /// of the handbook, the default language's first), making those that
    /// are new; the trees of languages no longer declared come after them.
    fn arrange(&mut self, prefixes: &[PathBuf]) {
        let mut old = std::mem::take(&mut self.trees);
        for prefix in prefixes {
            let tree = match old.iter().position(|t| t.prefix() == prefix) {
                Some(i) => old.remove(i),
                None => Tree::new(&self.dir, prefix),
            };
            self.trees.push(tree);
        }
        self.trees.extend(old);
    }

    /// Brings the site-wide files up to date after quick edits, a step at a
    /// time (search index and other data, print page, glossary pages; each
    /// in every language left behind, the default language first),
    /// stopping between steps when `stop` says a new change is waiting (it
    /// goes first; the steps left wait for the next pause); `None` when
    /// nothing was behind.
    pub fn catch_up(
        &mut self,
        stop: &mut dyn FnMut() -> bool,
    ) -> Result<Option<Outcome>, Diagnostics> {
        if !self.is_behind() {
            return Ok(None);
        }
        let mut done = Outcome::default();
        'scopes: for scope in CATCH_UP_ORDER {
            for tree in &mut self.trees {
                if !tree.behind.contains(&scope) {
                    continue;
                }
                let Some(site) = tree.site.take() else {
                    tree.behind.clear();
                    continue;
                };
                if stop() {
                    tree.site = Some(site);
                    break 'scopes;
                }
                for selection in scope.selections(&site) {
                    match tree.sync(&site, &selection) {
                        Ok(step) => done.add(step),
                        Err(d) => {
                            for tree in &mut self.trees {
                                tree.behind.clear();
                            }
                            return Err(d);
                        }
                    }
                }
                tree.site = Some(site);
                tree.behind.remove(&scope);
            }
        }
        done.pages = self.trees.iter().map(Tree::page_count).sum();
        if let Some(site) = self.trees.first().and_then(|t| t.site.as_ref()) {
            done.warnings = site.warnings.clone();
        }
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
        if batch.rescan
            || batch.paths.is_empty()
            || !articles_only
            || !self.trees.iter().all(Tree::has_templates)
        {
            return None;
        }
        // Any edit it cannot apply leaves a site half-edited: the sites are
        // dropped, and the full build that follows loads the handbook afresh.
        let mut sites = Vec::new();
        for tree in &mut self.trees {
            sites.push(tree.site.take()?);
        }
        let mut edits: Vec<Vec<ArticleEdit>> = sites.iter().map(|_| Vec::new()).collect();
        // Translations whose "changed since translated" notice a saved
        // source turned on or off: their pages are made again too.
        let mut notices: Vec<Vec<ArticleId>> = sites.iter().map(|_| Vec::new()).collect();
        for rel in &batch.paths {
            let file = self.options.root.join(rel);
            // Read once, for every language that shows it.
            let saved = SavedArticle::read(&file)?;
            // An article in the languages that show this file: its own
            // (a translation, `x.es.md`), or the default language and
            // every language with no translation of it (a source).
            let mut shown = false;
            let source = sites.first().and_then(|site| site.article_at(&file));
            for ((site, edits), notices) in sites.iter_mut().zip(&mut edits).zip(&mut notices) {
                if let Some(a) = site.article_at(&file) {
                    shown = true;
                    edits.push(site.apply_article_edit(a, &saved)?);
                } else if let Some(a) = source.filter(|&a| site.source_saved(a, &saved)) {
                    notices.push(a);
                }
            }
            if !shown {
                // A new file, or a page that is not an article.
                return None;
            }
        }
        let load = start.elapsed();

        // The pipeline's producer on the edited articles' pages only, in
        // each language that shows them, the default language first.
        let start = Instant::now();
        let mut made = Vec::new();
        let changes = edits.iter().zip(&notices);
        for ((tree, site), (edits, notices)) in self.trees.iter_mut().zip(&sites).zip(changes) {
            let edited: Vec<_> = edits
                .iter()
                .filter(|e| e.body_changed)
                .map(|e| e.article)
                .chain(notices.iter().copied())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if edited.is_empty() {
                made.push(None);
                continue;
            }
            let selection = Selection::Articles(edited);
            match tree.produce(site, &selection) {
                Ok(m) => made.push(Some((selection, m))),
                Err(d) => return Some(Err(d)),
            }
        }
        let render = start.elapsed();
        let start = Instant::now();
        let mut outcome = Outcome::default();
        let made = made.into_iter().zip(&sites);
        for ((tree, (made, site)), edits) in self.trees.iter_mut().zip(made).zip(&edits) {
            let Some((selection, made)) = made else {
                continue;
            };
            match tree.commit(made, &selection) {
                Ok(step) => outcome.add(step),
                Err(d) => return Some(Err(d)),
            }
            // A language with a body changed: its print page and search
            // follow. A notice alone shows on the article's page, and in
            // the e-book (a data file).
            if edits.iter().any(|e| e.body_changed) {
                tree.behind.extend([Scope::Data, Scope::Print]);
            } else if site.handbook.config.epub {
                tree.behind.insert(Scope::Data);
            }
            if edits.iter().any(|e| e.terms_changed) {
                tree.behind.insert(Scope::Glossary);
            }
        }
        outcome.load = load;
        outcome.render = render;
        outcome.write = start.elapsed();
        outcome.quick = true;
        outcome.pages = self.trees.iter().map(Tree::page_count).sum();
        outcome.warnings = sites[0].warnings.clone();
        for (tree, site) in self.trees.iter_mut().zip(sites) {
            tree.site = Some(site);
        }
        Some(Ok(outcome))
    }
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
            ..Default::default()
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
                ..Default::default()
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

    /// A copy of the bundled handbook (glossary, citations, quizzes,
    /// cross-links, a Spanish edition with part 1 translated) in a scratch
    /// folder named for `test`, and a builder that has built it: (scratch
    /// folder, handbook root, its options, the builder).
    fn bundled_handbook(test: &str) -> (PathBuf, PathBuf, LoadOptions, Builder) {
        let base =
            std::env::temp_dir().join(format!("trellis-serve-{test}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = base.join("hb");
        copy_tree(&repo.join("content"), &root.join("content"));
        fs::copy(repo.join("handbook.yaml"), root.join("handbook.yaml")).unwrap();
        let options = LoadOptions {
            root: root.clone(),
            drafts: false,
            ..Default::default()
        };
        let mut b = Builder::new(options.clone(), base.join("site")).unwrap();
        b.build().unwrap_or_else(|d| panic!("{d:?}"));
        (base, root, options, b)
    }

    #[test]
    fn quick_edits_then_catching_up_leave_what_a_full_build_writes() {
        let (base, root, options, mut b) = bundled_handbook("quick");
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
        // The article's Spanish translation records the digest of the
        // original text: once the source differs, its page says the
        // original changed, made again by the quick edit that changes that.
        let translation = PathBuf::from("es").join(&page);
        let mut says_changed = false;
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
                let mut expected = vec![page.clone()];
                if !says_changed {
                    expected.push(translation.clone());
                }
                assert_eq!(
                    outcome.rendered, expected,
                    "only the article's page (and its translation's notice)"
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
            says_changed = text != original;
            let es = fs::read_to_string(b.dir().join(&translation)).unwrap();
            assert_eq!(es.contains("outdated-notice"), says_changed, "{way:?}");
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

    /// What `trellis build` writes for the handbook in `options` (every
    /// language), by path.
    fn built(options: &LoadOptions, out: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
        let _ = fs::remove_dir_all(out);
        let mut site = Site::load(options).unwrap_or_else(|d| panic!("{d:?}"));
        let mut languages = crate::pipeline::load::languages(options, &site).unwrap();
        site.build_with(out, &mut languages).unwrap();
        files_of(out)
    }

    #[test]
    fn every_language_is_previewed_as_build_writes_it_through_quick_edits() {
        // English, and Spanish with part 1 translated.
        let (base, root, options, mut b) = bundled_handbook("lang");
        let fresh = base.join("fresh");
        let same_as_build = |b: &Builder, what: &str| {
            let (got, want) = (files_of(b.dir()), built(&options, &fresh));
            assert_eq!(
                got.keys().collect::<Vec<_>>(),
                want.keys().collect::<Vec<_>>(),
                "{what}"
            );
            for (path, bytes) in &want {
                assert!(got[path] == *bytes, "{what}: {} differs", path.display());
            }
        };
        same_as_build(&b, "the first build");
        assert_eq!(b.language_folders(), [PathBuf::from("es")]);

        // Saves the handbook's file `rel` with `from` replaced by `to`, and
        // brings the folder up to date.
        let save = |b: &mut Builder, rel: &str, from: &str, to: &str| {
            let file = root.join(rel);
            let text = fs::read_to_string(&file).unwrap();
            assert!(text.contains(from), "{rel} must hold {from:?}");
            fs::write(&file, text.replacen(from, to, 1)).unwrap();
            let batch = Batch {
                paths: [PathBuf::from(rel)].into(),
                rescan: false,
            };
            b.update(&batch).unwrap_or_else(|d| panic!("{rel}: {d:?}"))
        };
        let source = "content/01-foundations/01-why-trust-matters.md";
        let translation = "content/01-foundations/01-why-trust-matters.es.md";
        let untranslated = "content/02-starting-therapy/01-your-first-sessions.md";
        // Each save: the file, the words replaced, the pages a quick edit
        // renders with them (the print page, search and glossary follow),
        // and the translations' pages it renders to say their original
        // changed since they were translated.
        let saves = [
            // A translation: its language's page only.
            (
                translation,
                ("Muchas cosas ayudan a que", "Muchas cosas hacen que"),
                vec!["es/foundations/why-trust-matters/index.html"],
                vec![],
            ),
            // A source with a translation: the default language's page, and
            // the translation's, which now says the original changed.
            (
                source,
                ("something quieter", "something quiet"),
                vec!["foundations/why-trust-matters/index.html"],
                vec!["es/foundations/why-trust-matters/index.html"],
            ),
            // A source no language translates: its page in every language,
            // the default language's first, the Spanish one showing the source's words (terms the Spanish
            // glossary lacks as plain text).
            (
                untranslated,
                ("Walking into your first", "Going to your first"),
                vec![
                    "starting-therapy/your-first-sessions/index.html",
                    "es/starting-therapy/your-first-sessions/index.html",
                ],
                vec![],
            ),
        ];
        for (rel, (from, to), pages, notices) in saves {
            let outcome = save(&mut b, rel, from, to);
            assert!(outcome.quick, "{rel}: a quick edit");
            let pages: Vec<PathBuf> = pages.into_iter().map(PathBuf::from).collect();
            let notices: Vec<PathBuf> = notices.into_iter().map(PathBuf::from).collect();
            // The default language's first.
            let rendered: Vec<PathBuf> = pages.iter().chain(&notices).cloned().collect();
            assert_eq!(outcome.rendered, rendered, "{rel}");
            for page in &notices {
                let html = fs::read_to_string(b.dir().join(page)).unwrap();
                assert!(
                    html.contains("La página original ha cambiado desde que se tradujo."),
                    "{rel}: {} says its original changed",
                    page.display()
                );
            }
            for page in &pages {
                let html = fs::read_to_string(b.dir().join(page)).unwrap();
                assert!(
                    html.contains(to),
                    "{rel}: {} shows the edit",
                    page.display()
                );
            }
            let caught_up = b.catch_up(&mut || false).unwrap().expect("behind");
            assert!(!b.is_behind());
            // Each language's print page that shows the article follows.
            for page in &pages {
                let print = page
                    .components()
                    .next()
                    .filter(|c| c.as_os_str() == "es")
                    .map_or_else(PathBuf::new, |c| PathBuf::from(c.as_os_str()))
                    .join(crate::render::print::PRINT_URL)
                    .join("index.html");
                assert!(
                    caught_up.changed.contains(&print),
                    "{rel}: {}",
                    print.display()
                );
            }
            same_as_build(&b, rel);
        }

        // The Spanish glossary, then a Spanish quiz: each a full build that
        // changes Spanish files only, after which every language is still
        // what `build` writes.
        let es_files = [
            (
                "content/glossary.es.yaml",
                "Una de las tres partes",
                "Una de tres partes",
            ),
            (
                "content/01-foundations/01-why-trust-matters.es.quiz.yaml",
                "Un horario de sesiones estable",
                "Un horario de sesiones fijo",
            ),
        ];
        for (rel, from, to) in es_files {
            let outcome = save(&mut b, rel, from, to);
            assert!(!outcome.quick, "{rel}");
            assert!(
                !outcome.changed.is_empty() && outcome.changed.iter().all(|p| p.starts_with("es")),
                "{rel}: {:?}",
                outcome.changed
            );
            same_as_build(&b, rel);
        }

        // A language no longer declared, its translations gone: its folder goes.
        let config = root.join("handbook.yaml");
        let text = fs::read_to_string(&config).unwrap();
        let at = text
            .find("\nlanguages:")
            .expect("languages: in handbook.yaml");
        fs::write(&config, &text[..=at]).unwrap();
        for e in walkdir::WalkDir::new(root.join("content")) {
            let e = e.unwrap();
            if e.file_name().to_string_lossy().contains(".es.") {
                fs::remove_file(e.path()).unwrap();
            }
        }
        let batch = Batch {
            paths: [PathBuf::from("handbook.yaml")].into(),
            rescan: true,
        };
        b.update(&batch).unwrap_or_else(|d| panic!("{d:?}"));
        assert!(!b.dir().join("es").exists());
        assert!(b.language_folders().is_empty());
        same_as_build(&b, "handbook.yaml without languages:");
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
                ..Default::default()
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
                drafts: false,
                ..Default::default()
            },
            dir.clone()
        )
        .is_err());
        assert!(dir.join("keep.txt").is_file());
        fs::remove_dir_all(&base).unwrap();
    }
}
