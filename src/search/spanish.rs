//! Spanish search rules: stop words, and Snowball's Spanish stemmer (from
//! the `rust-stemmers` crate), so "confiar", "confianza" and "confío" meet
//! at "confi". `themes/default/static/stem-es.js` is the same stemmer for
//! the search page; the stop words reach it in the index's `meta.js`.
//!
//! Words reach both already lower-cased and folded ([`super::fold`]), so the
//! stop words are written without accents, and the stemmer only ever sees
//! words without acute accents: its suffixes written with one (`-ación`,
//! `-ía`, `-ió`) never match, and "relación" stems as "relacion" does. That
//! is the price of a query typed without accents meeting the same terms as
//! the accented text.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// Spanish words too common to help a search, folded (no accents) and
/// sorted, so [`is_stop_word`] can binary-search it: articles, pronouns,
/// prepositions, conjunctions and the commonest forms of *ser*, *estar* and
/// *haber*.
pub const STOP_WORDS: &[&str] = &[
    "al", "algo", "algunas", "algunos", "ante", "antes", "como", "con", "contra", "cual", "cuando",
    "de", "del", "desde", "donde", "durante", "el", "ella", "ellas", "ellos", "en", "entre", "era",
    "eran", "es", "esa", "esas", "ese", "eso", "esos", "esta", "estaba", "estan", "estar", "estas",
    "este", "esto", "estos", "estoy", "fue", "fueron", "ha", "han", "has", "hasta", "hay", "he",
    "hemos", "la", "las", "le", "les", "lo", "los", "me", "mi", "mis", "muy", "nada", "ni", "no",
    "nos", "nosotras", "nosotros", "nuestra", "nuestras", "nuestro", "nuestros", "os", "otra",
    "otras", "otro", "otros", "para", "pero", "poco", "por", "porque", "que", "quien", "quienes",
    "se", "sea", "ser", "si", "sido", "sin", "sobre", "son", "su", "sus", "suya", "suyo",
    "tambien", "te", "ti", "tu", "tus", "un", "una", "uno", "unos", "vosotras", "vosotros", "ya",
    "yo",
];

/// Whether `word` (lower-case, folded) is in [`STOP_WORDS`].
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The Snowball Spanish stem of `word` (lower-case, folded).
pub fn stem(word: &str) -> String {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER
        .get_or_init(|| Stemmer::create(Algorithm::Spanish))
        .stem(word)
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_folded_and_unique() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_lowercase())));
        assert!(is_stop_word("que") && is_stop_word("tambien") && !is_stop_word("confianza"));
    }

    /// The words and stems `tests/js/stem-es.test.js` checks in the
    /// browser's stemmer: the two must agree on every one.
    pub(crate) const CASES: &str = include_str!("../../tests/fixtures/stem-es.txt");

    #[test]
    fn words_stem_as_snowball_spanish_says() {
        let mut n = 0;
        for line in CASES
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (word, expected) = line.split_once(' ').unwrap_or((line, ""));
            assert_eq!(stem(word), expected, "stem({word:?})");
            n += 1;
        }
        assert!(n > 50, "only {n} cases");
    }

    #[test]
    fn word_forms_meet() {
        for forms in [
            &["confiar", "confio", "confiamos", "confiaba", "confiado"][..],
            &["confianza", "confianzas"][..],
            &["terapeutica", "terapeuticas", "terapeutico"][..],
            &["terapia", "terapias"][..],
        ] {
            let stems: Vec<String> = forms.iter().map(|w| stem(w)).collect();
            assert!(
                stems.windows(2).all(|s| s[0] == s[1]),
                "{forms:?}: {stems:?}"
            );
        }
    }
}
