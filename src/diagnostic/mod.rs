//! Diagnostics: content errors and warnings as data, rendered in one place.
//!
//! Every problem Trellis finds in a handbook becomes a [`Diagnostic`] with
//! its kind ([`Code`]), the file, line and column it points at, what is
//! wrong and, where we can tell, what to do. Steps collect them instead of
//! stopping at the first, and the CLI prints them all as
//! `file:line:col: error[code]: message`. Code that must tell problems
//! apart looks at the code, not the message; the errors of serde_yaml and
//! hayagriva carry no kind, so their text is read in `yaml.rs` and
//! `citations/` only.

mod code;

use std::fmt;
use std::path::{Path, PathBuf};

pub use code::{Code, Origin};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    Error,
    /// The build goes on; `check` reports it.
    Warning,
    /// Information `check` gives, nothing to fix (pages not yet translated).
    Note,
}

/// One problem in one place of one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning (the code's).
    pub severity: Severity,
    /// What kind of problem it is.
    pub code: Code,
    /// The file, as given to Trellis (usually relative to the handbook root).
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when we can tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of kind `code` at `file` and `(line, column)`; made
    /// through [`Code::error`] and [`Code::warning`].
    fn new(code: Code, file: PathBuf, (line, column): (usize, usize), message: String) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            file,
            line,
            column,
            message,
            help: None,
        }
    }

    /// Adds a hint on what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a hint only when there is one.
    pub fn with_optional_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Moves the position down by `lines`: used when a snippet (front matter)
    /// was parsed on its own and its position must point into the whole file.
    pub fn shifted(mut self, lines: usize) -> Self {
        if self.line > 0 {
            self.line += lines;
        }
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(
            f,
            "{}:{}:{}: {kind}[{}]: {}",
            self.file.display(),
            self.line.max(1),
            self.column.max(1),
            self.code,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A batch of diagnostics, collected across files and steps.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// An empty batch.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// True when any is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Warning)
    }

    /// Sorts by file, then position, so output is stable across parallel runs.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        self.0.dedup();
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Moves the diagnostics out.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

/// The line and column (both 1-based) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A path shown relative to `root` when it lies inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 8), (3, 1));
    }

    #[test]
    fn display_has_file_line_col_and_help() {
        let d = Code::BrokenLink
            .error("content/a.md", 3, 7, "broken link")
            .with_help("fix it");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: error[broken-link]: broken link\n  help: fix it"
        );
    }
}
