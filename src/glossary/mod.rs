//! The glossary: `content/glossary.yaml` read, checked and ready to link.
//!
//! [`Glossary::parse`] reads the file through [`crate::yaml`], reports every
//! problem at once (duplicates ignoring case, unknown `see_also` terms,
//! missing or empty fields, unknown keys) and sorts the terms A–Z. It also
//! builds, once, the automaton that [`Glossary::find_matches`] uses to find
//! every term and alias in a text in a single pass (see [`matcher`]).
//!
//! The markup of a term's tooltip and the data behind `/glossary/`,
//! `/glossary/flashcards/` and `glossary.json` are rendering's
//! (`render::tooltips`, `render::glossary_page`).

pub mod matcher;
mod parse;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::suggest;

pub use matcher::TermMatch;

/// The path of the glossary inside a handbook root.
pub const GLOSSARY_FILE: &str = "content/glossary.yaml";

/// One glossary entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as written, e.g. "Therapeutic alliance".
    pub term: String,
    /// Its slug: the `id` of its entry on the glossary page.
    pub slug: String,
    /// Other names that link to it, e.g. "working alliance".
    pub aliases: Vec<String>,
    /// The definition as written (inline markdown).
    pub definition: String,
    /// The definition rendered with [`crate::inline::render_inline`].
    pub definition_html: String,
    /// Related terms, by their term name (aliases written in the file are
    /// resolved to the term they belong to).
    pub see_also: Vec<String>,
    /// The 1-based line of the entry's `term:` in the glossary file.
    pub line: usize,
}

/// A checked glossary, terms sorted A–Z ignoring case.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    /// The terms, sorted A–Z ignoring case.
    pub terms: Vec<Term>,
    /// The file it was read from.
    file: PathBuf,
    /// Normalized term or alias -> index into `terms`.
    names: HashMap<String, usize>,
    /// Every term and alias as written, for suggestions.
    all_names: Vec<String>,
    /// The single-pass matcher over every term, alias and plural.
    matcher: matcher::Matcher,
}

impl Glossary {
    /// A glossary with no terms (a handbook without `glossary.yaml`).
    pub fn empty() -> Glossary {
        Glossary::default()
    }

    /// Reads and checks `text`, the content of `file`. On failure returns
    /// every error found, each with `file:line:col`.
    pub fn parse(text: &str, file: &Path) -> Result<Glossary, Vec<Diagnostic>> {
        let mut terms = parse::parse_terms(text, file)?;
        terms.sort_by(|a, b| {
            sort_key(&a.term)
                .cmp(&sort_key(&b.term))
                .then_with(|| a.term.cmp(&b.term))
        });
        let mut names = HashMap::new();
        let mut all_names = Vec::new();
        for (i, t) in terms.iter().enumerate() {
            for name in std::iter::once(&t.term).chain(&t.aliases) {
                names.entry(normalize(name)).or_insert(i);
                all_names.push(name.clone());
            }
        }
        let matcher = matcher::Matcher::new(&terms).map_err(|message| {
            vec![Code::TooLarge
                .error(file, 0, 0, message)
                .with_help("split the glossary or shorten its terms and aliases")]
        })?;
        Ok(Glossary {
            terms,
            file: file.to_path_buf(),
            names,
            all_names,
            matcher,
        })
    }

    /// The file the glossary was read from (empty for [`Glossary::empty`]).
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// True when there are no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The index of the term named `name` (its term or one of its aliases),
    /// ignoring case and surrounding or repeated whitespace.
    pub fn lookup(&self, name: &str) -> Option<usize> {
        self.names.get(&normalize(name)).copied()
    }

    /// Up to `limit` terms and aliases close to `name`, nearest first, for
    /// "unknown term; did you mean …" messages.
    pub fn nearest(&self, name: &str, limit: usize) -> Vec<&str> {
        let mut found: Vec<&str> = Vec::new();
        let candidates = suggest::nearest(
            name.trim(),
            self.all_names.iter().map(String::as_str),
            usize::MAX,
        );
        let mut seen_terms = Vec::new();
        for candidate in candidates {
            if found.len() >= limit {
                break;
            }
            // One suggestion per term: "alliance" and "working alliance" would say the same.
            match self.lookup(candidate) {
                Some(i) if seen_terms.contains(&i) => continue,
                Some(i) => seen_terms.push(i),
                None => {}
            }
            found.push(candidate);
        }
        found
    }

    /// Every whole-word use of a term, alias or simple plural in `text`, in
    /// text order, longest first and non-overlapping; see [`matcher`].
    pub fn find_matches(&self, text: &str) -> Vec<TermMatch> {
        self.matcher.find(text)
    }

    /// Warnings for the terms no article uses: `used[i]` tells whether term
    /// `i` is used (linked explicitly or automatically) anywhere.
    pub fn unused_warnings(&self, used: &[bool]) -> Vec<Diagnostic> {
        self.terms
            .iter()
            .enumerate()
            .filter(|(i, _)| !used.get(*i).copied().unwrap_or(false))
            .map(|(_, t)| {
                Code::UnusedTerm
                    .warning(
                        &self.file,
                        t.line,
                        1,
                        format!("glossary term `{}` is used in no article", t.term),
                    )
                    .with_help("use it in an article, link it with [[...]], or remove it")
            })
            .collect()
    }
}

/// The key used to sort terms A–Z: lower case, common Latin accents folded
/// ("Éthique" sorts with the E's).
fn sort_key(term: &str) -> String {
    term.chars()
        .map(fold_accent)
        .collect::<String>()
        .to_lowercase()
}

/// The base letter of a Latin-1 accented letter ("É" -> 'E'); others unchanged.
pub(crate) fn fold_accent(c: char) -> char {
    match c {
        'À'..='Å' => 'A',
        'à'..='å' => 'a',
        'Ç' => 'C',
        'ç' => 'c',
        'È'..='Ë' => 'E',
        'è'..='ë' => 'e',
        'Ì'..='Ï' => 'I',
        'ì'..='ï' => 'i',
        'Ñ' => 'N',
        'ñ' => 'n',
        'Ò'..='Ö' | 'Ø' => 'O',
        'ò'..='ö' | 'ø' => 'o',
        'Ù'..='Ü' => 'U',
        'ù'..='ü' => 'u',
        'Ý' => 'Y',
        'ý' | 'ÿ' => 'y',
        c => c,
    }
}

/// The key under which names are unique: trimmed, inner whitespace collapsed,
/// lower case.
pub(crate) fn normalize(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The slug of a term: the `id` of its entry on the glossary page (the same
/// slug rules as headings and file names).
pub fn slug(term: &str) -> String {
    crate::slug::slugify(term)
}

#[cfg(test)]
pub(crate) mod tests;
