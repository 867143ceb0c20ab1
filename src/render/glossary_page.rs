//! The data behind the glossary's own pages: `/glossary/` (A–Z bar, entries
//! with aliases, see-also and "Used in" links, schema.org `DefinedTermSet`
//! JSON-LD), `/glossary/flashcards/`, and `/glossary/glossary.json`.
//!
//! Everything here is plain serializable data for the theme's templates
//! (`glossary.html`, `flashcards.html`); every URL in it is relative to the
//! glossary page's folder, except the JSON-LD's, which are absolute when the
//! handbook's `base_url` is.

use serde::Serialize;
use serde_json::{json, Value};

use crate::glossary::{fold_accent, Glossary, Term};

/// A link to a page, relative to the glossary page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageLink {
    /// The text shown (a page title or a term).
    pub title: String,
    /// The URL, relative to the glossary page's folder.
    pub href: String,
}

/// One letter of the A–Z bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    /// The letter as shown ("A", or "#" for terms starting with a digit or symbol).
    pub letter: String,
    /// The `id` of its section, or `None` when no term starts with it (shown, not linked).
    pub id: Option<String>,
}

/// One glossary entry as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The term.
    pub term: String,
    /// Its slug: the entry's `id`.
    pub slug: String,
    /// Other names for it.
    pub aliases: Vec<String>,
    /// The definition as HTML.
    pub definition_html: String,
    /// Related entries on the same page.
    pub see_also: Vec<PageLink>,
    /// The pages that use the term, the first [`USED_IN_SHOWN`] of them.
    pub used_in: Vec<PageLink>,
    /// How many more pages use it (not listed, so that the page stays
    /// readable and its size does not grow with the handbook's).
    pub used_in_more: usize,
}

/// The most pages listed under "Used in" for one term: more than a reader
/// can use, few enough that a term found in thousands of articles of a
/// large handbook does not make the glossary page megabytes long.
/// `glossary.json` lists them all.
pub const USED_IN_SHOWN: usize = 12;

/// The entries under one letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The letter.
    pub letter: String,
    /// The section's `id` (`letter-a`).
    pub id: String,
    /// Its entries, A–Z.
    pub entries: Vec<Entry>,
}

/// Everything `glossary.html` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlossaryPage {
    /// The A–Z bar: every letter A–Z, plus "#" and other initials in use.
    pub letters: Vec<Letter>,
    /// The entries grouped by initial, in the bar's order.
    pub groups: Vec<Group>,
    /// How many terms there are.
    pub term_count: usize,
    /// The schema.org `DefinedTermSet` as JSON, safe to put inside
    /// `<script type="application/ld+json">` (every `<` is escaped).
    pub json_ld: String,
}

/// One flashcard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    /// The front: the term.
    pub term: String,
    /// The card's stable key (the term's slug), for the saved tally.
    pub slug: String,
    /// The back: the definition as HTML.
    pub definition_html: String,
    /// The glossary entry, relative to the flashcards page.
    pub href: String,
}

/// What identifies the glossary in its JSON-LD.
#[derive(Debug, Clone, Copy)]
pub struct SetInfo<'a> {
    /// The set's name, e.g. "Glossary: Trust in Therapy".
    pub name: &'a str,
    /// The handbook's `base_url` (absolute or not).
    pub base_url: &'a str,
    /// The handbook's language (BCP 47).
    pub language: &'a str,
}

/// The glossary page's data. `used_in[i]` lists the articles using term `i`
/// (missing entries count as none).
pub fn glossary_page(
    glossary: &Glossary,
    used_in: &[Vec<PageLink>],
    set: SetInfo<'_>,
) -> GlossaryPage {
    let mut groups: Vec<Group> = Vec::new();
    for (i, t) in glossary.terms.iter().enumerate() {
        let letter = initial(&t.term);
        let entry = entry(glossary, t, used_in.get(i).map_or(&[], Vec::as_slice));
        match groups.iter_mut().find(|g| g.letter == letter) {
            Some(g) => g.entries.push(entry),
            None => groups.push(Group {
                id: letter_id(&letter),
                letter,
                entries: vec![entry],
            }),
        }
    }
    groups.sort_by_key(|g| letter_rank(&g.letter));
    let mut names: Vec<String> = ('A'..='Z').map(String::from).collect();
    for g in &groups {
        if !names.contains(&g.letter) {
            names.push(g.letter.clone());
        }
    }
    names.sort_by_key(|l| letter_rank(l));
    let letters = names
        .into_iter()
        .map(|letter| Letter {
            id: groups
                .iter()
                .find(|g| g.letter == letter)
                .map(|g| g.id.clone()),
            letter,
        })
        .collect();
    GlossaryPage {
        letters,
        term_count: glossary.terms.len(),
        json_ld: json_ld(glossary, set),
        groups,
    }
}

/// The flashcards page's cards, A–Z (the page's script shuffles them).
pub fn flashcards(glossary: &Glossary) -> Vec<Card> {
    glossary
        .terms
        .iter()
        .map(|t| Card {
            term: t.term.clone(),
            slug: t.slug.clone(),
            definition_html: t.definition_html.clone(),
            href: format!("../index.html#{}", t.slug),
        })
        .collect()
}

/// `glossary.json`: every term with its aliases, definition (markdown, HTML
/// and plain text), see-also terms, entry URL and the articles using it.
/// URLs are relative to the glossary page's folder.
pub fn glossary_json(glossary: &Glossary, used_in: &[Vec<PageLink>]) -> String {
    let terms = glossary
        .terms
        .iter()
        .enumerate()
        .map(|(i, t)| JsonTerm {
            aliases: &t.aliases,
            definition: &t.definition,
            definition_html: &t.definition_html,
            definition_text: crate::inline::plain_text(&t.definition),
            see_also: &t.see_also,
            slug: &t.slug,
            term: &t.term,
            url: format!("index.html#{}", t.slug),
            used_in: used_in
                .get(i)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|l| JsonLink {
                    title: &l.title,
                    url: &l.href,
                })
                .collect(),
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&JsonDoc { terms })
        .unwrap_or_else(|_| "{\"terms\":[]}".into());
    out.push('\n');
    out
}

/// `glossary.json`'s shape. Typed rather than built as a `serde_json::Value`,
/// whose map per term and per use made this a slow step on large handbooks;
/// the fields are in the alphabetical order the file has always had.
#[derive(Serialize)]
struct JsonDoc<'a> {
    terms: Vec<JsonTerm<'a>>,
}

#[derive(Serialize)]
struct JsonTerm<'a> {
    aliases: &'a [String],
    definition: &'a str,
    definition_html: &'a str,
    definition_text: String,
    see_also: &'a [String],
    slug: &'a str,
    term: &'a str,
    url: String,
    used_in: Vec<JsonLink<'a>>,
}

#[derive(Serialize)]
struct JsonLink<'a> {
    title: &'a str,
    url: &'a str,
}

fn entry(glossary: &Glossary, t: &Term, used_in: &[PageLink]) -> Entry {
    let used_in_more = used_in.len().saturating_sub(USED_IN_SHOWN);
    let used_in = used_in[..used_in.len() - used_in_more].to_vec();
    let see_also = t
        .see_also
        .iter()
        .filter_map(|name| {
            let target = &glossary.terms[glossary.lookup(name)?];
            Some(PageLink {
                title: target.term.clone(),
                href: format!("#{}", target.slug),
            })
        })
        .collect();
    Entry {
        term: t.term.clone(),
        slug: t.slug.clone(),
        aliases: t.aliases.clone(),
        definition_html: t.definition_html.clone(),
        see_also,
        used_in,
        used_in_more,
    }
}

/// The A–Z bar letter a term files under: its first letter, accents folded
/// and upper-cased, or "#" for a digit or symbol.
pub fn initial(term: &str) -> String {
    match term.trim().chars().next().map(fold_accent) {
        Some(c) if c.is_alphabetic() => c.to_uppercase().collect(),
        _ => "#".to_string(),
    }
}

/// "#" first, then A–Z, then other scripts' letters in code point order.
fn letter_rank(letter: &str) -> (u8, String) {
    let rank = match letter {
        "#" => 0,
        l if l.len() == 1 && l.as_bytes()[0].is_ascii_uppercase() => 1,
        _ => 2,
    };
    (rank, letter.to_string())
}

fn letter_id(letter: &str) -> String {
    match crate::slug::slugify(letter) {
        s if s.is_empty() => "letter-other".to_string(),
        s => format!("letter-{s}"),
    }
}

/// The schema.org `DefinedTermSet` for the glossary, `<` escaped for `<script>`.
fn json_ld(glossary: &Glossary, set: SetInfo<'_>) -> String {
    let page = glossary_url(set.base_url);
    let terms: Vec<Value> = glossary
        .terms
        .iter()
        .map(|t| {
            let mut term = json!({
                "@type": "DefinedTerm",
                "@id": format!("{page}#{}", t.slug),
                "name": t.term,
                "description": crate::inline::plain_text(&t.definition),
                "url": format!("{page}#{}", t.slug),
            });
            if !t.aliases.is_empty() {
                term["alternateName"] = json!(t.aliases);
            }
            if !page.is_empty() {
                term["inDefinedTermSet"] = json!(page);
            }
            term
        })
        .collect();
    let mut set_json = json!({
        "@context": "https://schema.org",
        "@type": "DefinedTermSet",
        "name": set.name,
        "inLanguage": set.language,
        "hasDefinedTerm": terms,
    });
    if !page.is_empty() {
        set_json["@id"] = json!(page);
        set_json["url"] = json!(page);
    }
    serde_json::to_string(&set_json)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
}

/// The absolute URL of `/glossary/` under an absolute `base_url`, else ""
/// (so that JSON-LD ids stay relative to the page: `#slug`).
fn glossary_url(base_url: &str) -> String {
    let base = base_url.trim();
    if base.starts_with("https://") || base.starts_with("http://") {
        format!("{}/glossary/", base.trim_end_matches('/'))
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::tests::{parse, SAMPLE};

    #[test]
    fn page_data() {
        let g = parse(SAMPLE);
        let trust = g.lookup("trust").unwrap();
        let mut used_in = vec![Vec::new(); g.terms.len()];
        used_in[trust].push(PageLink {
            title: "Why trust matters".into(),
            href: "../foundations/why/index.html".into(),
        });
        let set = SetInfo {
            name: "Glossary: Trust in Therapy",
            base_url: "https://example.org/trust/",
            language: "en",
        };
        let p = glossary_page(&g, &used_in, set);
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
        let many: Vec<PageLink> = (0..USED_IN_SHOWN + 3)
            .map(|i| PageLink {
                title: format!("Article {i}"),
                href: format!("../a/{i}/index.html"),
            })
            .collect();
        let one = std::mem::replace(&mut used_in[trust], many.clone());
        let big = glossary_page(&g, &used_in, set);
        let entry = &big.groups[3].entries[2];
        assert_eq!(entry.used_in, many[..USED_IN_SHOWN]);
        assert_eq!(entry.used_in_more, 3);
        // glossary.json still lists them all.
        let json: serde_json::Value = serde_json::from_str(&glossary_json(&g, &used_in)).unwrap();
        let listed = json["terms"][5]["used_in"].as_array().map(Vec::len);
        assert_eq!(listed, Some(USED_IN_SHOWN + 3));
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
        let json: serde_json::Value = serde_json::from_str(&glossary_json(&g, &used_in)).unwrap();
        assert_eq!(json["terms"][5]["used_in"][0]["title"], "Why trust matters");
        assert_eq!(flashcards(&g)[0].href, "../index.html#ambivalence");
        // Digits and other scripts get their own places in the bar.
        let other = parse("- term: 5-HT\n  definition: a\n- term: Éthique\n  definition: b\n- term: Ψ\n  definition: c\n");
        let p = glossary_page(&other, &[], set);
        let bar: Vec<&str> = p.letters.iter().map(|l| l.letter.as_str()).collect();
        assert_eq!(bar.len(), 28);
        assert_eq!((bar[0], bar[27]), ("#", "Ψ"));
        assert_eq!(p.groups[1].letter, "E");
    }
}
