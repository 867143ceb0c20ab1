//! Reading and checking `references.yaml`.
//!
//! hayagriva parses the file; when it or [`ShadowEntry`] (which also catches
//! keys hayagriva silently ignores) objects, the file is cut into its
//! top-level entries and each is checked on its own, so every broken entry is
//! reported at its own line. hayagriva's and serde's errors are translated
//! into diagnostics with help: what a field takes, the entry type meant by a
//! misspelt or foreign `type:`, where a misplaced key such as `doi:` belongs.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use hayagriva::Library;
use serde::de::IgnoredAny;

use super::shadow::{ShadowEntry, SEVERAL_FORMS, WRONG_KIND};
use crate::diagnostic::{Code, Diagnostic};
use crate::suggest;
use crate::yaml::{self, Problem};

/// Parses the file with hayagriva; on any problem, checks entry by entry to
/// report each broken entry at its own line.
pub(super) fn load_library(text: &str, file: &Path) -> Result<Library, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Ok(Library::new());
    }
    // Syntax and shape first, with the YAML door's positions and wording.
    let top: BTreeMap<String, IgnoredAny> =
        yaml::parse(text, file).map_err(|f| vec![with_shape_help(f)])?;
    if top.is_empty() {
        return Ok(Library::new());
    }
    let shadow = yaml::parse::<BTreeMap<String, ShadowEntry>>(text, file);
    let library = match (&shadow, hayagriva::io::from_yaml_str(text)) {
        (Ok(_), Ok(library)) => return Ok(library),
        (_, library) => library,
    };
    let chunks = top_level_entries(text);
    if let Some(twice) = second_of_a_key(&chunks) {
        return Err(vec![Code::DuplicateName
            .error(
                file,
                twice.line,
                1,
                format!("`{}` is defined twice", twice.key),
            )
            .with_help(
                "remove one of the two entries, or give one another key",
            )]);
    }
    let mut errors = Vec::new();
    let reliable = chunks.len() == top.len() && chunks.iter().all(|c| top.contains_key(&c.key));
    if reliable {
        for chunk in &chunks {
            errors.extend(check_entry(text, chunk, file));
        }
    }
    if errors.is_empty() {
        match (shadow, library) {
            (Err(f), _) => errors.push(improve(f, text)),
            (Ok(entries), Err(e)) => {
                // Checked here too when the entries could not be cut apart.
                let untyped = entries.iter().find(|(_, entry)| !entry.has_type());
                errors.push(match untyped {
                    Some((key, _)) => {
                        let line = yaml::key_line(text, 1, text.lines().count(), key);
                        missing_type(file, line.unwrap_or(1), key)
                    }
                    None => {
                        let at = e.location().map(|l| (l.line(), l.column()));
                        hayagriva_error(&e.to_string(), at, file)
                    }
                });
            }
            (Ok(_), Ok(library)) => return Ok(library),
        }
    }
    Err(errors)
}

/// The second entry of a key written twice at the top level, if any.
fn second_of_a_key(chunks: &[Chunk]) -> Option<&Chunk> {
    let mut seen = std::collections::HashSet::new();
    chunks.iter().find(|c| !seen.insert(c.key.as_str()))
}

/// Checks one entry, `chunk` of `text`, on its own.
fn check_entry(text: &str, chunk: &Chunk, file: &Path) -> Option<Diagnostic> {
    let snippet = &text[chunk.bytes.clone()];
    let shift = chunk.line - 1;
    let entries = match yaml::parse::<BTreeMap<String, ShadowEntry>>(snippet, file) {
        Ok(entries) => entries,
        // An alias to an anchor in another entry only fails when cut out: not our error.
        Err(f) if f.diagnostic.code == Code::UnknownAlias => return None,
        Err(f) => return Some(improve(f, snippet).shifted(shift)),
    };
    if entries.values().any(|entry| !entry.has_type()) {
        return Some(missing_type(file, chunk.line, &chunk.key));
    }
    match hayagriva::io::from_yaml_str(snippet) {
        Ok(_) => None,
        Err(e) => {
            let at = e.location().map(|l| (l.line(), l.column()));
            Some(hayagriva_error(&e.to_string(), at, file).shifted(shift))
        }
    }
}

/// Entry `key`, written at `line`, has no `type:`.
fn missing_type(file: &Path, line: usize, key: &str) -> Diagnostic {
    Code::MissingKey
        .error(file, line, 1, format!("`{key}` has no `type`"))
        .with_help(format!("add `type: article` (or one of: {})", type_names()))
}

/// A diagnostic for an error hayagriva's parser found after Trellis's own
/// checks passed: its message, at its position. hayagriva gives its errors
/// no kind, so none is guessed from the text.
fn hayagriva_error(message: &str, at: Option<(usize, usize)>, file: &Path) -> Diagnostic {
    let (line, column) = at.unwrap_or((1, 1));
    // serde_yaml writes the position into its message too; Trellis shows its own.
    let message = message.split(" at line ").next().unwrap_or(message);
    Code::InvalidValue.error(file, line, column, message.to_string())
}

/// Sharpens a diagnostic from the YAML door with bibliography-specific help.
/// `text` is what was parsed (positions in `d` are relative to it).
fn improve(failure: yaml::Failure, text: &str) -> Diagnostic {
    let yaml::Failure {
        diagnostic: mut d,
        detail,
    } = failure;
    let path = detail.path_string();
    if let Some(key) = detail.unknown_key() {
        // serde_yaml may point at the enclosing mapping; point at the key itself.
        if let Some((line, column)) = locate_key(text, &path, key) {
            d.line = line;
            d.column = column;
        }
        return match misplaced_key_help(key) {
            Some(help) => d.with_help(help),
            None => d,
        };
    }
    let field = detail.field().unwrap_or_default();
    if let (true, Some(Problem::UnknownVariant { variant, .. })) =
        (field == "type", &detail.problem)
    {
        return d.with_help(type_help(variant));
    }
    if detail.problem.is_some() && SEVERAL_FORMS.contains(&field) {
        // A field that takes several forms (a number or text, say): serde
        // tried each and can only say none fitted, so Trellis says which field.
        let at_field = detail
            .path
            .iter()
            .rposition(|s| matches!(s, yaml::Segment::Key(_)))
            .unwrap_or(0);
        let parent = yaml::Detail {
            path: detail.path[..at_field].to_vec(),
            problem: None,
        }
        .path_string();
        if let Some((line, column)) = locate_key(text, &parent, field) {
            d.line = line;
            d.column = column;
        }
        let message = format!("{path}: {}", wrong_kind(field));
        return Diagnostic { message, ..d }.with_optional_help(field_help(field));
    }
    if d.help.is_none() {
        let help = field_help(field);
        return d.with_optional_help(help);
    }
    d
}

/// The message for a value of `field` that none of its kinds takes.
fn wrong_kind(field: &str) -> String {
    match field_help(field) {
        Some(_) => format!("`{field}{WRONG_KIND}"),
        None => "a value has the wrong kind".to_string(),
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
fn with_shape_help(failure: yaml::Failure) -> Diagnostic {
    let d = failure.diagnostic;
    if matches!(failure.detail.problem, Some(Problem::InvalidType { .. })) {
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
pub(super) fn entry_line(text: &str, key: &str) -> Option<usize> {
    top_level_entries(text)
        .into_iter()
        .find(|c| c.key == key)
        .map(|c| c.line)
}
