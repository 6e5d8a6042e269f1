//! The opener must never panic, and must never accept bytes it did not seal.
//!
//! The input is spliced after a valid header for a fixed identity half of the time, so the
//! fuzzer reaches the payload, manifest and signature code, not only the header checks.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ona_core::seal::{open, seal_deterministic_for_tests, ContentType, Identity, Manifest};
use std::sync::OnceLock;

fn fixture() -> &'static (Identity, Vec<u8>) {
    static F: OnceLock<(Identity, Vec<u8>)> = OnceLock::new();
    F.get_or_init(|| {
        let id = Identity::from_seed_for_tests(b"fuzz");
        let mut m = Manifest::new(ContentType::Cases, 1);
        m.export_id = "0".repeat(32);
        let s = seal_deterministic_for_tests(b"{}\n", &m, &[id.encryption_public()], &id, b"fuzz").unwrap();
        (id, s)
    })
}

fuzz_target!(|data: &[u8]| {
    let (id, valid) = fixture();
    let input = match data.split_first() {
        Some((&b, rest)) if b & 1 == 1 => {
            let mut v = valid[..188].to_vec();
            v.extend_from_slice(rest);
            v
        }
        _ => data.to_vec(),
    };
    if let Ok(o) = open(&input, id, None) {
        // Only the genuine file opens.
        assert_eq!(input, *valid);
        assert_eq!(o.plaintext, b"{}\n");
    }
});
