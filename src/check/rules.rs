//! The checks `check` adds to the build's own: per article, per part intro
//! and for the handbook as a whole. Each returns findings tagged with the
//! name of the check (the `check` field of the JSON report).

use crate::content::quiz_stem;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{Months, NaiveDate};

use super::formula::{number, Measured};
use super::items::QuizFile;
use super::prose::{self, Scan};
use super::report::{ArticleReport, ExternalLink, Finding};
use crate::config::CONFIG_FILE;
use crate::content::Handbook;
use crate::diagnostic::{line_col, Code, Diagnostic};
use crate::frontmatter::ClinicalReview;
use crate::quiz::model::Position;
use crate::site::Site;
use crate::suggest;

/// Articles with this tag may be harder: `check` warns only above
/// `readability.target_grade` + [`STUDENTS_EXTRA_GRADES`].
pub const STUDENTS_TAG: &str = "for-students";
/// How many grades above the target a `for-students` article may be.
pub const STUDENTS_EXTRA_GRADES: f64 = 4.0;
/// A summary starting with this is the placeholder `trellis new` writes.
pub const SUMMARY_PLACEHOLDER: &str = "TODO";

/// What checking one markdown file found.
#[derive(Debug, Default)]
pub struct Checked {
    /// Problems.
    pub findings: Vec<Finding>,
    /// Links to other sites.
    pub external_links: Vec<ExternalLink>,
    /// The article's row in the report (`None` for part intros).
    pub article: Option<ArticleReport>,
}

/// The number of questions of every quiz that loaded, by file. Quizzes with
/// no questions are not among the site's quizzes (they get no page), so an
/// article quiz missing here has none.
pub type QuizSizes = HashMap<PathBuf, usize>;

/// The quiz sizes of a loaded site.
pub fn quiz_sizes(site: &Site) -> QuizSizes {
    site.quizzes
        .iter()
        .map(|q| (q.file.clone(), q.quiz.questions.len()))
        .collect()
}

/// Checks article `a`. `quizzes` is `None` when the quizzes could not be
/// loaded (the build failed), so quiz sizes are unknown.
pub fn article(hb: &Handbook, a: usize, quizzes: Option<&QuizSizes>, today: NaiveDate) -> Checked {
    let article = &hb.articles[a];
    let file = &article.source;
    let meta = &article.meta;
    let scan = prose::scan(&article.body);
    let mut checked = markup(file, &article.body, article.body_line_offset, &scan);
    let mut warn = |d: Diagnostic| checked.findings.push(Finding::new(d));

    let measured = readability(hb, &hb.config.language, &meta.tags, &scan.paragraphs);
    for d in measured.warnings(file, &grade_limit(&measured, &meta.tags)) {
        warn(d);
    }

    let interval = hb.config.review.interval_months;
    let review_due = review_due(meta, interval);
    match (meta.reviewed, review_due) {
        (None, _) => warn(
            Code::ReviewMissing.warning(file, 1, 1, "no `reviewed` date: no expert review is recorded")
                .with_help("after an expert review, set `reviewed: YYYY-MM-DD` (and `reviewer:`) in the front matter"),
        ),
        (Some(reviewed), Some(due)) if due < today => warn(
            Code::ReviewOverdue.warning(
                file,
                front_matter_line(file, "reviewed"),
                1,
                format!("last reviewed on {reviewed}, more than {interval} months ago (a review was due on {due})"),
            )
            .with_help("have it reviewed again and update `reviewed:`; the interval is `review.interval_months` in handbook.yaml"),
        ),
        _ => {}
    }

    let clinical = match meta.clinical_review {
        Some(ClinicalReview::Done { .. }) => None,
        Some(ClinicalReview::Pending) => Some((
            front_matter_line(file, "clinical_review"),
            "no clinician has checked this article yet (`clinical_review: pending`)",
        )),
        None => Some((1, "no clinical review is recorded (no `clinical_review`)")),
    };
    if let Some((line, message)) = clinical {
        warn(
            Code::ClinicalReviewPending.warning(file, line, 1, message).with_help(
                "once a qualified clinician has checked it, write `clinical_review: { date: YYYY-MM-DD, reviewer: \"Name, credentials\" }`; pages say plainly that the review is pending until then",
            ),
        );
    }

    if meta
        .summary
        .as_deref()
        .is_some_and(|s| s.trim_start().starts_with(SUMMARY_PLACEHOLDER))
    {
        warn(
            Code::SummaryPlaceholder
                .warning(
                    file,
                    front_matter_line(file, "summary"),
                    1,
                    "the summary is still the placeholder",
                )
                .with_help("write one or two plain sentences for listings and search results"),
        );
    }

    let quiz_questions = match (&article.quiz_file, quizzes) {
        (None, _) => {
            warn(
                Code::QuizMissing
                    .warning(file, 0, 0, "this article has no quiz")
                    .with_help(format!(
                        "add `{}` beside it (see Quizzes in docs/authoring.md)",
                        quiz_name(file)
                    )),
            );
            None
        }
        (Some(quiz), Some(sizes)) => {
            let n = sizes.get(quiz).copied().unwrap_or(0);
            if n == 0 {
                warn(
                    Code::QuizEmpty
                        .warning(
                            quiz,
                            0,
                            0,
                            "this quiz has no questions yet, so it gets no page",
                        )
                        .with_help(
                            "add questions under `questions:` (see Quizzes in docs/authoring.md)",
                        ),
                );
            }
            Some(n)
        }
        (Some(_), None) => None,
    };

    checked.article = Some(ArticleReport {
        quiz: article.quiz_file.clone(),
        quiz_questions,
        ..ArticleReport::of(file, meta, article.url.clone(), measured, review_due)
    });
    checked
}

/// The prose `paragraphs` of an article in `language` with `tags`,
/// measured against that language's targets (`for-students` articles
/// [`STUDENTS_EXTRA_GRADES`] above the grade target).
pub fn readability(
    hb: &Handbook,
    language: &str,
    tags: &[String],
    paragraphs: &[String],
) -> Measured {
    let students = tags.iter().any(|t| t == STUDENTS_TAG);
    let extra = if students { STUDENTS_EXTRA_GRADES } else { 0.0 };
    Measured::of(
        paragraphs,
        language,
        hb.config.readability_targets(language),
        extra,
    )
}

/// When a page reviewed as `meta` says is due for review again.
pub fn review_due(
    meta: &crate::frontmatter::ArticleMeta,
    interval_months: u32,
) -> Option<NaiveDate> {
    meta.reviewed
        .and_then(|d| d.0.checked_add_months(Months::new(interval_months)))
}

/// The grade target as a warning names it: `8`, or for a `for-students`
/// article how it is made.
pub fn grade_limit(measured: &Measured, tags: &[String]) -> String {
    if tags.iter().any(|t| t == STUDENTS_TAG) {
        format!(
            "{} for `{STUDENTS_TAG}` articles (target_grade + {})",
            number(measured.max_grade),
            number(STUDENTS_EXTRA_GRADES)
        )
    } else {
        number(measured.max_grade)
    }
}

/// The line of `key:` in `file`'s front matter, read again from the file (a
/// loaded article keeps its values, not where they were written); the
/// file's first line when it cannot be found there.
fn front_matter_line(file: &Path, key: &str) -> usize {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|text| crate::frontmatter::key_line(&text, key))
        .unwrap_or(1)
}

/// Stand-alone quizzes (not beside an article) with `questions: []`: they
/// are the files discovery found that did not load and sit beside no
/// markdown file (a quiz beside a draft article is left out on purpose).
pub fn empty_standalone_quizzes(hb: &Handbook, quizzes: &QuizSizes) -> Vec<Finding> {
    let owned: Vec<&Path> = hb
        .articles
        .iter()
        .filter_map(|a| a.quiz_file.as_deref())
        .collect();
    hb.quiz_files
        .iter()
        .filter(|f| !owned.contains(&f.as_path()) && !quizzes.contains_key(*f))
        .filter(|f| !f.with_file_name(format!("{}.md", quiz_stem(f))).is_file())
        .map(|f| {
            let d = Code::QuizEmpty
                .warning(
                    f,
                    0,
                    0,
                    "this quiz has no questions yet, so it gets no page",
                )
                .with_help("add questions under `questions:` (see Quizzes in docs/authoring.md)");
            Finding::new(d)
        })
        .collect()
}

/// Checks a part's `_index.md` intro (no readability: it is not an article).
pub fn intro(file: &Path, body: &str, line_offset: usize) -> Checked {
    markup(file, body, line_offset, &prose::scan(body))
}

/// Alt text, scripts and external links of one markdown body.
fn markup(file: &Path, body: &str, line_offset: usize, scan: &Scan) -> Checked {
    let at = |offset: usize| {
        let (line, column) = line_col(body, offset);
        (line + line_offset, column)
    };
    let mut checked = Checked::default();
    for (offset, src) in &scan.images_without_alt {
        let (line, column) = at(*offset);
        let d = Code::AltText
            .warning(file, line, column, format!("image `{src}` has no alt text"))
            .with_help(format!(
                "describe what it shows inside the brackets: `![what it shows]({src})`"
            ));
        checked.findings.push(Finding::new(d));
    }
    for offset in &scan.scripts {
        let (line, column) = at(*offset);
        let d = Code::Script
            .warning(
                file,
                line,
                column,
                "raw `<script>` in markdown: pages carry no inline scripts",
            )
            .with_help("remove it; interactive parts belong in the theme's JavaScript files");
        checked.findings.push(Finding::new(d));
    }
    for (offset, url) in &scan.external_links {
        let (line, column) = at(*offset);
        checked.external_links.push(ExternalLink {
            file: file.to_path_buf(),
            line,
            column,
            url: url.clone(),
        });
    }
    checked
}

/// Checks `handbook.yaml`: crisis signposting.
pub fn handbook(hb: &Handbook) -> Vec<Finding> {
    let file = hb.root.join(CONFIG_FILE);
    let message = match &hb.config.crisis {
        None => "no crisis signposting: `crisis:` is missing",
        Some(c) if c.links.is_empty() => "no crisis signposting: `crisis:` has no `links`",
        Some(c) if c.message.trim().is_empty() => "`crisis:` has an empty `message`",
        Some(_) => return Vec::new(),
    };
    let d = Code::Crisis.warning(&file, 0, 0, message).with_help(
        "add `crisis:` with a `message` and `links` (e.g. 988 in the US, Samaritans 116 123 in the UK and Ireland, findahelpline.com elsewhere); every page shows them",
    );
    vec![Finding::new(d)]
}

/// `01-why.md` -> `01-why.quiz.yaml`.
fn quiz_name(article: &Path) -> String {
    let stem = article
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    format!("{stem}.quiz.yaml")
}

/// A warning for each name in `allow` that is no rule, at `at` in `file`.
fn unknown_rules(file: &Path, at: Position, allow: &[String]) -> Vec<Finding> {
    let known = Code::allowable_names();
    allow
        .iter()
        .filter(|name| !known.contains(&name.as_str()))
        .map(|name| {
            let help = suggest::help_for(name, &known)
                .unwrap_or_else(|| format!("the rules are: {}", known.join(", ")));
            let d = Code::Allow
                .warning(
                    file,
                    at.line,
                    at.column,
                    format!("`allow` names `{name}`, which is no `check` rule"),
                )
                .with_help(help);
            Finding::new(d)
        })
        .collect()
}

/// Unknown rule names in quizzes' and questions' `allow:` lists.
pub fn unknown_allowed(quizzes: &[QuizFile<'_>]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for q in quizzes {
        findings.extend(unknown_rules(q.file, q.quiz.at.allow, &q.quiz.allow));
        for question in &q.quiz.questions {
            findings.extend(unknown_rules(q.file, question.at.allow, &question.allow));
        }
    }
    findings
}

/// Unknown rule names in `handbook.yaml`'s `check: { allow: [...] }`.
pub fn unknown_allowed_in_handbook(hb: &Handbook) -> Vec<Finding> {
    let file = hb.root.join(CONFIG_FILE);
    let line = std::fs::read_to_string(&file)
        .ok()
        .and_then(|text| crate::yaml::key_line(&text, 1, usize::MAX, "allow"))
        .unwrap_or(0);
    let at = Position {
        line,
        column: usize::from(line > 0),
    };
    unknown_rules(&file, at, &hb.config.check.allow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_knows_every_warning_code_and_suggests_the_nearest() {
        let at = Position { line: 3, column: 5 };
        let allow = ["unused-term".to_string(), "readabilty".to_string()];
        let found = unknown_rules(Path::new("q.quiz.yaml"), at, &allow);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].diagnostic;
        assert_eq!((d.code, d.line, d.column), (Code::Allow, 3, 5));
        assert_eq!(found[0].check(), "allow");
        assert_eq!(d.help.as_deref(), Some("did you mean `readability`?"));
    }
}
