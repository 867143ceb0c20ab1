//! QTI 2.1 export: a content package (zip) with `imsmanifest.xml`, one
//! `assessmentItem` file per question and one `assessmentTest` per quiz.
//!
//! Each type maps to its standard interaction:
//!
//! | type | interaction | response |
//! |---|---|---|
//! | `single` | `choiceInteraction`, `maxChoices="1"` | single identifier |
//! | `multiple` | `choiceInteraction`, `maxChoices="0"` | multiple identifier |
//! | `true-false` | `choiceInteraction` with choices `TRUE` and `FALSE` | single identifier |
//! | `short-answer` | `textEntryInteraction` | single string, mapped case-insensitively |
//! | `ordering` | `orderInteraction` | ordered identifier |
//! | `matching` | `matchInteraction` with two `simpleMatchSet`s | multiple directedPair |
//!
//! Scoring uses the standard `match_correct` template (`map_response` for
//! short answers). The `responseProcessing` element also spells the template's
//! rules out and adds one: it sets a `FEEDBACK` outcome from the chosen choices
//! plus `EXPLANATION`, which drives `modalFeedback` for per-choice feedback and
//! the explanation. A player that runs the template instead just shows no feedback.
//! Files are stored uncompressed with a fixed date, so the same quizzes give
//! the same bytes.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::inline::{plain_text, render_inline};
use crate::quiz::model::{Choice, Kind, Question, Quiz};
use crate::quiz::order;

const QTI_NS: &str = "xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.imsglobal.org/xsd/imsqti_v2p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd\"";
const MATCH_CORRECT: &str = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct";
const MAP_RESPONSE: &str = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response";

/// One file of the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFile {
    /// Path inside the zip.
    pub name: String,
    /// The XML.
    pub xml: String,
}

/// The QTI 2.1 package for `quizzes` as a zip archive.
pub fn qti(quizzes: &[(&str, &Quiz)]) -> std::io::Result<Vec<u8>> {
    let files = package_files(quizzes);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for file in &files {
        zip.start_file(file.name.as_str(), options)
            .map_err(std::io::Error::other)?;
        zip.write_all(file.xml.as_bytes())?;
    }
    let cursor = zip.finish().map_err(std::io::Error::other)?;
    Ok(cursor.into_inner())
}

/// The files of the package, manifest first: what [`qti`] zips.
pub fn package_files(quizzes: &[(&str, &Quiz)]) -> Vec<PackageFile> {
    let mut files = Vec::new();
    let mut resources = String::new();
    let mut used = HashSet::new();
    for (n, (title, quiz)) in quizzes.iter().enumerate() {
        let test_id = format!("test-{}", n + 1);
        let mut item_ids = Vec::with_capacity(quiz.questions.len());
        let mut item_resources = String::new();
        for question in &quiz.questions {
            let id =
                unique_identifier(&format!("q{}-{}", n + 1, ascii_id(&question.id)), &mut used);
            let href = format!("{id}.xml");
            let _ = write!(
                item_resources,
                "    <resource identifier=\"{id}\" type=\"imsqti_item_xmlv2p1\" href=\"{href}\">\n      <file href=\"{href}\"/>\n    </resource>\n"
            );
            files.push(PackageFile {
                name: href,
                xml: item(&id, question, quiz.shuffle),
            });
            item_ids.push(id);
        }
        let test_href = format!("{test_id}.xml");
        let _ = write!(
            resources,
            "    <resource identifier=\"{test_id}\" type=\"imsqti_test_xmlv2p1\" href=\"{test_href}\">\n      <file href=\"{test_href}\"/>\n"
        );
        for id in &item_ids {
            let _ = writeln!(resources, "      <dependency identifierref=\"{id}\"/>");
        }
        resources.push_str("    </resource>\n");
        resources.push_str(&item_resources);
        files.push(PackageFile {
            name: test_href,
            xml: test(&test_id, title, quiz.shuffle, &item_ids),
        });
    }
    let manifest = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" identifier=\"trellis-quizzes\" xsi:schemaLocation=\"http://www.imsglobal.org/xsd/imscp_v1p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd\">\n  <metadata>\n    <schema>QTIv2.1 Package</schema>\n    <schemaversion>1.0.0</schemaversion>\n  </metadata>\n  <organizations/>\n  <resources>\n{resources}  </resources>\n</manifest>\n"
    );
    files.insert(
        0,
        PackageFile {
            name: "imsmanifest.xml".into(),
            xml: manifest,
        },
    );
    files
}

fn test(id: &str, title: &str, shuffle: bool, items: &[String]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<assessmentTest {QTI_NS} identifier=\"{id}\" title=\"{}\">\n  <outcomeDeclaration identifier=\"SCORE\" cardinality=\"single\" baseType=\"float\"/>\n  <testPart identifier=\"part-1\" navigationMode=\"nonlinear\" submissionMode=\"simultaneous\">\n    <assessmentSection identifier=\"section-1\" title=\"{}\" visible=\"true\">\n",
        esc(title),
        esc(title)
    );
    if shuffle {
        out.push_str("      <ordering shuffle=\"true\"/>\n");
    }
    for item in items {
        let _ = writeln!(
            out,
            "      <assessmentItemRef identifier=\"{item}\" href=\"{item}.xml\"/>"
        );
    }
    out.push_str("    </assessmentSection>\n  </testPart>\n  <outcomeProcessing>\n    <setOutcomeValue identifier=\"SCORE\">\n      <sum>\n        <testVariables variableIdentifier=\"SCORE\"/>\n      </sum>\n    </setOutcomeValue>\n  </outcomeProcessing>\n</assessmentTest>\n");
    out
}

/// One `assessmentItem`.
fn item(id: &str, q: &Question, shuffle: bool) -> String {
    let title = short_title(&plain_text(&q.prompt));
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<assessmentItem {QTI_NS} identifier=\"{id}\" title=\"{}\" adaptive=\"false\" timeDependent=\"false\">\n",
        esc(&title)
    );
    let (cardinality, base_type) = match &q.kind {
        Kind::Single { .. } | Kind::TrueFalse { .. } => ("single", "identifier"),
        Kind::Multiple { .. } => ("multiple", "identifier"),
        Kind::ShortAnswer { .. } => ("single", "string"),
        Kind::Ordering { .. } => ("ordered", "identifier"),
        Kind::Matching { .. } => ("multiple", "directedPair"),
    };
    let _ = write!(
        out,
        "  <responseDeclaration identifier=\"RESPONSE\" cardinality=\"{cardinality}\" baseType=\"{base_type}\">\n    <correctResponse>\n"
    );
    for value in correct_values(&q.kind) {
        let _ = writeln!(out, "      <value>{}</value>", esc(&value));
    }
    out.push_str("    </correctResponse>\n");
    if let Kind::ShortAnswer { accept } = &q.kind {
        out.push_str("    <mapping defaultValue=\"0\" lowerBound=\"0\" upperBound=\"1\">\n");
        let mut seen = HashSet::new();
        for answer in accept {
            if seen.insert(answer.to_lowercase()) {
                let _ = writeln!(
                    out,
                    "      <mapEntry mapKey=\"{}\" mappedValue=\"1\" caseSensitive=\"false\"/>",
                    esc(answer)
                );
            }
        }
        out.push_str("    </mapping>\n");
    }
    out.push_str("  </responseDeclaration>\n");
    out.push_str("  <outcomeDeclaration identifier=\"SCORE\" cardinality=\"single\" baseType=\"float\">\n    <defaultValue>\n      <value>0</value>\n    </defaultValue>\n  </outcomeDeclaration>\n");
    let choice_feedback: Vec<(String, &str)> = match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => choices
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.feedback.as_deref().map(|f| (choice_id(i), f)))
            .collect(),
        _ => Vec::new(),
    };
    let has_feedback = !choice_feedback.is_empty() || q.explanation.is_some();
    if has_feedback {
        out.push_str("  <outcomeDeclaration identifier=\"FEEDBACK\" cardinality=\"multiple\" baseType=\"identifier\"/>\n");
    }
    out.push_str("  <itemBody>\n");
    interaction(&mut out, q, shuffle);
    out.push_str("  </itemBody>\n");
    response_processing(
        &mut out,
        q,
        !choice_feedback.is_empty(),
        q.explanation.is_some(),
    );
    for (choice, feedback) in &choice_feedback {
        let _ = writeln!(
            out,
            "  <modalFeedback outcomeIdentifier=\"FEEDBACK\" identifier=\"{choice}\" showHide=\"show\">{}</modalFeedback>",
            xhtml(feedback)
        );
    }
    if let Some(explanation) = &q.explanation {
        let _ = writeln!(
            out,
            "  <modalFeedback outcomeIdentifier=\"FEEDBACK\" identifier=\"EXPLANATION\" showHide=\"show\">{}</modalFeedback>",
            xhtml(explanation)
        );
    }
    out.push_str("</assessmentItem>\n");
    out
}

fn interaction(out: &mut String, q: &Question, shuffle: bool) {
    let prompt = xhtml(&q.prompt);
    match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => {
            let max = if matches!(q.kind, Kind::Single { .. }) {
                1
            } else {
                0
            };
            // Written in the order readers of the site see; the LMS shuffles
            // them on each attempt unless the quiz or the question says not to.
            let shuffle = shuffle && q.shuffle;
            let _ = write!(
                out,
                "    <choiceInteraction responseIdentifier=\"RESPONSE\" shuffle=\"{shuffle}\" maxChoices=\"{max}\">\n      <prompt>{prompt}</prompt>\n"
            );
            let shown = order::choice_order(q)
                .into_iter()
                .filter_map(|i| choices.get(i).map(|c| (i, c)));
            for (i, Choice { text, .. }) in shown {
                let _ = writeln!(
                    out,
                    "      <simpleChoice identifier=\"{}\">{}</simpleChoice>",
                    choice_id(i),
                    xhtml(text)
                );
            }
            out.push_str("    </choiceInteraction>\n");
        }
        Kind::TrueFalse { .. } => {
            let _ = write!(
                out,
                "    <choiceInteraction responseIdentifier=\"RESPONSE\" shuffle=\"false\" maxChoices=\"1\">\n      <prompt>{prompt}</prompt>\n      <simpleChoice identifier=\"TRUE\">True</simpleChoice>\n      <simpleChoice identifier=\"FALSE\">False</simpleChoice>\n    </choiceInteraction>\n"
            );
        }
        Kind::ShortAnswer { accept } => {
            let longest = accept.iter().map(|a| a.chars().count()).max().unwrap_or(0);
            let _ = write!(
                out,
                "    <p>{prompt}</p>\n    <p><textEntryInteraction responseIdentifier=\"RESPONSE\" expectedLength=\"{}\"/></p>\n",
                longest.max(10)
            );
        }
        Kind::Ordering { sequence } => {
            let _ = write!(
                out,
                "    <orderInteraction responseIdentifier=\"RESPONSE\" shuffle=\"true\">\n      <prompt>{prompt}</prompt>\n"
            );
            for (i, item) in sequence.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "      <simpleChoice identifier=\"I{}\">{}</simpleChoice>",
                    i + 1,
                    xhtml(item)
                );
            }
            out.push_str("    </orderInteraction>\n");
        }
        Kind::Matching { pairs } => {
            let _ = write!(
                out,
                "    <matchInteraction responseIdentifier=\"RESPONSE\" shuffle=\"true\" maxAssociations=\"{}\">\n      <prompt>{prompt}</prompt>\n      <simpleMatchSet>\n",
                pairs.len()
            );
            for (i, pair) in pairs.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "        <simpleAssociableChoice identifier=\"L{}\" matchMax=\"1\">{}</simpleAssociableChoice>",
                    i + 1,
                    xhtml(&pair.left)
                );
            }
            out.push_str("      </simpleMatchSet>\n      <simpleMatchSet>\n");
            for (i, pair) in pairs.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "        <simpleAssociableChoice identifier=\"R{}\" matchMax=\"1\">{}</simpleAssociableChoice>",
                    i + 1,
                    xhtml(&pair.right)
                );
            }
            out.push_str("      </simpleMatchSet>\n    </matchInteraction>\n");
        }
    }
}

fn response_processing(out: &mut String, q: &Question, choice_feedback: bool, explanation: bool) {
    if let Kind::ShortAnswer { .. } = q.kind {
        let _ = write!(
            out,
            "  <responseProcessing template=\"{MAP_RESPONSE}\">\n    <responseCondition>\n      <responseIf>\n        <isNull>\n          <variable identifier=\"RESPONSE\"/>\n        </isNull>\n        <setOutcomeValue identifier=\"SCORE\">\n          <baseValue baseType=\"float\">0</baseValue>\n        </setOutcomeValue>\n      </responseIf>\n      <responseElse>\n        <setOutcomeValue identifier=\"SCORE\">\n          <mapResponse identifier=\"RESPONSE\"/>\n        </setOutcomeValue>\n      </responseElse>\n    </responseCondition>\n"
        );
    } else {
        let _ = write!(
            out,
            "  <responseProcessing template=\"{MATCH_CORRECT}\">\n    <responseCondition>\n      <responseIf>\n        <match>\n          <variable identifier=\"RESPONSE\"/>\n          <correct identifier=\"RESPONSE\"/>\n        </match>\n        <setOutcomeValue identifier=\"SCORE\">\n          <baseValue baseType=\"float\">1</baseValue>\n        </setOutcomeValue>\n      </responseIf>\n      <responseElse>\n        <setOutcomeValue identifier=\"SCORE\">\n          <baseValue baseType=\"float\">0</baseValue>\n        </setOutcomeValue>\n      </responseElse>\n    </responseCondition>\n"
        );
    }
    if choice_feedback || explanation {
        out.push_str("    <setOutcomeValue identifier=\"FEEDBACK\">\n      <multiple>\n");
        if choice_feedback {
            out.push_str("        <variable identifier=\"RESPONSE\"/>\n");
        }
        if explanation {
            out.push_str("        <baseValue baseType=\"identifier\">EXPLANATION</baseValue>\n");
        }
        out.push_str("      </multiple>\n    </setOutcomeValue>\n");
    }
    out.push_str("  </responseProcessing>\n");
}

/// The values of `correctResponse`.
fn correct_values(kind: &Kind) -> Vec<String> {
    match kind {
        Kind::Single { choices } | Kind::Multiple { choices } => choices
            .iter()
            .enumerate()
            .filter(|(_, c)| c.correct)
            .map(|(i, _)| choice_id(i))
            .collect(),
        Kind::TrueFalse { answer } => vec![if *answer { "TRUE" } else { "FALSE" }.to_string()],
        Kind::ShortAnswer { accept } => accept.iter().take(1).cloned().collect(),
        Kind::Ordering { sequence } => (1..=sequence.len()).map(|i| format!("I{i}")).collect(),
        Kind::Matching { pairs } => (1..=pairs.len()).map(|i| format!("L{i} R{i}")).collect(),
    }
}

fn choice_id(index: usize) -> String {
    format!("C{}", index + 1)
}

/// Inline markdown as XHTML that QTI's content model takes.
fn xhtml(markdown: &str) -> String {
    render_inline(markdown)
        .replace("<br>", "<br/>")
        .replace("<del>", "<span>")
        .replace("</del>", "</span>")
}

/// Escapes text for XML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A question id as an ASCII identifier fragment.
fn ascii_id(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn unique_identifier(base: &str, used: &mut HashSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

fn short_title(text: &str) -> String {
    if text.chars().count() <= 80 {
        return text.to_string();
    }
    let cut: String = text.chars().take(79).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}\u{2026}", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiz() -> Quiz {
        Quiz {
            title: None,
            pass_mark: None,
            shuffle: true,
            questions: vec![Question {
                id: "ünïcode id".into(),
                kind: Kind::Single {
                    choices: vec![
                        Choice {
                            text: "A & <b>".into(),
                            correct: false,
                            feedback: Some("No *way*".into()),
                        },
                        Choice {
                            text: "B".into(),
                            correct: true,
                            feedback: None,
                        },
                    ],
                },
                prompt: "Pick \"one\"\n\nplease".into(),
                explanation: Some("x".into()),
                review: None,
                review_line: 1,
                line: 1,
                shuffle: true,
                allow: Vec::new(),
                tags: Vec::new(),
                at: Default::default(),
            }],
            allow: Vec::new(),
            at: Default::default(),
        }
    }

    #[test]
    fn item_is_escaped_and_well_formed() {
        let q = quiz();
        let files = package_files(&[("T & Co", &q)]);
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["imsmanifest.xml", "q1-_n_code_id.xml", "test-1.xml"]
        );
        let item = &files[1].xml;
        assert!(
            item.contains("<simpleChoice identifier=\"C1\">A &amp; &lt;b&gt;</simpleChoice>"),
            "{item}"
        );
        assert!(
            item.contains("<prompt>Pick “one”<br/>please</prompt>"),
            "{item}"
        );
        assert!(item.contains("<value>C2</value>"), "{item}");
        assert!(
            item.contains("identifier=\"C1\" showHide=\"show\">No <em>way</em></modalFeedback>"),
            "{item}"
        );
        assert!(files[2].xml.contains("title=\"T &amp; Co\""));
    }

    #[test]
    fn zip_is_deterministic_and_readable() {
        let q = quiz();
        let a = qti(&[("T", &q)]).unwrap();
        let b = qti(&[("T", &q)]).unwrap();
        assert_eq!(a, b);
        let mut archive = zip::ZipArchive::new(Cursor::new(a)).unwrap();
        assert_eq!(archive.len(), 3);
        assert!(archive.by_name("imsmanifest.xml").is_ok());
    }

    #[test]
    fn titles_are_cut_at_a_word() {
        let long = "word ".repeat(30);
        let t = short_title(long.trim());
        assert!(t.ends_with("word…") && t.chars().count() <= 80, "{t}");
    }
}
