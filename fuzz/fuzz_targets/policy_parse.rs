//! The policy parser (TOML or JSON) must never panic, and a policy it accepts must pass its own
//! checks again.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ona_core::pseudonym::Policy;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(policy) = Policy::from_text(text) {
        policy.checked().expect("an accepted policy passes its checks");
    }
});
