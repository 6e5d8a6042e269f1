//! `ona open`: verify and decrypt a sealed file; the output appears only if all verifies.
//!
//! Fails closed: the caller must say who may have sent the file (`--from`, `--directory`) or
//! explicitly accept anyone (`--any-sender`), and then is told the sender was not verified.

use crate::cmd::directory::trusted;
use crate::cmd::keygen::load;
use crate::fail::{CmdResult, Fail};
use ona_core::directory::{format_time, open_reader_checked, Directory, SenderPolicy};
use ona_core::seal::{Manifest, OpenError, SigningPublicKey};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `ona open`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The recipient's secret key file.
    #[arg(long)]
    key: PathBuf,
    /// Require this sender: a signing public key (onasig1...) or, with --directory, an
    /// organisation id.
    #[arg(long)]
    from: Option<String>,
    /// The network directory: the sender must be listed, unrevoked and valid when the export
    /// was made (trusted through the hub key pinned next to --key).
    #[arg(long)]
    directory: Option<PathBuf>,
    /// Accept a file from anyone (the output then says the sender is NOT verified).
    #[arg(long, conflicts_with_all = ["from", "directory"])]
    any_sender: bool,
    /// The sealed file.
    #[arg(long = "in")]
    input: PathBuf,
    /// Where to write the content.
    #[arg(long)]
    out: PathBuf,
    /// Overwrite an existing output.
    #[arg(long)]
    force: bool,
    /// Print the verified manifest as JSON on stdout.
    #[arg(long)]
    json: bool,
}

/// Opens `--in` into `--out` with `--key`, checking the sender as asked.
pub fn run(a: Args) -> CmdResult {
    super::refuse_dash_input(&a.input, "open reads the sealed file by name")?;
    super::check_outputs(&[&a.input, &a.key], &[&a.out], a.force)?;
    let directory = a.directory.as_deref().map(|d| trusted(d, Some(&a.key), None)).transpose()?;
    let policy = policy(&a, directory.as_ref())?;
    let id = load(&a.key)?;
    let (input, size) = super::open_input(&a.input)?;
    let bar = super::progress(size, "open");
    let opened = open_reader_checked(bar.wrap_read(input), &a.out, &id, &policy);
    bar.finish_and_clear();
    match opened {
        Ok(m) if a.json => {
            super::print_stdout(&format!("{}\n", json_output(&m, &a.out, &policy)))?;
            Ok(ExitCode::SUCCESS)
        }
        Ok(m) => {
            eprint!("{}", describe(&m, &policy));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            // The exit code is the core's decision for the error's class.
            let class = e.class();
            let message = match e {
                OpenError::Io(io) => format!("cannot open {}: {io}", a.input.display()),
                other => {
                    format!("{} does not verify: {other}; nothing was written", a.input.display())
                }
            };
            Err(Fail::of_class(class, message))
        }
    }
}

fn policy<'a>(a: &Args, directory: Option<&'a Directory>) -> Result<SenderPolicy<'a>, Fail> {
    let from_key = a
        .from
        .as_deref()
        .filter(|f| f.to_lowercase().starts_with("onasig1"))
        .map(|f| f.parse::<SigningPublicKey>().map_err(|e| Fail::usage(format!("--from {f}: {e}"))))
        .transpose()?;
    Ok(match (directory, from_key) {
        (Some(d), Some(k)) => {
            // A key given with a directory: the directory must list it; its organisation is
            // then the one required.
            let name = d
                .organisations
                .iter()
                .find(|e| e.signing_key == k.to_string())
                .map(|e| e.id.clone())
                .ok_or_else(|| {
                    Fail::invalid(format!("--from {k}: not in the network directory"))
                })?;
            SenderPolicy::Directory { directory: d, name: Some(name) }
        }
        (Some(d), None) => SenderPolicy::Directory { directory: d, name: a.from.clone() },
        (None, Some(k)) => SenderPolicy::Key(k),
        (None, None) if a.from.is_some() => {
            return Err(Fail::usage(format!(
                "--from {}: an organisation id needs --directory FILE",
                a.from.as_deref().unwrap_or_default()
            )))
        }
        (None, None) if a.any_sender => SenderPolicy::AnySender,
        (None, None) => {
            return Err(Fail::usage(
                "refusing to open without knowing who may have sent the file: give --directory \
                 FILE (the network directory), --from KEY, or --any-sender to accept anyone \
                 (the file may then come from anyone who knows your public key)",
            ))
        }
    })
}

/// What `open` tells the user on stderr.
fn describe(m: &Manifest, policy: &SenderPolicy<'_>) -> String {
    let ct = m.content_type.id();
    let mut text = match policy {
        SenderPolicy::AnySender => format!(
            "opened: {ct} export {} ({} records), content intact; sender NOT verified \
             (--any-sender): signed by {}, who may be anyone\n",
            m.export_id, m.record_count, m.sender
        ),
        _ => format!(
            "verified: {ct} export {} from {} ({} records)\n",
            m.export_id, m.sender, m.record_count
        ),
    };
    if let SenderPolicy::Directory { directory, .. } = policy {
        if let Ok(e) = directory.check_sender(&m.sender, m.created_at, None) {
            text.push_str(&format!(
                "sender: `{}` — {} ({}, {}), listed in directory serial {}\n",
                e.id, e.name, e.country, e.role, directory.serial
            ));
        }
    }
    text.push_str(&format!("created: {}\n", format_time(m.created_at)));
    if let (Some(d), Some(k)) = (&m.pseudonym_domain, &m.pseudonym_key_id) {
        text.push_str(&format!("pseudonym domain: {d} (key {k})\n"));
    }
    text
}

/// `ona open --json`: the verified manifest, whether the sender was checked, and where the
/// content went.
fn json_output(m: &Manifest, out: &Path, policy: &SenderPolicy<'_>) -> serde_json::Value {
    serde_json::json!({
        "verified": true,
        "sender_verified": !matches!(policy, SenderPolicy::AnySender),
        "out": out.display().to_string(),
        "manifest": m,
    })
}
