//! Themes: a folder `themes/<name>/` with `templates/` and `static/`, taken
//! from the handbook's own `themes/` when it has that folder, else from the
//! themes bundled into the Trellis binary (so `trellis init` handbooks build
//! without copying a theme). A theme may start from another one with
//! `extends: <name>` in its `theme.yaml`, replacing only the files it has.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::suggest;
use crate::text_file;

include!(concat!(env!("OUT_DIR"), "/bundled_themes.rs"));

/// Where a theme's own files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A folder on disk (`themes/<name>/`, or the handbook root for its own `templates/`).
    Folder(PathBuf),
    /// A theme compiled into Trellis.
    Bundled(String),
}

/// A theme: its own files, over those of the theme it extends (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Where its files are.
    pub source: Source,
    /// The theme named by `extends:` in its `theme.yaml`.
    pub parent: Option<Box<Theme>>,
}

/// `themes/<name>/theme.yaml`: optional.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// Another theme whose templates and static files this one starts from.
    #[serde(default)]
    extends: Option<String>,
    /// What the theme is, for people choosing one.
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
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
    /// A bare folder of files with no parent (the handbook's own `templates/`).
    pub fn folder(dir: &Path) -> Theme {
        Theme {
            source: Source::Folder(dir.to_path_buf()),
            parent: None,
        }
    }

    /// Finds theme `name` for the handbook at `root`, and the themes it extends.
    pub fn find(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        Self::find_chain(root, name, &mut Vec::new())
    }

    fn find_chain(root: &Path, name: &str, seen: &mut Vec<String>) -> Result<Theme, Diagnostic> {
        let config = root.join(crate::config::CONFIG_FILE);
        if seen.iter().any(|s| s == name) {
            return Err(Code::UnknownTheme
                .error(
                    &config,
                    1,
                    1,
                    format!(
                        "themes extend each other in a circle: {} -> {name}",
                        seen.join(" -> ")
                    ),
                )
                .with_help("remove one `extends:` from the themes' theme.yaml"));
        }
        seen.push(name.to_string());
        let dir = root.join("themes").join(name);
        let (source, manifest_text, manifest_path) = if dir.is_dir() {
            let path = dir.join("theme.yaml");
            // No theme.yaml is a theme of its own; one that cannot be read is an error.
            let text = if path.exists() {
                Some(text_file::read(
                    &path,
                    "theme.yaml",
                    text_file::SAVE_AS_UTF8,
                )?)
            } else {
                None
            };
            (Source::Folder(dir), text, path)
        } else if bundled_names().contains(name) {
            let key = format!("{name}/theme.yaml");
            let text = BUNDLED_THEME_FILES
                .iter()
                .find(|(p, _)| *p == key)
                .map(|(_, b)| String::from_utf8_lossy(b).into_owned());
            (
                Source::Bundled(name.to_string()),
                text,
                PathBuf::from(format!("(bundled theme) themes/{key}")),
            )
        } else {
            return Err(not_found(root, name, &config));
        };
        let manifest: Manifest = match manifest_text {
            Some(text) => crate::yaml::from_str(&text, &manifest_path)?,
            None => Manifest::default(),
        };
        let parent = match manifest.extends {
            Some(p) => Some(Box::new(Self::find_chain(root, &p, seen)?)),
            None => None,
        };
        Ok(Theme { source, parent })
    }

    /// The files under `sub` (`templates` or `static`): the parent's first,
    /// then this theme's, which replace any of the same name.
    pub fn files(&self, sub: &str) -> std::io::Result<Vec<ThemeFile>> {
        let mut merged: std::collections::BTreeMap<String, ThemeFile> =
            std::collections::BTreeMap::new();
        if let Some(parent) = &self.parent {
            for f in parent.files(sub)? {
                merged.insert(f.rel.clone(), f);
            }
        }
        for f in self.own_files(sub)? {
            merged.insert(f.rel.clone(), f);
        }
        Ok(merged.into_values().collect())
    }

    /// The files under `sub` of this theme alone, without the theme it extends.
    pub fn own_files(&self, sub: &str) -> std::io::Result<Vec<ThemeFile>> {
        match &self.source {
            Source::Folder(dir) => {
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
            Source::Bundled(name) => {
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

fn not_found(root: &Path, name: &str, config: &Path) -> Diagnostic {
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
    let line = std::fs::read_to_string(config)
        .ok()
        .and_then(|text| crate::yaml::key_line(&text, 1, usize::MAX, "theme"))
        .unwrap_or(1);
    Code::UnknownTheme
        .error(config, line, 1, format!("theme `{name}` not found"))
        .with_help(help)
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
        let t = Theme {
            source: Source::Bundled("default".into()),
            parent: None,
        };
        let templates = t.files("templates").unwrap();
        assert!(templates.iter().any(|f| f.rel == "base.html"));
    }
}
