//! Message templates for validation problems, in the seven languages, from `data/messages.json`.
//!
//! A template names parameters in braces, e.g. `{value} is not a code of {list}`.

use super::problem::Problem;
use crate::schema::Lang;
use std::collections::BTreeMap;
use std::sync::OnceLock;

type Templates = BTreeMap<String, BTreeMap<String, String>>;

const DATA: &str = include_str!("../../../data/messages.json");

pub(crate) fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    // The file ships with the crate and is checked by tests; failing here is a build defect.
    T.get_or_init(|| serde_json::from_str(DATA).expect("data/messages.json is well-formed"))
}

/// The template of a problem code in a language, if there is one.
pub fn template(code: &str, lang: Lang) -> Option<&'static str> {
    templates().get(code)?.get(lang.code()).map(String::as_str).filter(|s| !s.is_empty())
}

pub(crate) fn render(p: &Problem, lang: Lang) -> String {
    let t = template(p.code.id(), lang)
        .or_else(|| template(p.code.id(), Lang::En))
        .unwrap_or(p.code.id());
    let mut out = t.to_string();
    for (name, value) in &p.params {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ProblemCode;

    #[test]
    fn every_code_has_a_message_in_every_language_with_the_same_parameters() {
        let params = |s: &str| -> Vec<String> {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            v.sort();
            v
        };
        for code in ProblemCode::ALL {
            let en =
                template(code.id(), Lang::En).unwrap_or_else(|| panic!("no English for {code}"));
            for lang in Lang::ALL {
                let t = template(code.id(), lang)
                    .unwrap_or_else(|| panic!("no {lang} message for {code}"));
                assert_eq!(params(t), params(en), "{code} [{lang}] parameters");
            }
        }
        assert_eq!(
            templates().len(),
            ProblemCode::ALL.len(),
            "messages.json has codes the enum lacks"
        );
    }

    #[test]
    fn renders_parameters() {
        let p = Problem::new("/referral_source", ProblemCode::UnknownCode)
            .with("value", "\"aliens\"")
            .with("list", "referral_source");
        let en = p.message(Lang::En);
        assert!(en.contains("\"aliens\"") && en.contains("referral_source"), "{en}");
        let ru = p.message(Lang::Ru);
        assert!(ru.contains("\"aliens\"") && ru != en, "{ru}");
    }
}
