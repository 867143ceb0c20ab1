//! Quizzes: `*.quiz.yaml` files read and checked ([`parse()`]), turned into
//! page data for the theme's quiz templates ([`page`]), and exported for
//! learning management systems as Moodle GIFT or a QTI 2.1 package
//! ([`export`]).
//!
//! The pipeline owns discovery (which quiz belongs to which article) and the
//! resolution of `review:` links; this module never touches the file system.

pub mod export;
pub mod load;
pub mod model;
pub mod order;
pub mod page;
pub mod parse;

pub use model::{Choice, Kind, Pair, Question, Quiz, TYPE_NAMES};
pub use parse::parse;
