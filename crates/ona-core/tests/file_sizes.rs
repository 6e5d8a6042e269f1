//! Small files named after what they hold: no Rust file of `crates/` or `bindings/` is over 500
//! lines unless one of its first 5 lines gives the reason, as a comment starting with
//! `Over 500 lines because` (`//! Over 500 lines because …`).

use std::fs;
use std::path::{Path, PathBuf};

/// Lines a file may have without a reason.
const LIMIT: usize = 500;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            // Build outputs and environments are not ours.
            if !(name.starts_with('.') || name == "target" || name == "node_modules") {
                rust_files(&p, out);
            }
        } else if name.ends_with(".rs") {
            out.push(p);
        }
    }
}

/// Whether `text` is over the limit with no reason in its first 5 lines.
fn too_long(text: &str) -> bool {
    let reason = text.lines().take(5).any(|l| {
        let c = l.trim_start().trim_start_matches('/').trim_start_matches('!').trim_start();
        l.trim_start().starts_with("//") && c.starts_with("Over 500 lines because")
    });
    text.lines().count() > LIMIT && !reason
}

#[test]
fn no_rust_file_is_over_500_lines_without_a_reason() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for top in ["crates", "bindings"] {
        rust_files(&root.join(top), &mut files);
    }
    assert!(files.len() > 100, "the sources were found ({} files)", files.len());
    let mut long: Vec<String> = files
        .iter()
        .filter(|p| too_long(&fs::read_to_string(p).unwrap()))
        .map(|p| {
            let n = fs::read_to_string(p).unwrap().lines().count();
            format!("{} ({n} lines)", p.strip_prefix(&root).unwrap().display())
        })
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "over {LIMIT} lines with no `Over 500 lines because` in the first 5 lines: {long:#?}"
    );
}

#[test]
fn the_rule_counts_lines_and_reads_the_reason() {
    let body = "fn f() {}\n".repeat(LIMIT);
    assert!(!too_long(&body), "{LIMIT} lines are allowed");
    let over = format!("//! A module.\n{body}");
    assert!(too_long(&over));
    assert!(!too_long(&format!("//! A module.\n//!\n//! Over 500 lines because tables.\n{body}")));
    // Too late (line 6) or not a comment: no reason.
    let late = format!("//! a\n//! b\n//! c\n//! d\n//! e\n//! Over 500 lines because x.\n{body}");
    assert!(too_long(&late));
    assert!(too_long(&format!("const S: &str = \"Over 500 lines because\";\n{body}")));
}
