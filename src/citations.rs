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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hayagriva::archive::{self, ArchivedStyle};
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{
    Display, FontStyle, FontVariant, FontWeight, IndependentStyle, InfoLinkRel, Locale, Style,
    TextDecoration, VerticalAlign,
};
use hayagriva::types::{
    Date, Duration, DurationRange, EntryType, FormatString, MaybeTyped, Numeric, PageRanges,
    Person, PersonsWithRoles, Publisher, QualifiedUrl, SerialNumber,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, ElemMeta, Formatting, Library, LocatorPayload, RenderedBibliography,
    SpecificLocator,
};
use serde::de::{self, Deserializer, IgnoredAny, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::suggest;
use crate::yaml;

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

/// Finds every citation in a piece of plain text (a markdown Text event).
///
/// `[@key]`, `[@key, p. 12]`, `[@a; @b]`; ignores `[@]`, emails like a@b.c,
/// and text that isn't bracketed. Every `;`-separated part of the brackets
/// must be `@key` with an optional `, locator`, otherwise the brackets are
/// left alone as ordinary text. Keys follow pandoc: they start with a letter,
/// digit or `_` and may contain `:.#$%&-+?<>~/` inside, not at the end.
pub fn find_citations(text: &str) -> Vec<CitationSpan> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|i| from + i) {
        let inner_start = open + 1;
        let Some(close) = text[inner_start..]
            .find(['[', ']'])
            .map(|i| inner_start + i)
        else {
            break;
        };
        if text.as_bytes()[close] == b'[' {
            from = close;
            continue;
        }
        if let Some(items) = parse_citation(&text[inner_start..close]) {
            spans.push(CitationSpan {
                range: open..close + 1,
                items,
            });
        }
        from = close + 1;
    }
    spans
}

/// The inside of `[...]`: `@a; @b, p. 3`.
fn parse_citation(inner: &str) -> Option<Vec<CiteItem>> {
    let mut items = Vec::new();
    for part in inner.split(';') {
        let rest = part.trim().strip_prefix('@')?;
        let key_len = key_length(rest);
        if key_len == 0 {
            return None;
        }
        let after = rest[key_len..].trim_start();
        let locator = if after.is_empty() {
            None
        } else {
            let locator = after.strip_prefix(',')?.trim();
            (!locator.is_empty()).then(|| locator.to_string())
        };
        items.push(CiteItem {
            key: rest[..key_len].to_string(),
            locator,
        });
    }
    Some(items)
}

/// The byte length of the citation key at the start of `s` (0 when there is none).
fn key_length(s: &str) -> usize {
    const INTERNAL: &str = ":.#$%&-+?<>~/";
    match s.chars().next() {
        Some(c) if c.is_alphanumeric() || c == '_' => {}
        _ => return 0,
    }
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() || c == '_' {
            end = i + c.len_utf8();
        } else if !INTERNAL.contains(c) {
            break;
        }
    }
    end
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
            Diagnostic::error(config_path(file), 0, 0, message).with_optional_help(help)
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
        Diagnostic::error(
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

/// Whether a style's references read the same whatever else is cited: an
/// author-date or author style, without numbers or "———" for repeated authors.
fn shares_references(style: &IndependentStyle) -> bool {
    use hayagriva::citationberg::{CitationFormat, StyleCategory, StyleClass};
    let author_date = style.info.category.iter().any(|c| {
        matches!(
            c,
            StyleCategory::CitationFormat {
                format: CitationFormat::AuthorDate | CitationFormat::Author
            }
        )
    });
    let plain_bibliography = style.bibliography.as_ref().is_some_and(|b| {
        b.subsequent_author_substitute.is_none() && b.second_field_align.is_none()
    });
    author_date && plain_bibliography && style.settings.class == StyleClass::InText
}

/// hayagriva's locales, decoded once per process.
fn locales() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(|| catch_unwind(archive::locales).unwrap_or_default())
}

// ---------------------------------------------------------------------------
// Styles

/// The independent CSL style hayagriva ships under `name`, or a message and help.
fn load_style(name: &str) -> Result<IndependentStyle, (String, Option<String>)> {
    let wanted = name.trim().to_ascii_lowercase();
    let wanted = if wanted.is_empty() {
        DEFAULT_STYLE.to_string()
    } else {
        wanted
    };
    let Some(archived) = ArchivedStyle::by_name(&wanted) else {
        let names: Vec<&str> = ArchivedStyle::all()
            .iter()
            .flat_map(|s| s.names().iter().copied())
            .collect();
        let near = suggest::nearest(&wanted, names.iter().copied(), 3);
        let help = if near.is_empty() {
            "use a style hayagriva ships, e.g. `apa`, `chicago-author-date`, `ieee`, \
             `modern-language-association` or `vancouver`"
                .to_string()
        } else {
            let list: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
            format!("did you mean {}?", list.join(", "))
        };
        return Err((
            format!("unknown citation_style `{}`", name.trim()),
            Some(help),
        ));
    };
    let style = catch_unwind(|| archived.get()).map_err(|_| {
        (
            format!("citation_style `{wanted}` could not be loaded"),
            Some(format!("try `{DEFAULT_STYLE}`")),
        )
    })?;
    match style {
        Style::Independent(style) => Ok(style),
        Style::Dependent(dependent) => {
            // A journal's style that borrows its rules from a parent style.
            let parent = (dependent.parent_link.rel == InfoLinkRel::IndependentParent)
                .then(|| ArchivedStyle::by_id(&dependent.parent_link.href))
                .flatten()
                .and_then(|p| catch_unwind(|| p.get()).ok());
            match parent {
                Some(Style::Independent(style)) => Ok(style),
                _ => Err((
                    format!("citation_style `{wanted}` depends on a style hayagriva does not ship"),
                    Some(format!("try `{DEFAULT_STYLE}`")),
                )),
            }
        }
    }
}

/// handbook.yaml, for style errors: it sits beside the content folder.
fn config_path(references: &Path) -> PathBuf {
    let content = references.parent();
    match content {
        Some(dir) if dir.file_name().is_some_and(|n| n == "content") => dir
            .parent()
            .unwrap_or(Path::new(""))
            .join(crate::config::CONFIG_FILE),
        _ => PathBuf::from(crate::config::CONFIG_FILE),
    }
}

// ---------------------------------------------------------------------------
// Reading references.yaml

/// Parses the file with hayagriva; on any problem, checks entry by entry to
/// report each broken entry at its own line.
fn load_library(text: &str, file: &Path) -> Result<Library, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Ok(Library::new());
    }
    // Syntax and shape first, with the YAML door's positions and wording.
    let top: BTreeMap<String, IgnoredAny> =
        yaml::from_str(text, file).map_err(|d| vec![with_shape_help(d)])?;
    if top.is_empty() {
        return Ok(Library::new());
    }
    let shadow = yaml::from_str::<BTreeMap<String, ShadowEntry>>(text, file);
    let library = match (&shadow, hayagriva::io::from_yaml_str(text)) {
        (Ok(_), Ok(library)) => return Ok(library),
        (_, library) => library,
    };
    let mut errors = Vec::new();
    let chunks = top_level_entries(text);
    let reliable = chunks.len() == top.len() && chunks.iter().all(|c| top.contains_key(&c.key));
    if reliable {
        for chunk in &chunks {
            let snippet = &text[chunk.bytes.clone()];
            errors.extend(check_entry(snippet, file, chunk.line - 1).map(|mut d| {
                if d.message == NO_TYPE {
                    d.message = format!("`{}` has no `type`", chunk.key);
                }
                d
            }));
        }
    }
    if errors.is_empty() {
        match (shadow, library) {
            (Err(d), _) => errors.push(improve(d, text)),
            (_, Err(e)) => errors.push(hayagriva_error(
                &e.to_string(),
                e.location().map(|l| (l.line(), l.column())),
                text,
                file,
            )),
            (Ok(_), Ok(library)) => return Ok(library),
        }
    }
    Err(errors)
}

/// One entry's text, on its own; `shift` lines come before it in the file.
fn check_entry(snippet: &str, file: &Path, shift: usize) -> Option<Diagnostic> {
    if let Err(d) = yaml::from_str::<BTreeMap<String, ShadowEntry>>(snippet, file) {
        // An alias to an anchor in another entry only fails when cut out: not our error.
        if d.message.contains("unknown anchor") {
            return None;
        }
        return Some(improve(d, snippet).shifted(shift));
    }
    match hayagriva::io::from_yaml_str(snippet) {
        Ok(_) => None,
        Err(e) => {
            let at = e.location().map(|l| (l.line(), l.column()));
            Some(hayagriva_error(&e.to_string(), at, snippet, file).shifted(shift))
        }
    }
}

const NO_TYPE: &str = "an entry has no `type`";

/// A diagnostic for an error hayagriva's parser returned.
fn hayagriva_error(raw: &str, at: Option<(usize, usize)>, text: &str, file: &Path) -> Diagnostic {
    let message = match raw.find(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    let (mut line, mut column) = at.unwrap_or((1, 1));
    if let Some(key) = message.strip_prefix("duplicate key ") {
        // The second definition is the one to remove or rename.
        let mut lines = top_level_entries(text).into_iter().filter(|c| c.key == key);
        if let Some(second) = lines.nth(1) {
            line = second.line;
            column = 1;
        }
        return Diagnostic::error(file, line, column, format!("`{key}` is defined twice"))
            .with_help("remove one of the two entries, or give one another key");
    }
    let (entry, what) = match message.split_once(": ") {
        Some((path, what)) if !path.contains(' ') => (Some(path), what),
        _ => (None, message),
    };
    if what == "no entry type" {
        let d = Diagnostic::error(file, line, column, NO_TYPE);
        return d.with_help(format!("add `type: article` (or one of: {})", type_names()));
    }
    let field = entry.and_then(|p| p.rsplit('.').next()).unwrap_or("");
    let message = match entry {
        Some(path) => format!("{path}: {}", friendly(what, field)),
        None => friendly(what, field),
    };
    Diagnostic::error(file, line, column, message).with_optional_help(field_help(field))
}

/// Replaces serde's "untagged enum" wording with what the field expects.
fn friendly(what: &str, field: &str) -> String {
    if what.contains("did not match any variant") {
        match field_help(field) {
            Some(_) => format!("`{field}{WRONG_KIND}"),
            None => "a value has the wrong kind".to_string(),
        }
    } else {
        what.to_string()
    }
}

/// What a field takes, for help lines.
fn field_help(field: &str) -> Option<String> {
    let help = match field {
        "date" => "write the date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`",
        "author" | "editor" => "write people as `\"Family, Given\"` or a list of them",
        "page-range" => "write pages as a number or a range, e.g. `252-260`",
        "volume" | "issue" | "edition" | "chapter" | "volume-total" | "page-total" => {
            "write a number, e.g. `16`"
        }
        "serial-number" | "serial" => {
            "write text, or a mapping like `serial-number: { doi: \"10.1037/h0085885\" }`"
        }
        "parent" => {
            "`parent` describes the containing work, e.g. `parent: { type: periodical, title: ..., volume: 16 }`"
        }
        "url" => "write a full address, e.g. `https://example.org/paper`",
        "publisher" => "write the publisher's name, or `{ name: ..., location: ... }`",
        "runtime" => "write a duration such as `\"01:32:00\"`",
        "time-range" => "write a range of timestamps such as `\"00:12-00:15\"`",
        "language" => "write a language tag such as `en` or `en-US`",
        "type" => "use an entry type such as `article`, `book`, `chapter`, `report` or `web`",
        _ => return None,
    };
    Some(help.to_string())
}

/// Help for keys people often write that hayagriva spells otherwise.
fn misplaced_key_help(key: &str) -> Option<String> {
    let help = match key.to_ascii_lowercase().as_str() {
        "doi" | "isbn" | "issn" | "pmid" | "pmcid" | "arxiv" => format!(
            "put it under `serial-number:`, e.g. `serial-number: {{ {}: \"...\" }}`",
            key.to_ascii_lowercase()
        ),
        "journal" | "journaltitle" | "booktitle" | "container-title" | "periodical" | "source" => {
            "name the containing work in `parent:`, e.g. `parent: { type: periodical, title: ... }`"
                .to_string()
        }
        "year" | "issued" => "use `date:`, e.g. `date: 1979`".to_string(),
        "pages" | "page" => "use `page-range:`, e.g. `page-range: 252-260`".to_string(),
        "address" | "city" | "place" => "use `location:`".to_string(),
        "institution" | "school" | "court" => "use `organization:`".to_string(),
        "number" => {
            "use `issue:` for a journal issue or `serial-number:` for a report number".to_string()
        }
        _ => return None,
    };
    Some(help)
}

/// Sharpens a diagnostic from the YAML door with bibliography-specific help.
/// `text` is what was parsed (positions in `d` are relative to it).
fn improve(mut d: Diagnostic, text: &str) -> Diagnostic {
    if let Some((before, rest)) = d.message.split_once("unknown key `") {
        let key = rest.split('`').next().unwrap_or(rest).to_string();
        // serde_yaml may point at the enclosing mapping; point at the key itself.
        let path = before.trim_end().trim_end_matches(':');
        if let Some((line, column)) = locate_key(text, path, &key) {
            d.line = line;
            d.column = column;
        }
        if let Some(help) = misplaced_key_help(&key) {
            return d.with_help(help);
        }
        return d;
    }
    if let (true, Some(rest)) = (
        d.message.contains(".type:"),
        d.message.split("unknown value `").nth(1),
    ) {
        let value = rest.split('`').next().unwrap_or(rest).to_string();
        return d.with_help(type_help(&value));
    }
    if let Some((before, rest)) = d.message.split_once(WRONG_KIND) {
        // From our named wrappers: `page-range` has a value of the wrong kind.
        let field = before.rsplit('`').next().unwrap_or("").to_string();
        let path = before
            .rsplit_once(": `")
            .map_or("", |(path, _)| path)
            .trim()
            .to_string();
        if !rest.is_empty() || field.is_empty() {
            return d;
        }
        if let Some((line, column)) = locate_key(text, &path, &field) {
            d.line = line;
            d.column = column;
        }
        return d.with_optional_help(field_help(&field));
    }
    let field = d
        .message
        .split_once(": ")
        .map(|(path, _)| path.rsplit('.').next().unwrap_or(path))
        .unwrap_or("")
        .to_string();
    if d.message.contains("did not match any variant") {
        let message = d.message.replace(
            d.message.split_once(": ").map_or("", |(_, what)| what),
            &friendly("did not match any variant", &field),
        );
        return Diagnostic { message, ..d }.with_optional_help(field_help(&field));
    }
    if d.help.is_none() {
        let help = field_help(&field);
        return d.with_optional_help(help);
    }
    d
}

/// The line and column of `key:` inside the mapping at serde path `path`
/// (`entry` or `entry.parent`), in block-style YAML.
fn locate_key(text: &str, path: &str, key: &str) -> Option<(usize, usize)> {
    let last = text.lines().count().max(1);
    let mut from = 1;
    for segment in path.split('.') {
        let name = segment.split('[').next().unwrap_or(segment);
        if !name.is_empty() {
            from = yaml::key_line(text, from, last, name)?;
        }
    }
    // The key is inside the mapping, so after its header line (or on it, `- key:`).
    let line = yaml::key_line(text, from + usize::from(!path.is_empty()), last, key)
        .or_else(|| yaml::key_line(text, from, last, key))?;
    let column = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find(key))
        .map_or(1, |i| i + 1);
    Some((line, column))
}

/// Help for a file that is not a mapping of keys to entries.
fn with_shape_help(d: Diagnostic) -> Diagnostic {
    if d.message.contains("invalid type") {
        d.with_help(
            "references.yaml maps each key to its entry: a line `bordin1979:` then indented \
             fields such as `type: article`, `title: ...`, `author: [\"Bordin, Edward S.\"]`",
        )
    } else {
        d
    }
}

/// The entry types, for help lines.
fn type_names() -> String {
    TYPES.join(", ")
}

/// hayagriva's entry types, most used first.
const TYPES: &[&str] = &[
    "article",
    "book",
    "chapter",
    "report",
    "thesis",
    "web",
    "periodical",
    "proceedings",
    "conference",
    "anthology",
    "anthos",
    "case",
    "legislation",
    "manuscript",
    "misc",
    "newspaper",
    "patent",
    "post",
    "reference",
    "repository",
    "thread",
    "video",
    "audio",
    "blog",
    "entry",
    "artwork",
    "exhibition",
    "original",
    "performance",
    "scene",
];

/// Names from other formats (BibTeX, CSL) and plain words, and the hayagriva type meant.
const TYPE_ALIASES: &[(&str, &str)] = &[
    ("journal", "article"),
    ("journal-article", "article"),
    ("article-journal", "article"),
    ("article-magazine", "article"),
    ("article-newspaper", "article"),
    ("paper", "article"),
    ("inproceedings", "article"),
    ("conference-paper", "article"),
    ("paper-conference", "article"),
    ("inbook", "chapter"),
    ("incollection", "chapter"),
    ("book-chapter", "chapter"),
    ("section", "chapter"),
    ("website", "web"),
    ("webpage", "web"),
    ("online", "web"),
    ("techreport", "report"),
    ("phdthesis", "thesis"),
    ("mastersthesis", "thesis"),
    ("dissertation", "thesis"),
    ("legal-case", "case"),
    ("court-case", "case"),
    ("statute", "legislation"),
    ("law", "legislation"),
    ("bill", "legislation"),
    ("collection", "anthology"),
    ("edited-book", "anthology"),
    ("software", "repository"),
    ("film", "video"),
    ("movie", "video"),
    ("motion-picture", "video"),
    ("podcast", "audio"),
    ("song", "audio"),
    ("dataset", "misc"),
    ("other", "misc"),
];

/// The entry type meant by an unknown `type:` value, if we can tell.
fn type_help(value: &str) -> String {
    let lower = value.to_ascii_lowercase().replace('_', "-");
    let names = TYPES
        .iter()
        .copied()
        .chain(TYPE_ALIASES.iter().map(|(alias, _)| *alias));
    let meant = suggest::did_you_mean(&lower, names).map(|name| {
        TYPE_ALIASES
            .iter()
            .find(|(alias, _)| *alias == name)
            .map_or(name, |(_, t)| *t)
    });
    match meant {
        Some(t) => format!("did you mean `{t}`?"),
        None => format!("use one of: {}", type_names()),
    }
}

/// A top-level entry in block-style YAML: its key, bytes and first line.
struct Chunk {
    key: String,
    bytes: Range<usize>,
    line: usize,
}

/// Cuts the file into its top-level entries (a line at column 0 starts one).
fn top_level_entries(text: &str) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if let Some(key) = top_level_key(line) {
            if let Some(last) = chunks.last_mut() {
                last.bytes.end = offset;
            }
            chunks.push(Chunk {
                key,
                bytes: offset..text.len(),
                line: n + 1,
            });
        }
        offset += line.len();
    }
    chunks
}

/// The key a top-level `key:` line opens, if it is one.
fn top_level_key(line: &str) -> Option<String> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '.' | '%' | '{' | '[') {
        return None;
    }
    let line = line.trim_end();
    if let Some(quote @ ('"' | '\'')) = line.chars().next() {
        let rest = &line[1..];
        let end = rest.find(quote)?;
        return rest[end + 1..]
            .starts_with(':')
            .then(|| rest[..end].to_string());
    }
    let colon = line
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| line[i + 1..].is_empty() || line[i + 1..].starts_with([' ', '\t']))?;
    Some(line[..colon].trim_end().to_string())
}

/// The 1-based line where entry `key` starts.
fn entry_line(text: &str, key: &str) -> Option<usize> {
    top_level_entries(text)
        .into_iter()
        .find(|c| c.key == key)
        .map(|c| c.line)
}

/// Mirrors hayagriva's entry fields to catch what hayagriva ignores (unknown
/// keys) and to locate what it rejects (the path and line of a bad value).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[allow(dead_code)]
struct ShadowEntry {
    #[serde(rename = "type")]
    entry_type: Option<EntryType>,
    #[serde(default, deserialize_with = "one_or_many")]
    parent: Vec<ShadowEntry>,
    title: Option<FormatString>,
    #[serde(default, deserialize_with = "one_or_many")]
    author: Vec<Person>,
    date: Option<Date>,
    #[serde(default, deserialize_with = "one_or_many")]
    editor: Vec<Person>,
    #[serde(default, deserialize_with = "one_or_many")]
    affiliated: Vec<PersonsWithRoles>,
    #[serde(default, deserialize_with = "publisher")]
    publisher: Option<Publisher>,
    location: Option<FormatString>,
    organization: Option<FormatString>,
    #[serde(default, deserialize_with = "issue")]
    issue: Option<MaybeTyped<Numeric>>,
    #[serde(default, deserialize_with = "chapter")]
    chapter: Option<MaybeTyped<Numeric>>,
    #[serde(default, deserialize_with = "volume")]
    volume: Option<MaybeTyped<Numeric>>,
    volume_total: Option<Numeric>,
    #[serde(default, deserialize_with = "edition")]
    edition: Option<MaybeTyped<Numeric>>,
    #[serde(default, deserialize_with = "page_range")]
    page_range: Option<MaybeTyped<PageRanges>>,
    page_total: Option<Numeric>,
    #[serde(default, deserialize_with = "time_range")]
    time_range: Option<MaybeTyped<DurationRange>>,
    #[serde(default, deserialize_with = "runtime")]
    runtime: Option<MaybeTyped<Duration>>,
    url: Option<QualifiedUrl>,
    #[serde(alias = "serial")]
    #[serde(default, deserialize_with = "serial_number")]
    serial_number: Option<SerialNumber>,
    language: Option<IgnoredAny>,
    archive: Option<FormatString>,
    archive_location: Option<FormatString>,
    call_number: Option<FormatString>,
    note: Option<FormatString>,
    #[serde(rename = "abstract")]
    abstract_: Option<FormatString>,
    genre: Option<FormatString>,
}

/// The end of the message for a value of the wrong kind (serde's untagged enums
/// say only "data did not match any variant", without the field).
const WRONG_KIND: &str = "` has a value of the wrong kind";

/// Deserializes an optional `T`, naming `field` when the value has the wrong kind.
fn named<'de, D, T>(deserializer: D, field: &str) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map_err(|e| {
        if e.to_string().contains("did not match any variant") {
            de::Error::custom(format!("`{field}{WRONG_KIND}"))
        } else {
            e
        }
    })
}

macro_rules! named_fields {
    ($($name:ident: $t:ty = $field:literal;)*) => {$(
        fn $name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<$t>, D::Error> {
            named(deserializer, $field)
        }
    )*};
}

named_fields! {
    issue: MaybeTyped<Numeric> = "issue";
    chapter: MaybeTyped<Numeric> = "chapter";
    volume: MaybeTyped<Numeric> = "volume";
    edition: MaybeTyped<Numeric> = "edition";
    page_range: MaybeTyped<PageRanges> = "page-range";
    time_range: MaybeTyped<DurationRange> = "time-range";
    runtime: MaybeTyped<Duration> = "runtime";
    serial_number: SerialNumber = "serial-number";
    publisher: Publisher = "publisher";
}

/// One value or a list of them (hayagriva's convention), keeping the inner error.
fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct OneOrMany<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("one value or a list")
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
            Vec::<T>::deserialize(de::value::SeqAccessDeserializer::new(seq))
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| vec![t])
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }

    deserializer.deserialize_any(OneOrMany(PhantomData))
}

// ---------------------------------------------------------------------------
// Locators

/// `p. 12`, `pp. 12-14`, `chap. 3`, `sec. 2`, `12` (a page) → a CSL locator.
fn parse_locator(text: &str) -> SpecificLocator<'_> {
    let text = text.trim();
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return SpecificLocator(Locator::Page, LocatorPayload::Str(text));
    }
    let (label, rest) = match text.find(|c: char| c.is_whitespace() || c.is_ascii_digit()) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    };
    let kind = locator_kind(label.trim_end_matches('.'));
    match kind {
        Some(kind) if !rest.is_empty() => SpecificLocator(kind, LocatorPayload::Str(rest)),
        _ => SpecificLocator(Locator::Custom, LocatorPayload::Str(text)),
    }
}

fn locator_kind(label: &str) -> Option<Locator> {
    let kind = match label.to_lowercase().as_str() {
        "p" | "pp" | "pg" | "pgs" | "page" | "pages" => Locator::Page,
        "ch" | "chap" | "chaps" | "chapter" | "chapters" => Locator::Chapter,
        "sec" | "secs" | "section" | "sections" | "§" | "§§" => Locator::Section,
        "para" | "paras" | "paragraph" | "paragraphs" | "¶" | "¶¶" => Locator::Paragraph,
        "fig" | "figs" | "figure" | "figures" => Locator::Figure,
        "vol" | "vols" | "volume" | "volumes" => Locator::Volume,
        "no" | "nos" | "iss" | "issue" | "issues" | "number" => Locator::Issue,
        "n" | "nn" | "note" | "notes" => Locator::Note,
        "l" | "ll" | "line" | "lines" => Locator::Line,
        "v" | "vv" | "verse" | "verses" => Locator::Verse,
        "col" | "cols" | "column" | "columns" => Locator::Column,
        "pt" | "pts" | "part" | "parts" => Locator::Part,
        "bk" | "bks" | "book" | "books" => Locator::Book,
        "op" | "opp" | "opus" | "opera" => Locator::Opus,
        "fol" | "fols" | "folio" | "folios" => Locator::Folio,
        "tab" | "tbl" | "table" | "tables" => Locator::Table,
        "app" | "appx" | "appendix" | "appendices" => Locator::Appendix,
        "eq" | "eqs" | "equation" | "equations" => Locator::Equation,
        "s.v" | "sv" => Locator::SubVerbo,
        "sc" | "scene" | "scenes" => Locator::Scene,
        _ => return None,
    };
    Some(kind)
}

// ---------------------------------------------------------------------------
// HTML

/// hayagriva's output tree, flattened so that neighbours can be merged.
enum Tok {
    Open(&'static str),
    Close,
    Text(String, Formatting),
    Link(String, Formatting, String),
    EntryStart(usize),
    EntryEnd,
}

fn flatten(children: &ElemChildren, out: &mut Vec<Tok>) {
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => out.push(Tok::Text(t.text.clone(), t.formatting)),
            ElemChild::Markup(m) => out.push(Tok::Text(m.clone(), Formatting::default())),
            ElemChild::Link { text, url } => {
                out.push(Tok::Link(text.text.clone(), text.formatting, url.clone()))
            }
            ElemChild::Transparent { .. } => {}
            ElemChild::Elem(e) => {
                let class = e.display.map(display_class);
                let entry = match e.meta {
                    Some(ElemMeta::Entry(i)) => Some(i),
                    _ => None,
                };
                if let Some(class) = class {
                    out.push(Tok::Open(class));
                }
                if let Some(i) = entry {
                    out.push(Tok::EntryStart(i));
                }
                flatten(&e.children, out);
                if entry.is_some() {
                    out.push(Tok::EntryEnd);
                }
                if class.is_some() {
                    out.push(Tok::Close);
                }
            }
        }
    }
}

fn display_class(display: Display) -> &'static str {
    match display {
        Display::Block => "csl-block",
        Display::LeftMargin => "csl-left-margin",
        Display::RightInline => "csl-right-inline",
        Display::Indent => "csl-indent",
    }
}

/// Styles print `https://doi.org/` as text before a link whose text is the bare
/// DOI; make the whole address the link.
fn merge_link_prefixes(toks: &mut [Tok]) {
    for i in 1..toks.len() {
        let (before, after) = toks.split_at_mut(i);
        let (Tok::Text(prev, _), Tok::Link(text, _, url)) = (&mut before[i - 1], &mut after[0])
        else {
            continue;
        };
        let tail_start = prev
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(j, c)| j + c.len_utf8());
        let tail = &prev[tail_start..];
        if !tail.is_empty() && url.strip_prefix(tail) == Some(text.as_str()) {
            text.insert_str(0, tail);
            prev.truncate(tail_start);
        }
    }
}

/// Writes tokens as HTML. `entry_keys` (in-text only) turns each cited item into
/// a link to its reference; `block_tag` is `div` in references, `span` in text.
fn write_html(
    toks: &[Tok],
    entry_keys: Option<&[Option<&str>]>,
    block_tag: &str,
    out: &mut String,
) {
    let mut entry_depth = 0usize;
    let mut entry_linked = false;
    for tok in toks {
        match tok {
            Tok::Open(class) => {
                out.push('<');
                out.push_str(block_tag);
                out.push_str(" class=\"");
                out.push_str(class);
                out.push_str("\">");
            }
            Tok::Close => {
                out.push_str("</");
                out.push_str(block_tag);
                out.push('>');
            }
            Tok::Text(text, formatting) => write_formatted(text, formatting, out),
            Tok::Link(text, formatting, url) => {
                if !entry_linked && is_safe_url(url) {
                    out.push_str("<a href=\"");
                    escape_into(url, out);
                    out.push_str("\">");
                    write_formatted(text, formatting, out);
                    out.push_str("</a>");
                } else {
                    write_formatted(text, formatting, out);
                }
            }
            Tok::EntryStart(i) => {
                entry_depth += 1;
                if entry_depth == 1 {
                    if let Some(key) = entry_keys.and_then(|keys| keys.get(*i).copied().flatten()) {
                        out.push_str("<a href=\"#");
                        escape_into(&fragment(&anchor_id(key)), out);
                        out.push_str("\">");
                        entry_linked = true;
                    }
                }
            }
            Tok::EntryEnd => {
                entry_depth = entry_depth.saturating_sub(1);
                if entry_depth == 0 && entry_linked {
                    out.push_str("</a>");
                    entry_linked = false;
                }
            }
        }
    }
    if entry_linked {
        out.push_str("</a>");
    }
}

fn write_plain(toks: &[Tok], out: &mut String) {
    for tok in toks {
        match tok {
            Tok::Text(text, _) | Tok::Link(text, _, _) => out.push_str(text),
            Tok::Open(_) | Tok::Close if !out.ends_with(' ') && !out.is_empty() => out.push(' '),
            _ => {}
        }
    }
}

fn write_formatted(text: &str, f: &Formatting, out: &mut String) {
    if text.is_empty() {
        return;
    }
    let tags: [(bool, &str, &str); 6] = [
        (f.font_style == FontStyle::Italic, "<i>", "</i>"),
        (f.font_weight == FontWeight::Bold, "<b>", "</b>"),
        (
            f.font_weight == FontWeight::Light,
            "<span class=\"csl-light\">",
            "</span>",
        ),
        (
            f.font_variant == FontVariant::SmallCaps,
            "<span class=\"csl-small-caps\">",
            "</span>",
        ),
        (
            f.text_decoration == TextDecoration::Underline,
            "<span class=\"csl-underline\">",
            "</span>",
        ),
        (
            f.vertical_align == VerticalAlign::Sup || f.vertical_align == VerticalAlign::Sub,
            if f.vertical_align == VerticalAlign::Sup {
                "<sup>"
            } else {
                "<sub>"
            },
            if f.vertical_align == VerticalAlign::Sup {
                "</sup>"
            } else {
                "</sub>"
            },
        ),
    ];
    for (on, open, _) in &tags {
        if *on {
            out.push_str(open);
        }
    }
    escape_into(text, out);
    for (on, _, close) in tags.iter().rev() {
        if *on {
            out.push_str(close);
        }
    }
}

fn escape_into(text: &str, out: &mut String) {
    crate::escape::html_into(text, out);
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

/// Percent-encodes what may not appear raw in a URL fragment.
fn fragment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            ' ' | '"' | '<' | '>' | '`' | '#' | '%' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn is_safe_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// `targets[i]`: the key item `i` links to, if it has a reference to link to.
fn in_text_html(citation: &ElemChildren, targets: &[Option<&str>]) -> String {
    let mut toks = Vec::new();
    flatten(citation, &mut toks);
    merge_link_prefixes(&mut toks);
    let mut html = String::from("<span class=\"citation\">");
    write_html(&toks, Some(targets), "span", &mut html);
    html.push_str("</span>");
    html
}

/// What a citation that cannot be formatted shows: its own source text.
fn fallback_in_text(citation: &[CiteItem]) -> String {
    let parts: Vec<String> = citation
        .iter()
        .map(|item| match &item.locator {
            Some(locator) => format!("@{}, {locator}", item.key),
            None => format!("@{}", item.key),
        })
        .collect();
    format!(
        "<span class=\"citation {MISSING}\">[{}]</span>",
        escape(&parts.join("; "))
    )
}

fn references_of(bibliography: RenderedBibliography) -> Vec<Reference> {
    let class = if bibliography.hanging_indent {
        "csl-entry csl-hanging"
    } else {
        "csl-entry"
    };
    bibliography
        .items
        .into_iter()
        .filter_map(|item| {
            let mut toks = Vec::new();
            flatten(&item.content, &mut toks);
            merge_link_prefixes(&mut toks);
            let mut content = String::new();
            write_plain(&toks, &mut content);
            if content.trim().is_empty() {
                // The style leaves this kind of work out of reference lists.
                return None;
            }
            let mut html = format!(
                "<div class=\"{class}\" id=\"{}\">",
                escape(&anchor_id(&item.key))
            );
            let mut text = String::new();
            match &item.first_field {
                Some(first) => {
                    let mut first_toks = Vec::new();
                    flatten(&ElemChildren(vec![first.clone()]), &mut first_toks);
                    html.push_str("<div class=\"csl-left-margin\">");
                    write_html(&first_toks, None, "div", &mut html);
                    html.push_str("</div><div class=\"csl-right-inline\">");
                    write_html(&toks, None, "div", &mut html);
                    html.push_str("</div>");
                    write_plain(&first_toks, &mut text);
                    text.push(' ');
                    text.push_str(&content);
                }
                None => {
                    write_html(&toks, None, "div", &mut html);
                    text = content;
                }
            }
            html.push_str("</div>");
            Some(Reference {
                key: item.key,
                html,
                text: text.trim().to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BORDIN: &str = r#"# A comment
bordin1979:
  type: article
  title: The generalizability of the psychoanalytic concept of the working alliance
  author: ["Bordin, Edward S."]
  date: 1979
  page-range: 252-260
  serial-number:
    doi: "10.1037/h0085885"
  parent:
    type: periodical
    title: "Psychotherapy: Theory, Research & Practice"
    volume: 16
    issue: 3

safran2000:
  type: book
  title: "Negotiating the therapeutic alliance: A <relational> treatment guide"
  author: ["Safran, Jeremy D.", "Muran, J. Christopher"]
  date: 2000
  publisher: Guilford Press
"#;

    fn item(key: &str, locator: Option<&str>) -> CiteItem {
        CiteItem {
            key: key.into(),
            locator: locator.map(str::to_string),
        }
    }

    fn parse(text: &str) -> Result<Bibliography, Vec<Diagnostic>> {
        Bibliography::parse(text, Path::new("content/references.yaml"), "apa")
    }

    /// Tags removed and entities decoded: what a reader sees.
    fn visible(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn finds_every_citation_form() {
        let text = "Trust [@bordin1979] grows [@bordin1979, p. 12] and [@a; @b-2, pp. 3-4].";
        let spans = find_citations(text);
        assert_eq!(spans.len(), 3);
        assert_eq!(&text[spans[0].range.clone()], "[@bordin1979]");
        assert_eq!(spans[0].items, vec![item("bordin1979", None)]);
        assert_eq!(&text[spans[1].range.clone()], "[@bordin1979, p. 12]");
        assert_eq!(spans[1].items, vec![item("bordin1979", Some("p. 12"))]);
        assert_eq!(
            spans[2].items,
            vec![item("a", None), item("b-2", Some("pp. 3-4"))]
        );
        // Spaces inside the brackets and keys with inner punctuation.
        let spans = find_citations("é [ @doe:2020.x ; @_x ]");
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].range, 3..24);
        assert_eq!(spans[0].items[0].key, "doe:2020.x");
        assert_eq!(spans[0].items[1].key, "_x");
    }

    #[test]
    fn ignores_what_is_not_a_citation() {
        for text in [
            "[@]",
            "mail a@b.c or @someone",
            "[a@b.c]",
            "[see @key]",
            "[@key extra]",
            "[@a;]",
            "[@key.]",
            "[@-x]",
            "[[@key]",
            "[^1] and [link] and []",
            "@key] [@key",
            "[@ key]",
        ] {
            let spans = find_citations(text);
            let nested_ok = text == "[[@key]" && spans.len() == 1 && spans[0].range == (1..7);
            assert!(spans.is_empty() || nested_ok, "{text}: {spans:?}");
        }
        assert_eq!(find_citations("[@key, ]")[0].items[0].locator, None);
    }

    #[test]
    fn apa_in_text_and_reference_for_a_journal_article() {
        let bib = parse(BORDIN).unwrap();
        assert!(bib.contains("bordin1979"));
        assert!(!bib.contains("nope"));
        assert_eq!(
            bib.keys().collect::<Vec<_>>(),
            vec!["bordin1979", "safran2000"]
        );
        let out = bib.render_article(&[
            vec![item("bordin1979", Some("p. 12"))],
            vec![item("bordin1979", None), item("safran2000", None)],
            vec![item("bordin1979", Some("12"))],
        ]);
        assert_eq!(visible(&out.in_text[0]), "(Bordin, 1979, p. 12)");
        assert_eq!(
            out.in_text[0],
            "<span class=\"citation\">(<a href=\"#ref-bordin1979\">Bordin, 1979, p. 12</a>)</span>"
        );
        assert_eq!(
            visible(&out.in_text[1]),
            "(Bordin, 1979; Safran & Muran, 2000)"
        );
        assert!(out.in_text[1].contains("<a href=\"#ref-safran2000\">Safran &amp; Muran, 2000</a>"));
        assert_eq!(visible(&out.in_text[2]), "(Bordin, 1979, p. 12)");
        assert_eq!(out.references.len(), 2);
        let bordin = &out.references[0];
        assert_eq!(bordin.key, "bordin1979");
        let expected = "Bordin, E. S. (1979). The generalizability of the psychoanalytic \
            concept of the working alliance. Psychotherapy: Theory, Research & Practice, \
            16(3), 252–260. https://doi.org/10.1037/h0085885";
        assert_eq!(bordin.text, expected);
        assert_eq!(visible(&bordin.html), expected);
        assert!(bordin
            .html
            .starts_with("<div class=\"csl-entry csl-hanging\" id=\"ref-bordin1979\">"));
        assert!(bordin
            .html
            .contains("<i>Psychotherapy: Theory, Research &amp; Practice</i>"));
        assert!(bordin.html.contains(
            "<a href=\"https://doi.org/10.1037/h0085885\">https://doi.org/10.1037/h0085885</a>"
        ));
        assert!(!bordin.html.contains("style="), "{}", bordin.html);
        let safran = &out.references[1];
        assert!(
            safran.html.contains("&lt;relational&gt;"),
            "{}",
            safran.html
        );
        assert!(!safran.html.contains("<relational>"));
        assert_eq!(
            safran.text,
            "Safran, J. D., & Muran, J. C. (2000). Negotiating the therapeutic alliance: \
             A <relational> treatment guide. Guilford Press."
        );
    }

    #[test]
    fn render_all_lists_each_known_work_once() {
        let bib = parse(BORDIN).unwrap();
        let refs = bib.render_all(["safran2000", "nope", "bordin1979", "safran2000"]);
        let keys: Vec<&str> = refs.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, vec!["bordin1979", "safran2000"]);
        assert!(bib.render_all([]).is_empty());
    }

    #[test]
    fn unknown_keys_never_panic() {
        let bib = parse(BORDIN).unwrap();
        let out = bib.render_article(&[
            vec![item("nope", Some("p. <1>"))],
            vec![],
            vec![item("nope", None), item("bordin1979", None)],
        ]);
        assert_eq!(out.in_text.len(), 3);
        assert_eq!(
            out.in_text[0],
            "<span class=\"citation citation-missing\">[@nope, p. &lt;1&gt;]</span>"
        );
        assert_eq!(visible(&out.in_text[2]), "(Bordin, 1979)");
        assert_eq!(out.references.len(), 1);
        let none = bib.render_article(&[]);
        assert!(none.in_text.is_empty() && none.references.is_empty());
    }

    #[test]
    fn locators_of_many_kinds() {
        let bib = parse(BORDIN).unwrap();
        let out = bib.render_article(&[
            vec![item("bordin1979", Some("pp. 12-14"))],
            vec![item("bordin1979", Some("chap. 3"))],
            vec![item("bordin1979", Some("para. 4"))],
            vec![item("bordin1979", Some("at the end"))],
        ]);
        assert_eq!(visible(&out.in_text[0]), "(Bordin, 1979, pp. 12–14)");
        assert_eq!(visible(&out.in_text[1]), "(Bordin, 1979, Chapter 3)");
        assert_eq!(visible(&out.in_text[2]), "(Bordin, 1979, para. 4)");
        assert_eq!(visible(&out.in_text[3]), "(Bordin, 1979, at the end)");
    }

    #[test]
    fn other_styles_format_too() {
        let file = Path::new("content/references.yaml");
        let ieee = Bibliography::parse(BORDIN, file, "ieee").unwrap();
        let out = ieee.render_article(&[
            vec![item("safran2000", None)],
            vec![item("bordin1979", None)],
        ]);
        assert_eq!(visible(&out.in_text[0]), "[1]");
        assert_eq!(visible(&out.in_text[1]), "[2]");
        assert_eq!(out.references[0].key, "safran2000");
        assert!(out.references[0]
            .html
            .contains("<div class=\"csl-left-margin\">[1]</div>"));
        assert!(
            out.references[0].text.starts_with("[1] J. D. Safran"),
            "{}",
            out.references[0].text
        );
        let chicago = Bibliography::parse(BORDIN, file, "Chicago-Author-Date").unwrap();
        let out = chicago.render_article(&[vec![item("bordin1979", Some("p. 3"))]]);
        assert_eq!(visible(&out.in_text[0]), "(Bordin 1979, 3)");
    }

    #[test]
    fn unknown_style_names_the_nearest() {
        let errors = Bibliography::parse(BORDIN, Path::new("content/references.yaml"), "chicago")
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert_eq!(e.file, Path::new("handbook.yaml"));
        assert_eq!(e.message, "unknown citation_style `chicago`");
        let help = e.help.as_deref().unwrap();
        assert!(help.starts_with("did you mean `chicago-"), "{help}");
        let errors = Bibliography::parse(BORDIN, Path::new("refs.yaml"), "apa7").unwrap_err();
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `apa`?"));
        let errors = Bibliography::parse(BORDIN, Path::new("refs.yaml"), "zzzzzz").unwrap_err();
        assert!(errors[0].help.as_deref().unwrap().contains("`apa`"));
    }

    #[test]
    fn yaml_syntax_error_has_its_line() {
        let text = "a:\n  type: article\n  title: [unclosed\nb:\n  type: book\n";
        let errors = parse(text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].line >= 3, "{}", errors[0]);
        assert!(!errors[0].message.contains(" at line "), "{}", errors[0]);
    }

    #[test]
    fn rejected_entries_are_reported_at_their_lines() {
        let text = "\
ok:
  type: article
  title: Fine
bad-date:
  type: article
  title: X
  date: 19x9
typo-type:
  type: jornal
  title: Y
doi-at-top:
  type: article
  title: Z
  doi: 10.1/x
no-type:
  title: W
bad-parent:
  type: article
  parent:
    type: periodical
    volumee: 3
";
        let errors = parse(text).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 5, "{shown:#?}");
        assert_eq!((errors[0].line, errors[0].column), (7, 9), "{}", shown[0]);
        assert!(errors[0].message.contains("bad-date.date"), "{}", shown[0]);
        assert_eq!(errors[1].line, 9, "{}", shown[1]);
        assert!(errors[1].message.contains("jornal"), "{}", shown[1]);
        assert_eq!(errors[2].line, 14, "{}", shown[2]);
        assert_eq!(errors[2].message, "doi-at-top: unknown key `doi`");
        assert!(errors[2].help.as_deref().unwrap().contains("serial-number"));
        assert_eq!(errors[3].line, 15, "{}", shown[3]);
        assert!(errors[3].message.contains("no `type`"), "{}", shown[3]);
        assert_eq!(errors[4].line, 21, "{}", shown[4]);
        assert!(errors[4].message.contains("`volumee`"), "{}", shown[4]);
        assert_eq!(errors[4].help.as_deref(), Some("did you mean `volume`?"));
    }

    #[test]
    fn odd_files_do_not_panic() {
        for text in [
            "",
            "# only a comment\n",
            "- a\n- b\n",
            "a: 3\n",
            "{a: {type: article, title: T}}",
            "a: &x\n  type: article\n  title: T\nb: *x\n",
            "a:\n  type: article\n  url: javascript:alert(1)\n  title: T\n",
            "a:\n\ttype: article\n",
            "a:\n  type: article\n  author: [1, {x: 2}]\n",
            "a:\n  type: article\n  page-range: [1]\n",
            "a:\n  type: article\n  language: 'zz zz'\n",
            "a:\n  type: misc\n",
            "a:\n  type: article\n  title: T\na:\n  type: book\n  title: U\n",
            "2019:\n  type: article\n  title: T\n",
            "a:\n  type: article\n  title: T\n  author: ~\n  parent: [{title: P}, {type: book}]\n",
            "\"quoted key\":\n  type: article\n  title: T\n",
            "a:\n  type: article\n  title: \"\u{0}\"\n",
        ] {
            if let Ok(bib) = parse(text) {
                let keys: Vec<String> = bib.keys().map(str::to_string).collect();
                let cites: Vec<Vec<CiteItem>> =
                    keys.iter().map(|k| vec![item(k, Some("p. 1"))]).collect();
                let out = bib.render_article(&cites);
                assert_eq!(out.in_text.len(), cites.len());
                for r in &out.references {
                    assert!(!r.html.contains("href=\"javascript"), "{}", r.html);
                }
            }
        }
        assert!(parse("").unwrap().is_empty());
        let errors = parse("- a\n").unwrap_err();
        assert!(errors[0].help.is_some(), "{}", errors[0]);
        let errors = parse("a:\n  type: article\n  page-range: [1]\n").unwrap_err();
        assert_eq!(errors[0].line, 3, "{}", errors[0]);
    }

    #[test]
    fn the_bundled_bibliography_renders_every_entry() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/references.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let bib = Bibliography::parse(&text, Path::new("content/references.yaml"), "apa")
            .unwrap_or_else(|e| panic!("{e:#?}"));
        assert!(bib.len() >= 10);
        let keys: Vec<String> = bib.keys().map(str::to_string).collect();
        let cites: Vec<Vec<CiteItem>> = keys.iter().map(|k| vec![item(k, None)]).collect();
        let out = bib.render_article(&cites);
        assert_eq!(out.references.len(), keys.len());
        for (text, key) in out.in_text.iter().zip(&keys) {
            assert!(
                text.contains(&format!("href=\"#ref-{key}\"")) && visible(text).len() > 4,
                "{key}: {text}"
            );
        }
        for r in &out.references {
            assert!(r.text.len() > 20, "{}: {}", r.key, r.text);
            assert!(r.html.contains(&format!("id=\"ref-{}\"", r.key)));
        }
        let all = bib.render_all(keys.iter().map(String::as_str));
        assert_eq!(all.len(), keys.len());
        for r in &all {
            println!("{}", r.text);
        }
    }

    #[test]
    fn shared_references_match_formatting_per_article() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/references.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let bib = parse(&text).unwrap();
        assert!(bib.shared.is_some(), "APA shares its references");
        let keys: Vec<&str> = bib.keys().collect();
        let articles: Vec<Vec<Vec<CiteItem>>> = vec![
            vec![vec![item(keys[3], Some("p. 2"))], vec![item(keys[0], None)]],
            keys.iter().rev().map(|k| vec![item(k, None)]).collect(),
            vec![keys.iter().map(|k| item(k, Some("12"))).collect()],
            vec![vec![item("horvath2011", None), item("horvath1989", None)]],
        ];
        for citations in &articles {
            let fast = bib.render_article(citations);
            let (in_text, full) = bib.format(citations, &bib.style, None);
            assert_eq!(fast.in_text, in_text);
            assert_eq!(fast.references, full);
        }
    }

    #[test]
    fn works_needing_disambiguation_are_formatted_per_article() {
        let text = "\
a1:
  type: article
  title: First
  author: Horvath, Adam O.
  date: 2011
a2:
  type: article
  title: Second
  author: Horvath, Adam O.
  date: 2011
b:
  type: book
  title: Other
  author: Rogers, Carl R.
  date: 1957
";
        let bib = parse(text).unwrap();
        let shared = bib.shared.as_ref().unwrap();
        let mut dependent: Vec<&String> = shared.context_dependent.iter().collect();
        dependent.sort();
        assert_eq!(dependent, vec!["a1", "a2"]);
        let both = bib.render_article(&[vec![item("a1", None)], vec![item("a2", None)]]);
        assert_eq!(visible(&both.in_text[0]), "(Horvath, 2011a)");
        assert_eq!(visible(&both.in_text[1]), "(Horvath, 2011b)");
        assert!(
            both.references[0].text.contains("(2011a)"),
            "{:?}",
            both.references
        );
        let one = bib.render_article(&[vec![item("a2", None)], vec![item("b", None)]]);
        assert_eq!(visible(&one.in_text[0]), "(Horvath, 2011)");
        assert!(
            one.references[0].text.contains("(2011)"),
            "{:?}",
            one.references
        );
        assert_eq!(visible(&one.in_text[1]), "(Rogers, 1957)");
    }

    #[test]
    fn duplicate_keys_and_wrong_types_get_help() {
        let errors = parse("a:\n  type: article\n  title: A\na:\n  type: book\n").unwrap_err();
        assert_eq!(errors[0].line, 4, "{}", errors[0]);
        assert_eq!(errors[0].message, "`a` is defined twice");
        let errors = parse("a:\n  type: journal-article\n  title: A\n").unwrap_err();
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `article`?"));
        let errors = parse("a:\n  type: jornal\n").unwrap_err();
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `article`?"));
        let errors = parse("a:\n  type: boook\n").unwrap_err();
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `book`?"));
        let errors = parse("a:\n  type: book\n  title: A\nb:\n  title: B\n").unwrap_err();
        assert_eq!(errors[0].message, "`b` has no `type`");
        assert_eq!(errors[0].line, 4);
    }

    #[test]
    fn the_bundled_bibliography_reads_right_in_apa_and_other_styles() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/references.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let file = Path::new("content/references.yaml");
        let apa = Bibliography::parse(&text, file, "apa").unwrap();
        let out = apa.render_article(&[
            vec![item("tarasoff1976", None)],
            vec![item("hook2013", Some("p. 354"))],
        ]);
        assert_eq!(
            visible(&out.in_text[0]),
            "(Tarasoff v. Regents of the University of California, 1976)"
        );
        assert_eq!(visible(&out.in_text[1]), "(Hook et al., 2013, p. 354)");
        let texts: Vec<&str> = out.references.iter().map(|r| r.text.as_str()).collect();
        assert!(
            texts[0].starts_with("Hook, J. N., Davis, D. E., Owen, J., Worthington, E. L., Jr., & Utsey, S. O. (2013)."),
            "{}",
            texts[0]
        );
        assert_eq!(
            texts[1],
            "Tarasoff v. Regents of the University of California, 17 Cal. 3d 425 (1976)."
        );
        for style in [
            "chicago-author-date",
            "ieee",
            "modern-language-association",
            "vancouver",
            "harvard-cite-them-right",
            "american-medical-association",
            "chicago-notes",
        ] {
            let bib = Bibliography::parse(&text, file, style)
                .unwrap_or_else(|e| panic!("{style}: {e:?}"));
            let keys: Vec<&str> = bib.keys().collect();
            let cites: Vec<Vec<CiteItem>> =
                keys.iter().map(|k| vec![item(k, Some("p. 2"))]).collect();
            let out = bib.render_article(&cites);
            for (html, key) in out.in_text.iter().zip(&keys) {
                assert!(
                    !html.contains(MISSING) && visible(html).len() > 2,
                    "{style} {key}: {html}"
                );
            }
            assert!(out.references.len() >= keys.len() - 1, "{style}");
            assert!(out.references.iter().all(|r| r.text.len() > 20), "{style}");
        }
    }

    #[test]
    fn works_a_style_leaves_out_of_the_list_are_not_linked() {
        // Chicago cites legal cases in the text only.
        let text = "\
case:
  type: case
  title: \"Tarasoff {v.} Regents of the University of California\"
  date: 1976
  volume: 17
  page-range: 425
  parent:
    type: reference
    title: Cal. 3d
";
        let bib = Bibliography::parse(text, Path::new("r.yaml"), "chicago-author-date").unwrap();
        let out = bib.render_article(&[vec![item("case", None)]]);
        assert!(out.references.is_empty(), "{:?}", out.references);
        assert!(!out.in_text[0].contains("href"), "{}", out.in_text[0]);
        assert!(visible(&out.in_text[0]).starts_with("(Tarasoff v. Regents"));
        let apa = Bibliography::parse(text, Path::new("r.yaml"), "apa").unwrap();
        let out = apa.render_article(&[vec![item("case", None)]]);
        assert!(
            out.in_text[0].contains("href=\"#ref-case\""),
            "{}",
            out.in_text[0]
        );
    }

    #[test]
    fn hostile_yaml_is_refused_quickly() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (n, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!("{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let deep = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        for text in [bomb, deep] {
            let start = std::time::Instant::now();
            assert!(parse(&text).is_err());
            assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
        }
    }

    #[test]
    fn bibliography_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Bibliography>();
    }
}
