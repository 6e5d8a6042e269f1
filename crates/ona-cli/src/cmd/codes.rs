//! `ona codes`: codelists with their labels.

use crate::fail::{CmdResult, Fail};
use ona_core::schema::{codelist, codelists, labels, Lang};
use std::process::ExitCode;

/// Arguments of `ona codes`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The codelist to print (e.g. `referral_source`); without it, every list's id and title.
    list: Option<String>,
    /// Language of the labels: en, ru, kk, uz, uk, ms, tr.
    #[arg(long, default_value = "en")]
    lang: String,
}

/// Runs `ona codes`.
pub fn run(a: Args) -> CmdResult {
    let lang: Lang = a.lang.parse().map_err(Fail::usage)?;
    let mut out = String::new();
    let Some(id) = a.list else {
        for list in codelists() {
            line(&mut out, format!("{}\t{}", list.id, labels::title(list.id, lang).unwrap_or("")));
        }
        for ext in labels::extension_lists() {
            let title = labels::title(&ext.id, lang).unwrap_or("");
            line(
                &mut out,
                format!("{}\t{title} ({} extension of {})", ext.id, ext.country, ext.extends),
            );
        }
        super::print_stdout(&out)?;
        return Ok(ExitCode::SUCCESS);
    };
    if let Some(list) = codelist(&id) {
        for code in list.codes {
            line(&mut out, format!("{code}\t{}", labels::label(list.id, code, lang).unwrap_or("")));
        }
    } else if let Some(ext) = labels::extension_list(&id) {
        for (code, target) in &ext.maps {
            line(
                &mut out,
                format!(
                    "{code}\t{}\t→ {}:{target}",
                    labels::label(&ext.id, code, lang).unwrap_or(""),
                    ext.extends
                ),
            );
        }
    } else {
        return Err(Fail::usage(format!("no codelist named {id:?}; `ona codes` lists them")));
    }
    super::print_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Appends one line to the output being built.
fn line(out: &mut String, text: String) {
    out.push_str(&text);
    out.push('\n');
}
