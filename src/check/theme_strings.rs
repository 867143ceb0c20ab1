//! What `check` says of the theme's words ([`crate::theme_strings`]): keys
//! the handbook's language lacks (readers see them in another language) and
//! keys no page uses (a typo in a translation or an override).

use super::report::Finding;
use crate::config::CONFIG_FILE;
use crate::content::Handbook;
use crate::diagnostic::{Code, Diagnostic};
use crate::suggest;
use crate::theme::Theme;
use crate::theme_strings::{Lookup, Strings};

/// How many missing keys a warning names before "and N more".
const NAMED: usize = 8;

/// The findings for each of the handbook's languages (its own and those of
/// `languages:`), each falling back to the handbook's own. A theme or
/// strings file that cannot be read is the build's error, reported there.
pub fn check(hb: &Handbook) -> Vec<Finding> {
    let config = &hb.config;
    let Ok(theme) = Theme::find(&hb.root, &config.theme) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for language in config.all_languages() {
        let lookup = Lookup {
            theme: &theme,
            root: &hb.root,
            language,
            default_language: &config.language,
        };
        let Ok(strings) = Strings::load(&lookup) else {
            return findings;
        };
        if !strings.missing.is_empty() {
            findings.push(Finding::new(missing(hb, language, &strings)));
        }
        // The keys files give are the same whatever the language: once.
        if language == config.language {
            findings.extend(unknown(&strings));
        }
    }
    findings
}

/// A warning for each key of a strings file the theme does not use.
fn unknown(strings: &Strings) -> Vec<Finding> {
    let known: Vec<&str> = strings.map.keys().map(String::as_str).collect();
    strings
        .unknown
        .iter()
        .map(|u| {
            let d = Code::ThemeStringUnknown
                .warning(
                    &u.file,
                    u.line,
                    1,
                    format!("`{}` is not a string the theme uses", u.key),
                )
                .with_optional_help(suggest::help_for(&u.key, &known));
            Finding::new(d)
        })
        .collect()
}

/// The 1-based line of handbook.yaml that names `language`: `language:`
/// for the handbook's own, else its key under the top-level `languages:`
/// (or that line, for `languages: { es: … }` written on one line); 0 when
/// neither is found.
fn language_line(text: &str, language: &str, own: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let top = |key: &str| lines.iter().position(|l| l.starts_with(&format!("{key}:")));
    if language == own {
        return top("language").map_or(0, |i| i + 1);
    }
    let Some(start) = top("languages") else {
        return 0;
    };
    let block = lines[start + 1..]
        .iter()
        .take_while(|l| l.is_empty() || l.starts_with([' ', '#']));
    let key = format!("{language}:");
    let found = block
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with(&key))
        .map(|(i, _)| start + 1 + i);
    found.unwrap_or(start) + 1
}

/// The warning for the keys `language` lacks, at the line that names it
/// (`language:`, or its key under `languages:`).
fn missing(hb: &Handbook, language: &str, strings: &Strings) -> Diagnostic {
    let config_file = hb.root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&config_file).unwrap_or_default();
    let line = language_line(&text, language, &hb.config.language);
    let named: Vec<&str> = strings
        .missing
        .iter()
        .take(NAMED)
        .map(String::as_str)
        .collect();
    let mut list = named.join(", ");
    let more = strings.missing.len().saturating_sub(NAMED);
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    Code::ThemeStringMissing.warning(
        config_file,
        line,
        1,
        format!(
            "the theme has no `{language}` words for {} of its {} strings ({list}); readers see those in another language",
            strings.missing.len(),
            strings.map.len(),
        ),
    )
    .with_help(format!(
        "add them to `i18n/{language}.yaml` beside handbook.yaml (docs/themes.md lists every key)"
    ))
}
