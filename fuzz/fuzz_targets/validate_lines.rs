//! `ona validate`'s path: lines read as people have them (BOM, encodings, CSV, long lines), then
//! each validated. Nothing may panic; a record that validates must serialise and validate again.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ona_core::schema::validate_json;
use ona_core::text_lines::TextLines;

fuzz_target!(|data: &[u8]| {
    let mut lines = TextLines::new(data);
    while let Ok(Some((_, line))) = lines.next_line() {
        if let Ok(case) = validate_json(line) {
            let again = serde_json::to_string(&case).expect("a valid case serialises");
            validate_json(&again).expect("a valid case validates again");
        }
    }
});
