//! Front matter in the source: TOML between `+++` lines (Zola) or YAML
//! between `---` lines (Zola, and markdown written for Jekyll, Hugo or
//! Obsidian), read into one map, then the keys Trellis has (`title`,
//! `description` → `summary`, `weight` → `order`, `draft`, `slug`,
//! `aliases`, `authors`, `tags`) taken out and every other key listed in the
//! report at its line with what to do.

use std::path::Path;

use serde_json::{Map, Value};

use super::Report;
use crate::diagnostic::{line_col, Code, Diagnostic};

/// A source file split into its front matter and its body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Split {
    /// The front matter's keys (empty without front matter).
    pub map: Map<String, Value>,
    /// The front matter's text.
    pub text: String,
    /// Lines of the file before the front matter's first line.
    pub text_offset: usize,
    /// The body.
    pub body: String,
    /// Lines of the file before the body.
    pub body_offset: usize,
}

impl Split {
    /// The 1-based line of the file where top-level `key` is written
    /// (`key = …`, `key: …` or a `[key]` table), else the front matter's
    /// first line.
    pub fn line_of(&self, key: &str) -> usize {
        for (i, line) in self.text.lines().enumerate() {
            let t = line.trim_start();
            if line.len() != t.len() && !t.starts_with('[') {
                continue; // indented: not a top-level key (YAML)
            }
            let t = t.trim_start_matches('[');
            let t = t.strip_prefix('"').unwrap_or(t);
            if let Some(rest) = t.strip_prefix(key) {
                let rest = rest.trim_start_matches('"').trim_start();
                if rest.starts_with(['=', ':', ']', '.']) {
                    return self.text_offset + i + 1;
                }
            }
        }
        self.text_offset + 1
    }
}

/// Splits `text` (the file `path`, shown as `shown`) into front matter and
/// body; malformed front matter is an error at its line and column.
pub(crate) fn split(text: &str, shown: &str) -> Result<Split, Diagnostic> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let fence = text[..first_end].trim_end();
    if fence != "+++" && fence != "---" {
        return Ok(Split {
            body: text.to_string(),
            ..Split::default()
        });
    }
    let mut pos = first_end;
    let mut line_no = 1;
    let mut close = None;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        line_no += 1;
        let line = text[pos..end].trim_end();
        if line == fence || (fence == "---" && line == "...") {
            close = Some((pos, end, line_no));
            break;
        }
        pos = end;
    }
    let Some((close_start, close_end, close_line)) = close else {
        return Err(Code::FrontMatter
            .error(shown, 1, 1, "the front matter is never closed")
            .with_help(format!("end it with a line holding only `{fence}`")));
    };
    let fm = &text[first_end..close_start];
    let map = if fence == "+++" {
        parse_toml(fm, shown, 1)?
    } else {
        parse_yaml(fm, shown, 1)?
    };
    Ok(Split {
        map,
        text: fm.to_string(),
        text_offset: 1,
        body: text[close_end..].to_string(),
        body_offset: close_line,
    })
}

/// Parses TOML into a map; an error points into the file, `offset` lines
/// after the start of `text`.
pub(crate) fn parse_toml(
    text: &str,
    shown: &str,
    offset: usize,
) -> Result<Map<String, Value>, Diagnostic> {
    match text.parse::<toml::Table>() {
        Ok(table) => match toml_to_json(toml::Value::Table(table)) {
            Value::Object(map) => Ok(map),
            _ => Ok(Map::new()),
        },
        Err(e) => {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            Err(Code::FrontMatter
                .error(
                    shown,
                    line + offset,
                    column,
                    format!("malformed TOML: {}", e.message().trim()),
                )
                .with_help("fix the TOML on this line (quotes, `=`, brackets), then import again"))
        }
    }
}

fn parse_yaml(text: &str, shown: &str, offset: usize) -> Result<Map<String, Value>, Diagnostic> {
    let value: Value =
        crate::yaml::from_str(text, Path::new(shown)).map_err(|d| d.shifted(offset))?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(Code::FrontMatter
            .error(
                shown,
                offset + 1,
                1,
                "the front matter is not a set of `key: value` lines",
            )
            .with_help("front matter is a set of `key: value` lines, e.g. `title: My page`")),
    }
}

/// A TOML value as JSON; dates and times become their TOML text.
pub(crate) fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// A value as text: strings as they are, numbers and booleans written out.
pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of strings (a lone string is a list of one).
pub(crate) fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    }
}

/// The keys Trellis carries over, read from front matter.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields {
    /// `title`.
    pub title: Option<String>,
    /// `description` or `summary`.
    pub summary: Option<String>,
    /// `weight` or `order`.
    pub weight: Option<i64>,
    /// `draft`.
    pub draft: bool,
    /// `slug`.
    pub slug: Option<String>,
    /// Zola's `path`: the page's whole address.
    pub path: Option<String>,
    /// `aliases`.
    pub aliases: Vec<String>,
    /// `authors` (or `author`).
    pub authors: Vec<String>,
    /// `tags`, or Zola's `taxonomies.tags`.
    pub tags: Vec<String>,
    /// `date`, for ordering by date.
    pub date: Option<String>,
}

/// Takes the keys Trellis has out of `split`'s front matter and reports
/// every other key at its line. `part` says whether the page becomes a
/// part's intro (which has no `aliases`, `tags` or `authors`).
pub(crate) fn fields(split: &Split, shown: &str, part: bool, report: &mut Report) -> Fields {
    let mut f = Fields::default();
    for (key, value) in &split.map {
        let line = split.line_of(key);
        let mut not_carried = |what: String, todo: &str| report.add(shown, line, what, todo);
        match key.as_str() {
            "title" => f.title = text(value).filter(|t| !t.trim().is_empty()),
            "description" | "summary" => {
                f.summary = text(value)
                    .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|s| !s.is_empty());
            }
            "weight" | "order" => f.weight = value.as_i64(),
            "draft" => f.draft = value.as_bool().unwrap_or(false),
            "slug" => f.slug = text(value),
            "path" => f.path = text(value),
            "date" => {
                f.date = text(value);
                not_carried(
                    "the page's `date` is not carried over".into(),
                    "Trellis pages show no date; write it in the text if readers need it",
                );
            }
            "updated" | "lastmod" => not_carried(
                format!("`{key}` is not carried over"),
                "Trellis records reviews instead: set `reviewed:` once someone has checked the page",
            ),
            "aliases" | "authors" | "author" | "tags" if part => not_carried(
                format!("`{key}` on a part is not carried over"),
                "parts have no such key in Trellis; move it to the part's articles",
            ),
            "aliases" => f.aliases = strings(value),
            "authors" | "author" => f.authors.extend(strings(value)),
            "tags" => f.tags.extend(strings(value)),
            "taxonomies" => {
                if let Value::Object(taxonomies) = value {
                    for (name, terms) in taxonomies {
                        if name == "tags" && !part {
                            f.tags.extend(strings(terms));
                        } else {
                            not_carried(
                                format!("the `{name}` taxonomy is not carried over"),
                                "Trellis has tags only: add the terms to `tags:` if they help readers",
                            );
                        }
                    }
                }
            }
            "template" | "page_template" => not_carried(
                format!("`{key}` (an HTML template) is not carried over"),
                "Trellis pages use the theme's templates: see docs/themes.md to change how pages look",
            ),
            "extra" => not_carried(
                "`extra` values (read by templates) are not carried over".into(),
                "put what readers need from them into the text",
            ),
            "redirect_to" => not_carried(
                "`redirect_to` is not carried over: the part now has a page of its own".into(),
                "give the part an introduction in its `_index.md`, or link readers on from it",
            ),
            "render" if value == &Value::Bool(false) => not_carried(
                "`render = false` is not carried over: the part now has a page of its own".into(),
                "give the part an introduction in its `_index.md`",
            ),
            // Zola's listing and feed settings: Trellis lists every page of a part.
            "sort_by" | "insert_anchor_links" | "in_search_index" | "generate_feeds"
            | "generate_feed" | "paginate_by" | "paginate_path" | "paginate_reversed"
            | "transparent" | "render" => {}
            other => not_carried(
                format!("front matter key `{other}` is not carried over"),
                "move what it says into the text if readers need it",
            ),
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_yaml_front_matter() {
        let s = split(
            "+++\ntitle = \"A\"\ndate = 2024-01-02\n[taxonomies]\ntags = [\"x\"]\n[extra]\nk = 1\n+++\nBody\n",
            "a.md",
        )
        .unwrap();
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_offset, 8);
        assert_eq!(s.line_of("date"), 3);
        assert_eq!(s.line_of("extra"), 6);
        let mut r = Report::default();
        let f = fields(&s, "a.md", false, &mut r);
        assert_eq!(f.title.as_deref(), Some("A"));
        assert_eq!(f.date.as_deref(), Some("2024-01-02"));
        assert_eq!(f.tags, ["x"]);
        let lines: Vec<usize> = r.items.iter().map(|i| i.line).collect();
        assert_eq!(lines.len(), 2, "{r:?}");
        assert!(lines.contains(&3) && lines.contains(&6));

        let y = split("---\ntitle: B\ntags: [a, b]\n---\nText\n", "b.md").unwrap();
        assert_eq!(y.map["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(y.body_offset, 4);
        assert!(split("no front matter\n", "c.md").unwrap().map.is_empty());
    }

    #[test]
    fn malformed_toml_is_an_error_at_its_line() {
        let err = split("+++\ntitle = \"A\"\nweight = = 3\n+++\n", "a.md").unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(err.message.starts_with("malformed TOML"), "{err}");
        let err = split("+++\ntitle = \"A\"\n", "a.md").unwrap_err();
        assert!(err.message.contains("never closed"));
    }
}
