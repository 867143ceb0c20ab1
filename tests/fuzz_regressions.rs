//! Fuzzing's findings, kept: every input under
//! `fuzz/regressions/<target>/` once made a fuzz target fail, and every seed
//! under `fuzz/seeds/<target>/` is a valid file of that kind. Each goes
//! through the fuzz target's own checks (`fuzz/checks.rs`), so `cargo test`
//! keeps them fixed without building the fuzz crate or needing nightly.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::fs;
use std::path::PathBuf;

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files: Vec<PathBuf> = ["regressions", "seeds"]
        .iter()
        .flat_map(|kind| {
            fs::read_dir(fuzz.join(kind).join(target))
                .into_iter()
                .flatten()
        })
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs for {target}");
    files
}

fn run(target: &str, check: fn(&[u8])) {
    for file in inputs(target) {
        // Printed so that a failure names its input.
        println!("{target}: {}", file.display());
        check(&fs::read(&file).unwrap());
    }
}

#[test]
fn front_matter_and_markdown() {
    run("front_matter_markdown", checks::front_matter_markdown);
}

#[test]
fn glossary() {
    run("glossary", checks::glossary);
}

#[test]
fn quiz() {
    run("quiz", checks::quiz);
}
