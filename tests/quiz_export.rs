//! Quiz exports against a fixture: the GIFT text must match an expected file
//! exactly, and every QTI item must be well-formed XML with the interaction
//! and correct response its question type maps to.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use trellis::quiz::{self, export, Kind, Quiz};

const FIXTURE: &str = "tests/fixtures/quiz-export";

fn fixture() -> Quiz {
    let path = Path::new(FIXTURE).join("sample.quiz.yaml");
    let text = std::fs::read_to_string(&path).expect("fixture quiz");
    quiz::parse(&text, &path).unwrap_or_else(|errors| {
        panic!(
            "fixture quiz is invalid:\n{}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

#[test]
fn gift_matches_the_expected_file() {
    let quiz = fixture();
    let title = quiz.display_title(None, "sample", "");
    let gift = export::gift(&[(&title, &quiz)]);
    let expected_path = Path::new(FIXTURE).join("expected.gift");
    if std::env::var_os("TRELLIS_BLESS").is_some() {
        std::fs::write(&expected_path, &gift).expect("write expected.gift");
    }
    let expected = std::fs::read_to_string(&expected_path).expect("expected.gift");
    assert_eq!(
        gift, expected,
        "GIFT export changed; run with TRELLIS_BLESS=1 to update after checking it"
    );
}

/// Reads every file of the zip into name → text.
fn unzip(bytes: Vec<u8>) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("zip entry");
        let mut text = String::new();
        file.read_to_string(&mut text).expect("UTF-8 XML");
        files.insert(file.name().to_string(), text);
    }
    files
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.descendants().find(|n| n.has_tag_name(name))
}

fn correct_values(doc: &roxmltree::Document) -> Vec<String> {
    let correct = child(doc.root_element(), "correctResponse").expect("correctResponse");
    correct
        .children()
        .filter(|n| n.has_tag_name("value"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

#[test]
fn qti_items_have_their_interaction_and_correct_response() {
    let quiz = fixture();
    let bytes = export::qti(&[("Trust basics", &quiz)]).expect("zip");
    let files = unzip(bytes);

    let manifest = roxmltree::Document::parse(&files["imsmanifest.xml"]).expect("manifest parses");
    let resources: Vec<(String, String)> = manifest
        .descendants()
        .filter(|n| n.has_tag_name("resource"))
        .map(|n| {
            (
                n.attribute("type").unwrap_or("").to_string(),
                n.attribute("href").unwrap_or("").to_string(),
            )
        })
        .collect();
    let items: Vec<&str> = resources
        .iter()
        .filter(|(t, _)| t == "imsqti_item_xmlv2p1")
        .map(|(_, h)| h.as_str())
        .collect();
    assert_eq!(items.len(), quiz.questions.len(), "one item per question");
    assert!(resources.iter().any(|(t, _)| t == "imsqti_test_xmlv2p1"));
    for (_, href) in &resources {
        assert!(
            files.contains_key(href),
            "manifest names {href}, missing from the zip"
        );
    }
    let test = roxmltree::Document::parse(&files["test-1.xml"]).expect("test parses");
    let refs = test
        .descendants()
        .filter(|n| n.has_tag_name("assessmentItemRef"))
        .count();
    assert_eq!(refs, quiz.questions.len());

    for (question, href) in quiz.questions.iter().zip(&items) {
        let xml = &files[*href];
        let doc = roxmltree::Document::parse(xml)
            .unwrap_or_else(|e| panic!("{href} is not well-formed XML: {e}\n{xml}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "assessmentItem", "{href}");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.imsglobal.org/xsd/imsqti_v2p1")
        );
        let declaration = child(root, "responseDeclaration").expect("responseDeclaration");
        let values = correct_values(&doc);
        let processing = child(root, "responseProcessing").expect("responseProcessing");
        let template = processing.attribute("template").unwrap_or("");
        match &question.kind {
            Kind::Single { choices } => {
                let i = child(root, "choiceInteraction").expect("choiceInteraction");
                assert_eq!(i.attribute("maxChoices"), Some("1"));
                assert_eq!(declaration.attribute("cardinality"), Some("single"));
                let right: Vec<String> = choices
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.correct)
                    .map(|(n, _)| format!("C{}", n + 1))
                    .collect();
                assert_eq!(values, right);
                assert!(template.ends_with("match_correct"));
                let feedback = root
                    .children()
                    .filter(|n| n.has_tag_name("modalFeedback"))
                    .count();
                assert_eq!(feedback, 3, "two choices with feedback and the explanation");
            }
            Kind::Multiple { .. } => {
                let i = child(root, "choiceInteraction").expect("choiceInteraction");
                assert_eq!(i.attribute("maxChoices"), Some("0"));
                assert_eq!(declaration.attribute("cardinality"), Some("multiple"));
                assert_eq!(values, ["C1", "C2"]);
            }
            Kind::TrueFalse { answer } => {
                let i = child(root, "choiceInteraction").expect("choiceInteraction");
                let ids: Vec<&str> = i
                    .children()
                    .filter(|n| n.has_tag_name("simpleChoice"))
                    .filter_map(|n| n.attribute("identifier"))
                    .collect();
                assert_eq!(ids, ["TRUE", "FALSE"]);
                assert!(!answer);
                assert_eq!(values, ["FALSE"]);
            }
            Kind::ShortAnswer { accept } => {
                assert!(child(root, "textEntryInteraction").is_some());
                assert_eq!(declaration.attribute("baseType"), Some("string"));
                assert_eq!(values, [accept[0].clone()]);
                let keys: Vec<&str> = declaration
                    .descendants()
                    .filter(|n| n.has_tag_name("mapEntry"))
                    .filter_map(|n| n.attribute("mapKey"))
                    .collect();
                assert_eq!(keys, ["meta-analysis", "meta analysis", "C:\\path~"]);
                assert!(template.ends_with("map_response"));
            }
            Kind::Ordering { sequence } => {
                let i = child(root, "orderInteraction").expect("orderInteraction");
                assert_eq!(i.attribute("shuffle"), Some("true"));
                assert_eq!(declaration.attribute("cardinality"), Some("ordered"));
                let expected: Vec<String> = (1..=sequence.len()).map(|n| format!("I{n}")).collect();
                assert_eq!(values, expected);
            }
            Kind::Matching { pairs } => {
                let i = child(root, "matchInteraction").expect("matchInteraction");
                let sets = i
                    .children()
                    .filter(|n| n.has_tag_name("simpleMatchSet"))
                    .count();
                assert_eq!(sets, 2);
                assert_eq!(declaration.attribute("baseType"), Some("directedPair"));
                let expected: Vec<String> =
                    (1..=pairs.len()).map(|n| format!("L{n} R{n}")).collect();
                assert_eq!(values, expected);
            }
        }
    }
}
