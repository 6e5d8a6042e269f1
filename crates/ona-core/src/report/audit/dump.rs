//! The audit's subsystems written out as plain LPs, to measure solvers on them outside the
//! crate (`scripts/lp-bench`, see BENCHMARKS.md). Test-only, ignored by default:
//!
//! ```text
//! ONA_AUDIT_REPORT=R.json ONA_AUDIT_DUMP=DIR ONA_AUDIT_DUMP_MIN=200 \
//!   cargo test -p ona-core --lib audit::dump -- --ignored
//! ```
//!
//! Each subsystem of at least `ONA_AUDIT_DUMP_MIN` variables becomes `DIR/sub-N.json`:
//! `{"vars": [[lower, upper or null]…], "rows": [[[[var, coef]…], "eq" | "le", rhs]…],
//! "goals": [[var, flags lower, flags upper]…]}` with variables numbered from 0.

use super::super::aggregate::HashMap;
use super::super::model::Report;
use super::super::suppress::Supp;
use super::decode::published;
use super::flags::flag_bounds;
use super::presolve::presolve;
use super::solve::subsystems;
use super::system::{attacker_relations, Sense};
use serde_json::json;

#[test]
#[ignore = "writes the subsystems of the report named by ONA_AUDIT_REPORT"]
fn dump() {
    let (Ok(path), Ok(dir)) = (std::env::var("ONA_AUDIT_REPORT"), std::env::var("ONA_AUDIT_DUMP"))
    else {
        panic!("set ONA_AUDIT_REPORT and ONA_AUDIT_DUMP");
    };
    let min: usize =
        std::env::var("ONA_AUDIT_DUMP_MIN").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let report = Report::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let p = published(&report).unwrap();
    let rels = attacker_relations(&p.tables, &p.masks, p.origin);
    let red = presolve(&p.tables, &rels, report.threshold).unwrap();
    let flags = flag_bounds(&p.tables, &rels, report.threshold);
    let targets: Vec<_> = red
        .cells
        .iter()
        .filter(|(_, c, _)| c.supp == Supp::Primary)
        .map(|(cell, _, place)| (*cell, *place))
        .collect();
    std::fs::create_dir_all(&dir).unwrap();
    let mut written = 0;
    for (n, sub) in subsystems(&red, &targets, &flags).iter().enumerate() {
        if sub.members.len() < min {
            continue;
        }
        let local: HashMap<usize, usize> =
            sub.members.iter().enumerate().map(|(i, v)| (*v, i)).collect();
        let vars: Vec<_> =
            sub.members.iter().map(|v| json!([red.bounds[*v].0, red.bounds[*v].1])).collect();
        let rows: Vec<_> = sub
            .lins
            .iter()
            .map(|l| {
                let l = &red.lins[*l];
                let terms: Vec<_> = l.terms.iter().map(|(v, a)| json!([local[v], a])).collect();
                json!([terms, if l.sense == Sense::Eq { "eq" } else { "le" }, l.rhs])
            })
            .collect();
        let goals: Vec<_> = sub.goals.iter().map(|(v, g)| json!([local[v], g.0, g.1])).collect();
        let text = json!({"vars": vars, "rows": rows, "goals": goals}).to_string();
        std::fs::write(format!("{dir}/sub-{n}.json"), text).unwrap();
        written += 1;
    }
    eprintln!("{written} subsystems written to {dir}");
}
