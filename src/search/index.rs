//! The inverted index: documents in, weighted postings per term, cut into
//! shards by term range; and the query, exactly as `search.js` runs it.
//!
//! **Weights.** Each (term, document) pair gets a BM25F weight computed at
//! build time: the term's counts in the headings (×2), summary (×2) and body
//! (×1), each normalised by its field's length against the average
//! (b = 0.75), summed and saturated (k1 = 1.2); plus a bonus of 2 when the
//! term is in the title (or a glossary term's aliases), outside the
//! saturation so a title match always counts. The weight is quantised to
//! 1..=63 (one character, see [`super::encode`]). Each term also stores its
//! IDF, `ln(1 + (N − df + 0.5)/(df + 0.5))`, ×100 as an integer, so the
//! browser ranks with integer arithmetic only and agrees with [`SearchIndex::query`].
//!
//! **Query.** The query's words become terms as in [`super::text`] (stop
//! words dropped, repeats merged, at most [`MAX_QUERY_TERMS`]). Each query
//! term matches its exact term (score 2 × idf × weight); the last word, when
//! it has 3 or more characters, also matches every indexed term it begins
//! ("anx" finds "anxiety"), at half that score, within the first
//! [`PREFIX_SHARDS`] shards that such terms can be in. A document's score for
//! a query term is its best match; results are ordered by how many query
//! terms they match, then by the sum of those scores, then by document
//! number.
//!
//! **Shards.** The terms, sorted by code point, are cut into consecutive
//! runs of about [`Options::shard_bytes`] each. Shard *i* holds the terms
//! from `keys[i]` up to (not including) `keys[i + 1]`, where each key is the
//! shortest prefix of the shard's first term that sorts after the previous
//! shard's last term (the first key is empty). A query word therefore needs
//! one shard, found by binary search over the keys, whatever the size of the
//! site; a very common term may fill a shard alone.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;
use std::ops::Range;

use rayon::prelude::*;
use serde_json::json;

use super::encode::{self, Posting, MAX_WEIGHT};
use super::text::{self, Analyzer};

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;
/// Field boosts inside the saturation: headings, summary, body.
const BOOSTS: [f64; 3] = [2.0, 2.0, 1.0];
/// Added, outside the saturation, when the term is in the title.
const TITLE_BONUS: f64 = 2.0;
/// The largest unquantised weight.
const MAX_RAW_WEIGHT: f64 = K1 + 1.0 + TITLE_BONUS;

/// Documents tokenised at a time while building (see [`SearchIndex::build`]).
const BATCH: usize = 1024;

/// At most this many query terms are used.
pub const MAX_QUERY_TERMS: usize = 10;
/// The last query word matches the terms it begins in at most this many
/// shards, so a short prefix cannot pull in much of the index.
pub const PREFIX_SHARDS: usize = 3;
/// The last query word must be this long (in characters) to match as a prefix.
pub const MIN_PREFIX: usize = 3;

/// What a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An article page.
    Article,
    /// A part page (or the home page's intro).
    Part,
    /// A glossary term.
    Term,
}

impl Kind {
    /// The name the search page's script sees.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Part => "part",
            Kind::Term => "term",
        }
    }
}

/// One thing to find: a page or a glossary term, as plain text.
#[derive(Debug, Clone)]
pub struct Document {
    /// Article, part or glossary term.
    pub kind: Kind,
    /// The title shown in results.
    pub title: String,
    /// Other names that count as the title (a term's aliases).
    pub aliases: Vec<String>,
    /// Site-relative URL, with `index.html` and maybe a `#fragment`.
    pub url: String,
    /// Where it sits, shown beside the title (a part's title, "Glossary").
    pub context: String,
    /// A sentence or two shown under the title.
    pub summary: String,
    /// The text of its headings.
    pub headings: Vec<String>,
    /// The plain text of its body (also used for snippets).
    pub body: String,
}

/// How to build an index.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Word rules.
    pub analyzer: Analyzer,
    /// The size a shard is cut at, in bytes.
    pub shard_bytes: usize,
    /// At most this many characters of a document's body go into its file
    /// for snippets (all of it is indexed).
    pub snippet_chars: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            analyzer: Analyzer { english: true },
            shard_bytes: 16 * 1024,
            snippet_chars: 30_000,
        }
    }
}

/// One indexed term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermEntry {
    /// The term.
    pub term: String,
    /// Its IDF ×100, at least 1.
    pub idf: u32,
    /// The documents holding it.
    pub postings: Vec<Posting>,
}

/// A built index, ready to write as files or to query.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    options: Options,
    docs: Vec<Document>,
    /// Sorted by term.
    terms: Vec<TermEntry>,
    /// Each shard's key and its range of `terms`.
    shards: Vec<(String, Range<usize>)>,
}

/// A query term: its exact term and maybe a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The term the word becomes.
    pub term: String,
    /// For the last word: the word itself, matched as a prefix.
    pub prefix: Option<String>,
}

/// One result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The document number.
    pub doc: u32,
    /// How many query terms it matches.
    pub matched: u32,
    /// Its score.
    pub score: u64,
}

/// The results of a query and the shards it needed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Results {
    /// Best first.
    pub hits: Vec<Hit>,
    /// The shards read.
    pub shards: BTreeSet<usize>,
}

/// A file of the index, relative to the search page's folder.
#[derive(Debug, Clone)]
pub struct IndexFile {
    /// E.g. `meta.js`, `index/3.js`, `docs/17.js`.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl SearchIndex {
    /// Indexes `docs` (document numbers are their positions).
    pub fn build(docs: Vec<Document>, options: &Options) -> SearchIndex {
        let analyzer = options.analyzer;
        // Terms are numbered as they are first met, a batch of documents at a
        // time, so what is kept per document is numbers, not every word of
        // every document as a string (hundreds of megabytes for a large site).
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        let mut per_doc: Vec<NumberedTerms> = Vec::with_capacity(docs.len());
        for batch in docs.chunks(BATCH) {
            let counted: Vec<DocTerms> = batch
                .par_iter()
                .map(|d| DocTerms::of(d, analyzer))
                .collect();
            for c in counted {
                per_doc.push(c.numbered(&mut numbers, &mut names));
            }
        }
        drop(numbers);
        let n = per_doc.len().max(1) as f64;
        let mut avg = [0.0f64; 3];
        for d in &per_doc {
            for (a, len) in avg.iter_mut().zip(d.lengths) {
                *a += len as f64 / n;
            }
        }
        let weighted: Vec<Vec<(u32, u8)>> =
            per_doc.into_par_iter().map(|d| d.weights(&avg)).collect();
        let mut by_term: Vec<Vec<Posting>> = vec![Vec::new(); names.len()];
        for (doc, terms) in weighted.into_iter().enumerate() {
            let doc = u32::try_from(doc).unwrap_or(u32::MAX);
            for (term, weight) in terms {
                by_term[term as usize].push(Posting { doc, weight });
            }
        }
        let total = docs.len() as f64;
        let mut terms: Vec<TermEntry> = names
            .into_iter()
            .zip(by_term)
            .map(|(term, postings)| {
                let df = postings.len() as f64;
                let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
                TermEntry {
                    term,
                    idf: ((idf * 100.0).round() as u32).max(1),
                    postings,
                }
            })
            .collect();
        terms.sort_unstable_by(|a, b| a.term.cmp(&b.term));
        let shards = cut_shards(&terms, options.shard_bytes);
        SearchIndex {
            options: *options,
            docs,
            terms,
            shards,
        }
    }

    /// The documents, by number.
    pub fn docs(&self) -> &[Document] {
        &self.docs
    }

    /// Every term, sorted.
    pub fn terms(&self) -> &[TermEntry] {
        &self.terms
    }

    /// The term `term`, if indexed.
    pub fn term(&self, term: &str) -> Option<&TermEntry> {
        self.terms
            .binary_search_by(|t| t.term.as_str().cmp(term))
            .ok()
            .map(|i| &self.terms[i])
    }

    /// The shards' keys, in order.
    pub fn shard_keys(&self) -> Vec<&str> {
        self.shards.iter().map(|(k, _)| k.as_str()).collect()
    }

    /// The terms of shard `i` (empty if there is no such shard).
    pub fn shard_terms(&self, i: usize) -> &[TermEntry] {
        self.shards
            .get(i)
            .map_or(&[][..], |(_, range)| &self.terms[range.clone()])
    }

    /// The shard that holds `term` if anything does: the last whose key
    /// sorts at or before it.
    pub fn shard_of(&self, term: &str) -> usize {
        self.shards
            .partition_point(|(key, _)| key.as_str() <= term)
            .saturating_sub(1)
    }

    /// The shards whose terms may begin with `prefix`, at most [`PREFIX_SHARDS`].
    pub fn prefix_shards(&self, prefix: &str) -> Vec<usize> {
        let first = self.shard_of(prefix);
        let mut out = vec![first];
        let mut next = first + 1;
        while out.len() < PREFIX_SHARDS
            && next < self.shards.len()
            && self.shards[next].0.starts_with(prefix)
        {
            out.push(next);
            next += 1;
        }
        out
    }

    /// The terms of a query (see the module docs).
    pub fn query_terms(&self, query: &str) -> Vec<QueryTerm> {
        plan(self.options.analyzer, query)
    }

    /// Runs a query as the search page does.
    pub fn query(&self, query: &str) -> Results {
        let mut results = Results::default();
        let mut score: HashMap<u32, (u32, u64)> = HashMap::new();
        for qt in self.query_terms(query) {
            let mut best: HashMap<u32, u64> = HashMap::new();
            results.shards.insert(self.shard_of(&qt.term));
            if let Some(entry) = self.term(&qt.term) {
                add_matches(&mut best, entry, 2);
            }
            if let Some(prefix) = &qt.prefix {
                for s in self.prefix_shards(prefix) {
                    results.shards.insert(s);
                    for entry in self.shard_terms(s) {
                        if entry.term.starts_with(prefix.as_str()) && entry.term != qt.term {
                            add_matches(&mut best, entry, 1);
                        }
                    }
                }
            }
            for (doc, s) in best {
                let e = score.entry(doc).or_default();
                e.0 += 1;
                e.1 += s;
            }
        }
        results.hits = score
            .into_iter()
            .map(|(doc, (matched, score))| Hit {
                doc,
                matched,
                score,
            })
            .collect();
        results.hits.sort_unstable_by(|a, b| {
            b.matched
                .cmp(&a.matched)
                .then(b.score.cmp(&a.score))
                .then(a.doc.cmp(&b.doc))
        });
        results
    }

    /// The files the search page downloads to show the first `shown`
    /// results of `query`: `meta.js`, the shards, the documents.
    pub fn payload(&self, query: &str, shown: usize) -> Vec<String> {
        let results = self.query(query);
        let mut files = vec!["meta.js".to_string()];
        files.extend(results.shards.iter().map(|s| shard_path(*s)));
        files.extend(results.hits.iter().take(shown).map(|h| doc_path(h.doc)));
        files
    }

    /// Every file of the index, relative to the search page's folder.
    pub fn files(&self) -> Vec<IndexFile> {
        let mut files = vec![self.meta_file()];
        let shards: Vec<IndexFile> = (0..self.shards.len())
            .into_par_iter()
            .map(|i| self.shard_file(i))
            .collect();
        files.extend(shards);
        let docs: Vec<IndexFile> = (0..self.docs.len())
            .into_par_iter()
            .map(|i| self.doc_file(i))
            .collect();
        files.extend(docs);
        files
    }

    /// The files of [`SearchIndex::files`], each handed to `write` as soon as
    /// it is made (on several threads, in no set order), so that they are
    /// never all in memory at once.
    pub fn for_each_file(&self, write: impl Fn(IndexFile) + Sync + Send) {
        write(self.meta_file());
        (0..self.shards.len())
            .into_par_iter()
            .for_each(|i| write(self.shard_file(i)));
        (0..self.docs.len())
            .into_par_iter()
            .for_each(|i| write(self.doc_file(i)));
    }

    /// `meta.js`.
    fn meta_file(&self) -> IndexFile {
        let keys = self.shard_keys();
        let meta = json!({
            "version": 1,
            "docs": self.docs.len(),
            "english": self.options.analyzer.english,
            "stopWords": if self.options.analyzer.english { text::STOP_WORDS } else { &[] },
            "minWord": text::MIN_WORD,
            "maxWord": text::MAX_WORD,
            "maxTerms": MAX_QUERY_TERMS,
            "minPrefix": MIN_PREFIX,
            "prefixShards": PREFIX_SHARDS,
            "keys": keys,
        });
        IndexFile {
            path: "meta.js".into(),
            bytes: format!("window.trellisSearch.meta({meta});\n").into_bytes(),
        }
    }

    /// Shard `i`'s file.
    fn shard_file(&self, i: usize) -> IndexFile {
        IndexFile {
            path: shard_path(i),
            bytes: format!(
                "window.trellisSearch.shard({i},[{}]);\n",
                self.shard_terms(i)
                    .iter()
                    .map(entry_json)
                    .collect::<Vec<_>>()
                    .join(",")
            )
            .into_bytes(),
        }
    }

    /// Document `i`'s file.
    fn doc_file(&self, i: usize) -> IndexFile {
        let d = &self.docs[i];
        let text: String = d.body.chars().take(self.options.snippet_chars).collect();
        let data = json!({
            "kind": d.kind.as_str(),
            "title": d.title,
            "url": d.url,
            "context": d.context,
            "summary": d.summary,
            "text": text,
        });
        IndexFile {
            path: doc_path(i as u32),
            bytes: format!("window.trellisSearch.doc({i},{data});\n").into_bytes(),
        }
    }
}

/// `index/<i>.js`.
pub fn shard_path(i: usize) -> String {
    format!("index/{i}.js")
}

/// `docs/<i>.js`.
pub fn doc_path(i: u32) -> String {
    format!("docs/{i}.js")
}

/// The query terms of `query` (see the module docs).
pub fn plan(analyzer: Analyzer, query: &str) -> Vec<QueryTerm> {
    let words: Vec<String> = text::words(query).collect();
    let mut out: Vec<QueryTerm> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let Some(term) = analyzer.term(word) else {
            continue;
        };
        let prefix =
            (i + 1 == words.len() && word.chars().count() >= MIN_PREFIX).then(|| word.clone());
        if let Some(existing) = out.iter_mut().find(|q| q.term == term) {
            if prefix.is_some() {
                existing.prefix = prefix;
            }
        } else if out.len() < MAX_QUERY_TERMS {
            out.push(QueryTerm { term, prefix });
        }
    }
    out
}

fn add_matches(best: &mut HashMap<u32, u64>, entry: &TermEntry, factor: u64) {
    for p in &entry.postings {
        let s = factor * u64::from(entry.idf) * u64::from(p.weight);
        let b = best.entry(p.doc).or_default();
        *b = (*b).max(s);
    }
}

fn entry_json(t: &TermEntry) -> String {
    let mut s = String::with_capacity(t.term.len() + t.postings.len() * 2 + 16);
    let _ = write!(
        s,
        "[{},{},\"{}\"]",
        serde_json::Value::from(t.term.as_str()),
        t.idf,
        encode::encode(&t.postings)
    );
    s
}

/// Cuts sorted terms into shards of about `limit` bytes (see the module docs).
fn cut_shards(terms: &[TermEntry], limit: usize) -> Vec<(String, Range<usize>)> {
    let sizes: Vec<usize> = terms.par_iter().map(|t| entry_json(t).len() + 1).collect();
    let mut shards: Vec<(String, Range<usize>)> = vec![(String::new(), 0..0)];
    let mut size = 0;
    for (i, (t, bytes)) in terms.iter().zip(sizes).enumerate() {
        if size > 0 && size + bytes > limit {
            let key = shortest_key_after(&terms[i - 1].term, &t.term);
            shards.push((key, i..i));
            size = 0;
        }
        if let Some(last) = shards.last_mut() {
            last.1.end = i + 1;
        }
        size += bytes;
    }
    shards
}

/// The shortest prefix of `first` that sorts after `previous` (which sorts
/// before `first`).
fn shortest_key_after(previous: &str, first: &str) -> String {
    let mut key = String::new();
    for c in first.chars() {
        key.push(c);
        if key.as_str() > previous {
            return key;
        }
    }
    key
}

/// One document's terms per field.
struct DocTerms {
    title: BTreeSet<String>,
    /// headings, summary, body: term -> count.
    counts: HashMap<String, [u32; 3]>,
    lengths: [usize; 3],
}

impl DocTerms {
    fn of(d: &Document, analyzer: Analyzer) -> DocTerms {
        let mut title: BTreeSet<String> = analyzer.terms(&d.title).into_iter().collect();
        for alias in &d.aliases {
            title.extend(analyzer.terms(alias));
        }
        let fields = [
            analyzer.terms(&d.headings.join(" ")),
            analyzer.terms(&d.summary),
            analyzer.terms(&d.body),
        ];
        let mut counts: HashMap<String, [u32; 3]> = HashMap::new();
        let mut lengths = [0; 3];
        for (f, terms) in fields.into_iter().enumerate() {
            lengths[f] = terms.len();
            for t in terms {
                counts.entry(t).or_default()[f] += 1;
            }
        }
        for t in &title {
            counts.entry(t.clone()).or_default();
        }
        DocTerms {
            title,
            counts,
            lengths,
        }
    }

    /// The same counts with each term replaced by its number in `names`
    /// (numbering the terms not met before).
    fn numbered(
        self,
        numbers: &mut HashMap<String, u32>,
        names: &mut Vec<String>,
    ) -> NumberedTerms {
        let mut number = |term: String| -> u32 {
            if let Some(&n) = numbers.get(&term) {
                return n;
            }
            let n = u32::try_from(names.len()).unwrap_or(u32::MAX);
            names.push(term.clone());
            numbers.insert(term, n);
            n
        };
        let counts: Vec<(u32, [u32; 3])> = self
            .counts
            .into_iter()
            .map(|(term, counts)| (number(term), counts))
            .collect();
        let mut title: Vec<u32> = self.title.into_iter().map(number).collect();
        title.sort_unstable();
        NumberedTerms {
            title,
            counts,
            lengths: self.lengths,
        }
    }
}

/// [`DocTerms`] with terms as numbers.
struct NumberedTerms {
    /// Sorted.
    title: Vec<u32>,
    /// Term -> count in headings, summary, body.
    counts: Vec<(u32, [u32; 3])>,
    lengths: [usize; 3],
}

impl NumberedTerms {
    /// Each term's quantised weight (see the module docs).
    fn weights(self, avg: &[f64; 3]) -> Vec<(u32, u8)> {
        let norms: Vec<f64> = (0..3)
            .map(|f| {
                if avg[f] > 0.0 {
                    1.0 - B + B * self.lengths[f] as f64 / avg[f]
                } else {
                    1.0
                }
            })
            .collect();
        self.counts
            .iter()
            .map(|&(term, counts)| {
                let tf: f64 = (0..3)
                    .map(|f| BOOSTS[f] * f64::from(counts[f]) / norms[f])
                    .sum();
                let mut w = tf * (K1 + 1.0) / (tf + K1);
                if self.title.binary_search(&term).is_ok() {
                    w += TITLE_BONUS;
                }
                let q = (w / MAX_RAW_WEIGHT * f64::from(MAX_WEIGHT)).round();
                let q = q.clamp(1.0, f64::from(MAX_WEIGHT)) as u8;
                (term, q)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, body: &str) -> Document {
        Document {
            kind: Kind::Article,
            title: title.into(),
            aliases: Vec::new(),
            url: format!("{}/index.html", title.to_lowercase().replace(' ', "-")),
            context: String::new(),
            summary: String::new(),
            headings: Vec::new(),
            body: body.into(),
        }
    }

    fn titles(index: &SearchIndex, query: &str) -> Vec<String> {
        index
            .query(query)
            .hits
            .iter()
            .map(|h| index.docs()[h.doc as usize].title.clone())
            .collect()
    }

    fn small() -> SearchIndex {
        SearchIndex::build(
            vec![
                doc(
                    "Trust",
                    "Trust grows slowly between a client and a therapist.",
                ),
                doc(
                    "Repair",
                    "When trust breaks, a rupture can be repaired. Trusting again takes time.",
                ),
                doc(
                    "Anxiety",
                    "Anxious feelings are common before a first session.",
                ),
                doc(
                    "Sessions",
                    "A session lasts fifty minutes. Sessions are private.",
                ),
            ],
            &Options::default(),
        )
    }

    #[test]
    fn a_word_finds_its_forms_and_the_title_match_ranks_first() {
        let index = small();
        assert_eq!(titles(&index, "trusted"), ["Trust", "Repair"]);
        assert_eq!(titles(&index, "session"), ["Sessions", "Anxiety"]);
        assert!(index.query("the and of").hits.is_empty(), "stop words only");
        assert!(index.query("zebra").hits.is_empty());
    }

    #[test]
    fn documents_matching_more_query_words_come_first() {
        let index = small();
        let hits = titles(&index, "trust rupture");
        assert_eq!(hits, ["Repair", "Trust"]);
        let r = index.query("trust rupture");
        assert_eq!(r.hits[0].matched, 2);
        assert_eq!(r.hits[1].matched, 1);
    }

    #[test]
    fn the_last_word_also_matches_as_a_prefix() {
        let index = small();
        assert_eq!(titles(&index, "anx"), ["Anxiety"]);
        assert!(titles(&index, "an").is_empty(), "too short for a prefix");
        assert_eq!(
            titles(&index, "anx trust"),
            ["Trust", "Repair"],
            "only the last word"
        );
        let plan = index.query_terms("Feelings  anx");
        assert_eq!(
            plan,
            [
                QueryTerm {
                    term: "feel".into(),
                    prefix: None
                },
                QueryTerm {
                    term: "anx".into(),
                    prefix: Some("anx".into())
                },
            ]
        );
    }

    #[test]
    fn exact_matches_outrank_prefix_matches() {
        let index = SearchIndex::build(
            vec![doc("One", "careful"), doc("Two", "car")],
            &Options::default(),
        );
        assert_eq!(titles(&index, "car"), ["Two", "One"]);
        let r = index.query("car");
        assert_eq!(r.hits[0].score, 2 * r.hits[1].score);
    }

    #[test]
    fn bm25_favours_rarer_terms_and_denser_documents() {
        let index = SearchIndex::build(
            vec![
                doc("A", "grief grief grief loss"),
                doc(
                    "B",
                    "grief and many other words about something else entirely here",
                ),
                doc("C", "loss"),
                doc("D", "loss"),
            ],
            &Options::default(),
        );
        let grief = index.term("grief").expect("indexed");
        let loss = index.term("loss").expect("indexed");
        assert!(grief.idf > loss.idf, "grief is in fewer documents");
        let w = |e: &TermEntry, d: u32| e.postings.iter().find(|p| p.doc == d).map(|p| p.weight);
        assert!(w(grief, 0) > w(grief, 1), "more often, in a shorter body");
        assert_eq!(titles(&index, "grief"), ["A", "B"]);
    }

    #[test]
    fn weights_stay_in_one_character() {
        let body = "word ".repeat(500);
        let index = SearchIndex::build(
            vec![doc("Word", &body), doc("Other", "x y")],
            &Options::default(),
        );
        let entry = index.term("word").expect("indexed");
        assert_eq!(entry.postings[0].weight, MAX_WEIGHT);
        assert!(index
            .terms()
            .iter()
            .flat_map(|t| &t.postings)
            .all(|p| (1..=MAX_WEIGHT).contains(&p.weight)));
    }

    #[test]
    fn shards_cover_the_terms_in_order_and_stay_small() {
        let docs: Vec<Document> = (0..300)
            .map(|i| {
                doc(
                    &format!("Doc {i}"),
                    &format!("common word{i} term{} shared{}", i % 7, i % 3),
                )
            })
            .collect();
        let options = Options {
            shard_bytes: 2048,
            ..Options::default()
        };
        let index = SearchIndex::build(docs, &options);
        let keys = index.shard_keys();
        assert!(keys.len() > 3, "cut into several shards: {keys:?}");
        assert_eq!(keys[0], "");
        assert!(keys.windows(2).all(|k| k[0] < k[1]), "keys increase");
        let mut seen = 0;
        for (i, key) in keys.iter().enumerate() {
            let terms = index.shard_terms(i);
            assert!(!terms.is_empty());
            for t in terms {
                assert!(t.term.as_str() >= *key);
                assert_eq!(
                    index.shard_of(&t.term),
                    i,
                    "{} is found in its shard",
                    t.term
                );
            }
            let size: usize = terms.iter().map(|t| entry_json(t).len() + 1).sum();
            assert!(
                size <= options.shard_bytes || terms.len() == 1,
                "shard {i} is {size} bytes"
            );
            seen += terms.len();
        }
        assert_eq!(seen, index.terms().len());
        // A term that is not indexed still maps to the one shard it would be in.
        let s = index.shard_of("word150x");
        assert!(keys[s] <= "word150x" && keys.get(s + 1).is_none_or(|k| *k > "word150x"));
    }

    #[test]
    fn shard_keys_are_the_shortest_separating_prefixes() {
        assert_eq!(shortest_key_after("apple", "banana"), "b");
        assert_eq!(shortest_key_after("care", "carefully"), "caref");
        assert_eq!(shortest_key_after("car", "care"), "care");
        assert_eq!(shortest_key_after("zz", "é"), "é");
    }

    #[test]
    fn a_query_reads_one_shard_a_word_and_the_files_exist() {
        let docs: Vec<Document> = (0..200)
            .map(|i| {
                doc(
                    &format!("Doc {i}"),
                    &format!("alpha{i} beta{i} gamma{i} delta{i}"),
                )
            })
            .collect();
        let index = SearchIndex::build(
            docs,
            &Options {
                shard_bytes: 1024,
                ..Options::default()
            },
        );
        let files = index.files();
        let shard_count = index.shard_keys().len();
        assert!(shard_count > 10);
        let r = index.query("beta42 gamma199");
        assert_eq!(r.shards.len(), 2, "one shard a word");
        let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        let payload = index.payload("beta42 gamma199", 10);
        assert_eq!(payload.len(), 1 + 2 + 2, "meta, two shards, two documents");
        for p in payload {
            assert!(paths.contains(&p), "{p} is written");
        }
        assert_eq!(
            titles(&index, "beta42 gamma199"),
            ["Doc 42", "Doc 199"],
            "one word each, ties by document number"
        );
        let meta = String::from_utf8(files[0].bytes.clone()).expect("utf-8");
        assert!(meta.starts_with("window.trellisSearch.meta({"));
        let shard = String::from_utf8(files[1].bytes.clone()).expect("utf-8");
        assert!(
            shard.starts_with("window.trellisSearch.shard(0,[[\""),
            "{shard}"
        );
    }

    #[test]
    fn prefix_queries_read_a_bounded_number_of_shards() {
        let docs: Vec<Document> = (0..400)
            .map(|i| doc(&format!("Doc {i}"), &format!("prefixword{i}")))
            .collect();
        let index = SearchIndex::build(
            docs,
            &Options {
                shard_bytes: 256,
                ..Options::default()
            },
        );
        let r = index.query("prefixw");
        assert!(r.shards.len() <= PREFIX_SHARDS, "{:?}", r.shards);
        assert!(!r.hits.is_empty());
    }
}
