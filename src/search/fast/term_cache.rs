//! One document's words and the terms they became, so that counting a
//! word the document already had costs one hash probe.
//!
//! Building the index meets every word of every page. Lower-casing, the stop-word check and stemming
//! ([`Analyzer::make_term`]) give the same term each time a word comes
//! back, and an article uses about half its words more than once. So a
//! [`TermCache`] keeps, for each word of plain ASCII letters and digits
//! short enough to be one number ([`short_key_lower`], read from the text
//! without copying it), the number of the term it became, or that it is a
//! stop word. Other words (other letters, apostrophes, more than 15 bytes)
//! take the analyzer's way each time.
//!
//! The cache is emptied for each document rather than kept for a thread's
//! whole share of the site: one that held every word of a large site did
//! not fit in the processor's cache, and its lookups cost more than the
//! work they saved (docs/performance.md).

use std::collections::HashMap;

use foldhash::fast::FixedState;

use super::intern::{short_key_lower, Interner};
use crate::search::text::{each_run, lower_word, Analyzer, MIN_WORD};

/// In [`TermCache::words`], a word that is a stop word.
const STOP: u32 = u32::MAX;

/// Words met, the terms they became, and those terms numbered.
#[derive(Debug)]
pub(crate) struct TermCache {
    analyzer: Analyzer,
    /// Plain words by [`short_key_lower`]: the term's number in `terms`,
    /// or [`STOP`].
    words: HashMap<u128, u32, FixedState>,
    /// Every term this cache has handed out, numbered from 0 in the order
    /// first met.
    terms: Interner,
    /// The word being turned into a term, when it is not in `words`.
    word: String,
}

impl TermCache {
    /// An empty cache for `analyzer`'s rules.
    pub fn new(analyzer: Analyzer) -> TermCache {
        TermCache {
            analyzer,
            words: HashMap::default(),
            terms: Interner::default(),
            word: String::new(),
        }
    }

    /// Calls `f` with the number of each index term of `text`, in order,
    /// repeats kept: the terms [`Analyzer::for_each_term`] gives, numbered
    /// in this cache (see [`TermCache::terms`]).
    pub fn for_each_term(&mut self, text: &str, mut f: impl FnMut(u32)) {
        let TermCache {
            analyzer,
            words,
            terms,
            word,
        } = self;
        each_run(text, |run, plain| {
            let key = if plain && run.len() >= MIN_WORD {
                short_key_lower(run)
            } else {
                None
            };
            if let Some(&n) = key.and_then(|k| words.get(&k)) {
                if n != STOP {
                    f(n);
                }
                return;
            }
            if !lower_word(run, plain, word) {
                return;
            }
            let n = if analyzer.make_term(word) {
                terms.intern(word)
            } else {
                STOP
            };
            if let Some(k) = key {
                words.insert(k, n);
            }
            if n != STOP {
                f(n);
            }
        });
    }

    /// The terms, by number.
    pub fn terms(&self) -> impl Iterator<Item = &str> + '_ {
        self.terms.iter()
    }

    /// Forgets every word and term, keeping the memory for the next
    /// document (numbers start again from 0).
    pub fn clear(&mut self) {
        self.words.clear();
        self.terms.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_random::{below, joined};

    fn cached_terms(cache: &mut TermCache, text: &str) -> Vec<String> {
        let mut numbers = Vec::new();
        cache.for_each_term(text, |n| numbers.push(n));
        numbers
            .into_iter()
            .map(|n| {
                cache
                    .terms()
                    .nth(n as usize)
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn cached_terms_are_the_analyzers_terms() {
        for analyzer in [Analyzer::English, Analyzer::Spanish, Analyzer::Folded] {
            let mut cache = TermCache::new(analyzer);
            let text = "The Client's TRUST trusted, trusting; the clients' café \
                        Therapy therapies THERAPY Σίσυφος a1 A1 x \
                        internationalisation internationalisations";
            // Twice: the second time every plain word comes from the cache.
            for _ in 0..2 {
                assert_eq!(cached_terms(&mut cache, text), analyzer.terms(text));
            }
        }
    }

    #[test]
    fn cached_terms_agree_with_the_analyzer_on_random_text() {
        let pieces = [
            "the",
            "The",
            "THE",
            "trust",
            "Trusted",
            "TRUSTING",
            "café",
            "Ω",
            "ΣΑΣ",
            "don't",
            "client’s",
            "a",
            "ab",
            "x1",
            "2024",
            "the1",
            " ",
            ", ",
            "\n",
            "-",
            "'",
            "’",
            "aaaaaaaaaaaaaa",
            "bbbbbbbbbbbbbbbb",
            "Ééé",
            "İ",
        ];
        let mut below = below(7);
        let analyzer = Analyzer::English;
        let mut cache = TermCache::new(analyzer);
        for _ in 0..3_000 {
            let text = joined(&pieces, 12, &mut below);
            assert_eq!(
                cached_terms(&mut cache, &text),
                analyzer.terms(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_key_of_a_run_is_the_key_of_its_lower_case() {
        use super::super::intern::short_key;
        for run in [
            "ab",
            "AB",
            "a1B2",
            "Trust",
            "TRUSTING",
            "Therapy12345",
            "ABCDEFGHIJKLMNO",
            "Zz9",
        ] {
            assert_eq!(
                short_key_lower(run),
                short_key(&run.to_ascii_lowercase()),
                "{run}"
            );
        }
    }
}
