//! The registry of every core codelist, for listing, labelling and checking them at run time.

use super::codelist::Codelist;
use super::*;

/// A core codelist as data: its id and its codes in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodelistInfo {
    /// The id of the list, e.g. `referral_source`.
    pub id: &'static str,
    /// The ids of its codes, in order.
    pub codes: &'static [&'static str],
}

macro_rules! registry {
    ($($t:ty),+ $(,)?) => {
        /// Every core codelist of the standard.
        pub fn codelists() -> Vec<CodelistInfo> {
            vec![$(CodelistInfo { id: <$t as Codelist>::LIST, codes: {
                const N: usize = <$t as Codelist>::ALL.len();
                static IDS: std::sync::OnceLock<[&'static str; N]> = std::sync::OnceLock::new();
                IDS.get_or_init(|| std::array::from_fn(|i| <$t as Codelist>::ALL[i].id()))
            } }),+]
        }
    };
}

registry!(
    OperatorType,
    CaseStatus,
    ReferralSource,
    IntakePoint,
    RelinquishmentIntent,
    ClosureReason,
    NationalIdType,
    ResidenceStatus,
    IscedLevel,
    Employment,
    MaritalStatus,
    Sex,
    ChildLocation,
    ChildHealthCondition,
    RiskFactor,
    ViolenceType,
    RiskLevel,
    ServiceType,
    ServiceDelivery,
    ServiceStatus,
    StayType,
    Placement,
    HousingOutcome,
    IncomeOutcome,
    FollowUpPoint,
    ContactResult,
    ContactMethod,
);

/// The core codelist with this id.
pub fn codelist(id: &str) -> Option<CodelistInfo> {
    codelists().into_iter().find(|c| c.id == id)
}

/// The ids of every codelist a front end offers: the core lists, then the country extension
/// lists (`kz_family_map_category`…). The one list the CLI, Python and uniffi all show.
pub fn codelist_ids() -> Vec<String> {
    let mut ids: Vec<String> = codelists().iter().map(|c| c.id.to_string()).collect();
    ids.extend(labels::extension_lists().iter().map(|e| e.id.clone()));
    ids
}

/// The codes of codelist `id`, a core list (in order) or a country extension list; `None` for
/// an id [`codelist_ids`] does not give.
pub fn codelist_codes(id: &str) -> Option<Vec<String>> {
    match codelist(id) {
        Some(c) => Some(c.codes.iter().map(|c| c.to_string()).collect()),
        None => labels::extension_list(id).map(|e| e.maps.keys().cloned().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_codelist_has_a_label_in_all_seven_languages() {
        let mut missing = Vec::new();
        for list in codelists() {
            for lang in Lang::ALL {
                if labels::title(list.id, lang).is_none() {
                    missing.push(format!("{} (title) [{lang}]", list.id));
                }
                for code in list.codes {
                    if labels::label(list.id, code, lang).is_none_or(|s| s.trim().is_empty()) {
                        missing.push(format!("{}/{code} [{lang}]", list.id));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing labels: {missing:#?}");
    }

    #[test]
    fn data_file_has_no_codes_the_types_lack() {
        let typed: BTreeSet<&str> = codelists().iter().map(|c| c.id).collect();
        let labelled: BTreeSet<&str> = labels::labelled_lists().into_iter().collect();
        assert_eq!(typed, labelled, "codelists in types vs data/codelists.json");
        for list in codelists() {
            let a: BTreeSet<&str> = list.codes.iter().copied().collect();
            let b: BTreeSet<&str> = labels::labelled_codes(list.id).into_iter().collect();
            assert_eq!(a, b, "codes of {}", list.id);
        }
    }

    #[test]
    fn extension_codes_map_onto_existing_core_codes() {
        let exts = labels::extension_lists();
        assert!(exts.iter().any(|e| e.id == "kz_family_map_category"));
        for e in exts {
            let core =
                codelist(&e.extends).unwrap_or_else(|| panic!("{} extends unknown list", e.id));
            for (code, target) in &e.maps {
                assert!(core.codes.contains(&target.as_str()), "{}/{code} -> {target}", e.id);
                for lang in Lang::ALL {
                    assert!(labels::label(&e.id, code, lang).is_some(), "{}/{code} [{lang}]", e.id);
                }
            }
        }
    }

    #[test]
    fn every_listed_id_has_codes_and_extension_lists_are_listed() {
        let ids = codelist_ids();
        assert!(ids.iter().any(|i| i == "referral_source"));
        assert!(ids.iter().any(|i| i == "kz_family_map_category"));
        for id in &ids {
            assert!(codelist_codes(id).is_some_and(|c| !c.is_empty()), "{id}");
        }
        assert_eq!(codelist_codes("no_such_list"), None);
    }

    #[test]
    fn code_ids_are_stable_ascii() {
        for list in codelists() {
            assert!(list.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            for code in list.codes {
                assert!(code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'), "{code}");
            }
        }
    }
}
