//! The one door to YAML: every YAML file Trellis reads goes through here.
//!
//! `serde_yaml` is deprecated upstream, so no other module names it: they ask
//! this module to deserialize a type and get back a [`Diagnostic`] that points
//! at the file, line and column, with a "did you mean" hint for unknown keys.
//! What went wrong is learnt as data (`yaml/record.rs`), never from serde_yaml's
//! wording.
//! Swapping the YAML library later means changing this file only.
//!
//! It also offers a light position index (`sequence_items`, `key_line`) so that
//! checks made after deserializing (a quiz question with two right answers,
//! a duplicate glossary term) can still name the line they are about. It reads
//! block-style YAML, which is what authors write; for anything else it falls
//! back to the start of the item or file.

mod record;

use std::path::Path;

use serde::de::DeserializeOwned;

pub use record::{Found, Problem, Segment};

use crate::diagnostic::{line_col, Code, Diagnostic};
use crate::suggest;

/// Deserializes `text` (the content of `file`) into `T`.
///
/// Errors carry the position inside `text`; callers that parsed a snippet of a
/// larger file (front matter) shift it with [`Diagnostic::shifted`].
pub fn from_str<T: DeserializeOwned>(text: &str, file: &Path) -> Result<T, Diagnostic> {
    parse(text, file).map_err(|f| f.diagnostic)
}

/// What a failed parse was about beyond its diagnostic, for callers that
/// word the errors of their own files (quizzes, references, front matter):
/// serde's report of the problem, as data (see `yaml/record.rs`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detail {
    /// The path to the value the problem is about (`questions[1].type`);
    /// empty at the top.
    pub path: Vec<Segment>,
    /// What the type said was wrong; `None` for a YAML syntax error or a limit.
    pub problem: Option<Problem>,
}

impl Detail {
    /// The path as serde_yaml writes it: `questions[1].type`.
    pub fn path_string(&self) -> String {
        record::path_string(&self.path)
    }

    /// The last key of the path: the field the problem is about.
    pub fn field(&self) -> Option<&str> {
        self.path.iter().rev().find_map(|s| match s {
            Segment::Key(key) => Some(key.as_str()),
            Segment::Index(_) => None,
        })
    }

    /// The key that is not known there, for an unknown key.
    pub fn unknown_key(&self) -> Option<&str> {
        match &self.problem {
            Some(Problem::UnknownField { field, .. }) => Some(field),
            _ => None,
        }
    }
}

/// A failed parse: the diagnostic to report, and its [`Detail`].
#[derive(Debug, Clone)]
pub struct Failure {
    /// What the author is told.
    pub diagnostic: Diagnostic,
    /// What it is about (boxed: most callers only pass the diagnostic on).
    pub detail: Box<Detail>,
}

/// [`from_str`], with the [`Detail`] of a failure.
pub fn parse<T: DeserializeOwned>(text: &str, file: &Path) -> Result<T, Failure> {
    // An empty document is "null" to serde_yaml; give mappings a chance to use their defaults.
    let text_to_parse = if text.trim().is_empty() { "{}" } else { text };
    if let Some(at) = too_deep(text) {
        let (line, column) = line_col(text, at);
        let diagnostic = Code::TooLarge
            .error(
                file,
                line,
                column,
                format!("the YAML is nested more than {MAX_FLOW_DEPTH} levels deep"),
            )
            .with_help("write the values out flat; no handbook file needs this much nesting");
        return Err(Failure {
            diagnostic,
            detail: Box::default(),
        });
    }
    serde_yaml::from_str::<T>(text_to_parse).map_err(|err| {
        let (problem, path, deepest) = explain::<T>(text_to_parse);
        to_failure(
            &err,
            Explained {
                problem,
                path,
                deepest,
            },
            text,
            file,
        )
    })
}

/// Reads `parsed` again through [`record`]'s watching layer, to learn as
/// data why it failed: the problem the type reported and its path, and how
/// deep the YAML's nesting went. Only failed parses pay for this.
fn explain<T: DeserializeOwned>(parsed: &str) -> (Option<Problem>, Vec<Segment>, usize) {
    let state = record::State::default();
    let watched = record::Watched {
        inner: serde_yaml::Deserializer::from_str(parsed),
        state: &state,
    };
    let rerun = T::deserialize(watched);
    let (problem, path) = match rerun {
        // The top-level type refused what it was given after reading it.
        Err(record::Recorded::Data(problem)) => (Some(problem), Vec::new()),
        _ => match (state.take_problem(), state.take_refused()) {
            (Some((problem, path)), _) => (Some(problem), path),
            // serde_yaml refused a value of the wrong type itself: learn what
            // the value is from the document, which also shows that the YAML
            // itself is sound (a refusal for a limit or a lost alias is not).
            (None, Some((expected, path))) => match found_at(parsed, &path) {
                Some(found) => (Some(Problem::InvalidType { found, expected }), path),
                None => (None, Vec::new()),
            },
            (None, None) => (None, Vec::new()),
        },
    };
    (problem, path, state.deepest())
}

/// What the document `parsed` has at `path`, if it reads as YAML and has a
/// value there.
fn found_at(parsed: &str, path: &[Segment]) -> Option<Found> {
    use serde_yaml::Value;
    let document: Value = serde_yaml::from_str(parsed).ok()?;
    let mut value = &document;
    for segment in path {
        value = match segment {
            Segment::Key(key) => {
                let map = value.as_mapping()?;
                map.get(key.as_str()).or_else(|| {
                    // A key written as a number or a boolean.
                    map.iter()
                        .find(|(k, _)| serde_yaml::to_string(k).is_ok_and(|t| t.trim() == key))
                        .map(|(_, v)| v)
                })?
            }
            Segment::Index(i) => value.as_sequence()?.get(*i)?,
        };
    }
    Some(match value {
        Value::Null => Found::Unit,
        Value::Bool(b) => Found::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(n), _) => Found::Integer(i128::from(n)),
            (_, Some(n)) => Found::Integer(i128::from(n)),
            _ => Found::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Found::Str(s.clone()),
        Value::Sequence(_) => Found::Seq,
        Value::Mapping(_) => Found::Map,
        Value::Tagged(_) => Found::Other("a tagged value".to_string()),
    })
}

/// What [`explain`] learnt of a failed parse.
struct Explained {
    problem: Option<Problem>,
    path: Vec<Segment>,
    deepest: usize,
}

/// Writes `value` as block-style YAML (what `trellis import` writes for
/// `handbook.yaml` and front matter): strings that would read back as
/// something else are quoted. Fails only for values YAML cannot hold
/// (a map with non-string keys, say).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// Deeper than this, `[`/`{` nesting is refused before libyaml sees it:
/// serde_yaml gives up at 128 levels anyway, but libyaml's scanner takes time
/// quadratic in the depth to get there.
const MAX_FLOW_DEPTH: usize = 1000;

/// The byte offset where flow brackets first nest deeper than [`MAX_FLOW_DEPTH`],
/// counted without regard to quotes (a file that deep is never legitimate).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn to_failure(err: &serde_yaml::Error, explained: Explained, text: &str, file: &Path) -> Failure {
    // serde_yaml's byte offset skips a BOM.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let at_byte = err.location().map(|l| l.index() + bom);
    let location = err.location().map(|l| {
        if text.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']) {
            // libyaml also breaks lines at a lone `\r`, NEL, LS and PS: count them as
            // the rest of Trellis does, from its byte offset.
            line_col(text, l.index() + bom)
        } else {
            (l.line(), l.column())
        }
    });
    let (line, column) = location.unwrap_or((1, 1));
    let Explained {
        problem,
        path,
        deepest,
    } = explained;
    let path_text = record::path_string(&path);
    let (said, (line, column)) = match &problem {
        Some(problem) => {
            let said = describe(problem, &path_text);
            let at = match problem {
                // serde reports unknown keys at the value after the key; point at the key itself.
                Problem::UnknownField { .. } => (line, key_column(text, line).unwrap_or(column)),
                // serde points at the mapping; point at the second time the key is written.
                Problem::DuplicateField(key) => {
                    duplicate_key(text, line, key).unwrap_or((line, column))
                }
                // A missing key has no place of its own: the mapping's is serde's.
                Problem::MissingField(_) => (line, column),
                // serde_yaml may point at the enclosing mapping: find the key the path names.
                _ if !path.is_empty() => locate_path(text, &path_text)
                    .unwrap_or_else(|| after_key(text, &path_text, (line, column))),
                _ => (line, column),
            };
            (said, at)
        }
        None => {
            let (said, alias_bomb) = describe_yaml(err, text, location, at_byte, deepest);
            // An alias bomb has no position of its own: point at the first alias.
            let at = match (alias_bomb, location) {
                (true, None) => first_alias(text).map_or((line, column), |at| line_col(text, at)),
                _ => (line, column),
            };
            (said, at)
        }
    };
    let diagnostic = said
        .code
        .error(file, line, column, said.message)
        .with_optional_help(said.help);
    Failure {
        diagnostic,
        detail: Box::new(Detail { path, problem }),
    }
}

/// A diagnostic's code, message and help, before its position is known.
struct Said {
    code: Code,
    message: String,
    help: Option<String>,
}

impl Said {
    fn new(code: Code, message: String, help: Option<String>) -> Said {
        Said {
            code,
            message,
            help,
        }
    }
}

/// Trellis's wording for a problem a type reported at `path`, with a hint
/// where one helps.
fn describe(problem: &Problem, path: &str) -> Said {
    let prefix = |s: String| {
        if path.is_empty() {
            s
        } else {
            format!("{path}: {s}")
        }
    };
    match problem {
        Problem::UnknownField { field, expected } => {
            let mut help = suggest::help_for(field, expected);
            if help.is_none() && !expected.is_empty() {
                help = Some(format!("valid keys here: {}", expected.join(", ")));
            }
            Said::new(
                Code::UnknownKey,
                prefix(format!("unknown key `{field}`")),
                help,
            )
        }
        Problem::MissingField(field) => Said::new(
            Code::MissingKey,
            prefix(format!("missing required key `{field}`")),
            Some(format!("add `{field}: ...`")),
        ),
        Problem::UnknownVariant { variant, expected } => {
            let help = suggest::help_for(variant, expected)
                .or_else(|| Some(format!("use one of: {}", expected.join(", "))));
            Said::new(
                Code::InvalidValue,
                prefix(format!("unknown value `{variant}`")),
                help,
            )
        }
        Problem::DuplicateField(field) => Said::new(
            Code::DuplicateKey,
            prefix(format!("`{field}` is given twice")),
            Some("keep one of the two; YAML does not allow a key twice in one mapping".into()),
        ),
        Problem::InvalidLength { .. } => Said::new(
            Code::InvalidValue,
            prefix(problem.to_string()),
            Some("check the YAML syntax on this line (indentation, colons, quotes)".to_string()),
        ),
        Problem::InvalidType { .. } | Problem::InvalidValue { .. } | Problem::Custom(_) => {
            Said::new(Code::InvalidValue, prefix(problem.to_string()), None)
        }
    }
}

/// serde_yaml's recursion limit: it refuses sequences and mappings nested
/// deeper than this.
const SERDE_YAML_DEPTH: usize = 128;

/// Trellis's wording for an error of serde_yaml's own (a syntax error or a
/// limit), told apart by what the file and the parse show rather than by the
/// error's text; and whether it is an alias bomb.
fn describe_yaml(
    err: &serde_yaml::Error,
    text: &str,
    location: Option<(usize, usize)>,
    at_byte: Option<usize>,
    deepest: usize,
) -> (Said, bool) {
    if location.is_none() && first_alias(text).is_some() && documents(text) <= 1 {
        // In one document with aliases, only the alias expansion limit
        // fails without a position (a second document does too).
        let said = Said::new(
            Code::TooLarge,
            "the YAML's aliases expand too much; it looks like an alias bomb".into(),
            Some("write the values out instead of nesting aliases".into()),
        );
        return (said, true);
    }
    if deepest >= SERDE_YAML_DEPTH {
        let said = Said::new(
            Code::TooLarge,
            format!("the YAML is nested too deeply (more than {SERDE_YAML_DEPTH} levels)"),
            Some("write the values out flat; no handbook file needs this much nesting".into()),
        );
        return (said, false);
    }
    let message = strip_positions(&err.to_string());
    // serde_yaml's column counts characters: the alias is found by its byte offset.
    let at_alias = at_byte
        .and_then(|i| text.get(i..))
        .is_some_and(|rest| rest.starts_with('*'));
    let line = location.and_then(|(line, _)| text.lines().nth(line.checked_sub(1)?));
    let said = match line {
        _ if at_alias => Said::new(Code::UnknownAlias, message, None),
        Some(line) if line[..line.len() - line.trim_start().len()].contains('\t') => Said::new(
            Code::YamlSyntax,
            message,
            Some("YAML does not allow tabs for indentation; indent with spaces".into()),
        ),
        _ => Said::new(
            Code::YamlSyntax,
            message,
            Some("check the YAML syntax on this line (indentation, colons, quotes)".to_string()),
        ),
    };
    (said, false)
}

/// How many YAML documents `text` holds (serde_yaml reads one).
fn documents(text: &str) -> usize {
    serde_yaml::Deserializer::from_str(text).count()
}

/// Removes libyaml's " at line N column M" decorations: we report positions ourselves.
fn strip_positions(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let end = after.find(',').unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    // Keep only the first clause of libyaml's "..., while parsing a block mapping".
    match out.split_once(", while ") {
        Some((first, _)) => first.to_string(),
        None => out,
    }
}

/// The position of the value at a serde_yaml path such as `quiz.pass_mark` or
/// `questions[2].type`, found in block-style YAML.
fn locate_path(text: &str, path: &str) -> Option<(usize, usize)> {
    let total = text.lines().count().max(1);
    let (mut from, mut to) = (1, total);
    let mut top_level = true;
    for segment in path.split('.') {
        let (key, index) = match segment.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        if !key.is_empty() {
            from = key_line(text, from, to, key)?;
        }
        if let Some(i) = index {
            let items = if top_level && !key.is_empty() {
                sequence_items(text, Some(key))
            } else if key.is_empty() && top_level {
                sequence_items(text, None)
            } else {
                return Some((from, 1));
            };
            let (s, e) = *items.get(i)?;
            from = s;
            to = e;
        }
        top_level = false;
    }
    let line_text = text.lines().nth(from - 1)?;
    let column = line_text.find(':').map_or(1, |c| {
        let after = &line_text[c + 1..];
        c + 2 + (after.len() - after.trim_start().len())
    });
    Some((from, column))
}

/// Where `key:` is written the second time, at the indentation of its first
/// occurrence at or after line `from`: (line, column of the key).
fn duplicate_key(text: &str, from: usize, key: &str) -> Option<(usize, usize)> {
    let total = text.lines().count();
    let first = key_line(text, from, total, key)?;
    let indent = key_column(text, first)?;
    let mut at = first;
    loop {
        at = key_line(text, at + 1, total, key)?;
        if key_column(text, at) == Some(indent) {
            return Some((at, indent));
        }
    }
}

/// The first `*name` that refers to an anchor `&name` in `text`: a byte offset.
fn first_alias(text: &str) -> Option<usize> {
    let name_end = |s: &str| {
        s.find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
            .unwrap_or(s.len())
    };
    let anchors: Vec<&str> = text
        .match_indices('&')
        .map(|(i, _)| &text[i + 1..][..name_end(&text[i + 1..])])
        .filter(|n| !n.is_empty())
        .collect();
    text.match_indices('*').map(|(i, _)| i).find(|&i| {
        let name = &text[i + 1..][..name_end(&text[i + 1..])];
        anchors.contains(&name)
    })
}

/// When the path's value could not be found: serde's position, unless it lies
/// before the path's first key (an alias points back at its anchor), then the key.
fn after_key(text: &str, path: &str, serde_at: (usize, usize)) -> (usize, usize) {
    let key = path.split(['.', '[']).next().unwrap_or(path);
    if key.is_empty() {
        return serde_at;
    }
    let total = text.lines().count().max(1);
    match key_line(text, 1, total, key) {
        Some(at) if at > serde_at.0 => (at, key_column(text, at).unwrap_or(1)),
        _ => serde_at,
    }
}

fn key_column(text: &str, line: usize) -> Option<usize> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let indent = l.len() - l.trim_start_matches([' ', '-']).len();
    Some(indent + 1)
}

/// The 1-based line ranges of the items of a block sequence: the top-level
/// sequence when `key` is `None`, else the sequence under the top-level `key:`.
/// Each range runs from the item's `- ` line to the line before the next item.
pub fn sequence_items(text: &str, key: Option<&str>) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let (start, indent) = match key {
        None => (0, None),
        Some(key) => {
            let header = format!("{key}:");
            match lines.iter().position(|l| l.trim_end() == header) {
                Some(i) => (i + 1, None),
                None => return Vec::new(),
            }
        }
    };
    let mut indent: Option<usize> = indent;
    let mut starts = Vec::new();
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate().skip(start) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let this_indent = line.len() - trimmed.len();
        if key.is_some() && this_indent == 0 && !trimmed.starts_with('-') {
            end = i;
            break;
        }
        if trimmed.starts_with("- ") || trimmed == "-" {
            note_item(&mut indent, this_indent, i, &mut starts);
        }
    }
    item_ranges(&starts, end)
}

/// The 1-based line of `key:` between lines `from` and `to` (inclusive), if written there.
pub fn key_line(text: &str, from: usize, to: usize, key: &str) -> Option<usize> {
    let pattern = format!("{key}:");
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .take(to.saturating_sub(from).saturating_add(1))
        .find(|(_, l)| writes_key(l, &pattern))
        .map(|(i, _)| i + 1)
}

/// [`key_line`] in a file's `lines`, split once by a caller that looks up
/// many keys (a glossary's terms, a quiz's questions): splitting the file
/// for each lookup made those checks grow with the square of its length.
pub fn key_line_in(lines: &[&str], from: usize, to: usize, key: &str) -> Option<usize> {
    let pattern = format!("{key}:");
    let start = from.saturating_sub(1);
    let end = start
        .saturating_add(to.saturating_sub(from).saturating_add(1))
        .min(lines.len());
    let found = lines
        .get(start..end)?
        .iter()
        .position(|l| writes_key(l, &pattern));
    found.map(|i| start + i + 1)
}

/// Whether `line` starts with `pattern` (`key:`), after indentation and `- `.
fn writes_key(line: &str, pattern: &str) -> bool {
    line.trim_start()
        .trim_start_matches("- ")
        .starts_with(pattern)
}

/// The 1-based line ranges of the items of the block sequence under the first
/// `key:` written between lines `from` and `to` (inclusive), at any depth: the
/// choices of one quiz question, say. Empty when the key is absent or its value
/// is written inline (`key: [a, b]`). Each range runs from the item's `- ` line
/// to the line before the next item, or the last line of the sequence.
pub fn nested_sequence_items(text: &str, from: usize, to: usize, key: &str) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    nested_sequence_items_in(&lines, from, to, key)
}

/// [`nested_sequence_items`] in a file's `lines`, split once (see [`key_line_in`]).
pub fn nested_sequence_items_in(
    lines: &[&str],
    from: usize,
    to: usize,
    key: &str,
) -> Vec<(usize, usize)> {
    let Some(key_at) = key_line_in(lines, from, to, key) else {
        return Vec::new();
    };
    let Some(header) = lines.get(key_at - 1) else {
        return Vec::new();
    };
    let key_indent = header.len() - header.trim_start_matches([' ', '-']).len();
    let after_colon = header.split_once(':').map_or("", |(_, rest)| rest.trim());
    if !after_colon.is_empty() && !after_colon.starts_with('#') {
        return Vec::new();
    }
    let last = to.min(lines.len());
    let mut item_indent: Option<usize> = None;
    let mut starts = Vec::new();
    let mut end = last;
    for (i, line) in lines.iter().enumerate().take(last).skip(key_at) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let is_item = trimmed.starts_with("- ") || trimmed == "-";
        let ends = indent < key_indent
            || (indent == key_indent && !is_item)
            || item_indent.is_some_and(|ind| indent < ind);
        if ends {
            end = i;
            break;
        }
        if is_item {
            note_item(&mut item_indent, indent, i, &mut starts);
        }
    }
    item_ranges(&starts, end)
}

/// Records line `i` as an item start when it is at the sequence's indent
/// (the first item found sets that indent; deeper `- ` lines are nested lists).
fn note_item(item_indent: &mut Option<usize>, indent: usize, i: usize, starts: &mut Vec<usize>) {
    match *item_indent {
        None => {
            *item_indent = Some(indent);
            starts.push(i);
        }
        Some(ind) if ind == indent => starts.push(i),
        _ => {}
    }
}

/// 0-based item start lines (and the line the sequence ends before) as
/// 1-based line ranges, each running to the line before the next item.
fn item_ranges(starts: &[usize], end: usize) -> Vec<(usize, usize)> {
    starts
        .iter()
        .enumerate()
        .map(|(n, &s)| {
            let e = starts.get(n + 1).map_or(end, |&next| next);
            (s + 1, e.max(s + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Conf {
        title: String,
        #[serde(default)]
        summary: Option<String>,
    }

    #[test]
    fn unknown_key_names_the_nearest() {
        let err = from_str::<Conf>("title: x\ntitel: y\n", Path::new("h.yaml")).unwrap_err();
        assert_eq!(err.code, Code::UnknownKey);
        assert_eq!(err.line, 2);
        assert_eq!(err.column, 1);
        assert_eq!(err.message, "unknown key `titel`");
        assert_eq!(err.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn syntax_error_has_a_position() {
        let err = from_str::<Conf>("title: x\n  bad: [\n", Path::new("h.yaml")).unwrap_err();
        assert_eq!(err.code, Code::YamlSyntax, "{err}");
        assert!(err.line >= 2, "{err}");
        assert!(!err.message.contains(" at line "), "{err}");
    }

    #[test]
    fn a_duplicate_key_is_found_where_it_is_repeated() {
        let err =
            from_str::<Conf>("title: x\nsummary: y\ntitle: z\n", Path::new("h.yaml")).unwrap_err();
        assert_eq!(
            (err.code, err.line, err.column),
            (Code::DuplicateKey, 3, 1),
            "{err}"
        );
        assert_eq!(err.message, "`title` is given twice");
    }

    #[test]
    fn positions_count_lines_like_the_rest_of_trellis() {
        // Found by fuzzing: libyaml took each lone `\r` for a new line.
        let text = "title: The r\r\r\r\r\r\rn prose\nsummary: x\n bad\n";
        let err = from_str::<Conf>(text, Path::new("h.yaml")).unwrap_err();
        assert!(err.line <= text.lines().count(), "{err}");
        // And at NEL (U+0085), LS and PS; a BOM does not shift the position.
        for text in [
            "\u{85}\u{85} lGo8",
            "\u{feff}title: x\u{2028}\u{2029} bad: [\n",
        ] {
            let err = from_str::<Conf>(text, Path::new("h.yaml")).unwrap_err();
            assert_eq!(err.line, 1, "{err}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let text = format!("title: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        let err = from_str::<Conf>(&text, Path::new("h.yaml")).unwrap_err();
        assert_eq!(
            (err.code, err.line, err.column),
            (Code::TooLarge, 1, 1008),
            "{err}"
        );
        let shallow = format!("title: {}{}\n", "[".repeat(200), "]".repeat(200));
        let err = from_str::<serde_json::Value>(&shallow, Path::new("h.yaml")).unwrap_err();
        assert_eq!(err.code, Code::TooLarge, "{err}");
        assert!(err.message.contains("nested too deeply"), "{err}");
    }

    #[test]
    fn an_alias_bomb_points_at_its_first_alias() {
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let items = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{items}]\n"));
        }
        let err = from_str::<serde_json::Value>(&text, Path::new("h.yaml")).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{err}");
        assert_eq!(
            (err.code, err.line, err.column),
            (Code::TooLarge, 2, 8),
            "{err}"
        );
    }

    #[test]
    fn a_second_document_in_a_file_with_aliases_is_not_an_alias_bomb() {
        let text = "a: &x 1\nb: *x\n---\nc: 2\n";
        let err = from_str::<serde_json::Value>(text, Path::new("two.yaml")).unwrap_err();
        assert_eq!(err.code, Code::YamlSyntax, "{err}");
        assert!(!err.message.contains("alias bomb"), "{err}");
    }

    #[test]
    fn every_kind_of_refusal_has_its_code_and_detail() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        enum Kind {
            Single,
        }
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Question {
            kind: Kind,
            count: i64,
        }
        let file = Path::new("q.yaml");
        let fail = |text: &str| parse::<Question>(text, file).unwrap_err();

        let f = fail("kind: Single\ncount: 1\ncolour: red\n");
        assert_eq!(f.diagnostic.code, Code::UnknownKey);
        assert_eq!(f.detail.unknown_key(), Some("colour"));
        assert_eq!((f.diagnostic.line, f.diagnostic.column), (3, 1));

        let f = fail("kind: Singel\ncount: 1\n");
        assert_eq!(f.diagnostic.code, Code::InvalidValue);
        assert_eq!(f.detail.path_string(), "kind");
        assert_eq!(
            f.detail.problem,
            Some(Problem::UnknownVariant {
                variant: "Singel".into(),
                expected: vec!["Single"]
            })
        );
        assert_eq!(f.diagnostic.message, "kind: unknown value `Singel`");

        let f = fail("kind: Single\ncount: three\n");
        assert_eq!(f.diagnostic.code, Code::InvalidValue);
        assert_eq!(
            f.detail.problem,
            Some(Problem::InvalidType {
                found: Found::Str("three".into()),
                expected: "i64".into()
            })
        );
        assert_eq!(
            f.diagnostic.message,
            "count: invalid type: string \"three\", expected i64"
        );
        assert_eq!((f.diagnostic.line, f.diagnostic.column), (2, 8));

        let f = fail("kind: Single\n");
        assert_eq!(f.diagnostic.code, Code::MissingKey);
        assert_eq!(f.detail.problem, Some(Problem::MissingField("count")));

        let f = fail("kind: Single\ncount: *nothing\n");
        assert_eq!(f.diagnostic.code, Code::UnknownAlias);
        // After letters of more than one byte on its line.
        let err = from_str::<serde_json::Value>("café: *nothing\n", file).unwrap_err();
        assert_eq!(err.code, Code::UnknownAlias, "{err}");

        let f = fail("kind: Single\n\tcount: 1\n");
        assert_eq!(f.diagnostic.code, Code::YamlSyntax);
        assert_eq!(f.detail.problem, None);
        assert!(f.diagnostic.help.unwrap().contains("tabs"));
    }

    #[test]
    fn a_refusal_deep_in_the_file_names_its_path_and_what_was_found() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Item {
            count: i64,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct List {
            items: Vec<Item>,
        }
        let text = "items:\n  - count: 1\n  - count: [2, 3]\n";
        let f = parse::<List>(text, Path::new("l.yaml")).unwrap_err();
        assert_eq!(
            f.detail.path,
            [
                Segment::Key("items".into()),
                Segment::Index(1),
                Segment::Key("count".into())
            ]
        );
        assert_eq!(
            f.diagnostic.message,
            "items[1].count: invalid type: sequence, expected i64"
        );
        assert_eq!((f.diagnostic.line, f.diagnostic.column), (3, 12));
        // A number where a string goes is a string, as serde_yaml reads it.
        #[derive(Debug, Deserialize)]
        struct Titled {
            title: String,
        }
        let ok = from_str::<Titled>("title: 1984\n", Path::new("t.yaml")).unwrap();
        assert_eq!(ok.title, "1984");
    }

    #[test]
    fn finds_sequence_items() {
        let text = "title: q\nquestions:\n  - id: a\n    type: single\n\n  - id: b\n    choices:\n      - text: x\nother: 1\n";
        assert_eq!(
            sequence_items(text, Some("questions")),
            vec![(3, 5), (6, 8)]
        );
        assert_eq!(key_line(text, 6, 8, "choices"), Some(7));
        assert_eq!(
            sequence_items("- term: a\n  x: 1\n- term: b\n", None),
            vec![(1, 2), (3, 3)]
        );
    }

    #[test]
    fn key_lines_in_split_lines_are_key_lines_in_the_text() {
        let text = "title: q\nquestions:\n  - id: a\n    choices:\n      - text: x\n  - id: b\n    choices: [y]\n";
        let lines: Vec<&str> = text.lines().collect();
        for from in [0, 1, 2, 3, 4, 6, 7, 8, 20] {
            for to in [0, 1, 3, 5, 6, 7, 8, 20, usize::MAX] {
                for key in ["title", "id", "choices", "text", "nothing"] {
                    assert_eq!(
                        key_line_in(&lines, from, to, key),
                        key_line(text, from, to, key),
                        "{key} in {from}..={to}"
                    );
                }
            }
        }
    }

    #[test]
    fn finds_nested_sequence_items() {
        let text = "questions:\n  - id: a\n    choices:\n      - text: x\n        correct: true\n      - text: y\n    explanation: z\n  - id: b\n    choices: [p, q]\n";
        assert_eq!(
            nested_sequence_items(text, 2, 7, "choices"),
            vec![(4, 5), (6, 6)]
        );
        assert_eq!(nested_sequence_items(text, 8, 9, "choices"), vec![]);
        let flush = "pairs:\n- left: a\n  right: b\n- left: c\nnext: 1\n";
        assert_eq!(
            nested_sequence_items(flush, 1, 5, "pairs"),
            vec![(2, 3), (4, 4)]
        );
    }
}
