//! Unit tests for the glossary: parsing, errors, lookup and matching.

use std::path::Path;

use super::*;

const FILE: &str = "content/glossary.yaml";

fn parse(text: &str) -> Glossary {
    match Glossary::parse(text, Path::new(FILE)) {
        Ok(g) => g,
        Err(errors) => panic!(
            "unexpected errors:\n{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn errors(text: &str) -> Vec<String> {
    match Glossary::parse(text, Path::new(FILE)) {
        Ok(_) => panic!("expected errors"),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

const SAMPLE: &str = "\
- term: Therapeutic alliance
  aliases: [working alliance, alliance]
  definition: The working *partnership* between you and your therapist.
  see_also: [Rupture repair, bond]

- term: Rupture repair
  aliases: [repair]
  definition: Working through a strain together.

- term: Therapeutic bond
  aliases: [bond]
  definition: The personal connection.

- term: Trust
  definition: Feeling safe enough to rely on someone.

- term: Non-inferiority
  definition: Not clearly worse.

- term: Ambivalence
  definition: Mixed feelings.
";

/// The matched texts and their terms.
fn matches<'a>(g: &'a Glossary, text: &'a str) -> Vec<(&'a str, &'a str)> {
    g.find_matches(text)
        .into_iter()
        .map(|m| (&text[m.start..m.end], g.terms[m.term].term.as_str()))
        .collect()
}

#[test]
fn parses_sorts_and_renders() {
    let g = parse(SAMPLE);
    let names: Vec<&str> = g.terms.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(
        names,
        [
            "Ambivalence",
            "Non-inferiority",
            "Rupture repair",
            "Therapeutic alliance",
            "Therapeutic bond",
            "Trust"
        ]
    );
    let alliance = &g.terms[g.lookup("Therapeutic alliance").unwrap()];
    assert_eq!(alliance.slug, "therapeutic-alliance");
    assert_eq!(alliance.line, 1);
    assert_eq!(alliance.aliases, ["working alliance", "alliance"]);
    assert_eq!(
        alliance.definition_html,
        "The working <em>partnership</em> between you and your therapist."
    );
    // An alias in see_also resolves to its term.
    assert_eq!(alliance.see_also, ["Rupture repair", "Therapeutic bond"]);
    assert_eq!(g.terms[g.lookup("trust").unwrap()].line, 14);
}

#[test]
fn lookup_takes_terms_and_aliases_in_any_case() {
    let g = parse(SAMPLE);
    let alliance = g.lookup("Therapeutic alliance");
    assert!(alliance.is_some());
    assert_eq!(g.lookup("  WORKING   Alliance "), alliance);
    assert_eq!(g.lookup("alliance"), alliance);
    assert_eq!(g.lookup("nothing"), None);
    assert_eq!(
        g.nearest("Therapeutic aliance", 3),
        ["Therapeutic alliance", "Therapeutic bond"]
    );
    // One suggestion per term, even when several of its names are close.
    assert_eq!(g.nearest("alliancee", 3), ["alliance", "Ambivalence"]);
    assert!(g.nearest("zzzzqqq", 3).is_empty());
}

#[test]
fn empty_file_is_an_empty_glossary() {
    assert!(parse("").is_empty());
    assert!(parse("# nothing yet\n").is_empty());
    assert!(Glossary::empty().find_matches("trust").is_empty());
}

#[test]
fn matches_whole_words_only() {
    let g = parse(SAMPLE);
    assert_eq!(
        matches(&g, "Trust, then distrust; trustworthy trust_x trust."),
        [("Trust", "Trust"), ("trust", "Trust")]
    );
    // Hyphens and apostrophes join words.
    assert_eq!(matches(&g, "a non-trust and trust-based view"), []);
    assert_eq!(matches(&g, "the alliance's strength"), []);
    assert_eq!(matches(&g, "the alliance\u{2019}s strength"), []);
    // ... but a quote or a dash at the edge of a word does not.
    assert_eq!(
        matches(&g, "the \u{2018}alliance\u{2019} - trust -- 'bond'"),
        [
            ("alliance", "Therapeutic alliance"),
            ("trust", "Trust"),
            ("bond", "Therapeutic bond")
        ]
    );
    // A hyphenated term is one word.
    assert_eq!(
        matches(&g, "Non-inferiority, not inferiority"),
        [("Non-inferiority", "Non-inferiority")]
    );
    assert_eq!(matches(&g, "trust\u{e9}"), []);
}

#[test]
fn matches_simple_plurals() {
    let g = parse(SAMPLE);
    assert_eq!(
        matches(&g, "Bonds and repairs; ambivalences."),
        [
            ("Bonds", "Therapeutic bond"),
            ("repairs", "Rupture repair"),
            ("ambivalences", "Ambivalence")
        ]
    );
    assert_eq!(
        matches(&g, "strong working alliances"),
        [("working alliances", "Therapeutic alliance")]
    );
}

#[test]
fn alias_matches_its_term() {
    let g = parse(SAMPLE);
    let found = g.find_matches("a repair");
    assert_eq!(found.len(), 1);
    assert_eq!(g.terms[found[0].term].term, "Rupture repair");
    assert_eq!((found[0].start, found[0].end), (2, 8));
}

#[test]
fn longest_match_first() {
    let g = parse(SAMPLE);
    assert_eq!(
        matches(
            &g,
            "the therapeutic alliance, the working alliance, the alliance"
        ),
        [
            ("therapeutic alliance", "Therapeutic alliance"),
            ("working alliance", "Therapeutic alliance"),
            ("alliance", "Therapeutic alliance")
        ]
    );
    assert_eq!(
        matches(&g, "rupture repair then repair"),
        [
            ("rupture repair", "Rupture repair"),
            ("repair", "Rupture repair")
        ]
    );
}

#[test]
fn shorter_match_when_the_longest_is_not_a_whole_word() {
    let g = parse(
        "- term: Trust\n  definition: a\n- term: Trust fund\n  definition: b\n- term: fund\n  definition: c\n",
    );
    assert_eq!(
        matches(&g, "trust fundamentals; trust funds; pre-trust fund"),
        [
            ("trust", "Trust"),
            ("trust funds", "Trust fund"),
            ("fund", "fund")
        ]
    );
}

#[test]
fn matching_ignores_case() {
    let g = parse(SAMPLE);
    assert_eq!(
        matches(&g, "TRUST Trust tRuSt WORKING ALLIANCE"),
        [
            ("TRUST", "Trust"),
            ("Trust", "Trust"),
            ("tRuSt", "Trust"),
            ("WORKING ALLIANCE", "Therapeutic alliance")
        ]
    );
}

#[test]
fn offsets_are_bytes_in_unicode_text() {
    let g = parse(SAMPLE);
    let text = "Ça va — trust ✓ bond";
    for m in g.find_matches(text) {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
    }
    assert_eq!(
        matches(&g, text),
        [("trust", "Trust"), ("bond", "Therapeutic bond")]
    );
}

#[test]
fn a_thousand_terms_over_a_long_text() {
    let mut yaml = String::new();
    for i in 0..1000 {
        yaml.push_str(&format!(
            "- term: Concept {i:04} alpha\n  aliases: [c{i:04}]\n  definition: Definition number {i}.\n"
        ));
    }
    let g = parse(&yaml);
    assert_eq!(g.terms.len(), 1000);
    let paragraph =
        "Here concept 0042 alpha meets C0999 and concept 0500 alphas, not xc0001 or c0001x. ";
    let text = paragraph.repeat(5_000);
    let found = g.find_matches(&text);
    assert_eq!(found.len(), 3 * 5_000);
    assert_eq!(g.terms[found[0].term].term, "Concept 0042 alpha");
    assert_eq!(g.terms[found[1].term].term, "Concept 0999 alpha");
    assert_eq!(g.terms[found[2].term].term, "Concept 0500 alpha");
    assert!(found.windows(2).all(|w| w[0].end <= w[1].start));
}

#[test]
fn duplicates_name_both_lines() {
    let errs = errors(
        "- term: Trust\n  definition: a\n- term: Rapport\n  aliases: [TRUST, ease]\n  definition: b\n- term: ease\n  definition: c\n",
    );
    assert_eq!(
        errs,
        [
            "content/glossary.yaml:4:13: error: alias `TRUST` of `Rapport` duplicates term `Trust` at line 1 (terms and aliases are unique, ignoring case)\n  help: remove one of the two, or make it more specific",
            "content/glossary.yaml:6:9: error: term `ease` duplicates alias `ease` of `Rapport` at line 4 (terms and aliases are unique, ignoring case)\n  help: remove one of the two, or make it more specific",
        ]
    );
}

#[test]
fn unknown_see_also_suggests_a_term() {
    let errs = errors(
        "- term: Rupture repair\n  definition: a\n  see_also: [Therapeutic aliance]\n- term: Therapeutic alliance\n  definition: b\n",
    );
    assert_eq!(
        errs,
        ["content/glossary.yaml:3:14: error: `see_also` of `Rupture repair` names unknown term `Therapeutic aliance`\n  help: did you mean `Therapeutic alliance`?"]
    );
}

#[test]
fn reports_every_error_at_once() {
    let text = "\
- term: Trust
  definiton: typo
- term: ''
  definition: x
- definition: no term
- term: Bond
  definition:
- term: Rapport
  definition: fine
  aliases: [ok, [nested]]
- just a string
";
    let errs = errors(text);
    assert_eq!(
        errs,
        [
            "content/glossary.yaml:1:9: error: `Trust` has no definition\n  help: add `definition: ...` with a short, plain explanation",
            "content/glossary.yaml:2:3: error: unknown key `definiton`\n  help: did you mean `definition`?",
            "content/glossary.yaml:3:9: error: glossary entry 2 has an empty `term`\n  help: write the term after `term:`",
            "content/glossary.yaml:5:1: error: glossary entry 3 has no `term`\n  help: add `term: ...`",
            "content/glossary.yaml:7:14: error: the definition of `Bond` is empty\n  help: write a short, plain explanation after `definition:`",
            "content/glossary.yaml:10:12: error: `aliases` of `Rapport` has a list inside it\n  help: write `aliases: [first, second]` with plain names",
            "content/glossary.yaml:11:1: error: glossary entry 6 is text, not an entry with `term` and `definition`\n  help: write it as `- term: ...` with `definition: ...` on the next line",
        ]
    );
}

#[test]
fn wrong_shapes_and_syntax_errors_do_not_panic() {
    for text in [
        "terms:\n  - term: a\n",
        "- term: [a\n",
        "- term: a\n  definition: b\n  see_also: {x: 1}\n",
        "[{term: a, definition: b}, {term: a, definition: c}]",
        "- term: '!!!'\n  definition: x\n",
        "- term: a b\n  definition: x\n- term: a-b\n  definition: y\n",
        "- term: 12\n  definition: 3\n- ? [a]\n  : b\n",
        "\t- term: x",
    ] {
        assert!(Glossary::parse(text, Path::new(FILE)).is_err(), "{text}");
    }
    // Numbers are text too.
    let g = parse("- term: 1957\n  definition: 42\n");
    assert_eq!(g.terms[0].term, "1957");
}

#[test]
fn slugs_must_differ() {
    let errs = errors("- term: a b\n  definition: x\n- term: A-B\n  definition: y\n");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("same link id `a-b`"), "{}", errs[0]);
}

#[test]
fn tooltips_and_unused_warnings() {
    let g = parse(SAMPLE);
    let trust = g.lookup("trust").unwrap();
    let html = g.tooltips_html([trust, trust]);
    assert_eq!(
        html,
        "<div class=\"term-tips\">\n<div class=\"term-tip\" id=\"tip-trust\" role=\"tooltip\" hidden>Feeling safe enough to rely on someone.</div>\n</div>"
    );
    assert_eq!(g.tooltips_html([]), "");
    let mut used = vec![true; g.terms.len()];
    used[trust] = false;
    let warnings = g.unused_warnings(&used);
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        warnings[0].to_string(),
        "content/glossary.yaml:14:1: warning: glossary term `Trust` is used in no article\n  help: use it in an article, link it with [[...]], or remove it"
    );
}

#[test]
fn page_data() {
    let g = parse(SAMPLE);
    let trust = g.lookup("trust").unwrap();
    let mut used_in = vec![Vec::new(); g.terms.len()];
    used_in[trust].push(page::PageLink {
        title: "Why trust matters".into(),
        href: "../foundations/why/index.html".into(),
    });
    let set = page::SetInfo {
        name: "Glossary: Trust in Therapy",
        base_url: "https://example.org/trust/",
        language: "en",
    };
    let p = page::glossary_page(&g, &used_in, set);
    assert_eq!(p.letters.len(), 26);
    assert_eq!(p.letters[0].id.as_deref(), Some("letter-a"));
    assert_eq!(p.letters[1].id, None);
    let t: Vec<&str> = p.groups.iter().map(|g| g.letter.as_str()).collect();
    assert_eq!(t, ["A", "N", "R", "T"]);
    let alliance = &p.groups[3].entries[0];
    assert_eq!(alliance.see_also[1].href, "#therapeutic-bond");
    assert_eq!(p.groups[3].entries[2].used_in, used_in[trust]);
    assert_eq!(p.groups[3].entries[2].used_in_more, 0);
    // A term used across a large handbook: the first pages, and a count.
    let many: Vec<page::PageLink> = (0..page::USED_IN_SHOWN + 3)
        .map(|i| page::PageLink {
            title: format!("Article {i}"),
            href: format!("../a/{i}/index.html"),
        })
        .collect();
    let one = std::mem::replace(&mut used_in[trust], many.clone());
    let big = page::glossary_page(&g, &used_in, set);
    let entry = &big.groups[3].entries[2];
    assert_eq!(entry.used_in, many[..page::USED_IN_SHOWN]);
    assert_eq!(entry.used_in_more, 3);
    // glossary.json still lists them all.
    let json: serde_json::Value = serde_json::from_str(&page::glossary_json(&g, &used_in)).unwrap();
    let listed = json["terms"][5]["used_in"].as_array().map(Vec::len);
    assert_eq!(listed, Some(page::USED_IN_SHOWN + 3));
    used_in[trust] = one;
    let ld: serde_json::Value = serde_json::from_str(&p.json_ld).unwrap();
    assert_eq!(ld["@type"], "DefinedTermSet");
    assert_eq!(
        ld["hasDefinedTerm"][3]["@id"],
        "https://example.org/trust/glossary/#therapeutic-alliance"
    );
    assert_eq!(
        ld["hasDefinedTerm"][3]["alternateName"][0],
        "working alliance"
    );
    let json: serde_json::Value = serde_json::from_str(&page::glossary_json(&g, &used_in)).unwrap();
    assert_eq!(json["terms"][5]["used_in"][0]["title"], "Why trust matters");
    assert_eq!(page::flashcards(&g)[0].href, "../index.html#ambivalence");
    // Digits and other scripts get their own places in the bar.
    let other = parse("- term: 5-HT\n  definition: a\n- term: Éthique\n  definition: b\n- term: Ψ\n  definition: c\n");
    let p = page::glossary_page(&other, &[], set);
    let bar: Vec<&str> = p.letters.iter().map(|l| l.letter.as_str()).collect();
    assert_eq!(bar.len(), 28);
    assert_eq!((bar[0], bar[27]), ("#", "Ψ"));
    assert_eq!(p.groups[1].letter, "E");
}

#[test]
fn the_bundled_glossary_is_valid() {
    let g = parse(include_str!("../../content/glossary.yaml"));
    assert!(g.terms.len() >= 60, "{}", g.terms.len());
    let alliance = g.lookup("working alliance").unwrap();
    assert_eq!(g.terms[alliance].slug, "therapeutic-alliance");
    assert!(g
        .terms
        .windows(2)
        .all(|w| w[0].term.to_lowercase() <= w[1].term.to_lowercase()));
}

/// The matching rules written out plainly, slowly: at each place where a
/// word may start, the longest name or plural there that also ends a word
/// is taken, and the search goes on after it.
fn plainly_matched(g: &Glossary, text: &str) -> Vec<(usize, usize, usize)> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let joiner = |c: char| matches!(c, '-' | '\'' | '\u{2019}' | '\u{2010}' | '\u{2011}');
    // Two characters on one side of a place: may a word begin or end there?
    let edge = |near: Option<char>, far: Option<char>| match near {
        Some(c) if word(c) => false,
        Some(c) if joiner(c) => !far.is_some_and(word),
        _ => true,
    };
    let mut forms: Vec<(String, usize)> = Vec::new();
    let names = |t: &Term| std::iter::once(t.term.clone()).chain(t.aliases.clone());
    for (i, t) in g.terms.iter().enumerate() {
        forms.extend(names(t).map(|n| (n, i)));
    }
    for (i, t) in g.terms.iter().enumerate() {
        forms.extend(names(t).flat_map(|n| [(format!("{n}s"), i), (format!("{n}es"), i)]));
    }
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let mut back = text[..at].chars().rev();
        let starts = edge(back.next(), back.next());
        let longest = forms
            .iter()
            .filter(|(form, _)| {
                let end = at + form.len();
                text.get(at..end)
                    .is_some_and(|s| s.eq_ignore_ascii_case(form))
                    && {
                        let mut fwd = text[end..].chars();
                        edge(fwd.next(), fwd.next())
                    }
            })
            // The first form registered wins among equals, as in the matcher.
            .fold(None::<&(String, usize)>, |best, f| match best {
                Some(b) if b.0.len() >= f.0.len() => Some(b),
                _ => Some(f),
            });
        match longest {
            Some((form, term)) if starts => {
                found.push((at, at + form.len(), *term));
                at += form.len();
            }
            _ => at += text[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    found
}

#[test]
fn matches_follow_the_rules_on_random_text() {
    let matched = random_texts_match_plainly(24, 20_000);
    // The random texts do exercise the matcher.
    assert!(matched > 4_000, "only {matched} matches");
}

/// Texts long enough to be read as two halves at once (see `matcher`):
/// every match across the middle must still be found.
#[test]
fn matches_follow_the_rules_on_long_random_text() {
    let matched = random_texts_match_plainly(400, 1_500);
    assert!(matched > 2_500, "only {matched} matches");
}

/// A long text is read as two halves at once: a term is found wherever it
/// lies, across the middle too, and once. "Cognitive biases" is the longest
/// pattern, the one the second half must start early enough to see.
#[test]
fn a_term_anywhere_in_a_long_text_is_found_once() {
    let g = parse("- term: Cognitive bias\n  definition: a\n- term: bias\n  definition: b\n");
    let term = g.terms.iter().position(|t| t.term == "Cognitive bias");
    for before in 0..300 {
        let text = format!(
            "{}Cognitive biases{}",
            "a ".repeat(before),
            " b".repeat(150)
        );
        let found: Vec<_> = g
            .find_matches(&text)
            .into_iter()
            .map(|m| (m.start, m.end, Some(m.term)))
            .collect();
        let start = 2 * before;
        assert_eq!(found, [(start, start + 16, term)], "in {text:?}");
    }
}

/// Compares the matcher with [`plainly_matched`] on `texts` random texts of
/// up to `most` pieces; returns how many matches they had.
fn random_texts_match_plainly(most: usize, texts: usize) -> usize {
    let g = parse(
        "- term: Trust\n  definition: a\n- term: Trust fund\n  definition: b\n- term: fund\n  definition: c\n\
         - term: Working alliance\n  aliases: [alliance, WA]\n  definition: d\n\
         - term: Non-inferiority\n  definition: e\n- term: Café culture\n  definition: f\n\
         - term: client's rights\n  definition: g\n- term: x\n  definition: h\n",
    );
    let pieces = [
        "trust",
        "TRUST",
        "fund",
        "funds",
        "fundes",
        "alliance",
        "Alliances",
        "working",
        "wa",
        "non",
        "inferiority",
        "café",
        "CAFÉ",
        "culture",
        "client",
        "'s",
        "’s",
        "rights",
        "x",
        "xs",
        " ",
        " ",
        " ",
        "-",
        "'",
        "’",
        ".",
        ",",
        "_",
        "1",
        "é",
        "s",
        "es",
    ];
    let mut below = crate::test_random::below(11);
    let mut matched = 0;
    for _ in 0..texts {
        let text = crate::test_random::joined(&pieces, most, &mut below);
        let found: Vec<_> = g
            .find_matches(&text)
            .into_iter()
            .map(|m| (m.start, m.end, m.term))
            .collect();
        assert_eq!(found, plainly_matched(&g, &text), "in {text:?}");
        matched += found.len();
    }
    matched
}
