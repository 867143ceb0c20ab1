//! What `check` found, and its two renderings: text for people and JSON for
//! CI. The JSON schema is documented in docs/check.md; change it only by
//! adding fields, or raise [`JSON_VERSION`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use super::formula::{number, Formula};
use super::items;
use super::quiz_figures::QuizFigures;
use super::readability::{Counts, Scores};
use super::rules::{STUDENTS_EXTRA_GRADES, STUDENTS_TAG};
use super::spanish;
use crate::config::Config;
use crate::diagnostic::{display_path, Code, Diagnostic, Origin, Severity};
use std::collections::BTreeMap;

/// The version of the JSON report's schema.
pub const JSON_VERSION: u32 = 1;

/// A diagnostic `check` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Where and what; its code names the rule that found it.
    pub diagnostic: Diagnostic,
}

impl Finding {
    /// A finding of `diagnostic`.
    pub fn new(diagnostic: Diagnostic) -> Self {
        Finding { diagnostic }
    }

    /// The JSON report's `check` field: the rule's name for what `check`'s
    /// rules find, `build` for what the build itself reports.
    pub fn check(&self) -> &'static str {
        match self.diagnostic.code.origin() {
            Origin::Rule | Origin::Note => self.diagnostic.code.name(),
            Origin::BuildError | Origin::BuildWarning => super::BUILD,
        }
    }
}

/// One article's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleReport {
    /// The `.md` file.
    pub file: PathBuf,
    /// Its title.
    pub title: String,
    /// Site-relative folder of its page.
    pub url: String,
    /// Its tags.
    pub tags: Vec<String>,
    /// Words, sentences and syllables of its prose.
    pub counts: Counts,
    /// Readability scores (`None` without prose).
    pub scores: Option<Scores>,
    /// The grade above which `check` warns.
    pub max_grade: f64,
    /// The language of its prose.
    pub language: String,
    /// The formula it was scored with (`None`: its language has none).
    pub formula: Option<Formula>,
    /// Szigriszt-Pazos's perspicuity (Spanish prose).
    pub perspicuity: Option<f64>,
    /// The perspicuity below which `check` warns (Spanish prose).
    pub min_score: Option<f64>,
    /// `reviewed` from the front matter.
    pub reviewed: Option<NaiveDate>,
    /// `reviewed` + `review.interval_months`.
    pub review_due: Option<NaiveDate>,
    /// Its quiz file.
    pub quiz: Option<PathBuf>,
    /// Questions in its quiz (`None` without a quiz, or when quizzes could not load).
    pub quiz_questions: Option<usize>,
}

impl ArticleReport {
    /// The row of the page `file` (front matter `meta`, at `url`) whose
    /// prose was `measured`, due for review `review_due`; without a quiz.
    pub fn of(
        file: &Path,
        meta: &crate::frontmatter::ArticleMeta,
        url: String,
        measured: super::formula::Measured,
        review_due: Option<NaiveDate>,
    ) -> ArticleReport {
        ArticleReport {
            file: file.to_path_buf(),
            title: meta.title.clone(),
            url,
            tags: meta.tags.clone(),
            counts: measured.counts,
            scores: measured.scores,
            max_grade: measured.max_grade,
            language: measured.language,
            formula: measured.formula,
            perspicuity: measured.perspicuity,
            min_score: measured.min_score,
            reviewed: meta.reviewed.map(|d| d.0),
            review_due,
            quiz: None,
            quiz_questions: None,
        }
    }
}

/// A link to another site, listed for a person to look at (never fetched).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalLink {
    /// Where it is.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The URL as written.
    pub url: String,
}

/// Everything one `check` run found.
#[derive(Debug, Clone)]
pub struct Report {
    /// The handbook root.
    pub root: PathBuf,
    /// `readability.target_grade` (`None` when handbook.yaml did not load).
    pub target_grade: Option<f64>,
    /// `review.interval_months` (`None` when handbook.yaml did not load).
    pub review_interval_months: Option<u32>,
    /// Errors and warnings, sorted by file and position.
    pub findings: Vec<Finding>,
    /// Articles in reading order.
    pub articles: Vec<ArticleReport>,
    /// Links to other sites, by file and position.
    pub external_links: Vec<ExternalLink>,
    /// Every quiz's figures, article quizzes in reading order, then
    /// stand-alone ones (empty when the quizzes could not be loaded).
    pub quizzes: Vec<QuizFigures>,
}

impl Report {
    /// A report; sorts the findings and links.
    pub fn new(
        root: PathBuf,
        config: Option<&Config>,
        mut findings: Vec<Finding>,
        articles: Vec<ArticleReport>,
        mut external_links: Vec<ExternalLink>,
    ) -> Report {
        findings.sort_by(|a, b| {
            let (a, b) = (&a.diagnostic, &b.diagnostic);
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        findings.dedup();
        external_links.sort();
        Report {
            root,
            target_grade: config.map(|c| c.readability.target_grade),
            review_interval_months: config.map(|c| c.review.interval_months),
            findings,
            articles,
            external_links,
            quizzes: Vec::new(),
        }
    }

    /// The languages of articles that have no readability formula, in the
    /// order of the articles.
    pub fn not_scored(&self) -> Vec<&str> {
        let mut languages = Vec::new();
        for a in self.articles.iter().filter(|a| a.formula.is_none()) {
            if !languages.contains(&a.language.as_str()) {
                languages.push(a.language.as_str());
            }
        }
        languages
    }

    /// How many errors.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.diagnostic.is_error())
            .count()
    }

    /// How many warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// How many notes (pages not yet translated).
    pub fn notes(&self) -> usize {
        self.count(Severity::Note)
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.diagnostic.severity == severity)
            .count()
    }

    /// The report for people: diagnostics, the readability table, external
    /// links and a summary line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let _ = writeln!(out, "{}", f.diagnostic);
        }
        if !self.articles.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            self.readability_table(&mut out);
        }
        if !self.quizzes.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            self.quiz_table(&mut out);
        }
        if !self.external_links.is_empty() {
            let _ = writeln!(out, "\nExternal links (listed, not fetched):");
            for l in &self.external_links {
                let _ = writeln!(
                    out,
                    "  {}:{}:{}  {}",
                    l.file.display(),
                    l.line,
                    l.column,
                    l.url
                );
            }
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "Checked {}: {}, {}, {} listed.",
            plural(self.articles.len(), "article"),
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning"),
            plural(self.external_links.len(), "external link"),
        );
        if self.notes() > 0 {
            let _ = writeln!(out, "{}.", plural(self.notes(), "note"));
        }
        out
    }

    /// One table per language, in the order of the articles (the default
    /// language first), each with its formula's figures; a line for each
    /// language with no formula.
    fn readability_table(&self, out: &mut String) {
        let mut languages: Vec<&str> = Vec::new();
        for a in &self.articles {
            if !languages.contains(&a.language.as_str()) {
                languages.push(&a.language);
            }
        }
        let several = languages.len() > 1;
        for (i, language) in languages.into_iter().enumerate() {
            let rows: Vec<&ArticleReport> = self
                .articles
                .iter()
                .filter(|a| a.language == language)
                .collect();
            if i > 0 {
                out.push('\n');
            }
            match rows[0].formula {
                Some(Formula::FleschKincaid) => {
                    let target = if i == 0 {
                        self.target_grade
                    } else {
                        grade_target(&rows)
                    };
                    let within = if several {
                        format!(" in {language}")
                    } else {
                        String::new()
                    };
                    self.grade_table(out, &rows, target, &within);
                }
                Some(Formula::SzigrisztPazos) => score_table(out, &rows, language),
                None => {
                    let _ = writeln!(
                        out,
                        "Articles in {language} are not scored: Trellis has no readability formula for the language ({}).",
                        plural(rows.len(), "article")
                    );
                }
            }
        }
    }

    fn grade_table(
        &self,
        out: &mut String,
        rows: &[&ArticleReport],
        target: Option<f64>,
        within: &str,
    ) {
        if let Some(target) = target {
            let _ = writeln!(
                out,
                "Readability of article prose{within} (Flesch–Kincaid grade target {}; `for-students` articles {}):",
                target,
                target + STUDENTS_EXTRA_GRADES
            );
        }
        let (names, width) = names(rows);
        let _ = writeln!(
            out,
            "  {:<width$}  {:>6}  {:>8}  {:>12}  {:>5}",
            "article", "words", "FK grade", "reading ease", "SMOG"
        );
        for (a, name) in rows.iter().zip(names) {
            let _ = match a.scores {
                Some(s) => {
                    let grade = round(s.flesch_kincaid_grade, 1);
                    let flag = if grade > a.max_grade {
                        "  above target"
                    } else {
                        ""
                    };
                    writeln!(
                        out,
                        "  {name:<width$}  {:>6}  {grade:>8.1}  {:>12.1}  {:>5.1}{flag}",
                        a.counts.words, s.flesch_reading_ease, s.smog
                    )
                }
                None => writeln!(
                    out,
                    "  {name:<width$}  {:>6}  {:>8}  {:>12}  {:>5}",
                    a.counts.words, "-", "-", "-"
                ),
            };
        }
    }

    fn quiz_table(&self, out: &mut String) {
        let total = QuizFigures::total(&self.quizzes);
        let rows: Vec<(String, &QuizFigures)> = self
            .quizzes
            .iter()
            .map(|q| {
                let name = q
                    .file
                    .as_deref()
                    .map_or(String::new(), |f| f.display().to_string());
                (name, q)
            })
            .chain([(total.title.clone(), &total)])
            .collect();
        let width = rows
            .iter()
            .map(|(n, _)| n.chars().count())
            .max()
            .unwrap_or(0)
            .max("quiz".len());
        let positions = total.key_positions.len().max(1);
        let heading: Vec<String> = (0..positions)
            .map(|p| items::letter(p).to_string())
            .collect();
        let keys_width = heading.join("/").len().max("keys".len());
        let _ = writeln!(
            out,
            "Quizzes (keys of single-choice questions by the position readers see, A first; questions whose longest choice is the key):"
        );
        let _ = writeln!(
            out,
            "  {:<width$}  {:>9}  {:>8}  {:<keys_width$}  {:>11}  types",
            "quiz",
            "questions",
            "scenario",
            heading.join("/"),
            "key longest"
        );
        for (name, q) in rows {
            let keys: Vec<String> = (0..positions)
                .map(|p| q.key_positions.get(p).copied().unwrap_or(0).to_string())
                .collect();
            let longest = format!("{} of {}", q.key_longest, q.choice_questions);
            let types: Vec<String> = q
                .type_mix()
                .iter()
                .map(|(t, n)| format!("{t} {n}"))
                .collect();
            let _ = writeln!(
                out,
                "  {name:<width$}  {:>9}  {:>8}  {:<keys_width$}  {longest:>11}  {}",
                q.questions,
                q.scenario,
                keys.join("/"),
                types.join(", ")
            );
        }
    }

    /// The report as JSON (see docs/check.md), ending with a newline. Paths
    /// are relative to the handbook root, with `/` separators.
    pub fn to_json(&self) -> String {
        let path = |p: &Path| json_path(&self.root, p);
        let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        let report = JsonReport {
            version: JSON_VERSION,
            ok: self.errors() == 0,
            summary: JsonSummary {
                articles: self.articles.len(),
                errors: self.errors(),
                warnings: self.warnings(),
                notes: self.notes(),
                external_links: self.external_links.len(),
            },
            target_grade: self.target_grade,
            review_interval_months: self.review_interval_months,
            diagnostics: self
                .findings
                .iter()
                .map(|f| JsonDiagnostic {
                    severity: f.diagnostic.severity,
                    check: f.check(),
                    code: f.diagnostic.code,
                    file: path(&f.diagnostic.file),
                    line: f.diagnostic.line,
                    column: f.diagnostic.column,
                    message: &f.diagnostic.message,
                    help: f.diagnostic.help.as_deref(),
                })
                .collect(),
            articles: self
                .articles
                .iter()
                .map(|a| JsonArticle {
                    file: path(&a.file),
                    title: &a.title,
                    url: &a.url,
                    tags: &a.tags,
                    words: a.counts.words,
                    sentences: a.counts.sentences,
                    syllables: a.counts.syllables,
                    polysyllables: a.counts.polysyllables,
                    flesch_kincaid_grade: a.scores.map(|s| round(s.flesch_kincaid_grade, 2)),
                    flesch_reading_ease: a.scores.map(|s| round(s.flesch_reading_ease, 2)),
                    smog: a.scores.map(|s| round(s.smog, 2)),
                    max_grade: a.max_grade,
                    language: &a.language,
                    formula: a.formula,
                    perspicuity: a.perspicuity.map(|p| round(p, 2)),
                    inflesz: a.perspicuity.map(|p| spanish::inflesz(round(p, 1))),
                    min_score: a.min_score,
                    reviewed: date(a.reviewed),
                    review_due: date(a.review_due),
                    quiz: a.quiz.as_deref().map(path),
                    quiz_questions: a.quiz_questions,
                })
                .collect(),
            external_links: self
                .external_links
                .iter()
                .map(|l| JsonLink {
                    file: path(&l.file),
                    line: l.line,
                    column: l.column,
                    url: &l.url,
                })
                .collect(),
            quizzes: self
                .quizzes
                .iter()
                .map(|q| JsonQuiz::of(q, &path))
                .collect(),
            quiz_totals: (!self.quizzes.is_empty())
                .then(|| JsonQuiz::of(&QuizFigures::total(&self.quizzes), &path)),
            not_scored: self.not_scored(),
        };
        let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The grade target of a language's articles: that of one not tagged
/// `for-students`, else one's less the extra grades such articles get.
fn grade_target(rows: &[&ArticleReport]) -> Option<f64> {
    let students = |a: &&&ArticleReport| a.tags.iter().any(|t| t == STUDENTS_TAG);
    match rows.iter().find(|a| !students(a)) {
        Some(a) => Some(a.max_grade),
        None => rows.first().map(|a| a.max_grade - STUDENTS_EXTRA_GRADES),
    }
}

/// The files of `rows` as shown, and the width of the column they make.
fn names(rows: &[&ArticleReport]) -> (Vec<String>, usize) {
    let names: Vec<String> = rows.iter().map(|a| a.file.display().to_string()).collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .max("article".len());
    (names, width)
}

/// The table of a language scored with Szigriszt-Pazos's perspicuity.
fn score_table(out: &mut String, rows: &[&ArticleReport], language: &str) {
    if let Some(min) = rows.iter().find_map(|a| a.min_score) {
        let _ = writeln!(
            out,
            "Readability of article prose in {language} (Szigriszt-Pazos perspicuity on the INFLESZ scale; target at least {}):",
            number(min)
        );
    }
    let (names, width) = names(rows);
    let _ = writeln!(
        out,
        "  {:<width$}  {:>6}  {:>11}  INFLESZ",
        "article", "words", "perspicuity"
    );
    for (a, name) in rows.iter().zip(names) {
        let _ = match a.perspicuity.map(|p| round(p, 1)) {
            Some(p) => {
                let below = a.min_score.is_some_and(|min| p < min);
                let flag = if below { "  below target" } else { "" };
                writeln!(
                    out,
                    "  {name:<width$}  {:>6}  {p:>11.1}  {}{flag}",
                    a.counts.words,
                    spanish::inflesz(p)
                )
            }
            None => writeln!(
                out,
                "  {name:<width$}  {:>6}  {:>11}  -",
                a.counts.words, "-"
            ),
        };
    }
}

/// `x` rounded to `places` decimals.
pub fn round(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn json_path(root: &Path, path: &Path) -> String {
    display_path(root, path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    ok: bool,
    summary: JsonSummary,
    target_grade: Option<f64>,
    review_interval_months: Option<u32>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    articles: Vec<JsonArticle<'a>>,
    external_links: Vec<JsonLink<'a>>,
    quizzes: Vec<JsonQuiz>,
    quiz_totals: Option<JsonQuiz>,
    not_scored: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonQuiz {
    file: Option<String>,
    title: String,
    questions: usize,
    scenario_questions: usize,
    types: BTreeMap<&'static str, usize>,
    single_questions: usize,
    key_positions: Vec<usize>,
    key_position_shares: Vec<f64>,
    choice_questions: usize,
    key_longest: usize,
}

impl JsonQuiz {
    fn of(q: &QuizFigures, path: &impl Fn(&Path) -> String) -> JsonQuiz {
        JsonQuiz {
            file: q.file.as_deref().map(path),
            title: q.title.clone(),
            questions: q.questions,
            scenario_questions: q.scenario,
            types: q.type_mix().into_iter().collect(),
            single_questions: q.single_questions(),
            key_positions: q.key_positions.clone(),
            key_position_shares: q
                .key_position_shares()
                .into_iter()
                .map(|s| round(s, 3))
                .collect(),
            choice_questions: q.choice_questions,
            key_longest: q.key_longest,
        }
    }
}

#[derive(Serialize)]
struct JsonSummary {
    articles: usize,
    errors: usize,
    warnings: usize,
    /// Notes (pages not yet translated), counted apart from warnings.
    #[serde(skip_serializing_if = "is_zero")]
    notes: usize,
    external_links: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    check: &'a str,
    code: Code,
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonArticle<'a> {
    file: String,
    title: &'a str,
    url: &'a str,
    tags: &'a [String],
    words: usize,
    sentences: usize,
    syllables: usize,
    polysyllables: usize,
    flesch_kincaid_grade: Option<f64>,
    flesch_reading_ease: Option<f64>,
    smog: Option<f64>,
    max_grade: f64,
    language: &'a str,
    formula: Option<Formula>,
    perspicuity: Option<f64>,
    inflesz: Option<&'static str>,
    min_score: Option<f64>,
    reviewed: Option<String>,
    review_due: Option<String>,
    quiz: Option<String>,
    quiz_questions: Option<usize>,
}

#[derive(Serialize)]
struct JsonLink<'a> {
    file: String,
    line: usize,
    column: usize,
    url: &'a str,
}
