//! A synthetic woman: who she is does not depend on which case she appears in, so when she comes
//! back (a later case) she has the same identity, written differently now and then.

use crate::names::{table, Forms};
use ona_core::schema::{national_id, Date, NationalId, NationalIdType, PersonName};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The stable identity of a synthetic woman.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Her country.
    pub country: &'static str,
    /// Given name and its spellings.
    pub given: Forms,
    /// Family name and its spellings (absent for Malaysian names written whole in `given`).
    pub family: Option<Forms>,
    /// Patronymic and its spellings.
    pub patronymic: Option<Forms>,
    /// Date of birth.
    pub birth_date: Date,
    /// National ID digits, if she has an ID.
    pub national_id: Option<(NationalIdType, String)>,
    /// Phone number.
    pub phone: String,
    /// Which spelling her own centre uses (Uzbek records are in Latin or in Cyrillic script).
    pub usual_form: usize,
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, xs: &[T]) -> T {
    xs[rng.random_range(0..xs.len())]
}

fn id_type(country: &str) -> NationalIdType {
    match country {
        "KZ" => NationalIdType::KzIin,
        "UZ" => NationalIdType::UzPinfl,
        "KG" => NationalIdType::KgPin,
        "UA" => NationalIdType::UaRnokpp,
        "MY" => NationalIdType::MyMykad,
        _ => NationalIdType::TrTckn,
    }
}

fn digits(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

/// A valid national ID of `t` for a woman born on `birth`.
pub fn make_national_id(rng: &mut ChaCha8Rng, t: NationalIdType, birth: Date) -> String {
    let yy = birth.year() % 100;
    let (mm, dd) = (birth.month(), birth.day());
    let female_digit = |c19: u8, c20: u8| if birth.year() < 2000 { c19 } else { c20 };
    loop {
        let body = match t {
            NationalIdType::KzIin => {
                format!("{yy:02}{mm:02}{dd:02}{}{}", female_digit(4, 6), digits(rng, 4))
            }
            NationalIdType::UzPinfl => {
                format!("{}{dd:02}{mm:02}{yy:02}{}", female_digit(4, 6), digits(rng, 6))
            }
            NationalIdType::KgPin => {
                format!("1{dd:02}{mm:02}{:04}{}", birth.year(), digits(rng, 5))
            }
            NationalIdType::UaRnokpp => {
                let base = Date::new(1899, 12, 31).map(Date::to_days).unwrap_or_default();
                let days = birth.to_days() - base;
                format!("{days:05}{}{}", digits(rng, 3), 2 * rng.random_range(0..5u8))
            }
            NationalIdType::MyMykad => {
                let pb = pick(rng, &["14", "10", "01", "08", "12"]);
                format!(
                    "{yy:02}{mm:02}{dd:02}{pb}{}{}",
                    digits(rng, 3),
                    2 * rng.random_range(0..5u8)
                )
            }
            NationalIdType::TrTckn => format!("{}{}", rng.random_range(1..10u8), digits(rng, 8)),
        };
        if let Ok(Some(full)) = national_id::complete(t, &body) {
            return full;
        }
    }
}

fn phone(rng: &mut ChaCha8Rng, country: &str) -> String {
    match country {
        "KZ" => format!(
            "+7 70{} {} {} {}",
            rng.random_range(0..8),
            digits(rng, 3),
            digits(rng, 2),
            digits(rng, 2)
        ),
        "UZ" => format!(
            "+998 9{} {} {} {}",
            rng.random_range(0..10),
            digits(rng, 3),
            digits(rng, 2),
            digits(rng, 2)
        ),
        "KG" => format!("+996 70{} {} {}", rng.random_range(0..10), digits(rng, 3), digits(rng, 3)),
        "UA" => format!(
            "+380 6{} {} {} {}",
            rng.random_range(3..9),
            digits(rng, 3),
            digits(rng, 2),
            digits(rng, 2)
        ),
        "MY" => format!("+60 1{}-{} {}", rng.random_range(0..10), digits(rng, 3), digits(rng, 4)),
        _ => format!(
            "+90 5{} {} {} {}",
            digits(rng, 2),
            digits(rng, 3),
            digits(rng, 2),
            digits(rng, 2)
        ),
    }
}

impl Identity {
    /// Draws a woman of `country` who is `age_at` years old around `on`.
    pub fn draw(rng: &mut ChaCha8Rng, country: &'static str, on: Date) -> Identity {
        let t = table(country);
        let age =
            if rng.random_bool(0.05) { rng.random_range(15..18) } else { rng.random_range(18..43) };
        let birth = on
            .add_months(-12 * age - rng.random_range(0..12))
            .and_then(|d| d.add_days(-rng.random_range(0..28)))
            .unwrap_or(on);
        let has_id = rng.random_bool(0.85);
        let id = has_id.then(|| {
            let ty = id_type(country);
            (ty, make_national_id(rng, ty, birth))
        });
        Identity {
            country,
            given: pick(rng, t.given),
            family: (!t.family.is_empty()).then(|| pick(rng, t.family)),
            patronymic: (!t.patronymic.is_empty() && rng.random_bool(0.6))
                .then(|| pick(rng, t.patronymic)),
            birth_date: birth,
            national_id: id,
            phone: phone(rng, country),
            usual_form: usize::from(country == "UZ" && rng.random_bool(0.3)),
        }
    }

    /// Her name as one record writes it: `variant` 0 is the usual spelling; other variants use
    /// another spelling (other script), capitals, or given and family names swapped.
    pub fn name(&self, rng: &mut ChaCha8Rng, variant: bool) -> PersonName {
        let spell = |rng: &mut ChaCha8Rng, f: Forms, other: bool| -> String {
            if other && f.len() > 1 { f[rng.random_range(1..f.len())] } else { f[0] }.to_string()
        };
        if !variant {
            let usual = |f: Forms| f[self.usual_form.min(f.len() - 1)].to_string();
            return PersonName {
                given: usual(self.given),
                family: self.family.map(usual),
                patronymic: self.patronymic.map(usual),
            };
        }
        let other_script = rng.random_bool(0.6);
        let mut given = spell(rng, self.given, other_script);
        let mut family = self.family.map(|f| spell(rng, f, other_script));
        if rng.random_bool(0.3) {
            given = uppercase(&given, self.country);
            family = family.map(|f| uppercase(&f, self.country));
        }
        let patronymic = if rng.random_bool(0.5) {
            self.patronymic.map(|p| spell(rng, p, other_script))
        } else {
            None
        };
        if rng.random_bool(0.25) {
            if let Some(f) = family.take() {
                family = Some(given);
                given = f;
            }
        }
        PersonName { given, family, patronymic }
    }

    /// Her national ID as one record writes it (digits, or grouped with spaces or dashes).
    pub fn national_id_written(&self, rng: &mut ChaCha8Rng, variant: bool) -> Option<NationalId> {
        let (t, digits) = self.national_id.as_ref()?;
        let value = if variant && rng.random_bool(0.5) {
            let (a, b) = digits.split_at(digits.len() / 2);
            format!("{a}{}{b}", if rng.random_bool(0.5) { " " } else { "-" })
        } else {
            digits.clone()
        };
        Some(NationalId { id_type: *t, value })
    }
}

/// Upper case as written in the country: Turkish capitalises i as İ.
pub fn uppercase(s: &str, country: &str) -> String {
    if country == "TR" {
        s.chars()
            .map(|c| if c == 'i' { "İ".to_string() } else { c.to_uppercase().to_string() })
            .collect()
    } else {
        s.to_uppercase()
    }
}
