//! `uniffi-bindgen`, pinned to the same uniffi version as `ona-uniffi`.
fn main() {
    uniffi::uniffi_bindgen_main()
}
