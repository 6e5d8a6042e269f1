use super::*;
use crate::report::dp::NANO;

fn pop(d: &str) -> Population {
    Population { domain: d.into(), key_id: "k1".into() }
}

const BUDGET: (&str, &str) = ("1", "0.00001");

#[test]
fn charges_persist_and_the_budget_is_refused_when_spent() {
    let dir = tempfile::tempdir().unwrap();
    let key = LedgerKey::generate().unwrap();
    let path = Ledger::path_in(dir.path(), &pop("kz/cm"));
    let mut l = Ledger::open(&path, &pop("kz/cm"), &key, BUDGET).unwrap();
    assert_eq!(l.charge("first", NANO / 2, 0).unwrap(), 1);
    drop(l);
    // A later open with another budget keeps the ledger's own.
    let mut l = Ledger::open(&path, &pop("kz/cm"), &key, ("9", "0.1")).unwrap();
    assert_eq!(l.entries().len(), 1);
    l.charge("second", NANO / 2, 0).unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = l.charge("third", NANO / 10, 0).unwrap_err();
    assert!(matches!(err, ReportError::BudgetExceeded { .. }), "{err}");
    assert!(err.to_string().contains("kz/cm"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "a refused charge writes nothing");
    assert_eq!(l.remaining().0, "0");
}

/// The attacker edits, removes, reorders or inserts lines of the ledger file to get budget back,
/// or presents the file under the wrong key or as another population's ledger.
#[test]
fn tampering_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let key = LedgerKey::generate().unwrap();
    let p = pop("ua/cm");
    let path = dir.path().join("l.jsonl");
    let mut l = Ledger::open(&path, &p, &key, ("10", "0.00001")).unwrap();
    for i in 0..3 {
        l.charge(&format!("release {i}"), NANO, 0).unwrap();
    }
    drop(l);
    let good = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    assert_eq!(lines.len(), 4);
    let edits: Vec<(&str, String)> = vec![
        ("smaller ε", good.replacen("\"epsilon\":\"1\"", "\"epsilon\":\"0.1\"", 1)),
        (
            "bigger budget",
            good.replacen("\"budget_epsilon\":\"10\"", "\"budget_epsilon\":\"99\"", 1),
        ),
        ("middle entry removed", [lines[0], lines[1], lines[3]].join("\n") + "\n"),
        ("entries swapped", [lines[0], lines[2], lines[1], lines[3]].join("\n") + "\n"),
        ("entry duplicated", [lines[0], lines[1], lines[1]].join("\n") + "\n"),
        ("first entry removed", [lines[0], lines[2], lines[3]].join("\n") + "\n"),
        ("garbage line", good.clone() + "{\"entry\":4}\n"),
    ];
    for (what, text) in edits {
        assert_ne!(text, good, "{what}");
        std::fs::write(&path, &text).unwrap();
        let err = Ledger::open(&path, &p, &key, BUDGET).unwrap_err();
        assert!(matches!(err, ReportError::Ledger { .. }), "{what}: {err}");
    }
    std::fs::write(&path, &good).unwrap();
    let other = LedgerKey::generate().unwrap();
    let err = Ledger::open(&path, &p, &other, BUDGET).unwrap_err();
    assert!(err.to_string().contains("ledger key"), "{err}");
    let err = Ledger::open(&path, &pop("kz/cm"), &key, BUDGET).unwrap_err();
    assert!(err.to_string().contains("population"), "{err}");
    // Untouched, it opens; blank lines do not matter.
    std::fs::write(&path, good.clone() + "\n").unwrap();
    assert_eq!(Ledger::open(&path, &p, &key, BUDGET).unwrap().entries().len(), 3);
}

/// Two runs at once: each holds the lock across read-check-append, so both charges land.
#[test]
fn concurrent_charges_are_both_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.jsonl");
    let key = std::sync::Arc::new(LedgerKey::generate().unwrap());
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let (path, key) = (path.clone(), key.clone());
            std::thread::spawn(move || {
                let mut l = Ledger::open(&path, &pop("kz/cm"), &key, ("1", "0.00001")).unwrap();
                let seen = l.entries().len();
                std::thread::sleep(std::time::Duration::from_millis(20));
                l.charge(&format!("run {i}"), NANO / 4, 0).map(|n| (seen, n))
            })
        })
        .collect();
    let mut numbers: Vec<u64> = threads.into_iter().map(|t| t.join().unwrap().unwrap().1).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, [1, 2, 3, 4]);
    let l = Ledger::open(&path, &pop("kz/cm"), &key, BUDGET).unwrap();
    assert_eq!(l.entries().len(), 4);
    assert!(l.check(1, 0).is_err(), "the budget is spent: one more unit is refused");
}

#[test]
fn key_files_are_made_owner_only_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.key");
    let (k, created) = LedgerKey::load_or_create(&path).unwrap();
    assert!(created);
    let (k2, created) = LedgerKey::load_or_create(&path).unwrap();
    assert!(!created);
    assert_eq!(k.id(), k2.id());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    std::fs::write(&path, "zz").unwrap();
    assert!(LedgerKey::load(&path).is_err());
}
