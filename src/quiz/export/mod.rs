//! Quiz exports for learning management systems: Moodle GIFT text
//! ([`gift()`]) and a QTI 2.1 content package ([`qti()`]).
//!
//! Both take the quizzes as `(title, quiz)` pairs, the title being the one the
//! handbook shows (an article quiz's default title is worked out by the pipeline).

pub mod gift;
pub mod qti;

pub use gift::gift;
pub use qti::qti;
