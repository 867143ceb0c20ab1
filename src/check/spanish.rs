//! Readability of Spanish prose: words, sentences and syllables counted by
//! Spanish spelling, and Szigriszt-Pazos's perspicuity read on the INFLESZ
//! scale (Barrio-Cantalejo et al., 2008; see docs/check.md for why this
//! formula and not Fernández-Huerta's).
//!
//! - **Words** are runs of letters (accents and `ñ` included); numbers are
//!   not words.
//! - **Sentences** end at `.`, `!`, `?` or `…` and at the end of a
//!   paragraph. The full stops of `EE. UU.`, `etc.`, `p. ej.`, `Dr.`,
//!   `Dra.`, `Sr.` and `Sra.` do not end one, nor does a `.` or `,` before a
//!   digit (`0.28`, `1.314`). Every sentence counts, however short: the
//!   formula was set on such counts.
//! - **Syllables** come from [`syllables`]: vowel groups with the rules of
//!   diphthong and hiatus.
//!
//! Perspicuity = 206.835 − 62.3 · Y/W − W/S, with W words, S sentences and
//! Y syllables; higher is easier.

use super::readability::Counts;

/// Strong vowels: two side by side are two syllables (hiatus).
fn strong(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'o' | 'á' | 'é' | 'ó')
}

/// Weak vowels: with a strong one, or with each other, one syllable
/// (diphthong).
fn weak(c: char) -> bool {
    matches!(c, 'i' | 'u' | 'ü')
}

/// An accented weak vowel breaks its group (`dí-a`, `re-ú-ne`).
fn accented_weak(c: char) -> bool {
    matches!(c, 'í' | 'ú')
}

fn vowel(c: char) -> bool {
    strong(c) || weak(c) || accented_weak(c)
}

/// The syllables of one Spanish word, by rule:
///
/// - the word `y` is one syllable; a final `y` after a vowel (`hoy`, `muy`)
///   is a weak vowel joined to it; any other `y` is a consonant;
/// - the `u` of `que`, `qui`, `gue`, `gui` is silent (not that of `güe`,
///   `güi`);
/// - in a group of vowels, two strong vowels (`a e o`, accented or not) are
///   two syllables (`le-er`, `po-e-ta`), a strong and a weak one or two weak
///   ones are one (`cuen-ta`, `ciu-dad`, `buey`), and an accented `í` or `ú`
///   beside another vowel is a syllable of its own (`dí-a`);
/// - an `h` between vowels is a consonant (`a-ho-ra`).
///
/// Every word with a letter has at least one syllable.
pub fn syllables(word: &str) -> usize {
    let lower: Vec<char> = word.to_lowercase().chars().collect();
    if lower == ['y'] {
        return 1;
    }
    // The silent u of que/qui/gue/gui.
    let mut w: Vec<char> = Vec::with_capacity(lower.len());
    for (i, &c) in lower.iter().enumerate() {
        let silent_u = c == 'u'
            && i > 0
            && matches!(lower[i - 1], 'q' | 'g')
            && matches!(lower.get(i + 1), Some('e' | 'é' | 'i' | 'í'));
        if !silent_u {
            w.push(c);
        }
    }
    let n = w.len();
    if n > 1 && w[n - 1] == 'y' && vowel(w[n - 2]) {
        w[n - 1] = 'i';
    }
    let mut count = 0;
    let mut previous: Option<char> = None;
    for &c in &w {
        if vowel(c) {
            match previous {
                None => count += 1,
                Some(p) if (strong(p) && strong(c)) || accented_weak(p) || accented_weak(c) => {
                    count += 1;
                }
                Some(_) => {}
            }
            previous = Some(c);
        } else {
            previous = None;
        }
    }
    count.max(usize::from(lower.iter().any(|c| c.is_alphabetic())))
}

/// Words before a full stop that does not end a sentence (lower case).
const ABBREVIATIONS: [&str; 6] = ["etc", "dr", "dra", "sr", "sra", "ej"];

/// Counts the words, sentences and syllables of Spanish `paragraphs`; each
/// paragraph's end also ends a sentence. `polysyllables` counts words of
/// three or more syllables.
pub fn counts<S: AsRef<str>>(paragraphs: &[S]) -> Counts {
    let mut counts = Counts::default();
    for paragraph in paragraphs {
        let text = paragraph
            .as_ref()
            .replace("EE. UU.", "EEUU")
            .replace("EE.UU.", "EEUU");
        let chars: Vec<char> = text.chars().collect();
        let mut word = String::new();
        let mut last_word = String::new();
        let mut sentence_words = 0;
        let mut add_word = |word: &mut String, last: &mut String, in_sentence: &mut usize| {
            if word.is_empty() {
                return;
            }
            let n = syllables(word);
            counts.words += 1;
            counts.syllables += n;
            if n >= 3 {
                counts.polysyllables += 1;
            }
            *in_sentence += 1;
            *last = std::mem::take(word).to_lowercase();
        };
        for (i, &c) in chars.iter().enumerate() {
            if c.is_alphabetic() {
                word.push(c);
                continue;
            }
            let right_after_word = !word.is_empty();
            add_word(&mut word, &mut last_word, &mut sentence_words);
            if !matches!(c, '.' | '!' | '?' | '…') {
                continue;
            }
            let before_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
            let abbreviation = c == '.'
                && right_after_word
                && (ABBREVIATIONS.contains(&last_word.as_str())
                    || (last_word == "p" && text_at(&chars, i + 1).starts_with(" ej")));
            if (c == '.' && before_digit) || abbreviation {
                continue;
            }
            if sentence_words > 0 {
                counts.sentences += 1;
                sentence_words = 0;
            }
        }
        add_word(&mut word, &mut last_word, &mut sentence_words);
        if sentence_words > 0 {
            counts.sentences += 1;
        }
    }
    counts
}

/// The text from char `i` on, a few chars of it.
fn text_at(chars: &[char], i: usize) -> String {
    chars.iter().skip(i).take(4).collect()
}

/// Szigriszt-Pazos's perspicuity, or `None` for a text with no words.
pub fn perspicuity(counts: &Counts) -> Option<f64> {
    if counts.words == 0 || counts.sentences == 0 {
        return None;
    }
    let words = counts.words as f64;
    Some(206.835 - 62.3 * (counts.syllables as f64 / words) - words / counts.sentences as f64)
}

/// The INFLESZ grade of a perspicuity score (Barrio-Cantalejo et al., 2008),
/// in Spanish as the scale names it.
pub fn inflesz(score: f64) -> &'static str {
    if score < 40.0 {
        "muy difícil"
    } else if score < 55.0 {
        "algo difícil"
    } else if score < 65.0 {
        "normal"
    } else if score <= 80.0 {
        "bastante fácil"
    } else {
        "muy fácil"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_follow_diphthong_and_hiatus() {
        let cases = [
            ("hoy", 1),
            ("muy", 1),
            ("y", 1),
            ("día", 2),
            ("ciudad", 2),
            ("leer", 2),
            ("poeta", 3),
            ("que", 1),
            ("guitarra", 3),
            ("pingüino", 3),
            ("confianza", 3),
            ("terapéutica", 5),
            ("reúne", 3),
            ("ahora", 3),
            ("buey", 1),
            ("empatía", 4),
            ("psicoterapia", 5),
            ("alianza", 3),
            ("huevo", 2),
            ("aire", 2),
            ("país", 2),
            ("metaanálisis", 6),
            ("correlación", 4),
            ("Confianza", 3),
            ("QUERER", 2),
        ];
        for (word, expected) in cases {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }

    #[test]
    fn odd_words_never_panic() {
        for word in ["", "q", "qu", "gü", "yy", "ÿ", "ß", "İ", "\u{0}", "ñ"] {
            let n = syllables(word);
            assert!(n <= word.chars().count().max(1), "{word}: {n}");
        }
        assert_eq!(counts(&["¿? ¡! … 1.314, 0.28."]), Counts::default());
        assert_eq!(perspicuity(&Counts::default()), None);
    }

    #[test]
    fn sentences_end_at_marks_and_paragraphs_not_abbreviations() {
        let c = counts(&[
            "En EE. UU. y en España, p. ej. con la Dra. Ruiz, etc. hay ayuda. ¿Sí? ¡Claro!",
            "La correlación fue de 0.28 en 1.314 casos",
        ]);
        assert_eq!(c.sentences, 4);
        assert_eq!(c.words, 22);
    }

    /// Passages with their figures from the reference script the Spanish
    /// edition was written with (`inflesz.py`: the same rules in Python),
    /// run on each passage's text: words, sentences, syllables and the
    /// perspicuity rounded to two decimals.
    const REFERENCE: [(&str, [usize; 3], f64); 3] = [
        (
            "La confianza crece despacio. Nadie tiene que contarlo todo en la primera sesión. Usted puede ir a su ritmo y decir qué le resulta difícil.",
            [25, 3, 46],
            83.87,
        ),
        (
            "La alianza terapéutica, entendida como el acuerdo sobre los objetivos y las tareas del tratamiento junto con el vínculo emocional entre paciente y terapeuta, predice de manera consistente los resultados de la psicoterapia en metaanálisis recientes.",
            [36, 1, 90],
            15.09,
        ),
        (
            "Hoy muchas personas buscan ayuda por internet. La terapia en línea puede ser tan útil como la presencial. Pregunte cómo se protegen sus datos. Si algo no le queda claro, dígalo.",
            [31, 4, 59],
            80.51,
        ),
    ];

    #[test]
    fn scores_agree_with_the_reference() {
        for (text, [w, s, y], expected) in REFERENCE {
            let c = counts(&[text]);
            assert_eq!([c.words, c.sentences, c.syllables], [w, s, y], "{text}");
            let p = perspicuity(&c).unwrap();
            assert!((p - expected).abs() < 0.01, "{p} vs {expected}: {text}");
        }
        assert_eq!(inflesz(83.87), "muy fácil");
        assert_eq!(inflesz(15.09), "muy difícil");
        assert_eq!(inflesz(80.0), "bastante fácil");
        assert_eq!(inflesz(60.0), "normal");
        assert_eq!(inflesz(54.9), "algo difícil");
    }
}
