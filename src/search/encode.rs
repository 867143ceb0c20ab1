//! The compact text form of a postings list, as stored in the index shards.
//!
//! A postings list is the documents holding a term, in increasing order,
//! each with a weight from 1 to [`MAX_WEIGHT`]. It is written as a string
//! over the 64 characters of [`ALPHABET`] (all safe inside a JSON string),
//! one posting after another:
//!
//! - the gap from the previous document, minus one (the first posting's gap
//!   is its document number), as a base-32 number, most significant digit
//!   first: every digit but the last is written as the character for
//!   `32 + digit`, the last as the character for `digit`;
//! - the weight, as one character.
//!
//! A term in most documents costs about two characters per document.
//! `decode` in `search.js` reads this form.

/// The 64 characters of the encoding, in value order.
pub const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// The largest weight one character can hold.
pub const MAX_WEIGHT: u8 = 63;

/// One document holding a term, and how strongly. Packed (5 bytes, not
/// 8): every posting of the site is held at once while the index is
/// made, millions of them for a large handbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed)]
pub struct Posting {
    /// The document number.
    pub doc: u32,
    /// Its weight for the term, 1 to [`MAX_WEIGHT`].
    pub weight: u8,
}

/// Encodes `postings` (documents in increasing order, weights clamped to
/// 1..=[`MAX_WEIGHT`]).
pub fn encode(postings: &[Posting]) -> String {
    let mut out = Vec::with_capacity(postings.len() * 2);
    encode_into(&mut out, postings);
    // Only characters of `ALPHABET` were written.
    String::from_utf8(out).unwrap_or_default()
}

/// [`encode`], appended to `out` (the shard file being written).
pub fn encode_into(out: &mut Vec<u8>, postings: &[Posting]) {
    let mut previous: i64 = -1;
    for p in postings {
        let gap = (i64::from(p.doc) - previous - 1).max(0) as u64;
        previous = i64::from(p.doc);
        let digits = gap_digits(gap);
        for i in (1..digits).rev() {
            out.push(ALPHABET[32 + ((gap >> (5 * i)) & 31) as usize]);
        }
        out.push(ALPHABET[(gap & 31) as usize]);
        out.push(ALPHABET[usize::from(p.weight.clamp(1, MAX_WEIGHT))]);
    }
}

/// The length of [`encode`]`(postings)`, without making it.
pub fn encoded_len(postings: &[Posting]) -> usize {
    let mut previous: i64 = -1;
    postings
        .iter()
        .map(|p| {
            let gap = (i64::from(p.doc) - previous - 1).max(0) as u64;
            previous = i64::from(p.doc);
            gap_digits(gap) + 1
        })
        .sum()
}

/// How many base-32 digits `gap` takes (one for 0).
fn gap_digits(gap: u64) -> usize {
    let bits = 64 - gap.leading_zeros() as usize;
    bits.div_ceil(5).max(1)
}

/// Decodes a string written by [`encode`]; `None` if it is not one.
pub fn decode(text: &str) -> Option<Vec<Posting>> {
    let mut out = Vec::new();
    let mut doc: i64 = -1;
    let mut gap: i64 = 0;
    let mut open = false;
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        let v = value(b)? as i64;
        if v >= 32 {
            gap = gap.checked_mul(32)? + (v - 32);
            open = true;
            continue;
        }
        gap = gap.checked_mul(32)? + v;
        doc = doc.checked_add(gap + 1)?;
        let weight = value(bytes.next()?)?;
        out.push(Posting {
            doc: u32::try_from(doc).ok()?,
            weight,
        });
        gap = 0;
        open = false;
    }
    (!open).then_some(out)
}

fn value(b: u8) -> Option<u8> {
    ALPHABET.iter().position(|&a| a == b).map(|i| i as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(doc: u32, weight: u8) -> Posting {
        Posting { doc, weight }
    }

    #[test]
    fn small_gaps_take_two_characters_a_posting() {
        let list = [p(0, 1), p(1, 63), p(2, 10), p(3, 32)];
        let text = encode(&list);
        assert_eq!(text, "010_0A0W");
        assert_eq!(decode(&text).as_deref(), Some(&list[..]));
    }

    #[test]
    fn large_gaps_round_trip() {
        let list = [
            p(31, 5),
            p(32 + 31 + 1, 6),
            p(100_000, 7),
            p(4_000_000_000, 63),
        ];
        let text = encode(&list);
        assert_eq!(&text[..2], "V5", "a first gap of 31 is one digit");
        assert_eq!(decode(&text).as_deref(), Some(&list[..]));
        assert_eq!(encoded_len(&list), text.len());
    }

    #[test]
    fn gaps_take_as_many_digits_as_they_need() {
        for (gap, digits) in [
            (0, 1),
            (31, 1),
            (32, 2),
            (1023, 2),
            (1024, 3),
            (u64::MAX, 13),
        ] {
            assert_eq!(gap_digits(gap), digits, "{gap}");
        }
        let list: Vec<Posting> = [0, 31, 32, 1055, 1056, 40_000]
            .iter()
            .map(|&d| p(d, 9))
            .collect();
        let text = encode(&list);
        assert_eq!(decode(&text), Some(list.clone()));
        assert_eq!(encoded_len(&list), text.len());
    }

    #[test]
    fn weights_are_clamped() {
        assert_eq!(
            decode(&encode(&[p(5, 0), p(6, 200)])),
            Some(vec![p(5, 1), p(6, 63)])
        );
    }

    #[test]
    fn garbage_does_not_decode() {
        assert_eq!(decode("0"), None, "a gap without weight");
        assert_eq!(decode("W"), None, "an unfinished gap");
        assert_eq!(decode("0!"), None, "a character outside the alphabet");
        assert_eq!(decode(""), Some(Vec::new()));
    }
}
