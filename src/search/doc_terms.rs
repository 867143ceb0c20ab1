//! One document's terms and their counts: what the index is made of,
//! counted for each document on its own (in parallel) before the terms are
//! numbered in the site's table.

use super::fast::term_cache::TermCache;
use super::index::Document;

/// One document's terms, each with its counts per field and whether it is
/// in the title.
pub(crate) struct DocTerms {
    /// The document's distinct terms, end to end (`ends[i]` is where term
    /// *i* ends).
    pub(crate) text: String,
    pub(crate) ends: Vec<usize>,
    /// Term *i*'s counts in headings, summary, body.
    pub(crate) counts: Vec<[u32; 3]>,
    /// Whether term *i* is in the title (or an alias).
    pub(crate) title: Vec<bool>,
    /// How many terms each field has, repeats counted.
    pub(crate) lengths: [usize; 3],
}

impl DocTerms {
    /// Counts `d`'s terms in `cache`, which each document a thread counts
    /// reuses (emptied first, so a term's number is its place in `counts`).
    pub(crate) fn of(d: &Document, cache: &mut TermCache) -> DocTerms {
        cache.clear();
        let mut t = DocTerms {
            text: String::new(),
            ends: Vec::new(),
            counts: Vec::new(),
            title: Vec::new(),
            lengths: [0; 3],
        };
        for title in std::iter::once(&d.title).chain(&d.aliases) {
            cache.for_each_term(title, |n| {
                let n = t.slot(n);
                t.title[n] = true;
            });
        }
        let fields = [
            (0, &d.headings[..]),
            (1, std::slice::from_ref(&d.summary)),
            (2, std::slice::from_ref(&d.body)),
        ];
        for (f, texts) in fields {
            // The headings one by one, as if joined by spaces: no word spans two.
            for text in texts {
                cache.for_each_term(text, |n| {
                    let n = t.slot(n);
                    t.counts[n][f] += 1;
                    t.lengths[f] += 1;
                });
            }
        }
        for term in cache.terms() {
            t.text.push_str(term);
            t.ends.push(t.text.len());
        }
        t
    }

    /// Term number `n`'s place in `counts` and `title` (its number: terms
    /// are numbered in the order first met), added if new.
    fn slot(&mut self, n: u32) -> usize {
        let n = n as usize;
        if n == self.counts.len() {
            self.counts.push([0; 3]);
            self.title.push(false);
        }
        n
    }
}
