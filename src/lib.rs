//! Trellis: a static site generator for psychoeducation handbooks.
//!
//! A handbook is a folder with `handbook.yaml`, markdown articles in parts,
//! a glossary and quizzes. [`site::Site::load`] reads and checks it all;
//! [`site::Site::build`] renders it through the theme's templates and writes
//! the site. See ARCHITECTURE.md for the map.

pub mod config;
pub mod diagnostic;
pub mod frontmatter;
pub mod inline;
pub mod suggest;
pub mod yaml;
