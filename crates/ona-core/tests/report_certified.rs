//! Certified secondary suppression (issue 13) played against the LP attacker: reports of the
//! synthetic network, built with the default specification, are attacked by `audit` (the exact
//! LP over every published value, flag, total and relation between indicators).

mod common;

use ona_core::report::{audit, build_report, Dimension, ReportSpec};
use Dimension::{Admin1, Centre, Country, Outcome, Quarter, Year};

fn check(seed: u64, cases: u64, by: &[Dimension]) {
    let input = common::pseudo_cases(seed, cases);
    let spec = ReportSpec { by: by.to_vec(), ..ReportSpec::default() };
    assert!(spec.lp_protection, "certified protection is the default");
    let r = build_report(&input, &spec).unwrap();
    let a = audit(&r).unwrap();
    assert!(a.primary() > 5, "the data must have small counts: {by:?}");
    let left = r.provenance.unprotected_cells.expect("counted under certified protection");
    let narrowed: Vec<_> = a.unprotected().collect();
    // The attacker narrows no cell the protection certified: only cells it reported left (no
    // suppression reaches their target: published zeros and the structure pin them).
    assert!(narrowed.len() as u64 <= left, "{by:?}: {left} left, narrowed {narrowed:?}");
    assert!(left * 20 <= a.primary() as u64, "{by:?}: {left} of {} left", a.primary());
    if left == 0 {
        assert!(a.passes());
    }
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
