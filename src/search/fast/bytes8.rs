//! Finding the next byte of interest in text eight bytes at a time, each
//! eight tested as one 64-bit number: for the loops that run over the text
//! of every page (HTML to text, text to JSON), where going a byte at a time
//! was most of their cost.

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// The high bit of each byte of `x` below `n` (`n` at most 0x80). A borrow
/// only runs upward from a byte that is below `n`, so bytes above the first
/// one marked may be marked wrongly: only the first is used.
pub(crate) fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS
}

/// The high bit of each byte of `x` equal to `b` (the first one right, as
/// for [`below`]).
pub(crate) fn equal(x: u64, b: u8) -> u64 {
    below(x ^ (ONES * u64::from(b)), 1)
}

/// The high bit of each byte of `x` from 0x80 up (exact).
pub(crate) fn non_ascii(x: u64) -> u64 {
    x & HIGHS
}

/// The first place from `i` on, eight bytes at a time, where `marks` (given
/// eight bytes as a little-endian number) marks a byte with its high bit;
/// it may stop early, within the last seven bytes of `bytes`, so the caller
/// still tests each byte it stops at.
pub(crate) fn skip_unmarked(bytes: &[u8], mut i: usize, marks: impl Fn(u64) -> u64) -> usize {
    while let Some(eight) = bytes.get(i..i + 8) {
        let Ok(eight) = <[u8; 8]>::try_from(eight) else {
            break;
        };
        let marked = marks(u64::from_le_bytes(eight));
        if marked != 0 {
            return i + (marked.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_byte_marked_is_found_wherever_it_is() {
        let marks = |x: u64| below(x, 0x21) | non_ascii(x) | equal(x, b'<');
        let plain = |b: u8| b > 0x20 && b < 0x80 && b != b'<';
        for len in 0..20 {
            for at in 0..=len {
                for odd in [b' ', b'\n', b'<', 0x00, 0xc3] {
                    // Plain bytes, `odd` at `at` (none when at == len), and
                    // bytes just above the limits after it.
                    let mut text: Vec<u8> = (0..len).map(|k| b'!' + (k as u8 % 90)).collect();
                    if at < len {
                        text[at] = odd;
                        for k in at + 1..len {
                            text[k] = [b'!', b'=', b'~', 0x7f][k % 4];
                        }
                    }
                    let stop = skip_unmarked(&text, 0, marks);
                    let first = text.iter().position(|&b| !plain(b)).unwrap_or(len);
                    assert!(stop <= first, "{text:?}: stopped past {first} at {stop}");
                    assert!(
                        stop == first || len - stop < 8,
                        "{text:?}: stopped early at {stop}, not {first}"
                    );
                }
            }
        }
    }
}
