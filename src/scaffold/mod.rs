//! `trellis init` and `trellis new article`: new handbooks and articles from
//! the templates in `src/scaffold/templates/`, which are compiled into the
//! binary.
//!
//! Neither command ever overwrites a file: [`init`] wants a new or empty
//! folder, and [`new_article`] refuses when the article or its quiz exists.

mod article;

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use article::{new_article, NewArticle};

/// Why a command did nothing, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Refusal {
    fn new(message: impl Into<String>) -> Self {
        Refusal {
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The files `init` writes: path inside the new handbook, contents.
const INIT_FILES: [(&str, &str); 7] = [
    (
        "handbook.yaml",
        include_str!("templates/init/handbook.yaml"),
    ),
    (".gitignore", include_str!("templates/init/gitignore")),
    (
        "content/_index.md",
        include_str!("templates/init/content/_index.md"),
    ),
    (
        "content/glossary.yaml",
        include_str!("templates/init/content/glossary.yaml"),
    ),
    (
        "content/01-getting-started/_index.md",
        include_str!("templates/init/content/01-getting-started/_index.md"),
    ),
    (
        "content/01-getting-started/01-how-this-handbook-works.md",
        include_str!("templates/init/content/01-getting-started/01-how-this-handbook-works.md"),
    ),
    (
        "content/01-getting-started/01-how-this-handbook-works.quiz.yaml",
        include_str!(
            "templates/init/content/01-getting-started/01-how-this-handbook-works.quiz.yaml"
        ),
    ),
];

/// Writes a small handbook into `dir` (created if missing): settings with
/// crisis links, a home page, a part with one article, its quiz and a
/// glossary. It builds, and `check` finds no errors in it. Refuses a `dir`
/// that is a file or a folder with anything in it. Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Refusal> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(
                Refusal::new(format!("{} is a file, not a folder", dir.display())).help(
                    "give the name of a new or empty folder, e.g. `trellis init my-handbook`",
                ),
            );
        }
        let mut entries = fs::read_dir(dir).map_err(|e| io_refusal(dir, &e))?;
        if entries.next().is_some() {
            return Err(Refusal::new(format!(
                "{} is not empty; Trellis starts a handbook only in a new or empty folder",
                dir.display()
            ))
            .help("give the name of a new folder, e.g. `trellis init my-handbook`"));
        }
    }
    let mut written = Vec::with_capacity(INIT_FILES.len());
    for (rel, text) in INIT_FILES {
        let path = dir.join(rel);
        write_new(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `text` to `path`, creating its folder; never replaces a file.
fn write_new(path: &Path, text: &str) -> Result<(), Refusal> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| io_refusal(parent, &e))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Refusal::new(format!(
                    "{} already exists; Trellis will not overwrite it",
                    path.display()
                ))
            } else {
                io_refusal(path, &e)
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| io_refusal(path, &e))
}

fn io_refusal(path: &Path, e: &std::io::Error) -> Refusal {
    Refusal::new(format!("cannot write {}: {e}", path.display()))
        .help("check that the folder exists and that you may write there")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_templates_parse() {
        use crate::frontmatter::{self, ArticleMeta};
        let (_, article) = INIT_FILES[5];
        let split = frontmatter::split(article, Path::new("a.md")).unwrap();
        let meta: ArticleMeta = frontmatter::parse(&split, Path::new("a.md")).unwrap();
        assert_eq!(meta.reviewed, None);
        let (_, quiz) = INIT_FILES[6];
        assert_eq!(
            crate::quiz::parse(quiz, Path::new("q.quiz.yaml"))
                .unwrap()
                .questions
                .len(),
            3
        );
    }
}
