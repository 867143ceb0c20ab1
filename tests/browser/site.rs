//! The sites under test, built once per test run with the real `trellis`
//! binary into `target/tmp/browser-sites/<name>/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::chrome::{self, Browser};
use super::gate::{self, BrowserTools};
use super::server::StaticServer;

/// [`chrome::expect_no_problems`] on one page of the [`fixture`] site,
/// served on 127.0.0.1: `page` as [`Site::page`] takes it, and `check` gets
/// its URL. The failure message is `what` on that URL.
pub async fn expect_no_problems_on_fixture_page(
    tools: &BrowserTools,
    name: &str,
    page: &str,
    what: &str,
    check: impl AsyncFnOnce(&Browser, &str) -> chrome::Result<Vec<String>>,
) {
    let site = fixture().as_ref().unwrap_or_else(|e| panic!("{e}"));
    let server = StaticServer::start(&site.output);
    let url = server.url(&site.page(page));
    let what = format!("{what} on {url}");
    chrome::expect_no_problems(tools, name, &what, async |browser| {
        check(browser, &url).await
    })
    .await;
}

/// A built site.
#[derive(Debug)]
pub struct Site {
    /// `fixture` or `handbook`: names its screenshots folder and its reports.
    pub name: &'static str,
    pub output: PathBuf,
    /// The slug path of a part (`first-part`) and of an article in it
    /// (`first-part/an-article`), for the page table's `{part}` and `{article}`.
    pub part: String,
    pub article: String,
    /// A handbook made by `trellis import`: it has no quizzes, glossary or
    /// crisis regions, so the page types those make are not there to check.
    pub imported: bool,
    /// The folder of the site's language inside `output` (`es/`), or `""`.
    pub prefix: &'static str,
    /// Its print view is one page per part (`print: { split_above }`), so
    /// it has the page types of a part's print page and the list of them.
    pub print_parts: bool,
}

impl Site {
    /// A page table path with `{part}` and `{article}` filled in.
    pub fn page(&self, template: &str) -> String {
        let page = template
            .replace("{article}", &self.article)
            .replace("{part}", &self.part);
        format!("{}{page}", self.prefix)
    }
}

/// The test fixture `tests/fixtures/basic`: it must build.
pub fn fixture() -> &'static Result<Site, String> {
    static SITE: OnceLock<Result<Site, String>> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = gate::repo_root().join("tests/fixtures/basic");
        let output = build("fixture", &root)?;
        Ok(Site {
            name: "fixture",
            output,
            part: "first-part".into(),
            article: "first-part/an-article".into(),
            imported: false,
            print_parts: false,
            prefix: "",
        })
    })
}

/// The handbook bundled at the repository root. `Ok(None)` while the
/// repository has no `handbook.yaml` yet; once it has one it must build.
pub fn handbook() -> &'static Result<Option<Site>, String> {
    static SITE: OnceLock<Result<Option<Site>, String>> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = gate::repo_root();
        if !root.join("handbook.yaml").is_file() {
            return Ok(None);
        }
        let output = build("handbook", root)?;
        let (part, article) = find_article(&output).ok_or_else(|| {
            format!(
                "the bundled handbook's output {} has no part folder with an article page in it",
                output.display()
            )
        })?;
        Ok(Some(Site {
            name: "handbook",
            output,
            part,
            article,
            imported: false,
            print_parts: false,
            prefix: "",
        }))
    })
}

/// The bundled handbook's Spanish edition (`es/` of [`handbook`]'s output):
/// its translated pages and the fallbacks for the others.
pub fn handbook_spanish() -> Option<Site> {
    let handbook = handbook().as_ref().ok()?.as_ref()?;
    let (part, article) = find_article(&handbook.output.join("es"))?;
    Some(Site {
        name: "handbook-es",
        output: handbook.output.clone(),
        part,
        article,
        imported: false,
        print_parts: false,
        prefix: "es/",
    })
}

/// The [`handbook`] for test `test`, or `None` (said) when the repository
/// has none; a handbook that does not build fails the test.
pub fn handbook_or_skip(test: &str) -> Option<&'static Site> {
    match handbook() {
        Ok(Some(site)) => Some(site),
        Ok(None) => {
            gate::say(&format!("skipping {test}: no bundled handbook"));
            None
        }
        Err(e) => panic!("{e}"),
    }
}

/// The bundled handbook with `theme: classic`, the second bundled theme:
/// every page type must pass in both themes.
pub fn classic() -> &'static Result<Site, String> {
    static SITE: OnceLock<Result<Site, String>> = OnceLock::new();
    SITE.get_or_init(|| {
        let repo = gate::repo_root();
        let root = gate::scratch_dir("classic-root");
        copy_tree(&repo.join("content"), &root.join("content"))?;
        let config =
            std::fs::read_to_string(repo.join("handbook.yaml")).map_err(|e| e.to_string())?;
        let config: String = config
            .lines()
            .map(|l| {
                if l.starts_with("theme:") {
                    "theme: classic"
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let config = if config.contains("theme: classic") {
            config
        } else {
            format!("{config}\ntheme: classic")
        };
        std::fs::write(root.join("handbook.yaml"), config + "\n").map_err(|e| e.to_string())?;
        let output = build("classic", &root)?;
        let (part, article) = find_article(&output).ok_or_else(|| {
            format!(
                "{} has no part folder with an article page",
                output.display()
            )
        })?;
        Ok(Site {
            name: "classic",
            output,
            part,
            article,
            imported: false,
            print_parts: false,
            prefix: "",
        })
    })
}

/// The test fixture with `language: es`: every page type must pass with
/// the theme's Spanish words (the content stays the fixture's English).
/// It prints part by part (`print: { split_above: 0 }`).
pub fn spanish() -> &'static Result<Site, String> {
    static SITE: OnceLock<Result<Site, String>> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = gate::scratch_dir("spanish-root");
        copy_tree(&gate::repo_root().join("tests/fixtures/basic"), &root)?;
        let config = root.join("handbook.yaml");
        let text = std::fs::read_to_string(&config).map_err(|e| e.to_string())?;
        // Printed part by part, so that the list of parts and a part's
        // print page are checked too (in Spanish words).
        let config_text = format!("{text}\nlanguage: es\nprint: {{ split_above: 0 }}\n");
        std::fs::write(&config, config_text).map_err(|e| e.to_string())?;
        let output = build("spanish", &root)?;
        let (part, article) = find_article(&output)
            .ok_or_else(|| format!("{} has no article page", output.display()))?;
        Ok(Site {
            name: "spanish",
            output,
            part,
            article,
            imported: false,
            print_parts: true,
            prefix: "",
        })
    })
}

/// The test fixture `tests/fixtures/arabic`, a handbook in Arabic: every
/// page type must pass written right to left (`dir="rtl"`), with the
/// theme's English words where it has no Arabic ones.
pub fn arabic() -> &'static Result<Site, String> {
    static SITE: OnceLock<Result<Site, String>> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = gate::repo_root().join("tests/fixtures/arabic");
        let output = build("arabic", &root)?;
        let (part, article) = find_article(&output)
            .ok_or_else(|| format!("{} has no article page", output.display()))?;
        Ok(Site {
            name: "arabic",
            output,
            part,
            article,
            imported: false,
            print_parts: false,
            prefix: "",
        })
    })
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(|e| e.to_string())?;
        let dest = to.join(entry.path().strip_prefix(from).map_err(|e| e.to_string())?);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).map_err(|e| e.to_string())?;
        } else {
            std::fs::copy(entry.path(), &dest).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Builds the handbook at `root` into `target/tmp/browser-sites/<name>/`.
pub fn build(name: &str, root: &Path) -> Result<PathBuf, String> {
    let output = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("browser-sites")
        .join(name);
    let _ = std::fs::remove_dir_all(&output);
    let result = Command::new(env!("CARGO_BIN_EXE_trellis"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(&output)
        .output()
        .map_err(|e| format!("running trellis: {e}"))?;
    if !result.status.success() {
        return Err(format!(
            "`trellis build --root {} --output {}` failed ({}):\n{}{}",
            root.display(),
            output.display(),
            result.status,
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        ));
    }
    if !output.join("index.html").is_file() {
        return Err(format!(
            "`trellis build --root {}` succeeded but wrote no {}",
            root.display(),
            output.join("index.html").display()
        ));
    }
    Ok(output)
}

/// Folders of the output that are not parts.
const NOT_PARTS: &[&str] = &["glossary", "quizzes", "search", "print"];

/// The first part (in name order) holding an article: a folder with an
/// `index.html` whose sub-folder has an `index.html` and no pages below it
/// but its quiz.
pub fn find_article(output: &Path) -> Option<(String, String)> {
    for part in sorted_dirs(output) {
        let part_name = part.file_name()?.to_str()?.to_string();
        // A language's tree (`es/`) has its own `static/`: it is no part.
        if NOT_PARTS.contains(&part_name.as_str())
            || !part.join("index.html").is_file()
            || part.join("static").is_dir()
        {
            continue;
        }
        for article in sorted_dirs(&part) {
            let leaf = sorted_dirs(&article)
                .iter()
                .all(|d| d.ends_with("quiz") || !d.join("index.html").is_file());
            if article.join("index.html").is_file() && leaf {
                let article_name = article.file_name()?.to_str()?;
                return Some((part_name.clone(), format!("{part_name}/{article_name}")));
            }
        }
    }
    None
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}
