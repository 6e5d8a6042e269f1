//! What the page shows of one published cell: its value, its numerator and denominator, its 95 %
//! interval when noise was added, or why there is no value — and how that reads in a language.

use super::locale::{to_tenths, Local};
use super::words::{word, Word};
use crate::report::dimensions::Dimension;
use crate::report::indicators::Indicator;
use crate::report::model::{Observation, Report};

/// Why a cell has no value, or that it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// A published value.
    Shown,
    /// Withheld for confidentiality (`OBS_STATUS` Q).
    Suppressed,
    /// A figure this report cannot give (`OBS_STATUS` M).
    Missing,
    /// No such cell in the report (nothing happened there, or the breakdown lacks it).
    Absent,
}

/// One cell as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Figure {
    /// Shown, suppressed, missing or absent.
    pub state: State,
    /// The value, when shown.
    pub value: Option<f64>,
    /// Numerator of a share, when published.
    pub numerator: Option<u64>,
    /// Denominator of a share, when published.
    pub denominator: Option<u64>,
    /// The 95 % interval of a noisy value.
    pub interval: Option<Interval>,
    /// `NUMBER`, `PERCENT` or `DAYS`.
    pub unit: &'static str,
}

/// The 95 % interval of a noisy value, in the value's unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Interval {
    /// A noisy count: value ± this half-width (the report's `margin_95`).
    PlusMinus(f64),
    /// A share of two noisy counts: from the first bound to the second (the report's `low_95`
    /// and `high_95`), not centred on the value.
    Range(f64, f64),
}

/// The 95 % interval of an observation, when noise was added. Everything else — “± x” or
/// “(a – b)” after values in tiles, tables and chart descriptions, bands and whiskers in the
/// charts, the notes explaining them — follows from this one function.
fn interval(o: &Observation) -> Option<Interval> {
    let num = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
    match (o.margin_95, num(&o.low_95), num(&o.high_95)) {
        (Some(m), _, _) => Some(Interval::PlusMinus(m as f64)),
        (None, Some(a), Some(b)) => Some(Interval::Range(a, b)),
        _ => None,
    }
}

impl Figure {
    /// The figure of an observation (or of none).
    pub fn of(o: Option<&Observation>) -> Figure {
        let unit = match o.map(|o| o.unit.as_str()) {
            Some("PERCENT") => "PERCENT",
            Some("DAYS") => "DAYS",
            _ => "NUMBER",
        };
        let state = match o {
            None => State::Absent,
            Some(o) if o.is_missing() => State::Missing,
            Some(o) if o.is_suppressed() || o.value.is_none() => State::Suppressed,
            Some(_) => State::Shown,
        };
        Figure {
            state,
            value: o.and_then(|o| o.value.as_ref()).and_then(serde_json::Number::as_f64),
            numerator: o.and_then(|o| o.numerator),
            denominator: o.and_then(|o| o.denominator),
            interval: o.and_then(interval),
            unit,
        }
    }

    /// The figure of `indicator` at `at` (every other dimension the total).
    pub fn at(r: &Report, indicator: Indicator, at: &[(Dimension, &str)]) -> Figure {
        Figure::of(r.cell(indicator, at))
    }

    /// The value when shown.
    pub fn shown(&self) -> Option<f64> {
        if self.state == State::Shown {
            self.value
        } else {
            None
        }
    }

    /// The value alone, in the reader's language (`86.1%`, `56,411`), or why there is none.
    pub fn text(&self, l: &Local) -> String {
        match (self.state, self.value) {
            (State::Shown, Some(v)) => match self.unit {
                "PERCENT" => l.percent_tenths(to_tenths(v)),
                "DAYS" if v.fract() != 0.0 => l.tenths(to_tenths(v)),
                _ => l.count(v.round() as i64),
            },
            (State::Missing, _) => word(Word::Missing, l.lang).to_string(),
            (State::Absent, _) => "—".to_string(),
            _ => word(Word::Suppressed, l.lang).to_string(),
        }
    }

    /// The bounds of the 95 % interval around a shown value (a count's never below zero: a
    /// true count is not negative).
    pub fn bounds(&self) -> Option<(f64, f64)> {
        let v = self.shown()?;
        match self.interval? {
            Interval::PlusMinus(h) => Some(((v - h).max(0.0), v + h)),
            Interval::Range(a, b) => Some((a, b)),
        }
    }

    /// The value with its 95 % interval when noise was added: `56,411 ± 23` for a count,
    /// `86.1% (80.2% – 91.0%)` for a share.
    pub fn text_pm(&self, l: &Local) -> String {
        match self.interval_text(l) {
            Some(i) => format!("{} {i}", self.text(l)),
            None => self.text(l),
        }
    }

    /// The 95 % interval of a shown noisy value alone: `± 23`, `(80.2% – 91.0%)`.
    pub fn interval_text(&self, l: &Local) -> Option<String> {
        self.shown()?;
        Some(match self.interval? {
            Interval::PlusMinus(h) if self.unit == "NUMBER" => {
                format!("± {}", l.count(h.round() as i64))
            }
            Interval::PlusMinus(h) => format!("± {}", l.tenths(to_tenths(h))),
            Interval::Range(a, b) => {
                format!("({} – {})", l.percent_tenths(to_tenths(a)), l.percent_tenths(to_tenths(b)))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{ConfStatus, ObsStatus};
    use crate::schema::Lang;

    /// An observation as a report file carries it (read through serde, so that fields other
    /// helpers add to the model with a default do not break these tests).
    fn obs(value: Option<&str>, unit: &str, status: ObsStatus) -> Observation {
        let mut o = serde_json::json!({
            "indicator": "x",
            "dims": {},
            "unit": unit,
            "obs_status": status,
            "conf_status": if status == ObsStatus::Q { ConfStatus::C } else { ConfStatus::F },
        });
        if let Some(v) = value {
            o["value"] = serde_json::Value::Number(v.parse().unwrap());
        }
        serde_json::from_value(o).unwrap()
    }

    #[test]
    fn a_withheld_figure_never_reads_as_a_number() {
        let en = Local::new(Lang::En);
        let q = Figure::of(Some(&obs(None, "NUMBER", ObsStatus::Q)));
        assert_eq!((q.text(&en), q.shown()), ("suppressed".to_string(), None));
        // Even a value left in a suppressed cell by mistake is not shown.
        let leaked = Figure::of(Some(&obs(Some("3"), "NUMBER", ObsStatus::Q)));
        assert_eq!((leaked.text(&en), leaked.shown()), ("suppressed".to_string(), None));
        let m = Figure::of(Some(&obs(None, "DAYS", ObsStatus::M)));
        assert_eq!(m.text(&Local::new(Lang::Ru)), "недоступно");
        assert_eq!(Figure::of(None).text(&en), "—");
    }

    #[test]
    fn shares_keep_one_decimal_and_counts_none() {
        let tr = Local::new(Lang::Tr);
        assert_eq!(Figure::of(Some(&obs(Some("87"), "PERCENT", ObsStatus::A))).text(&tr), "%87,0");
        assert_eq!(
            Figure::of(Some(&obs(Some("56411"), "NUMBER", ObsStatus::A))).text(&tr),
            "56.411"
        );
        assert_eq!(Figure::of(Some(&obs(Some("41.5"), "DAYS", ObsStatus::A))).text(&tr), "41,5");
    }

    #[test]
    fn noisy_shares_read_with_their_interval_and_counts_with_plus_minus() {
        let mut share = obs(Some("86.1"), "PERCENT", ObsStatus::A);
        share.low_95 = Some("80.2".parse().unwrap());
        share.high_95 = Some("91".parse().unwrap());
        let f = Figure::of(Some(&share));
        assert_eq!(f.bounds(), Some((80.2, 91.0)));
        assert_eq!(f.text_pm(&Local::new(Lang::En)), "86.1% (80.2% – 91.0%)");
        assert_eq!(f.text_pm(&Local::new(Lang::Tr)), "%86,1 (%80,2 – %91,0)");
        let mut count = obs(Some("5"), "NUMBER", ObsStatus::A);
        count.margin_95 = Some(12);
        let c = Figure::of(Some(&count));
        assert_eq!(c.text_pm(&Local::new(Lang::En)), "5 ± 12");
        // A true count is never negative: the whisker stops at zero.
        assert_eq!(c.bounds(), Some((0.0, 17.0)));
        // A withheld share shows no interval, whatever was left in it.
        let mut hidden = share.clone();
        hidden.obs_status = ObsStatus::Q;
        assert_eq!(Figure::of(Some(&hidden)).bounds(), None);
        assert_eq!(Figure::of(Some(&hidden)).text_pm(&Local::new(Lang::En)), "suppressed");
    }
}
