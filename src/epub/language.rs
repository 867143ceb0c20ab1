//! The parts of a book in another language than the book's own: in a
//! further language's book, the articles, part introductions and quizzes
//! not yet translated are the default language's text. Each such text is
//! marked with its language (`lang`, `xml:lang`, and `dir` when its script
//! runs the other way), so a reading system reads it with the right voice
//! and rules (WCAG 2.2 SC 3.1.2), and an untranslated chapter opens with
//! the pages' notice (`untranslated_notice`) in the book's language.

use super::xhtml::esc;
use crate::render::languages::direction;
use crate::site::{Site, Source};

/// The language article `a`'s text is in, when it is not the book's.
pub fn of_article(site: &Site, a: usize) -> Option<&str> {
    let l = site.handbook.localized.as_ref()?;
    l.untranslated
        .contains(&a)
        .then_some(l.default_language.as_str())
}

/// The language part `p`'s introduction is in, when it is not the book's.
pub fn of_intro(site: &Site, p: usize) -> Option<&str> {
    let l = site.handbook.localized.as_ref()?;
    l.untranslated_intros
        .contains(&p)
        .then_some(l.default_language.as_str())
}

/// The language quiz `q`'s text is in (`q` indexes `Site::quizzes`), when
/// it is not the book's.
pub fn of_quiz(site: &Site, q: usize) -> Option<&str> {
    let l = site.handbook.localized.as_ref()?;
    let quiz = site.quizzes.get(q)?;
    l.untranslated_quizzes
        .contains(&quiz.file)
        .then_some(l.default_language.as_str())
}

/// The language quiz `q`'s title is in, when it is not the book's: an
/// untranslated quiz's own title (a default title is made of the book's
/// words).
pub fn of_quiz_title(site: &Site, q: usize) -> Option<&str> {
    of_quiz(site, q).filter(|_| site.quizzes[q].quiz.title.is_some())
}

/// The attributes that mark an element's text as `lang` in a book written
/// in `book`: ` lang="en" xml:lang="en"`, with ` dir="ltr"` or ` dir="rtl"`
/// when the two are written in different directions. Empty for `None`.
pub fn attrs(lang: Option<&str>, book: &str) -> String {
    let Some(lang) = lang else {
        return String::new();
    };
    let l = esc(lang);
    let mut out = format!(" lang=\"{l}\" xml:lang=\"{l}\"");
    let dir = direction(lang);
    if dir != direction(book) {
        out.push_str(&format!(" dir=\"{}\"", dir.unwrap_or("ltr")));
    }
    out
}

/// The notice that opens an untranslated chapter, in the book's language:
/// the same words and class as the pages'.
pub fn notice(site: &Site) -> String {
    format!(
        "<p class=\"untranslated-notice\" role=\"note\">{}</p>\n",
        esc(site.words.get("untranslated_notice"))
    )
}

/// The notice that opens a chapter whose translation is outdated (its
/// source changed since: [`crate::content::translations::Localized`]'s
/// `outdated`, `outdated_intros`), as the pages' does but with no link,
/// since the original is not in the book; empty for any other.
pub fn outdated_notice(site: &Site, source: Source) -> String {
    let outdated = site
        .handbook
        .localized
        .as_ref()
        .is_some_and(|l| match source {
            Source::Article(a) => l.outdated.contains(&a),
            Source::Intro(p) => l.outdated_intros.contains(&p),
        });
    if !outdated {
        return String::new();
    }
    format!(
        "<p class=\"outdated-notice\" role=\"note\">{}</p>\n",
        esc(site.words.get("epub_translation_outdated"))
    )
}

#[cfg(test)]
mod tests {
    use super::attrs;

    #[test]
    fn direction_is_given_only_where_it_differs() {
        assert_eq!(attrs(None, "es"), "");
        assert_eq!(attrs(Some("en"), "es"), " lang=\"en\" xml:lang=\"en\"");
        assert_eq!(
            attrs(Some("en"), "ar"),
            " lang=\"en\" xml:lang=\"en\" dir=\"ltr\""
        );
        assert_eq!(
            attrs(Some("he"), "en"),
            " lang=\"he\" xml:lang=\"he\" dir=\"rtl\""
        );
    }
}
