//! Text to index terms: HTML stripped to plain text, split into words,
//! stop words dropped, words stemmed.
//!
//! The search page's script (`themes/default/static/search.js`) splits and
//! stems the reader's query with the same rules, so both sides must change
//! together (the browser test compares them word for word):
//!
//! - **Words** are runs of letters and digits (Unicode `Alphabetic` or
//!   numeric; in JavaScript `[\p{Alphabetic}\p{N}]`). Apostrophes (`'` and
//!   `’`) inside a run are dropped, so "client's" is "clients" and "don't"
//!   is "dont". A word is lower-cased; it is kept when it has from
//!   [`MIN_WORD`] to [`MAX_WORD`] characters (code points).
//! - **Stop words** ([`STOP_WORDS`]) are not indexed, in English handbooks.
//! - **Stemming** ([`stem`]) is a small English suffix stripper, applied to
//!   words of plain ASCII letters only: plurals, `-ing`, `-ed` and a final
//!   `e`, so "trusts", "trusted" and "trusting" all become "trust", and
//!   "hope", "hoped" and "hoping" become "hop". It errs on the side of
//!   leaving a word alone; it only has to send a query word and the words of
//!   the articles to the same term.

use std::borrow::Cow;
use std::sync::OnceLock;

/// The shortest word that is indexed, in characters.
pub const MIN_WORD: usize = 2;
/// The longest word that is indexed, in characters (longer runs are codes
/// or URLs, not words anyone searches for).
pub const MAX_WORD: usize = 40;

/// English words too common to help a search. Sorted, so
/// [`is_stop_word`] can binary-search it.
pub const STOP_WORDS: &[&str] = &[
    "about",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether `word` (lower-case) is in [`STOP_WORDS`].
pub fn is_stop_word(word: &str) -> bool {
    // By first letter, then length: this runs for every word of every page.
    static BY_LETTER: OnceLock<[Vec<&'static str>; 26]> = OnceLock::new();
    let table = BY_LETTER.get_or_init(|| {
        let mut table: [Vec<&'static str>; 26] = Default::default();
        for w in STOP_WORDS {
            if let Some(i) = w.bytes().next().map(|b| usize::from(b.wrapping_sub(b'a'))) {
                if let Some(list) = table.get_mut(i) {
                    list.push(w);
                }
            }
        }
        table
    });
    let Some(first) = word.bytes().next() else {
        return false;
    };
    table
        .get(usize::from(first.wrapping_sub(b'a')))
        .is_some_and(|list| list.iter().any(|w| w.len() == word.len() && *w == word))
}

/// How a handbook's text becomes terms: with English stemming and stop
/// words, or (for other languages) words as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analyzer {
    /// Drop [`STOP_WORDS`] and [`stem`] words.
    pub english: bool,
}

impl Analyzer {
    /// The analyzer for a handbook in `language` (a BCP 47 tag): English
    /// rules for `en` and `en-*`, plain words otherwise.
    pub fn for_language(language: &str) -> Analyzer {
        let primary = language.split(['-', '_']).next().unwrap_or("");
        Analyzer {
            english: primary.eq_ignore_ascii_case("en"),
        }
    }

    /// The index terms of `text`, in order, repeats kept.
    pub fn terms(&self, text: &str) -> Vec<String> {
        words(text).filter_map(|w| self.term_of_owned(w)).collect()
    }

    /// The index term of one lower-case word, or `None` for a stop word.
    pub fn term(&self, word: &str) -> Option<String> {
        self.term_of_owned(word.to_string())
    }

    fn term_of_owned(&self, mut word: String) -> Option<String> {
        if !self.english {
            return Some(word);
        }
        if is_stop_word(&word) {
            return None;
        }
        stem_in_place(&mut word);
        Some(word)
    }
}

/// The words of `text`, lower-cased, apostrophes removed, of [`MIN_WORD`]
/// to [`MAX_WORD`] characters.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !is_word_char(c)).filter_map(|run| {
        if run.bytes().all(|b| b.is_ascii_alphanumeric()) {
            // The common case, without the Unicode work.
            return (MIN_WORD..=MAX_WORD)
                .contains(&run.len())
                .then(|| run.to_ascii_lowercase());
        }
        let lower: String = run
            .chars()
            .filter(|&c| !is_apostrophe(c))
            .collect::<String>()
            .to_lowercase();
        let n = lower.chars().count();
        (MIN_WORD..=MAX_WORD).contains(&n).then_some(lower)
    })
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_apostrophe(c)
}

/// Stems one lower-case word (see the module docs). Words with anything but
/// ASCII letters, and words of fewer than four letters, are returned as
/// they are.
pub fn stem(word: &str) -> Cow<'_, str> {
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    let mut w = word.to_string();
    stem_in_place(&mut w);
    Cow::Owned(w)
}

fn stem_in_place(w: &mut String) {
    if w.len() < 4 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    // Step 1: plurals, and -ied.
    if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if (w.ends_with("ies") || w.ends_with("ied")) && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        // "class", "anxious", "crisis": not plurals.
    } else if w.ends_with('s') {
        w.pop();
    }
    // Step 2: -ing, or -ed (not -eed), when a syllable is left.
    for suffix in ["ing", "ed"] {
        if !w.ends_with(suffix) || (suffix == "ed" && w.ends_with("eed")) {
            continue;
        }
        let rest = &w[..w.len() - suffix.len()];
        if rest.len() >= 3 && rest.bytes().any(is_vowel) {
            w.truncate(rest.len());
            let b = w.as_bytes();
            let n = b.len();
            if n >= 4 && b[n - 1] == b[n - 2] && b"bdfgmnprt".contains(&b[n - 1]) {
                w.pop(); // "stopped" -> "stop", "running" -> "run"
            }
        }
        break;
    }
    // Step 3: a final e ("hope" and "hoping" meet at "hop"), not -ee.
    if w.len() >= 4 && w.ends_with('e') && !w.ends_with("ee") {
        w.pop();
    }
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The text of an HTML fragment: tags removed (with the content of
/// `script`, `style` and `template`), entities decoded, a space where a
/// block element starts or ends, white space collapsed.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find(['<', '&']) {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with('&') {
            let (text, used) = entity(rest);
            out.push_str(&text);
            rest = &rest[used..];
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A lone `<`: text.
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !tag.starts_with('/') && matches!(name.as_str(), "script" | "style" | "template") {
            let close = format!("</{name}");
            match find_ignore_ascii_case(rest, &close) {
                Some(i) => {
                    rest = &rest[i..];
                    rest = rest.find('>').map_or("", |j| &rest[j + 1..]);
                }
                None => rest = "",
            }
            out.push(' ');
            continue;
        }
        if is_block(&name) {
            out.push(' ');
        }
    }
    out.push_str(rest);
    collapse_spaces(&out)
}

fn find_ignore_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    haystack
        .as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "hr"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "td"
            | "th"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "figure"
            | "figcaption"
            | "details"
            | "summary"
            | "sup"
            | "img"
    )
}

/// Decodes the entity at the start of `s` (which starts with `&`): the
/// text and how many bytes it used. Unknown entities stay as written.
fn entity(s: &str) -> (Cow<'static, str>, usize) {
    let end = s[1..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
        .map(|i| i + 1);
    let Some(end) = end.filter(|&e| s[e..].starts_with(';') && e > 1) else {
        return (Cow::Borrowed("&"), 1);
    };
    let name = &s[1..end];
    let used = end + 1;
    let decoded = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        code.and_then(char::from_u32).map(|c| c.to_string())
    } else {
        let text = match name {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            "nbsp" => " ",
            "ndash" => "\u{2013}",
            "mdash" => "\u{2014}",
            "hellip" => "\u{2026}",
            "lsquo" => "\u{2018}",
            "rsquo" => "\u{2019}",
            "ldquo" => "\u{201c}",
            "rdquo" => "\u{201d}",
            _ => return (Cow::Borrowed("&"), 1),
        };
        Some(text.to_string())
    };
    match decoded {
        Some(text) => (Cow::Owned(text), used),
        None => (Cow::Borrowed("&"), 1),
    }
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_words(text: &str) -> Vec<String> {
        words(text).collect()
    }

    #[test]
    fn stop_words_are_sorted_and_unique() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && is_stop_word("yourselves") && !is_stop_word("trust"));
    }

    #[test]
    fn words_are_lower_case_runs_of_letters_and_digits() {
        assert_eq!(
            all_words("Trust, in therapy: it's (mostly) BUILT over 12 sessions!"),
            ["trust", "in", "therapy", "its", "mostly", "built", "over", "12", "sessions"]
        );
    }

    #[test]
    fn apostrophes_join_and_punctuation_splits() {
        assert_eq!(
            all_words("client’s don't 'quoted' self-harm e.g. a I"),
            ["clients", "dont", "quoted", "self", "harm"]
        );
    }

    #[test]
    fn words_keep_non_ascii_letters_and_skip_overlong_runs() {
        let long = "x".repeat(MAX_WORD + 1);
        assert_eq!(
            all_words(&format!("Café naïve ΣΟΦΙΑ {long} 988")),
            ["café", "naïve", "σοφια", "988"]
        );
    }

    #[test]
    fn stemming_sends_word_forms_to_one_term() {
        for (forms, term) in [
            (&["trust", "trusts", "trusted", "trusting"][..], "trust"),
            (&["therapy", "therapies"][..], "therapy"),
            (&["therapist", "therapists"][..], "therapist"),
            (&["hope", "hopes", "hoped", "hoping"][..], "hop"),
            (&["care", "cares", "cared", "caring"][..], "car"),
            (&["stop", "stopped", "stopping"][..], "stop"),
            (&["worry", "worries", "worried", "worrying"][..], "worry"),
            (&["feel", "feels", "feeling", "feelings"][..], "feel"),
            (&["session", "sessions"][..], "session"),
            (&["class", "classes"][..], "class"),
            (&["run", "running"][..], "run"),
            (&["add", "adding", "added"][..], "add"),
        ] {
            for form in forms {
                assert_eq!(stem(form), term, "stem({form:?})");
            }
        }
    }

    #[test]
    fn stemming_leaves_short_foreign_and_special_words_alone() {
        for word in [
            "is", "bus", "anxious", "crisis", "status", "need", "agreed", "bring", "thing",
            "being", "café", "988", "b12",
        ] {
            assert_eq!(stem(word), word, "stem({word:?})");
        }
        assert_eq!(stem("seeing"), "see");
        assert_eq!(stem("trustee"), "trustee");
    }

    #[test]
    fn english_analyzer_drops_stop_words_and_stems() {
        let en = Analyzer::for_language("en-GB");
        assert_eq!(
            en.terms("The therapist was trusted by her clients"),
            ["therapist", "trust", "client"]
        );
        let de = Analyzer::for_language("de");
        assert_eq!(
            de.terms("Die Therapeutin und die Klienten"),
            ["die", "therapeutin", "und", "die", "klienten"]
        );
    }

    #[test]
    fn strip_html_keeps_text_and_separates_blocks() {
        let html =
            "<h2 id=\"x\">Why <em>trust</em></h2><p>It&#39;s built &amp; kept&nbsp;slowly.</p>\
                    <ul><li>one</li><li>two</li></ul><script>var no = 1;</script><STYLE>p{}</style>\
                    <p>a &lt; b &unknown; &#x263A; &</p>";
        assert_eq!(
            strip_html(html),
            "Why trust It's built & kept slowly. one two a < b &unknown; \u{263a} &"
        );
    }

    #[test]
    fn strip_html_survives_broken_markup() {
        assert_eq!(strip_html("a < b <p"), "a < b <p");
        assert_eq!(strip_html("<script>never closed"), "");
        assert_eq!(strip_html("&#xFFFFFFFF; &#;"), "&#xFFFFFFFF; &#;");
    }
}
