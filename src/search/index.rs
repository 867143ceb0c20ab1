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
use std::ops::Range;

use rayon::prelude::*;
use serde_json::json;

use super::doc_terms::DocTerms;
use super::encode::{self, Posting, MAX_WEIGHT};
use super::fast::bytes8;
use super::fast::intern::Interner;
use super::fast::term_cache::TermCache;
use super::text::{self, Analyzer};
use crate::build_cache::search_terms;
use crate::build_cache::BuildCache;

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

/// Documents tokenised at a time while building (see [`SearchIndex::build`]),
/// and a good size for the batches of [`SearchIndex::write_files`].
pub const BATCH: usize = 1024;

/// The documents one file under `docs/` holds by default: a large site
/// writes an eighth of the files it would with one a document, and the
/// files holding the ten results shown come to about 650 kB for articles
/// of about 800 words (docs/performance.md has the trade-off).
pub const DOCS_PER_FILE: usize = 8;

/// How many documents a file under `docs/` holds in an index of
/// `documents`: one each up to 1,024 documents, so a query on a small or
/// middling site loads only the documents it shows; then one more for each
/// further 1,024, up to [`DOCS_PER_FILE`], so that a large site writes
/// about a thousand such files rather than one a document.
pub fn docs_per_file_for(documents: usize) -> usize {
    documents.div_ceil(1024).clamp(1, DOCS_PER_FILE)
}

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
#[derive(Debug, Clone, PartialEq)]
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
    /// How many documents one file under `docs/` holds: document *n* is in
    /// `docs/<n / docs_per_file>.js` (see the module docs of [`crate::search`]).
    pub docs_per_file: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            analyzer: Analyzer::English,
            shard_bytes: 16 * 1024,
            snippet_chars: 30_000,
            docs_per_file: DOCS_PER_FILE,
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
    /// How many documents it indexes (`docs` is empty while
    /// [`SearchIndex::write_files`] writes).
    doc_count: usize,
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
        let mut kept: Vec<Document> = Vec::with_capacity(docs.len());
        let mut rest = docs.into_iter();
        let batches = std::iter::from_fn(|| {
            let batch: Vec<Document> = rest.by_ref().take(BATCH).collect();
            (!batch.is_empty()).then_some(batch)
        });
        let off = BuildCache::default();
        let mut index =
            SearchIndex::build_batches(batches, options, &off, |batch, _| kept.extend(batch));
        index.docs = kept;
        index
    }

    /// Indexes the documents `batches` yields (numbered in order) and hands
    /// every file of [`SearchIndex::files`] to `write` as soon as it is made
    /// (on several threads, in no set order): each batch's document files
    /// while its terms are counted, then `meta.js` and the shards. A batch is
    /// dropped once its files are written, so only about one batch of text
    /// is in memory at once, not the text of the whole site. A document
    /// whose terms `cache` holds is not counted again. Returns how many
    /// documents were indexed.
    pub fn write_files(
        batches: impl Iterator<Item = Vec<Document>>,
        options: &Options,
        cache: &BuildCache,
        write: impl Fn(IndexFile) + Sync + Send,
    ) -> usize {
        let per_file = options.docs_per_file.max(1);
        // The documents of a file that the batches so far have not filled,
        // kept for the next batch: batches need not be cut where files are.
        let mut pending: Vec<Document> = Vec::new();
        let index = SearchIndex::build_batches(batches, options, cache, |batch, first| {
            let start = first - pending.len();
            let mut docs = std::mem::take(&mut pending);
            docs.extend(batch);
            pending = docs.split_off(docs.len() / per_file * per_file);
            write_doc_files(&docs, start / per_file, options, &write);
        });
        let start = index.doc_count - pending.len();
        write_doc_files(&pending, start / per_file, options, &write);
        write(index.meta_file());
        (0..index.shards.len())
            .into_par_iter()
            .for_each(|i| write(index.shard_file(i)));
        index.doc_count
    }

    /// Indexes the documents of `batches`, handing each batch to `done` with
    /// the number of its first document once its terms are counted (on
    /// another thread than the caller's, while the batch before it is
    /// numbered). The index it returns has no documents.
    fn build_batches(
        batches: impl Iterator<Item = Vec<Document>>,
        options: &Options,
        kept: &BuildCache,
        mut done: impl FnMut(Vec<Document>, usize) + Send,
    ) -> SearchIndex {
        let analyzer = options.analyzer;
        // Each document's terms are counted in a table of its own (in
        // parallel), then numbered in the site's table, a batch of documents
        // at a time: what is kept per document is numbers, not every word of
        // every document as a string (hundreds of megabytes for a large
        // site). Numbering one batch overlaps counting the next.
        let mut site = Interner::default();
        let mut df: Vec<u32> = Vec::new();
        let mut per_doc: Vec<NumberedTerms> = Vec::new();
        let mut counted: Vec<DocTerms> = Vec::new();
        let mut doc_count = 0;
        for batch in batches {
            let previous = std::mem::take(&mut counted);
            let first = doc_count;
            doc_count += batch.len();
            let (next, ()) = rayon::join(
                || {
                    let next = batch
                        .par_iter()
                        .with_max_len(crate::PAR_LEAF)
                        .map_init(
                            || TermCache::new(analyzer),
                            |cache, d| {
                                search_terms::counted(kept, analyzer, d, || DocTerms::of(d, cache))
                            },
                        )
                        .collect();
                    done(batch, first);
                    next
                },
                || {
                    for c in previous {
                        per_doc.push(c.numbered(&mut site, &mut df));
                    }
                },
            );
            counted = next;
        }
        for c in counted {
            per_doc.push(c.numbered(&mut site, &mut df));
        }
        let n = per_doc.len().max(1) as f64;
        let mut avg = [0.0f64; 3];
        for d in &per_doc {
            for (a, len) in avg.iter_mut().zip(d.lengths) {
                *a += len as f64 / n;
            }
        }
        // Every document's counts become its terms' weights a batch at a
        // time, each batch's counts freed as its weights are made; only then
        // are the postings made, each batch of weights freed as it is placed.
        // So counts (10 bytes a term) and postings (5 bytes) are never all
        // held at once.
        let mut weighted: Vec<Vec<TermWeight>> = Vec::with_capacity(per_doc.len());
        let mut rest = per_doc.into_iter();
        loop {
            let batch: Vec<NumberedTerms> = rest.by_ref().take(BATCH).collect();
            if batch.is_empty() {
                break;
            }
            weighted.par_extend(
                batch
                    .into_par_iter()
                    .with_max_len(crate::PAR_LEAF)
                    .map(|d| d.weights(&avg)),
            );
        }
        drop(rest);
        let mut by_term: Vec<Vec<Posting>> = df
            .iter()
            .map(|&df| Vec::with_capacity(df as usize))
            .collect();
        let mut rest = weighted.into_iter();
        let mut doc: u32 = 0;
        loop {
            let batch: Vec<Vec<TermWeight>> = rest.by_ref().take(BATCH).collect();
            if batch.is_empty() {
                break;
            }
            place_postings(&mut by_term, &batch, doc);
            doc = doc.saturating_add(batch.len() as u32);
        }
        let total = doc_count as f64;
        let mut terms: Vec<TermEntry> = site
            .iter()
            .zip(by_term)
            .map(|(term, postings)| {
                let df = postings.len() as f64;
                let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
                TermEntry {
                    term: term.to_string(),
                    idf: ((idf * 100.0).round() as u32).max(1),
                    postings,
                }
            })
            .collect();
        drop(site);
        terms.par_sort_unstable_by(|a, b| a.term.cmp(&b.term));
        let shards = cut_shards(&terms, options.shard_bytes);
        SearchIndex {
            options: *options,
            docs: Vec::new(),
            doc_count,
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
    /// results of `query`: `meta.js`, the shards, the files holding the
    /// documents shown (each once, though it holds several of them).
    pub fn payload(&self, query: &str, shown: usize) -> Vec<String> {
        let results = self.query(query);
        let mut files = vec!["meta.js".to_string()];
        files.extend(results.shards.iter().map(|s| shard_path(*s)));
        let per_file = self.options.docs_per_file.max(1);
        for hit in results.hits.iter().take(shown) {
            let path = docs_path(hit.doc as usize / per_file);
            if !files.contains(&path) {
                files.push(path);
            }
        }
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
        let docs: Vec<IndexFile> = self
            .docs
            .par_chunks(self.options.docs_per_file.max(1))
            .enumerate()
            .map(|(g, docs)| docs_file(g, docs, &self.options))
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
        write_doc_files(&self.docs, 0, &self.options, &write);
    }

    /// `meta.js`.
    fn meta_file(&self) -> IndexFile {
        let keys = self.shard_keys();
        let meta = json!({
            "version": 2,
            "docs": self.doc_count,
            "docsPerFile": self.options.docs_per_file.max(1),
            "analyzer": self.options.analyzer.name(),
            "stopWords": self.options.analyzer.stop_words(),
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
        let terms = self.shard_terms(i);
        let mut bytes = Vec::with_capacity(terms.iter().map(entry_len).sum::<usize>() + 64);
        bytes.extend_from_slice(format!("window.trellisSearch.shard({i},[").as_bytes());
        for (k, t) in terms.iter().enumerate() {
            if k > 0 {
                bytes.push(b',');
            }
            push_entry(&mut bytes, t);
        }
        bytes.extend_from_slice(b"]);\n");
        IndexFile {
            path: shard_path(i),
            bytes,
        }
    }
}

/// The files of `docs`, whole files of [`Options::docs_per_file`] documents
/// (but maybe the last), the first being file `first`, each handed to `write`.
fn write_doc_files(
    docs: &[Document],
    first: usize,
    options: &Options,
    write: &(impl Fn(IndexFile) + Sync),
) {
    docs.par_chunks(options.docs_per_file.max(1))
        .with_max_len(crate::PAR_LEAF)
        .enumerate()
        .for_each(|(k, group)| write(docs_file(first + k, group, options)));
}

/// File `g` under `docs/`, holding `docs`: an array of one JSON object a
/// document, in document order.
fn docs_file(g: usize, docs: &[Document], options: &Options) -> IndexFile {
    let mut bytes =
        Vec::with_capacity(docs.iter().map(|d| doc_len(d, options)).sum::<usize>() + 64);
    bytes.extend_from_slice(format!("window.trellisSearch.docs({g},[").as_bytes());
    for (k, d) in docs.iter().enumerate() {
        if k > 0 {
            bytes.push(b',');
        }
        push_doc(&mut bytes, d, options);
    }
    bytes.extend_from_slice(b"]);\n");
    IndexFile {
        path: docs_path(g),
        bytes,
    }
}

/// About the bytes [`push_doc`] writes for `d` (for the buffer's capacity).
fn doc_len(d: &Document, options: &Options) -> usize {
    d.body.len().min(4 * options.snippet_chars)
        + d.title.len()
        + d.url.len()
        + d.context.len()
        + d.summary.len()
        + 128
}

/// Document `d`: a JSON object with its keys in sorted order (as
/// `serde_json` writes a map), written straight into the file's bytes.
fn push_doc(bytes: &mut Vec<u8>, d: &Document, options: &Options) {
    // A body of no more bytes than the limit has no more characters.
    let text = if d.body.len() <= options.snippet_chars {
        &d.body[..]
    } else {
        d.body
            .char_indices()
            .nth(options.snippet_chars)
            .map_or(&d.body[..], |(end, _)| &d.body[..end])
    };
    for (k, (key, value)) in [
        ("context", d.context.as_str()),
        ("kind", d.kind.as_str()),
        ("summary", d.summary.as_str()),
        ("text", text),
        ("title", d.title.as_str()),
        ("url", d.url.as_str()),
    ]
    .into_iter()
    .enumerate()
    {
        bytes.push(if k == 0 { b'{' } else { b',' });
        push_json_string(bytes, key);
        bytes.push(b':');
        push_json_string(bytes, value);
    }
    bytes.push(b'}');
}

/// `index/<i>.js`.
pub fn shard_path(i: usize) -> String {
    format!("index/{i}.js")
}

/// `docs/<g>.js`, the file of documents `g × docs_per_file` onwards.
pub fn docs_path(g: usize) -> String {
    format!("docs/{g}.js")
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

/// A term's entry in its shard: `["term",idf,"postings"]`.
#[cfg(test)]
fn entry_json(t: &TermEntry) -> String {
    let mut out = Vec::new();
    push_entry(&mut out, t);
    String::from_utf8(out).unwrap_or_default()
}

fn push_entry(out: &mut Vec<u8>, t: &TermEntry) {
    out.push(b'[');
    push_json_string(out, &t.term);
    out.extend_from_slice(format!(",{},\"", t.idf).as_bytes());
    encode::encode_into(out, &t.postings);
    out.extend_from_slice(b"\"]");
}

/// The length of a term's entry, without making it (the entries are made
/// once, when their shard is written).
fn entry_len(t: &TermEntry) -> usize {
    let idf_digits = t.idf.checked_ilog10().unwrap_or(0) as usize + 1;
    json_string_len(&t.term) + idf_digits + encode::encoded_len(&t.postings) + 6
}

/// Appends `s` as a JSON string, escaped as `serde_json` escapes it: `"`,
/// `\\` and control characters, the common ones by letter.
fn push_json_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    // Most bytes need no escape: find the next that does, copy up to it.
    loop {
        let mut i = bytes8::skip_unmarked(bytes, start, |x| {
            bytes8::below(x, 0x20) | bytes8::equal(x, b'"') | bytes8::equal(x, b'\\')
        });
        while bytes.get(i).is_some_and(|&b| !needs_escape(b)) {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        out.extend_from_slice(&bytes[start..i]);
        match bytes[i] {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The length of [`push_json_string`]'s output for `s`.
fn json_string_len(s: &str) -> usize {
    s.bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
        + 2
}

/// Cuts sorted terms into shards of about `limit` bytes (see the module docs).
/// Adds each of `weighted`'s documents (numbered from `first`) to the
/// postings of its terms. The terms are shared out in runs, each run's
/// postings filled by one thread that reads every document: a single
/// thread scattering millions of postings over a vocabulary too large for
/// the cache was the one busy core at the end of a large build
/// (docs/performance.md). Each list still receives its documents in order.
fn place_postings(by_term: &mut [Vec<Posting>], weighted: &[Vec<TermWeight>], first: u32) {
    let runs = 2 * rayon::current_num_threads();
    let run_len = by_term.len().div_ceil(runs).max(1);
    by_term
        .par_chunks_mut(run_len)
        .enumerate()
        .for_each(|(r, postings)| {
            let start = r * run_len;
            for (doc, terms) in (first..).zip(weighted) {
                for &TermWeight { term, weight } in terms {
                    if let Some(list) = (term as usize)
                        .checked_sub(start)
                        .and_then(|t| postings.get_mut(t))
                    {
                        list.push(Posting { doc, weight });
                    }
                }
            }
        });
}

fn cut_shards(terms: &[TermEntry], limit: usize) -> Vec<(String, Range<usize>)> {
    let sizes: Vec<usize> = terms.par_iter().map(|t| entry_len(t) + 1).collect();
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

impl DocTerms {
    /// The same counts with each term replaced by its number in `site`
    /// (numbering the terms not met before), counting the documents each
    /// term is in into `df`.
    fn numbered(self, site: &mut Interner, df: &mut Vec<u32>) -> NumberedTerms {
        let mut start = 0;
        let counts = self
            .ends
            .iter()
            .zip(self.counts.iter().zip(&self.title))
            .map(|(&end, (&counts, &in_title))| {
                let term = site.intern(self.text.get(start..end).unwrap_or(""));
                start = end;
                match df.get_mut(term as usize) {
                    Some(n) => *n += 1,
                    None => df.push(1),
                }
                let flag = if in_title { IN_TITLE } else { 0 };
                TermCount {
                    term: term | flag,
                    counts: counts.map(|c| u16::try_from(c).unwrap_or(u16::MAX)),
                }
            })
            .collect();
        NumberedTerms {
            counts,
            lengths: self.lengths,
        }
    }
}

/// Marks a term number in [`NumberedTerms::counts`] as in the title. (A site
/// would need 2^31 distinct terms, gigabytes of text, to reach this bit.)
const IN_TITLE: u32 = 1 << 31;

/// [`DocTerms`] with terms as numbers in the site's table.
struct NumberedTerms {
    /// Each term's counts.
    counts: Vec<TermCount>,
    lengths: [usize; 3],
}

/// A term of a document and its counts in headings, summary and body.
/// Every document's are held until the last is counted, so they are
/// small: counts in 16 bits (a count past 65,535 saturates there, long
/// after the weight has levelled off), packed into 10 bytes, not 12.
#[derive(Clone, Copy)]
#[repr(C, packed)]
struct TermCount {
    /// The term's number, with [`IN_TITLE`].
    term: u32,
    counts: [u16; 3],
}

/// A term of a document and its weight there, packed (5 bytes, not 8).
#[derive(Clone, Copy)]
#[repr(C, packed)]
struct TermWeight {
    term: u32,
    weight: u8,
}

impl NumberedTerms {
    /// Each term's quantised weight (see the module docs).
    fn weights(self, avg: &[f64; 3]) -> Vec<TermWeight> {
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
            .map(|&TermCount { term, counts }| {
                let tf: f64 = (0..3)
                    .map(|f| BOOSTS[f] * f64::from(counts[f]) / norms[f])
                    .sum();
                let mut w = tf * (K1 + 1.0) / (tf + K1);
                if term & IN_TITLE != 0 {
                    w += TITLE_BONUS;
                }
                let q = (w / MAX_RAW_WEIGHT * f64::from(MAX_WEIGHT)).round();
                let q = q.clamp(1.0, f64::from(MAX_WEIGHT)) as u8;
                TermWeight {
                    term: term & !IN_TITLE,
                    weight: q,
                }
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
    fn small_sites_keep_a_file_a_document_and_large_ones_group_them() {
        assert_eq!(docs_per_file_for(0), 1);
        assert_eq!(docs_per_file_for(86), 1);
        assert_eq!(docs_per_file_for(1024), 1);
        assert_eq!(docs_per_file_for(1025), 2);
        assert_eq!(docs_per_file_for(4000), 4);
        assert_eq!(docs_per_file_for(10_600), DOCS_PER_FILE);
        assert_eq!(docs_per_file_for(50_000), DOCS_PER_FILE);
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
        assert_eq!(
            payload.len(),
            1 + 2 + 2,
            "meta, two shards, the two documents' files"
        );
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

    /// Documents with every kind of text a file must carry: quotes,
    /// backslashes, control characters, non-ASCII letters, long bodies.
    fn awkward_docs() -> Vec<Document> {
        (0..2500)
            .map(|i| Document {
                kind: [Kind::Article, Kind::Part, Kind::Term][i % 3],
                title: format!("Doc {i} \"quoted\" \\ back\u{1}slash"),
                aliases: if i % 3 == 2 {
                    vec![format!("alias{i}")]
                } else {
                    Vec::new()
                },
                url: format!("part/doc-{i}/index.html#x"),
                context: "Ca\u{fe}fé\tcontext\u{7f}".into(),
                summary: format!("Summary {i}\nline\r\u{8}\u{c}"),
                headings: vec![format!("Heading{} trust", i % 11)],
                body: format!("Body of {i}: trust, rupture, repair ΣΟΦΙΑ. ").repeat(1 + i % 5),
            })
            .collect()
    }

    #[test]
    fn json_strings_are_escaped_as_serde_json_escapes_them() {
        let all_bytes: String = (0u8..128).map(char::from).collect();
        // Escapes at every place of the eight-byte steps, and none at all.
        let runs: Vec<String> = (0..20)
            .map(|k| {
                format!(
                    "{}\"{}\n{}é\u{1}",
                    "a".repeat(k),
                    "b".repeat(k % 9),
                    "c".repeat(k)
                )
            })
            .chain((0..20).map(|k| "plain ".repeat(k)))
            .collect();
        for s in [
            "",
            "plain",
            "\"\\/",
            "tab\there",
            "é ΣΟΦΙΑ 😀",
            all_bytes.as_str(),
        ]
        .into_iter()
        .chain(runs.iter().map(String::as_str))
        {
            let mut out = Vec::new();
            push_json_string(&mut out, s);
            let expected = serde_json::to_string(s).expect("a string serialises");
            assert_eq!(String::from_utf8(out).expect("utf-8"), expected);
            assert_eq!(json_string_len(s), expected.len(), "{s:?}");
        }
    }

    /// The objects of a file under `docs/`, checking its call and number.
    fn docs_of(file: &IndexFile, g: usize) -> Vec<serde_json::Value> {
        let text = std::str::from_utf8(&file.bytes).expect("utf-8");
        let json = text
            .strip_prefix(&format!("window.trellisSearch.docs({g},"))
            .and_then(|t| t.strip_suffix(");\n"))
            .expect("a docs() call");
        let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
        assert_eq!(
            json,
            value.to_string(),
            "written as serde_json writes it (keys in order)"
        );
        value.as_array().expect("an array").clone()
    }

    #[test]
    fn document_files_hold_what_the_page_reads() {
        let options = Options {
            snippet_chars: 40,
            docs_per_file: 4,
            ..Options::default()
        };
        let docs: Vec<Document> = awkward_docs().into_iter().take(10).collect();
        let index = SearchIndex::build(docs.clone(), &options);
        let files: Vec<IndexFile> = index
            .files()
            .into_iter()
            .filter(|f| f.path.starts_with("docs/"))
            .collect();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["docs/0.js", "docs/1.js", "docs/2.js"]);
        for (g, file) in files.iter().enumerate() {
            let got = docs_of(file, g);
            let expected: Vec<serde_json::Value> = docs
                .iter()
                .skip(4 * g)
                .take(4)
                .map(|d| {
                    json!({
                        "kind": d.kind.as_str(),
                        "title": d.title,
                        "url": d.url,
                        "context": d.context,
                        "summary": d.summary,
                        "text": d.body.chars().take(40).collect::<String>(),
                    })
                })
                .collect();
            assert_eq!(got, expected, "docs/{g}.js");
        }
        let meta = String::from_utf8(index.files()[0].bytes.clone()).expect("utf-8");
        assert!(meta.contains(r#""docsPerFile":4"#), "{meta}");
    }

    #[test]
    fn results_in_one_file_load_it_once() {
        let docs: Vec<Document> = (0..40)
            .map(|i| doc(&format!("Doc {i}"), &format!("word{} shared", i % 20)))
            .collect();
        let index = SearchIndex::build(docs, &Options::default());
        let hits: Vec<u32> = index.query("word3").hits.iter().map(|h| h.doc).collect();
        assert_eq!(hits, [3, 23]);
        assert_eq!(
            index.payload("word3", 10),
            ["meta.js", "index/0.js", "docs/0.js", "docs/2.js"]
        );
        assert_eq!(
            index.payload("word1 word2", 10),
            ["meta.js", "index/0.js", "docs/0.js", "docs/2.js"],
            "documents 1, 2, 21 and 22 are in two files"
        );
        assert_eq!(
            index.payload("shared", 10),
            ["meta.js", "index/0.js", "docs/0.js", "docs/1.js"],
            "the first ten of forty results"
        );
    }

    #[test]
    fn editing_one_document_changes_one_document_file() {
        let docs = awkward_docs();
        let mut edited = docs.clone();
        edited[1234]
            .body
            .push_str(" A sentence added at the end, and a new word: zyzzyva.");
        edited[1234].title.push_str(" (revised)");
        let options = Options::default();
        let doc_files = |docs: Vec<Document>| -> std::collections::BTreeMap<String, Vec<u8>> {
            SearchIndex::build(docs, &options)
                .files()
                .into_iter()
                .filter(|f| f.path.starts_with("docs/"))
                .map(|f| (f.path, f.bytes))
                .collect()
        };
        let (before, after) = (doc_files(docs), doc_files(edited));
        assert_eq!(before.len(), 2500usize.div_ceil(DOCS_PER_FILE));
        let changed: Vec<&String> = before
            .iter()
            .filter(|(path, bytes)| after.get(*path) != Some(bytes))
            .map(|(path, _)| path)
            .collect();
        assert_eq!(changed, [&docs_path(1234 / DOCS_PER_FILE)]);
    }

    #[test]
    fn each_term_lists_the_documents_holding_it_in_order() {
        let docs = awkward_docs();
        let options = Options::default();
        let index = SearchIndex::build(docs.clone(), &options);
        let mut expected: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for (n, d) in (0u32..).zip(&docs) {
            let mut terms = std::collections::BTreeSet::new();
            let fields = [&d.title, &d.summary, &d.body].into_iter();
            for text in fields.chain(&d.aliases).chain(&d.headings) {
                terms.extend(options.analyzer.terms(text));
            }
            for t in terms {
                expected.entry(t).or_default().push(n);
            }
        }
        assert!(expected.len() > 2 * BATCH, "more terms than one run holds");
        assert_eq!(index.terms().len(), expected.len());
        for (term, docs) in &expected {
            let entry = index.term(term).expect("indexed");
            let got: Vec<u32> = entry.postings.iter().map(|p| p.doc).collect();
            assert_eq!(&got, docs, "{term}");
        }
    }

    #[test]
    fn written_a_batch_at_a_time_the_files_are_the_same() {
        let options = Options {
            shard_bytes: 2048,
            ..Options::default()
        };
        let whole = SearchIndex::build(awkward_docs(), &options);
        let expected: Vec<(String, Vec<u8>)> = whole
            .files()
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect();
        assert!(whole.shard_keys().len() > 3, "several shards");
        for t in whole.terms() {
            assert_eq!(entry_len(t), entry_json(t).len(), "{}", t.term);
        }
        for batch_size in [1, 7, BATCH] {
            let mut docs = awkward_docs().into_iter();
            let batches = std::iter::from_fn(|| {
                let batch: Vec<Document> = docs.by_ref().take(batch_size).collect();
                (!batch.is_empty()).then_some(batch)
            });
            let written = std::sync::Mutex::new(Vec::new());
            let count = SearchIndex::write_files(batches, &options, &BuildCache::default(), |f| {
                written
                    .lock()
                    .expect("not poisoned")
                    .push((f.path, f.bytes))
            });
            let mut written = written.into_inner().expect("not poisoned");
            let mut expected = expected.clone();
            written.sort();
            expected.sort();
            assert_eq!(count, 2500);
            assert_eq!(written.len(), expected.len(), "batches of {batch_size}");
            assert!(
                written == expected,
                "batches of {batch_size}: the same files"
            );
        }
    }
}
