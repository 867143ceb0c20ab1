//! The stop-word check, which runs for every word of every page: the
//! list is kept by first letter and length, each word as one number
//! ([`short_key`]), so a word costs a few integer comparisons rather than
//! string comparisons in a binary search.

use std::sync::OnceLock;

use super::intern::short_key;
use crate::search::text::STOP_WORDS;

/// The longest stop word, in bytes.
pub(crate) const LONGEST_STOP_WORD: usize = 10;

/// Whether `word` (lower-case) is in [`STOP_WORDS`].
pub(crate) fn contains(word: &str) -> bool {
    type Table = [[Vec<u128>; LONGEST_STOP_WORD + 1]; 26];
    static TABLE: OnceLock<Table> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table: Table = Default::default();
        for w in STOP_WORDS {
            let letter = w.bytes().next().map(|b| usize::from(b.wrapping_sub(b'a')));
            if let (Some(list), Some(key)) = (
                letter
                    .and_then(|i| table.get_mut(i))
                    .and_then(|by_length| by_length.get_mut(w.len())),
                short_key(w),
            ) {
                list.push(key);
            }
        }
        table
    });
    let Some(first) = word.bytes().next() else {
        return false;
    };
    let Some(list) = table
        .get(usize::from(first.wrapping_sub(b'a')))
        .and_then(|by_length| by_length.get(word.len()))
    else {
        return false;
    };
    !list.is_empty() && short_key(word).is_some_and(|key| list.contains(&key))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_agrees_with_the_list() {
        let mut words: Vec<String> = super::STOP_WORDS.iter().map(|w| w.to_string()).collect();
        for w in super::STOP_WORDS {
            words.push(format!("{w}s"));
            words.push(w[1..].to_string());
            words.push(w.to_uppercase());
        }
        words.extend(["", "a", "zz", "yourselvesx", "therapy"].map(String::from));
        for w in &words {
            assert_eq!(
                super::contains(w),
                super::STOP_WORDS.binary_search(&w.as_str()).is_ok(),
                "{w:?}"
            );
        }
    }
}
