//! The citation style and its locales, loaded through hayagriva.
//!
//! `citation_style` in handbook.yaml names one of the CSL styles hayagriva
//! ships (an unknown name gets "did you mean"); a journal's dependent style is
//! replaced by its parent. The locales are decoded once per process, and
//! [`shares_references`] tells whether a style's references can be formatted
//! once for the whole bibliography.

use std::panic::catch_unwind;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hayagriva::archive::{self, ArchivedStyle};
use hayagriva::citationberg::{IndependentStyle, InfoLinkRel, Locale, Style};

use super::DEFAULT_STYLE;
use crate::suggest;

/// Whether a style's references read the same whatever else is cited: an
/// author-date or author style, without numbers or "———" for repeated authors.
pub(super) fn shares_references(style: &IndependentStyle) -> bool {
    use hayagriva::citationberg::{CitationFormat, StyleCategory, StyleClass};
    let author_date = style.info.category.iter().any(|c| {
        matches!(
            c,
            StyleCategory::CitationFormat {
                format: CitationFormat::AuthorDate | CitationFormat::Author
            }
        )
    });
    let plain_bibliography = style.bibliography.as_ref().is_some_and(|b| {
        b.subsequent_author_substitute.is_none() && b.second_field_align.is_none()
    });
    author_date && plain_bibliography && style.settings.class == StyleClass::InText
}

/// hayagriva's locales, decoded once per process.
pub(super) fn locales() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(|| catch_unwind(archive::locales).unwrap_or_default())
}

/// The independent CSL style hayagriva ships under `name`, or a message and help.
pub(super) fn load_style(name: &str) -> Result<IndependentStyle, (String, Option<String>)> {
    let wanted = name.trim().to_ascii_lowercase();
    let wanted = if wanted.is_empty() {
        DEFAULT_STYLE.to_string()
    } else {
        wanted
    };
    let Some(archived) = ArchivedStyle::by_name(&wanted) else {
        let names: Vec<&str> = ArchivedStyle::all()
            .iter()
            .flat_map(|s| s.names().iter().copied())
            .collect();
        let near = suggest::nearest(&wanted, names.iter().copied(), 3);
        let help = if near.is_empty() {
            "use a style hayagriva ships, e.g. `apa`, `chicago-author-date`, `ieee`, \
             `modern-language-association` or `vancouver`"
                .to_string()
        } else {
            let list: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
            format!("did you mean {}?", list.join(", "))
        };
        return Err((
            format!("unknown citation_style `{}`", name.trim()),
            Some(help),
        ));
    };
    let style = catch_unwind(|| archived.get()).map_err(|_| {
        (
            format!("citation_style `{wanted}` could not be loaded"),
            Some(format!("try `{DEFAULT_STYLE}`")),
        )
    })?;
    match style {
        Style::Independent(style) => Ok(style),
        Style::Dependent(dependent) => {
            // A journal's style that borrows its rules from a parent style.
            let parent = (dependent.parent_link.rel == InfoLinkRel::IndependentParent)
                .then(|| ArchivedStyle::by_id(&dependent.parent_link.href))
                .flatten()
                .and_then(|p| catch_unwind(|| p.get()).ok());
            match parent {
                Some(Style::Independent(style)) => Ok(style),
                _ => Err((
                    format!("citation_style `{wanted}` depends on a style hayagriva does not ship"),
                    Some(format!("try `{DEFAULT_STYLE}`")),
                )),
            }
        }
    }
}

/// handbook.yaml, for style errors: it sits beside the content folder.
pub(super) fn config_path(references: &Path) -> PathBuf {
    let content = references.parent();
    match content {
        Some(dir) if dir.file_name().is_some_and(|n| n == "content") => dir
            .parent()
            .unwrap_or(Path::new(""))
            .join(crate::config::CONFIG_FILE),
        _ => PathBuf::from(crate::config::CONFIG_FILE),
    }
}
