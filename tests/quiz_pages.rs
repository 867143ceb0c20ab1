//! Quizzes end to end with the real binary on `tests/fixtures/quizzes`: the
//! pages a student gets (article quiz, stand-alone quiz, list, practice exam),
//! the errors an author gets (with `file:line:col`), and
//! `trellis export quizzes`.

mod common;

use std::fs;
use std::path::Path;

use common::{broken_links, build, copy_dir, fixture, read, temp_dir, trellis};

fn built(name: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = temp_dir(name);
    let run = build(&fixture("quizzes"), &out, extra);
    assert_eq!(run.status, 0, "{}", run.stderr);
    out
}

/// Every `<script>` either loads a file or holds JSON data: none runs inline code.
fn assert_no_inline_script(html: &str, page: &str) {
    for tag in html.split("<script").skip(1) {
        let open = tag.split('>').next().unwrap_or("");
        assert!(
            open.contains(" src=\"") || open.contains("type=\"application/json\""),
            "{page} has an inline script: <script{open}>"
        );
    }
}

#[test]
fn each_article_links_its_own_quiz_and_none_links_another_s() {
    let root = temp_dir("quiz-links-src");
    copy_dir(&fixture("quizzes"), &root);
    let part = root.join("content/01-basics");
    let article = |name: &str, title: &str| {
        let text = format!("---\ntitle: {title}\nsummary: About {title}.\n---\n\nText.\n");
        fs::write(part.join(format!("{name}.md")), text).unwrap();
    };
    article("03-no-quiz", "No quiz");
    article("04-last", "Last");
    fs::write(
        part.join("04-last.quiz.yaml"),
        "questions:\n  - type: true-false\n    prompt: The last one.\n    answer: true\n",
    )
    .unwrap();
    let out = temp_dir("quiz-links");
    let run = build(&root, &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let quiz_link = "Check your understanding: take the quiz";
    for (page, has_quiz) in [("first-steps", true), ("no-quiz", false), ("last", true)] {
        let html = read(&out.join(format!("basics/{page}/index.html")));
        assert_eq!(html.contains(quiz_link), has_quiz, "{page}");
        if has_quiz {
            assert!(out.join(format!("basics/{page}/quiz/index.html")).is_file());
            assert!(html.contains("<a href=\"quiz/index.html\">"), "{page}");
        }
    }
}

#[test]
fn quiz_pages_are_built_and_linked() {
    let out = built("quiz-pages", &[]);
    for page in [
        "basics/first-steps/quiz/index.html",
        "quizzes/index.html",
        "quizzes/review-set/index.html",
        "quizzes/practice/index.html",
        "static/quiz-core.js",
        "static/quiz.js",
        "static/practice.js",
        "static/quiz.css",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    // A draft's quiz is left out with its article, and is not taken for a stand-alone quiz.
    assert!(!out.join("basics/later").exists());
    assert!(!out.join("quizzes/later").exists());

    let article = read(&out.join("basics/first-steps/index.html"));
    assert!(
        article.contains("<a href=\"quiz/index.html\">Check your understanding: take the quiz</a>"),
        "the article links to its quiz"
    );
    assert!(
        article.contains("href=\"../../quizzes/index.html\">Quizzes</a>"),
        "the header links to the quizzes"
    );
    let sitemap = read(&out.join("sitemap.xml"));
    for url in [
        "https://example.org/quizzes-fixture/basics/first-steps/quiz/",
        "https://example.org/quizzes-fixture/quizzes/",
        "https://example.org/quizzes-fixture/quizzes/review-set/",
        "https://example.org/quizzes-fixture/quizzes/practice/",
    ] {
        assert!(sitemap.contains(url), "sitemap lacks {url}");
    }
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn a_quiz_page_works_without_javascript() {
    let out = built("quiz-nojs", &[]);
    let html = read(&out.join("basics/first-steps/quiz/index.html"));
    assert!(
        html.contains("<h1>First steps: check your understanding</h1>"),
        "default title"
    );
    assert_eq!(html.matches("<fieldset class=\"quiz-question\"").count(), 6);
    assert_eq!(html.matches("<legend>").count(), 6);
    assert!(html.contains("<legend><span class=\"quiz-number\">1.</span> What are the first sessions <em>for</em>?</legend>"));
    assert_eq!(
        html.matches("<details class=\"quiz-answer\">").count(),
        6,
        "every answer in <details>"
    );
    assert!(html.contains(
        "<div class=\"quiz-key\"><strong>Answer:</strong> Getting to know each other</div>"
    ));
    assert!(html.contains(
        "<p class=\"quiz-explanation\">The first sessions are for getting to know each other.</p>"
    ));
    assert!(
        html.contains("<button type=\"submit\" class=\"quiz-check\" hidden>Check answers</button>")
    );
    assert!(html.contains("role=\"status\""));
    // Review links resolve like markdown links, relative to the quiz page.
    assert!(html.contains("<a href=\"../index.html#why-it-matters\">Read more about this</a>"));
    assert!(html.contains("<a href=\"../index.html#questions-to-ask\">Read more about this</a>"));
    // Raw HTML in quiz text is shown, not run.
    assert!(html.contains("Nothing: &lt;b&gt;never&lt;/b&gt; ask"));
    assert!(!html.contains("<b>never</b>"));
    // Native controls of each type.
    assert!(html.contains("type=\"radio\" name=\"q-what-are-the-first-sessions-for\""));
    assert!(html.contains("type=\"checkbox\" name=\"q-ask\""));
    assert!(html.contains("<input type=\"text\" id=\"q-what-lets-you-speak-openly-answer\""));
    assert_eq!(
        html.matches("data-move=\"up\"").count(),
        3,
        "ordering: move-up buttons"
    );
    assert_eq!(
        html.matches("<select id=").count(),
        2,
        "matching: a select per left item"
    );
    // The answer key is JSON data, not script.
    assert!(html.contains("<script type=\"application/json\" id=\"quiz-data\">"));
    assert!(html.contains("<script src=\"../../../static/quiz-core.js\" defer></script><script src=\"../../../static/quiz.js\" defer></script>"));
    assert_no_inline_script(&html, "the quiz page");
    let data = html
        .split("<script type=\"application/json\" id=\"quiz-data\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("a data block");
    let data: serde_json::Value = serde_json::from_str(data).expect("JSON");
    assert_eq!(data["passMark"], 60, "the handbook's pass mark");
    assert_eq!(
        data["key"],
        "https://example.org/quizzes-fixture/basics/first-steps/quiz/"
    );
    assert_eq!(
        data["questions"][1]["correct"],
        serde_json::json!(["c1", "c2"])
    );
}

#[test]
fn the_list_and_the_practice_exam_cover_every_quiz() {
    let out = built("quiz-list", &[]);
    let list = read(&out.join("quizzes/index.html"));
    assert!(list.contains("<a href=\"../basics/first-steps/quiz/index.html\">First steps: check your understanding</a>"));
    assert!(list.contains("<a href=\"review-set/index.html\">Review set</a>"));
    assert!(
        list.contains("<td>6</td>") && list.contains("<td>1</td>"),
        "question counts"
    );
    assert!(list.contains(
        "data-quiz-key=\"https://example.org/quizzes-fixture/basics/first-steps/quiz/\""
    ));
    assert!(list.contains("<a href=\"practice/index.html\">Practice exam</a>"));
    assert!(list.contains("Reset my progress"));
    assert_no_inline_script(&list, "the list of quizzes");

    let practice = read(&out.join("quizzes/practice/index.html"));
    assert_eq!(
        practice
            .matches("<fieldset class=\"quiz-question\"")
            .count(),
        7
    );
    assert!(practice.contains("id=\"practice-count\" min=\"1\" max=\"7\" value=\"7\""));
    assert!(
        practice.contains("Pause the timer")
            && practice.contains("Add 5 minutes")
            && practice.contains("Turn off the timer")
    );
    // Review links and sources are relative to the practice page.
    assert!(practice.contains(
        "<a href=\"../../basics/first-steps/index.html#why-it-matters\">Read more about this</a>"
    ));
    assert!(
        practice.contains("From: <a href=\"../../basics/first-steps/index.html\">First steps</a>")
    );
    assert!(practice.contains("From: <a href=\"../review-set/index.html\">Review set</a>"));
    assert_no_inline_script(&practice, "the practice exam");
    // Every question fits on the page: no question bank files, none named.
    assert!(!out.join("quizzes/practice/bank-1.js").exists());
    assert!(!practice.contains("\"banks\""));
    assert!(practice.contains("<h2 id=\"practice-form-title\" tabindex=\"-1\">All questions</h2>"));
}

#[test]
fn drafts_bring_their_quizzes() {
    let out = built("quiz-drafts", &["--drafts"]);
    assert!(out.join("basics/later/quiz/index.html").is_file());
}

/// Builds a copy of the fixture with one file replaced; returns the run.
fn build_with(name: &str, file: &str, text: &str) -> (common::Run, std::path::PathBuf) {
    let root = temp_dir(name);
    copy_dir(&fixture("quizzes"), &root);
    fs::write(root.join(file), text).unwrap();
    let out = root.join("public");
    let run = build(&root, &out, &[]);
    (run, root)
}

#[test]
fn a_broken_review_link_fails_with_file_and_line() {
    let quiz = "questions:\n  - type: true-false\n    prompt: P\n    answer: true\n    review: 01-first-step.md#why-it-matters\n  - type: true-false\n    prompt: Q\n    answer: true\n    review: 01-first-steps.md#why-it-matter\n";
    let (run, root) = build_with(
        "quiz-review",
        "content/01-basics/01-first-steps.quiz.yaml",
        quiz,
    );
    assert_eq!(run.status, 1);
    let file = root.join("content/01-basics/01-first-steps.quiz.yaml");
    let file = file.display();
    assert!(
        run.stderr.contains(&format!(
            "{file}:5:13: error[broken-link]: `review` links to `01-first-step.md`, which is not a page of this handbook (did you mean `01-first-steps.md`?)"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "{file}:9:13: error[unknown-anchor]: `review`: `01-first-steps.md` has no heading with id `#why-it-matter` (did you mean `#why-it-matters`?)"
        )),
        "{}",
        run.stderr
    );
    assert!(!root.join("public").exists(), "nothing is written");
}

#[test]
fn a_stand_alone_quiz_must_name_the_article_it_reviews() {
    let quiz = "questions:\n  - type: true-false\n    prompt: P\n    answer: true\n    review: '#why-it-matters'\n";
    let (run, root) = build_with(
        "quiz-review-alone",
        "content/quizzes/01-review-set.quiz.yaml",
        quiz,
    );
    assert_eq!(run.status, 1);
    let file = root.join("content/quizzes/01-review-set.quiz.yaml");
    assert!(
        run.stderr.contains(&format!(
            "{}:5:13: error[broken-link]: `review: #why-it-matters` names no article: a stand-alone quiz has no article of its own",
            file.display()
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_malformed_quiz_fails_with_every_problem() {
    let quiz = "questions:\n  - type: single\n    prompt: P\n    choices:\n      - text: a\n        correct: true\n      - text: b\n        correct: true\n  - type: true-or-false\n    prompt: Q\n";
    let (run, root) = build_with("quiz-bad", "content/quizzes/01-review-set.quiz.yaml", quiz);
    assert_eq!(run.status, 1);
    let file = root.join("content/quizzes/01-review-set.quiz.yaml");
    let file = file.display();
    for line in [
        format!("{file}:8:9: error[invalid-value]: a `single` question needs exactly one correct choice; 2 are marked `correct: true`"),
        format!("{file}:9:5: error[invalid-value]: unknown question type `true-or-false`"),
        "  help: did you mean `true-false`?".to_string(),
    ] {
        assert!(run.stderr.contains(&line), "missing {line:?} in:\n{}", run.stderr);
    }
}

#[test]
fn export_quizzes_writes_gift_and_qti() {
    let dir = temp_dir("quiz-export");
    fs::create_dir_all(&dir).unwrap();
    let root = fixture("quizzes");
    let root = root.to_str().unwrap();
    let gift = dir.join("out.gift");
    let run = trellis(
        &[
            "export",
            "quizzes",
            "--format",
            "gift",
            "--root",
            root,
            "--output",
            gift.to_str().unwrap(),
        ],
        &dir,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Exported 7 questions from 2 quizzes"),
        "{}",
        run.stdout
    );
    let text = read(&gift);
    assert!(text.starts_with("// Quizzes exported by Trellis in Moodle GIFT format.\n"));
    assert!(text.contains("$CATEGORY: First steps: check your understanding\n"));
    assert!(text.contains("$CATEGORY: Review set\n"));
    assert!(text.contains("::ask::[markdown]What can you ask about?{\n\t~%50%Training\n"));

    // The default file name, in the current folder.
    let run = trellis(
        &["export", "quizzes", "--format", "qti", "--root", root],
        &dir,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let zip = fs::read(dir.join("quizzes-qti.zip")).unwrap();
    assert!(zip.starts_with(b"PK"), "a zip archive");

    // `-` is standard output.
    let run = trellis(
        &[
            "export", "quizzes", "--format", "gift", "--root", root, "--output", "-",
        ],
        &dir,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, text);

    let run = trellis(
        &["export", "quizzes", "--format", "pdf", "--root", root],
        &dir,
    );
    assert_eq!(run.status, 2, "bad usage");
    let run = trellis(
        &[
            "export",
            "quizzes",
            "--format",
            "gift",
            "--root",
            dir.to_str().unwrap(),
        ],
        Path::new("."),
    );
    assert_eq!(run.status, 2, "not a handbook");
}

#[test]
fn quiz_export_with_lang_takes_a_translations_quizzes() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = repo.to_str().unwrap();
    let gift = |lang: &str| {
        let run = trellis(
            &[
                "export", "quizzes", "--format", "gift", "--root", root, "--output", "-", "--lang",
                lang,
            ],
            repo,
        );
        assert_eq!(run.status, 0, "{}", run.stderr);
        run.stdout
    };
    let spanish = gift("es");
    // A translated quiz in Spanish, one not yet translated as it is.
    assert!(spanish.contains("¿qué tres partes forman la alianza de trabajo?"));
    assert!(
        spanish.contains("Maya has been in therapy for eight months"),
        "a quiz not yet translated stays as it is"
    );
    assert!(!gift("en").contains("alianza de trabajo"));
    let run = trellis(
        &[
            "export", "quizzes", "--format", "gift", "--root", root, "--lang", "fr",
        ],
        repo,
    );
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("written in en, es"), "{}", run.stderr);
}
