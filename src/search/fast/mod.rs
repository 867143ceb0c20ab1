//! What exists only to make building the search index quicker, behind
//! the few functions the rest of [`crate::search`] calls. Each does what a
//! plainer version would, byte for byte, and its tests check it against
//! that version; docs/performance.md has what each buys and how that was
//! measured.
//!
//! - [`intern`]: the term tables the index counts with. A term of up to 15
//!   bytes, nearly every one, is looked up as one 128-bit number, not as a
//!   string.
//! - [`term_cache`]: one document's words and the terms they became, so a
//!   word met again costs one probe instead of lower-casing and stemming.
//! - [`stop_words`]: the stop-word check as a few integer comparisons.
//! - [`strip_html`]: HTML to text in one pass, nothing allocated per tag.
//! - [`bytes8`]: the next byte of interest in a text found eight bytes at a
//!   time (for `strip_html` and the index's JSON strings).

pub(crate) mod bytes8;
pub(crate) mod intern;
pub(crate) mod stop_words;
pub(crate) mod strip_html;
pub(crate) mod term_cache;
