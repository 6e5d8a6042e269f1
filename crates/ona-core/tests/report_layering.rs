//! No import circles in `src/report/`: every `use` of a report module, read from the source
//! files, is an arrow from the importing file to the file that defines what it imports, and the
//! arrows must form no cycle. A file low in the order (the slot table, the key, the hasher) can
//! then be read and changed without the files above it.
//!
//! How the source is read: `use` statements (one line or several, with `{…}` groups and `as`
//! renames) whose path starts with `super::`, `self::`, `crate::report::` or a child module. A `pub use` or
//! `pub(crate) use` is an alias, not an arrow of its own: an import through it is an arrow to the
//! file that defines the item. Inside an inline `mod … {` block (the tests at the end of a file)
//! `super` is the file itself. Paths to other parts of the crate and to other crates are ignored.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A source file and what it says about modules.
struct File {
    /// Path of the module the file defines, below `report` (empty for `report/mod.rs`).
    module: Vec<String>,
    /// Each `use`: its path, absolute below `report` (segments), and for a re-export the name
    /// it is exported under.
    uses: Vec<Use>,
}

/// One imported path.
struct Use {
    path: Vec<String>,
    /// `Some(name)` for a `pub use` / `pub(crate) use`.
    exported_as: Option<String>,
}

/// Reads every `.rs` file below `dir` (the `report` directory), keyed by its path there.
fn read_tree(dir: &Path) -> BTreeMap<String, File> {
    let mut paths = Vec::new();
    walk(dir, &mut paths);
    // Files declared with `#[path = "…"] mod name;`: the module they are (see dp/ledger.rs).
    let mut declared: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for p in &paths {
        let module = module_of(dir, p);
        let text = fs::read_to_string(p).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let Some(rest) = l.trim().strip_prefix("#[path = \"") else { continue };
            let target = rest.split('"').next().unwrap();
            let name = lines[i + 1..]
                .iter()
                .find_map(|n| n.trim().strip_prefix("mod ").map(|m| m.trim_end_matches(';')))
                .unwrap();
            let mut m = module.clone();
            m.push(name.trim().to_string());
            declared.insert(p.parent().unwrap().join(target), m);
        }
    }
    let mut files = BTreeMap::new();
    for p in &paths {
        let module = declared.get(p).cloned().unwrap_or_else(|| module_of(dir, p));
        let text = fs::read_to_string(p).unwrap();
        let uses = parse_uses(&text, &module);
        let key = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        files.insert(key, File { module, uses });
    }
    files
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
}

/// The module path of a file: `dp/ledger.rs` → `[dp, ledger]`, `dp/mod.rs` → `[dp]`.
fn module_of(dir: &Path, p: &Path) -> Vec<String> {
    let rel = p.strip_prefix(dir).unwrap().with_extension("");
    let mut m: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    if m.last().is_some_and(|s| s == "mod") {
        m.pop();
    }
    m
}

/// The `use` paths of a file, expanded and made absolute below `report`.
fn parse_uses(text: &str, module: &[String]) -> Vec<Use> {
    let mut out = Vec::new();
    let mut nested = false;
    let mut stmt: Option<(String, bool, bool)> = None;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("//") {
            continue;
        }
        if let Some((text, _, _)) = &mut stmt {
            text.push(' ');
            text.push_str(t);
        } else {
            let words: Vec<&str> = t.split_whitespace().collect();
            let is_mod_block = words.last() == Some(&"{")
                && words.iter().position(|w| *w == "mod").is_some_and(|i| i + 3 == words.len());
            if is_mod_block {
                nested = true;
                continue;
            }
            let (public, rest) = if let Some(r) = t.strip_prefix("pub use ") {
                (true, r)
            } else if let Some(r) = t.strip_prefix("pub(crate) use ") {
                (true, r)
            } else if let Some(r) = t.strip_prefix("use ") {
                (false, r)
            } else {
                continue;
            };
            stmt = Some((rest.to_string(), public, nested));
        }
        if stmt.as_ref().unwrap().0.contains(';') {
            let (s, public, in_block) = stmt.take().unwrap();
            // `x as y` → `x@y`, then no spaces.
            let s = s.split(';').next().unwrap().replace(" as ", "@");
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            let mut here = module.to_vec();
            if in_block {
                here.push("tests".into());
            }
            for (path, name) in expand(&s) {
                if let Some(abs) = absolute(&path, &here) {
                    out.push(Use { path: abs, exported_as: public.then_some(name) });
                }
            }
        }
    }
    out
}

/// `a::{b, c::{d, e@f}}` → `[a::b, a::c::d, a::c::e]` (as segment lists), each with the name it
/// is known by here (`b`, `d`, `f`).
fn expand(s: &str) -> Vec<(Vec<String>, String)> {
    let Some(open) = s.find('{') else {
        let (p, alias) = s.split_once('@').unwrap_or((s, ""));
        let path: Vec<String> =
            p.split("::").filter(|x| !x.is_empty()).map(|x| x.to_string()).collect();
        let name = if alias.is_empty() {
            path.last().cloned().unwrap_or_default()
        } else {
            alias.to_string()
        };
        return vec![(path, name)];
    };
    let prefix: Vec<String> =
        s[..open].split("::").filter(|x| !x.is_empty()).map(|x| x.to_string()).collect();
    let inner = &s[open + 1..s.rfind('}').unwrap()];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    let mut out = Vec::new();
    for p in parts.into_iter().filter(|p| !p.is_empty()) {
        for (tail, name) in expand(p) {
            let mut full = prefix.clone();
            let name = if tail == ["self"] { prefix.last().cloned().unwrap_or(name) } else { name };
            if tail != ["self"] {
                full.extend(tail);
            }
            out.push((full, name));
        }
    }
    out
}

/// A `use` path as segments below `report`, or `None` outside it.
fn absolute(path: &[String], here: &[String]) -> Option<Vec<String>> {
    let first = path.first()?;
    if first == "crate" {
        return (path.get(1).map(String::as_str) == Some("report")).then(|| path[2..].to_vec());
    }
    let mut base = here.to_vec();
    let mut rest = path;
    if first == "self" {
        rest = &path[1..];
    } else if first == "super" {
        while rest.first().is_some_and(|s| s == "super") {
            // Above `report` is outside it.
            base.pop()?;
            rest = &rest[1..];
        }
    } else if first == "std" || first == "core" || first == "alloc" {
        return None;
    }
    // Otherwise a child module (`mod.rs`: `pub use ledger::Ledger`) or another crate (then the
    // path stays in this file's module and makes no arrow).
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The file that defines the item at `path` (following re-exports), or `None` if none does.
fn defining_file(
    files: &BTreeMap<String, File>,
    by_module: &BTreeMap<Vec<String>, String>,
    path: &[String],
    depth: usize,
) -> Option<String> {
    // The longest prefix of the path that is a module file; the segment after it is the item.
    let mut n = path.len();
    while n > 0 && !by_module.contains_key(&path[..n]) {
        n -= 1;
    }
    let file = by_module.get(&path[..n])?;
    let Some(item) = path.get(n) else { return Some(file.clone()) };
    if item == "*" || depth > 8 {
        return Some(file.clone());
    }
    // Re-exported here? Follow it to where it is defined.
    for u in &files[file].uses {
        if u.exported_as.as_ref() == Some(item) {
            if let Some(f) = defining_file(files, by_module, &u.path, depth + 1) {
                return Some(f);
            }
        }
    }
    Some(file.clone())
}

/// The arrows between files: importer → definer (no arrow for a re-export or to itself).
fn graph(files: &BTreeMap<String, File>) -> BTreeMap<String, BTreeSet<String>> {
    let by_module: BTreeMap<Vec<String>, String> =
        files.iter().map(|(k, f)| (f.module.clone(), k.clone())).collect();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, f) in files {
        let arrows = g.entry(name.clone()).or_default();
        for u in f.uses.iter().filter(|u| u.exported_as.is_none()) {
            if let Some(to) = defining_file(files, &by_module, &u.path, 0) {
                if to != *name {
                    arrows.insert(to);
                }
            }
        }
    }
    g
}

/// A cycle of the graph, if there is one.
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|s| s == m).unwrap();
                    let mut c = stack[at..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(m, g, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if !state.contains_key(n.as_str()) {
            if let Some(c) = visit(n, g, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn report_dir() -> PathBuf {
    // ONA_LAYERING_DIR checks another tree (e.g. an older checkout) with the same rule.
    std::env::var_os("ONA_LAYERING_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("src/report"))
}

#[test]
fn report_modules_import_each_other_in_no_circle() {
    let files = read_tree(&report_dir());
    assert!(files.len() > 40, "the report sources were read ({} files)", files.len());
    let g = graph(&files);
    // The reading is right: known arrows are seen, through re-exports too.
    let has = |a: &str, b: &str| g.get(a).is_some_and(|s| s.contains(b));
    if std::env::var_os("ONA_LAYERING_DIR").is_none() {
        assert!(has("aggregate.rs", "women.rs"), "{:?}", g.get("aggregate.rs"));
        assert!(has("women.rs", "cell_key.rs"), "{:?}", g.get("women.rs"));
        assert!(has("audit/system.rs", "cell_key.rs"), "Key through aggregate's re-export");
        assert!(has("signed_log.rs", "dp/ledger_key.rs"), "{:?}", g.get("signed_log.rs"));
    }
    if let Some(c) = find_cycle(&g) {
        panic!("import circle in src/report: {}", c.join(" → "));
    }
    // The import order, lowest first (`cargo test --test report_layering -- --nocapture`).
    for (level, files) in levels(&g).iter().enumerate() {
        println!("{level}: {}", files.join(" "));
    }
}

/// The files by level: each imports only from lower levels (the graph has no cycle).
fn levels(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn level(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        memo: &mut BTreeMap<String, usize>,
    ) -> usize {
        if let Some(l) = memo.get(n) {
            return *l;
        }
        let l = g.get(n).into_iter().flatten().map(|m| level(m, g, memo) + 1).max().unwrap_or(0);
        memo.insert(n.to_string(), l);
        l
    }
    let mut memo = BTreeMap::new();
    let mut out: Vec<Vec<String>> = Vec::new();
    for n in g.keys() {
        let l = level(n, g, &mut memo);
        if out.len() <= l {
            out.resize(l + 1, Vec::new());
        }
        out[l].push(n.clone());
    }
    out
}

#[test]
fn a_circle_is_found() {
    // Two files that import each other, one of them through a re-export of a third.
    let dir = tempfile::tempdir().unwrap();
    let w = |p: &str, t: &str| {
        let p = dir.path().join(p);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, t).unwrap();
    };
    w("mod.rs", "mod a;\nmod b;\nmod c;\n");
    w("a.rs", "use super::b::{self, Thing};\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n");
    w("b.rs", "pub(crate) use super::c::Other as Thing;\n");
    w(
        "c.rs",
        "use super::{\n    a::Helper,\n};\n#[cfg(test)]\nmod tests {\n    use super::super::b::Thing;\n}\n",
    );
    let g = graph(&read_tree(dir.path()));
    assert_eq!(g["a.rs"], BTreeSet::from(["b.rs".to_string(), "c.rs".to_string()]));
    let c = find_cycle(&g).expect("a → c → a is a circle");
    assert!(c.contains(&"a.rs".to_string()) && c.contains(&"c.rs".to_string()), "{c:?}");
    // Without c's arrow back, no circle.
    w("c.rs", "use crate::schema::Codelist;\n");
    assert_eq!(find_cycle(&graph(&read_tree(dir.path()))), None);
}
