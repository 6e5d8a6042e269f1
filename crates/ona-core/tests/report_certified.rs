//! Certified secondary suppression (issue 13) played against the LP attacker: reports of the
//! synthetic network, built with `lp_protection`, are attacked by `audit` (the exact
//! LP over every published value, flag, total and relation between indicators).

mod common;

use ona_core::report::{audit, build_report, Dimension, ReportSpec};
use Dimension::{Admin1, Centre, Country, Outcome, Quarter, Year};

fn check(seed: u64, cases: u64, by: &[Dimension]) {
    let input = common::pseudo_cases(seed, cases);
    let spec = ReportSpec { by: by.to_vec(), lp_protection: true, ..ReportSpec::default() };
    let r = build_report(&input, &spec).unwrap();
    let a = audit(&r).unwrap();
    assert!(a.primary() > 5, "the data must have small counts: {by:?}");
    let left = r.provenance.unprotected_cells.expect("counted under certified protection");
    let narrowed: Vec<_> = a.unprotected().collect();
    // Every primary cell is certified (or pinned by its flags alone, which the audit's
    // flags-only interval holds too), and the attacker narrows none.
    assert_eq!(left, 0, "{by:?}: {left} of {} left", a.primary());
    assert!(narrowed.is_empty(), "{by:?}: narrowed {narrowed:?}");
    assert!(a.passes());
}

#[test]
fn centre_level_reports_pass_the_audit() {
    check(3, 60, &[Country, Centre, Year]);
}

#[test]
fn subdivision_quarter_reports_pass_the_audit() {
    check(5, 60, &[Country, Admin1, Quarter]);
}

#[test]
fn outcome_quarter_reports_pass_the_audit() {
    check(7, 60, &[Country, Quarter, Outcome]);
    check(9, 40, &[Country, Quarter, Outcome]);
}
