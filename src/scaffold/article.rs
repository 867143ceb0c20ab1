//! `trellis new article PART/SLUG --title "…"`: an article with its full
//! front matter and an empty quiz beside it.
//!
//! `PART` names a part folder under `content/`, with or without its number
//! prefix (`foundations` finds `01-foundations`); nested parts are written
//! `PART/SUB/SLUG`, and a plain `SLUG` puts the article in `content/`. A part
//! that does not exist is created, with an `_index.md` giving its title. The
//! article's `reviewed` is left empty and its summary is a placeholder, so
//! that `check` reminds the author of both; the quiz has `questions: []`,
//! which the build accepts and gives no page until a question is added.

use std::fs;
use std::path::{Path, PathBuf};

use super::{write_new, Refusal};
use crate::content::discover::RESERVED_SLUGS;
use crate::slug::{slugify, split_number_prefix};

const ARTICLE: &str = include_str!("templates/article.md");
const QUIZ: &str = include_str!("templates/article.quiz.yaml");
const PART_INDEX: &str = include_str!("templates/part_index.md");

/// What `new article` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArticle {
    /// The article.
    pub article: PathBuf,
    /// Its empty quiz.
    pub quiz: PathBuf,
    /// The `_index.md` of each part folder it created, outermost first.
    pub new_parts: Vec<PathBuf>,
}

/// Writes `content/PART/SLUG.md` and `SLUG.quiz.yaml` under `root`, where
/// `path` is `PART/SLUG` (see the module documentation). Refuses to
/// overwrite either file, or to add an article whose slug another article
/// in the part already has.
pub fn new_article(root: &Path, path: &str, title: &str) -> Result<NewArticle, Refusal> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Refusal::new("the title is empty")
            .help("give one with --title, e.g. `--title \"Coping with stress\"`"));
    }
    let trimmed = path.trim().trim_matches('/');
    let trimmed = trimmed.strip_suffix(".md").unwrap_or(trimmed);
    let segments: Vec<&str> = trimmed.split('/').filter(|s| !s.is_empty()).collect();
    let Some((slug, parts)) = segments.split_last() else {
        return Err(Refusal::new("no article named: give PART/SLUG")
            .help("for example `trellis new article foundations/coping-with-stress --title \"Coping with stress\"`"));
    };

    let content = root.join("content");
    let mut dir = content.clone();
    let mut new_dirs = Vec::new();
    for (depth, segment) in parts.iter().enumerate() {
        check_slug(segment, "part")?;
        let found = if new_dirs.is_empty() {
            find_part(&dir, segment)?
        } else {
            None
        };
        let bare = split_number_prefix(segment).1;
        dir = match found {
            Some(existing) => existing,
            None => {
                new_dirs.push(dir.join(segment));
                dir.join(segment)
            }
        };
        let name = dir.file_name().map(|n| n.to_string_lossy().to_string());
        let part_slug = name.as_deref().map_or(bare, |n| split_number_prefix(n).1);
        if depth == 0 && RESERVED_SLUGS.contains(&part_slug) {
            return Err(Refusal::new(format!(
                "`{part_slug}` cannot be a part: Trellis's own `{part_slug}/` pages use that address"
            ))
            .help("choose another name for the part"));
        }
    }
    check_slug(slug, "article")?;
    let article = dir.join(format!("{slug}.md"));
    let quiz = dir.join(format!("{slug}.quiz.yaml"));
    for file in [&article, &quiz, &dir.join(format!("{slug}.quiz.yml"))] {
        if file.exists() {
            return Err(Refusal::new(format!(
                "{} already exists; Trellis will not overwrite it",
                file.display()
            ))
            .help("choose another SLUG, or edit the existing file"));
        }
    }
    if let Some(other) = same_slug(&dir, slug) {
        return Err(Refusal::new(format!(
            "{} already has the slug `{}`: two articles would share one address",
            other.display(),
            split_number_prefix(slug).1
        ))
        .help("choose another SLUG, or edit the existing article"));
    }

    let mut new_parts = Vec::new();
    for part in &new_dirs {
        let name = part.file_name().map(|n| n.to_string_lossy().to_string());
        let bare = name.as_deref().map_or("", |n| split_number_prefix(n).1);
        let index = part.join("_index.md");
        write_new(
            &index,
            &PART_INDEX.replace("{{title}}", &yaml_string(&title_of(bare))),
        )?;
        new_parts.push(index);
    }
    write_new(&article, &ARTICLE.replace("{{title}}", &yaml_string(title)))?;
    write_new(&quiz, &QUIZ.replace("{{article}}", &format!("{slug}.md")))?;
    Ok(NewArticle {
        article,
        quiz,
        new_parts,
    })
}

/// A slug as Trellis makes them (lower-case letters, digits, hyphens), after
/// an optional number prefix.
fn check_slug(segment: &str, what: &str) -> Result<(), Refusal> {
    let bare = split_number_prefix(segment).1;
    if !bare.is_empty() && slugify(bare) == bare {
        return Ok(());
    }
    let suggestion = slugify(segment);
    let example = if suggestion.is_empty() {
        "coping-with-stress".to_string()
    } else {
        suggestion
    };
    Err(
        Refusal::new(format!("`{segment}` is not a valid {what} name")).help(format!(
            "use lower-case letters, digits and hyphens, e.g. `{example}`"
        )),
    )
}

/// The part folder in `dir` named `segment`, or whose name without its
/// number prefix is `segment`'s.
fn find_part(dir: &Path, segment: &str) -> Result<Option<PathBuf>, Refusal> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(None);
    };
    let bare = split_number_prefix(segment).1;
    let mut matches = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || !entry.path().is_dir() {
            continue;
        }
        if name == segment {
            return Ok(Some(entry.path()));
        }
        if split_number_prefix(&name).1 == bare {
            matches.push(entry.path());
        }
    }
    matches.sort();
    match matches.len() {
        0 => Ok(None),
        1 => Ok(matches.pop()),
        _ => Err(Refusal::new(format!(
            "`{segment}` could be any of {}",
            matches
                .iter()
                .map(|m| m.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .help("give the folder's full name, with its number")),
    }
}

/// Another article in `dir` whose slug is `slug`'s (number prefixes aside).
fn same_slug(dir: &Path, slug: &str) -> Option<PathBuf> {
    let bare = split_number_prefix(slug).1;
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let Some(stem) = p.file_name().and_then(|n| n.to_str()?.strip_suffix(".md")) else {
                return false;
            };
            stem != "_index" && split_number_prefix(stem).1 == bare
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// "coping-with-stress" -> "Coping with stress".
fn title_of(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Part".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::{self, ArticleMeta};

    #[test]
    fn the_article_template_has_full_front_matter_with_reviewed_empty() {
        let text = ARTICLE.replace("{{title}}", &yaml_string("Stress: \"what\" it is"));
        let split = frontmatter::split(&text, Path::new("a.md")).unwrap();
        let meta: ArticleMeta = frontmatter::parse(&split, Path::new("a.md")).unwrap();
        assert_eq!(meta.title, "Stress: \"what\" it is");
        assert_eq!(meta.reviewed, None);
        assert_eq!(meta.reviewer, None);
        assert!(meta.summary.unwrap().starts_with("TODO"));
        assert!(!meta.draft);
    }

    #[test]
    fn the_quiz_template_is_an_empty_quiz() {
        let text = QUIZ.replace("{{article}}", "a.md");
        let quiz = crate::quiz::parse(&text, Path::new("a.quiz.yaml")).unwrap();
        assert!(quiz.questions.is_empty());
    }

    #[test]
    fn names() {
        assert_eq!(title_of("coping-with-stress"), "Coping with stress");
        assert!(check_slug("01-foundations", "part").is_ok());
        let refusal = check_slug("Coping With Stress", "article").unwrap_err();
        assert_eq!(
            refusal.help.as_deref(),
            Some("use lower-case letters, digits and hyphens, e.g. `coping-with-stress`")
        );
    }
}
