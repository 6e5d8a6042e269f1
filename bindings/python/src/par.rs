//! Running a function over a slice on every core, results in input order. Callers release the
//! GIL around it; the work itself never touches Python objects.

/// `f` applied to each item, split into one contiguous part per core, in input order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    if workers < 2 || items.len() < 256 {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let part = items.len().div_ceil(workers);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(part)
            .enumerate()
            .map(|(k, chunk)| {
                s.spawn(move || {
                    chunk.iter().enumerate().map(|(i, t)| f(k * part + i, t)).collect::<Vec<R>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
