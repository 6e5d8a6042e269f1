//! `ona demo`: the whole standard end to end on a synthetic network, in one command.
//!
//! Centres in six countries record cases; each country validates its cases, pseudonymises them in
//! its own domain and seals the export to the regional hub, signed with its own key. The hub opens
//! every export checking the sender against the network directory it signed, builds each country's report and the merged regional report
//! with small-cell suppression, and writes JSON, SDMX-CSV, HXL CSV and HTML. Everything streams:
//! memory stays flat whatever the number of cases.

mod centres;
mod hub;

use super::{progress, write_output};
use crate::fail::{CmdResult, Fail};
use ona_core::pseudonym::{MasterKey, Policy, Pseudonymiser};
use ona_core::report::{Dimension, Indicator, Report, ReportSpec};
use ona_core::schema::Lang;
use ona_core::seal::Identity;
use ona_synth::network::COUNTRIES;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `ona demo`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where to write everything (created if missing).
    #[arg(long, default_value = "demo-out")]
    out: PathBuf,
    /// Number of synthetic cases across the network.
    #[arg(long, default_value_t = 60_000)]
    cases: u64,
    /// Seed of the synthetic network.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Keep no case files in the clear — neither the centres' case and pseudonymised files nor
    /// the hub's opened copies — only keys, sealed exports and reports (for benchmarks: the case
    /// files are the largest output by far).
    #[arg(long)]
    no_case_files: bool,
    /// Replace a demo already in --out (its keys, exports and reports).
    #[arg(long)]
    force: bool,
}

/// Runs `ona demo`.
pub fn run(a: Args) -> CmdResult {
    let started = Instant::now();
    // Keys listed in the directory are valid from before any export is made.
    let since = ona_core::directory::now();
    let dir = |p: &str| a.out.join(p);
    let keep = !a.no_case_files;
    let previous = dir("keys/hub.key");
    if previous.exists() && !a.force {
        return Err(Fail::usage(format!(
            "{} holds a demo already (its keys are in {}); use --force to replace it, or \
             another --out (nothing was changed)",
            a.out.display(),
            dir("keys").display()
        )));
    }
    let dirs: &[&str] = if keep {
        &["keys", "centres", "exports", "hub/inbox", "hub/reports"]
    } else {
        &["keys", "exports", "hub/reports"]
    };
    for d in dirs {
        std::fs::create_dir_all(dir(d)).map_err(|e| Fail::io("create", &dir(d), e))?;
    }
    let codes: Vec<&'static str> = COUNTRIES.iter().map(|p| p.code).collect();
    let expected = centres::count_cases(a.seed, a.cases, &codes);

    // Keys: the hub's identity, and each country's identity and pseudonymisation master key.
    let hub = Identity::generate();
    super::write_secret(&dir("keys/hub.key"), hub.to_secret_text().as_bytes())?;
    let mut countries = Vec::new();
    println!("Keys (secret keys in {}, owner-only):", dir("keys").display());
    println!("  {:<4} {:<66} signing public key", "who", "encryption public key");
    println!("  {:<4} {:<66} {}", "hub", hub.encryption_public(), hub.signing_public());
    for (p, expected) in COUNTRIES.iter().zip(expected) {
        let cc = p.code.to_lowercase();
        let identity = Identity::generate();
        super::write_secret(&dir(&format!("keys/{cc}.key")), identity.to_secret_text().as_bytes())?;
        let master = MasterKey::generate();
        super::write_secret(
            &dir(&format!("keys/{cc}-pseudonym.key")),
            master.to_key_file().as_bytes(),
        )?;
        let domain = format!("{cc}/regional-report-2026");
        let pseudonymiser =
            Pseudonymiser::new(&master, &domain, Policy::default()).map_err(Fail::usage)?;
        println!(
            "  {:<4} {:<66} {}",
            p.code,
            identity.encryption_public(),
            identity.signing_public()
        );
        countries.push(centres::Country { code: p.code, identity, pseudonymiser, expected });
    }

    // The network directory, signed by the hub: who may send exports (its hub key is pinned
    // next to keys/hub.key, as `ona directory init` does).
    write_directory(&hub, &countries, since, &dir("directory.json"), &dir("keys/hub.key"))?;

    // Centres: generate, validate, pseudonymise and pack every case on every core, sealing each
    // country's records into its export to the hub as they come.
    let bar = progress(a.cases, "centres");
    let hub_key = [hub.encryption_public()];
    let sealed =
        centres::run(a.seed, a.cases, &countries, &hub_key, &a.out, keep, |n| bar.set_position(n))?;
    bar.finish_and_clear();
    let mut exports = Vec::new();
    for c in &countries {
        let cc = c.code.to_lowercase();
        let inbox = keep.then(|| dir(&format!("hub/inbox/{cc}.jsonl")));
        exports.push(hub::Export { path: dir(&format!("exports/{cc}.ona")), sender: cc, inbox });
    }

    // Hub: open every export, checking who sent it, and build each country's report from the
    // opened records as they stream out.
    let spec =
        ReportSpec { by: vec![Dimension::Country, Dimension::Quarter], ..ReportSpec::default() };
    let directory =
        super::directory::trusted(&dir("directory.json"), Some(&dir("keys/hub.key")), None)?;
    let received = hub::receive_all(&exports, &hub, &directory, &spec)?;
    let mut summary = Vec::new();
    for (((c, export), arrival), records) in
        countries.iter().zip(&exports).zip(&received.arrivals).zip(sealed)
    {
        let path = dir(&format!("hub/reports/{}.json", c.code.to_lowercase()));
        write_output(&path, |f| f.write_all(arrival.report.to_json().as_bytes()))?;
        let size = std::fs::metadata(&export.path).map(|m| m.len()).unwrap_or(0);
        // An invalid case fails the whole run (export_many), so a finished run has none.
        let invalid = 0;
        summary.push((
            c.code,
            records,
            invalid,
            arrival.manifest.record_count,
            size,
            headline(&arrival.report),
        ));
    }
    let regional = received.merged;
    let outputs = [
        ("hub/regional.json", regional.to_json()),
        ("hub/regional.sdmx.csv", regional.to_sdmx_csv()),
        ("hub/regional.hxl.csv", regional.to_hxl_csv()),
        ("hub/regional.html", regional.to_html(Lang::En)),
    ];
    for (name, text) in &outputs {
        write_output(&dir(name), |f| f.write_all(text.as_bytes()))?;
    }

    // Summary.
    let secs = started.elapsed().as_secs_f64();
    println!();
    println!(
        "{:<8} {:>9} {:>8} {:>9} {:>12} {:>14} {:>16}",
        "country", "cases", "invalid", "opened", "sealed KiB", "women served", "kept at exit %"
    );
    for (code, count, invalid, opened, sealed, (women, kept)) in &summary {
        println!(
            "{code:<8} {count:>9} {invalid:>8} {opened:>9} {:>12} {women:>14} {kept:>16}",
            sealed / 1024
        );
    }
    let total: u64 = summary.iter().map(|r| r.1).sum();
    let (women, kept) = headline(&regional);
    println!("{:<8} {total:>9} {:>8} {:>9} {:>12} {women:>14} {kept:>16}", "region", "", "", "");
    println!();
    println!("{total} cases in {secs:.1} s ({:.0} cases/s). Wrote:", total as f64 / secs.max(1e-9));
    let mut wrote = vec!["keys/", "directory.json"];
    if keep {
        wrote.push("centres/<cc>/pseudo.jsonl");
    }
    wrote.push("exports/<cc>.ona");
    if keep {
        wrote.push("hub/inbox/<cc>.jsonl");
    }
    wrote.push("hub/reports/<cc>.json");
    for p in wrote {
        println!("  {}", a.out.join(p).display());
    }
    for (name, _) in &outputs {
        println!("  {}", dir(name).display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the network directory listing the hub and each country's organisation key, signed by
/// the hub, and pins the hub's key next to its key file.
fn write_directory(
    hub: &Identity,
    countries: &[centres::Country],
    at: u64,
    path: &std::path::Path,
    hub_key: &std::path::Path,
) -> Result<(), Fail> {
    use ona_core::directory::{pin_path_for_key, Directory, Entry, Pin, Role};
    let refused = |e: ona_core::directory::DirectoryError| Fail::usage(format!("directory: {e}"));
    let mut d = Directory::init("Mother's Home demo network", hub, "hub", "Regional hub", "TR", at)
        .map_err(refused)?;
    for c in countries {
        let entry = Entry {
            id: c.code.to_lowercase(),
            name: format!("Centres of {}", c.code),
            country: c.code.to_string(),
            role: Role::Centre,
            encryption_key: c.identity.encryption_public().to_string(),
            signing_key: c.identity.signing_public().to_string(),
            valid_from: at,
            valid_until: None,
            revoked_at: None,
        };
        d = d.add(entry, at).map_err(refused)?;
    }
    let bytes = d.sign(hub).map_err(refused)?;
    write_output(path, |f| f.write_all(&bytes))?;
    let pin = pin_path_for_key(hub_key);
    let mut p = Pin::new(&hub.signing_public());
    p.serial = d.serial;
    p.save(&pin).map_err(|e| Fail::io("write", &pin, e))
}

/// Women served and the share of children with their mother at exit, as published (a
/// suppressed cell shows as `suppressed`, a missing one as `n/a`).
fn headline(r: &Report) -> (String, String) {
    let show = |i: Indicator| {
        r.cell(i, &[]).map_or("—".to_string(), |o| match &o.value {
            Some(v) => v.to_string(),
            None if o.is_missing() => "n/a".into(),
            None => "suppressed".into(),
        })
    };
    (show(Indicator::WomenServed), show(Indicator::ShareWithMotherAtExit))
}
