//! Which readability formula a language's prose is scored with, and the
//! warnings its figures give: English with Flesch–Kincaid
//! ([`super::readability`]), Spanish with Szigriszt-Pazos's perspicuity on
//! the INFLESZ scale ([`super::spanish`]). A language with neither is not
//! scored: formulas fitted to one language's words and sentences say
//! nothing true of another's.

use std::path::Path;

use serde::Serialize;

use super::readability::{Counts, Scores};
use super::report::round;
use super::spanish;
use crate::config::Targets;
use crate::diagnostic::{Code, Diagnostic};

/// A readability formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Formula {
    /// Flesch–Kincaid grade, with Flesch reading ease and SMOG (English).
    FleschKincaid,
    /// Szigriszt-Pazos's perspicuity, read on the INFLESZ scale (Spanish).
    SzigrisztPazos,
}

impl Formula {
    /// The formula for prose in `language` (a BCP 47 tag), by its primary
    /// language: `en` and `es`; `None` for any other.
    pub fn for_language(language: &str) -> Option<Formula> {
        let primary = language.split('-').next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Formula::FleschKincaid),
            "es" => Some(Formula::SzigrisztPazos),
            _ => None,
        }
    }

    /// Its name for people.
    pub fn name(self) -> &'static str {
        match self {
            Formula::FleschKincaid => "Flesch–Kincaid",
            Formula::SzigrisztPazos => "Szigriszt-Pazos (INFLESZ)",
        }
    }
}

/// One article's prose measured in its language.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The language of the prose.
    pub language: String,
    /// The formula it was scored with (`None`: not scored).
    pub formula: Option<Formula>,
    /// Words, sentences and syllables, counted by the language's rules
    /// (English's when it has no formula).
    pub counts: Counts,
    /// Flesch–Kincaid and the others (only with [`Formula::FleschKincaid`]).
    pub scores: Option<Scores>,
    /// Szigriszt-Pazos's perspicuity (only with [`Formula::SzigrisztPazos`]).
    pub perspicuity: Option<f64>,
    /// The grade above which a grade formula warns.
    pub max_grade: f64,
    /// The grade below which a grade formula warns.
    pub min_grade: Option<f64>,
    /// The score below which a score formula warns (only with a score formula).
    pub min_score: Option<f64>,
}

impl Measured {
    /// Measures `paragraphs` of prose in `language` against `targets`;
    /// `extra_grades` are added to the grade target (`for-students`).
    pub fn of<S: AsRef<str>>(
        paragraphs: &[S],
        language: &str,
        targets: Targets,
        extra_grades: f64,
    ) -> Measured {
        let formula = Formula::for_language(language);
        let counts = match formula {
            Some(Formula::SzigrisztPazos) => spanish::counts(paragraphs),
            _ => Counts::of(paragraphs),
        };
        let spanish = formula == Some(Formula::SzigrisztPazos);
        Measured {
            language: language.to_string(),
            formula,
            counts,
            scores: counts
                .scores()
                .filter(|_| formula == Some(Formula::FleschKincaid)),
            perspicuity: spanish::perspicuity(&counts).filter(|_| spanish),
            max_grade: targets.target_grade + extra_grades,
            min_grade: targets.min_grade,
            min_score: spanish.then_some(targets.min_score),
        }
    }

    /// The `readability` warnings at `file`: a grade above the target or
    /// below the floor, a score below the target. `limit` describes the
    /// grade target in the message (`8`, or how a `for-students` one is made).
    pub fn warnings(&self, file: &Path, limit: &str) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        if let Some(grade) = self.scores.map(|s| round(s.flesch_kincaid_grade, 1)) {
            if let Some(floor) = self.min_grade.filter(|floor| grade < *floor) {
                found.push(
                    Code::Readability.warning(
                        file,
                        0,
                        0,
                        format!("reading grade {grade:.1} (Flesch–Kincaid) is below the floor of {}", number(floor)),
                    )
                    .with_help("many very short sentences read as clipped: join some with and, but, so or because; `readability.min_grade` in handbook.yaml sets the floor"),
                );
            }
            if grade > self.max_grade {
                found.push(
                    Code::Readability.warning(
                        file,
                        0,
                        0,
                        format!("reading grade {grade:.1} (Flesch–Kincaid) is above the target of {limit}"),
                    )
                    .with_help("shorter sentences and everyday words bring it down; only paragraphs are measured (see docs/check.md)"),
                );
            }
        }
        if let (Some(score), Some(min)) = (self.perspicuity.map(|p| round(p, 1)), self.min_score) {
            if score < min {
                found.push(
                    Code::Readability.warning(
                        file,
                        0,
                        0,
                        format!(
                            "perspicuity {score:.1} (Szigriszt-Pazos, INFLESZ \"{}\") is below the target of {}",
                            spanish::inflesz(score),
                            number(min)
                        ),
                    )
                    .with_help(format!(
                        "shorter sentences and shorter everyday words raise it; only paragraphs are measured (see docs/check.md); `languages: {{ {}: {{ readability: {{ min_score: … }} }} }}` in handbook.yaml sets the target",
                        self.language
                    )),
                );
            }
        }
        found
    }
}

/// 8.0 -> "8", 8.5 -> "8.5".
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(min_score: f64) -> Targets {
        Targets {
            target_grade: 8.0,
            min_grade: None,
            min_score,
        }
    }

    #[test]
    fn each_language_gets_its_formula_or_none() {
        assert_eq!(Formula::for_language("en"), Some(Formula::FleschKincaid));
        assert_eq!(Formula::for_language("en-GB"), Some(Formula::FleschKincaid));
        assert_eq!(
            Formula::for_language("es-419"),
            Some(Formula::SzigrisztPazos)
        );
        assert_eq!(Formula::for_language("ar"), None);
        assert_eq!(Formula::for_language("est"), None);
    }

    #[test]
    fn spanish_prose_below_its_target_is_flagged_with_its_grade() {
        let hard = ["La alianza terapéutica, entendida como el acuerdo sobre los objetivos y las tareas del tratamiento junto con el vínculo emocional entre paciente y terapeuta, predice de manera consistente los resultados de la psicoterapia en metaanálisis recientes."];
        let m = Measured::of(&hard, "es", targets(65.0), 0.0);
        assert_eq!(m.formula, Some(Formula::SzigrisztPazos));
        assert_eq!(m.scores, None);
        let found = m.warnings(Path::new("x.es.md"), "8");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "perspicuity 15.1 (Szigriszt-Pazos, INFLESZ \"muy difícil\") is below the target of 65"
        );
        let easy = ["La confianza crece despacio. Nadie tiene que contarlo todo en la primera sesión. Usted puede ir a su ritmo y decir qué le resulta difícil."];
        let m = Measured::of(&easy, "es", targets(65.0), 0.0);
        assert!(m.warnings(Path::new("x.es.md"), "8").is_empty());
    }

    #[test]
    fn a_language_without_a_formula_gets_no_figures_and_no_warnings() {
        let m = Measured::of(&["نص قصير جدا هنا."], "ar", targets(65.0), 0.0);
        assert_eq!((m.formula, m.scores, m.perspicuity), (None, None, None));
        assert!(m.warnings(Path::new("x.ar.md"), "8").is_empty());
    }
}
