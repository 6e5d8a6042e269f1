//! The header parser must never panic, whatever the bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = ona_core::seal::inspect(data) {
        assert!(info.header_len <= ona_core::seal::MAX_HEADER_LEN);
        assert!(info.recipients >= 1 && info.recipients <= ona_core::seal::MAX_RECIPIENTS);
    }
});
