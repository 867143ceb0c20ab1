//! The content model and how it is read from disk.

pub mod discover;
pub mod model;
pub mod translations;

pub use discover::{discover, quiz_stem, DiscoverOptions};
pub use model::{Article, ArticleId, Asset, Entry, Handbook, Part, PartId};
