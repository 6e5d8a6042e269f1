//! Releases of one population audited together (issue 13, item 3): the attacker holds every
//! earlier release from the release log and combines it with the new one.
//!
//! The reports here are written by hand so that the attack is exact and visible: one country,
//! admissions by year (2023 = 3, primary; 2024 = 40, secondary; total 43 published), then a
//! quarter report of 2024 whose period total (40) gives 2023 away by subtraction.

use ona_core::report::dp::LedgerKey;
use ona_core::report::release::{protect, release_with_log, ReleaseLogUse};
use ona_core::report::release_log::ReleaseLog;
use ona_core::report::{
    audit, audit_together, CellAudit, ConfStatus, JointAudit, JointCell, ObsStatus, Observation,
    Population, Provenance, Report, ReportError, REPORT_FORMAT,
};
use std::collections::BTreeMap;

const F: ConfStatus = ConfStatus::F;
const C: ConfStatus = ConfStatus::C;
const D: ConfStatus = ConfStatus::D;

fn population() -> Population {
    Population { domain: "kz/case-management".into(), key_id: "k1".into() }
}

/// Admissions by country and `period_dim`; each cell (country, period, value, status).
fn report(
    period_dim: &str,
    filter: Option<&str>,
    periods: &[&str],
    cells: &[(&str, &str, u64, ConfStatus)],
) -> Report {
    let observations = cells
        .iter()
        .map(|(country, period, v, cs)| {
            let mut dims = BTreeMap::new();
            dims.insert("country".to_string(), country.to_string());
            dims.insert(period_dim.to_string(), period.to_string());
            for d in ["referral_source", "risk_factor", "service_type", "outcome"] {
                dims.insert(d.to_string(), "_T".to_string());
            }
            Observation {
                indicator: "admissions".into(),
                dims,
                value: (*cs == F).then(|| (*v).into()),
                margin_95: None,
                low_95: None,
                high_95: None,
                numerator: None,
                denominator: None,
                unit: "NUMBER".into(),
                obs_status: if *cs == F { ObsStatus::A } else { ObsStatus::Q },
                conf_status: *cs,
            }
        })
        .collect();
    Report {
        format: REPORT_FORMAT.into(),
        schema_version: "1.0".into(),
        indicator_set: "test".into(),
        period: filter.map(String::from),
        by: vec!["country".into(), period_dim.into()],
        threshold: 5,
        dp: None,
        provenance: Provenance {
            countries: vec!["KZ".into()],
            centres: vec![],
            periods: periods.iter().map(|p| p.to_string()).collect(),
            cases_counted: Some(100),
            excluded: BTreeMap::new(),
            merged_from: vec![],
            populations: vec![population()],
            unprotected_cells: None,
        },
        indicators: vec![],
        observations,
    }
}

/// The year report: 2023 = 3 (primary), 2024 = 40 (secondary), total 43.
fn years() -> Report {
    let mut cells = Vec::new();
    for c in ["KZ", "_T"] {
        cells.extend([(c, "2023", 3, C), (c, "2024", 40, D), (c, "_T", 43, F)]);
    }
    report("year", None, &["2023", "2024"], &cells)
}

/// The quarter report of 2024, everything published: its total is 2024 of the year report.
fn quarters() -> Report {
    let mut cells = Vec::new();
    for c in ["KZ", "_T"] {
        for q in ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"] {
            cells.push((c, q, 10, F));
        }
        cells.push((c, "_T", 40, F));
    }
    report("quarter", Some("2024"), &["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"], &cells)
}

fn narrowed(a: &JointAudit) -> Vec<&JointCell> {
    a.unprotected().collect()
}

#[test]
fn each_report_alone_passes_but_together_they_give_a_cell_away() {
    assert!(audit(&years()).unwrap().passes());
    assert!(audit(&quarters()).unwrap().passes());
    let (y, q) = (years(), quarters());
    let a = audit_together(&[("years", &y), ("quarters", &q)]).unwrap();
    // Its period total is 2024 of the year report (the same quantity, in KZ and in the total).
    assert_eq!(a.shared, 2, "{a:?}");
    let n = narrowed(&a);
    assert_eq!(n.len(), 2, "2023 in KZ and in the total: {n:?}");
    for c in n {
        assert_eq!(c.release, 0);
        assert_eq!(c.cell.dims["year"], "2023");
        assert_eq!((c.cell.lower, c.cell.upper), (3.0, Some(3.0)), "recovered exactly");
    }
}

#[test]
fn periods_nest_even_without_a_shared_total() {
    // The quarter report without its period total: 2024 = Σ quarters still gives 2023 away.
    let y = years();
    let mut q = quarters();
    q.observations.retain(|o| o.dims["quarter"] != "_T");
    let a = audit_together(&[("years", &y), ("quarters", &q)]).unwrap();
    assert_eq!(a.shared, 0);
    assert!(a.nested >= 2);
    assert_eq!(narrowed(&a).len(), 2);
    // And a quarter report of another year says nothing about 2023.
    let mut other = quarters();
    other.period = Some("2022".into());
    for o in &mut other.observations {
        let q = o.dims.get_mut("quarter").unwrap();
        *q = q.replace("2024", "2022");
    }
    other.provenance.periods = vec!["2022-Q1".into(), "2022-Q4".into()];
    assert!(audit_together(&[("years", &y), ("other", &other)]).unwrap().passes());
}

#[test]
fn the_second_release_is_suppressed_further_until_both_are_safe() {
    let earlier = vec![("release of the years".to_string(), years())];
    let p = protect(quarters(), &earlier, audit_together).unwrap();
    assert!(p.suppressed >= 2, "{}", p.suppressed);
    assert!(p.audits >= 2);
    // An independent check: the published values of both files, by hand. The 2024 total of the
    // quarters is hidden and at least one quarter with it.
    let hidden: Vec<&Observation> =
        p.report.observations.iter().filter(|o| o.conf_status == D).collect();
    assert!(hidden.iter().any(|o| o.dims["quarter"] == "_T" && o.dims["country"] == "KZ"));
    assert!(hidden.iter().any(|o| o.dims["quarter"] != "_T" && o.dims["country"] == "KZ"));
    let a = audit_together(&[("years", &years()), ("quarters", &p.report)]).unwrap();
    assert!(a.passes(), "{:?}", narrowed(&a));
    for c in &a.cells {
        assert_eq!((c.cell.lower, c.cell.upper), (1.0, Some(4.0)), "{c:?}");
    }
}

#[test]
fn a_changed_figure_is_refused_naming_the_earlier_release() {
    // A year report again, after a case was added: the published total 43 is now 44.
    let mut again = years();
    for o in &mut again.observations {
        if o.dims["year"] == "_T" {
            o.value = Some(44.into());
        }
    }
    let err = audit_together(&[("release r1 of 2026-01-02", &years()), ("this report", &again)])
        .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ReportError::ReleaseRefused(_)), "{msg}");
    assert!(msg.contains("release r1 of 2026-01-02") && msg.contains("44"), "{msg}");
    // Through the loop, too.
    let earlier = vec![("release r1 of 2026-01-02".to_string(), years())];
    assert!(matches!(
        protect(again, &earlier, audit_together),
        Err(ReportError::ReleaseRefused(_))
    ));
}

#[test]
fn what_cannot_be_protected_is_refused_naming_the_earlier_release() {
    // An audit that finds the earlier cell narrowed whenever the new report is with it: once no
    // cell of the new report is left to suppress, the release is refused and the message names
    // the earlier release.
    let always = |rs: &[(&str, &Report)]| -> Result<JointAudit, ReportError> {
        let mut a = audit_together(rs)?;
        if rs.len() < 2 {
            return Ok(a);
        }
        let dims = years().observations[0].dims.clone();
        a.cells.push(JointCell {
            release: 0,
            cell: CellAudit {
                indicator: "admissions".into(),
                dims,
                conf_status: C,
                lower: 3.0,
                upper: Some(3.0),
                flags_lower: 1.0,
                flags_upper: 4.0,
                protected: false,
            },
        });
        Ok(a)
    };
    let earlier = vec![("release r0123 of 2026-01-02 (--by country,year)".to_string(), years())];
    let err = protect(quarters(), &earlier, always).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ReportError::ReleaseRefused(_)), "{msg}");
    assert!(msg.contains("release r0123 of 2026-01-02 (--by country,year)"), "{msg}");
    assert!(msg.contains("admissions [country=KZ, year=2023]"), "{msg}");
}

fn log_use(dir: &std::path::Path, label: &str) -> ReleaseLogUse {
    ReleaseLogUse { dir: dir.join("logs"), key_file: dir.join("hub.key"), label: label.into() }
}

#[test]
fn the_log_remembers_the_first_release_and_protects_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let first = release_with_log(years(), &log_use(dir.path(), "years.json")).unwrap();
    assert_eq!((first.earlier, first.suppressed), (0, 0));
    let second = release_with_log(quarters(), &log_use(dir.path(), "quarters.json")).unwrap();
    assert_eq!(second.earlier, 1);
    assert!(second.suppressed >= 2);
    let a = audit_together(&[("years", &first.report), ("quarters", &second.report)]).unwrap();
    assert!(a.passes());
    // Both are in the log, in order, and the log reads back.
    let (key, _) = LedgerKey::load_or_create(&dir.path().join("hub.key")).unwrap();
    let p = population();
    let log =
        ReleaseLog::open(&ReleaseLog::path_in(&dir.path().join("logs"), &p), &p, &key).unwrap();
    let ids: Vec<&str> = log.releases().iter().map(|r| r.release.as_str()).collect();
    assert_eq!(ids, [first.release.as_str(), second.release.as_str()]);
    assert_eq!(log.releases()[1].report().unwrap(), second.report);
}

#[test]
fn editing_or_removing_a_logged_release_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    release_with_log(years(), &log_use(dir.path(), "years.json")).unwrap();
    release_with_log(quarters(), &log_use(dir.path(), "quarters.json")).unwrap();
    let p = population();
    let path = ReleaseLog::path_in(&dir.path().join("logs"), &p);
    let good = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    assert_eq!(lines.len(), 3);
    // Someone hides the first release's 2023 secondary cell afresh, to let a report pass.
    let edited = lines[1].replace("years.json", "other.json");
    let removed = format!("{}\n{}\n", lines[0], lines[2]);
    let swapped = format!("{}\n{}\n{}\n", lines[0], lines[2], lines[1]);
    for (what, text) in [
        ("edited", format!("{}\n{edited}\n{}\n", lines[0], lines[2])),
        ("removed", removed),
        ("swapped", swapped),
    ] {
        std::fs::write(&path, text).unwrap();
        let err = release_with_log(quarters(), &log_use(dir.path(), "again.json")).unwrap_err();
        assert!(matches!(err, ReportError::ReleaseLog { .. }), "{what}: {err}");
        assert!(err.to_string().contains("does not verify"), "{what}: {err}");
    }
    // Under another key, the log is refused too.
    std::fs::write(&path, &good).unwrap();
    let other = tempfile::tempdir().unwrap();
    let use_other = ReleaseLogUse {
        dir: dir.path().join("logs"),
        key_file: other.path().join("other.key"),
        label: "x".into(),
    };
    let err = release_with_log(quarters(), &use_other).unwrap_err();
    assert!(err.to_string().contains("ledger key"), "{err}");
}

#[test]
fn two_runs_at_once_are_audited_one_after_the_other() {
    // The log is locked from open to append: whichever run comes second sees the first.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    // The hub's key exists before the runs (two first runs racing to create it is another matter).
    LedgerKey::load_or_create(&d.join("hub.key")).unwrap();
    let runs: Vec<_> = [("years.json", years()), ("quarters.json", quarters())]
        .into_iter()
        .map(|(label, r)| {
            let d = d.clone();
            std::thread::spawn(move || release_with_log(r, &log_use(&d, label)).unwrap())
        })
        .collect();
    let mut done: Vec<_> = runs.into_iter().map(|t| t.join().unwrap()).collect();
    done.sort_by_key(|r| r.earlier);
    assert_eq!(done.iter().map(|r| r.earlier).collect::<Vec<_>>(), [0, 1]);
    let (first, second) = (&done[0].report, &done[1].report);
    let a = audit_together(&[("first", first), ("second", second)]).unwrap();
    assert!(a.passes(), "{:?}", narrowed(&a));
}
