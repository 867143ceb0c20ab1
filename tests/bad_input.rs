//! Bad input: every kind of broken file an author, an editor or a
//! file system can produce. For each, the real binary must exit 1 with a
//! `file:line:col: error:` line naming the right file and line, never panic,
//! and write nothing. Inputs that can be committed are fixtures under
//! `tests/fixtures/bad-input/`; the rest (invalid UTF-8, binary, 10,000-deep
//! nesting, 50 MB, symbolic-link loops, unreadable files) are made here.

mod common;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{build, fixture, read, temp_dir, Run};

/// No panic, whatever the input: not the text, not Rust's panic status.
fn assert_no_panic(run: &Run) {
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "trellis panicked:\n{}",
        run.stderr
    );
    assert_ne!(run.status, 101, "panic status: {}", run.stderr);
}

/// Builds `root` and checks what the author sees: exit 1, the first line is
/// exactly `FILE:LINE:COL: error[CODE]: MESSAGE…`, no panic, and no output
/// folder. Returns stderr for further checks.
fn fails_at(
    root: &Path,
    (file, line, col): (&str, usize, usize),
    code: &str,
    message: &str,
) -> String {
    let out = temp_dir(&format!(
        "bad-out-{}",
        root.file_name().unwrap().to_string_lossy()
    ));
    let run = build(root, &out, &[]);
    assert_no_panic(&run);
    assert_eq!(run.status, 1, "must fail with status 1:\n{}", run.stderr);
    let expected = format!(
        "{}:{line}:{col}: error[{code}]: {message}",
        root.join(file).display()
    );
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&expected),
        "expected the first line to start with\n  {expected}\ngot\n{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("; nothing was written\n"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "a failed build wrote {}", out.display());
    assert_no_leftovers(&out);
    run.stderr
}

/// Nothing of a staging or outgoing folder is left beside `out`.
fn assert_no_leftovers(out: &Path) {
    let name = out.file_name().unwrap().to_string_lossy().to_string();
    let Ok(entries) = fs::read_dir(out.parent().unwrap()) else {
        return;
    };
    for entry in entries.flatten() {
        let n = entry.file_name().to_string_lossy().to_string();
        assert!(
            !n.starts_with(&format!(".{name}.trellis-")),
            "left behind: {n}"
        );
    }
}

fn case(name: &str) -> PathBuf {
    fixture(&format!("bad-input/{name}"))
}

/// A scratch handbook with one good article, for inputs made at run time.
fn scratch(name: &str) -> PathBuf {
    let root = temp_dir(name);
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("handbook.yaml"), "title: Bad input\n").unwrap();
    fs::write(
        root.join("content/ok.md"),
        "---\ntitle: A good article\nsummary: Nothing wrong here.\n---\nThis one is fine.\n",
    )
    .unwrap();
    root
}

// --- Files that are not text -------------------------------------------

#[test]
fn invalid_utf8_points_at_the_first_bad_byte() {
    let root = scratch("bad-utf8");
    // Latin-1 "café" on line 6, column 4 (the é).
    fs::write(
        root.join("content/a.md"),
        b"---\ntitle: A\nsummary: S.\n---\nline one\ncaf\xe9 au lait\n",
    )
    .unwrap();
    let err = fails_at(
        &root,
        ("content/a.md", 6, 4),
        "not-text",
        "this file is not valid UTF-8 text",
    );
    assert!(err.contains("help: save it as UTF-8 text"), "{err}");
}

#[test]
fn invalid_utf8_in_yaml_files_points_at_the_first_bad_byte() {
    // Latin-1 "café" in each YAML file an author writes, one at a time.
    let cases: [(&str, &[u8], usize, usize); 4] = [
        (
            "content/glossary.yaml",
            b"- term: Trust\n  definition: A caf\xe9 of feelings.\n",
            2,
            20,
        ),
        (
            "content/ok.quiz.yaml",
            b"questions:\n  - type: true_false\n    prompt: Caf\xe9 is coffee.\n    answer: true\n",
            3,
            16,
        ),
        (
            "content/references.yaml",
            b"smith2020:\n  type: article\n  title: Caf\xe9\n",
            3,
            13,
        ),
        ("handbook.yaml", b"title: Caf\xe9 handbook\n", 1, 11),
    ];
    for (i, (file, bytes, line, col)) in cases.into_iter().enumerate() {
        let root = scratch(&format!("bad-utf8-yaml-{i}"));
        fs::write(root.join(file), bytes).unwrap();
        let err = fails_at(
            &root,
            (file, line, col),
            "not-text",
            "this file is not valid UTF-8 text",
        );
        assert!(err.contains("help: save it as UTF-8 text"), "{file}: {err}");
    }
}

#[test]
fn invalid_utf8_in_a_theme_points_at_the_first_bad_byte() {
    // A template the handbook overrides, and a theme's theme.yaml (which was
    // once read as if it were absent).
    let root = scratch("bad-utf8-template");
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/404.html"),
        b"{% extends \"base.html\" %}\n{% block content %}Caf\xe9{% endblock %}\n",
    )
    .unwrap();
    let err = fails_at(
        &root,
        ("templates/404.html", 2, 23),
        "not-text",
        "this file is not valid UTF-8 text",
    );
    assert!(err.contains("help: save it as UTF-8 text"), "{err}");

    let root = scratch("bad-utf8-theme-yaml");
    fs::write(
        root.join("handbook.yaml"),
        "title: Bad input\ntheme: mine\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("themes/mine")).unwrap();
    fs::write(
        root.join("themes/mine/theme.yaml"),
        b"# Caf\xe9 theme\nextends: default\n",
    )
    .unwrap();
    fails_at(
        &root,
        ("themes/mine/theme.yaml", 1, 6),
        "not-text",
        "this file is not valid UTF-8 text",
    );
}

#[test]
fn a_binary_file_named_md_is_not_text() {
    // A PNG image saved with the wrong extension: its first byte is not UTF-8.
    let root = scratch("bad-binary");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    png.extend((0..=255u8).cycle().take(4096));
    fs::write(root.join("content/photo.md"), &png).unwrap();
    fails_at(
        &root,
        ("content/photo.md", 1, 1),
        "not-text",
        "this is not a text file (it holds binary data)",
    );

    // Valid UTF-8 with a NUL byte in it (a truncated or corrupted save): pointed at.
    let root = scratch("bad-nul");
    fs::write(
        root.join("content/a.md"),
        "---\ntitle: A\nsummary: S.\n---\nabc\0def\n",
    )
    .unwrap();
    fails_at(
        &root,
        ("content/a.md", 5, 4),
        "not-text",
        "this is not a text file (it holds NUL bytes)",
    );
}

// --- Front matter ----------------------------------------------------------

#[test]
fn an_empty_file_says_it_is_empty() {
    // An editor's new, unsaved buffer: the article has nothing yet.
    fails_at(
        &case("empty"),
        ("content/a.md", 1, 1),
        "front-matter",
        "this file is empty",
    );
}

#[test]
fn front_matter_never_closed_points_at_its_opening_line() {
    let err = fails_at(
        &case("unclosed-front-matter"),
        ("content/a.md", 1, 1),
        "front-matter",
        "the front matter is never closed",
    );
    assert!(err.contains("help: end the front matter with a line holding only `---`"));
}

#[test]
fn front_matter_that_is_a_list_or_a_scalar() {
    let err = fails_at(
        &case("front-matter-list"),
        ("content/a.md", 2, 1),
        "front-matter",
        "the front matter is a list, not a set of `key: value` lines",
    );
    assert!(err.contains("help: front matter is a set of `key: value` lines"));
    fails_at(&case("front-matter-scalar"), ("content/a.md", 2, 1), "front-matter", "the front matter is a single value (string \"Just a sentence where the keys should be\"), not a set of `key: value` lines");
}

#[test]
fn tabs_in_yaml_point_at_the_tab() {
    let err = fails_at(
        &case("yaml-tabs"),
        ("content/a.md", 5, 1),
        "yaml-syntax",
        "found character that cannot start any token",
    );
    assert!(
        err.contains("help: YAML does not allow tabs for indentation; indent with spaces"),
        "{err}"
    );
}

#[test]
fn a_duplicate_key_points_at_its_second_use() {
    let err = fails_at(
        &case("duplicate-keys"),
        ("content/a.md", 4, 1),
        "duplicate-key",
        "`title` is given twice",
    );
    assert!(err.contains("help: keep one of the two"), "{err}");
}

#[test]
fn an_alias_bomb_fails_fast() {
    // In front matter every key has a type, so the first alias that expands to
    // the wrong shape stops it: no expansion happens.
    let start = std::time::Instant::now();
    fails_at(
        &case("alias-bomb"),
        ("content/a.md", 5, 1),
        "invalid-value",
        "tags[0]: invalid type: sequence, expected a string",
    );
    // The glossary is read as free-form YAML first, so there the bomb would
    // expand: serde_yaml's repetition limit stops it, pointed at the first alias.
    let err = fails_at(
        &case("alias-bomb-glossary"),
        ("content/glossary.yaml", 7, 10),
        "too-large",
        "the YAML's aliases expand too much; it looks like an alias bomb",
    );
    assert!(err.contains("help: write the values out"), "{err}");
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}

#[test]
fn wrong_types_and_impossible_dates() {
    fails_at(
        &case("wrong-type"),
        ("content/a.md", 4, 8),
        "invalid-value",
        "order: invalid type: string \"three\", expected i64",
    );
    fails_at(
        &case("impossible-date"),
        ("content/a.md", 4, 11),
        "invalid-value",
        "reviewed: `2026-02-30` is not a real date (no such day); write it as YYYY-MM-DD",
    );
}

// --- Size and depth ------------------------------------------------------

/// Lists and blockquotes nested 10,000 deep are valid CommonMark: the page is
/// built (exit 0) with every level, and nothing overflows a stack. YAML
/// nested that deep is refused quickly with its position.
#[test]
fn nesting_ten_thousand_deep_renders_without_overflow() {
    let root = scratch("deep");
    let body = format!(
        "{q}quoted\n\n{l}listed\n\n{m}mixed\n\n{o}numbered\n",
        q = "> ".repeat(10_000),
        l = "- ".repeat(10_000),
        m = "> - ".repeat(5_000),
        o = "1. ".repeat(10_000),
    );
    fs::write(
        root.join("content/deep.md"),
        format!("---\ntitle: Deep\nsummary: Very deep.\n---\n{body}"),
    )
    .unwrap();
    fs::write(
        root.join("content/_index.md"),
        format!("---\ntitle: Home\n---\n{body}"),
    )
    .unwrap();
    let out = temp_dir("deep-out");
    let run = build(&root, &out, &[]);
    assert_no_panic(&run);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let html = read(&out.join("deep/index.html"));
    // Every level is there (plus the theme's own few lists).
    let levels = |tag: &str| html.matches(tag).count();
    assert_eq!(levels("<blockquote>"), 15_000);
    assert!(
        (15_000..15_010).contains(&levels("<ul>")),
        "{}",
        levels("<ul>")
    );
    assert!(
        (10_000..10_010).contains(&levels("<ol>")),
        "{}",
        levels("<ol>")
    );
    assert!(html.contains("listed") && html.contains("mixed"));
    assert!(
        read(&out.join("index.html"))
            .matches("<blockquote>")
            .count()
            >= 15_000
    );
    assert!(read(&out.join("print/index.html")).contains("numbered"));

    let root = scratch("deep-yaml");
    fs::write(
        root.join("content/a.md"),
        format!(
            "---\ntitle: A\nsummary: S.\ntags: {}{}\n---\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    )
    .unwrap();
    fails_at(
        &root,
        ("content/a.md", 4, 1007),
        "too-large",
        "the YAML is nested more than 1000 levels deep",
    );
}

/// A 50 MB article (a pasted log, an embedded image as text) is refused at
/// once with its size, before it is read.
#[test]
fn a_fifty_megabyte_article_is_refused_with_its_size() {
    let root = scratch("huge");
    let mut f = std::io::BufWriter::new(fs::File::create(root.join("content/huge.md")).unwrap());
    writeln!(f, "---\ntitle: Huge\nsummary: Far too long.\n---").unwrap();
    let para = "Worry is a normal part of life, and some of it helps us plan. \
                When it grows, it can crowd out rest and joy.\n\n";
    for _ in 0..(50 * 1024 * 1024 / para.len() + 1) {
        f.write_all(para.as_bytes()).unwrap();
    }
    drop(f);
    let start = std::time::Instant::now();
    let err = fails_at(
        &root,
        ("content/huge.md", 1, 1),
        "too-large",
        "this file is 50.0 MB; a markdown file may be at most 10 MB",
    );
    assert!(
        err.contains("help: split it into several articles"),
        "{err}"
    );
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    fs::remove_dir_all(&root).unwrap();
}

// --- The file system --------------------------------------------------------

#[cfg(unix)]
#[test]
fn symbolic_link_loops_are_named() {
    use std::os::unix::fs::symlink;
    let root = scratch("loop");
    fs::create_dir_all(root.join("content/part")).unwrap();
    fs::write(
        root.join("content/part/a.md"),
        "---\ntitle: A\nsummary: S.\n---\nx\n",
    )
    .unwrap();
    symlink("..", root.join("content/part/back")).unwrap();
    let err = fails_at(
        &root,
        ("content/part/back", 1, 1),
        "read-failed",
        "symbolic link loop: it points back to",
    );
    assert!(err.contains("help: remove the link"), "{err}");

    // A link to itself cannot even be followed: named, with what to do.
    let root = scratch("self-loop");
    symlink("self.md", root.join("content/self.md")).unwrap();
    let err = fails_at(
        &root,
        ("content/self.md", 1, 1),
        "read-failed",
        "cannot read this:",
    );
    assert!(
        err.contains("help: this symbolic link cannot be followed"),
        "{err}"
    );
}

/// An unreadable file. Run as root (as CI is), `chmod 000` does not stop
/// reads, so the test then runs the build as `nobody` through `setpriv` when
/// it can; when it cannot, it checks that root's build simply succeeds.
#[cfg(unix)]
#[test]
fn an_unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let root = scratch("unreadable");
    let secret = root.join("content/secret.md");
    fs::write(&secret, "---\ntitle: Secret\nsummary: S.\n---\nx\n").unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let expected = "cannot read this file: Permission denied";
    if fs::File::open(&secret).is_err() {
        fails_at(&root, ("content/secret.md", 1, 1), "read-failed", expected);
        return;
    }
    println!("running as root: chmod 000 does not stop reads, so trying as `nobody`");
    if let Some(run) = build_as_nobody(&root) {
        assert_no_panic(&run);
        assert_eq!(run.status, 1, "{}", run.stderr);
        let line = format!("{}:1:1: error[read-failed]: {expected}", secret.display());
        assert!(run.stderr.starts_with(&line), "{}", run.stderr);
    } else {
        println!("setpriv cannot run trellis as `nobody` here: checking root's build instead");
        let out = temp_dir("unreadable-out");
        let run = build(&root, &out, &[]);
        assert_no_panic(&run);
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert!(out.join("secret/index.html").is_file());
    }
}

/// `trellis build` as user `nobody`, into a fresh folder `nobody` may write;
/// `None` when that cannot be arranged (no setpriv, or the binary is out of
/// `nobody`'s reach).
#[cfg(unix)]
fn build_as_nobody(root: &Path) -> Option<Run> {
    use std::os::unix::fs::PermissionsExt;
    let as_nobody = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_trellis"))
            .args(args)
            .output()
            .ok()
    };
    if !as_nobody(&["--version"])?.status.success() {
        return None;
    }
    let parent = temp_dir("nobody");
    fs::create_dir_all(&parent).ok()?;
    fs::set_permissions(&parent, fs::Permissions::from_mode(0o777)).ok()?;
    let out = parent.join("site");
    let o = as_nobody(&[
        "build",
        "--quiet",
        "--root",
        root.to_str()?,
        "--output",
        out.to_str()?,
    ])?;
    let run = Run {
        status: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert!(!out.exists(), "a failed build wrote {}", out.display());
    Some(run)
}

/// An output folder inside `content/` would be read back as sources on the
/// next build, and a wrong path there could delete them: refused, whether it
/// comes from `--output`, from `output_dir` in handbook.yaml (then pointed at
/// there), or through a symbolic link. Sources are untouched.
#[test]
fn an_output_inside_content_is_refused() {
    let root = scratch("inside");
    let before = listing(&root);
    let out = root.join("content/public");
    let run = build(&root, &out, &[]);
    assert_no_panic(&run);
    assert_eq!(run.status, 1);
    let line = format!(
        "{}:1:1: error[output-refused]: refusing to write the site to {}: it is inside `content`, which holds your sources\n",
        out.display(),
        out.display()
    );
    assert!(run.stderr.starts_with(&line), "{}", run.stderr);

    fs::write(
        root.join("handbook.yaml"),
        "title: Bad input\noutput_dir: content/site\n",
    )
    .unwrap();
    let run = common::trellis(
        &["build", "--quiet", "--root", root.to_str().unwrap()],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    assert_no_panic(&run);
    assert_eq!(run.status, 1);
    let line = format!(
        "{}:2:1: error[output-refused]: refusing to write the site to {}: it is inside `content`",
        root.join("handbook.yaml").display(),
        root.join("content/site").display()
    );
    assert!(run.stderr.starts_with(&line), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("help: set `output_dir` to a folder of its own"),
        "{}",
        run.stderr
    );
    fs::write(root.join("handbook.yaml"), "title: Bad input\n").unwrap();

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("content", root.join("via-link")).unwrap();
        let run = build(&root, &root.join("via-link/site"), &[]);
        assert_eq!(run.status, 1);
        assert!(
            run.stderr.contains("it is inside `content`"),
            "{}",
            run.stderr
        );
        fs::remove_file(root.join("via-link")).unwrap();
    }
    assert_eq!(listing(&root), before, "the handbook's files changed");
}

/// Every path under `root` with its size, sorted.
fn listing(root: &Path) -> Vec<(PathBuf, u64)> {
    let mut all: Vec<(PathBuf, u64)> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    all.sort();
    all
}
