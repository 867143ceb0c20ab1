//! Trellis: a static site generator for psychoeducation handbooks.
//!
//! A handbook is a folder with `handbook.yaml`, markdown articles in parts,
//! a glossary and quizzes. [`site::Site::load`] reads and checks it all;
//! [`site::Site::build`] renders it through the theme's templates and writes
//! the site; both are stages of the [`pipeline`]. See ARCHITECTURE.md for
//! the map.

#![forbid(unsafe_code)]

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
pub mod pipeline;
pub mod progress;
pub mod quiz;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod suggest;
#[cfg(test)]
mod test_random;
pub mod text_file;
pub mod theme;
pub mod theme_strings;
pub mod yaml;

/// The most items (articles, pages, search documents) one rayon task works
/// through without splitting. Rayon splits a list into a few large pieces
/// and cannot share out a piece once a thread is in it, so on two cores
/// one thread could be left rendering a quarter of the articles while the
/// other waited (about 200 ms at 10,000 articles); pieces this small keep
/// both busy to the end, for a negligible cost per piece.
pub(crate) const PAR_LEAF: usize = 16;

/// Runs `work` (rayon work that waits on the disk: reading many files,
/// making many folders) on more threads than there are cores. A thread
/// waits for each file not in the page cache, as in the first build after
/// a restart, and for each block of the file system's tables that making a
/// folder reads; more threads keep the disk busy (discover at 10,000
/// articles: 650 to 290 ms with a cold cache, the same with a warm one).
/// The pool is made once and kept, so `serve`'s reloads do not start new
/// threads each time.
pub(crate) fn waiting_on_disk<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    static DISK_POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = DISK_POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(4 * rayon::current_num_threads())
            .thread_name(|i| format!("trellis-disk-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}
