//! Every error has a stable code, and its text is reviewed as a snapshot.
//!
//! For one small broken handbook per kind of problem, the codes `check
//! --format json` reports are asserted, and the text `trellis build`
//! prints is compared with the snapshot under `tests/snapshots/`, so a
//! changed message is one reviewed diff (`cargo insta review`, or run with
//! `INSTA_UPDATE=always` and read the diff of the `.snap` files).

mod common;

use std::path::Path;

use common::{fixture, temp_dir, trellis};

/// The broken handbooks: their folder under `tests/fixtures/` and the codes
/// of the errors `check` finds in them, in report order.
const CASES: &[(&str, &[&str])] = &[
    ("bad-input/alias-bomb-glossary", &["too-large"]),
    ("bad-input/duplicate-keys", &["duplicate-key"]),
    ("bad-input/empty", &["front-matter"]),
    ("bad-input/front-matter-list", &["front-matter"]),
    ("bad-input/impossible-date", &["invalid-value"]),
    ("bad-input/unclosed-front-matter", &["front-matter"]),
    ("bad-input/wrong-type", &["invalid-value"]),
    ("bad-input/yaml-tabs", &["yaml-syntax"]),
    ("errors/bad-alias", &["invalid-value"]),
    ("errors/broken-link", &["broken-link"]),
    ("errors/duplicate-slug", &["duplicate-name"]),
    ("errors/malformed-yaml", &["yaml-syntax"]),
    ("errors/missing-anchor", &["unknown-anchor"]),
    ("errors/missing-title", &["missing-key"]),
    ("errors/template-error", &["template-error"]),
    ("errors/unknown-citation", &["unknown-citation"]),
    ("errors/unknown-config-key", &["unknown-key"]),
    ("errors/unknown-key", &["unknown-key"]),
    ("errors/unknown-theme", &["unknown-theme"]),
    ("codes/duplicate-question-id", &["duplicate-name"]),
    (
        "codes/glossary-duplicate",
        &["duplicate-name", "duplicate-name"],
    ),
    ("codes/quiz-missing-key", &["missing-key"]),
    ("codes/quiz-unknown-key", &["unknown-key"]),
    ("codes/reference-duplicate", &["duplicate-name"]),
    ("codes/reserved-name", &["reserved-name"]),
    ("codes/unknown-alias", &["unknown-alias"]),
    ("codes/unknown-term", &["unknown-term"]),
];

/// Problems only `trellis build` finds: `check` renders no templates.
const BUILD_ONLY: &[&str] = &["errors/template-error", "errors/unknown-theme"];

/// The codes of the errors `trellis check --format json` reports for `root`.
fn error_codes(root: &Path) -> Vec<String> {
    let run = trellis(&["check", "--format", "json"], root);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON report");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            d["code"]
                .as_str()
                .expect("every diagnostic has a code")
                .to_string()
        })
        .collect()
}

/// What `trellis build` prints for `root`, run from inside it so paths are
/// as an author sees them.
fn build_errors(root: &Path, name: &str) -> String {
    let out = temp_dir(&format!("codes-{}", name.replace('/', "-")));
    let run = trellis(
        &["build", "--quiet", "--output", out.to_str().unwrap()],
        root,
    );
    assert_eq!(run.status, 1, "{name}: {}", run.stderr);
    assert!(!out.exists(), "{name}: a failed build wrote output");
    run.stderr
}

/// The codes in the `error[code]` lines `trellis build` prints.
fn printed_codes(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split(": error[").nth(1))
        .map(|rest| rest.split(']').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn every_broken_handbook_reports_its_codes() {
    for (name, expected) in CASES {
        let root = fixture(name);
        assert_eq!(
            printed_codes(&build_errors(&root, name)),
            *expected,
            "{name}"
        );
        if !BUILD_ONLY.contains(name) {
            assert_eq!(error_codes(&root), *expected, "{name}");
        }
    }
}

#[test]
fn error_text_matches_the_snapshots() {
    for (name, _) in CASES {
        let text = build_errors(&fixture(name), name);
        insta::assert_snapshot!(name.replace('/', "__"), text);
    }
}

#[test]
fn every_line_names_its_code_between_severity_and_message() {
    for (name, _) in CASES {
        let text = build_errors(&fixture(name), name);
        for line in text.lines().filter(|l| l.contains(": error")) {
            let rest = line.split(": error[").nth(1).unwrap_or_else(|| {
                panic!("{name}: no `error[code]` in {line}");
            });
            let code = rest.split(']').next().unwrap_or_default();
            assert!(
                !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{name}: {line}"
            );
        }
    }
}
