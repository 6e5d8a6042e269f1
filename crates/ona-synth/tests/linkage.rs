//! Linkage on the synthetic network's returning women, whose ground truth the generator knows
//! ([`ona_synth::person_of`]): how many returning women get one pseudonym (recall) and how many
//! distinct women share one (false links).
//!
//! Two linkages are measured. "record": the mother pseudonym of `Pseudonymiser::pseudonymise`
//! (national ID when valid, else name and birth date). "full name": a partner system's one
//! full-name column — family, given and patronymic when the record has one, in one string —
//! pseudonymised as `kind="name"`, joined with the birth date; this is where patronymics that
//! some records carry and others drop would split a woman.
//!
//! Print the figures: `cargo test -p ona-synth --release --test linkage -- --nocapture`.

use ona_core::pseudonym::{IdentifierKind, MasterKey, Policy, Pseudonymiser};
use ona_synth::{case, person_of};
use std::collections::{HashMap, HashSet};

struct Linkage {
    recall: f64,
    returning: usize,
    false_link_share: f64,
    women: usize,
}

/// Recall and false links of `keys[i]` (the linkage key of case i; None: not linkable).
fn measure(roots: &[u64], keys: &[Option<String>]) -> Linkage {
    let key_of_root: HashMap<u64, &Option<String>> = roots
        .iter()
        .enumerate()
        .filter(|(i, r)| **r == *i as u64)
        .map(|(i, r)| (*r, &keys[i]))
        .collect();
    let (mut returning, mut linked) = (0, 0);
    for (i, root) in roots.iter().enumerate() {
        if *root != i as u64 {
            returning += 1;
            if keys[i].is_some() && key_of_root.get(root).is_some_and(|k| **k == keys[i]) {
                linked += 1;
            }
        }
    }
    let mut women_of: HashMap<&str, HashSet<u64>> = HashMap::new();
    for (root, key) in roots.iter().zip(keys) {
        if let Some(k) = key {
            women_of.entry(k).or_default().insert(*root);
        }
    }
    let women: HashSet<u64> = roots.iter().copied().collect();
    let shared: HashSet<u64> =
        women_of.values().filter(|w| w.len() > 1).flat_map(|w| w.iter().copied()).collect();
    Linkage {
        recall: linked as f64 / returning.max(1) as f64,
        returning,
        false_link_share: shared.len() as f64 / women.len() as f64,
        women: women.len(),
    }
}

#[test]
fn returning_women_get_one_pseudonym_and_distinct_women_rarely_share_one() {
    let (seed, n) = (3u64, 20_000u64);
    let master = MasterKey::from_bytes(&[7; 32], 1).unwrap();
    let p = Pseudonymiser::new(&master, "kz/linkage", Policy::default()).unwrap();
    let roots: Vec<u64> = (0..n).map(|i| person_of(seed, i)).collect();
    let (mut record, mut full_name, mut with_patronymic) = (Vec::new(), Vec::new(), 0);
    for i in 0..n {
        let c = case(seed, i);
        let pc = p.pseudonymise(&c).unwrap();
        record.push(pc.mother.pseudonym.map(|p| p.to_string()));
        let m = &c.mother;
        let mut name = m.name.family.clone().unwrap_or_default();
        name.push(' ');
        name.push_str(&m.name.given);
        if let Some(pat) = &m.name.patronymic {
            name.push(' ');
            name.push_str(pat);
            with_patronymic += 1;
        }
        let birth = m.birth_date.map(|d| d.to_string()).unwrap_or_default();
        full_name
            .push(p.pseudonym_of(IdentifierKind::Name, &name).map(|ps| format!("{ps}|{birth}")));
    }
    let r = measure(&roots, &record);
    let f = measure(&roots, &full_name);
    println!(
        "linkage on {n} synthetic cases (seed {seed}), {} women, {} returning cases, \
         {with_patronymic} records with a patronymic",
        r.women, r.returning
    );
    println!(
        "  record (ID, else name + birth date): recall {:.4}, women sharing a pseudonym {:.5}",
        r.recall, r.false_link_share
    );
    println!(
        "  full-name column + birth date:       recall {:.4}, women sharing a pseudonym {:.5}",
        f.recall, f.false_link_share
    );
    assert!(r.returning > 300, "{}", r.returning);
    assert!(r.recall >= 0.99, "record recall {}", r.recall);
    assert!(r.false_link_share <= 0.001, "record false links {}", r.false_link_share);
    assert!(f.recall >= 0.97, "full-name recall {}", f.recall);
    assert!(f.false_link_share <= 0.01, "full-name false links {}", f.false_link_share);
}
