//! What `check` says of translations: a translated page whose source has
//! changed since it was translated (`translation-outdated`), judged by the
//! digest of the source the page records (`translation: { source_digest }`),
//! and the digest to record.

use std::path::Path;

use super::report::Finding;
use crate::content::translations::{article_digest, intro_digest, TranslatedPage};
use crate::content::Handbook;
use crate::diagnostic::Code;
use crate::frontmatter::TranslationRecord;

/// A note for each article not yet translated into a language of
/// `languages:` (readers of that language see it in the default one).
pub fn missing(hb: &Handbook) -> Vec<Finding> {
    let mut findings = Vec::new();
    for language in hb.config.languages.keys() {
        let translated = hb.translations.get(language);
        for (a, article) in hb.articles.iter().enumerate() {
            if translated.is_some_and(|t| t.articles.contains_key(&a)) {
                continue;
            }
            let message = format!("not yet translated into `{language}`");
            let note = Code::TranslationMissing.warning(&article.source, 1, 1, message);
            findings.push(Finding::new(note.with_help(format!(
                "readers of `{language}` see it in `{}` under a notice; translate it as `{}`",
                hb.config.language,
                translated_name(&article.source, language)
            ))));
        }
    }
    findings
}

/// `01-why.md` → `01-why.es.md`.
fn translated_name(source: &Path, language: &str) -> String {
    let stem = source
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    format!("{stem}.{language}.md")
}

/// The findings for every translated article and part intro.
pub fn check(hb: &Handbook) -> Vec<Finding> {
    let mut findings = missing(hb);
    for translation in hb.translations.values() {
        for (&a, page) in &translation.articles {
            let source = &hb.articles[a];
            let digest = article_digest(source);
            let record = page.meta.translation.as_ref();
            findings.extend(outdated(page, record, &source.source, &digest));
        }
        for (&p, page) in &translation.intros {
            let part = &hb.parts[p];
            let Some(file) = &part.index_file else {
                continue;
            };
            let digest = intro_digest(part);
            let record = page.meta.translation.as_ref();
            findings.extend(outdated(page, record, file, &digest));
        }
    }
    findings
}

fn outdated<M>(
    page: &TranslatedPage<M>,
    record: Option<&TranslationRecord>,
    source: &Path,
    digest: &str,
) -> Option<Finding> {
    let name = |p: &Path| {
        p.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    };
    let (line, message) = match record {
        Some(r) if r.source_digest == digest => return None,
        Some(r) => (
            digest_line(&page.file),
            format!(
                "`{}` has changed since this translation was made (digest `{}`, now `{digest}`)",
                name(source),
                r.source_digest
            ),
        ),
        None => (
            1,
            format!(
                "this translation records no digest of its source `{}` (now `{digest}`)",
                name(source)
            ),
        ),
    };
    let help = format!(
        "once it says what `{}` says, record `translation: {{ source_digest: \"{digest}\" }}` in its front matter",
        name(source)
    );
    let d = Code::TranslationOutdated
        .warning(&page.file, line, 1, message)
        .with_help(help);
    Some(Finding::new(d))
}

/// The line of `source_digest:` in a translation's front matter (1 when
/// it cannot be read again).
fn digest_line(file: &Path) -> usize {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    text.lines()
        .position(|l| l.contains("source_digest"))
        .map_or(1, |i| i + 1)
}
