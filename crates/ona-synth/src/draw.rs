//! The random draws every part of a synthetic case uses: a generator per stream of the seed,
//! and a weighted choice.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The generator of stream `stream` of `seed`.
pub(crate) fn rng_for(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// One of `items`, drawn with its weight.
pub(crate) fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}
