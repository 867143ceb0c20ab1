//! Unit tests for citations through the public API: parsing and checking
//! `references.yaml`, styles, and the HTML of citations and reference lists.

use super::*;

const BORDIN: &str = r#"# A comment
bordin1979:
  type: article
  title: The generalizability of the psychoanalytic concept of the working alliance
  author: ["Bordin, Edward S."]
  date: 1979
  page-range: 252-260
  serial-number:
    doi: "10.1037/h0085885"
  parent:
    type: periodical
    title: "Psychotherapy: Theory, Research & Practice"
    volume: 16
    issue: 3

safran2000:
  type: book
  title: "Negotiating the therapeutic alliance: A <relational> treatment guide"
  author: ["Safran, Jeremy D.", "Muran, J. Christopher"]
  date: 2000
  publisher: Guilford Press
"#;

fn item(key: &str, locator: Option<&str>) -> CiteItem {
    CiteItem {
        key: key.into(),
        locator: locator.map(str::to_string),
    }
}

fn parse(text: &str) -> Result<Bibliography, Vec<Diagnostic>> {
    Bibliography::parse(text, Path::new("content/references.yaml"), "apa")
}

/// Tags removed and entities decoded: what a reader sees.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn apa_in_text_and_reference_for_a_journal_article() {
    let bib = parse(BORDIN).unwrap();
    assert!(bib.contains("bordin1979"));
    assert!(!bib.contains("nope"));
    assert_eq!(
        bib.keys().collect::<Vec<_>>(),
        vec!["bordin1979", "safran2000"]
    );
    let out = bib.render_article(&[
        vec![item("bordin1979", Some("p. 12"))],
        vec![item("bordin1979", None), item("safran2000", None)],
        vec![item("bordin1979", Some("12"))],
    ]);
    assert_eq!(visible(&out.in_text[0]), "(Bordin, 1979, p. 12)");
    assert_eq!(
        out.in_text[0],
        "<span class=\"citation\">(<a href=\"#ref-bordin1979\">Bordin, 1979, p. 12</a>)</span>"
    );
    assert_eq!(
        visible(&out.in_text[1]),
        "(Bordin, 1979; Safran & Muran, 2000)"
    );
    assert!(out.in_text[1].contains("<a href=\"#ref-safran2000\">Safran &amp; Muran, 2000</a>"));
    assert_eq!(visible(&out.in_text[2]), "(Bordin, 1979, p. 12)");
    assert_eq!(out.references.len(), 2);
    let bordin = &out.references[0];
    assert_eq!(bordin.key, "bordin1979");
    let expected = "Bordin, E. S. (1979). The generalizability of the psychoanalytic \
        concept of the working alliance. Psychotherapy: Theory, Research & Practice, \
        16(3), 252–260. https://doi.org/10.1037/h0085885";
    assert_eq!(bordin.text, expected);
    assert_eq!(visible(&bordin.html), expected);
    assert!(bordin
        .html
        .starts_with("<div class=\"csl-entry csl-hanging\" id=\"ref-bordin1979\">"));
    assert!(bordin
        .html
        .contains("<i>Psychotherapy: Theory, Research &amp; Practice</i>"));
    assert!(bordin.html.contains(
        "<a href=\"https://doi.org/10.1037/h0085885\">https://doi.org/10.1037/h0085885</a>"
    ));
    assert!(!bordin.html.contains("style="), "{}", bordin.html);
    let safran = &out.references[1];
    assert!(
        safran.html.contains("&lt;relational&gt;"),
        "{}",
        safran.html
    );
    assert!(!safran.html.contains("<relational>"));
    assert_eq!(
        safran.text,
        "Safran, J. D., & Muran, J. C. (2000). Negotiating the therapeutic alliance: \
         A <relational> treatment guide. Guilford Press."
    );
}

#[test]
fn a_title_ending_in_a_question_mark_takes_no_full_stop() {
    let bib = parse(
        "dazzi2014:\n  type: article\n  title: \"Does asking about suicide induce suicidal ideation? What is the evidence?\"\n  author: [\"Dazzi, T.\"]\n  date: 2014\n  parent:\n    type: periodical\n    title: Psychological Medicine\n",
    )
    .unwrap();
    let refs = bib.render_all(["dazzi2014"]);
    let text = visible(&refs[0].html);
    assert!(
        text.contains("What is the evidence? Psychological Medicine"),
        "{text}"
    );
    assert!(!text.contains("?."), "{text}");
}

#[test]
fn render_all_lists_each_known_work_once() {
    let bib = parse(BORDIN).unwrap();
    let refs = bib.render_all(["safran2000", "nope", "bordin1979", "safran2000"]);
    let keys: Vec<&str> = refs.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, vec!["bordin1979", "safran2000"]);
    assert!(bib.render_all([]).is_empty());
}

#[test]
fn unknown_keys_never_panic() {
    let bib = parse(BORDIN).unwrap();
    let out = bib.render_article(&[
        vec![item("nope", Some("p. <1>"))],
        vec![],
        vec![item("nope", None), item("bordin1979", None)],
    ]);
    assert_eq!(out.in_text.len(), 3);
    assert_eq!(
        out.in_text[0],
        "<span class=\"citation citation-missing\">[@nope, p. &lt;1&gt;]</span>"
    );
    assert_eq!(visible(&out.in_text[2]), "(Bordin, 1979)");
    assert_eq!(out.references.len(), 1);
    let none = bib.render_article(&[]);
    assert!(none.in_text.is_empty() && none.references.is_empty());
}

#[test]
fn locators_of_many_kinds() {
    let bib = parse(BORDIN).unwrap();
    let out = bib.render_article(&[
        vec![item("bordin1979", Some("pp. 12-14"))],
        vec![item("bordin1979", Some("chap. 3"))],
        vec![item("bordin1979", Some("para. 4"))],
        vec![item("bordin1979", Some("at the end"))],
    ]);
    assert_eq!(visible(&out.in_text[0]), "(Bordin, 1979, pp. 12–14)");
    assert_eq!(visible(&out.in_text[1]), "(Bordin, 1979, Chapter 3)");
    assert_eq!(visible(&out.in_text[2]), "(Bordin, 1979, para. 4)");
    assert_eq!(visible(&out.in_text[3]), "(Bordin, 1979, at the end)");
}

#[test]
fn other_styles_format_too() {
    let file = Path::new("content/references.yaml");
    let ieee = Bibliography::parse(BORDIN, file, "ieee").unwrap();
    let out = ieee.render_article(&[
        vec![item("safran2000", None)],
        vec![item("bordin1979", None)],
    ]);
    assert_eq!(visible(&out.in_text[0]), "[1]");
    assert_eq!(visible(&out.in_text[1]), "[2]");
    assert_eq!(out.references[0].key, "safran2000");
    assert!(out.references[0]
        .html
        .contains("<div class=\"csl-left-margin\">[1]</div>"));
    assert!(
        out.references[0].text.starts_with("[1] J. D. Safran"),
        "{}",
        out.references[0].text
    );
    let chicago = Bibliography::parse(BORDIN, file, "Chicago-Author-Date").unwrap();
    let out = chicago.render_article(&[vec![item("bordin1979", Some("p. 3"))]]);
    assert_eq!(visible(&out.in_text[0]), "(Bordin 1979, 3)");
}

#[test]
fn unknown_style_names_the_nearest() {
    let errors =
        Bibliography::parse(BORDIN, Path::new("content/references.yaml"), "chicago").unwrap_err();
    assert_eq!(errors.len(), 1);
    let e = &errors[0];
    assert_eq!(e.file, Path::new("handbook.yaml"));
    assert_eq!(e.message, "unknown citation_style `chicago`");
    let help = e.help.as_deref().unwrap();
    assert!(help.starts_with("did you mean `chicago-"), "{help}");
    let errors = Bibliography::parse(BORDIN, Path::new("refs.yaml"), "apa7").unwrap_err();
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `apa`?"));
    let errors = Bibliography::parse(BORDIN, Path::new("refs.yaml"), "zzzzzz").unwrap_err();
    assert!(errors[0].help.as_deref().unwrap().contains("`apa`"));
}

#[test]
fn yaml_syntax_error_has_its_line() {
    let text = "a:\n  type: article\n  title: [unclosed\nb:\n  type: book\n";
    let errors = parse(text).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].line >= 3, "{}", errors[0]);
    assert!(!errors[0].message.contains(" at line "), "{}", errors[0]);
}

#[test]
fn rejected_entries_are_reported_at_their_lines() {
    let text = "\
ok:
  type: article
  title: Fine
bad-date:
  type: article
  title: X
  date: 19x9
typo-type:
  type: jornal
  title: Y
doi-at-top:
  type: article
  title: Z
  doi: 10.1/x
no-type:
  title: W
bad-parent:
  type: article
  parent:
    type: periodical
    volumee: 3
";
    let errors = parse(text).unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 5, "{shown:#?}");
    assert_eq!((errors[0].line, errors[0].column), (7, 9), "{}", shown[0]);
    assert!(errors[0].message.contains("bad-date.date"), "{}", shown[0]);
    assert_eq!(errors[1].line, 9, "{}", shown[1]);
    assert!(errors[1].message.contains("jornal"), "{}", shown[1]);
    assert_eq!(errors[2].line, 14, "{}", shown[2]);
    assert_eq!(errors[2].message, "doi-at-top: unknown key `doi`");
    assert!(errors[2].help.as_deref().unwrap().contains("serial-number"));
    assert_eq!(errors[3].line, 15, "{}", shown[3]);
    assert!(errors[3].message.contains("no `type`"), "{}", shown[3]);
    assert_eq!(errors[4].line, 21, "{}", shown[4]);
    assert!(errors[4].message.contains("`volumee`"), "{}", shown[4]);
    assert_eq!(errors[4].help.as_deref(), Some("did you mean `volume`?"));
}

#[test]
fn odd_files_do_not_panic() {
    for text in [
        "",
        "# only a comment\n",
        "- a\n- b\n",
        "a: 3\n",
        "{a: {type: article, title: T}}",
        "a: &x\n  type: article\n  title: T\nb: *x\n",
        "a:\n  type: article\n  url: javascript:alert(1)\n  title: T\n",
        "a:\n\ttype: article\n",
        "a:\n  type: article\n  author: [1, {x: 2}]\n",
        "a:\n  type: article\n  page-range: [1]\n",
        "a:\n  type: article\n  language: 'zz zz'\n",
        "a:\n  type: misc\n",
        "a:\n  type: article\n  title: T\na:\n  type: book\n  title: U\n",
        "2019:\n  type: article\n  title: T\n",
        "a:\n  type: article\n  title: T\n  author: ~\n  parent: [{title: P}, {type: book}]\n",
        "\"quoted key\":\n  type: article\n  title: T\n",
        "a:\n  type: article\n  title: \"\u{0}\"\n",
    ] {
        if let Ok(bib) = parse(text) {
            let keys: Vec<String> = bib.keys().map(str::to_string).collect();
            let cites: Vec<Vec<CiteItem>> =
                keys.iter().map(|k| vec![item(k, Some("p. 1"))]).collect();
            let out = bib.render_article(&cites);
            assert_eq!(out.in_text.len(), cites.len());
            for r in &out.references {
                assert!(!r.html.contains("href=\"javascript"), "{}", r.html);
            }
        }
    }
    assert!(parse("").unwrap().is_empty());
    let errors = parse("- a\n").unwrap_err();
    assert!(errors[0].help.is_some(), "{}", errors[0]);
    let errors = parse("a:\n  type: article\n  page-range: [1]\n").unwrap_err();
    assert_eq!(errors[0].line, 3, "{}", errors[0]);
}

#[test]
fn the_bundled_bibliography_renders_every_entry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/references.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let bib = Bibliography::parse(&text, Path::new("content/references.yaml"), "apa")
        .unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(bib.len() >= 10);
    let keys: Vec<String> = bib.keys().map(str::to_string).collect();
    let cites: Vec<Vec<CiteItem>> = keys.iter().map(|k| vec![item(k, None)]).collect();
    let out = bib.render_article(&cites);
    assert_eq!(out.references.len(), keys.len());
    for (text, key) in out.in_text.iter().zip(&keys) {
        assert!(
            text.contains(&format!("href=\"#ref-{key}\"")) && visible(text).len() > 4,
            "{key}: {text}"
        );
    }
    for r in &out.references {
        assert!(r.text.len() > 20, "{}: {}", r.key, r.text);
        assert!(r.html.contains(&format!("id=\"ref-{}\"", r.key)));
    }
    let all = bib.render_all(keys.iter().map(String::as_str));
    assert_eq!(all.len(), keys.len());
    for r in &all {
        println!("{}", r.text);
    }
}

#[test]
fn shared_references_match_formatting_per_article() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/references.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let bib = parse(&text).unwrap();
    assert!(bib.shared.is_some(), "APA shares its references");
    let keys: Vec<&str> = bib.keys().collect();
    let articles: Vec<Vec<Vec<CiteItem>>> = vec![
        vec![vec![item(keys[3], Some("p. 2"))], vec![item(keys[0], None)]],
        keys.iter().rev().map(|k| vec![item(k, None)]).collect(),
        vec![keys.iter().map(|k| item(k, Some("12"))).collect()],
        vec![vec![item("horvath2011", None), item("horvath1989", None)]],
    ];
    for citations in &articles {
        let fast = bib.render_article(citations);
        let (in_text, full) = bib.format(citations, &bib.style, None);
        assert_eq!(fast.in_text, in_text);
        assert_eq!(fast.references, full);
    }
}

#[test]
fn works_needing_disambiguation_are_formatted_per_article() {
    let text = "\
a1:
  type: article
  title: First
  author: Horvath, Adam O.
  date: 2011
a2:
  type: article
  title: Second
  author: Horvath, Adam O.
  date: 2011
b:
  type: book
  title: Other
  author: Rogers, Carl R.
  date: 1957
";
    let bib = parse(text).unwrap();
    let shared = bib.shared.as_ref().unwrap();
    let mut dependent: Vec<&String> = shared.context_dependent.iter().collect();
    dependent.sort();
    assert_eq!(dependent, vec!["a1", "a2"]);
    let both = bib.render_article(&[vec![item("a1", None)], vec![item("a2", None)]]);
    assert_eq!(visible(&both.in_text[0]), "(Horvath, 2011a)");
    assert_eq!(visible(&both.in_text[1]), "(Horvath, 2011b)");
    assert!(
        both.references[0].text.contains("(2011a)"),
        "{:?}",
        both.references
    );
    let one = bib.render_article(&[vec![item("a2", None)], vec![item("b", None)]]);
    assert_eq!(visible(&one.in_text[0]), "(Horvath, 2011)");
    assert!(
        one.references[0].text.contains("(2011)"),
        "{:?}",
        one.references
    );
    assert_eq!(visible(&one.in_text[1]), "(Rogers, 1957)");
}

#[test]
fn duplicate_keys_and_wrong_types_get_help() {
    let errors = parse("a:\n  type: article\n  title: A\na:\n  type: book\n").unwrap_err();
    assert_eq!(errors[0].line, 4, "{}", errors[0]);
    assert_eq!(errors[0].message, "`a` is defined twice");
    let errors = parse("a:\n  type: journal-article\n  title: A\n").unwrap_err();
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `article`?"));
    let errors = parse("a:\n  type: jornal\n").unwrap_err();
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `article`?"));
    let errors = parse("a:\n  type: boook\n").unwrap_err();
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `book`?"));
    let errors = parse("a:\n  type: book\n  title: A\nb:\n  title: B\n").unwrap_err();
    assert_eq!(errors[0].message, "`b` has no `type`");
    assert_eq!(errors[0].line, 4);
    // Written in flow style, the entries cannot be checked one by one: the
    // missing `type` is still named, not left to hayagriva's wording.
    let errors = parse("{a: {type: book, title: A}, b: {title: B}}\n").unwrap_err();
    assert_eq!(
        errors[0].code,
        crate::diagnostic::Code::MissingKey,
        "{}",
        errors[0]
    );
    assert_eq!(errors[0].message, "`b` has no `type`");
}

#[test]
fn the_bundled_bibliography_reads_right_in_apa_and_other_styles() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/references.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let file = Path::new("content/references.yaml");
    let apa = Bibliography::parse(&text, file, "apa").unwrap();
    let out = apa.render_article(&[
        vec![item("tarasoff1976", None)],
        vec![item("hook2013", Some("p. 354"))],
    ]);
    assert_eq!(
        visible(&out.in_text[0]),
        "(Tarasoff v. Regents of the University of California, 1976)"
    );
    assert_eq!(visible(&out.in_text[1]), "(Hook et al., 2013, p. 354)");
    let texts: Vec<&str> = out.references.iter().map(|r| r.text.as_str()).collect();
    assert!(
        texts[0].starts_with(
            "Hook, J. N., Davis, D. E., Owen, J., Worthington, E. L., Jr., & Utsey, S. O. (2013)."
        ),
        "{}",
        texts[0]
    );
    assert_eq!(
        texts[1],
        "Tarasoff v. Regents of the University of California, 17 Cal. 3d 425 (1976)."
    );
    for style in [
        "chicago-author-date",
        "ieee",
        "modern-language-association",
        "vancouver",
        "harvard-cite-them-right",
        "american-medical-association",
        "chicago-notes",
    ] {
        let bib =
            Bibliography::parse(&text, file, style).unwrap_or_else(|e| panic!("{style}: {e:?}"));
        let keys: Vec<&str> = bib.keys().collect();
        let cites: Vec<Vec<CiteItem>> = keys.iter().map(|k| vec![item(k, Some("p. 2"))]).collect();
        let out = bib.render_article(&cites);
        for (html, key) in out.in_text.iter().zip(&keys) {
            assert!(
                !html.contains(MISSING) && visible(html).len() > 2,
                "{style} {key}: {html}"
            );
        }
        // Chicago cites legal cases in the text only: every other work is listed.
        let cases = text.lines().filter(|l| l.trim() == "type: case").count();
        assert!(out.references.len() >= keys.len() - cases, "{style}");
        assert!(out.references.iter().all(|r| r.text.len() > 20), "{style}");
    }
}

#[test]
fn works_a_style_leaves_out_of_the_list_are_not_linked() {
    // Chicago cites legal cases in the text only.
    let text = "\
case:
  type: case
  title: \"Tarasoff {v.} Regents of the University of California\"
  date: 1976
  volume: 17
  page-range: 425
  parent:
    type: reference
    title: Cal. 3d
";
    let bib = Bibliography::parse(text, Path::new("r.yaml"), "chicago-author-date").unwrap();
    let out = bib.render_article(&[vec![item("case", None)]]);
    assert!(out.references.is_empty(), "{:?}", out.references);
    assert!(!out.in_text[0].contains("href"), "{}", out.in_text[0]);
    assert!(visible(&out.in_text[0]).starts_with("(Tarasoff v. Regents"));
    let apa = Bibliography::parse(text, Path::new("r.yaml"), "apa").unwrap();
    let out = apa.render_article(&[vec![item("case", None)]]);
    assert!(
        out.in_text[0].contains("href=\"#ref-case\""),
        "{}",
        out.in_text[0]
    );
}

#[test]
fn hostile_yaml_is_refused_quickly() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (n, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!("{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    let deep = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    for text in [bomb, deep] {
        let start = std::time::Instant::now();
        assert!(parse(&text).is_err());
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }
}

#[test]
fn bibliography_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Bibliography>();
}
