//! The pipeline: a handbook folder to a site, as named stages that
//! `build`, `serve`, `check` and the exports all drive.
//!
//! ```text
//! load (load.rs)                                 build (build.rs)
//!   1 config     handbook.yaml -> Config           output checked, e-book's errors
//!   2 discover   content/ -> Handbook              theme and templates
//!   3 parse      glossary, references (beside 2)   staging folder
//!   4 index      every page's source -> LinkIndex  produce (produce.rs) -> Writer (write.rs)
//!   5 quizzes    quiz files, review links          static files
//!   6 resolve    markdown -> HTML; anchors checked swap
//! ```
//!
//! [`load::load`] returns a [`crate::site::Site`], or what could be read
//! with the problems (`check` looks at both); [`crate::site::Site::load`]
//! is its result. The producer ([`produce::Producer`]) makes the pages of a
//! [`produce::Selection`] (the whole site, one article's page, the print
//! page …) and hands each to a [`write::Writer`]: `build`'s staging folder,
//! or `serve`'s preview folder, which runs it on one edited article for a
//! quick edit.

pub mod build;
pub mod edit;
pub mod load;
pub mod produce;
pub mod unchanged;
pub mod write;
