//! The settings of the allocator that the generator's binary (and the benchmark's baseline,
//! `examples/bare_parse.rs`) declares as global: mimalloc, version 2.
//!
//! A run of the generator lives for 30 to 40 milliseconds, allocates about 117 MB in a million
//! blocks on about 15 short-lived threads, and never holds more than 12 MB at once
//! (`valgrind --tool=dhat`). Two of mimalloc's defaults cost such a run time, measured with the
//! two binaries alternated run by run (BENCHMARKS.md, generator):
//!
//! - **Version 3**, the mimalloc crate's default, spreads the threads' pages over
//!   more memory: 84 MB resident against version 2's 45 MB. Every page touched first is zeroed by
//!   the kernel, in 2 MB steps where transparent huge pages are on, so the difference is system
//!   time.
//! - **Purging**: freed memory is handed back to the kernel after 10 ms, and touched (and zeroed)
//!   again when the next thread allocates. In a process this short nothing is gained by handing
//!   memory back, so [`configure`] turns purging off.

/// mimalloc 2's `mi_option_purge_delay`, which libmimalloc-sys does not name: its index in the
/// `mi_option_t` enumeration of `c_src/mimalloc/v2/include/mimalloc.h` (the crate's
/// `mi_option_eager_commit_delay` is 14, and `mi_option_use_numa_nodes` 16).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const _: () = assert!(
    libmimalloc_sys::mi_option_eager_commit_delay + 1 == PURGE_DELAY
        && PURGE_DELAY + 1 == libmimalloc_sys::mi_option_use_numa_nodes
);

/// Sets the allocator up for a short run: freed memory is kept for reuse rather than handed back
/// to the kernel. Called first thing in `main`; it only changes how memory is recycled, never
/// what a program computes.
pub fn configure() {
    // SAFETY: `mi_option_set` only stores a value in mimalloc's table of options, which mimalloc
    // reads atomically; any thread may call it at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index is mimalloc 2's purge delay: its default is 10 ms, and setting it is what
    /// `mi_option_get` then reads. (Tests use the system allocator, but mimalloc's table of
    /// options is linked in all the same.)
    #[test]
    fn the_purge_delay_is_the_option_configure_sets() {
        // SAFETY: reads of mimalloc's table of options.
        let before = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        configure();
        let after = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(after, -1);
        // mimalloc reads its options' defaults from the environment.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(before, 10);
        }
    }
}
