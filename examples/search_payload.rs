//! Measures the search payload: the bytes the search page downloads to show
//! the first page of results for a query (`meta.js`, the shards of the
//! query's words, the files under `docs/` holding the results shown), from
//! the same index files `trellis build` writes, and how many files the
//! index has. The browser test (`tests/browser/search.rs`) checks that the
//! page really loads exactly these files.
//!
//! ```text
//! cargo run --release --example search_payload -- --root . trust "rupture repair"
//! cargo run --release --example search_payload -- --root . --docs-per-file 16
//! ```
//!
//! With no query it measures a few typical ones. `--docs-per-file` measures
//! the index with another number of documents a file than `build` writes.
//! The search page itself (its HTML, `search.js`, `search.css`) is not
//! counted.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use trellis::render::search;
use trellis::search::index::IndexFile;
use trellis::search::SearchIndex;
use trellis::site::{LoadOptions, Site};

/// Results the page shows before "Show more results" (as in search.js).
const SHOWN: usize = 10;

/// Command-line arguments.
#[derive(Parser, Debug)]
#[command(about = "Measure what the search page downloads for a query")]
struct Args {
    /// The handbook root (the folder with handbook.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Documents a file under `docs/` holds (default: as `build` writes).
    #[arg(long)]
    docs_per_file: Option<usize>,
    /// Queries to measure.
    queries: Vec<String>,
}

const TYPICAL: &[&str] = &[
    "trust",
    "anxiety",
    "rupture repair",
    "confidentiality",
    "therapist session",
    "boundaries",
];

fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

/// This process's CPU time so far (user and system, all threads), from
/// `/proc/self/stat` where there is one: on two shared cores the wall time
/// of a step says more about the other work on the machine than about it.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = rest.split(' ').collect();
    // utime and stime: fields 14 and 15 of the line, counted from 1.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // Clock ticks are 1/100 s on Linux (USER_HZ).
    Some(ticks / 100.0)
}

/// The sizes of the index files whose path starts with `prefix`.
fn sizes_under<'a>(files: &'a [IndexFile], prefix: &'a str) -> impl Iterator<Item = usize> + 'a {
    files
        .iter()
        .filter(move |f| f.path.starts_with(prefix))
        .map(|f| f.bytes.len())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let site = match Site::load(&LoadOptions {
        root: args.root.clone(),
        drafts: false,
        ..Default::default()
    }) {
        Ok(site) => site,
        Err(errors) => {
            for d in errors.0 {
                eprintln!("{}", d.message);
            }
            eprintln!(
                "search_payload: the handbook at {} did not load",
                args.root.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let cpu_started = cpu_seconds();
    let docs = search::documents(&site);
    let collected = started.elapsed();
    let cpu_collected = cpu_seconds();
    let mut options = search::options(&site);
    if let Some(n) = args.docs_per_file {
        options.docs_per_file = n.max(1);
    }
    let index = SearchIndex::build(docs, &options);
    let indexed = started.elapsed();
    let cpu_indexed = cpu_seconds();
    let files = index.files();
    let written = started.elapsed();
    let cpu_written = cpu_seconds();
    let sizes: HashMap<&str, usize> = files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.len()))
        .collect();
    let total_of = |prefix: &str| -> usize { sizes_under(&files, prefix).sum() };
    let largest = |prefix: &str| -> usize { sizes_under(&files, prefix).max().unwrap_or(0) };
    let doc_files = sizes_under(&files, "docs/").count();
    println!(
        "{} documents, {} terms, {} files: {} shards, index and meta {} (largest shard {}); \
         {} document files of {} each, {} (largest {}); \
         text {:.2} s, index {:.2} s, files {:.2} s (CPU time of all threads: {})",
        index.docs().len(),
        index.terms().len(),
        files.len(),
        index.shard_keys().len(),
        kb(total_of("index/") + total_of("meta.js")),
        kb(largest("index/")),
        doc_files,
        options.docs_per_file,
        kb(total_of("docs/")),
        kb(largest("docs/")),
        collected.as_secs_f64(),
        (indexed - collected).as_secs_f64(),
        (written - indexed).as_secs_f64(),
        match (cpu_started, cpu_collected, cpu_indexed, cpu_written) {
            (Some(a), Some(b), Some(c), Some(d)) => format!(
                "text {:.2} s, index {:.2} s, files {:.2} s",
                b - a,
                c - b,
                d - c
            ),
            _ => "not known here".to_string(),
        }
    );
    println!();
    println!("| query | results | files | bytes |");
    println!("|---|---:|---:|---:|");
    let queries: Vec<String> = if args.queries.is_empty() {
        TYPICAL.iter().map(|q| q.to_string()).collect()
    } else {
        args.queries
    };
    for q in &queries {
        let results = index.query(q);
        let payload = index.payload(q, SHOWN);
        let bytes: usize = payload
            .iter()
            .map(|p| sizes.get(p.as_str()).copied().unwrap_or(0))
            .sum();
        println!(
            "| {q} | {} | {} | {} |",
            results.hits.len(),
            payload.len(),
            kb(bytes)
        );
    }
    ExitCode::SUCCESS
}
