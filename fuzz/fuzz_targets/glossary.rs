//! `glossary.yaml`: parsed and checked; when it is valid, its terms are
//! matched in the input itself and its page, flashcards, tooltips and JSON
//! are made. Nothing may panic, and every error must point at a line of it.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use trellis::glossary::page::{flashcards, glossary_json, glossary_page, SetInfo};
use trellis::glossary::Glossary;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count().max(1);
    match Glossary::parse(text, Path::new("content/glossary.yaml")) {
        Err(errors) => {
            assert!(!errors.is_empty());
            for d in errors {
                assert!(
                    d.line <= lines + 1,
                    "{d} is past the end of a {lines}-line file"
                );
            }
        }
        Ok(glossary) => {
            let _ = glossary.find_matches(text);
            let _ = glossary.tooltips_html(0..glossary.terms.len());
            let used_in = vec![Vec::new(); glossary.terms.len()];
            let set = SetInfo {
                name: "Glossary",
                base_url: "https://example.org/",
                language: "en",
            };
            let _ = glossary_page(&glossary, &used_in, set);
            let _ = flashcards(&glossary);
            let json = glossary_json(&glossary, &used_in);
            serde_json::from_str::<serde_json::Value>(&json).expect("glossary.json is JSON");
        }
    }
});
