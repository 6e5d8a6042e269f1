//! Deterministic synthetic case data for the Mother's Home network.
//!
//! Case `i` of seed `s` is always the same case, whatever else is generated, so cases can be
//! produced in parallel and streamed: [`case`] draws one, [`cases`] iterates, and [`write_jsonl`]
//! writes JSON Lines using every core. The network covers the six countries with names in their
//! scripts (Kazakh and Russian Cyrillic, Uzbek Latin and Cyrillic, Ukrainian, Malay, Turkish),
//! national IDs with correct check digits, plausible stays per country, services, outcomes and
//! follow-ups. About 3 % of cases are a woman coming back, her name and ID written differently
//! now and then; [`person_of`] tells which earlier case she first appeared in.
#![forbid(unsafe_code)]

mod case_gen;
mod case_history;
mod draw;
pub mod names;
pub mod network;
mod person;

pub use case_gen::{case, country_of, person_of, reference_date, RETURN_PER_MILLE};
pub use person::{make_national_id, uppercase, Identity};

use ona_core::schema::Case;
use std::io::{self, Write};

/// Cases `0..n` of `seed`, in order.
pub fn cases(seed: u64, n: u64) -> impl Iterator<Item = Case> {
    (0..n).map(move |i| case(seed, i))
}

/// Cases per batch handed to a worker thread by [`write_jsonl`].
const BATCH: u64 = 2048;

/// Writes cases `0..n` of `seed` as JSON Lines (one case per line) to `out`, using every core
/// while keeping the output identical to a sequential run. Calls `progress` with the number of
/// cases written so far after each batch.
pub fn write_jsonl<W: Write>(
    seed: u64,
    n: u64,
    out: &mut W,
    mut progress: impl FnMut(u64),
) -> io::Result<()> {
    let workers =
        std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1).clamp(1, 8) as u64;
    let mut next = 0u64;
    while next < n {
        let round: Vec<(u64, u64)> = (0..workers)
            .map(|w| (next + w * BATCH, (next + (w + 1) * BATCH).min(n)))
            .filter(|(a, b)| a < b)
            .collect();
        let buffers: Vec<io::Result<Vec<u8>>> = std::thread::scope(|s| {
            let handles: Vec<_> = round
                .iter()
                .map(|&(a, b)| {
                    s.spawn(move || {
                        let mut buf = Vec::with_capacity(((b - a) * 2048) as usize);
                        for i in a..b {
                            serde_json::to_writer(&mut buf, &case(seed, i))
                                .map_err(io::Error::other)?;
                            buf.push(b'\n');
                        }
                        Ok(buf)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("worker panicked"))))
                .collect()
        });
        for buf in buffers {
            out.write_all(&buf?)?;
        }
        next = round.last().map(|r| r.1).unwrap_or(n);
        progress(next);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ona_core::schema::{validate_json, validate_value};

    #[test]
    fn country_of_is_the_country_of_the_case() {
        for i in 0..2000 {
            assert_eq!(country_of(5, i).code, case(5, i).centre.country, "case {i}");
        }
    }

    #[test]
    fn generated_cases_are_valid() {
        for c in cases(7, 3000) {
            let v = serde_json::to_value(&c).unwrap();
            if let Err(e) = validate_value(v.clone()) {
                panic!("case {} invalid: {e}\n{}", c.id, serde_json::to_string_pretty(&v).unwrap());
            }
        }
    }

    #[test]
    fn deterministic_and_order_independent() {
        assert_eq!(case(42, 1234), case(42, 1234));
        assert_ne!(case(42, 1234), case(43, 1234));
        let mut par = Vec::new();
        write_jsonl(9, 5000, &mut par, |_| {}).unwrap();
        let seq: String =
            cases(9, 5000).map(|c| serde_json::to_string(&c).unwrap() + "\n").collect();
        assert_eq!(String::from_utf8(par).unwrap(), seq);
    }

    #[test]
    fn every_country_and_script_appears() {
        let cs: Vec<Case> = cases(1, 4000).collect();
        for country in ["KZ", "UZ", "KG", "UA", "MY", "TR"] {
            assert!(cs.iter().filter(|c| c.centre.country == country).count() > 50, "{country}");
        }
        let all: String = cs
            .iter()
            .map(|c| format!("{} {:?} ", c.mother.name.given, c.mother.name.family))
            .collect();
        for ch in ['Қ', 'ә', 'ʻ', 'І', 'ı', 'İ', 'ş', 'Ў', 'ҳ'] {
            assert!(
                all.contains(ch)
                    || cs.iter().any(|c| serde_json::to_string(c).unwrap().contains(ch)),
                "{ch}"
            );
        }
        assert!(cs.iter().any(|c| c.extensions.iter().any(|e| e.list == "kz_family_map_category")));
        assert!(cs.iter().any(|c| !c.follow_ups.is_empty()));
        assert!(cs.iter().any(|c| c.stay.as_ref().is_some_and(|s| s.discharge_date.is_none())));
    }

    #[test]
    fn returning_women_keep_their_identity() {
        let mut returns = 0;
        for i in 0..5000 {
            let p = person_of(3, i);
            if p != i {
                returns += 1;
                let (a, b) = (case(3, p), case(3, i));
                assert_eq!(a.mother.birth_date, b.mother.birth_date);
                assert_eq!(a.centre.country, b.centre.country);
                assert!(b.intake_date >= a.intake_date);
            }
        }
        assert!((80..250).contains(&returns), "{returns} returns in 5000");
    }

    #[test]
    fn stays_respect_country_limits() {
        for c in cases(5, 3000) {
            let p = network::country(&c.centre.country).unwrap();
            if let Some(s) = &c.stay {
                if let Some(d) = s.discharge_date {
                    let days = s.admission_date.days_until(d);
                    assert!(
                        days >= i64::from(p.stay_days.0) && days <= i64::from(p.stay_days.1),
                        "{days}"
                    );
                }
            }
            let line = serde_json::to_string(&c).unwrap();
            assert!(validate_json(&line).is_ok());
        }
    }
}

#[cfg(test)]
mod name_table_tests {
    use ona_core::pseudonym::canonical::canonical_name;

    /// Every spelling of every name in the synthetic tables has one canonical form: the ground
    /// truth that lets the generator's returning women be linked.
    #[test]
    fn every_spelling_of_a_name_meets_in_one_canonical_form() {
        for country in ["KZ", "UZ", "KG", "UA", "MY", "TR"] {
            let t = crate::names::table(country);
            for forms in
                t.given.iter().chain(t.family).chain(t.patronymic).chain(t.girls).chain(t.boys)
            {
                let first = canonical_name(&[forms[0]], true);
                for f in *forms {
                    assert_eq!(
                        canonical_name(&[f], true),
                        first,
                        "{country}: {f:?} vs {:?}",
                        forms[0]
                    );
                    let upper = crate::uppercase(f, country);
                    assert_eq!(canonical_name(&[&upper], true), first, "{country}: {upper:?}");
                }
            }
        }
    }
}
