//! Accent folding: "Terapéutica", "terapeutica" and "TERAPÉUTICA" become
//! one word, so a reader who types without accents (or with the wrong ones)
//! still finds the page. Every language's words are folded, at index time
//! and in the query; `fold` in `themes/default/static/search.js` does the
//! same in the browser.
//!
//! A word is decomposed (Unicode NFD), its combining diacritical marks
//! (U+0300 to U+036F: acute, grave, tilde, diaeresis, cedilla and the like)
//! dropped, and the rest composed again (NFC), so letters that decompose
//! into something else than a base letter and an accent (Hangul syllables,
//! say) come back as they were.

use unicode_normalization::UnicodeNormalization;

/// Whether `c` is one of the marks folding drops.
pub(crate) fn is_diacritic(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Folds `word` in place (see the module docs). A word of ASCII only, the
/// common case, is left as it is without any work.
pub(crate) fn fold_in_place(word: &mut String) {
    if word.is_ascii() {
        return;
    }
    let folded: String = word.nfd().filter(|&c| !is_diacritic(c)).nfc().collect();
    *word = folded;
}

/// `word` folded.
pub fn fold(word: &str) -> String {
    let mut w = word.to_string();
    fold_in_place(&mut w);
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_fold_to_the_base_letter() {
        for (word, folded) in [
            ("terapéutica", "terapeutica"),
            ("térapia", "terapia"),
            ("TERAPÉUTICA", "TERAPÉUTICA".replace('É', "E").as_str()),
            ("pingüino", "pinguino"),
            ("niño", "nino"),
            ("naïve", "naive"),
            ("ça", "ca"),
            ("σοφία", "σοφια"),
            // Decomposed input folds as the composed one does.
            ("te\u{301}rapia", "terapia"),
            // Letters that are no base letter with an accent stay.
            ("straße", "straße"),
            ("한국어", "한국어"),
            ("ø", "ø"),
            ("trust", "trust"),
        ] {
            assert_eq!(fold(word), folded, "fold({word:?})");
        }
    }
}
