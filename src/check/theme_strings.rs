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

/// The findings for the handbook's language. A theme or strings file that
/// cannot be read is the build's error, reported there.
pub fn check(hb: &Handbook) -> Vec<Finding> {
    let config = &hb.config;
    let Ok(theme) = Theme::find(&hb.root, &config.theme) else {
        return Vec::new();
    };
    let lookup = Lookup {
        theme: &theme,
        root: &hb.root,
        language: &config.language,
        default_language: &config.language,
    };
    let Ok(strings) = Strings::load(&lookup) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    if !strings.missing.is_empty() {
        findings.push(Finding::new(missing(hb, &strings)));
    }
    let known: Vec<&str> = strings.map.keys().map(String::as_str).collect();
    for u in &strings.unknown {
        let d = Code::ThemeStringUnknown
            .warning(
                &u.file,
                u.line,
                1,
                format!("`{}` is not a string the theme uses", u.key),
            )
            .with_optional_help(suggest::help_for(&u.key, &known));
        findings.push(Finding::new(d));
    }
    findings
}

fn missing(hb: &Handbook, strings: &Strings) -> Diagnostic {
    let config_file = hb.root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&config_file).unwrap_or_default();
    let line = crate::yaml::key_line(&text, 1, usize::MAX, "language").unwrap_or(0);
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
            "the theme has no `{}` words for {} of its {} strings ({list}); readers see those in another language",
            hb.config.language,
            strings.missing.len(),
            strings.map.len(),
        ),
    )
    .with_help(format!(
        "add them to `i18n/{}.yaml` beside handbook.yaml (docs/themes.md lists every key)",
        hb.config.language
    ))
}
