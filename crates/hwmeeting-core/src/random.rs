//! Randomness for login nonces and retry jitter, from the operating system.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// 16 random bytes (a login nonce).
pub fn bytes16() -> [u8; 16] {
    let mut out = [0u8; 16];
    fill(&mut out);
    out
}

/// A random number in `[0, 1)` (retry jitter).
pub fn unit() -> f64 {
    let mut bytes = [0u8; 8];
    fill(&mut bytes);
    // The top 53 bits: every value of the result is equally likely.
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

fn fill(out: &mut [u8]) {
    if getrandom::getrandom(out).is_err() {
        // The OS refused, which practically never happens: still never the
        // same twice in a process (a counter) and not guessable from
        // outside it (the standard library's randomly keyed hasher).
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        for chunk in out.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
            let bytes = h.finish().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_differ_and_stay_in_range() {
        assert_ne!(bytes16(), bytes16());
        for _ in 0..1000 {
            let u = unit();
            assert!((0.0..1.0).contains(&u), "{u}");
        }
    }
}
