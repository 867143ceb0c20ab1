//! The search index a real build writes: the search page, the files under
//! `search/`, and that the shard of a query word holds the document it
//! should. The index files are read here with a decoder written from the
//! format's documentation (`src/search/encode.rs`), not with Trellis's own.

mod common;

use std::fs;
use std::path::Path;

use common::{broken_links, build, fixture, read, temp_dir};
use serde_json::Value;

/// The JSON inside `window.trellisSearch.<call>(<first>,<json>);`.
fn payload(text: &str, call: &str) -> (Option<usize>, Value) {
    let prefix = format!("window.trellisSearch.{call}(");
    let inner = text
        .trim_end()
        .strip_prefix(&prefix)
        .and_then(|t| t.strip_suffix(");"))
        .unwrap_or_else(|| panic!("not a {call} file: {}", &text[..text.len().min(80)]));
    if call == "meta" {
        return (None, serde_json::from_str(inner).expect("meta JSON"));
    }
    let (first, json) = inner.split_once(',').expect("a number, then JSON");
    (
        Some(first.parse().expect("a number")),
        serde_json::from_str(json).expect("JSON"),
    )
}

/// Postings as documented: base-32 gap digits (32+ = more to come), then a weight.
fn decode(text: &str) -> Vec<(i64, u32)> {
    const ALPHABET: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    let value = |c: char| ALPHABET.find(c).expect("a character of the alphabet") as i64;
    let mut out = Vec::new();
    let mut chars = text.chars();
    let (mut doc, mut gap) = (-1i64, 0i64);
    while let Some(c) = chars.next() {
        let v = value(c);
        if v >= 32 {
            gap = gap * 32 + v - 32;
            continue;
        }
        doc += gap * 32 + v + 1;
        gap = 0;
        let w = value(chars.next().expect("a weight after a gap"));
        out.push((doc, w as u32));
    }
    out
}

struct Built {
    dir: std::path::PathBuf,
    meta: Value,
}

impl Built {
    fn search(&self, rel: &str) -> String {
        read(&self.dir.join("search").join(rel))
    }

    /// The URLs of the documents whose postings for `term` are in its shard.
    fn lookup(&self, term: &str) -> Vec<String> {
        let keys: Vec<&str> = self.meta["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .map(|k| k.as_str().expect("a key"))
            .collect();
        let shard = keys.partition_point(|k| *k <= term).saturating_sub(1);
        let (n, entries) = payload(&self.search(&format!("index/{shard}.js")), "shard");
        assert_eq!(n, Some(shard));
        let entries = entries.as_array().expect("an array of terms").clone();
        let Some(entry) = entries.iter().find(|e| e[0] == term) else {
            return Vec::new();
        };
        assert!(entry[1].as_u64().is_some_and(|idf| idf >= 1), "{entry}");
        decode(entry[2].as_str().expect("postings"))
            .into_iter()
            .map(|(doc, weight)| {
                assert!((1..=63).contains(&weight));
                self.doc(doc as usize)["url"]
                    .as_str()
                    .expect("a url")
                    .to_string()
            })
            .collect()
    }

    /// Document `n`, from the file under `docs/` that meta.js says holds it.
    fn doc(&self, n: usize) -> Value {
        let per_file = self.meta["docsPerFile"].as_u64().expect("docsPerFile") as usize;
        let g = n / per_file;
        let (first, docs) = payload(&self.search(&format!("docs/{g}.js")), "docs");
        assert_eq!(first, Some(g));
        docs[n - g * per_file].clone()
    }
}

fn build_fixture(name: &str) -> Built {
    let out = temp_dir(name);
    let run = build(&fixture("basic"), &out, &[]);
    assert_eq!(run.status, 0, "build failed:\n{}", run.stderr);
    let meta = payload(&read(&out.join("search/meta.js")), "meta").1;
    Built { dir: out, meta }
}

#[test]
fn the_index_finds_articles_terms_and_parts_by_their_words() {
    let site = build_fixture("search-index");
    let meta = &site.meta;
    assert_eq!(meta["analyzer"], "english");
    assert!(meta["stopWords"]
        .as_array()
        .is_some_and(|s| s.iter().any(|w| w == "the")));
    let docs = meta["docs"].as_u64().expect("a document count") as usize;
    // Four articles (not the draft), the home intro, three parts, two glossary terms.
    assert_eq!(docs, 4 + 1 + 3 + 2);
    // Each file under docs/ holds docsPerFile documents, the last the rest:
    // one each in a handbook this small (grouping starts past 1,024).
    let per_file = meta["docsPerFile"].as_u64().expect("docsPerFile") as usize;
    assert_eq!(per_file, 1, "{meta}");
    let files = docs.div_ceil(per_file);
    for g in 0..files {
        let (_, held) = payload(&site.search(&format!("docs/{g}.js")), "docs");
        let held = held.as_array().expect("an array of documents").len();
        assert_eq!(held, per_file.min(docs - g * per_file), "docs/{g}.js");
    }
    let written = fs::read_dir(site.dir.join("search/docs"))
        .expect("search/docs")
        .count();
    assert_eq!(written, files);
    assert_eq!(
        site.doc(docs - 1)["kind"],
        "term",
        "the glossary's last term"
    );

    // A word only in the first article's body ("emphasis"), and one in a
    // heading ("Repair"), in any form.
    assert_eq!(
        site.lookup("emphasis"),
        ["first-part/an-article/index.html"]
    );
    assert_eq!(site.lookup("repair"), ["first-part/an-article/index.html"]);
    // A glossary definition's word leads to the term's entry.
    assert_eq!(site.lookup("number"), ["glossary/index.html#footnote"]);
    // A part page by its title.
    assert!(site
        .lookup("nest")
        .contains(&"nested/index.html".to_string()));
    // A draft is not indexed; stop words are not indexed.
    assert!(site.lookup("progress").is_empty(), "the draft's words");
    assert!(site.lookup("the").is_empty());
}

#[test]
fn the_search_page_and_the_header_box_work_without_javascript() {
    let site = build_fixture("search-page");
    let page = read(&site.dir.join("search/index.html"));
    for needle in [
        "<form class=\"search-form\" role=\"search\" action=\"index.html\" method=\"get\"",
        "<label for=\"search-q\">",
        "<input type=\"search\" id=\"search-q\" name=\"q\"",
        "role=\"status\"",
        "Search needs JavaScript",
        "<script src=\"../static/search.js\" defer></script>",
        "data-search-index=\"./\" data-site-root=\"../\"",
    ] {
        assert!(page.contains(needle), "the search page lacks {needle:?}");
    }
    assert!(!page.contains("<script>"), "no inline script");
    let article = read(&site.dir.join("first-part/an-article/index.html"));
    assert!(
        article.contains(
            "<form class=\"header-search\" role=\"search\" action=\"../../search/index.html\" method=\"get\""
        ),
        "every page's header has a search box that submits to the search page"
    );
    assert!(article.contains("name=\"q\""));
    for static_file in ["search.js", "search.css"] {
        assert!(site.dir.join("static").join(static_file).is_file());
    }
    assert_eq!(broken_links(&site.dir), Vec::<String>::new());
}

#[test]
fn every_shard_file_is_a_run_of_sorted_terms_that_its_key_finds() {
    let site = build_fixture("search-shards");
    let keys = site.meta["keys"].as_array().expect("keys").clone();
    assert_eq!(keys[0], "", "the first shard starts at the beginning");
    let files = fs::read_dir(site.dir.join("search/index"))
        .expect("search/index")
        .count();
    assert_eq!(files, keys.len(), "one file per key");
    let mut previous: Option<String> = None;
    for (i, key) in keys.iter().enumerate() {
        let (_, entries) = payload(&site.search(&format!("index/{i}.js")), "shard");
        for e in entries.as_array().expect("terms") {
            let term = e[0].as_str().expect("a term").to_string();
            assert!(term.as_str() >= key.as_str().unwrap_or(""));
            if let Some(p) = &previous {
                assert!(*p < term, "terms sorted across shards: {p} then {term}");
            }
            previous = Some(term);
        }
    }
    assert!(Path::new(&site.dir.join("search/meta.js")).is_file());
}
