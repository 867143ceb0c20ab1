//! Citations: `[@key]` in articles, formatted by hayagriva against `content/references.yaml`.
//!
//! Three steps, each usable on its own:
//!
//! 1. [`find_citations`] finds `[@key]`, `[@key, p. 12]` and `[@a; @b]` in a
//!    piece of plain text (a markdown text event).
//! 2. [`Bibliography::parse`] reads the bibliography (hayagriva's YAML format)
//!    and loads the citation style once. Mistakes become [`Diagnostic`]s that
//!    point at the entry and field: unknown keys (hayagriva itself silently
//!    ignores them, so a misplaced `doi:` would vanish), unknown entry types,
//!    malformed dates and so on. Every entry is also formatted once, so an
//!    entry hayagriva cannot format is reported here rather than mid-build.
//! 3. [`Bibliography::render_article`] formats one article's citations in
//!    order of appearance: in-text HTML, each cited work linked to
//!    `#ref-<key>`, and the article's reference list in the style's order.
//!
//! The HTML is ours, not hayagriva's: all text is escaped, formatting uses
//! `<i>`, `<b>`, `<sup>`, `<sub>` and `csl-*` classes (no inline styles, so a
//! strict Content-Security-Policy holds), only `http(s)` links become links,
//! and a DOI renders as one link `https://doi.org/…`. A reference is a
//! `<div class="csl-entry" id="ref-<key>">` (plus `csl-hanging` when the style
//! asks for a hanging indent; numeric styles put the number in a
//! `csl-left-margin` div and the rest in `csl-right-inline`); an in-text
//! citation is a `<span class="citation">`.
//!
//! Nothing here panics on any input: hayagriva is called behind
//! `catch_unwind`, and a citation it cannot format falls back to its source
//! text.
//!
//! The parts: `find.rs` finds citations in text, `library.rs` reads and checks
//! `references.yaml` (with `shadow.rs`, the mirror of hayagriva's entry
//! fields that catches what hayagriva ignores), `style.rs` loads the style
//! and locales, `locator.rs` reads locators such as `p. 12`, and `html.rs`
//! writes hayagriva's output as our HTML. This file holds the public types and
//! [`Bibliography`], which drives hayagriva through them.

mod find;
mod html;
mod library;
mod locator;
mod shadow;
mod style;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use hayagriva::citationberg::{IndependentStyle, Locale};
use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, Library};
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic};

pub use find::find_citations;
use html::{fallback_in_text, in_text_html, references_of};
use library::{entry_line, load_library};
use locator::parse_locator;
use style::{config_path, load_style, locales, shares_references};

/// The style used when `handbook.yaml` names none.
pub const DEFAULT_STYLE: &str = "apa";

/// One cited work inside a citation: `@key` with an optional locator like `p. 12`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CiteItem {
    /// The bibliography key, without the `@`.
    pub key: String,
    /// Where in the work: `p. 12`, `chap. 3`, `12-14` (a bare number is a page).
    pub locator: Option<String>,
}

/// A `[@a; @b, p. 3]` found in text: its byte range in the text and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationSpan {
    /// From the `[` to just after the `]`.
    pub range: Range<usize>,
    /// The works cited, in the order written.
    pub items: Vec<CiteItem>,
}

/// The element id of a reference: `ref-<key>`.
pub fn anchor_id(key: &str) -> String {
    format!("ref-{key}")
}

/// A bibliography and the citation style to format it with.
///
/// Built once per site by [`Bibliography::parse`]; formatting an article
/// reuses the parsed style and locales. It is `Send + Sync`, so articles can
/// be rendered in parallel.
///
/// For author-date styles (APA, Chicago author-date, …) every reference is
/// formatted once, in `parse`, and articles only format their in-text
/// citations: formatting a reference costs hayagriva several times more than a
/// citation. Works whose citations change with what else is cited (two
/// "Horvath et al., 2011" that need "2011a"/"2011b") and numeric or note
/// styles are formatted per article.
pub struct Bibliography {
    library: Library,
    style: IndependentStyle,
    /// `style` without its bibliography, for in-text citations alone.
    in_text_style: IndependentStyle,
    locales: &'static [Locale],
    style_name: String,
    shared: Option<SharedReferences>,
    /// A hash of the file's text and the style's name: what every
    /// formatted reference depends on.
    fingerprint: u128,
}

/// References formatted once for the whole bibliography.
struct SharedReferences {
    /// Each entry's reference and its place in the style's order (entries the
    /// style leaves out of reference lists are missing).
    references: HashMap<String, (usize, Reference)>,
    /// Keys whose formatting depends on the other works cited with them.
    context_dependent: HashSet<String>,
}

impl SharedReferences {
    /// The references of the works in `citations`, each once, in the style's order.
    fn cited(&self, citations: &[Vec<CiteItem>]) -> Vec<Reference> {
        let mut cited: Vec<&(usize, Reference)> = citations
            .iter()
            .flatten()
            .filter_map(|item| self.references.get(&item.key))
            .collect();
        cited.sort_by_key(|(position, _)| *position);
        cited.dedup_by_key(|(position, _)| *position);
        cited.into_iter().map(|(_, r)| r.clone()).collect()
    }
}

/// A citation of `key` alone, without a locator.
fn cite_alone(key: &str) -> Vec<CiteItem> {
    vec![CiteItem {
        key: key.to_string(),
        locator: None,
    }]
}

/// The class of an in-text citation hayagriva could not format.
const MISSING: &str = "citation-missing";

impl fmt::Debug for Bibliography {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bibliography")
            .field("entries", &self.library.len())
            .field("style", &self.style_name)
            .field("shared_references", &self.shared.is_some())
            .finish()
    }
}

/// The in-text HTML of each citation of an article, and its reference list.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RenderedCitations {
    /// One HTML snippet per citation, in the order given.
    pub in_text: Vec<String>,
    /// The works cited, in the style's order.
    pub references: Vec<Reference>,
}

/// One formatted entry of a reference list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The bibliography key.
    pub key: String,
    /// `<div class="csl-entry" id="ref-<key>">…</div>`, escaped and safe to insert.
    pub html: String,
    /// The same entry as plain text (not escaped), e.g. for search or feeds.
    pub text: String,
}

impl Bibliography {
    /// Parses references.yaml.
    ///
    /// `style` is handbook.yaml's `citation_style` (default `"apa"`): any
    /// name hayagriva ships, such as `apa`, `chicago-author-date`, `ieee`,
    /// `modern-language-association` or `vancouver`. An unknown style is an
    /// error naming the nearest styles. YAML errors and entries hayagriva
    /// rejects become diagnostics at the entry's `file:line:col`; all
    /// entries are checked, so one run reports every broken entry.
    pub fn parse(text: &str, file: &Path, style: &str) -> Result<Bibliography, Vec<Diagnostic>> {
        let style_result = load_style(style).map_err(|(message, help)| {
            Code::InvalidValue
                .error(config_path(file), 0, 0, message)
                .with_optional_help(help)
        });
        let library = load_library(text, file);
        let (style_csl, library) = match (style_result, library) {
            (Ok(style_csl), Ok(library)) => (style_csl, library),
            (style_result, library) => {
                let mut errors: Vec<Diagnostic> = style_result.err().into_iter().collect();
                errors.extend(library.err().unwrap_or_default());
                return Err(errors);
            }
        };
        let mut in_text_style = style_csl.clone();
        in_text_style.bibliography = None;
        let mut bibliography = Bibliography {
            library,
            style: style_csl,
            in_text_style,
            locales: locales(),
            style_name: style.trim().to_string(),
            shared: None,
            fingerprint: xxhash_rust::xxh3::xxh3_128(format!("{style}\0{text}").as_bytes()),
        };
        let shared = if shares_references(&bibliography.style) {
            bibliography.share_references()
        } else {
            None
        };
        if shared.is_none() {
            let errors = bibliography.check_entries(text, file);
            if !errors.is_empty() {
                return Err(errors);
            }
        }
        bibliography.shared = shared;
        Ok(bibliography)
    }

    /// A hash of what it was made from (its file's text and the style):
    /// two bibliographies with the same one format every citation alike.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// Whether `key` is in the bibliography.
    pub fn contains(&self, key: &str) -> bool {
        self.library.get(key).is_some()
    }

    /// The keys, in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.library.keys()
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.library.len()
    }

    /// True when the bibliography has no entries.
    pub fn is_empty(&self) -> bool {
        self.library.is_empty()
    }

    /// The style name as given to [`Bibliography::parse`].
    pub fn style_name(&self) -> &str {
        &self.style_name
    }

    /// Formats all the citations of ONE article, in order of appearance.
    ///
    /// Returns the in-text HTML for each citation (e.g. "(Bordin, 1979, p. 12)"
    /// in APA, each cited work linked to `#ref-<key>`), and the article's
    /// reference list (each entry's HTML with id `ref-<key>`, in the style's
    /// order; DOIs as links `https://doi.org/…`).
    ///
    /// Unknown keys must have been reported before ([`Bibliography::contains`]);
    /// they are an error here: such a work is left out, and a citation with no
    /// known work shows its source text in a `citation-missing` span.
    pub fn render_article(&self, citations: &[Vec<CiteItem>]) -> RenderedCitations {
        if let Some(shared) = &self.shared {
            let independent = citations
                .iter()
                .flatten()
                .all(|item| !shared.context_dependent.contains(&item.key));
            if independent {
                let (in_text, references) =
                    self.format(citations, &self.in_text_style, Some(shared));
                return RenderedCitations {
                    in_text,
                    references,
                };
            }
        }
        let (in_text, references) = self.format(citations, &self.style, None);
        RenderedCitations {
            in_text,
            references,
        }
    }

    /// A reference list of the given works in the style's order, for a
    /// whole-handbook list (the print page). Unknown keys are skipped; a key
    /// given twice is listed once.
    pub fn render_all<'k>(
        &self,
        keys_in_order: impl IntoIterator<Item = &'k str>,
    ) -> Vec<Reference> {
        let citations: Vec<Vec<CiteItem>> = keys_in_order
            .into_iter()
            .filter(|key| self.contains(key))
            .map(cite_alone)
            .collect();
        self.format(&citations, &self.style, None).1
    }

    /// Runs hayagriva over one article's citations with `style`: the in-text
    /// HTML of each, and the reference list when the style has one.
    ///
    /// With `shared`, the reference list comes from there (and `style` has no
    /// bibliography). A cited work links to `#ref-<key>` only when it has a
    /// reference: some styles leave some types out (Chicago omits legal cases).
    fn format(
        &self,
        citations: &[Vec<CiteItem>],
        style: &IndependentStyle,
        shared: Option<&SharedReferences>,
    ) -> (Vec<String>, Vec<Reference>) {
        let fallback = || citations.iter().map(|c| fallback_in_text(c)).collect();
        let mut driver = BibliographyDriver::new();
        // For each citation, the keys sent to hayagriva in item order (None: nothing sent).
        let mut sent: Vec<Option<Vec<&str>>> = Vec::with_capacity(citations.len());
        for citation in citations {
            let mut items = Vec::with_capacity(citation.len());
            let mut keys = Vec::with_capacity(citation.len());
            for item in citation {
                if let Some(entry) = self.library.get(&item.key) {
                    let locator = item.locator.as_deref().map(parse_locator);
                    items.push(CitationItem::with_locator(entry, locator));
                    keys.push(item.key.as_str());
                }
            }
            if items.is_empty() {
                sent.push(None);
            } else {
                driver.citation(CitationRequest::from_items(items, style, self.locales));
                sent.push(Some(keys));
            }
        }
        if sent.iter().all(Option::is_none) {
            return (fallback(), Vec::new());
        }
        let request = BibliographyRequest::new(style, None, self.locales);
        let Ok(rendered) = catch_unwind(AssertUnwindSafe(|| driver.finish(request))) else {
            return (fallback(), Vec::new());
        };
        let references = match shared {
            Some(shared) => shared.cited(citations),
            None => rendered.bibliography.map(references_of).unwrap_or_default(),
        };
        let mut rendered_citations = rendered.citations.into_iter();
        let in_text = citations
            .iter()
            .zip(&sent)
            .map(|(citation, keys)| match keys {
                Some(keys) => match rendered_citations.next() {
                    Some(c) if !c.citation.is_empty() => {
                        let targets: Vec<Option<&str>> = keys
                            .iter()
                            .map(|k| references.iter().any(|r| r.key == *k).then_some(*k))
                            .collect();
                        in_text_html(&c.citation, &targets)
                    }
                    _ => fallback_in_text(citation),
                },
                None => fallback_in_text(citation),
            })
            .collect();
        (in_text, references)
    }

    /// Formats every entry once, together, as the whole-bibliography list
    /// articles share; None if hayagriva fails on some entry.
    fn share_references(&self) -> Option<SharedReferences> {
        let citations: Vec<Vec<CiteItem>> = self.library.keys().map(cite_alone).collect();
        let (together, references) = self.format(&citations, &self.style, None);
        if together.iter().any(|html| html.contains(MISSING)) {
            return None;
        }
        let mut shared = SharedReferences {
            references: references
                .into_iter()
                .enumerate()
                .map(|(position, r)| (r.key.clone(), (position, r)))
                .collect(),
            context_dependent: HashSet::new(),
        };
        // A work that reads differently cited alone than among all the others
        // was disambiguated: its form depends on what else is cited with it.
        let dependent: HashSet<String> = citations
            .iter()
            .zip(&together)
            .filter(|(citation, together)| {
                let (alone, _) = self.format(
                    std::slice::from_ref(*citation),
                    &self.in_text_style,
                    Some(&shared),
                );
                alone.first() != Some(*together)
            })
            .map(|(citation, _)| citation[0].key.clone())
            .collect();
        shared.context_dependent = dependent;
        Some(shared)
    }

    /// Formats every entry (in batches) so that an entry hayagriva cannot
    /// format is reported at its line now rather than mid-build.
    fn check_entries(&self, text: &str, file: &Path) -> Vec<Diagnostic> {
        const BATCH: usize = 64;
        let keys: Vec<&str> = self.library.keys().collect();
        let mut errors = Vec::new();
        for batch in keys.chunks(BATCH) {
            if self.formats(batch) {
                continue;
            }
            for key in batch {
                if !self.formats(std::slice::from_ref(key)) {
                    errors.push(self.unformattable(key, text, file));
                }
            }
        }
        errors
    }

    /// Whether each of `keys`, cited once in turn, gets an in-text citation.
    fn formats(&self, keys: &[&str]) -> bool {
        let citations: Vec<Vec<CiteItem>> = keys.iter().copied().map(cite_alone).collect();
        let (in_text, _) = self.format(&citations, &self.style, None);
        !in_text.iter().any(|html| html.contains(MISSING))
    }

    fn unformattable(&self, key: &str, text: &str, file: &Path) -> Diagnostic {
        let line = entry_line(text, key).unwrap_or(0);
        Code::UnformattableReference
            .error(
                file,
                line,
                1,
                format!(
                    "`{key}` cannot be formatted in the `{}` style",
                    self.style_name
                ),
            )
            .with_help("give it at least a `title`, an `author` and a `date`")
    }
}
