//! Independent pieces of work spread over the machine's cores, results in the pieces' order.
//!
//! The generator's stages are sequential, but inside three of them the work splits into pieces
//! that need nothing from each other: the YAML text of the spec (`load::chunks`), the typed parse
//! of its path items and schemas (`lower::parse`) and the rendering of the SDK's files (`emit`).
//! They share this one pool so that all are spread and ordered the same way, which keeps the output
//! a deterministic function of the input however the threads are scheduled.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Applies `f` to every item on as many threads as the machine has cores, each thread taking the
/// next unclaimed item, and returns the results in the items' order. `None` when a thread panicked
/// (a generator bug, which the caller reports as an error rather than a crash).
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Option<Vec<R>> {
    let workers = cores().min(items.len());
    if workers <= 1 {
        let all = std::panic::AssertUnwindSafe(|| items.iter().map(&f).collect());
        return std::panic::catch_unwind(all).ok();
    }
    let next = AtomicUsize::new(0);
    let (next, f) = (&next, &f);
    let per_thread: Vec<Option<Vec<(usize, R)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break out };
                        out.push((i, f(item)));
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    let mut done: Vec<(usize, R)> = per_thread
        .into_iter()
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    done.sort_by_key(|(i, _)| *i);
    Some(done.into_iter().map(|(_, r)| r).collect())
}

/// The machine's cores, asked once: `available_parallelism` reads the cgroup's CPU quota files on
/// every call, and a run asks for every pool it starts.
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Frees `value` on a thread of its own. A spec's tree, its typed parse and its IR are each hundreds
/// of thousands of small allocations, and freeing one takes about a millisecond that the thread
/// going on to the next stage need not wait for. Nothing waits for the freeing thread: when the
/// process ends first, the memory goes back with it.
pub fn drop_elsewhere<T: Send + 'static>(value: T) {
    // A thread that cannot be started leaves the value to be freed here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = map(&items, |n| n * n);
        assert_eq!(squares, Some(items.iter().map(|n| n * n).collect()));
    }

    #[test]
    fn no_items_give_no_results() {
        assert_eq!(map(&[] as &[u8], |b| *b), Some(Vec::new()));
    }

    #[test]
    fn a_panicking_piece_is_reported_not_propagated() {
        let items: Vec<u32> = (0..64).collect();
        let out = map(&items, |n| if *n == 40 { panic!("piece 40") } else { *n });
        assert_eq!(out, None);
        assert_eq!(
            map(&items[..1], |_| -> u32 { panic!("the only piece") }),
            None
        );
    }
}
