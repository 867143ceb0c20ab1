//! A `*.quiz.yaml` file: parsed and checked; when it is valid, its page data is
//! made and it is exported as GIFT and as a QTI package. Nothing may panic,
//! every error must point at a line of it, and the page's JSON must hold no `<`.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use trellis::quiz::export::{gift::gift, qti::qti};
use trellis::quiz::page::quiz_page;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count().max(1);
    match trellis::quiz::parse(text, Path::new("content/a.quiz.yaml")) {
        Err(errors) => {
            assert!(!errors.is_empty());
            for d in errors {
                assert!(
                    d.line <= lines + 1,
                    "{d} is past the end of a {lines}-line file"
                );
            }
        }
        Ok(quiz) => {
            let page = quiz_page(&quiz, "Quiz", "/a/quiz/", 70, &[]);
            assert!(!page.data_json.contains('<'), "{}", page.data_json);
            let _ = gift(&[("a", &quiz)]);
            let _ = qti(&[("a", &quiz)]).expect("QTI export");
        }
    }
});
