//! Client-side search, built at build time: an inverted index cut into
//! small files so the search page downloads only what a query needs, and
//! works from `file://` (every file is a script that hands its data to
//! `window.trellisSearch`, because `fetch()` cannot read local files).
//!
//! - [`text`]: HTML to plain text; words, stop words, stemming (the same
//!   rules as `themes/default/static/search.js`), by the handbook's
//!   language ([`Analyzer`]).
//! - [`fold`]: accents folded, in every language ("terapéutica" is
//!   "terapeutica").
//! - [`spanish`]: Spanish stop words and Snowball's Spanish stemmer (the
//!   same as `themes/default/static/stem-es.js`).
//! - [`index`]: documents (articles, parts, glossary terms) to BM25F-weighted
//!   postings, cut into shards by term range; the query as the page runs it.
//! - [`encode`]: the compact text form of a postings list.
//! - `fast`: what exists only for speed (the term tables, the stop-word
//!   check, HTML to text in one pass, scanning eight bytes at a time),
//!   behind a few functions, each checked against the plain way.
//!
//! The files, under `search/` beside the search page:
//!
//! | file | holds | read |
//! |---|---|---|
//! | `meta.js` | document count, documents a file, the analyzer's name, word rules, stop words, the shards' first keys | once |
//! | `index/<i>.js` | shard *i*: `[term, idf×100, postings]` for a run of terms | one per query word |
//! | `docs/<g>.js` | documents *g × k* to *g × k + k − 1* (*k* from [`index::docs_per_file_for`]: 1 up to 1,024 documents, at most [`index::DOCS_PER_FILE`]): each one's kind, title, URL, context, summary, text for snippets | one per file holding a result shown |
//!
//! So a query costs `meta.js`, one shard per word (up to
//! [`index::PREFIX_SHARDS`] for the last word's prefix) and at most one file
//! of documents per result shown, whatever the size of the site. Documents
//! of a large site are grouped so that it writes one file of them where it
//! would write eight (creating and replacing files is much of a fresh build's
//! system time), and by number, so that editing one document changes one
//! file of them; more a file would make each query download more (the
//! figures are in docs/performance.md). `render::search` collects the
//! documents from a site and writes the files.

pub(crate) mod doc_terms;
pub mod encode;
mod fast;
pub mod fold;
pub mod index;
pub mod spanish;
pub mod text;

pub use index::{Document, Kind, Options, SearchIndex};
pub use text::Analyzer;
