//! A fixed pseudo-random sequence for tests that try many generated
//! inputs: the same inputs on every run, no dependency.

/// A function giving numbers below its argument, from a linear
/// congruential sequence started at `seed`.
pub(crate) fn below(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |n| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    }
}

/// One to `most` of `pieces`, picked by `below` and joined: a generated
/// input for tests that compare two ways of doing one thing.
pub(crate) fn joined(
    pieces: &[&str],
    most: usize,
    below: &mut impl FnMut(usize) -> usize,
) -> String {
    (0..1 + below(most))
        .map(|_| pieces[below(pieces.len())])
        .collect()
}
