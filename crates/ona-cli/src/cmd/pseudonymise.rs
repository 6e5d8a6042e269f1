//! `ona pseudonymise`: validated cases in, pseudonymised cases out, with optional k-anonymity.

use crate::fail::{CmdResult, Fail};
use ona_core::atomic_file::AtomicFile;
use ona_core::pseudonym::{
    k_anonymise, MasterKey, Policy, PseudoCase, Pseudonymiser, QuasiIdentifier,
};
use ona_core::schema::{validate_json, Lang};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona pseudonymise`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Pseudonymisation master key file (from `ona pseudonym-key`).
    #[arg(long)]
    key: PathBuf,
    /// Pseudonymisation domain: scope and purpose, e.g. `kz/case-management`.
    #[arg(long)]
    domain: String,
    /// Policy file (TOML or JSON); the built-in default follows the disclosure classes.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Make the output k-anonymous over the quasi-identifiers (local suppression).
    #[arg(long)]
    k: Option<usize>,
    /// Quasi-identifiers for --k, comma-separated, most identifying first.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "mother_admin1,citizenship,residence_status,marital_status,age_band"
    )]
    qi: Vec<String>,
    /// With --k, also require l distinct relinquishment intents in every group.
    #[arg(long)]
    l: Option<usize>,
    /// Case records (JSON Lines).
    #[arg(long = "in")]
    input: PathBuf,
    /// Pseudonymised records (JSON Lines).
    #[arg(long)]
    out: PathBuf,
}

/// Runs `ona pseudonymise`.
pub fn run(a: Args) -> CmdResult {
    let key_text =
        std::fs::read_to_string(&a.key).map_err(|e| Fail::io("read key file", &a.key, e))?;
    let master = MasterKey::from_key_file(&key_text)
        .map_err(|e| Fail::usage(format!("{}: {e}", a.key.display())))?;
    let policy = match &a.policy {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| Fail::io("read policy", p, e))?;
            Policy::from_text(&text).map_err(|e| Fail::usage(format!("{}: {e}", p.display())))?
        }
        None => Policy::default(),
    };
    let qis: Vec<QuasiIdentifier> =
        a.qi.iter().map(|q| q.parse()).collect::<Result<_, _>>().map_err(Fail::usage)?;
    let ps = Pseudonymiser::new(&master, &a.domain, policy).map_err(Fail::usage)?;
    let file = std::fs::File::open(&a.input).map_err(|e| Fail::io("open", &a.input, e))?;
    // Without --k each record is written as it is made; with --k all are needed before any can be
    // released. Either way the file appears only when complete (AtomicFile).
    let mut records: Vec<PseudoCase> = Vec::new();
    let mut out = AtomicFile::create(&a.out).map_err(|e| Fail::io("create", &a.out, e))?;
    out.shareable().map_err(|e| Fail::io("set permissions of", &a.out, e))?;
    let write = |out: &mut AtomicFile, p: &PseudoCase| -> Result<(), Fail> {
        serde_json::to_writer(&mut *out, p).map_err(|e| Fail::io("write", &a.out, e.into()))?;
        out.write_all(b"\n").map_err(|e| Fail::io("write", &a.out, e))
    };
    for (n, line) in BufReader::with_capacity(1 << 20, file).lines().enumerate() {
        let line = line.map_err(|e| Fail::io("read", &a.input, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let case = validate_json(&line).map_err(|e| {
            Fail::invalid(format!(
                "{} line {}: invalid record, nothing written:\n  {}",
                a.input.display(),
                n + 1,
                e.render(Lang::En).join("\n  ")
            ))
        })?;
        let p = ps.pseudonymise(&case).map_err(Fail::usage)?;
        if a.k.is_some() {
            records.push(p);
        } else {
            write(&mut out, &p)?;
        }
    }
    if let Some(k) = a.k {
        let report = k_anonymise(&mut records, k, &qis, a.l);
        for r in &records {
            write(&mut out, r)?;
        }
        eprintln!("{report}");
    }
    out.flush().and_then(|_| out.commit()).map_err(|e| Fail::io("write", &a.out, e))?;
    eprintln!(
        "pseudonymised in domain {} (key id {}), wrote {}",
        ps.domain(),
        ps.key_id(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
