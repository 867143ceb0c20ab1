//! Reading `glossary.yaml` into checked [`Term`]s, collecting every error.
//!
//! The file is read as a generic tree ([`Node`]) through [`crate::yaml`], so
//! that only YAML syntax can stop the read; everything else (unknown keys,
//! missing fields, wrong shapes, duplicates, unknown `see_also` terms) is
//! checked here and reported together, each at its own line.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{normalize, slug, Term};
use crate::diagnostic::{Code, Diagnostic};
use crate::inline::render_inline;
use crate::suggest;
use crate::yaml;

/// The keys a glossary entry may have.
const KEYS: [&str; 4] = ["term", "aliases", "definition", "see_also"];

/// Any YAML value, with scalars kept as text.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    fn kind(&self) -> &'static str {
        match self {
            Node::Null => "nothing",
            Node::Scalar(_) => "text",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Scalar(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<Node, Node>()? {
            let key = match key {
                Node::Scalar(s) => s,
                Node::Null => "~".to_string(),
                other => format!("<{}>", other.kind()),
            };
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// Where a name was written, for messages that point at it.
#[derive(Debug, Clone, Copy)]
struct Place {
    line: usize,
    column: usize,
}

/// One entry before the cross-entry checks.
struct Draft {
    term: String,
    term_place: Place,
    aliases: Vec<(String, Place)>,
    definition: String,
    see_also: Vec<(String, Place)>,
}

/// Reads every entry of the glossary, checks it and returns the terms (in file
/// order) or all the errors found.
pub(super) fn parse_terms(text: &str, file: &Path) -> Result<Vec<Term>, Vec<Diagnostic>> {
    if is_blank(text) {
        return Ok(Vec::new());
    }
    let root: Node = yaml::from_str(text, file).map_err(|d| vec![d])?;
    let entries = match root {
        Node::Null => return Ok(Vec::new()),
        Node::Seq(entries) => entries,
        other => {
            return Err(vec![Code::InvalidValue
                .error(
                    file,
                    first_content_line(text),
                    1,
                    format!(
                        "the glossary must be a list of entries, not {}",
                        other.kind()
                    ),
                )
                .with_help(
                    "start each entry with `- term: ...` and give it a `definition: ...`",
                )])
        }
    };
    // Split once: every entry looks up the lines of its keys.
    let lines: Vec<&str> = text.lines().collect();
    let total = lines.len().max(1);
    let ranges = yaml::sequence_items(text, None);
    let ranges_fit = ranges.len() == entries.len();

    let mut errors = Vec::new();
    let mut drafts = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let range = if ranges_fit { ranges[i] } else { (1, total) };
        if let Some(draft) = read_entry(&lines, file, i, entry, range, &mut errors) {
            drafts.push(draft);
        }
    }
    check_unique(file, &drafts, &mut errors);
    let terms = resolve(file, &drafts, &mut errors);
    if errors.is_empty() {
        Ok(terms)
    } else {
        errors.sort_by_key(|d| (d.line, d.column));
        Err(errors)
    }
}

/// Checks one entry's shape and fields.
fn read_entry(
    lines: &[&str],
    file: &Path,
    index: usize,
    entry: &Node,
    (from, to): (usize, usize),
    errors: &mut Vec<Diagnostic>,
) -> Option<Draft> {
    let Node::Map(fields) = entry else {
        errors.push(
            Code::InvalidValue
                .error(
                    file,
                    from,
                    1,
                    format!(
                        "glossary entry {} is {}, not an entry with `term` and `definition`",
                        index + 1,
                        entry.kind()
                    ),
                )
                .with_help("write it as `- term: ...` with `definition: ...` on the next line"),
        );
        return None;
    };
    let at_key = |key: &str| -> Place {
        match yaml::key_line_in(lines, from, to, key) {
            Some(line) => Place {
                line,
                column: key_column(lines, line, key),
            },
            None => Place {
                line: from,
                column: 1,
            },
        }
    };
    let mut seen: Vec<&str> = Vec::new();
    for (key, _) in fields {
        if seen.contains(&key.as_str()) {
            let place = at_key(key);
            errors.push(
                Code::DuplicateKey
                    .error(
                        file,
                        place.line,
                        place.column,
                        format!("duplicate key `{key}`"),
                    )
                    .with_help("keep one of the two"),
            );
            continue;
        }
        seen.push(key);
        if !KEYS.contains(&key.as_str()) {
            let place = at_key(key);
            let help = suggest::help_for(key, &KEYS)
                .unwrap_or_else(|| format!("valid keys here: {}", KEYS.join(", ")));
            errors.push(
                Code::UnknownKey
                    .error(
                        file,
                        place.line,
                        place.column,
                        format!("unknown key `{key}`"),
                    )
                    .with_help(help),
            );
        }
    }
    let field = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v);

    let mut ok = true;
    let term_place = value_place(lines, from, to, "term", None);
    let term = match field("term") {
        None => {
            errors.push(
                Code::MissingKey
                    .error(
                        file,
                        from,
                        1,
                        format!("glossary entry {} has no `term`", index + 1),
                    )
                    .with_help("add `term: ...`"),
            );
            ok = false;
            String::new()
        }
        Some(node) => match scalar(node) {
            Some(t) if !t.trim().is_empty() => tidy(&t),
            Some(_) | None if !matches!(node, Node::Seq(_) | Node::Map(_)) => {
                errors.push(
                    Code::InvalidValue
                        .error(
                            file,
                            term_place.line,
                            term_place.column,
                            format!("glossary entry {} has an empty `term`", index + 1),
                        )
                        .with_help("write the term after `term:`"),
                );
                ok = false;
                String::new()
            }
            _ => {
                errors.push(Code::InvalidValue.error(
                    file,
                    term_place.line,
                    term_place.column,
                    format!("`term` must be text, not {}", node.kind()),
                ));
                ok = false;
                String::new()
            }
        },
    };
    let term_place = if term.is_empty() {
        term_place
    } else {
        value_place(lines, from, to, "term", Some(&term))
    };
    let label = if term.is_empty() {
        format!("glossary entry {}", index + 1)
    } else {
        format!("`{term}`")
    };

    let definition = match field("definition") {
        None => {
            errors.push(
                Code::MissingKey
                    .error(
                        file,
                        term_place.line,
                        term_place.column,
                        format!("{label} has no definition"),
                    )
                    .with_help("add `definition: ...` with a short, plain explanation"),
            );
            ok = false;
            String::new()
        }
        Some(node) => {
            let place = value_place(lines, from, to, "definition", None);
            match (scalar(node), node) {
                (Some(d), _) if !d.trim().is_empty() => d.trim().to_string(),
                (_, Node::Seq(_) | Node::Map(_)) => {
                    errors.push(
                        Code::InvalidValue
                            .error(
                                file,
                                place.line,
                                place.column,
                                format!(
                                    "the definition of {label} must be text, not {}",
                                    node.kind()
                                ),
                            )
                            .with_help(
                                "quote the definition if it contains `: ` or starts with `[`",
                            ),
                    );
                    ok = false;
                    String::new()
                }
                _ => {
                    errors.push(
                        Code::InvalidValue
                            .error(
                                file,
                                place.line,
                                place.column,
                                format!("the definition of {label} is empty"),
                            )
                            .with_help("write a short, plain explanation after `definition:`"),
                    );
                    ok = false;
                    String::new()
                }
            }
        }
    };

    let aliases = name_list(
        lines,
        file,
        (from, to),
        "aliases",
        &label,
        field("aliases"),
        errors,
    );
    let see_also = name_list(
        lines,
        file,
        (from, to),
        "see_also",
        &label,
        field("see_also"),
        errors,
    );
    match (ok, aliases, see_also) {
        (true, Some(aliases), Some(see_also)) => Some(Draft {
            term,
            term_place,
            aliases,
            definition,
            see_also,
        }),
        _ => None,
    }
}

/// `aliases` or `see_also`: nothing, one name, or a list of names.
fn name_list(
    lines: &[&str],
    file: &Path,
    range: (usize, usize),
    key: &str,
    label: &str,
    node: Option<&Node>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Vec<(String, Place)>> {
    let items: Vec<&Node> = match node {
        None | Some(Node::Null) => return Some(Vec::new()),
        Some(one @ Node::Scalar(_)) => vec![one],
        Some(Node::Seq(items)) => items.iter().collect(),
        Some(Node::Map(_)) => {
            let place = value_place(lines, range.0, range.1, key, None);
            errors.push(
                Code::InvalidValue
                    .error(
                        file,
                        place.line,
                        place.column,
                        format!("`{key}` of {label} must be a list of names, not a mapping"),
                    )
                    .with_help(format!("write `{key}: [first, second]`")),
            );
            return None;
        }
    };
    let mut names = Vec::new();
    let mut ok = true;
    for item in items {
        match scalar(item) {
            Some(name) if !name.trim().is_empty() => {
                let name = tidy(&name);
                let place = value_place(lines, range.0, range.1, key, Some(&name));
                names.push((name, place));
            }
            _ => {
                let place = value_place(lines, range.0, range.1, key, None);
                let what = if matches!(item, Node::Seq(_) | Node::Map(_)) {
                    format!("{} inside it", item.kind())
                } else {
                    "an empty name".to_string()
                };
                errors.push(
                    Code::InvalidValue
                        .error(
                            file,
                            place.line,
                            place.column,
                            format!("`{key}` of {label} has {what}"),
                        )
                        .with_help(format!("write `{key}: [first, second]` with plain names")),
                );
                ok = false;
            }
        }
    }
    ok.then_some(names)
}

/// Terms and aliases are unique ignoring case, and slugs are unique.
fn check_unique(file: &Path, drafts: &[Draft], errors: &mut Vec<Diagnostic>) {
    // normalized name -> (description of the first use, its line)
    let mut names: HashMap<String, (String, usize)> = HashMap::new();
    let mut slugs: HashMap<String, (String, usize)> = HashMap::new();
    for d in drafts {
        let entries = std::iter::once((&d.term, d.term_place, true))
            .chain(d.aliases.iter().map(|(a, p)| (a, *p, false)));
        for (name, place, is_term) in entries {
            let what = if is_term {
                format!("term `{name}`")
            } else {
                format!("alias `{name}` of `{}`", d.term)
            };
            match names.get(&normalize(name)) {
                Some((first, line)) => errors.push(
                    Code::DuplicateName.error(
                        file,
                        place.line,
                        place.column,
                        format!(
                            "{what} duplicates {first} at line {line} (terms and aliases are unique, ignoring case)"
                        ),
                    )
                    .with_help("remove one of the two, or make it more specific"),
                ),
                None => {
                    names.insert(normalize(name), (what, place.line));
                }
            }
        }
        let s = slug(&d.term);
        if s.is_empty() {
            errors.push(
                Code::DuplicateName
                    .error(
                        file,
                        d.term_place.line,
                        d.term_place.column,
                        format!(
                            "term `{}` has no letter or digit to make its link id from",
                            d.term
                        ),
                    )
                    .with_help("use words in the term; put symbols in the definition"),
            );
        } else if let Some((first, line)) = slugs.get(&s) {
            errors.push(
                Code::DuplicateName
                    .error(
                        file,
                        d.term_place.line,
                        d.term_place.column,
                        format!(
                            "term `{}` has the same link id `{s}` as {first} at line {line}",
                            d.term
                        ),
                    )
                    .with_help("terms that differ only in punctuation need different words"),
            );
        } else {
            slugs.insert(s, (format!("term `{}`", d.term), d.term_place.line));
        }
    }
}

/// Resolves `see_also` names and builds the terms.
fn resolve(file: &Path, drafts: &[Draft], errors: &mut Vec<Diagnostic>) -> Vec<Term> {
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut all_terms: Vec<&str> = Vec::new();
    for (i, d) in drafts.iter().enumerate() {
        all_terms.push(&d.term);
        for name in std::iter::once(&d.term).chain(d.aliases.iter().map(|(a, _)| a)) {
            names.entry(normalize(name)).or_insert(i);
        }
    }
    let mut terms = Vec::with_capacity(drafts.len());
    for d in drafts {
        let mut see_also: Vec<String> = Vec::new();
        for (name, place) in &d.see_also {
            match names.get(&normalize(name)) {
                Some(&i) => {
                    let target = &drafts[i].term;
                    if *target != d.term && !see_also.contains(target) {
                        see_also.push(target.clone());
                    }
                }
                None => {
                    let help = suggest::did_you_mean(name, all_terms.iter().copied())
                        .map(|n| format!("did you mean `{n}`?"))
                        .unwrap_or_else(|| {
                            "add the term to the glossary, or remove it from `see_also`".to_string()
                        });
                    errors.push(
                        Code::UnknownTerm
                            .error(
                                file,
                                place.line,
                                place.column,
                                format!("`see_also` of `{}` names unknown term `{name}`", d.term),
                            )
                            .with_help(help),
                    );
                }
            }
        }
        terms.push(Term {
            term: d.term.clone(),
            slug: slug(&d.term),
            aliases: d.aliases.iter().map(|(a, _)| a.clone()).collect(),
            definition: d.definition.clone(),
            definition_html: render_inline(&d.definition),
            see_also,
            line: d.term_place.line,
        });
    }
    terms
}

fn scalar(node: &Node) -> Option<String> {
    match node {
        Node::Scalar(s) => Some(s.clone()),
        _ => None,
    }
}

/// A name as shown: trimmed, inner whitespace collapsed.
fn tidy(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    })
}

fn first_content_line(text: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map_or(1, |i| i + 1)
}

/// The 1-based column of `key:` on `line`.
fn key_column(lines: &[&str], line: usize, key: &str) -> usize {
    let Some(l) = lines.get(line.saturating_sub(1)) else {
        return 1;
    };
    l.find(&format!("{key}:"))
        .map_or(1, |at| l[..at].chars().count() + 1)
}

/// Where the value of `key` (or, given `needle`, that name inside it) is
/// written within lines `from..=to`: the line of `key:` or the first line at or
/// after it that contains `needle`.
fn value_place(lines: &[&str], from: usize, to: usize, key: &str, needle: Option<&str>) -> Place {
    let Some(key_at) = yaml::key_line_in(lines, from, to, key) else {
        return Place {
            line: from,
            column: 1,
        };
    };
    if let Some(needle) = needle {
        for (i, l) in lines
            .iter()
            .enumerate()
            .take(to.min(lines.len()))
            .skip(key_at - 1)
        {
            // Skip past the key on its own line so "term: term" finds the value.
            let start = if i + 1 == key_at {
                l.find(&format!("{key}:"))
                    .map_or(0, |at| at + key.len() + 1)
            } else {
                0
            };
            if let Some(at) = l.get(start..).and_then(|rest| rest.find(needle)) {
                return Place {
                    line: i + 1,
                    column: l[..start + at].chars().count() + 1,
                };
            }
        }
    }
    let l = lines.get(key_at - 1).copied().unwrap_or("");
    let column = l.find(&format!("{key}:")).map_or(1, |at| {
        let after = &l[at + key.len() + 1..];
        let pad = after.len() - after.trim_start().len();
        l[..at + key.len() + 1 + pad].chars().count() + 1
    });
    Place {
        line: key_at,
        column,
    }
}
