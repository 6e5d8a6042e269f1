//! `ona demo`: the whole standard end to end on a synthetic network, in one command.
//!
//! Centres in six countries record cases; each country validates its cases, pseudonymises them in
//! its own domain and seals the export to the regional hub, signed with its own key. The hub opens
//! every export checking the sender, builds each country's report and the merged regional report
//! with small-cell suppression, and writes JSON, SDMX-CSV, HXL CSV and HTML. Everything streams:
//! memory stays flat whatever the number of cases.

use super::{progress, write_output};
use crate::fail::{CmdResult, Fail};
use ona_core::atomic_file::AtomicFile;
use ona_core::pseudonym::{MasterKey, Policy, PseudoCase, Pseudonymiser};
use ona_core::report::{merge, Dimension, Indicator, Report, ReportBuilder, ReportSpec};
use ona_core::schema::{validate_case, Case, Lang};
use ona_core::seal::{open_file, seal_file, ContentType, Identity, Manifest};
use ona_synth::network::COUNTRIES;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
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
    /// Do not keep the centres' raw case files (for benchmarks: they are the largest output).
    #[arg(long)]
    no_case_files: bool,
}

/// One country's side of the demo.
struct Country {
    code: &'static str,
    identity: Identity,
    pseudonymiser: Pseudonymiser,
    domain: String,
    cases: Option<AtomicFile>,
    pseudo: AtomicFile,
    count: u64,
    invalid: u64,
}

const BATCH: u64 = 4096;

/// Runs `ona demo`.
pub fn run(a: Args) -> CmdResult {
    let started = Instant::now();
    let dir = |p: &str| a.out.join(p);
    for d in ["keys", "centres", "exports", "hub/inbox", "hub/reports"] {
        std::fs::create_dir_all(dir(d)).map_err(|e| Fail::io("create", &dir(d), e))?;
    }

    // Keys: the hub's identity, and each country's identity and pseudonymisation master key.
    let hub = Identity::generate();
    super::write_secret(&dir("keys/hub.key"), hub.to_secret_text().as_bytes())?;
    let mut countries = Vec::new();
    println!("Keys (secret keys in {}, owner-only):", dir("keys").display());
    println!("  {:<4} {:<66} signing public key", "who", "encryption public key");
    println!("  {:<4} {:<66} {}", "hub", hub.encryption_public(), hub.signing_public());
    for p in COUNTRIES {
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
        std::fs::create_dir_all(dir(&format!("centres/{cc}")))
            .map_err(|e| Fail::io("create", &a.out, e))?;
        let open = |name: &str| {
            let path = dir(&format!("centres/{cc}/{name}"));
            AtomicFile::create(&path).map_err(|e| Fail::io("create", &path, e))
        };
        countries.push(Country {
            code: p.code,
            identity,
            pseudonymiser,
            domain,
            cases: if a.no_case_files { None } else { Some(open("cases.jsonl")?) },
            pseudo: open("pseudo.jsonl")?,
            count: 0,
            invalid: 0,
        });
    }

    // Centres: generate, validate and pseudonymise every case, streaming, on every core.
    let bar = progress(a.cases, "centres");
    let workers = std::thread::available_parallelism().map(|n| n.get() as u64).unwrap_or(1);
    let mut next = 0;
    while next < a.cases {
        let ranges: Vec<(u64, u64)> = (0..workers)
            .map(|w| (next + w * BATCH, (next + (w + 1) * BATCH).min(a.cases)))
            .filter(|(s, e)| s < e)
            .collect();
        let outputs = std::thread::scope(|s| {
            let handles: Vec<_> = ranges
                .iter()
                .map(|&(start, end)| {
                    let countries = &countries;
                    let keep = !a.no_case_files;
                    s.spawn(move || centre_batch(a.seed, start, end, countries, keep))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().map_err(|_| Fail::usage("a worker thread failed")))
                .collect::<Vec<_>>()
        });
        for out in outputs {
            for (c, part) in countries.iter_mut().zip(out??) {
                if let Some(f) = c.cases.as_mut() {
                    f.write_all(&part.cases)
                        .map_err(|e| Fail::usage(format!("cannot write cases: {e}")))?;
                }
                c.pseudo
                    .write_all(&part.pseudo)
                    .map_err(|e| Fail::usage(format!("cannot write: {e}")))?;
                c.count += part.count;
                c.invalid += part.invalid;
            }
        }
        next = ranges.last().map(|r| r.1).unwrap_or(a.cases);
        bar.set_position(next);
    }
    bar.finish_and_clear();

    // Centres: seal each country's export to the hub, signed by the country.
    let mut rows = Vec::new();
    for c in countries {
        let cc = c.code.to_lowercase();
        if let Some(f) = c.cases {
            f.commit()
                .map_err(|e| Fail::io("write", &dir(&format!("centres/{cc}/cases.jsonl")), e))?;
        }
        let pseudo_path = dir(&format!("centres/{cc}/pseudo.jsonl"));
        c.pseudo.commit().map_err(|e| Fail::io("write", &pseudo_path, e))?;
        let mut manifest = Manifest::new(ContentType::Cases, c.count);
        manifest.pseudonym_domain = Some(c.domain.clone());
        manifest.pseudonym_key_id = Some(c.pseudonymiser.key_id().to_string());
        let export = dir(&format!("exports/{cc}.ona"));
        seal_file(&pseudo_path, &export, &manifest, &[hub.encryption_public()], &c.identity)
            .map_err(Fail::usage)?;
        rows.push((c.code, c.count, c.invalid, c.identity.signing_public(), export));
    }

    // Hub: open every export, checking who sent it, and build each country's report.
    let spec =
        ReportSpec { by: vec![Dimension::Country, Dimension::Quarter], ..ReportSpec::default() };
    let mut reports = Vec::new();
    let mut summary = Vec::new();
    for (code, count, invalid, sender, export) in rows {
        let cc = code.to_lowercase();
        let inbox = dir(&format!("hub/inbox/{cc}.jsonl"));
        let manifest = open_file(&export, &inbox, &hub, Some(&sender)).map_err(Fail::invalid)?;
        let report = report_file(&inbox, &spec)?;
        let path = dir(&format!("hub/reports/{cc}.json"));
        write_output(&path, |f| f.write_all(report.to_json().as_bytes()))?;
        let sealed = std::fs::metadata(&export).map(|m| m.len()).unwrap_or(0);
        summary.push((code, count, invalid, manifest.record_count, sealed, headline(&report)));
        reports.push(report);
    }
    let regional = merge(&reports).map_err(Fail::usage)?;
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
    for p in [
        "keys/",
        "centres/<cc>/pseudo.jsonl",
        "exports/<cc>.ona",
        "hub/inbox/<cc>.jsonl",
        "hub/reports/<cc>.json",
    ] {
        println!("  {}", a.out.join(p).display());
    }
    for (name, _) in &outputs {
        println!("  {}", dir(name).display());
    }
    Ok(ExitCode::SUCCESS)
}

/// What one worker produced for each country.
#[derive(Default)]
struct Part {
    cases: Vec<u8>,
    pseudo: Vec<u8>,
    count: u64,
    invalid: u64,
}

/// Generates cases `start..end`, validates and pseudonymises each in its country's domain.
fn centre_batch(
    seed: u64,
    start: u64,
    end: u64,
    countries: &[Country],
    keep_cases: bool,
) -> Result<Vec<Part>, Fail> {
    let mut parts: Vec<Part> = countries.iter().map(|_| Part::default()).collect();
    for i in start..end {
        let case: Case = ona_synth::case(seed, i);
        let Some(k) = countries.iter().position(|c| c.code == case.centre.country) else {
            continue;
        };
        let part = &mut parts[k];
        part.count += 1;
        if keep_cases {
            serde_json::to_writer(&mut part.cases, &case).map_err(Fail::usage)?;
            part.cases.push(b'\n');
        }
        if validate_case(&case).is_err() {
            part.invalid += 1;
            continue;
        }
        let pseudo: PseudoCase =
            countries[k].pseudonymiser.pseudonymise(&case).map_err(Fail::usage)?;
        serde_json::to_writer(&mut part.pseudo, &pseudo).map_err(Fail::usage)?;
        part.pseudo.push(b'\n');
    }
    Ok(parts)
}

/// Builds a report from a JSON Lines file of pseudonymised cases, streaming.
fn report_file(path: &Path, spec: &ReportSpec) -> Result<Report, Fail> {
    let file = std::fs::File::open(path).map_err(|e| Fail::io("open", path, e))?;
    let mut builder = ReportBuilder::new(spec).map_err(Fail::usage)?;
    for (n, line) in BufReader::with_capacity(1 << 20, file).lines().enumerate() {
        let line = line.map_err(|e| Fail::io("read", path, e))?;
        let case: PseudoCase = serde_json::from_str(&line)
            .map_err(|e| Fail::invalid(format!("{}: line {}: {e}", path.display(), n + 1)))?;
        builder.add(&case);
    }
    builder.finish().map_err(Fail::usage)
}

/// Women served and the share of children with their mother at exit, as published (a
/// suppressed cell shows as `suppressed`).
fn headline(r: &Report) -> (String, String) {
    let show = |i: Indicator| {
        r.cell(i, &[]).map_or("—".to_string(), |o| {
            o.value.as_ref().map_or("suppressed".into(), |v| v.to_string())
        })
    };
    (show(Indicator::WomenServed), show(Indicator::ShareWithMotherAtExit))
}
