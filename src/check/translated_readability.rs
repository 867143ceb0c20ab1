//! `check` on translated articles (`x.es.md` beside `x.md`): the prose of
//! each scored with its language's formula against that language's
//! targets ([`super::formula`]), warnings at the translation's file, and a
//! row of the report per translation.

use super::prose;
use super::report::{ArticleReport, Finding};
use super::rules::{grade_limit, readability, review_due};
use crate::content::Handbook;

/// The report rows and `readability` findings of every translated article,
/// by language, each language's in reading order.
pub fn articles(hb: &Handbook) -> (Vec<ArticleReport>, Vec<Finding>) {
    let mut rows = Vec::new();
    let mut findings = Vec::new();
    for (language, translation) in &hb.translations {
        for (&a, page) in &translation.articles {
            let Some(source) = hb.articles.get(a) else {
                continue;
            };
            let meta = &page.meta;
            let scan = prose::scan(&page.body);
            let measured = readability(hb, language, &meta.tags, &scan.paragraphs);
            let limit = grade_limit(&measured, &meta.tags);
            findings.extend(
                measured
                    .warnings(&page.file, &limit)
                    .into_iter()
                    .map(Finding::new),
            );
            let review_due = review_due(meta, hb.config.review.interval_months);
            let url = format!("{language}/{}", source.url);
            rows.push(ArticleReport {
                quiz: source
                    .quiz_file
                    .as_ref()
                    .and_then(|q| translation.quizzes.get(q))
                    .cloned(),
                ..ArticleReport::of(&page.file, meta, url, measured, review_due)
            });
        }
    }
    (rows, findings)
}
