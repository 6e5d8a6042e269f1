//! The layers of ona-core import only downwards (issue 17).
//!
//! The rule, checked on the text of every `.rs` file under `src/schema/` and `src/seal/`
//! (code, tests and comments alike, since a doc link is a dependency too):
//!
//! - `schema` is the foundation: the only crate path it may name is `crate::schema`. It may not
//!   mention `crate::pseudonym`, `crate::exchange`, `crate::report`, `crate::seal` or any other
//!   module of the crate.
//! - `seal` encrypts and signs bytes it never parses: the only crate paths it may name are
//!   `crate::seal` and `crate::atomic_file`. It may not mention `crate::pseudonym`,
//!   `crate::schema`, `crate::exchange`, `crate::report` or `crate::directory`.
//! - Neither may reach the crate root another way: no `crate::{…}` group and no chain of
//!   `super::` long enough to climb out of its module.
//!
//! Records meet bytes in `exchange`, which may import all of these. A violation fails with the
//! file, the line and the path named.

use std::path::{Path, PathBuf};

/// One layer's rule: the directory under `src/` and the crate paths it may name.
struct Layer {
    dir: &'static str,
    allowed: &'static [&'static str],
}

const LAYERS: &[Layer] = &[
    Layer { dir: "schema", allowed: &["schema"] },
    Layer { dir: "seal", allowed: &["seal", "atomic_file"] },
];

/// The violations in one file's `text`; `depth` is how many `super::` climb from the file's
/// module to the crate root (2 for `schema/x.rs`, 1 for `schema/mod.rs`).
fn violations(layer: &Layer, text: &str, depth: usize) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let at = n + 1;
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let name: String =
                after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            // `ona_core::` is the crate too, when a doc example names it.
            let preceded_by_ident = rest[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            if !preceded_by_ident {
                if name.is_empty() {
                    found.push(format!("line {at}: a `crate::{{…}}` group (name each path)"));
                } else if !layer.allowed.contains(&name.as_str()) {
                    found.push(format!("line {at}: `crate::{name}`"));
                }
            }
            rest = after;
        }
        let mut rest = line;
        while let Some(i) = rest.find("ona_core::") {
            let after = &rest[i + "ona_core::".len()..];
            let name: String =
                after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !layer.allowed.contains(&name.as_str()) {
                found.push(format!("line {at}: `ona_core::{name}`"));
            }
            rest = after;
        }
        let climb = line.matches("super::").count();
        if climb >= depth && line.contains(&"super::".repeat(depth)) {
            found.push(format!(
                "line {at}: `{}` climbs out of `{}`",
                "super::".repeat(depth),
                layer.dir
            ));
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every violation under `src` (the crate's source directory), one line each.
fn check_tree(src: &Path) -> Vec<String> {
    let mut report = Vec::new();
    for layer in LAYERS {
        let root = src.join(layer.dir);
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        assert!(!files.is_empty(), "no source files under {}", root.display());
        for file in files {
            let rel = file.strip_prefix(&root).expect("under the layer's directory");
            // schema/mod.rs is the module `schema` (1 below the root), schema/x.rs is
            // `schema::x` (2), schema/validate/mod.rs `schema::validate` (2), and so on.
            let parts = rel.components().count();
            let depth =
                if file.file_name().is_some_and(|n| n == "mod.rs") { parts } else { parts + 1 };
            let text = std::fs::read_to_string(&file).expect("readable source");
            for v in violations(layer, &text, depth) {
                report.push(format!("src/{}/{}: {v}", layer.dir, rel.display()));
            }
        }
    }
    report
}

#[test]
fn schema_and_seal_import_nothing_above_them() {
    // ONA_LAYERING_SRC checks another tree (e.g. an older checkout) with the same rule.
    let src = std::env::var_os("ONA_LAYERING_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let found = check_tree(&src);
    assert!(found.is_empty(), "layering violations:\n{}", found.join("\n"));
}

#[test]
fn the_rule_catches_the_imports_it_forbids() {
    let schema = &LAYERS[0];
    let seal = &LAYERS[1];
    // The arrows that ran up before issue 17 (schema/labelled.rs, seal/manifest.rs,
    // seal/content_check.rs), each caught.
    assert_eq!(violations(schema, "use crate::pseudonym::PseudoCase;", 2).len(), 1);
    assert_eq!(
        violations(seal, "    use crate::pseudonym::packed::{is_packed, PackedReader};", 2).len(),
        1
    );
    assert_eq!(violations(seal, "/// ([`crate::exchange::packed`], …)", 2).len(), 1);
    assert_eq!(violations(seal, "let c: crate::schema::Case = x;", 2).len(), 1);
    assert_eq!(violations(schema, "use crate::report::Report;", 2).len(), 1);
    assert_eq!(violations(schema, "use crate::{pseudonym, report};", 2).len(), 1);
    assert_eq!(violations(schema, "use super::super::pseudonym::PseudoCase;", 2).len(), 1);
    assert_eq!(violations(seal, "use ona_core::schema::Case;", 2).len(), 1);
    // What each layer may name passes, and `super::` within the module is fine.
    assert!(violations(schema, "use crate::schema::Lang; use super::lang::Lang;", 2).is_empty());
    assert!(
        violations(seal, "use crate::atomic_file::AtomicFile; use crate::seal::x;", 2).is_empty()
    );
    assert!(violations(schema, "use super::super::codes::X;", 3).is_empty());
    // A path that merely ends in `crate::` (another crate's name) is not this crate.
    assert!(violations(seal, "use other_crate::schema::X;", 2).is_empty());
}
