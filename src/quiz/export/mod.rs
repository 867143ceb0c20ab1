//! Quiz exports for learning management systems: Moodle GIFT text
//! ([`gift()`]) and a QTI 2.1 content package ([`qti()`]).
//!
//! Both take the quizzes as `(title, quiz)` pairs, the title being the one the
//! handbook shows (an article quiz's default title is worked out by the pipeline).

pub mod gift;
pub mod qti;

pub use gift::gift;
pub use qti::qti;

use super::load::SiteQuiz;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Moodle GIFT text.
    Gift,
    /// A QTI 2.1 content package (zip).
    Qti,
}

impl Format {
    /// The file written when no `--output` is given.
    pub fn default_file_name(self) -> &'static str {
        match self {
            Format::Gift => "quizzes.gift",
            Format::Qti => "quizzes-qti.zip",
        }
    }
}

/// The export of a handbook's quizzes (as loaded by the pipeline), in order.
pub fn export_site(quizzes: &[SiteQuiz], format: Format) -> std::io::Result<Vec<u8>> {
    let pairs: Vec<(&str, &super::Quiz)> = quizzes
        .iter()
        .map(|q| (q.title.as_str(), &q.quiz))
        .collect();
    match format {
        Format::Gift => Ok(gift(&pairs).into_bytes()),
        Format::Qti => qti(&pairs),
    }
}
