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
//!
//! The same patterns make two automata. The search over the text is a DFA
//! for unanchored searches only: one that could also search anchored would
//! be twice the size (5 MB for 1,800 patterns), and the search waits on its
//! table's loads. The rare retry at one place walks a small contiguous NFA,
//! anchored, as a trie.

use std::collections::HashMap;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::{self, DFA};
use aho_corasick::nfa::{contiguous, noncontiguous};
use aho_corasick::{Anchored, Input, MatchKind, StartKind};

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

/// The automata and, for each of their patterns, the term it stands for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matcher {
    automata: Option<Automata>,
    pattern_term: Vec<usize>,
}

/// The same patterns twice: for searching the text, and for trying every
/// pattern at one place.
#[derive(Debug, Clone)]
struct Automata {
    search: DFA,
    at_one_place: contiguous::NFA,
    anchored_start: StateID,
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
        let cannot =
            |e: &dyn std::fmt::Display| format!("cannot build the glossary term matcher: {e}");
        let trie = noncontiguous::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| cannot(&e))?;
        let search = dfa::Builder::new()
            .start_kind(StartKind::Unanchored)
            .build_from_noncontiguous(&trie)
            .map_err(|e| cannot(&e))?;
        let at_one_place = contiguous::Builder::new()
            .build_from_noncontiguous(&trie)
            .map_err(|e| cannot(&e))?;
        let anchored_start = at_one_place
            .start_state(Anchored::Yes)
            .map_err(|e| cannot(&e))?;
        Ok(Matcher {
            automata: Some(Automata {
                search,
                at_one_place,
                anchored_start,
            }),
            pattern_term,
        })
    }

    /// Every whole-word match in `text`, in order, non-overlapping.
    pub(crate) fn find(&self, text: &str) -> Vec<TermMatch> {
        let Some(automata) = &self.automata else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let Ok(Some(m)) = automata.search.try_find(&Input::new(text).range(pos..)) else {
                break;
            };
            let accepted = if !word_may_start_at(text, m.start()) {
                None
            } else if word_ends_at(text, m.end()) {
                let term = self.pattern_term.get(m.pattern().as_usize()).copied();
                term.map(|term| TermMatch {
                    start: m.start(),
                    end: m.end(),
                    term,
                })
            } else {
                // The longest match here is part of a longer word: try the shorter ones at the same start.
                self.longest_whole_word_at(automata, text, m.start())
            };
            match accepted {
                Some(found_here) => {
                    found.push(found_here);
                    pos = found_here.end.max(pos + 1);
                }
                None => pos = next_char_boundary(text, m.start() + 1),
            }
        }
        found
    }

    /// The longest pattern at `start` that ends a word: walks the anchored
    /// automaton from `start` until no pattern can go on.
    fn longest_whole_word_at(
        &self,
        automata: &Automata,
        text: &str,
        start: usize,
    ) -> Option<TermMatch> {
        let nfa = &automata.at_one_place;
        let mut state = automata.anchored_start;
        let mut longest = None;
        for (i, &byte) in text.as_bytes().get(start..)?.iter().enumerate() {
            state = nfa.next_state(Anchored::Yes, state, byte);
            if nfa.is_dead(state) {
                break;
            }
            let end = start + i + 1;
            if nfa.is_match(state) && word_ends_at(text, end) {
                if let Some(term) = self.term_spanning(state, end - start) {
                    longest = Some(TermMatch { start, end, term });
                }
            }
        }
        longest
    }

    /// The term of the pattern `len` bytes long that ends in `state` of the
    /// anchored automaton. A state may also hold shorter patterns, ending
    /// there but starting later (the suffixes an unanchored search needs):
    /// those do not start where the walk did.
    fn term_spanning(&self, state: StateID, len: usize) -> Option<usize> {
        let nfa = &self.automata.as_ref()?.at_one_place;
        (0..nfa.match_len(state))
            .map(|i| nfa.match_pattern(state, i))
            .find(|&pattern| nfa.pattern_len(pattern) == len)
            .and_then(|pattern| self.pattern_term.get(pattern.as_usize()).copied())
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

fn next_char_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}
