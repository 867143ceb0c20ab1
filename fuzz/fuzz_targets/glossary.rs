//! `glossary.yaml`: parsed and checked; when it is valid, its terms are
//! matched in the input itself and its page, flashcards, tooltips and JSON
//! are made. Nothing may panic, and every error must point at a line of it.

#![no_main]

#[allow(dead_code)] // each target uses one of the checks
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::glossary(data));
