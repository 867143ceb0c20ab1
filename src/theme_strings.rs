//! The words a theme writes (buttons, labels, headings, notices), per
//! language: `themes/<name>/i18n/<lang>.yaml`, with the handbook's own
//! `i18n/<lang>.yaml` over them.
//!
//! English is the theme's base: its `en.yaml` names every key. A language's
//! file gives some or all of them; a key it lacks comes from the handbook's
//! default language, then from English, and is listed as missing so that
//! `check` can say which words a reader will see untranslated, and, when
//! they come from another language, which one, so that pages can mark them
//! ([`crate::render::fallen_words`]). Templates see the result as `t`
//! (`{{ t.skip_link }}`), the same for every page of one language.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::{Code, Diagnostic};
use crate::theme::Theme;

/// The language whose file names every key.
pub const BASE_LANGUAGE: &str = "en";

/// The theme's words in one language, each key resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strings {
    /// Key to text, every key of the base language's file.
    pub map: BTreeMap<String, String>,
    /// Keys no file of the wanted language gives (they show in another one).
    pub missing: Vec<String>,
    /// The missing keys whose words are another language's than the pages'
    /// (not merely another region's: `es` for `es-MX` is not listed), with
    /// the tag of the file they come from, so the pages can mark them.
    pub fallen: BTreeMap<String, String>,
    /// Keys a file gives that the base language does not know: a typo, or a
    /// string the theme no longer uses.
    pub unknown: Vec<UnknownKey>,
}

/// A key of a strings file that the base language's file does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// The file.
    pub file: PathBuf,
    /// The 1-based line it is written on (0 when it cannot be found).
    pub line: usize,
    /// The key.
    pub key: String,
}

/// Where to look: the theme (and the themes it extends), the handbook's own
/// folder, the language wanted and the handbook's default language.
pub struct Lookup<'a> {
    /// The handbook's theme.
    pub theme: &'a Theme,
    /// The handbook root, whose `i18n/` overrides the theme's.
    pub root: &'a std::path::Path,
    /// The language of the pages (BCP 47: `es`, `pt-BR`).
    pub language: &'a str,
    /// The handbook's default language, the first fallback.
    pub default_language: &'a str,
}

impl<'a> Lookup<'a> {
    /// Where `hb`'s pages find their words: its theme, its own `i18n/`, its
    /// pages' language, then its default language.
    pub fn for_handbook(theme: &'a Theme, hb: &'a crate::content::Handbook) -> Self {
        Lookup {
            theme,
            root: &hb.root,
            language: &hb.config.language,
            default_language: hb.default_language(),
        }
    }
}

impl Strings {
    /// Resolves every key for `lookup.language`, or the first file that
    /// cannot be read or parsed.
    pub fn load(lookup: &Lookup<'_>) -> Result<Strings, Diagnostic> {
        let files = files(lookup)?;
        // The keys are the theme's: a handbook's file only gives them words.
        let theme_files: Vec<&StringsFile> = files.iter().filter(|f| !f.handbook).collect();
        let base = merged(theme_files, BASE_LANGUAGE);
        let mut strings = Strings::default();
        let take = |language: &str, map: &mut BTreeMap<String, String>| {
            for (key, text) in merged(&files, language) {
                map.entry(key).or_insert(text);
            }
        };
        // The page's own language, most specific tag first (`pt-BR`, then `pt`).
        for language in languages_of(lookup.language) {
            take(&language, &mut strings.map);
        }
        if !is_base(lookup.language) {
            strings.missing = base
                .keys()
                .filter(|k| !strings.map.contains_key(*k))
                .cloned()
                .collect();
        }
        // Then the handbook's default language, then the base; each word
        // taken from a file of another language is noted as that language's.
        let page_language = primary(lookup.language);
        let fallbacks = languages_of(lookup.default_language)
            .into_iter()
            .map(|l| (l, false))
            .chain([(BASE_LANGUAGE.to_string(), true)]);
        for (language, is_base) in fallbacks {
            let before: Vec<String> = strings.map.keys().cloned().collect();
            if is_base {
                // The theme's own base words.
                for (key, text) in &base {
                    strings
                        .map
                        .entry(key.clone())
                        .or_insert_with(|| text.clone());
                }
            } else {
                take(&language, &mut strings.map);
            }
            if primary(&language) != page_language {
                for key in strings.map.keys() {
                    if before.binary_search(key).is_err() {
                        strings.fallen.insert(key.clone(), language.clone());
                    }
                }
            }
        }
        strings.unknown = files
            .iter()
            .flat_map(|file| {
                file.map.keys().map(move |key| UnknownKey {
                    file: file.path.clone(),
                    line: crate::yaml::key_line(&file.text, 1, usize::MAX, key).unwrap_or(0),
                    key: key.clone(),
                })
            })
            .filter(|u| !base.contains_key(&u.key))
            .collect();
        strings.map.retain(|k, _| base.contains_key(k));
        strings.fallen.retain(|k, _| base.contains_key(k));
        Ok(strings)
    }
}

/// The theme's words for what Trellis writes itself, outside the templates:
/// breadcrumbs' first link, page titles, a quiz's default title, question
/// hints, dates, the search index's labels, the e-book's headings and labels. Loaded with the handbook, so the
/// content's own stages (a quiz's title) and the data files see them too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    map: BTreeMap<String, String>,
    /// The keys whose words are another language's ([`Strings::fallen`]).
    fallen: BTreeMap<String, String>,
}

impl Words {
    /// The words of the handbook's theme in its pages' language, the
    /// handbook's `i18n/` over them. A theme or strings file that cannot be
    /// read gives no words (each shows as its key): the build's templates
    /// step reports the same problem and stops before any page is written.
    pub fn for_handbook(hb: &crate::content::Handbook) -> Words {
        let Ok(theme) = Theme::find(&hb.root, &hb.config.theme) else {
            return Words::default();
        };
        Strings::load(&Lookup::for_handbook(&theme, hb))
            .map(|strings| Words {
                map: strings.map,
                fallen: strings.fallen,
            })
            .unwrap_or_default()
    }

    /// The bundled default theme's English words, for tests.
    #[cfg(test)]
    pub(crate) fn bundled_english() -> Words {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let theme = Theme::find(root, "default").expect("the bundled theme");
        let lookup = Lookup {
            theme: &theme,
            root,
            language: BASE_LANGUAGE,
            default_language: BASE_LANGUAGE,
        };
        Words {
            map: Strings::load(&lookup).expect("its strings").map,
            fallen: BTreeMap::new(),
        }
    }

    /// The text of `key` (the key itself when no file gives it).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map_or(key, String::as_str)
    }

    /// A date in words, as `date_long` writes it (`{day} {month} {year}`)
    /// with the month's name `month_1` … `month_12`: "7 December 2026",
    /// "7 de diciembre de 2026".
    pub fn date(&self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let month = MONTHS[date.month0() as usize % 12];
        self.get("date_long")
            .replace("{day}", &date.day().to_string())
            .replace("{month}", self.get(month))
            .replace("{year}", &date.year().to_string())
    }

    /// [`Words::date`] for a page's values: when its words fell back to
    /// another language, marked as that language's, which the rendered page
    /// makes a `<span lang>` where it is text
    /// ([`crate::render::fallen_words`]).
    pub fn page_date(&self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let text = self.date(date);
        let month = MONTHS[date.month0() as usize % 12];
        match self.fallen.get(month).or(self.fallen.get("date_long")) {
            Some(lang) => crate::render::fallen_words::mark(&text, lang),
            None => text,
        }
    }
}

/// The keys of the months' names, January first.
const MONTHS: [&str; 12] = [
    "month_1", "month_2", "month_3", "month_4", "month_5", "month_6", "month_7", "month_8",
    "month_9", "month_10", "month_11", "month_12",
];

/// One `i18n/<lang>.yaml`.
struct StringsFile {
    path: PathBuf,
    language: String,
    text: String,
    map: BTreeMap<String, String>,
    /// The handbook's own, not a theme's.
    handbook: bool,
}

/// Every strings file, the most general first: the theme a chain starts
/// from, the themes extending it, the handbook.
fn files(lookup: &Lookup<'_>) -> Result<Vec<StringsFile>, Diagnostic> {
    let mut chain = Vec::new();
    let mut theme = Some(lookup.theme);
    while let Some(t) = theme {
        chain.push(t);
        theme = t.parent.as_deref();
    }
    chain.reverse();
    let mut files = Vec::new();
    for theme in chain {
        files.extend(own_files(theme)?);
    }
    for mut file in own_files(&Theme::folder(lookup.root))? {
        file.handbook = true;
        files.push(file);
    }
    Ok(files)
}

/// One theme's (or the handbook's) `i18n/*.yaml`, without those of the theme it extends.
fn own_files(theme: &Theme) -> Result<Vec<StringsFile>, Diagnostic> {
    let read_error = |e: std::io::Error| {
        Code::ReadFailed.error(
            "i18n",
            0,
            0,
            format!("cannot read the theme's strings: {e}"),
        )
    };
    let mut files = Vec::new();
    for f in theme.own_files("i18n").map_err(read_error)? {
        let Some(language) = f.rel.strip_suffix(".yaml") else {
            continue;
        };
        let language = language.to_string();
        let text = crate::text_file::decode(f.bytes, &f.shown_as, crate::text_file::SAVE_AS_UTF8)?;
        let map = crate::yaml::from_str(&text, &f.shown_as)?;
        files.push(StringsFile {
            path: f.shown_as,
            language,
            text,
            map,
            handbook: false,
        });
    }
    Ok(files)
}

/// One language's keys over every file of it, later files winning.
fn merged<'a>(
    files: impl IntoIterator<Item = &'a StringsFile>,
    language: &str,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for file in files {
        if file.language.eq_ignore_ascii_case(language) {
            out.extend(file.map.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    out
}

/// A language tag and the tags it falls back to, most specific first:
/// `pt-BR` → `pt-BR`, `pt`.
fn languages_of(tag: &str) -> Vec<String> {
    let mut out = vec![tag.to_string()];
    if let Some((primary, _)) = tag.split_once('-') {
        out.push(primary.to_string());
    }
    out
}

/// A tag's primary language, lowercased: `pt` for `pt-BR`.
fn primary(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

fn is_base(tag: &str) -> bool {
    languages_of(tag)
        .iter()
        .any(|l| l.eq_ignore_ascii_case(BASE_LANGUAGE))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    /// What Trellis's own code asks of [`super::Words`]: the keys of
    /// `words.get` with a literal key, and the code's text, where a key
    /// passed on (as a question's hint is) or listed (as the months are)
    /// is a string literal.
    fn used_by_code(src: &Path) -> (BTreeSet<String>, String) {
        let (mut asked, mut code) = (BTreeSet::new(), String::new());
        for entry in walkdir::WalkDir::new(src) {
            let path = entry.unwrap().path().to_path_buf();
            if path.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices("words.get(\"") {
                let rest = &text[i + "words.get(\"".len()..];
                asked.insert(rest.split('"').next().unwrap_or("").to_string());
            }
            code.push_str(&text);
        }
        (asked, code)
    }

    /// What the bundled themes use: the keys of `t.key` in templates, and
    /// the string literals of the scripts (keys reach `trellisText` as
    /// literals, some with a suffix added: `_in`, and the plural forms).
    fn used(themes: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
        let (mut templates, mut scripts) = (BTreeSet::new(), BTreeSet::new());
        for entry in walkdir::WalkDir::new(themes) {
            let path = entry.unwrap().path().to_path_buf();
            let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
            let (marker, set) = match ext {
                "html" => ("t.", &mut templates),
                "js" => ("\"", &mut scripts),
                _ => continue,
            };
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices(marker) {
                let before = text[..i].chars().next_back();
                if ext == "html" && before.is_some_and(|c| c.is_alphanumeric() || "_.".contains(c))
                {
                    continue;
                }
                let rest = &text[i + marker.len()..];
                let key: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if ext == "html" || rest[key.len()..].starts_with('"') {
                    set.insert(key);
                }
            }
        }
        (templates, scripts)
    }

    /// The bundled theme's words for pages in `language` of a handbook
    /// written in `default`.
    fn strings(language: &str, default: &str) -> super::Strings {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let theme = crate::theme::Theme::find(root, "default").unwrap();
        super::Strings::load(&super::Lookup {
            theme: &theme,
            root,
            language,
            default_language: default,
        })
        .unwrap()
    }

    #[test]
    fn words_from_another_language_are_noted_with_it_and_another_region_s_are_not() {
        // French pages of a Spanish handbook: every word is Spanish.
        let french = strings("fr", "es");
        assert!(!french.fallen.is_empty());
        assert_eq!(french.fallen.len(), french.missing.len());
        assert!(
            french.fallen.values().all(|l| l == "es"),
            "{:?}",
            french.fallen
        );
        assert_eq!(french.map["search_button"], "Buscar");
        // Arabic pages of an Arabic handbook: English, the base.
        let arabic = strings("ar", "ar");
        assert_eq!(
            arabic.fallen.get("search_button").map(String::as_str),
            Some("en")
        );
        // Mexican Spanish takes Spanish's words: missing, but not another language's.
        let mexican = strings("es-MX", "en");
        assert!(mexican.fallen.is_empty(), "{:?}", mexican.fallen);
        assert!(strings("es", "en").fallen.is_empty());
    }

    /// A key without the suffixes code adds to it.
    fn stem(key: &str) -> &str {
        ["_one", "_other", "_in"]
            .iter()
            .fold(key, |k, suffix| k.strip_suffix(suffix).unwrap_or(k))
    }

    /// Every key a bundled template, script or Trellis's own markup uses,
    /// and every key of a bundled strings file: both ways equal, so no page
    /// shows a key for want of its text, and no translator translates words
    /// no page shows.
    #[test]
    fn the_bundled_themes_use_every_key_they_define_and_define_every_key_they_use() {
        let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
        let (templates, scripts) = used(&themes);
        let (asked, code) = used_by_code(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
        let literal = |key: &str| code.contains(&format!("\"{key}\""));
        assert!(
            asked.contains("home") && literal("hint_single"),
            "{asked:?}"
        );
        assert!(templates.len() > 100 && scripts.len() > 50, "{templates:?}");
        for file in ["en.yaml", "es.yaml"] {
            let path = themes.join("default/i18n").join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            let map: std::collections::BTreeMap<String, String> =
                crate::yaml::from_str(&text, &path).unwrap();
            let stems: BTreeSet<&str> = map.keys().map(|k| stem(k)).collect();
            let undefined: Vec<&String> = templates
                .iter()
                .filter(|k| !map.contains_key(*k))
                .chain(scripts.iter().filter(|k| {
                    k.starts_with("js_") && !map.contains_key(*k) && !stems.contains(k.as_str())
                }))
                .chain(asked.iter().filter(|k| !map.contains_key(*k)))
                .collect();
            let unused: Vec<&String> = map
                .keys()
                .filter(|k| {
                    let uses = |set: &BTreeSet<String>| set.contains(*k) || set.contains(stem(k));
                    !uses(&templates) && !uses(&scripts) && !literal(k)
                })
                .collect();
            assert!(undefined.is_empty(), "{file} lacks {undefined:?}");
            assert!(unused.is_empty(), "nothing uses {unused:?} of {file}");
        }
    }
}
