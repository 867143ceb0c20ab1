//! Translations: a page's translation sits beside its source with the
//! language before the extension (`01-why.es.md`, `01-why.es.quiz.yaml`,
//! `_index.es.md`, `content/glossary.es.yaml`). Discovery sets them aside
//! by these names ([`Naming`]), then `attach` gives each to the page it
//! translates, or says why it cannot.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::discover::{MarkdownKind, ParsedMarkdown};
use super::model::{Article, ArticleId, Handbook, Part, PartId};
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::frontmatter::{ArticleMeta, PartMeta};

/// One language's translations of the handbook.
#[derive(Debug, Clone, Default)]
pub struct Translation {
    /// Translated articles, by the article they translate.
    pub articles: BTreeMap<ArticleId, TranslatedPage<ArticleMeta>>,
    /// Translated part intros (`_index.<lang>.md`), by part (0 = home).
    pub intros: BTreeMap<PartId, TranslatedPage<PartMeta>>,
    /// Translated quiz files, by the quiz file they translate.
    pub quizzes: BTreeMap<PathBuf, PathBuf>,
}

/// A translated markdown page.
#[derive(Debug, Clone)]
pub struct TranslatedPage<M> {
    /// Its front matter.
    pub meta: M,
    /// The translation's file.
    pub file: PathBuf,
    /// The markdown after the front matter.
    pub body: String,
    /// Lines before `body` in the file.
    pub body_line_offset: usize,
}

/// How translations are named: which languages the handbook declares.
pub struct Naming<'a> {
    config: &'a Config,
}

/// A file set aside as a translation: the source it names and its language.
#[derive(Debug, Clone)]
pub struct Named {
    /// The translation's file.
    pub file: PathBuf,
    /// The file it translates (which may not exist).
    pub source: PathBuf,
    /// The language tag, as written in the name.
    pub language: String,
}

impl<'a> Naming<'a> {
    /// Naming for the handbook with `config`.
    pub fn new(config: &'a Config) -> Self {
        Naming { config }
    }

    /// `file` (named `name`) as a translation, when its name has a
    /// language before the extension `ext` (`.md`, `.quiz.yaml`, `.yaml`)
    /// that the handbook declares, or that looks like a language and whose
    /// source is there (so `notes.v2.md` stays an article, and `x.fr.md`
    /// beside `x.md` is a translation even before `fr` is declared, which
    /// `attach` then says).
    pub fn translation(&self, file: &Path, name: &str, ext: &str) -> Option<Named> {
        let stem = name.strip_suffix(ext)?;
        let (source_stem, language) = stem.rsplit_once('.')?;
        if source_stem.is_empty() || !crate::config::looks_like_language(language) {
            return None;
        }
        let source = file.with_file_name(format!("{source_stem}{ext}"));
        let declared = self.config.languages.contains_key(language);
        (declared || source.is_file()).then(|| Named {
            file: file.to_path_buf(),
            source,
            language: language.to_string(),
        })
    }
}

/// What discovery set aside, for [`attach`].
#[derive(Default)]
pub(super) struct SetAside {
    /// Translated markdown, read and parsed, with its name.
    pub(super) markdown: Vec<(ParsedMarkdown, Named)>,
    /// Translated quiz files.
    pub(super) quizzes: Vec<Named>,
    /// Translated glossaries.
    pub(super) glossaries: Vec<Named>,
}

/// Gives each translation to the page it translates. A translation into a
/// language the handbook does not declare, or whose source does not exist,
/// is an error; one whose source is a draft left out of this build is left
/// out with it.
pub(super) fn attach(handbook: &mut Handbook, set_aside: SetAside, diags: &mut Diagnostics) {
    let articles: HashMap<&Path, ArticleId> = handbook
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.source.as_path(), i))
        .collect();
    let intros: HashMap<PathBuf, PartId> = handbook
        .parts
        .iter()
        .enumerate()
        .map(|(i, p)| (p.dir.join("_index.md"), i))
        .collect();
    let mut translations: BTreeMap<String, Translation> = BTreeMap::new();
    let naming_ok = |named: &Named, diags: &mut Diagnostics| -> bool {
        match problem(&handbook.config, named) {
            Some(d) => {
                diags.push(d);
                false
            }
            None => true,
        }
    };
    for (parsed, named) in set_aside.markdown {
        if !naming_ok(&named, diags) {
            continue;
        }
        let t = translations.entry(named.language.clone()).or_default();
        let ParsedMarkdown {
            path: file,
            kind,
            body,
            body_line_offset,
        } = parsed;
        // A source left out (a draft) takes its translation with it.
        match kind {
            MarkdownKind::Article(meta) => {
                if let Some(&a) = articles.get(named.source.as_path()) {
                    let page = TranslatedPage {
                        meta,
                        file,
                        body,
                        body_line_offset,
                    };
                    t.articles.insert(a, page);
                }
            }
            MarkdownKind::Index(meta) => {
                if let Some(&p) = intros.get(&named.source) {
                    let page = TranslatedPage {
                        meta,
                        file,
                        body,
                        body_line_offset,
                    };
                    t.intros.insert(p, page);
                }
            }
        }
    }
    for named in set_aside.quizzes {
        if naming_ok(&named, diags) {
            let t = translations.entry(named.language.clone()).or_default();
            t.quizzes.insert(named.source, named.file);
        }
    }
    // A glossary's translation is only checked here: the load stages read
    // it beside discovery (`pipeline::load`), before translations are known.
    for named in set_aside.glossaries {
        naming_ok(&named, diags);
    }
    handbook.translations = translations;
}

/// Why a translation cannot be used: its language is not declared, or its
/// source does not exist.
fn problem(config: &Config, named: &Named) -> Option<Diagnostic> {
    let file_name = |p: &Path| {
        p.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    };
    if named.language == config.language {
        return Some(
            Code::Translation
                .error(
                    &named.file,
                    0,
                    0,
                    format!(
                        "`{}` is named as a translation into `{}`, the handbook's own language",
                        file_name(&named.file),
                        named.language
                    ),
                )
                .with_help(format!(
                    "write the page in `{}` itself, or name the language it is in",
                    file_name(&named.source)
                )),
        );
    }
    if !config.languages.contains_key(&named.language) {
        let declared: Vec<&str> = config.languages.keys().map(String::as_str).collect();
        let help = crate::suggest::help_for(&named.language, &declared).unwrap_or_else(|| {
            format!(
                "declare it in handbook.yaml (`languages: {{ {}: {{}} }}`), or rename the file if it is no translation",
                named.language
            )
        });
        return Some(
            Code::Translation
                .error(
                    &named.file,
                    0,
                    0,
                    format!(
                    "`{}` is a translation into `{}`, a language handbook.yaml does not declare",
                    file_name(&named.file),
                    named.language
                ),
                )
                .with_help(help),
        );
    }
    if !named.source.is_file() {
        return Some(
            Code::Translation
                .error(
                    &named.file,
                    0,
                    0,
                    format!(
                        "`{}` translates `{}`, which does not exist",
                        file_name(&named.file),
                        file_name(&named.source)
                    ),
                )
                .with_help(
                    "name a translation after its source, with the language before the extension",
                ),
        );
    }
    None
}

/// [`source_digest`] of `article` (its title, summary and text).
pub fn article_digest(article: &Article) -> String {
    article_text_digest(&article.meta, &article.body)
}

/// [`source_digest`] of part `part`'s intro (its title, summary and text).
pub fn intro_digest(part: &Part) -> String {
    source_digest(
        &part.title,
        part.summary.as_deref().unwrap_or(""),
        &part.intro,
    )
}

/// [`source_digest`] of an article with front matter `meta` and text `body`.
pub fn article_text_digest(meta: &ArticleMeta, body: &str) -> String {
    let summary = meta.summary.as_deref().unwrap_or("");
    source_digest(&meta.title, summary, body)
}

/// The digest a translation records of its source (`translation: {
/// source_digest }`): of the source's title, summary and text, so that
/// what a translator translated changing marks the translation outdated,
/// and a new review date does not. Sixteen hex digits of SHA-256.
pub fn source_digest(title: &str, summary: &str, body: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in [title, summary, body] {
        let normal = part.replace("\r\n", "\n");
        hash.update(normal.trim().as_bytes());
        hash.update([0]);
    }
    hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a handbook seen in one of its further languages keeps of the
/// default language ([`Handbook::localized`] makes it; `Handbook::localized`
/// the field holds it).
#[derive(Debug, Clone, Default)]
pub struct Localized {
    /// The handbook's default language (`language:`).
    pub default_language: String,
    /// Articles with no translation: shown in the default language.
    pub untranslated: std::collections::BTreeSet<ArticleId>,
    /// Translated articles whose translation records a digest of its
    /// source that is not the source's now: the source changed since
    /// (what `check` reports as `translation-outdated`), so their pages say
    /// so. One that records no digest is not counted: nothing tells.
    pub outdated: std::collections::BTreeSet<ArticleId>,
    /// The same for parts' intros (`_index.es.md`; 0 is the home page's).
    pub outdated_intros: std::collections::BTreeSet<PartId>,
    /// Parts whose intro has no translation.
    pub untranslated_intros: std::collections::BTreeSet<PartId>,
    /// Quiz files with no translation, shown in the default language.
    pub untranslated_quizzes: std::collections::BTreeSet<PathBuf>,
    /// The source files of the translated pages and of their quizzes, by
    /// their translations' files: links written to a source reach its page.
    pub sources: Vec<(PathBuf, PathBuf)>,
}

impl Handbook {
    /// The handbook's default language (`language:`), also when this is
    /// the handbook seen in a further one: where missing words fall back to.
    pub fn default_language(&self) -> &str {
        self.localized
            .as_ref()
            .map_or(self.config.language.as_str(), |l| {
                l.default_language.as_str()
            })
    }

    /// The handbook as a reader of `language` sees it: each translated page
    /// with its translation's front matter and text (at the translation's
    /// file, so problems point there), each translated quiz in place of its
    /// source, the settings `languages:` gives the language, and the pages
    /// not yet translated as they are, listed in [`Localized::untranslated`].
    pub fn localized(&self, language: &str) -> Handbook {
        let mut hb = self.clone();
        hb.translations.clear();
        let mut localized = Localized {
            default_language: self.config.language.clone(),
            ..Localized::default()
        };
        let translation = self.translations.get(language).cloned().unwrap_or_default();
        let overrides = self
            .config
            .languages
            .get(language)
            .cloned()
            .unwrap_or_default();
        let config = &mut hb.config;
        config.language = language.to_string();
        // Its pages live under `<language>/` of the site.
        config.base_url = format!("{}{language}/", config.base_url_with_slash());
        config.title = overrides.title.unwrap_or_else(|| config.title.clone());
        config.subtitle = overrides.subtitle.or(config.subtitle.take());
        config.description = overrides.description.or(config.description.take());
        config.crisis = overrides.crisis.or(config.crisis.take());
        for (a, article) in hb.articles.iter_mut().enumerate() {
            match translation.articles.get(&a) {
                Some(page) => {
                    if page
                        .meta
                        .translation
                        .as_ref()
                        .is_some_and(|r| r.source_digest != article_digest(article))
                    {
                        localized.outdated.insert(a);
                    }
                    localized
                        .sources
                        .push((page.file.clone(), article.source.clone()));
                    article.meta = page.meta.clone();
                    article.source = page.file.clone();
                    article.body = page.body.clone();
                    article.body_line_offset = page.body_line_offset;
                }
                None => {
                    localized.untranslated.insert(a);
                }
            }
        }
        localized.untranslated_intros = (0..hb.parts.len())
            .filter(|p| hb.parts[*p].index_file.is_some() && !translation.intros.contains_key(p))
            .collect();
        for (&p, page) in &translation.intros {
            let part = &mut hb.parts[p];
            if page
                .meta
                .translation
                .as_ref()
                .is_some_and(|r| r.source_digest != intro_digest(part))
            {
                localized.outdated_intros.insert(p);
            }
            if let Some(index) = &part.index_file {
                localized.sources.push((page.file.clone(), index.clone()));
            }
            if let Some(title) = &page.meta.title {
                part.title = title.clone();
            }
            part.summary = page.meta.summary.clone().or(part.summary.take());
            part.index_file = Some(page.file.clone());
            part.intro = page.body.clone();
            part.intro_line_offset = page.body_line_offset;
        }
        for quiz in hb
            .quiz_files
            .iter_mut()
            .chain(hb.articles.iter_mut().filter_map(|a| a.quiz_file.as_mut()))
        {
            match translation.quizzes.get(quiz) {
                Some(translated) => *quiz = translated.clone(),
                None => {
                    localized.untranslated_quizzes.insert(quiz.clone());
                }
            }
        }
        hb.localized = Some(localized);
        hb
    }
}
