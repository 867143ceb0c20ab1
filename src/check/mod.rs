//! `trellis check`: everything the build validates, plus what an editor
//! looks for before publishing.
//!
//! [`run`] loads the handbook with the pipeline's load stages
//! ([`pipeline::load::load`]: broken links, unknown
//! glossary terms, malformed quizzes, unknown citation keys, and the
//! glossary's unused-term warnings), then looks at every article itself
//! ([`rules`]): readability of its prose ([`readability`], [`prose`]),
//! review dates, images without alt text, raw `<script>`, a missing or empty
//! quiz, a summary left as the `trellis new` placeholder; translated
//! articles' readability in their language ([`translated_readability`]); and at the
//! handbook: crisis signposting in `handbook.yaml`. Links to other sites are
//! listed, never fetched. [`report`] prints it all as text or as the JSON
//! documented in docs/check.md.
//!
//! When the build's own checks fail, the content that could be read is still
//! checked, so one run shows everything.

pub mod chance;
pub mod formula;
pub mod items;
pub mod prose;
pub mod quiz_figures;
pub mod readability;
pub mod report;
pub mod rules;
pub mod spanish;
pub mod theme_strings;
pub mod translated_readability;
pub mod translations;

use std::path::PathBuf;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::CONFIG_FILE;
use crate::diagnostic::Code;
use crate::pipeline::{self, load::Loaded};
use crate::site::LoadOptions;
use items::QuizFile;
use quiz_figures::QuizFigures;

pub use report::{ArticleReport, ExternalLink, Finding, Report};

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The handbook root.
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// The date reviews are measured against (today, outside tests).
    pub today: NaiveDate,
}

/// The check that reports what the build itself reports (errors and warnings).
pub const BUILD: &str = "build";

/// Checks the handbook at `options.root`.
pub fn run(options: &CheckOptions) -> Report {
    let load = LoadOptions {
        root: options.root.clone(),
        drafts: options.drafts,
        ..Default::default()
    };
    let mut findings = Vec::new();
    let build = Finding::new;
    let mut quizzes = Vec::new();
    let (handbook, quiz_sizes) = match pipeline::load::load(&load) {
        Loaded::Site(site) => {
            findings.extend(site.warnings.0.iter().cloned().map(build));
            // The pages in each further language, as the build makes them.
            if let Err(problems) = pipeline::load::languages(&load, &site) {
                findings.extend(problems.0.into_iter().map(build));
            }
            // With `epub: true` the build also makes the e-book, whose images
            // need alt text and a format reading systems show.
            if site.handbook.config.epub {
                if let Err(errors) = crate::epub::media::collect(&site) {
                    findings.extend(errors.into_iter().map(build));
                }
            }
            let sizes = rules::quiz_sizes(&site);
            let files: Vec<QuizFile<'_>> = site
                .quizzes
                .iter()
                .map(|q| QuizFile {
                    file: &q.file,
                    quiz: &q.quiz,
                })
                .collect();
            findings.extend(items::check(&files, &options.root.join(CONFIG_FILE)));
            findings.extend(rules::unknown_allowed(&files));
            quizzes = site
                .quizzes
                .iter()
                .map(|q| QuizFigures::of(q.file.clone(), &q.title, &q.quiz))
                .collect();
            (Some(site.handbook), Some(sizes))
        }
        // What the stages could read is checked still.
        Loaded::Failed { handbook, problems } => {
            findings.extend(problems.0.into_iter().map(build));
            (handbook.map(|hb| *hb), None)
        }
    };
    let Some(hb) = handbook else {
        return Report::new(options.root.clone(), None, findings, Vec::new(), Vec::new());
    };

    findings.extend(rules::handbook(&hb));
    findings.extend(theme_strings::check(&hb));
    findings.extend(translations::check(&hb));
    findings.extend(rules::unknown_allowed_in_handbook(&hb));
    if let Some(sizes) = &quiz_sizes {
        findings.extend(rules::empty_standalone_quizzes(&hb, sizes));
    }
    let checked: Vec<rules::Checked> = (0..hb.articles.len())
        .into_par_iter()
        .map(|a| rules::article(&hb, a, quiz_sizes.as_ref(), options.today))
        .collect();
    let intros: Vec<rules::Checked> = hb
        .parts
        .par_iter()
        .filter_map(|p| {
            let file = p.index_file.as_ref()?;
            Some(rules::intro(file, &p.intro, p.intro_line_offset))
        })
        .collect();
    let mut articles = Vec::new();
    let mut links = Vec::new();
    for c in checked.into_iter().chain(intros) {
        findings.extend(c.findings);
        links.extend(c.external_links);
        articles.extend(c.article);
    }
    // Translated articles after the default language's, each scored in its
    // language.
    let (translated, translated_findings) = translated_readability::articles(&hb);
    articles.extend(translated);
    findings.extend(translated_findings);
    // The handbook's `check: { allow: [...] }` silences warnings (never errors).
    let allowed = &hb.config.check.allow;
    findings.retain(|f| {
        f.diagnostic.is_error()
            || !allowed
                .iter()
                .any(|a| Code::from_name(a) == Some(f.diagnostic.code))
    });
    let mut report = Report::new(
        options.root.clone(),
        Some(&hb.config),
        findings,
        articles,
        links,
    );
    report.quizzes = quizzes;
    report
}
