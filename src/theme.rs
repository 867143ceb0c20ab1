//! Themes: a folder `themes/<name>/` with `templates/` and `static/`, taken
//! from the handbook's own `themes/` when it has that folder, else from the
//! themes bundled into the Trellis binary (so `trellis init` handbooks build
//! without copying a theme).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::suggest;

include!(concat!(env!("OUT_DIR"), "/bundled_themes.rs"));

/// Where a theme's files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Theme {
    /// `themes/<name>/` inside the handbook.
    Folder(PathBuf),
    /// A theme compiled into Trellis.
    Bundled(String),
}

/// One file of a theme.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path inside `templates/` or `static/`.
    pub rel: String,
    /// Where to say it is in error messages.
    pub shown_as: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl Theme {
    /// Finds theme `name` for the handbook at `root`.
    pub fn find(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            return Ok(Theme::Folder(dir));
        }
        if bundled_names().contains(name) {
            return Ok(Theme::Bundled(name.to_string()));
        }
        let mut known: BTreeSet<String> = bundled_names().into_iter().map(str::to_string).collect();
        if let Ok(entries) = std::fs::read_dir(root.join("themes")) {
            known.extend(
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().to_string()),
            );
        }
        let help = suggest::did_you_mean(name, known.iter().map(String::as_str))
            .map(|t| format!("did you mean `theme: {t}`?"))
            .unwrap_or_else(|| {
                format!(
                    "themes available: {}",
                    known.into_iter().collect::<Vec<_>>().join(", ")
                )
            });
        Err(Diagnostic::error(
            root.join(crate::config::CONFIG_FILE),
            1,
            1,
            format!("theme `{name}` not found"),
        )
        .with_help(help))
    }

    /// The files under the theme's `sub` folder (`templates` or `static`).
    pub fn files(&self, sub: &str) -> std::io::Result<Vec<ThemeFile>> {
        match self {
            Theme::Folder(dir) => {
                let base = dir.join(sub);
                let mut out = Vec::new();
                if !base.is_dir() {
                    return Ok(out);
                }
                for entry in walkdir::WalkDir::new(&base)
                    .sort_by_file_name()
                    .follow_links(true)
                {
                    let entry = entry.map_err(std::io::Error::other)?;
                    let name = entry.file_name().to_string_lossy();
                    if !entry.file_type().is_file() || name.starts_with('.') {
                        continue;
                    }
                    let rel = entry.path().strip_prefix(&base).unwrap_or(entry.path());
                    out.push(ThemeFile {
                        rel: rel.to_string_lossy().replace('\\', "/"),
                        shown_as: entry.path().to_path_buf(),
                        bytes: std::fs::read(entry.path())?,
                    });
                }
                Ok(out)
            }
            Theme::Bundled(name) => {
                let prefix = format!("{name}/{sub}/");
                Ok(BUNDLED_THEME_FILES
                    .iter()
                    .filter_map(|(path, bytes)| {
                        let rel = path.strip_prefix(&prefix)?;
                        Some(ThemeFile {
                            rel: rel.to_string(),
                            shown_as: PathBuf::from(format!("(bundled theme) themes/{path}")),
                            bytes: bytes.to_vec(),
                        })
                    })
                    .collect())
            }
        }
    }
}

/// Names of the themes compiled into Trellis.
pub fn bundled_names() -> BTreeSet<&'static str> {
    BUNDLED_THEME_FILES
        .iter()
        .filter_map(|(path, _)| path.split('/').next())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_is_bundled() {
        assert!(bundled_names().contains("default"));
        let t = Theme::Bundled("default".into());
        let templates = t.files("templates").unwrap();
        assert!(templates.iter().any(|f| f.rel == "base.html"));
    }
}
