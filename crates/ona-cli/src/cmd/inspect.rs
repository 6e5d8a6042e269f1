//! `ona inspect`: what can be told about a sealed file without a key.

use crate::fail::{CmdResult, Fail};
use ona_core::seal::{inspect, MAX_HEADER_LEN};
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

/// Prints version, suite, recipient count, header and payload sizes.
pub fn run(path: &Path, json: bool) -> CmdResult {
    let f = std::fs::File::open(path).map_err(|e| Fail::io("read", path, e))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = Vec::new();
    f.take(MAX_HEADER_LEN as u64).read_to_end(&mut head).map_err(|e| Fail::io("read", path, e))?;
    let info = inspect(&head).map_err(|e| Fail::invalid(format!("{}: {e}", path.display())))?;
    if json {
        super::print_stdout(&format!("{}\n", json_output(&info, size)))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("format: ona sealed export, version {}", info.version);
    println!("suite: {:#06x} (HPKE X25519/HKDF-SHA256/ChaCha20-Poly1305, STREAM ChaCha20-Poly1305 64 KiB, Ed25519)", info.suite);
    println!("recipients: {}", info.recipients);
    println!("header bytes: {}", info.header_len);
    println!("payload bytes: {}", size.saturating_sub(info.header_len as u64));
    println!("not verified: the header MAC, contents and sender need a recipient key (ona open)");
    Ok(ExitCode::SUCCESS)
}

/// `ona inspect --json`: the same facts as the text output.
fn json_output(info: &ona_core::seal::HeaderInfo, size: u64) -> serde_json::Value {
    serde_json::json!({
        "version": info.version,
        "suite": info.suite,
        "recipients": info.recipients,
        "header_bytes": info.header_len,
        "payload_bytes": size.saturating_sub(info.header_len as u64),
        "verified": false,
    })
}
