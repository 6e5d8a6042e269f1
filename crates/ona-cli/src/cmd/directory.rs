//! `ona directory`: the network directory signed by the hub (docs/directory.md), and how the
//! other commands load it with the hub key pinned next to a key file.

use crate::cmd::keygen::load;
use crate::fail::{CmdResult, Fail};
use ona_core::atomic_file::AtomicFile;
use ona_core::directory::{
    format_time, now, parse_time, pin_path_for_key, Directory, Entry, Pin, Role,
};
use ona_core::seal::{EncryptionPublicKey, SigningPublicKey};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `ona directory`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// Create a directory listing the hub itself, signed by the hub's key (pins it next to the key).
    Init {
        /// The hub's secret key file (signs the directory).
        #[arg(long)]
        key: PathBuf,
        /// Where to write the directory.
        #[arg(long)]
        out: PathBuf,
        /// Name of the network.
        #[arg(long)]
        network: String,
        /// The hub's id in the directory.
        #[arg(long, default_value = "hub")]
        id: String,
        /// The hub's full name.
        #[arg(long)]
        name: String,
        /// The hub's country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: String,
        /// Overwrite an existing directory file.
        #[arg(long)]
        force: bool,
    },
    /// Add an organisation (new serial, signed by the hub).
    Add {
        #[command(flatten)]
        edit: Edit,
        /// The organisation's id: the name used with --to and --from.
        #[arg(long)]
        id: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: String,
        /// centre, hub or analyst.
        #[arg(long)]
        role: String,
        /// Encryption public key (onaenc1..., first line of `ona pubkey`).
        #[arg(long)]
        enc: String,
        /// Signing public key (onasig1..., second line of `ona pubkey`).
        #[arg(long)]
        sig: String,
        /// Start of validity: now, YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or seconds.
        #[arg(long, default_value = "now")]
        valid_from: String,
        /// End of validity (excluded), if any.
        #[arg(long)]
        valid_until: Option<String>,
    },
    /// Revoke every key of an organisation (compromised or left the network).
    Revoke {
        #[command(flatten)]
        edit: Edit,
        /// The organisation's id.
        #[arg(long)]
        id: String,
        /// When.
        #[arg(long, default_value = "now")]
        at: String,
    },
    /// Give an organisation new keys: the current ones end, the new ones start, at --at.
    Rotate {
        #[command(flatten)]
        edit: Edit,
        /// The organisation's id.
        #[arg(long)]
        id: String,
        /// New encryption public key.
        #[arg(long)]
        enc: String,
        /// New signing public key.
        #[arg(long)]
        sig: String,
        /// When.
        #[arg(long, default_value = "now")]
        at: String,
    },
    /// Verify a directory's signature and serial against the pinned hub key.
    Verify {
        #[command(flatten)]
        trust: Trust,
    },
    /// List the organisations and the state of their keys now.
    List {
        #[command(flatten)]
        trust: Trust,
    },
    /// Pin the hub's signing key next to a key file (get the key from the hub in person).
    Pin {
        /// Your secret key file; the pin is written next to it (KEY.pin).
        #[arg(long)]
        key: PathBuf,
        /// The hub's signing public key (onasig1...).
        #[arg(long)]
        hub: String,
    },
}

/// The directory to edit and the hub key that signs the edit.
#[derive(clap::Args, Debug)]
struct Edit {
    /// The directory file (replaced by the new edition, atomically).
    #[arg(long)]
    directory: PathBuf,
    /// The hub's secret key file.
    #[arg(long)]
    key: PathBuf,
}

/// A directory to read and whom to trust for it.
#[derive(clap::Args, Debug)]
struct Trust {
    /// The directory file.
    #[arg(long)]
    directory: PathBuf,
    /// Your secret key file: the hub key pinned next to it (KEY.pin) is trusted.
    #[arg(long, required_unless_present = "hub")]
    key: Option<PathBuf>,
    /// Trust this hub signing key instead (no rollback check: nothing remembers the serial).
    #[arg(long)]
    hub: Option<String>,
}

/// Runs `ona directory`.
pub fn run(a: Args) -> CmdResult {
    match a.command {
        Sub::Init { key, out, network, id, name, country, force } => {
            if out.exists() && !force {
                return Err(Fail::usage(format!(
                    "{} exists; use --force to replace it",
                    out.display()
                )));
            }
            let hub = load(&key)?;
            let d = Directory::init(&network, &hub, &id, &name, &country, now())
                .map_err(|e| Fail::usage(format!("cannot create the directory: {e}")))?;
            save(&d, &out, &key)?;
            println!("{}: serial 1, signed by {}", out.display(), hub.signing_public());
            Ok(ExitCode::SUCCESS)
        }
        Sub::Add { edit, id, name, country, role, enc, sig, valid_from, valid_until } => {
            let role: Role = role.parse().map_err(Fail::usage)?;
            let entry = Entry {
                id,
                name,
                country,
                role,
                encryption_key: key_arg::<EncryptionPublicKey>("--enc", &enc)?.to_string(),
                signing_key: key_arg::<SigningPublicKey>("--sig", &sig)?.to_string(),
                valid_from: time_arg("--valid-from", &valid_from)?,
                valid_until: valid_until.map(|t| time_arg("--valid-until", &t)).transpose()?,
                revoked_at: None,
            };
            edit_with(&edit, |d| d.add(entry, now()))
        }
        Sub::Revoke { edit, id, at } => {
            let at = time_arg("--at", &at)?;
            edit_with(&edit, |d| d.revoke(&id, at))
        }
        Sub::Rotate { edit, id, enc, sig, at } => {
            let at = time_arg("--at", &at)?;
            let enc = key_arg::<EncryptionPublicKey>("--enc", &enc)?;
            let sig = key_arg::<SigningPublicKey>("--sig", &sig)?;
            edit_with(&edit, |d| d.rotate(&id, &enc, &sig, at))
        }
        Sub::Verify { trust } => {
            let d = trusted(&trust.directory, trust.key.as_deref(), trust.hub.as_deref())?;
            println!(
                "verified: {} directory `{}`, serial {}, issued {}, {} keys, signed by {}",
                trust.directory.display(),
                d.network,
                d.serial,
                format_time(d.issued_at),
                d.organisations.len(),
                d.signer
            );
            Ok(ExitCode::SUCCESS)
        }
        Sub::List { trust } => {
            let d = trusted(&trust.directory, trust.key.as_deref(), trust.hub.as_deref())?;
            let t = now();
            let mut text = format!(
                "{} — serial {}, issued {}\n",
                d.network,
                d.serial,
                format_time(d.issued_at)
            );
            text.push_str(&format!(
                "{:<16} {:<7} {:<8} {:<14} {:<21} {:<21} {:<66} signing key\n",
                "id", "country", "role", "status", "valid from", "valid until", "encryption key"
            ));
            for e in &d.organisations {
                text.push_str(&format!(
                    "{:<16} {:<7} {:<8} {:<14} {:<21} {:<21} {:<66} {}\n",
                    e.id,
                    e.country,
                    e.role,
                    e.status_at(t).to_string(),
                    format_time(e.valid_from),
                    e.valid_until.map_or_else(|| "-".into(), format_time),
                    e.encryption_key,
                    e.signing_key
                ));
            }
            super::print_stdout(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Sub::Pin { key, hub } => {
            let hub = key_arg::<SigningPublicKey>("--hub", &hub)?;
            load(&key)?;
            let path = pin_path_for_key(&key);
            if let Some(old) = Pin::load(&path).map_err(Fail::usage)? {
                if old.hub != hub.to_string() {
                    return Err(Fail::usage(format!(
                        "{} already pins hub {}; delete it first to trust another hub",
                        path.display(),
                        old.hub
                    )));
                }
                return Ok(ExitCode::SUCCESS);
            }
            Pin::new(&hub).save(&path).map_err(|e| Fail::io("write", &path, e))?;
            println!("pinned hub {hub} in {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn key_arg<K: std::str::FromStr<Err = ona_core::seal::KeyError>>(
    flag: &str,
    text: &str,
) -> Result<K, Fail> {
    text.parse().map_err(|e| Fail::usage(format!("{flag} {text}: {e}")))
}

fn time_arg(flag: &str, text: &str) -> Result<u64, Fail> {
    parse_time(text).map_err(|e| Fail::usage(format!("{flag}: {e}")))
}

/// Writes a signed edition to `out` and raises the pin next to the hub's key file.
fn save(d: &Directory, out: &Path, key: &Path) -> Result<(), Fail> {
    let hub = load(key)?;
    let bytes = d.sign(&hub).map_err(|e| Fail::usage(format!("cannot sign the directory: {e}")))?;
    let mut f = AtomicFile::create(out).map_err(|e| Fail::io("create", out, e))?;
    f.shareable().map_err(|e| Fail::io("set permissions of", out, e))?;
    f.write_all(&bytes).map_err(|e| Fail::io("write", out, e))?;
    f.commit().map_err(|e| Fail::io("write", out, e))?;
    let pin_path = pin_path_for_key(key);
    let mut pin =
        Pin::load(&pin_path).map_err(Fail::usage)?.unwrap_or(Pin::new(&hub.signing_public()));
    pin.serial = pin.serial.max(d.serial);
    pin.save(&pin_path).map_err(|e| Fail::io("write", &pin_path, e))
}

fn edit_with(
    edit: &Edit,
    change: impl FnOnce(&Directory) -> Result<Directory, ona_core::directory::DirectoryError>,
) -> CmdResult {
    let d = trusted(&edit.directory, Some(&edit.key), None)?;
    let next = change(&d).map_err(|e| Fail::usage(format!("{}: {e}", edit.directory.display())))?;
    save(&next, &edit.directory, &edit.key)?;
    println!("{}: serial {} → {}", edit.directory.display(), d.serial, next.serial);
    Ok(ExitCode::SUCCESS)
}

/// Reads and verifies a directory: against `hub` if given, else against the hub key pinned next
/// to the key file `key` (created on first use only when that key is the directory's own
/// signer, i.e. the hub itself). A lower serial than the pin remembers is refused; a higher one
/// is remembered.
pub fn trusted(path: &Path, key: Option<&Path>, hub: Option<&str>) -> Result<Directory, Fail> {
    let bytes = std::fs::read(path).map_err(|e| Fail::io("read", path, e))?;
    let refused = |e: &dyn std::fmt::Display| {
        Fail::invalid(format!("{}: directory refused: {e}", path.display()))
    };
    if let Some(h) = hub {
        let h = key_arg::<SigningPublicKey>("--hub", h)?;
        return Directory::verify(&bytes, &h).map_err(|e| refused(&e));
    }
    let key =
        key.ok_or_else(|| Fail::usage("a key file or --hub is needed to trust a directory"))?;
    let pin_path = pin_path_for_key(key);
    let mut pin = match Pin::load(&pin_path).map_err(Fail::usage)? {
        Some(p) => p,
        None => {
            let me = load(key)?.signing_public();
            let claimed = Directory::claimed_signer(&bytes).map_err(|e| refused(&e))?;
            if claimed != me.to_string() {
                return Err(Fail::usage(format!(
                    "no hub key is pinned for {}: run `ona directory pin --key {} --hub onasig1…` \
                     with the hub's signing key obtained from the hub directly (this directory \
                     says it is signed by {claimed}; do not trust that without checking)",
                    key.display(),
                    key.display()
                )));
            }
            Pin::new(&me)
        }
    };
    let before = pin.serial;
    let d = pin.accept(&bytes).map_err(|e| refused(&e))?;
    if pin.serial != before {
        pin.save(&pin_path).map_err(|e| Fail::io("write", &pin_path, e))?;
    }
    Ok(d)
}
