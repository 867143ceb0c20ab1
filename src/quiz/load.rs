//! The quizzes of a handbook: every `*.quiz.yaml` found by discovery, read,
//! checked, given its page URL and title, with its `review:` links resolved
//! like markdown links (a broken one is an error at `file:line`).
//!
//! A quiz beside an article with the same stem belongs to that article and
//! lives at `<article>/quiz/`; any other quiz stands alone at
//! `quizzes/<slug>/`, the slug coming from its file name. A quiz beside an
//! article that is left out (a draft) or failed to load is skipped, and so
//! is a quiz with `questions: []`, still being written (`check` warns).
//!
//! Files are read, parsed and their review links resolved in parallel; what
//! depends on other quizzes (stand-alone quizzes' slugs) and the order of
//! the errors are decided afterwards, in file order, as if one at a time.

use crate::content::quiz_stem;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::model::Quiz;
use super::parse;
use crate::content::Handbook;
use crate::diagnostic::{Code, Diagnostic};
use crate::links::{LinkError, LinkIndex, PendingAnchor, Target};
use crate::read_ahead::ReadAhead;
use crate::slug::{slugify, split_number_prefix};
use crate::text_file;

/// Site-relative folder of the list of quizzes.
pub const QUIZZES_URL: &str = "quizzes/";
/// Site-relative folder of the practice exam.
pub const PRACTICE_URL: &str = "quizzes/practice/";

/// A quiz as the site shows it.
#[derive(Debug, Clone)]
pub struct SiteQuiz {
    /// The `*.quiz.yaml` file.
    pub file: PathBuf,
    /// The quiz.
    pub quiz: Quiz,
    /// The article it belongs to (index into `Handbook::articles`).
    pub article: Option<usize>,
    /// The title shown: the quiz's own, else built from the article's title
    /// or the file name.
    pub title: String,
    /// Site-relative folder of its page.
    pub url: String,
    /// The browser storage key for its scores (unique per handbook and quiz).
    pub key: String,
    /// Each question's `review:` link, resolved (`None` when it has none).
    pub reviews: Vec<Option<Target>>,
    /// The review links' `#fragment`s, to check once every page's headings
    /// are known ([`LinkIndex::anchor_errors`]).
    pub review_anchors: Vec<PendingAnchor>,
}

impl SiteQuiz {
    /// Each question's review link written relative to the page at `from_page`.
    pub fn review_hrefs(&self, from_page: &str) -> Vec<Option<String>> {
        self.reviews
            .iter()
            .map(|r| r.as_ref().map(|t| t.href(from_page)))
            .collect()
    }
}

/// Reads and checks every quiz of `hb`; `links` resolves review links.
/// Returns the quizzes that loaded (article quizzes in reading order, then
/// stand-alone ones by file name) and every problem found.
pub fn load(
    hb: &Handbook,
    links: &LinkIndex,
    default_title: &str,
    read_ahead: &ReadAhead,
) -> (Vec<SiteQuiz>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut quizzes = Vec::new();
    let base = hb.config.base_url_with_slash();
    let owner: HashMap<&Path, usize> = hb
        .articles
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.quiz_file.as_deref().map(|f| (f, i)))
        .collect();

    let mut article_quizzes: Vec<(usize, &PathBuf)> = Vec::new();
    let mut standalone: Vec<&PathBuf> = Vec::new();
    for file in &hb.quiz_files {
        match owner.get(file.as_path()) {
            Some(&a) => article_quizzes.push((a, file)),
            None if beside_markdown(file) => {} // its article is a draft or broken
            None => standalone.push(file),
        }
    }
    article_quizzes.sort_by_key(|(a, _)| *a);
    standalone.sort();

    // Each file's errors: reading it, then its review links.
    let loaded: Vec<(Option<SiteQuiz>, Vec<Diagnostic>)> = crate::waiting_on_disk(|| {
        article_quizzes
            .par_iter()
            .with_max_len(crate::PAR_LEAF)
            .map(|&(a, file)| {
                let mut errors = Vec::new();
                let Some((quiz, text)) = read(file, read_ahead, &mut errors) else {
                    return (None, errors);
                };
                let article = &hb.articles[a];
                let title = quiz.display_title(Some(&article.meta.title), "Quiz", default_title);
                let url = format!("{}quiz/", article.url);
                let (reviews, review_anchors) =
                    resolve_reviews(&quiz, &text, file, &article.source, links, &mut errors);
                let quiz = SiteQuiz {
                    file: file.clone(),
                    key: format!("{base}{url}"),
                    quiz,
                    article: Some(a),
                    title,
                    url,
                    reviews,
                    review_anchors,
                };
                (Some(quiz), errors)
            })
            .collect()
    });
    for (quiz, mut found) in loaded {
        errors.append(&mut found);
        quizzes.extend(quiz);
    }

    // Review links are resolved for every stand-alone quiz that reads, but
    // their errors count only for one that also gets a slug of its own.
    type Standalone = (Option<(Quiz, Reviews)>, Vec<Diagnostic>, Vec<Diagnostic>);
    let loaded: Vec<Standalone> = standalone
        .par_iter()
        .map(|file| {
            let mut read_errors = Vec::new();
            let Some((quiz, text)) = read(file, read_ahead, &mut read_errors) else {
                return (None, read_errors, Vec::new());
            };
            let mut review_errors = Vec::new();
            let reviews = resolve_reviews(&quiz, &text, file, file, links, &mut review_errors);
            (Some((quiz, reviews)), read_errors, review_errors)
        })
        .collect();
    let mut taken: HashMap<String, PathBuf> = HashMap::new();
    for (file, (loaded, mut read_errors, mut review_errors)) in standalone.into_iter().zip(loaded) {
        errors.append(&mut read_errors);
        let Some((quiz, (reviews, review_anchors))) = loaded else {
            continue;
        };
        let stem = quiz_stem(file);
        let (_, unnumbered) = split_number_prefix(&stem);
        let mut slug = slugify(unnumbered);
        if slug.is_empty() {
            slug = "quiz".into();
        }
        if slug == "practice" {
            errors.push(
                Code::ReservedName.error(
                    file,
                    0,
                    0,
                    "a stand-alone quiz cannot be called `practice`: `quizzes/practice/` is the practice exam",
                )
                .with_help("rename the file, e.g. `practice-set.quiz.yaml`"),
            );
            continue;
        }
        if let Some(other) = taken.get(&slug) {
            errors.push(
                Code::DuplicateName.error(
                    file,
                    0,
                    0,
                    format!(
                        "two stand-alone quizzes would both be at `quizzes/{slug}/`; the other is {}",
                        other.display()
                    ),
                )
                .with_help("rename one of the two files"),
            );
            continue;
        }
        taken.insert(slug.clone(), file.clone());
        let title = quiz.display_title(None, &title_from_slug(&slug), default_title);
        let url = format!("{QUIZZES_URL}{slug}/");
        errors.append(&mut review_errors);
        quizzes.push(SiteQuiz {
            file: file.clone(),
            key: format!("{base}{url}"),
            quiz,
            article: None,
            title,
            url,
            reviews,
            review_anchors,
        });
    }
    (quizzes, errors)
}

/// The quiz in `file` and the file's text (for error columns), or `None`
/// when it has errors (pushed to `errors`) or no questions yet.
fn read(
    file: &Path,
    read_ahead: &ReadAhead,
    errors: &mut Vec<Diagnostic>,
) -> Option<(Quiz, String)> {
    let text = match text_file::read_with(read_ahead, file, "the quiz", text_file::SAVE_AS_UTF8) {
        Ok(t) => t,
        Err(d) => {
            errors.push(d);
            return None;
        }
    };
    match parse(&text, file) {
        // `questions: []`: a quiz still being written gets no page yet.
        Ok(quiz) if quiz.questions.is_empty() => None,
        Ok(quiz) => Some((quiz, text)),
        Err(mut found) => {
            errors.append(&mut found);
            None
        }
    }
}

/// Each question's review link resolved, and the checks of their anchors.
type Reviews = (Vec<Option<Target>>, Vec<PendingAnchor>);

/// Resolves each question's `review:` as a link written in the quiz file
/// (which sits beside its article, so relative links read the same); a bare
/// `#anchor` is resolved in `page_source`, the article for an article's quiz.
/// `text` is the quiz file's, for the column of a broken link.
fn resolve_reviews(
    quiz: &Quiz,
    text: &str,
    file: &Path,
    page_source: &Path,
    links: &LinkIndex,
    errors: &mut Vec<Diagnostic>,
) -> Reviews {
    const HELP: &str =
        "point `review:` at an article of this handbook, e.g. `review: article.md#section`";
    let mut anchors = Vec::new();
    let targets = quiz
        .questions
        .iter()
        .map(|q| {
            let link = q.review.as_deref()?;
            let from = if link.starts_with('#') { page_source } else { file };
            match links.resolve_later(from, link) {
                Ok((target, anchor)) => {
                    if let Some(check) = anchor {
                        let column = value_column(text, q.review_line, "review");
                        let at = Code::UnknownAnchor.error(file, q.review_line, column, "`review`: ")
                            .with_help(HELP);
                        anchors.push(check.at(at));
                    }
                    Some(target)
                }
                Err(_) if link.starts_with('#') && page_source == file => {
                    let column = value_column(text, q.review_line, "review");
                    errors.push(
                        Code::BrokenLink.error(
                            file,
                            q.review_line,
                            column,
                            format!("`review: {link}` names no article: a stand-alone quiz has no article of its own"),
                        )
                        .with_help(format!("name the article, e.g. `review: ../part/article.md{link}`")),
                    );
                    None
                }
                Err(error) => {
                    let message = match &error {
                        LinkError::Target(message) => format!("`review` {message}"),
                        LinkError::NotAPage => format!("`review`: {error}"),
                    };
                    let column = value_column(text, q.review_line, "review");
                    errors.push(
                        Code::BrokenLink.error(file, q.review_line, column, message).with_help(HELP),
                    );
                    None
                }
            }
        })
        .collect();
    (targets, anchors)
}

/// The 1-based column of the value after `key:` on `line`.
fn value_column(text: &str, line: usize, key: &str) -> usize {
    let Some(l) = line.checked_sub(1).and_then(|i| text.lines().nth(i)) else {
        return 1;
    };
    let pattern = format!("{key}:");
    match l.find(&pattern) {
        Some(at) => {
            let after = &l[at + pattern.len()..];
            let value_at = at + pattern.len() + (after.len() - after.trim_start().len());
            l[..value_at].chars().count() + 1
        }
        None => 1,
    }
}

/// True when a markdown file with the quiz's stem sits beside it.
fn beside_markdown(file: &Path) -> bool {
    file.with_file_name(format!("{}.md", quiz_stem(file)))
        .is_file()
}

/// "nce-style-practice" -> "Nce style practice".
fn title_from_slug(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Quiz".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_names() {
        assert_eq!(value_column("a: 1\n    review:  x.md\n", 2, "review"), 14);
        assert_eq!(value_column("", 3, "review"), 1);
        assert_eq!(quiz_stem(Path::new("a/01-x.quiz.yaml")), "01-x");
        assert_eq!(title_from_slug("nce-style-practice"), "Nce style practice");
    }
}
