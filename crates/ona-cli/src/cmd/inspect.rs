//! `ona inspect`: what can be told about a sealed file without a key, and with `--key` its
//! manifest (not verified: that is `ona open`'s work).

use crate::cmd::keygen::load;
use crate::fail::{CmdResult, Fail};
use ona_core::directory::format_time;
use ona_core::seal::{inspect, Opener, MAX_HEADER_LEN};
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

/// Prints version, suite, recipient count, header and payload sizes; with `key`, the manifest
/// (header MAC checked, content and signature not); with `json`, all of it as JSON on stdout.
pub fn run(path: &Path, key: Option<&Path>, json: bool) -> CmdResult {
    let f = std::fs::File::open(path).map_err(|e| Fail::io("read", path, e))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = Vec::new();
    f.take(MAX_HEADER_LEN as u64).read_to_end(&mut head).map_err(|e| Fail::io("read", path, e))?;
    let info = inspect(&head).map_err(|e| Fail::invalid(format!("{}: {e}", path.display())))?;
    let manifest = match key {
        None => None,
        Some(k) => {
            let id = load(k)?;
            let f = std::fs::File::open(path).map_err(|e| Fail::io("read", path, e))?;
            let o = Opener::new(f, &id, None)
                .map_err(|e| Fail::invalid(format!("{}: {e}", path.display())))?;
            Some(o.manifest().clone())
        }
    };
    if json {
        let mut v = json_output(&info, size);
        if let Some(m) = &manifest {
            v["manifest"] = serde_json::json!(m);
        }
        super::print_stdout(&format!("{v}\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut text = format!("format: ona sealed export, version {}\n", info.version);
    text.push_str(&format!("suite: {:#06x} (HPKE X25519/HKDF-SHA256/ChaCha20-Poly1305, STREAM ChaCha20-Poly1305 64 KiB, Ed25519)\n", info.suite));
    text.push_str(&format!("recipients: {}\n", info.recipients));
    text.push_str(&format!("header bytes: {}\n", info.header_len));
    text.push_str(&format!("payload bytes: {}\n", size.saturating_sub(info.header_len as u64)));
    match &manifest {
        None => text.push_str(
            "not verified: the header MAC, contents and sender need a recipient key (ona open)\n",
        ),
        Some(m) => {
            text.push_str(&format!("content: {}\n", m.content_type.id()));
            text.push_str(&format!("records: {}\n", m.record_count));
            text.push_str(&format!(
                "pseudonym domain: {}\n",
                m.pseudonym_domain.as_deref().unwrap_or("-")
            ));
            text.push_str(&format!(
                "pseudonym key id: {}\n",
                m.pseudonym_key_id.as_deref().unwrap_or("-")
            ));
            text.push_str(&format!("export id: {}\n", m.export_id));
            text.push_str(&format!("created: {}\n", format_time(m.created_at)));
            text.push_str(&format!("sender (claimed): {}\n", m.sender));
            text.push_str("not verified: header MAC and manifest checked; the content and the sender's signature are checked only by ona open\n");
        }
    }
    super::print_stdout(&text)?;
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
