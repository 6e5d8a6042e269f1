//! The packed decoder must never panic, whatever the bytes, and must stay within its caps: every
//! record it returns is one it could encode again, and memory stays bounded (libFuzzer's
//! `-rss_limit_mb` fails the run otherwise).
#![no_main]
use libfuzzer_sys::fuzz_target;
use ona_core::exchange::packed::{PackedReader, PackedWriter, MAGIC};

fuzz_target!(|data: &[u8]| {
    // Half the inputs get the magic, so the fuzzer spends its time inside blocks.
    let input = match data.split_first() {
        Some((&b, rest)) if b & 1 == 1 => [MAGIC, rest].concat(),
        _ => data.to_vec(),
    };
    let Ok(reader) = PackedReader::new(&input[..]) else { return };
    let mut out = PackedWriter::new(Vec::new()).unwrap();
    for record in reader {
        match record {
            Ok(case) => out.write(&case).expect("a decoded record encodes again"),
            Err(_) => break,
        }
    }
});
