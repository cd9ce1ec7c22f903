//! parallel: one helper that spreads per-article work over the machine's cores, for the
//! command line (the browser's wasm has one thread, and never compiles this).
//!
//! Invariant: results come back in item order, so the output never depends on how many
//! threads ran or how the work was split.

/// `f` over `items` on `threads` threads, results in item order; None when a thread failed.
/// Threads take batches from a shared counter, so a run of long articles does not leave
/// one thread working alone. (rayon would do the same; one function does not need it.)
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: &(dyn Fn(&T) -> R + Sync)) -> Option<Vec<R>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    const BATCH: usize = 16;
    let next = AtomicUsize::new(0);
    let parts = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut done: Vec<(usize, Vec<R>)> = Vec::new();
                    loop {
                        let start = next.fetch_add(BATCH, Ordering::Relaxed);
                        match items.get(start..items.len().min(start.saturating_add(BATCH))) {
                            Some(batch) if !batch.is_empty() => done.push((start, batch.iter().map(f).collect())),
                            _ => return done,
                        }
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().ok()).collect::<Option<Vec<_>>>()
    })?;
    let mut batches: Vec<(usize, Vec<R>)> = parts.into_iter().flatten().collect();
    batches.sort_unstable_by_key(|(start, _)| *start);
    Some(batches.into_iter().flat_map(|(_, r)| r).collect())
}

/// `work` on a thread of its own while `here` runs on this one: one stage of a pipeline
/// overlapping the next. `work`'s result is None when its thread failed.
pub fn alongside<A: Send, B>(work: impl FnOnce() -> A + Send, here: impl FnOnce() -> B) -> (Option<A>, B) {
    std::thread::scope(|s| {
        let job = s.spawn(work);
        let b = here();
        (job.join().ok(), b)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_on_any_thread_count() {
        let items: Vec<usize> = (0..1000).collect();
        for threads in [0, 1, 2, 7] {
            assert_eq!(super::map(&items, threads, &|x| x * 2), Some(items.iter().map(|x| x * 2).collect()));
        }
        assert_eq!(super::map(&[] as &[usize], 2, &|x| *x), Some(Vec::new()));
    }

    #[test]
    fn alongside_returns_both_and_survives_a_failed_thread() {
        assert_eq!(super::alongside(|| 2 + 2, || "here"), (Some(4), "here"));
        let (failed, here) = super::alongside(|| -> u8 { panic!("a worker fails") }, || 7);
        assert_eq!((failed, here), (None, 7));
    }
}
