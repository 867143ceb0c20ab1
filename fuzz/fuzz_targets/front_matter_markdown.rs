//! A markdown file as an author saves it: front matter split and parsed (as an
//! article's and as a part's), then the body rendered the way the build does,
//! with links, glossary terms and citations to resolve, for its own page and
//! for the print page. Nothing may panic, and every diagnostic must point at a
//! line of the file.

#![no_main]

#[allow(dead_code)] // each target uses one of the checks
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::front_matter_markdown(data));
