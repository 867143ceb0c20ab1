//! A build with nothing changed since the last one into the same output
//! does no work and says what that build said; a change to anything a build
//! reads, or to the output, and the build runs in full.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::SystemTime;

use common::{copy_dir, fixture, read, temp_dir, trellis, Run};

/// `trellis build` of `root` into `out`, not quiet: the summary line is
/// what tells a build that ran from one that found nothing to do.
fn build(root: &Path, out: &Path) -> Run {
    let run = trellis(
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        root,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    run
}

fn ran(run: &Run) -> bool {
    run.stdout.starts_with("Built ")
}

/// Every file of the site with its modification time.
fn times(site: &Path) -> BTreeMap<String, SystemTime> {
    common::site_files(site, |meta| meta.modified().unwrap())
}

#[test]
fn a_build_with_nothing_changed_writes_nothing_and_repeats_its_warnings() {
    let root = temp_dir("unchanged-root");
    copy_dir(&fixture("glossary"), &root);
    let out = temp_dir("unchanged-out");
    let first = build(&root, &out);
    assert!(ran(&first), "{}", first.stdout);
    assert!(first.stderr.contains("warning"), "{}", first.stderr);
    let written = times(&out);

    let again = build(&root, &out);
    assert!(!ran(&again), "{}", again.stdout);
    assert!(
        again
            .stdout
            .starts_with("Nothing changed since the last build")
            && again.stdout.contains("(1 warning)"),
        "{}",
        again.stdout
    );
    assert_eq!(
        again.stderr, first.stderr,
        "the same warnings, word for word"
    );
    assert_eq!(times(&out), written, "no file written again");

    // An article edited to the same length: content, not sizes, decides.
    let article = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(Result::unwrap)
        .find(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "_index.md")
        .unwrap()
        .into_path();
    let text = read(&article);
    let word = text
        .lines()
        .last()
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();
    let edited = text.replacen(&word, &"Z".repeat(word.len()), 1);
    assert_eq!(edited.len(), text.len());
    fs::write(&article, &edited).unwrap();
    assert!(ran(&build(&root, &out)));
    let pages = times(&out)
        .keys()
        .filter(|p| p.ends_with(".html") && read(&out.join(p)).contains(&"Z".repeat(word.len())))
        .count();
    assert!(pages > 0, "the edit is in the site");
    assert!(!ran(&build(&root, &out)));

    let _ = fs::remove_dir_all(&root);
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn a_changed_output_or_a_new_trellis_input_makes_a_full_build() {
    let root = temp_dir("unchanged-out-root");
    copy_dir(&fixture("basic"), &root);
    let out = temp_dir("unchanged-out-site");
    build(&root, &out);
    let home = out.join("index.html");
    let page = read(&home);

    // A page changed by hand in the output is put right.
    fs::write(&home, "changed by hand").unwrap();
    assert!(ran(&build(&root, &out)));
    assert_eq!(read(&home), page);

    // A file added to the output: the build runs, and the site is its own again.
    fs::write(out.join("stray.html"), "added by hand").unwrap();
    assert!(ran(&build(&root, &out)));
    assert!(!ran(&build(&root, &out)));

    // A file removed from the output comes back.
    fs::remove_file(&home).unwrap();
    assert!(ran(&build(&root, &out)));
    assert_eq!(read(&home), page);

    // Files the build reads beyond content/: the handbook's theme words.
    fs::create_dir_all(root.join("i18n")).unwrap();
    fs::write(root.join("i18n/en.yaml"), "skip_link: Go to the article\n").unwrap();
    assert!(ran(&build(&root, &out)));
    assert!(read(&home).contains("Go to the article"));
    assert!(!ran(&build(&root, &out)));
    // A file outside them is not read, and changes nothing.
    fs::write(root.join("NOTES.md"), "to do").unwrap();
    assert!(!ran(&build(&root, &out)));

    // --drafts reads more: a build of its own.
    let run = trellis(
        &["build", "--drafts", "--output", out.to_str().unwrap()],
        &root,
    );
    assert!(ran(&run), "{}", run.stdout);

    // Without the record beside the output, the build runs in full.
    build(&root, &out);
    let name = out.file_name().unwrap().to_string_lossy();
    fs::remove_file(out.with_file_name(format!(".{name}.trellis-build"))).unwrap();
    assert!(ran(&build(&root, &out)));

    let _ = fs::remove_dir_all(&root);
    let _ = fs::remove_dir_all(&out);
}
