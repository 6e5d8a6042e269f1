//! `ona seal`: encrypt and sign a file for one or more recipients. As `cases`, only
//! pseudonymised records are sealed, and their domain and key id go into the manifest.

use crate::cmd::directory::trusted;
use crate::cmd::keygen::load;
use crate::fail::{CmdResult, Fail};
use ona_core::directory::now;
use ona_core::exchange::{sealing_manifest, ContentError};
use ona_core::seal::{seal_to_file, ContentType, EncryptionPublicKey};
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ona seal`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Recipient: an encryption public key (onaenc1...) or, with --directory, an organisation
    /// id; repeat for several.
    #[arg(long = "to", required = true)]
    to: Vec<String>,
    /// The sender's secret key file.
    #[arg(long)]
    sign: PathBuf,
    /// The file to seal.
    #[arg(long = "in")]
    input: PathBuf,
    /// The sealed output (.ona).
    #[arg(long)]
    out: PathBuf,
    /// What the file holds: cases (pseudonymised records only: JSON Lines of `ona
    /// pseudonymise` or packed) or report.
    #[arg(long, default_value = "cases")]
    content: String,
    /// The network directory, to name recipients by id (trusted through the hub key pinned
    /// next to the --sign key file).
    #[arg(long)]
    directory: Option<PathBuf>,
    /// Overwrite an existing output.
    #[arg(long)]
    force: bool,
}

/// Seals `--in` into `--out` for `--to`, signed by `--sign`.
pub fn run(a: Args) -> CmdResult {
    super::refuse_dash_input(&a.input, "seal reads its input twice (to check, then to seal)")?;
    super::check_outputs(&[&a.input, &a.sign], &[&a.out], a.force)?;
    let content_type: ContentType = a.content.parse().map_err(Fail::usage)?;
    let directory = a.directory.as_deref().map(|d| trusted(d, Some(&a.sign), None)).transpose()?;
    let at = now();
    let recipients = a
        .to
        .iter()
        .map(|t| {
            if t.starts_with("onaenc1") || t.starts_with("ONAENC1") {
                return t.parse::<EncryptionPublicKey>().map_err(|e| Fail::usage(format!("--to {t}: {e}")));
            }
            let d = directory.as_ref().ok_or_else(|| {
                Fail::usage(format!("--to {t}: not an encryption key (onaenc1...); to name an organisation give --directory"))
            })?;
            d.recipient(t, at).map_err(|e| Fail::usage(format!("--to {t}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sender = load(&a.sign)?;
    if let Some(d) = &directory {
        if let Err(e) = d.check_sender(&sender.signing_public().to_string(), at, None) {
            eprintln!(
                "ona: warning: recipients checking the directory will refuse this export: {e}"
            );
        }
    }
    let file = std::fs::File::open(&a.input).map_err(|e| Fail::io("read", &a.input, e))?;
    let manifest = sealing_manifest(content_type, BufReader::new(file), None, None, None).map_err(
        |e| match e {
            ContentError::Io(io) => Fail::io("read", &a.input, io),
            other => Fail::of_class(
                other.class(),
                format!(
                    "{}: cannot seal as cases: {other}; nothing was written",
                    a.input.display()
                ),
            ),
        },
    )?;
    let (input, size) = super::open_input(&a.input)?;
    let bar = super::progress(size, "seal");
    seal_to_file(&mut bar.wrap_read(input), &a.out, &manifest, &recipients, &sender)
        .map_err(|e| Fail::usage(format!("cannot seal: {e}")))?;
    bar.finish_and_clear();
    Ok(ExitCode::SUCCESS)
}
