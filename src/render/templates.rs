//! The Tera environment: the theme's templates, with the handbook's own
//! `templates/` replacing any of the same name, and template errors turned
//! into diagnostics that name the template file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::suggest;

/// A loaded template set and where each template came from.
pub struct Templates {
    /// The Tera environment.
    pub tera: Tera,
    files: BTreeMap<String, PathBuf>,
}

/// The folder of a theme.
pub fn theme_dir(root: &Path, theme: &str) -> PathBuf {
    root.join("themes").join(theme)
}

impl Templates {
    /// Loads `themes/<theme>/templates/` then `templates/` over it.
    pub fn load(root: &Path, theme: &str) -> Result<Templates, Vec<Diagnostic>> {
        let theme_root = theme_dir(root, theme);
        if !theme_root.is_dir() {
            let known: Vec<String> = std::fs::read_dir(root.join("themes"))
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .map(|e| e.file_name().to_string_lossy().to_string())
                        .collect()
                })
                .unwrap_or_default();
            let help = suggest::did_you_mean(theme, known.iter().map(String::as_str))
                .map(|t| format!("did you mean `theme: {t}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "themes available: {}",
                        if known.is_empty() {
                            "none (no themes/ folder)".into()
                        } else {
                            known.join(", ")
                        }
                    )
                });
            return Err(vec![Diagnostic::error(
                root.join(crate::config::CONFIG_FILE),
                1,
                1,
                format!("theme `{theme}` not found in themes/"),
            )
            .with_help(help)]);
        }
        let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
        for dir in [theme_root.join("templates"), root.join("templates")] {
            if !dir.is_dir() {
                continue;
            }
            for entry in WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if entry.file_type().is_file() {
                    let name = entry
                        .path()
                        .strip_prefix(&dir)
                        .unwrap_or(entry.path())
                        .to_string_lossy()
                        .replace('\\', "/");
                    if !name.starts_with('.') {
                        files.insert(name, entry.path().to_path_buf());
                    }
                }
            }
        }
        let mut sources = Vec::with_capacity(files.len());
        let mut errors = Vec::new();
        for (name, path) in &files {
            match std::fs::read_to_string(path) {
                Ok(text) => sources.push((name.clone(), text)),
                Err(e) => errors.push(Diagnostic::error(
                    path,
                    0,
                    0,
                    format!("cannot read this template: {e}"),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        let templates = Templates { tera, files };
        let mut templates = templates;
        if let Err(e) = templates.tera.add_raw_templates(sources) {
            return Err(vec![templates.diagnostic(&e)]);
        }
        Ok(templates)
    }

    /// Whether a template of that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Renders `name` with `context`, or a diagnostic pointing into the template.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.diagnostic(&e))
    }

    /// A Tera error as a diagnostic at the template's file and line.
    pub fn diagnostic(&self, err: &tera::Error) -> Diagnostic {
        let (file, line, col, message) = match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                (
                    report.filename().to_string(),
                    span.start_line,
                    span.start_col + 1,
                    report.message().to_string(),
                )
            }
            ErrorKind::TemplateNotFound(name) => {
                (name.clone(), 0, 0, format!("template `{name}` not found"))
            }
            ErrorKind::MissingParent { current, parent } => (
                current.clone(),
                1,
                1,
                format!("extends `{parent}`, which is not a template of this theme"),
            ),
            _ => (String::new(), 0, 0, err.to_string()),
        };
        let path =
            self.files.get(&file).cloned().unwrap_or_else(|| {
                PathBuf::from(if file.is_empty() { "templates" } else { &file })
            });
        let mut message = message;
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        Diagnostic::error(path, line, col, format!("template error: {message}"))
            .with_help("fix the template; see docs/themes.md for the variables each page gets")
    }
}
