//! Term strings numbered as they are first met, for building the index.
//!
//! Building the index looks up every word of every document, and a
//! `String` per word (or a hash map keyed by strings) was most of its
//! cost. Here a term of up to [`SHORT`] bytes, nearly every one, is looked up as one 128-bit number
//! holding its bytes and its length, so a lookup is one probe of a hash map
//! (foldhash, fast on integers) with no string comparison; longer terms go
//! to a map keyed by string. The strings themselves are kept end to end in
//! one `String`, read only to hand the terms out.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::ops::Range;

use foldhash::fast::FixedState;

/// Terms of at most this many bytes are looked up as one number.
const SHORT: usize = 15;

/// A term of at most [`SHORT`] bytes as one number: its length in the top
/// byte and, below it, numbers read from its bytes that together cover
/// every byte (two that may overlap), so different strings never share a
/// key. Read this way rather than copied byte by byte into a buffer: this
/// runs for every word of every page.
pub(crate) fn short_key(term: &str) -> Option<u128> {
    key_of(term.as_bytes(), 0)
}

/// [`short_key`] of `run` lower-cased, for a run of ASCII letters and
/// digits only, read from the run itself: for those bytes lower-casing is
/// setting bit 0x20 (digits have it already), done here on whole words of
/// bytes instead of on a copy.
pub(crate) fn short_key_lower(run: &str) -> Option<u128> {
    debug_assert!(run.bytes().all(|b| b.is_ascii_alphanumeric()));
    key_of(run.as_bytes(), 0x20)
}

/// [`short_key`] of `b` with `mask` OR-ed into every byte.
fn key_of(b: &[u8], mask: u8) -> Option<u128> {
    let n = b.len();
    let byte = |i: usize| u128::from(b[i] | mask);
    let u64_at = |i: usize| {
        b.get(i..i + 8)
            .and_then(|s| <[u8; 8]>::try_from(s).ok())
            .map(|s| u64::from_le_bytes(s) | u64::from_le_bytes([mask; 8]))
    };
    let u32_at = |i: usize| {
        b.get(i..i + 4)
            .and_then(|s| <[u8; 4]>::try_from(s).ok())
            .map(|s| u32::from_le_bytes(s) | u32::from_le_bytes([mask; 4]))
    };
    let bytes: u128 = match n {
        0 => 0,
        1..=3 => byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16,
        4..=7 => u128::from(u32_at(0)?) | u128::from(u32_at(n - 4)?) << 32,
        // The last 7 bytes (the 8 ending the term, less the first of them).
        8..=SHORT => u128::from(u64_at(0)?) | u128::from(u64_at(n - 8)? >> 8) << 64,
        _ => return None,
    };
    Some(bytes | (n as u128) << 120)
}

/// Distinct terms, numbered from 0 in the order they were first interned.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    /// Every term, end to end.
    text: String,
    /// Term *n* is `text[spans[n]]`.
    spans: Vec<Range<usize>>,
    /// Terms of at most [`SHORT`] bytes, by [`short_key`].
    short: HashMap<u128, u32, FixedState>,
    /// Longer terms.
    long: HashMap<Box<str>, u32, FixedState>,
}

impl Interner {
    /// The number of `term`, numbering it if it is new.
    pub fn intern(&mut self, term: &str) -> u32 {
        let n = u32::try_from(self.spans.len()).unwrap_or(u32::MAX);
        match short_key(term) {
            Some(key) => match self.short.entry(key) {
                Entry::Occupied(slot) => return *slot.get(),
                Entry::Vacant(slot) => {
                    slot.insert(n);
                }
            },
            None => {
                if let Some(&known) = self.long.get(term) {
                    return known;
                }
                self.long.insert(term.into(), n);
            }
        }
        let start = self.text.len();
        self.text.push_str(term);
        self.spans.push(start..self.text.len());
        n
    }

    /// Forgets every term, keeping the memory for the next document.
    pub fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
        self.short.clear();
        self.long.clear();
    }

    /// The terms, by number.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.spans
            .iter()
            .map(|span| self.text.get(span.clone()).unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_numbered_in_the_order_first_met() {
        let mut t = Interner::default();
        let long = "x".repeat(SHORT + 1);
        let words = [
            "trust", "repair", "trust", &long, "rupture", "repair", "trust", &long,
        ];
        let numbers: Vec<u32> = words.iter().map(|w| t.intern(w)).collect();
        assert_eq!(numbers, [0, 1, 0, 2, 3, 1, 0, 2]);
        assert_eq!(
            t.iter().collect::<Vec<_>>(),
            ["trust", "repair", long.as_str(), "rupture"]
        );
        t.clear();
        assert_eq!(t.iter().count(), 0);
        assert_eq!(t.intern("rupture"), 0);
        assert_eq!(t.iter().collect::<Vec<_>>(), ["rupture"]);
    }

    #[test]
    fn keys_tell_apart_every_short_term() {
        let terms = [
            "",
            "a",
            "a\0",
            "ab",
            "ba",
            "café",
            "cafe",
            "123456789012345",
        ];
        let keys: Vec<Option<u128>> = terms.iter().map(|t| short_key(t)).collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(k.is_some(), "{:?} is short", terms[i]);
            assert_eq!(keys.iter().filter(|o| *o == k).count(), 1, "{:?}", terms[i]);
        }
        assert_eq!(short_key("1234567890123456"), None, "16 bytes is long");
        // Every string of up to SHORT letters a and b: all keys differ.
        let mut all = std::collections::HashSet::new();
        for len in 0..=SHORT {
            for bits in 0..1u32 << len {
                let s: String = (0..len)
                    .map(|i| if bits >> i & 1 == 1 { 'b' } else { 'a' })
                    .collect();
                assert!(all.insert(short_key(&s)), "{s} shares a key");
            }
        }
        let mut t = Interner::default();
        let numbers: Vec<u32> = terms.iter().map(|w| t.intern(w)).collect();
        assert_eq!(numbers, (0..terms.len() as u32).collect::<Vec<_>>());
    }
}
