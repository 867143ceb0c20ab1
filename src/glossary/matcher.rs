//! Finding glossary terms in prose: one pass over the text for all terms.
//!
//! Every term and alias, and their simple plurals (`+s`, `+es`), become the
//! patterns of one Aho–Corasick automaton, built once per glossary, matching
//! ASCII case-insensitively. At each place the longest pattern wins, and
//! matches do not overlap. A match counts only as a whole word: the
//! characters around it must not be letters, digits or `_`, nor a hyphen or
//! apostrophe joined to one ("non-inferiority" and "alliance's" are single
//! words, so neither "inferiority" nor "alliance" matches inside them). When
//! the longest match at a place is not a whole word, shorter ones starting
//! at the same place count, so "trust fundamentals" still finds "trust" when
//! "trust fund" is a term.
//!
//! The text is read once by a DFA with standard semantics, which reports
//! every pattern ending at each place (overlapping ones too); the rules
//! above then pick the matches from those: at each place where a word may
//! start, left to right, the longest pattern there that ends a word, and the
//! next pick starts after it. Reading the text waits on the loads of a table
//! of megabytes, one after the other, so a long text is read as two halves
//! at once, each load of one half overlapping one of the other; the second
//! half starts the longest pattern's length early, so no match across the
//! middle is missed.

use std::collections::HashMap;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::{self, DFA};
use aho_corasick::nfa::noncontiguous;
use aho_corasick::{Anchored, MatchKind, PatternID, StartKind};

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
    automaton: Option<Scanner>,
    pattern_term: Vec<usize>,
}

/// The patterns as a DFA reporting every pattern that ends at a place.
#[derive(Debug, Clone)]
struct Scanner {
    dfa: DFA,
    start: StateID,
    /// The longest pattern's length in bytes.
    longest: usize,
}

/// Texts shorter than this are read in one piece: splitting them gains
/// nothing.
const SPLIT_AT: usize = 256;

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
        let cannot =
            |e: &dyn std::fmt::Display| format!("cannot build the glossary term matcher: {e}");
        let trie = noncontiguous::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| cannot(&e))?;
        let dfa = dfa::Builder::new()
            .start_kind(StartKind::Unanchored)
            .build_from_noncontiguous(&trie)
            .map_err(|e| cannot(&e))?;
        let start = dfa.start_state(Anchored::No).map_err(|e| cannot(&e))?;
        let longest = dfa.max_pattern_len();
        Ok(Matcher {
            automaton: Some(Scanner {
                dfa,
                start,
                longest,
            }),
            pattern_term,
        })
    }

    /// Every whole-word match in `text`, in order, non-overlapping.
    pub(crate) fn find(&self, text: &str) -> Vec<TermMatch> {
        let Some(scanner) = &self.automaton else {
            return Vec::new();
        };
        // Each pattern ending somewhere that is a whole word there, as
        // (start, end, term).
        let mut whole: Vec<TermMatch> = Vec::new();
        scanner.each_match(text.as_bytes(), |end, pattern| {
            let start = end - scanner.dfa.pattern_len(pattern);
            // Both tests are false off a character boundary.
            if word_may_start_at(text, start) && word_ends_at(text, end) {
                if let Some(&term) = self.pattern_term.get(pattern.as_usize()) {
                    whole.push(TermMatch { start, end, term });
                }
            }
        });
        // By place, the longest first; then left to right, each pick the
        // longest at its place, and none overlapping the one before.
        whole.sort_unstable_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        let mut found: Vec<TermMatch> = Vec::new();
        for m in whole {
            if found.last().is_none_or(|last| m.start >= last.end) {
                found.push(m);
            }
        }
        found
    }
}

impl Scanner {
    /// Calls `report` with the end and pattern of every pattern in `text`,
    /// overlapping ones too, in no particular order.
    fn each_match(&self, text: &[u8], mut report: impl FnMut(usize, PatternID)) {
        if text.len() < SPLIT_AT.max(4 * self.longest) {
            let mut state = self.start;
            for (i, &byte) in text.iter().enumerate() {
                state = self.step(state, byte, i + 1, &mut report);
            }
            return;
        }
        // The first half reports patterns ending up to `middle`; the second
        // starts early enough to see whole every pattern ending after it,
        // and reports only those.
        let middle = text.len() / 2;
        let from = middle + 1 - self.longest;
        let (first, second) = (&text[..middle], &text[from..]);
        let (mut a, mut b) = (self.start, self.start);
        let mut quiet = |_: usize, _: PatternID| {};
        for (i, (&x, &y)) in first.iter().zip(second).enumerate() {
            a = self.step(a, x, i + 1, &mut report);
            b = if from + i < middle {
                self.step(b, y, from + i + 1, &mut quiet)
            } else {
                self.step(b, y, from + i + 1, &mut report)
            };
        }
        for (i, &y) in second.iter().enumerate().skip(first.len()) {
            b = self.step(b, y, from + i + 1, &mut report);
        }
    }

    /// The state after `byte`, reporting the patterns that end with it at
    /// `end`.
    #[inline(always)]
    fn step(
        &self,
        state: StateID,
        byte: u8,
        end: usize,
        report: &mut impl FnMut(usize, PatternID),
    ) -> StateID {
        let next = self.dfa.next_state(Anchored::No, state, byte);
        if self.dfa.is_special(next) && self.dfa.is_match(next) {
            for i in 0..self.dfa.match_len(next) {
                report(end, self.dfa.match_pattern(next, i));
            }
        }
        next
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

/// True when a word may start at byte `at` of `text`: at the start, or
/// after a character that is neither a word character nor a joiner attached
/// to one.
fn word_may_start_at(text: &str, at: usize) -> bool {
    let Some(before) = text.get(..at) else {
        return false;
    };
    let mut back = before.chars().rev();
    let last = back.next();
    word_may_follow(last, back.next())
}

/// True when a word may end at byte `end` of `text`: the mirror of
/// [`word_may_start_at`].
fn word_ends_at(text: &str, end: usize) -> bool {
    let Some(after) = text.get(end..) else {
        return false;
    };
    let mut fwd = after.chars();
    let next = fwd.next();
    word_may_follow(next, fwd.next())
}

/// Whether a word may begin or end next to `near`, with `far` beyond it.
fn word_may_follow(near: Option<char>, far: Option<char>) -> bool {
    match near {
        None => true,
        Some(c) if is_word_char(c) => false,
        Some(c) if is_joiner(c) => !far.is_some_and(is_word_char),
        Some(_) => true,
    }
}
