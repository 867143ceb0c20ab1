//! Output safety: where the site may be written and how it replaces the old one.
//!
//! The site is written to a fresh folder beside the output and swapped in
//! only when the whole build succeeded, so a failed or interrupted build
//! leaves the previous site as it was. Trellis only ever deletes folders that
//! carry its marker file, and refuses outputs that would hit the handbook's
//! own files (the root, `content/`, `themes/` …) or a folder it did not make.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The file that marks a folder as Trellis output (and so safe to replace).
pub const MARKER: &str = ".trellis-output";
const MARKER_TEXT: &str =
    "This folder was written by Trellis. It is replaced whole on every build.\n";

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
    for source in ["content", "templates", "themes", "static"] {
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

/// A folder being filled with a new site, swapped in by [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    /// Where pages are written during the build.
    pub dir: PathBuf,
    target: PathBuf,
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
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let dir = parent.join(format!(".{name}.trellis-new-{}", std::process::id()));
        if dir.exists() {
            remove_ours(&dir)?;
        }
        fs::create_dir(&dir)?;
        fs::write(dir.join(MARKER), MARKER_TEXT)?;
        Ok(Staging { dir, target })
    }

    /// Replaces the output with the staged site: the old site is renamed away,
    /// the new one renamed in, then the old one removed. Either the old or the
    /// new site is in place at every moment.
    pub fn commit(self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.trellis-old-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            if old.exists() {
                remove_ours(&old)?;
            }
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        if had_old {
            remove_ours(&old)?;
        }
        std::mem::forget(self);
        Ok(())
    }
}

impl Drop for Staging {
    /// A build that did not commit leaves nothing behind.
    fn drop(&mut self) {
        let _ = remove_ours(&self.dir);
    }
}

/// Removes `dir` only if it carries the Trellis marker.
pub fn remove_ours(dir: &Path) -> io::Result<()> {
    if dir.join(MARKER).is_file() {
        fs::remove_dir_all(dir)
    } else {
        Err(io::Error::other(format!(
            "{} has no {MARKER} file; not removing it",
            dir.display()
        )))
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
        assert!(matches!(
            check(&root, &root.join("content")),
            Err(Refusal::InsideSources(_, _))
        ));
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
            })
            .count();
        assert_eq!(leftovers, 0);
        fs::remove_dir_all(&root).unwrap();
    }
}
