//! `handbook.yaml`: the site settings, with a default for every optional key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic};
use crate::yaml;

/// The name of the file that marks a handbook's root.
pub const CONFIG_FILE: &str = "handbook.yaml";
/// The folders of the handbook root that Trellis reads, beside
/// [`CONFIG_FILE`]: all it reads of a handbook is in them (the root may
/// also hold `target/`, `node_modules/` or notes, which it never reads).
pub const SOURCE_FOLDERS: [&str; 5] = ["content", "templates", "themes", "static", "i18n"];

/// Everything `handbook.yaml` can say. Only `title` is required.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The handbook's title.
    pub title: String,
    /// A line under the title.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// A plain sentence or two for search engines and feeds.
    #[serde(default)]
    pub description: Option<String>,
    /// Where the site will live (may have a path); used for sitemap and feed URLs.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// BCP 47 language tag.
    #[serde(default = "default_language")]
    pub language: String,
    /// A folder under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Where `build` writes, relative to the root.
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    /// The handbook's authors.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Crisis signposting shown on every page.
    #[serde(default)]
    pub crisis: Option<Crisis>,
    /// Glossary behaviour.
    #[serde(default)]
    pub glossary: GlossaryConfig,
    /// Readability target for `check`.
    #[serde(default)]
    pub readability: Readability,
    /// Review interval for `check`.
    #[serde(default)]
    pub review: Review,
    /// Quiz defaults.
    #[serde(default)]
    pub quiz: QuizConfig,
    /// A citation style hayagriva ships (e.g. `apa`).
    #[serde(default = "default_citation_style")]
    pub citation_style: String,
    /// `check` settings.
    #[serde(default)]
    pub check: CheckConfig,
    /// How readers reach the editors: every page links it ("Report a problem").
    #[serde(default)]
    pub contact: Option<Contact>,
    /// The print view: when it becomes one page per part.
    #[serde(default)]
    pub print: PrintConfig,
    /// `build` also writes the handbook as an EPUB book into the site and
    /// links it from the home page (`trellis export epub` makes it alone).
    #[serde(default)]
    pub epub: bool,
    /// Languages besides `language` that pages are translated into, each
    /// with what it changes of the settings above.
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
}

/// One further language in `languages:`: the settings a translation may
/// give its own words (anything not given is the default language's).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The language's name in itself, for the language switcher
    /// (default: a built-in name for common languages, else the tag).
    #[serde(default)]
    pub name: Option<String>,
    /// The handbook's title in this language.
    #[serde(default)]
    pub title: Option<String>,
    /// Its subtitle.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// Crisis signposting for this language's readers.
    #[serde(default)]
    pub crisis: Option<Crisis>,
    /// The readability targets `check` holds this language's articles to
    /// (each not given is the top-level `readability:` one).
    #[serde(default)]
    pub readability: Option<LanguageReadability>,
}

/// `languages: { <lang>: { readability: … } }`: the targets of one further
/// language; each is read by the formula that gives its kind of figure.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageReadability {
    /// A grade formula (Flesch–Kincaid, English) warns above this.
    #[serde(default)]
    pub target_grade: Option<f64>,
    /// A grade formula warns below this.
    #[serde(default)]
    pub min_grade: Option<f64>,
    /// A score formula (Szigriszt-Pazos, Spanish) warns below this.
    #[serde(default)]
    pub min_score: Option<f64>,
}

/// `contact:` settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The address readers write to about a problem in the handbook (a
    /// `mailto:` link: nothing is sent by the site itself).
    pub email: String,
}

/// `print:` settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrintConfig {
    /// A handbook of more articles than this gets one print page per
    /// top-level part, listed at `/print/`, in place of one page of every
    /// article (see `crate::print_parts`).
    #[serde(default = "default_split_above")]
    pub split_above: usize,
}

/// The articles a handbook may have and keep its print view on one page:
/// about 5 MB of HTML at the length of a typical article (the generated
/// handbooks' 800 words make 10 kB each), which a browser opens and prints.
pub const DEFAULT_SPLIT_ABOVE: usize = 500;

impl Default for PrintConfig {
    fn default() -> Self {
        PrintConfig {
            split_above: default_split_above(),
        }
    }
}

/// `check:` settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Warnings `check` leaves out for the whole handbook, by rule name
    /// (`allow: [clinical-review-pending]`). Errors cannot be allowed.
    #[serde(default)]
    pub allow: Vec<String>,
}

/// Crisis signposting.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Crisis {
    /// One plain sentence.
    pub message: String,
    /// Where to get help: what every page shows when the reader's region is
    /// not known (without JavaScript, or in no listed region).
    #[serde(default)]
    pub links: Vec<CrisisLink>,
    /// Help by country or region, each listed on the crisis help page
    /// (`/help/`); a page shows the reader's likely region first.
    #[serde(default)]
    pub regions: Vec<CrisisRegion>,
    /// For readers in no listed region (e.g. findahelpline.com).
    #[serde(default)]
    pub elsewhere: Option<CrisisLink>,
    /// A sentence for readers worried about someone else.
    #[serde(default)]
    pub someone_else: Option<String>,
}

/// Crisis help in one country or region.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisRegion {
    /// As readers know it: "United States", "UK".
    pub name: String,
    /// Its id on the help page; default: the slug of `name`.
    #[serde(default)]
    pub id: String,
    /// The emergency number ("911").
    #[serde(default)]
    pub emergency: Option<String>,
    /// Its crisis lines.
    #[serde(default)]
    pub links: Vec<CrisisLink>,
    /// IANA time zones of the region (`Europe/London`), or prefixes ending
    /// in `/` (`Australia/`): a reader's browser in one of them shows this
    /// region first. Read in the browser only; never sent anywhere.
    #[serde(default)]
    pub time_zones: Vec<String>,
    /// Language tags with a region (`en-GB`), the second guess when no time
    /// zone matches.
    #[serde(default)]
    pub languages: Vec<String>,
}

/// One place to get help.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisLink {
    /// What the reader sees.
    pub label: String,
    /// A `tel:`, `sms:` or `https:` address.
    pub href: String,
}

/// How glossary terms are linked in prose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Autolink {
    /// The first use in each article.
    #[default]
    First,
    /// Every use.
    Every,
    /// None: only explicit `[[Term]]` links.
    Off,
}

/// `glossary:` settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryConfig {
    /// `first`, `every` or `off`.
    #[serde(default)]
    pub autolink: Autolink,
}

/// `readability:` settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Readability {
    /// `check` warns above this Flesch–Kincaid grade.
    #[serde(default = "default_target_grade")]
    pub target_grade: f64,
    /// `check` warns below this grade too, when set: prose made easy by
    /// chopping it into very short sentences reads as clipped.
    #[serde(default)]
    pub min_grade: Option<f64>,
    /// For a handbook written in a language scored on a 0–100 scale
    /// (Spanish: Szigriszt-Pazos's perspicuity), `check` warns below this;
    /// default [`DEFAULT_MIN_SCORE`].
    #[serde(default)]
    pub min_score: Option<f64>,
}

/// The perspicuity under which Spanish prose is flagged when no
/// `min_score` is given: where INFLESZ's "normal" begins.
pub const DEFAULT_MIN_SCORE: f64 = 55.0;

impl Default for Readability {
    fn default() -> Self {
        Readability {
            target_grade: default_target_grade(),
            min_grade: None,
            min_score: None,
        }
    }
}

/// The readability targets of one language, resolved: its own from
/// `languages:`, else the top-level `readability:` ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Targets {
    /// Warn above this grade.
    pub target_grade: f64,
    /// Warn below this grade.
    pub min_grade: Option<f64>,
    /// Warn below this score.
    pub min_score: f64,
}

/// `review:` settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// `check` warns when a review is older than this.
    #[serde(default = "default_interval")]
    pub interval_months: u32,
}

impl Default for Review {
    fn default() -> Self {
        Review {
            interval_months: default_interval(),
        }
    }
}

/// `quiz:` settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuizConfig {
    /// Percent needed to pass.
    #[serde(default = "default_pass_mark")]
    pub pass_mark: u32,
}

impl Default for QuizConfig {
    fn default() -> Self {
        QuizConfig {
            pass_mark: default_pass_mark(),
        }
    }
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}
fn default_citation_style() -> String {
    "apa".into()
}
fn default_target_grade() -> f64 {
    8.0
}
fn default_interval() -> u32 {
    24
}
fn default_pass_mark() -> u32 {
    70
}
fn default_split_above() -> usize {
    DEFAULT_SPLIT_ABOVE
}

impl Config {
    /// Parses `handbook.yaml` text; `file` is the path shown in errors.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Vec<Diagnostic>> {
        let mut config: Config = yaml::from_str(text, file).map_err(|d| vec![d])?;
        let languages = config
            .languages
            .values_mut()
            .filter_map(|l| l.crisis.as_mut());
        for crisis in config.crisis.iter_mut().chain(languages) {
            for region in &mut crisis.regions {
                if region.id.trim().is_empty() {
                    region.id = crate::slug::slugify(&region.name);
                }
            }
        }
        let mut errors = Vec::new();
        if config.title.trim().is_empty() {
            let line = yaml::key_line(text, 1, usize::MAX, "title").unwrap_or(1);
            errors.push(
                Code::InvalidValue
                    .error(file, line, 1, "`title` is empty")
                    .with_help("give the handbook a title"),
            );
        }
        errors.extend(config.language_errors(text, file));
        if config.quiz.pass_mark > 100 {
            let line = yaml::key_line(text, 1, usize::MAX, "pass_mark").unwrap_or(1);
            errors.push(
                Code::InvalidValue
                    .error(
                        file,
                        line,
                        1,
                        "`quiz.pass_mark` is a percent and must be 0 to 100",
                    )
                    .with_help("for example `quiz: { pass_mark: 70 }`"),
            );
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// Every language the pages are written in: the default one first.
    pub fn all_languages(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.language.as_str()).chain(self.languages.keys().map(String::as_str))
    }

    /// A key of `languages:` that is no language tag, or the default
    /// language again.
    fn language_errors(&self, text: &str, file: &Path) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for tag in self.languages.keys() {
            let line = yaml::key_line(text, 1, usize::MAX, tag).unwrap_or(1);
            if !looks_like_language(tag) {
                errors.push(
                    Code::InvalidValue.error(file, line, 1, format!("`{tag}` is not a language tag"))
                        .with_help("write a BCP 47 tag: two or three lower-case letters, then subtags, e.g. `es`, `pt-BR`"),
                );
            } else if *tag == self.language {
                errors.push(
                    Code::InvalidValue.error(
                        file,
                        line,
                        1,
                        format!("`{tag}` is the handbook's own `language`; `languages:` lists the others"),
                    )
                    .with_help(format!("remove `{tag}` from `languages:`")),
                );
            }
        }
        errors
    }

    /// The readability targets of the articles in `language`.
    pub fn readability_targets(&self, language: &str) -> Targets {
        let top = &self.readability;
        let own = self
            .languages
            .get(language)
            .and_then(|l| l.readability.clone())
            .unwrap_or_default();
        Targets {
            target_grade: own.target_grade.unwrap_or(top.target_grade),
            min_grade: own.min_grade.or(top.min_grade),
            min_score: own.min_score.or(top.min_score).unwrap_or(DEFAULT_MIN_SCORE),
        }
    }

    /// `base_url` with exactly one trailing slash.
    pub fn base_url_with_slash(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }
}

/// A BCP 47 tag as handbooks write them: a primary language of two or three
/// lower-case letters, then subtags of letters and digits (`es`, `pt-BR`,
/// `zh-Hant`, `es-419`).
pub fn looks_like_language(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The nearest folder at or above `start` that holds `handbook.yaml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_title_is_required() {
        let c = Config::parse("title: T\n", Path::new("handbook.yaml")).unwrap();
        assert_eq!(c.theme, "default");
        assert_eq!(c.quiz.pass_mark, 70);
        assert_eq!(c.glossary.autolink, Autolink::First);
    }

    #[test]
    fn each_language_has_its_readability_targets_else_the_handbook_s() {
        let text = "title: T\nreadability: { target_grade: 9, min_grade: 5 }\nlanguages:\n  es:\n    readability: { min_score: 65 }\n  en-GB:\n    readability: { target_grade: 10 }\n  ar: {}\n";
        let c = Config::parse(text, Path::new("handbook.yaml")).unwrap();
        let targets = |tag: &str| c.readability_targets(tag);
        assert_eq!(
            targets("es"),
            Targets {
                target_grade: 9.0,
                min_grade: Some(5.0),
                min_score: 65.0
            }
        );
        assert_eq!(targets("en-GB").target_grade, 10.0);
        assert_eq!(targets("ar").min_score, DEFAULT_MIN_SCORE);
        assert_eq!(targets("en"), targets("ar"));
    }

    #[test]
    fn nested_unknown_key_is_reported() {
        let err = Config::parse(
            "title: T\nquiz: { pas_mark: 70 }\n",
            Path::new("handbook.yaml"),
        )
        .unwrap_err();
        assert!(
            err[0].message.contains("unknown key `pas_mark`"),
            "{}",
            err[0]
        );
        assert_eq!(err[0].help.as_deref(), Some("did you mean `pass_mark`?"));
    }
}
