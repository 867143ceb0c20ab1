//! A `*.quiz.yaml` file: parsed and checked; when it is valid, its page data is
//! made and it is exported as GIFT and as a QTI package. Nothing may panic,
//! every error must point at a line of it, and the page's JSON must hold no `<`.

#![no_main]

#[allow(dead_code)] // each target uses one of the checks
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::quiz(data));
