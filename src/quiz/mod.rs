//! Quizzes: `*.quiz.yaml` files read and checked ([`parse()`]) and exported
//! for learning management systems as Moodle GIFT or a QTI 2.1 package
//! ([`export`]). Their page data is rendering's (`render::quiz_page`).
//!
//! Discovery finds the quiz files and which article each belongs to;
//! [`load`] reads and parses them and resolves their `review:` links
//! against the pipeline's link index; [`order`] says in which order readers
//! see each question's choices.

pub mod export;
pub mod load;
pub mod model;
pub mod order;
pub mod parse;

pub use model::{Choice, Kind, Pair, Question, Quiz, TYPE_NAMES};
pub use parse::parse;
