//! Solvers measured on the disclosure audit's subsystems (see BENCHMARKS.md, issue 13).
//!
//! Input: files written by ona-core's ignored test `audit::dump` (one LP per file). For each
//! subsystem: the pure-Rust simplex `microlp` (one solve for a feasible point, then warm-started
//! min and max of each sampled target, as `ona audit` does), the interior-point solver
//! `clarabel` (each min and max from scratch: no warm start), and a local move LP (microlp on
//! the cells within `hops` relations of the target, the others fixed at the feasible point).
//! Prints one line per subsystem: sizes, times, and the largest difference between the bounds.
//!
//! Usage: lp-bench [--goals N] [--hops H] [--cap CELLS] [--ip 0|1] FILE...
use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, NonnegativeConeT, SolverStatus, ZeroConeT,
};
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

#[derive(Deserialize)]
struct Sub {
    vars: Vec<(f64, Option<f64>)>,
    rows: Vec<(Vec<(usize, f64)>, String, f64)>,
    goals: Vec<(usize, f64, f64)>,
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut opt = |name: &str, default: usize| -> usize {
        match args.iter().position(|a| a == name) {
            Some(i) => {
                let v = args[i + 1].parse().unwrap();
                args.drain(i..i + 2);
                v
            }
            None => default,
        }
    };
    let ngoals = opt("--goals", 10);
    let hops = opt("--hops", 2);
    let cap = opt("--cap", 400);
    let ip = opt("--ip", 1) == 1;
    println!("file vars rows goals | microlp feasible s, per bound s | clarabel per bound s, fails | local per bound s, settled locally/reachable/asked, avg vars | max |diff| microlp-clarabel");
    for f in &args {
        let sub: Sub = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        run(f, &sub, ngoals, hops, cap, ip);
    }
}

fn run(name: &str, sub: &Sub, ngoals: usize, hops: usize, cap: usize, ip: bool) {
    let n = sub.vars.len();
    let step = (sub.goals.len() / ngoals).max(1);
    let goals: Vec<(usize, f64, f64)> =
        sub.goals.iter().step_by(step).take(ngoals).copied().collect();
    // microlp: one feasible point, then warm-started bounds.
    let big = 1.0
        + sub.rows.iter().map(|r| r.2.abs()).sum::<f64>()
        + sub.vars.iter().filter_map(|v| v.1).sum::<f64>();
    let t0 = Instant::now();
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let xs: Vec<_> = sub
        .vars
        .iter()
        .map(|(lo, hi)| p.add_var(0.0, (*lo, hi.unwrap_or(f64::INFINITY))))
        .collect();
    let t = p.add_var(1.0, (-big, big));
    let s = p.add_var(-1.0, (-big, big));
    for (terms, sense, rhs) in &sub.rows {
        let e: Vec<_> = terms.iter().map(|(v, a)| (xs[*v], *a)).collect();
        p.add_constraint(e, if sense == "eq" { ComparisonOp::Eq } else { ComparisonOp::Le }, *rhs);
    }
    let base = match p.solve() {
        Ok(b) => b.into_solution().ok().unwrap(),
        Err(e) => {
            println!("{name} {n} {} {} | microlp failed: {e}", sub.rows.len(), sub.goals.len());
            return;
        }
    };
    let feasible = t0.elapsed().as_secs_f64();
    let point: Vec<f64> = xs.iter().map(|x| base.var_value(*x)).collect();
    let tc = Instant::now();
    for _ in 0..5 {
        std::hint::black_box(base.clone());
    }
    eprintln!("{name}: clone of the solved subsystem {:.4} s", tc.elapsed().as_secs_f64() / 5.0);
    let t1 = Instant::now();
    let mut simplex = Vec::new();
    for (g, _, _) in &goals {
        let lo = base.clone().add_constraint(vec![(t, 1.0), (xs[*g], -1.0)], ComparisonOp::Eq, 0.0);
        let hi = base.clone().add_constraint(vec![(s, 1.0), (xs[*g], -1.0)], ComparisonOp::Eq, 0.0);
        let v = |r: Result<microlp::SolveOutcome, microlp::Error>| {
            r.ok().and_then(|o| o.into_solution().ok()).map(|sol| sol.var_value(xs[*g]))
        };
        simplex.push((v(lo), v(hi).filter(|x| *x < big - 1.0)));
    }
    let per_simplex = t1.elapsed().as_secs_f64() / (2 * goals.len()).max(1) as f64;
    // clarabel: each bound from scratch.
    let t2 = Instant::now();
    let mut fails = 0;
    let mut diff: f64 = 0.0;
    for ((g, _, _), (slo, shi)) in goals.iter().zip(&simplex).filter(|_| ip) {
        for (dir, want) in [(1.0, slo), (-1.0, shi)] {
            match clarabel_opt(sub, *g, dir) {
                Some(v) => {
                    if let Some(w) = want {
                        diff = diff.max((v - w).abs());
                    }
                }
                None if dir < 0.0 && want.is_none() => {}
                None => fails += 1,
            }
        }
    }
    let per_ip = t2.elapsed().as_secs_f64() / (2 * goals.len()).max(1) as f64;
    // Local moves from the feasible point.
    let t3 = Instant::now();
    let (mut settled, mut asked, mut size, mut sandwiched, mut exact_missed) = (0, 0, 0, 0, 0);
    let of_var = rows_of(sub);
    for (g, glo, ghi) in &goals {
        let (hood, rows) = neighbourhood(sub, &of_var, *g, hops, cap);
        size += hood.len();
        for (dir, goal) in [(1.0, *glo), (-1.0, *ghi)] {
            asked += 1;
            if let Some(v) = local_opt(sub, &point, &hood, &rows, *g, dir) {
                if (dir > 0.0 && v <= goal + 1e-6) || (dir < 0.0 && v >= goal - 1e-6) {
                    settled += 1;
                } else if let Some(r) = relax_opt(sub, &rows, *g, dir) {
                    // Restriction (a feasible point) and relaxation agree: the exact bound.
                    if (r - v).abs() <= 1e-6 {
                        sandwiched += 1;
                    } else {
                        exact_missed += 1;
                    }
                } else {
                    exact_missed += 1;
                }
            }
        }
    }
    let per_local = t3.elapsed().as_secs_f64() / asked.max(1) as f64;
    // Goals the whole subsystem reaches (exact, from the simplex).
    let reachable: usize = goals
        .iter()
        .zip(&simplex)
        .map(|((_, glo, ghi), (lo, hi))| {
            usize::from(lo.is_some_and(|v| v <= glo + 1e-6))
                + usize::from(hi.is_none_or(|v| v >= ghi - 1e-6))
        })
        .sum();
    println!(
        "{name} {n} {} {} | {feasible:.3} {per_simplex:.4} | {per_ip:.4} {fails} | {per_local:.4} {settled}/{reachable}/{asked} {} sandwich {sandwiched} missed {exact_missed} | {diff:.2e}",
        sub.rows.len(),
        sub.goals.len(),
        size / goals.len().max(1)
    );
}

fn rows_of(sub: &Sub) -> Vec<Vec<usize>> {
    let mut m = vec![Vec::new(); sub.vars.len()];
    for (i, r) in sub.rows.iter().enumerate() {
        for (v, _) in &r.0 {
            m[*v].push(i);
        }
    }
    m
}

/// The variables within `hops` relations of `g` (at most `cap`), and every relation touching one.
fn neighbourhood(
    sub: &Sub,
    of_var: &[Vec<usize>],
    g: usize,
    hops: usize,
    cap: usize,
) -> (Vec<usize>, Vec<usize>) {
    let mut seen: HashSet<usize> = HashSet::from([g]);
    let mut order = vec![g];
    let mut frontier = vec![g];
    'outer: for _ in 0..hops {
        let mut next = Vec::new();
        for v in &frontier {
            for r in &of_var[*v] {
                for (w, _) in &sub.rows[*r].0 {
                    if seen.len() >= cap {
                        break 'outer;
                    }
                    if seen.insert(*w) {
                        order.push(*w);
                        next.push(*w);
                    }
                }
            }
        }
        frontier = next;
    }
    let mut rows: Vec<usize> = order.iter().flat_map(|v| of_var[*v].iter().copied()).collect();
    rows.sort_unstable();
    rows.dedup();
    (order, rows)
}

fn local_opt(
    sub: &Sub,
    point: &[f64],
    hood: &[usize],
    rows: &[usize],
    g: usize,
    dir: f64,
) -> Option<f64> {
    let local: HashMap<usize, usize> = hood.iter().enumerate().map(|(i, v)| (*v, i)).collect();
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let xs: Vec<_> = hood
        .iter()
        .map(|v| {
            let (lo, hi) = sub.vars[*v];
            p.add_var(if *v == g { dir } else { 0.0 }, (lo, hi.unwrap_or(f64::INFINITY)))
        })
        .collect();
    for r in rows {
        let (terms, sense, rhs) = &sub.rows[*r];
        let mut rhs = *rhs;
        let mut e = Vec::new();
        for (v, a) in terms {
            match local.get(v) {
                Some(i) => e.push((xs[*i], *a)),
                None => rhs -= a * point[*v],
            }
        }
        p.add_constraint(e, if sense == "eq" { ComparisonOp::Eq } else { ComparisonOp::Le }, rhs);
    }
    let sol = p.solve().ok()?.into_solution().ok()?;
    Some(sol.var_value(xs[local[&g]]))
}

fn clarabel_opt(sub: &Sub, g: usize, dir: f64) -> Option<f64> {
    let n = sub.vars.len();
    let (mut ii, mut jj, mut vv, mut b) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut m = 0;
    let mut push_row = |terms: &[(usize, f64)],
                        rhs: f64,
                        ii: &mut Vec<usize>,
                        jj: &mut Vec<usize>,
                        vv: &mut Vec<f64>,
                        b: &mut Vec<f64>| {
        for (v, a) in terms {
            ii.push(m);
            jj.push(*v);
            vv.push(*a);
        }
        b.push(rhs);
        m += 1;
    };
    let eqs: Vec<_> = sub.rows.iter().filter(|r| r.1 == "eq").collect();
    for r in &eqs {
        push_row(&r.0, r.2, &mut ii, &mut jj, &mut vv, &mut b);
    }
    let neq = eqs.len();
    for r in sub.rows.iter().filter(|r| r.1 != "eq") {
        push_row(&r.0, r.2, &mut ii, &mut jj, &mut vv, &mut b);
    }
    for (v, (lo, hi)) in sub.vars.iter().enumerate() {
        push_row(&[(v, -1.0)], -lo, &mut ii, &mut jj, &mut vv, &mut b);
        if let Some(h) = hi {
            push_row(&[(v, 1.0)], *h, &mut ii, &mut jj, &mut vv, &mut b);
        }
    }
    let a = CscMatrix::new_from_triplets(m, n, ii, jj, vv);
    let pm = CscMatrix::<f64>::zeros((n, n));
    let mut q = vec![0.0; n];
    q[g] = dir;
    let cones = [ZeroConeT(neq), NonnegativeConeT(m - neq)];
    let settings = DefaultSettingsBuilder::default().verbose(false).build().unwrap();
    let mut solver = DefaultSolver::new(&pm, &q, &a, &b, &cones, settings).ok()?;
    solver.solve();
    match solver.solution.status {
        SolverStatus::Solved | SolverStatus::AlmostSolved => Some(solver.solution.x[g]),
        _ => None,
    }
}

/// The relaxation: only the relations `rows`, every cell in them free within its bounds.
fn relax_opt(sub: &Sub, rows: &[usize], g: usize, dir: f64) -> Option<f64> {
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let mut xs: HashMap<usize, microlp::Variable> = HashMap::new();
    let mut var = |v: usize, p: &mut Problem| {
        *xs.entry(v).or_insert_with(|| {
            let (lo, hi) = sub.vars[v];
            p.add_var(if v == g { dir } else { 0.0 }, (lo, hi.unwrap_or(f64::INFINITY)))
        })
    };
    let xg = var(g, &mut p);
    for r in rows {
        let (terms, sense, rhs) = &sub.rows[*r];
        let e: Vec<_> = terms.iter().map(|(v, a)| (var(*v, &mut p), *a)).collect();
        p.add_constraint(e, if sense == "eq" { ComparisonOp::Eq } else { ComparisonOp::Le }, *rhs);
    }
    let sol = p.solve().ok()?.into_solution().ok()?;
    Some(sol.var_value(xg))
}
