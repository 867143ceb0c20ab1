//! The languages of a page: its writing direction, and the same page in
//! the handbook's other languages (for `hreflang` links and the language
//! switcher). The default language's pages are at the site's root, each
//! further language's under `<lang>/`, with the same paths below it.

use serde::Serialize;

use crate::content::Handbook;

/// The same page in one of the handbook's languages.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// Its language tag.
    pub lang: String,
    /// The language's name in itself ("Español").
    pub name: String,
    /// The page in that language, relative to this one.
    pub href: String,
    /// Whether this is the page's own language.
    pub current: bool,
}

/// Scripts written right to left, by the primary language tag.
const RIGHT_TO_LEFT: &[&str] = &[
    "ar", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi",
];

/// `rtl` for a language written right to left, else `None`.
pub fn direction(language: &str) -> Option<&'static str> {
    let primary = language
        .split('-')
        .next()
        .unwrap_or(language)
        .to_ascii_lowercase();
    RIGHT_TO_LEFT.contains(&primary.as_str()).then_some("rtl")
}

/// Gives a page not yet translated, shown in `source` (the default
/// language) on a page in the language `page`, its template values:
/// `untranslated` (the source's language, unset on a translated page), and
/// where the two scripts run different ways `untranslated_dir` (the
/// source text's direction) and `back_dir` (the page's, for the theme's
/// own words inside that text).
pub fn insert_untranslated(ctx: &mut tera::Context, page: &str, source: Option<&str>) {
    ctx.insert("untranslated", &source);
    let dirs = source.and_then(|source| {
        let (text, around) = (
            direction(source).unwrap_or("ltr"),
            direction(page).unwrap_or("ltr"),
        );
        (text != around).then_some((text, around))
    });
    ctx.insert("untranslated_dir", &dirs.map(|d| d.0));
    ctx.insert("back_dir", &dirs.map(|d| d.1));
}

/// On a translated article whose source changed since it was translated
/// ([`crate::content::translations::Localized::outdated`]), the same page in the default
/// language (its `href` and `lang`), which the page points readers to.
pub fn outdated_original(hb: &Handbook, a: usize) -> Option<Alternate> {
    let localized = hb.localized.as_ref()?;
    localized.outdated.contains(&a).then_some(())?;
    original(hb, &hb.articles.get(a)?.url)
}

/// [`outdated_original`] for part `p`'s page (0: the home page), when its
/// intro's translation is outdated
/// ([`crate::content::translations::Localized::outdated_intros`]).
pub fn outdated_intro_original(hb: &Handbook, p: usize) -> Option<Alternate> {
    let localized = hb.localized.as_ref()?;
    localized.outdated_intros.contains(&p).then_some(())?;
    original(hb, &hb.parts.get(p)?.url)
}

/// The page at `url` in the default language.
fn original(hb: &Handbook, url: &str) -> Option<Alternate> {
    let default = &hb.localized.as_ref()?.default_language;
    alternates(hb, url).into_iter().find(|l| &l.lang == default)
}

/// Languages' names in themselves, for the switcher (a handbook may name
/// its own with `languages: { xx: { name: … } }`).
const NAMES: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("de", "Deutsch"),
    ("en", "English"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fr", "Français"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("sv", "Svenska"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
];

/// The name readers of `language` know it by.
pub fn name(hb: &Handbook, language: &str) -> String {
    if let Some(name) = hb
        .config
        .languages
        .get(language)
        .and_then(|l| l.name.clone())
    {
        return name;
    }
    let primary = language.split('-').next().unwrap_or(language);
    NAMES
        .iter()
        .find(|(tag, _)| *tag == primary)
        .map_or_else(|| language.to_string(), |(_, n)| (*n).to_string())
}

/// The page at `url` (site-relative, within its language's tree) in every
/// language of the handbook, the page's own marked; empty for a handbook
/// in one language.
pub fn alternates(hb: &Handbook, url: &str) -> Vec<Alternate> {
    if hb.config.languages.is_empty() {
        return Vec::new();
    }
    let default = hb
        .localized
        .as_ref()
        .map_or(hb.config.language.as_str(), |l| l.default_language.as_str());
    let current = hb.config.language.as_str();
    let depth = url.split('/').filter(|s| !s.is_empty()).count() + usize::from(current != default);
    let to_root = "../".repeat(depth);
    let all = std::iter::once(default).chain(hb.config.languages.keys().map(String::as_str));
    all.map(|lang| {
        let tree = if lang == default {
            String::new()
        } else {
            format!("{lang}/")
        };
        Alternate {
            lang: lang.to_string(),
            name: name(hb, lang),
            href: format!("{to_root}{tree}{url}index.html"),
            current: lang == current,
        }
    })
    .collect()
}
