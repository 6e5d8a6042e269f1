//! `ona pseudonymise`: validated cases in, pseudonymised cases out, with optional k-anonymity.

use crate::fail::{CmdResult, Fail};
use ona_core::atomic_file::AtomicFile;
use ona_core::pseudonym::{
    k_anonymise, MasterKey, Policy, PseudoCase, Pseudonymiser, QuasiIdentifier,
};
use ona_core::schema::{validate_json, Lang};
use ona_core::text_lines::{LineError, TextLines};
use std::io::{BufReader, Write};
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
    /// Case records (JSON Lines); `-` for standard input.
    #[arg(long = "in")]
    input: PathBuf,
    /// Pseudonymised records (JSON Lines), written owner-only (mode 0600).
    #[arg(long)]
    out: PathBuf,
    /// Overwrite an existing output.
    #[arg(long)]
    force: bool,
    /// Print a machine-readable summary (domain, key id, records, risk report) on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs `ona pseudonymise`.
pub fn run(a: Args) -> CmdResult {
    let mut inputs = vec![a.input.as_path(), a.key.as_path()];
    inputs.extend(a.policy.as_deref());
    super::check_outputs(&inputs, &[&a.out], a.force)?;
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
    let (file, size) = super::open_input(&a.input)?;
    let bar = super::progress(size, "pseudonymise");
    let file = bar.wrap_read(file);
    // Without --k each record is written as it is made; with --k all are needed before any can be
    // released. Either way the file appears only when complete (AtomicFile).
    let mut records: Vec<PseudoCase> = Vec::new();
    let mut out = AtomicFile::create(&a.out).map_err(|e| Fail::io("create", &a.out, e))?;
    let write = |out: &mut AtomicFile, p: &PseudoCase| -> Result<(), Fail> {
        serde_json::to_writer(&mut *out, p).map_err(|e| Fail::io("write", &a.out, e.into()))?;
        out.write_all(b"\n").map_err(|e| Fail::io("write", &a.out, e))
    };
    let mut lines = TextLines::new(BufReader::with_capacity(1 << 20, file));
    let mut count = 0u64;
    while let Some((n, line)) = lines.next_line().map_err(|e| match e {
        LineError::Io(io) => Fail::io("read", &a.input, io),
        other => Fail::invalid(format!("{}: {other}; nothing written", a.input.display())),
    })? {
        if line.trim().is_empty() {
            continue;
        }
        count += 1;
        let case = validate_json(line).map_err(|e| {
            Fail::invalid(format!(
                "{} line {n}: invalid record, nothing written:\n  {}",
                a.input.display(),
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
    bar.finish_and_clear();
    let mut risk = None;
    if let Some(k) = a.k {
        let report = k_anonymise(&mut records, k, &qis, a.l);
        for r in &records {
            write(&mut out, r)?;
        }
        if !a.json {
            eprintln!("{report}");
        }
        risk = Some(report);
    }
    out.flush().and_then(|_| out.commit()).map_err(|e| Fail::io("write", &a.out, e))?;
    if a.json {
        let summary = serde_json::json!({
            "domain": ps.domain(),
            "key_id": ps.key_id().to_string(),
            "records_in": count,
            "records_out": risk.as_ref().map(|r| r.records_out as u64).unwrap_or(count),
            "out": a.out.display().to_string(),
            "risk": risk,
        });
        super::print_stdout(&format!("{summary}\n"))?;
    } else if !super::quiet() {
        eprintln!(
            "pseudonymised in domain {} (key id {}), wrote {}",
            ps.domain(),
            ps.key_id(),
            a.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
