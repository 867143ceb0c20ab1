//! Whether a pattern in a quiz could be chance: the tests behind the
//! item-writing rules that look at many questions at once
//! (`answer-position`, `longest-choice`, `true-false-balance`).
//!
//! Each question is a trial with its own chance of the event (the key in
//! the first position is 1 in 4 for four choices, 1 in 3 for three), so the
//! count of events over a quiz follows a Poisson binomial distribution.
//! [`upper_tail`] and [`lower_tail`] give its exact tails, worked out by
//! the usual recurrence over the trials; a rule warns when the tail of what
//! it saw is below [`ALPHA`], after a Bonferroni correction when it looks at
//! several positions. A quiz of four questions can therefore never be
//! flagged for where its keys sit: even all four in one place is, so
//! corrected, more likely than that.

/// How unlikely under chance a pattern must be before a rule warns.
pub const ALPHA: f64 = 0.01;

/// The distribution of the number of successes in independent trials with
/// chances `p`: entry `k` is the chance of exactly `k` successes.
fn distribution(p: &[f64]) -> Vec<f64> {
    let mut dist = vec![1.0];
    for &chance in p {
        let mut next = vec![0.0; dist.len() + 1];
        for (k, &d) in dist.iter().enumerate() {
            next[k] += d * (1.0 - chance);
            next[k + 1] += d * chance;
        }
        dist = next;
    }
    dist
}

/// The chance of `k` or more successes in trials with chances `p`.
pub fn upper_tail(p: &[f64], k: usize) -> f64 {
    distribution(p).iter().skip(k).sum::<f64>().min(1.0)
}

/// The chance of `k` or fewer successes in trials with chances `p`.
pub fn lower_tail(p: &[f64], k: usize) -> f64 {
    distribution(p).iter().take(k + 1).sum::<f64>().min(1.0)
}

/// The two-sided chance of a count as far from the expected as `k`:
/// twice the smaller tail, at most 1.
pub fn two_sided(p: &[f64], k: usize) -> f64 {
    (2.0 * upper_tail(p, k).min(lower_tail(p, k))).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn tails_of_a_fair_coin() {
        let p = [0.5; 4];
        assert!(close(upper_tail(&p, 4), 1.0 / 16.0));
        assert!(close(upper_tail(&p, 0), 1.0));
        assert!(close(lower_tail(&p, 0), 1.0 / 16.0));
        assert!(close(lower_tail(&p, 4), 1.0));
        assert!(close(upper_tail(&p, 3), 5.0 / 16.0));
        assert!(close(two_sided(&p, 4), 1.0 / 8.0));
        assert!(close(two_sided(&p, 2), 1.0));
    }

    #[test]
    fn trials_with_different_chances() {
        // One sure trial and one at a quarter: two successes a quarter of the time.
        assert!(close(upper_tail(&[1.0, 0.25], 2), 0.25));
        assert!(close(lower_tail(&[1.0, 0.25], 0), 0.0));
        assert!(close(upper_tail(&[], 0), 1.0));
        assert!(close(upper_tail(&[0.5], 2), 0.0));
    }

    #[test]
    fn four_keys_in_one_place_are_not_beyond_chance() {
        // All four keys of four 4-choice questions in the first place,
        // two-sided, over four places (Bonferroni): 4 × 2 × 0.25⁴ ≈ 0.031,
        // above ALPHA.
        let p = [0.25; 4];
        assert!(close(4.0 * two_sided(&p, 4), 0.031_25));
        assert!(4.0 * two_sided(&p, 4) > ALPHA);
        // Five of five is beyond it: 4 × 2 × 0.25⁵ ≈ 0.0078.
        assert!(4.0 * two_sided(&[0.25; 5], 5) < ALPHA);
    }
}
