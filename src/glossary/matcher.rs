//! Finding glossary terms in prose: one pass over the text for all terms.
//!
//! Every term and alias, and their simple plurals (`+s`, `+es`), become the
//! patterns of one Aho–Corasick automaton, built once per glossary, matching
//! ASCII case-insensitively with leftmost-longest semantics. A match counts
//! only as a whole word: the characters around it must not be letters, digits
//! or `_`, nor a hyphen or apostrophe joined to one ("non-inferiority" and
//! "alliance's" are single words, so neither "inferiority" nor "alliance"
//! matches inside them). When the longest match at a place is not a whole
//! word, shorter ones starting at the same place are tried before moving on,
//! so "trust fundamentals" still finds "trust" when "trust fund" is a term.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::Term;

/// One use of a term in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMatch {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// Index of the term in [`super::Glossary::terms`].
    pub term: usize,
}

/// The automaton and, for each of its patterns, the term it stands for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matcher {
    automaton: Option<AhoCorasick>,
    pattern_term: Vec<usize>,
}

impl Matcher {
    /// Builds the automaton for `terms` (indices refer to this slice). Fails
    /// only when the automaton would be too large.
    pub(crate) fn new(terms: &[Term]) -> Result<Matcher, String> {
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_term: Vec<usize> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut add = |form: String, term: usize| {
            let key = form.to_ascii_lowercase();
            if form.is_empty() || seen.contains_key(&key) {
                return;
            }
            seen.insert(key, term);
            patterns.push(form);
            pattern_term.push(term);
        };
        // Names as written first, so a plural form never takes a name's place.
        for (i, t) in terms.iter().enumerate() {
            for name in std::iter::once(&t.term).chain(&t.aliases) {
                add(name.clone(), i);
            }
        }
        for (i, t) in terms.iter().enumerate() {
            for name in std::iter::once(&t.term).chain(&t.aliases) {
                add(format!("{name}s"), i);
                add(format!("{name}es"), i);
            }
        }
        if patterns.is_empty() {
            return Ok(Matcher::default());
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| format!("cannot build the glossary term matcher: {e}"))?;
        Ok(Matcher {
            automaton: Some(automaton),
            pattern_term,
        })
    }

    /// Every whole-word match in `text`, in order, non-overlapping.
    pub(crate) fn find(&self, text: &str) -> Vec<TermMatch> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let Ok(Some(m)) = ac.try_find(Input::new(text).range(pos..)) else {
                break;
            };
            let mut candidate = Some(m);
            let mut accepted = None;
            while let Some(c) = candidate {
                if is_whole_word(text, c.start(), c.end()) {
                    accepted = Some(c);
                    break;
                }
                // The longest match here is part of a longer word: try a shorter one at the same start.
                if c.end() <= c.start() + 1 {
                    break;
                }
                let shorter = Input::new(text)
                    .range(c.start()..c.end() - 1)
                    .anchored(Anchored::Yes);
                candidate = ac.try_find(shorter).ok().flatten();
            }
            match accepted {
                Some(c) => {
                    if let Some(&term) = self.pattern_term.get(c.pattern().as_usize()) {
                        found.push(TermMatch {
                            start: c.start(),
                            end: c.end(),
                            term,
                        });
                    }
                    pos = c.end().max(pos + 1);
                }
                None => pos = next_char_boundary(text, m.start() + 1),
            }
        }
        found
    }
}

/// Letters, digits and `_`.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Hyphens and apostrophes: part of a word when a word character is on their far side.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '\u{2019}' | '\u{2010}' | '\u{2011}')
}

/// True when `text[start..end]` is not part of a longer word.
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let (Some(before), Some(after)) = (text.get(..start), text.get(end..)) else {
        return false;
    };
    let mut back = before.chars().rev();
    let ok_before = match back.next() {
        None => true,
        Some(c) if is_word_char(c) => false,
        Some(c) if is_joiner(c) => !back.next().is_some_and(is_word_char),
        Some(_) => true,
    };
    let mut fwd = after.chars();
    let ok_after = match fwd.next() {
        None => true,
        Some(c) if is_word_char(c) => false,
        Some(c) if is_joiner(c) => !fwd.next().is_some_and(is_word_char),
        Some(_) => true,
    };
    ok_before && ok_after
}

fn next_char_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}
