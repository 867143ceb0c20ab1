//! Trellis: a static site generator for psychoeducation handbooks.
//!
//! A handbook is a folder with `handbook.yaml`, markdown articles in parts,
//! a glossary and quizzes. [`site::Site::load`] reads and checks it all;
//! [`site::Site::build`] renders it through the theme's templates and writes
//! the site; both are stages of the [`pipeline`]. See ARCHITECTURE.md for
//! the map.

#![forbid(unsafe_code)]

pub mod build_cache;
pub mod check;
pub mod citations;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod epub;
pub mod escape;
pub mod frontmatter;
pub mod glossary;
pub mod import;
pub mod inline;
pub mod links;
pub mod markdown;
pub mod output;
mod parallel;
pub mod pipeline;
pub mod print_parts;
pub mod progress;
pub mod quiz;
pub mod read_ahead;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod suggest;
#[cfg(test)]
mod test_random;
pub mod text_file;
pub mod theme;
pub mod theme_strings;
pub mod yaml;

pub(crate) use parallel::{waiting_on_disk, PAR_LEAF};
