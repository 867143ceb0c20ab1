//! The stable name of every kind of problem Trellis reports.
//!
//! Each [`Diagnostic`] carries exactly one [`Code`]. Its
//! kebab-case name is printed between the severity's brackets
//! (`error[unknown-key]`), given as `code` in `check`'s JSON report, and
//! listed in docs/check.md's "Codes" table, where authors look it up. The
//! names of the warnings are what `allow:` lists name, so a name, once
//! given, is never changed or reused for another kind of problem.

use std::fmt;
use std::path::PathBuf;

use super::{Diagnostic, Severity};

/// Who reports a code: the build itself, or one of `check`'s rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The build's own error: nothing is written.
    BuildError,
    /// The build's own warning: the build goes on.
    BuildWarning,
    /// A rule `trellis check` adds (always a warning).
    Rule,
    /// Information `trellis check` adds: a note, nothing to fix.
    Note,
}

/// Declares the codes: variant, name and origin in one place, so the enum,
/// its names and [`Code::ALL`] cannot disagree.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, $origin:ident;)*) => {
        /// The kind of a diagnostic (see the module's documentation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order docs/check.md lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case name (`unknown-key`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// Whether the build or `check` reports it.
            pub const fn origin(self) -> Origin {
                match self {
                    $(Code::$variant => Origin::$origin,)*
                }
            }
        }
    };
}

codes! {
    // Errors of the build.
    /// A file or folder cannot be read (or is missing where one is needed).
    ReadFailed = "read-failed", BuildError;
    /// The site, the preview or the e-book cannot be written.
    WriteFailed = "write-failed", BuildError;
    /// `output_dir` or `--output` names a folder Trellis must not replace.
    OutputRefused = "output-refused", BuildError;
    /// A file is not UTF-8 text.
    NotText = "not-text", BuildError;
    /// A file too large, or YAML nested or aliased too deeply, to read safely.
    TooLarge = "too-large", BuildError;
    /// YAML that does not parse: indentation, colons, quotes, tabs.
    YamlSyntax = "yaml-syntax", BuildError;
    /// A YAML alias (`*name`) with no anchor (`&name`) before it.
    UnknownAlias = "unknown-alias", BuildError;
    /// A key Trellis does not know, or one that does not belong where it is written.
    UnknownKey = "unknown-key", BuildError;
    /// A required key is missing (or has no value).
    MissingKey = "missing-key", BuildError;
    /// A key written twice in one mapping.
    DuplicateKey = "duplicate-key", BuildError;
    /// A value of the wrong kind, empty, out of range or not one of those allowed.
    InvalidValue = "invalid-value", BuildError;
    /// An article's front matter is missing or not closed.
    FrontMatter = "front-matter", BuildError;
    /// Two things that must differ share a name: question ids, glossary
    /// terms, reference keys, page addresses.
    DuplicateName = "duplicate-name", BuildError;
    /// A name Trellis keeps for itself.
    ReservedName = "reserved-name", BuildError;
    /// A link to a file or page that does not exist.
    BrokenLink = "broken-link", BuildError;
    /// A link's `#fragment` that is no heading of the page it links to.
    UnknownAnchor = "unknown-anchor", BuildError;
    /// `[[term]]` (or `see_also`) naming no glossary term.
    UnknownTerm = "unknown-term", BuildError;
    /// `[@key]` naming no entry of references.yaml.
    UnknownCitation = "unknown-citation", BuildError;
    /// A reference the citation style cannot format.
    UnformattableReference = "unformattable-reference", BuildError;
    /// A theme that is not there, or themes extending each other in a circle.
    UnknownTheme = "unknown-theme", BuildError;
    /// A template that does not parse or fails to render.
    TemplateError = "template-error", BuildError;
    /// An image the e-book cannot carry.
    EpubImage = "epub-image", BuildError;
    /// A source `trellis import` cannot read as its kind of book.
    ImportSource = "import-source", BuildError;
    /// A translation into a language `languages:` does not declare, of a
    /// source that does not exist, or into the handbook's own language.
    Translation = "translation", BuildError;
    // Warnings of the build.
    /// A glossary term no article uses.
    UnusedTerm = "unused-term", BuildWarning;
    // `check`'s rules.
    /// Flesch–Kincaid grade above the target (or below the floor).
    Readability = "readability", Rule;
    /// No `reviewed` date.
    ReviewMissing = "review-missing", Rule;
    /// `reviewed` older than `review.interval_months`.
    ReviewOverdue = "review-overdue", Rule;
    /// An article no clinician has checked.
    ClinicalReviewPending = "clinical-review-pending", Rule;
    /// An image with empty alt text.
    AltText = "alt-text", Rule;
    /// Raw `<script>` in markdown.
    Script = "script", Rule;
    /// An article without a quiz.
    QuizMissing = "quiz-missing", Rule;
    /// A quiz with no questions yet.
    QuizEmpty = "quiz-empty", Rule;
    /// A summary still the `trellis new` placeholder.
    SummaryPlaceholder = "summary-placeholder", Rule;
    /// No crisis signposting in handbook.yaml.
    Crisis = "crisis", Rule;
    /// An `allow:` list naming no rule.
    Allow = "allow", Rule;
    /// The key's shown position skewed across a quiz or the handbook.
    AnswerPosition = "answer-position", Rule;
    /// The key clearly the longest choice.
    LongestChoice = "longest-choice", Rule;
    /// Absolute words in wrong choices but not in keyed ones.
    AbsoluteWords = "absolute-words", Rule;
    /// "All of the above" or "none of the above" as a choice.
    AllNoneOfTheAbove = "all-none-of-the-above", Rule;
    /// Two choices of a question that read the same.
    DuplicateChoice = "duplicate-choice", Rule;
    /// A prompt asking for what is NOT, or EXCEPT, without emphasis.
    NegativeStem = "negative-stem", Rule;
    /// True-false answers all true or all false, or skewed over the handbook.
    TrueFalseBalance = "true-false-balance", Rule;
    /// A translation whose source changed since it was made, or that records no digest.
    TranslationOutdated = "translation-outdated", Rule;
    /// Theme strings the handbook's language lacks.
    ThemeStringMissing = "theme-string-missing", Rule;
    /// A key of a strings file that the theme does not use.
    ThemeStringUnknown = "theme-string-unknown", Rule;
    // `check`'s notes.
    /// A page not yet translated into one of `languages:`.
    TranslationMissing = "translation-missing", Note;
}

impl Code {
    /// Error or warning: fixed for each code.
    pub const fn severity(self) -> Severity {
        match self.origin() {
            Origin::BuildError => Severity::Error,
            Origin::BuildWarning | Origin::Rule => Severity::Warning,
            Origin::Note => Severity::Note,
        }
    }

    /// The code named `name`, if any.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The names `allow:` lists may give: every warning's and note's.
    pub fn allowable_names() -> Vec<&'static str> {
        Code::ALL
            .iter()
            .filter(|c| c.severity() != Severity::Error)
            .map(|c| c.name())
            .collect()
    }

    /// An error of this kind at `file:line:column` (0 for "the whole file"
    /// or "unknown").
    pub fn error(
        self,
        file: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        debug_assert_eq!(self.severity(), Severity::Error, "{self} is a warning");
        Diagnostic::new(self, file.into(), (line, column), message.into())
    }

    /// A warning of this kind at `file:line:column`.
    pub fn warning(
        self,
        file: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        debug_assert_ne!(self.severity(), Severity::Error, "{self} is an error");
        Diagnostic::new(self, file.into(), (line, column), message.into())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let name = code.name();
            assert!(seen.insert(name), "{name} is given twice");
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{name} is not kebab-case"
            );
            assert_eq!(Code::from_name(name), Some(*code));
        }
    }

    #[test]
    fn docs_list_every_code() {
        let docs = include_str!("../../docs/check.md");
        for code in Code::ALL {
            let kind = match code.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            };
            let row = format!("| `{}` | {kind} |", code.name());
            assert!(docs.contains(&row), "docs/check.md has no row `{row}`");
        }
    }
}
