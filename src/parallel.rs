//! How work is shared out over threads, for speed only: lists cut into
//! small pieces so no core idles at the end of a step ([`PAR_LEAF`]), and
//! a pool of more threads than cores for work that waits on the disk
//! ([`waiting_on_disk`]). Without either the build does the same work in
//! the same order of results; docs/performance.md has what each buys.

/// The most items (articles, pages, search documents) one rayon task works
/// through without splitting. Rayon splits a list into a few large pieces
/// and cannot share out a piece once a thread is in it, so on two cores
/// one thread could be left rendering a quarter of the articles while the
/// other waited; pieces this small keep both busy to the end, for a
/// negligible cost per piece.
pub(crate) const PAR_LEAF: usize = 16;

/// Runs `work` (rayon work that waits on the disk: reading many files,
/// making many folders) on more threads than there are cores. A thread
/// waits for each file not in the page cache, as in the first build after
/// a restart, and for each block of the file system's tables that making a
/// folder reads; more threads keep the disk busy (with a warm cache they
/// change nothing).
///
/// The pool is made for each call and its threads end with it. Kept, its
/// idle threads would keep what they had allocated (the articles read, in
/// the allocator's pages of those threads) from the threads that render,
/// which could not reuse it once freed: a kept pool cost a build of 10,000
/// articles 20 to 100 MB of peak memory. Starting the threads takes well
/// under a millisecond.
pub(crate) fn waiting_on_disk<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4 * rayon::current_num_threads())
        .thread_name(|i| format!("trellis-disk-{i}"))
        .build();
    match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}
