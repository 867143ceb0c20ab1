//! Front matter: the YAML block between `---` lines at the top of a markdown file.

use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::diagnostic::{Code, Diagnostic};
use crate::yaml;

/// An article's front matter.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    /// Required.
    #[serde(default)]
    pub title: String,
    /// Required for articles: one or two plain sentences.
    #[serde(default)]
    pub summary: Option<String>,
    /// Overrides the file name's number prefix.
    #[serde(default)]
    pub order: Option<i64>,
    /// Overrides the slug taken from the file name.
    #[serde(default)]
    pub slug: Option<String>,
    /// Left out of builds unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Who wrote it.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Date of the last expert review.
    #[serde(default)]
    pub reviewed: Option<Date>,
    /// Who reviewed it, with credentials.
    #[serde(default)]
    pub reviewer: Option<String>,
    /// Whether a qualified clinician has checked it (`None`: not said,
    /// which pages and `check` treat as pending).
    #[serde(default)]
    pub clinical_review: Option<ClinicalReview>,
    /// Shown before the body, e.g. "mentions childhood abuse".
    #[serde(default)]
    pub content_note: Option<String>,
    /// The handbook's crisis signposting (`crisis:` in `handbook.yaml`) is
    /// shown in the article too, for articles that touch on suicide, self-harm
    /// or abuse.
    #[serde(default)]
    pub crisis_note: bool,
    /// Old paths that redirect here.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// In a translation: the source's digest when it was translated.
    #[serde(default)]
    pub translation: Option<TranslationRecord>,
}

/// A part's (`_index.md`) front matter.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartMeta {
    /// The part's title; default from the folder name.
    #[serde(default)]
    pub title: Option<String>,
    /// One or two sentences.
    #[serde(default)]
    pub summary: Option<String>,
    /// Overrides the folder's number prefix.
    #[serde(default)]
    pub order: Option<i64>,
    /// Overrides the slug taken from the folder name.
    #[serde(default)]
    pub slug: Option<String>,
    /// Leaves the whole part out unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// In a translation: the source's digest when it was translated.
    #[serde(default)]
    pub translation: Option<TranslationRecord>,
}

/// `translation:` in a translated page's front matter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationRecord {
    /// The digest of the source the translation was made from, as
    /// `trellis check` prints it.
    pub source_digest: String,
}

/// `clinical_review:`: `pending`, or who checked the article and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClinicalReview {
    /// No clinician has checked it yet.
    Pending,
    /// A qualified clinician checked it.
    Done {
        /// When.
        date: Date,
        /// Who, with credentials ("Dr A. Person, clinical psychologist").
        reviewer: String,
    },
}

/// The written form of a done clinical review.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClinicalReviewRecord {
    date: Date,
    reviewer: String,
}

impl<'de> Deserialize<'de> for ClinicalReview {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Shape;
        impl<'de> serde::de::Visitor<'de> for Shape {
            type Value = ClinicalReview;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`pending` or `{ date: YYYY-MM-DD, reviewer: \"Name, credentials\" }`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ClinicalReview, E> {
                if v.trim() == "pending" {
                    Ok(ClinicalReview::Pending)
                } else {
                    Err(E::custom(format!(
                        "`{v}` is not understood; write `pending`, or `{{ date: YYYY-MM-DD, reviewer: \"Name, credentials\" }}` once a clinician has checked the article"
                    )))
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ClinicalReview, A::Error> {
                let record = ClinicalReviewRecord::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                if record.reviewer.trim().is_empty() {
                    return Err(serde::de::Error::custom(
                        "`clinical_review` needs the `reviewer`: who checked it, with credentials",
                    ));
                }
                Ok(ClinicalReview::Done {
                    date: record.date,
                    reviewer: record.reviewer.trim().to_string(),
                })
            }
        }
        d.deserialize_any(Shape)
    }
}

impl Serialize for ClinicalReview {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            ClinicalReview::Pending => s.serialize_str("pending"),
            ClinicalReview::Done { date, reviewer } => {
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry("date", date)?;
                map.serialize_entry("reviewer", reviewer)?;
                map.end()
            }
        }
    }
}

/// A calendar date written `YYYY-MM-DD`, checked to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).map(Date).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let shape_ok = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    if !shape_ok {
        return Err(format!("`{s}` is not a date; write it as YYYY-MM-DD"));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a real date (no such day); write it as YYYY-MM-DD"))
}

/// A markdown file split into its front matter and body.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The YAML between the `---` lines (empty when there is none).
    pub yaml: &'a str,
    /// The markdown after the closing `---`.
    pub body: &'a str,
    /// How many lines of the file come before `yaml` (the opening `---`).
    pub yaml_line_offset: usize,
    /// How many lines of the file come before `body`.
    pub body_line_offset: usize,
    /// Whether the file had a front matter block at all.
    pub present: bool,
}

/// Splits `text` into front matter and body. A front matter block opened but
/// never closed is an error pointing at the opening line.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            yaml: "",
            body: text,
            yaml_line_offset: 0,
            body_line_offset: 0,
            present: false,
        });
    }
    let mut pos = first_line_end;
    let mut line_no = 1;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        line_no += 1;
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                yaml: &text[first_line_end..pos],
                body: &text[end..],
                yaml_line_offset: 1,
                body_line_offset: line_no,
                present: true,
            });
        }
        pos = end;
    }
    Err(Code::FrontMatter
        .error(file, 1, 1, "the front matter is never closed")
        .with_help("end the front matter with a line holding only `---`"))
}

/// The 1-based line of `key:` written at the top level of `text`'s front
/// matter (so at column 1), for pointing at a value that is well formed but
/// worth a warning; `None` when it is not written there as a plain key.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    let split = split(text, Path::new("")).ok()?;
    split.yaml.lines().enumerate().find_map(|(i, line)| {
        let after = line.strip_prefix(key)?.trim_start_matches([' ', '\t']);
        after
            .starts_with(':')
            .then_some(split.yaml_line_offset + i + 1)
    })
}

/// Parses front matter of type `T` from a split file, positions pointing into the whole file.
pub fn parse<T: for<'de> Deserialize<'de>>(
    split: &Split<'_>,
    file: &Path,
) -> Result<T, Diagnostic> {
    yaml::parse::<T>(split.yaml, file).map_err(|failure| {
        let d = failure.diagnostic.shifted(split.yaml_line_offset);
        let detail = failure.detail;
        // Every front matter type is a mapping of keys: a value of another
        // type at the top means the block is not one.
        let found = match detail.problem {
            Some(yaml::Problem::InvalidType { found, .. }) if detail.path.is_empty() => found,
            _ => return d,
        };
        // The whole block is a list or a single value: say so in the author's words.
        let what = if found == yaml::Found::Seq {
            "a list".to_string()
        } else {
            format!("a single value ({found})")
        };
        Diagnostic {
            code: Code::FrontMatter,
            message: format!("the front matter is {what}, not a set of `key: value` lines"),
            ..d
        }
        .with_help("front matter is a set of `key: value` lines, e.g. `title: My article`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_at_the_top_level_of_the_front_matter() {
        let text = "\u{feff}---\ntitle: A\nauthors:\n  - reviewed: no\nreviewed : 2020-01-01\n---\nreviewed: body\n";
        assert_eq!(key_line(text, "reviewed"), Some(5));
        assert_eq!(key_line(text, "title"), Some(2));
        assert_eq!(key_line(text, "summary"), None, "not written");
        assert_eq!(
            key_line("reviewed: 2020-01-01\n", "reviewed"),
            None,
            "no front matter"
        );
        assert_eq!(key_line("---\nreviewedby: x\n---\n", "reviewed"), None);
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let text = "---\ntitle: A\norder: three\n---\nbody\n";
        let s = split(text, Path::new("a.md")).unwrap();
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line_offset, 4);
        let err = parse::<ArticleMeta>(&s, Path::new("a.md")).unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(err.message.contains("order"), "{err}");
    }

    #[test]
    fn impossible_dates_are_refused() {
        let text = "---\ntitle: A\nreviewed: 2026-02-30\n---\n";
        let s = split(text, Path::new("a.md")).unwrap();
        let err = parse::<ArticleMeta>(&s, Path::new("a.md")).unwrap_err();
        assert!(err.message.contains("not a real date"), "{err:?}");
        assert_eq!(err.line, 3);
    }

    #[test]
    fn empty_reviewed_is_no_date() {
        let text = "---\ntitle: A\nreviewed:   # not yet\nreviewer:\n---\n";
        let s = split(text, Path::new("a.md")).unwrap();
        let meta = parse::<ArticleMeta>(&s, Path::new("a.md")).unwrap();
        assert_eq!(meta.reviewed, None);
        assert_eq!(meta.reviewer, None);
    }

    #[test]
    fn clinical_review_is_pending_or_who_and_when() {
        let meta = |text: &str| {
            let s = split(text, Path::new("a.md")).unwrap();
            parse::<ArticleMeta>(&s, Path::new("a.md"))
        };
        let pending = meta("---\ntitle: A\nclinical_review: pending\n---\n").unwrap();
        assert_eq!(pending.clinical_review, Some(ClinicalReview::Pending));
        let done = meta("---\ntitle: A\nclinical_review: { date: 2026-11-02, reviewer: \"Dr A. B, psychologist\" }\n---\n").unwrap();
        assert_eq!(
            done.clinical_review,
            Some(ClinicalReview::Done {
                date: Date(NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()),
                reviewer: "Dr A. B, psychologist".into()
            })
        );
        let none = meta("---\ntitle: A\n---\n").unwrap();
        assert_eq!(none.clinical_review, None);
        for (bad, says) in [
            ("clinical_review: done", "write `pending`"),
            ("clinical_review: { date: 2026-11-02 }", "reviewer"),
            (
                "clinical_review: { date: 2026-13-02, reviewer: X }",
                "YYYY-MM-DD",
            ),
            (
                "clinical_review: { date: 2026-11-02, reviewer: X, by: Y }",
                "by",
            ),
        ] {
            let err = meta(&format!("---\ntitle: A\n{bad}\n---\n")).unwrap_err();
            assert!(err.message.contains(says), "{bad}: {err}");
            assert_eq!(err.line, 3, "{bad}: {err}");
        }
    }

    #[test]
    fn unclosed_front_matter() {
        let err = split("---\ntitle: A\n", Path::new("a.md")).unwrap_err();
        assert!(err.message.contains("never closed"));
    }
}
