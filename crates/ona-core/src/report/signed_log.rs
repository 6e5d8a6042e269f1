//! An append-only JSON Lines file, locked while open, whose lines are authenticated by an
//! HMAC-SHA256 chain: each line's MAC covers the previous line's MAC and the line itself (with
//! its `mac` field empty), under a key the hub holds ([`LedgerKey`]). Shared by the
//! privacy-budget ledger ([`super::dp::ledger`]) and the release log ([`super::release_log`]).
//!
//! The file holds an exclusive lock (`fs4`) from [`SignedLog::open`] until it is dropped, so a
//! run reads, decides and appends under one lock. Editing, removing, inserting or reordering a
//! line breaks the chain and is found by whoever verifies the lines on the next open; deleting
//! the whole file, or cutting its last lines, is not (a local file cannot prove it is the
//! latest).

use super::dp::LedgerKey;
use super::population::Population;
use ring::hmac;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A line of a signed log: a JSON object with a `mac` field (hex), empty while signing.
pub(crate) trait Signed: Serialize + DeserializeOwned + Clone {
    /// The line's MAC, in hex.
    fn mac(&self) -> &str;
    /// Sets the line's MAC.
    fn set_mac(&mut self, mac: String);
}

/// The first line of a signed log: what it is, whose, and under which key it was written.
pub(crate) trait SignedHeader: Signed {
    /// The file format id (e.g. `ona-ledger/1`).
    fn format(&self) -> &str;
    /// The population the log belongs to.
    fn population(&self) -> &Population;
    /// The id of the key the log was written under.
    fn ledger_key(&self) -> &str;
}

/// Reads and checks a log's header line: its format, the key it was written under, its MAC and
/// its population. `noun` names the log in messages ("ledger", "release log").
pub(crate) fn read_header<H: SignedHeader>(
    log: &mut SignedLog,
    first: &str,
    format: &str,
    key: &LedgerKey,
    population: &Population,
    noun: &str,
) -> Result<H, String> {
    let header: H =
        serde_json::from_str(first).map_err(|e| format!("line 1 is not a {noun} header: {e}"))?;
    if header.format() != format {
        return Err(format!("unknown format {:?}", header.format()));
    }
    if header.ledger_key() != key.id() {
        return Err(format!(
            "written under ledger key {}, but the key given is {}",
            header.ledger_key(),
            key.id()
        ));
    }
    if !log.verify(&header) {
        return Err(format!("line 1 (header) does not verify: the {noun} was altered"));
    }
    if header.population() != population {
        return Err(format!(
            "this is the {noun} of population {}, not {population}",
            header.population()
        ));
    }
    Ok(header)
}

/// The bytes a line's MAC covers: its JSON form with the `mac` field empty.
fn body<T: Signed>(line: &T) -> Vec<u8> {
    let mut l = line.clone();
    l.set_mac(String::new());
    serde_json::to_vec(&l).unwrap_or_default()
}

fn mac_of(key: &hmac::Key, prev: &[u8], body: &[u8]) -> Vec<u8> {
    let mut c = hmac::Context::with_key(key);
    c.update(&(prev.len() as u64).to_be_bytes());
    c.update(prev);
    c.update(body);
    c.sign().as_ref().to_vec()
}

/// Lower-case hex of `b`.
pub(crate) fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len() / 2).map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()).collect()
}

/// An open, locked signed log (see the module docs).
#[derive(Debug)]
pub(crate) struct SignedLog {
    path: PathBuf,
    file: File,
    key: hmac::Key,
    /// MAC of the last line verified or appended (empty before the first).
    last_mac: Vec<u8>,
}

impl SignedLog {
    /// Opens (creating it, owner-only, if missing) the log at `path`, waits for its exclusive
    /// lock, and returns it with its non-blank lines and their 1-based line numbers. Nothing is
    /// verified yet: the caller verifies each line in order with [`SignedLog::verify`].
    pub(crate) fn open(
        path: &Path,
        key: &LedgerKey,
    ) -> Result<(SignedLog, Vec<(usize, String)>), String> {
        let mut opts = OpenOptions::new();
        opts.read(true).append(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut file = opts.open(path).map_err(|e| e.to_string())?;
        fs4::FileExt::lock(&file).map_err(|e| format!("cannot lock: {e}"))?;
        let mut text = String::new();
        file.read_to_string(&mut text).map_err(|e| e.to_string())?;
        let lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| (n + 1, l.to_string()))
            .collect();
        let log =
            SignedLog { path: path.to_path_buf(), file, key: key.hmac(), last_mac: Vec::new() };
        Ok((log, lines))
    }

    /// Whether `line`, read as the next line of the chain, carries the right MAC; if so the
    /// chain moves past it.
    pub(crate) fn verify<T: Signed>(&mut self, line: &T) -> bool {
        let mac = mac_of(&self.key, &self.last_mac, &body(line));
        let ok = from_hex(line.mac()).as_deref() == Some(&mac[..]);
        if ok {
            self.last_mac = mac;
        }
        ok
    }

    /// Signs `line` as the next line of the chain, appends it and syncs it to disk.
    pub(crate) fn append<T: Signed>(&mut self, line: &mut T) -> Result<(), String> {
        let mac = mac_of(&self.key, &self.last_mac, &body(line));
        line.set_mac(to_hex(&mac));
        let text = serde_json::to_string(line).map_err(|e| e.to_string())?;
        self.append_text(&text).map_err(|e| format!("cannot append: {e}"))?;
        self.last_mac = mac;
        Ok(())
    }

    fn append_text(&mut self, line: &str) -> std::io::Result<()> {
        // A file cut mid-line by a crash is completed with a newline first.
        let len = self.file.seek(SeekFrom::End(0))?;
        let mut buf = Vec::with_capacity(line.len() + 2);
        if len > 0 {
            let mut last = [0u8; 1];
            self.file.seek(SeekFrom::End(-1))?;
            self.file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                buf.push(b'\n');
            }
        }
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
        self.file.write_all(&buf)?;
        self.file.sync_data()
    }

    /// The log's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}
