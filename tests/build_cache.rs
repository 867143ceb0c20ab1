//! The cache `trellis build` keeps beside its output: a site built through
//! it is the site built without it, whatever changed in between, and a
//! damaged cache is only a slower build.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{build, copy_dir, fixture, read, temp_dir};

/// Every file of a site with its bytes.
fn site(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// `root` built into `out` (through its cache) and into a new folder (with
/// none): the same files, byte for byte, and the same warnings.
fn same_as_without_cache(root: &Path, out: &Path, scratch: &Path) {
    let cached = build(root, out, &[]);
    assert_eq!(cached.status, 0, "{}", cached.stderr);
    let fresh_out = scratch.join(format!("fresh-{}", fs::read_dir(scratch).unwrap().count()));
    let fresh = build(root, &fresh_out, &[]);
    assert_eq!(fresh.status, 0, "{}", fresh.stderr);
    let (a, b) = (site(out), site(&fresh_out));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{path} differs from the one built without a cache"
        );
    }
    assert_eq!(
        cached.stderr.replace(&out.display().to_string(), "OUT"),
        fresh
            .stderr
            .replace(&fresh_out.display().to_string(), "OUT")
    );
}

fn cache_of(out: &Path) -> PathBuf {
    out.with_file_name(format!(
        ".{}.trellis-cache",
        out.file_name().unwrap().to_string_lossy()
    ))
}

/// The names of what is in `folder`.
fn names_in(folder: &Path) -> Vec<String> {
    fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// An edit of the glossary fixture's second article.
fn edit_more(root: &Path, from: &str, to: &str) {
    edit(&root.join("content/01-basics/02-more.md"), from, to);
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{}: {from}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_site_built_through_the_cache_is_the_one_built_without_it() {
    let scratch = temp_dir("cache-same");
    let root = scratch.join("handbook");
    copy_dir(&fixture("glossary"), &root);
    let out = scratch.join("public");
    let first = build(&root, &out, &[]);
    assert_eq!(first.status, 0, "{}", first.stderr);
    assert!(cache_of(&out).is_file(), "a cache beside the output");
    let basics = root.join("content/01-basics");

    // One article edited: its body and its search terms are made again,
    // everything else comes from the cache.
    edit(
        &basics.join("02-more.md"),
        "Every session counts",
        "Each session counts",
    );
    let timed = build(&root, &out, &["--timings"]);
    let line = timed
        .stdout
        .lines()
        .find(|l| l.contains("build cache:"))
        .unwrap_or_default();
    assert!(line.contains(" found, 2 made "), "{}", timed.stdout);
    assert!(!line.contains(" 0 found"), "{line}");
    same_as_without_cache(&root, &out, &scratch);
    assert!(read(&out.join("basics/more/index.html")).contains("Each "));

    // A new glossary term, used by an article that did not change: its
    // page must link it.
    let glossary = root.join("content/glossary.yaml");
    let mut terms = read(&glossary);
    terms.push_str("\n- term: Prose\n  definition: Writing that is not verse.\n");
    fs::write(&glossary, terms).unwrap();
    same_as_without_cache(&root, &out, &scratch);
    assert!(read(&out.join("basics/rules/index.html")).contains("#prose"));

    // A page's address changed (its slug): every link to it changes.
    edit(
        &basics.join("02-more.md"),
        "title: More",
        "title: More\nslug: further",
    );
    same_as_without_cache(&root, &out, &scratch);
    assert!(read(&out.join("basics/rules/index.html")).contains("further/index.html"));

    // The glossary's terms linked at each use, not the first only.
    edit(
        &root.join("handbook.yaml"),
        "autolink: first",
        "autolink: every",
    );
    same_as_without_cache(&root, &out, &scratch);

    // An image the article shows, renamed, and the article with it.
    let figures = basics.join("figures");
    fs::rename(figures.join("room.svg"), figures.join("space.svg")).unwrap();
    edit(
        &basics.join("01-rules.md"),
        "figures/room.svg",
        "figures/space.svg",
    );
    same_as_without_cache(&root, &out, &scratch);
}

#[test]
fn a_damaged_cache_is_only_a_slower_build() {
    let scratch = temp_dir("cache-damaged");
    let root = scratch.join("handbook");
    copy_dir(&fixture("glossary"), &root);
    let out = scratch.join("public");
    assert_eq!(build(&root, &out, &[]).status, 0);
    let cache = cache_of(&out);
    let mut bytes = fs::read(&cache).unwrap();
    let len = bytes.len();
    // Every 97th byte after the header changed, and the end cut off.
    for i in (20..len).step_by(97) {
        bytes[i] = bytes[i].wrapping_add(1);
    }
    bytes.truncate(len - 10);
    fs::write(&cache, &bytes).unwrap();
    edit_more(&root, "Every session counts", "Each session counts");
    same_as_without_cache(&root, &out, &scratch);

    // A cache file made of anything else is not read, and not replaced.
    fs::write(&cache, "notes of my own").unwrap();
    edit_more(&root, "Each session counts", "Every session counts");
    same_as_without_cache(&root, &out, &scratch);
    assert_eq!(read(&cache), "notes of my own");
    // `--timings` says why builds into that output keep no work.
    edit_more(&root, "Every session counts", "Each session counts");
    let timed = build(&root, &out, &["--timings"]);
    assert_eq!(timed.status, 0, "{}", timed.stderr);
    let off = format!(
        "build cache: off: {} is not a Trellis build cache",
        cache.display()
    );
    assert!(timed.stdout.contains(&off), "{}", timed.stdout);
    assert_eq!(read(&cache), "notes of my own");
}

#[test]
fn a_first_build_that_fails_after_loading_leaves_no_cache() {
    let scratch = temp_dir("cache-failed-late");
    let root = scratch.join("handbook");
    copy_dir(&fixture("errors/template-error"), &root);
    let out = scratch.join("public");
    let failed = build(&root, &out, &[]);
    assert_eq!(failed.status, 1, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("error[template-error]"),
        "{}",
        failed.stderr
    );
    assert_eq!(names_in(&scratch), vec!["handbook".to_string()]);
}

#[test]
fn a_failed_first_build_leaves_no_cache() {
    let scratch = temp_dir("cache-failed");
    let root = scratch.join("handbook");
    copy_dir(&fixture("glossary"), &root);
    edit_more(
        &root,
        "Every session counts",
        "Every [[No such term]] counts",
    );
    let out = scratch.join("public");
    let failed = build(&root, &out, &[]);
    assert_eq!(failed.status, 1, "{}", failed.stderr);
    assert_eq!(names_in(&scratch), vec!["handbook".to_string()]);
}

#[test]
fn a_first_build_into_a_new_parent_folder_says_why_it_keeps_no_cache() {
    let scratch = temp_dir("cache-new-parent");
    let root = scratch.join("handbook");
    copy_dir(&fixture("glossary"), &root);
    let out = scratch.join("site").join("public");
    let first = build(&root, &out, &["--timings"]);
    assert_eq!(first.status, 0, "{}", first.stderr);
    let off = format!(
        "build cache: off: {} cannot be made before the folder that holds the output exists",
        cache_of(&out).display()
    );
    assert!(first.stdout.contains(&off), "{}", first.stdout);
    // The folder exists now: the next build keeps its work.
    edit_more(&root, "Every session counts", "Each session counts");
    let second = build(&root, &out, &["--timings"]);
    assert_eq!(second.status, 0, "{}", second.stderr);
    assert!(
        second.stdout.contains(" made (article bodies"),
        "{}",
        second.stdout
    );
    assert!(cache_of(&out).is_file());
}
