//! Outputs of a report: canonical JSON (the exchange form), SDMX-CSV, CSV with HXL hashtags and a
//! self-contained HTML page with inline SVG charts.

pub mod html;
pub mod hxl;
pub mod json;
pub mod sdmx;
pub mod xlsx;

use super::dimensions::{Dimension, TOTAL};
use super::model::{Observation, Report};

/// Writes one CSV row per observation: `prefix`, indicator, country, the other dimensions, then
/// time period, value, unit and the two SDMX flags, and under differential privacy a count's
/// 95 % half-width and a share's 95 % interval (lower, upper). Shared by SDMX-CSV and HXL CSV, which differ
/// only in their header rows and the row prefix.
pub(crate) fn write_rows(r: &Report, dims: &[Dimension], prefix: &str, out: &mut String) {
    use std::fmt::Write;
    for o in &r.observations {
        let _ = write!(
            out,
            "{prefix}{},{}",
            csv_field(&o.indicator),
            csv_field(o.dims.get("country").map_or("_T", String::as_str))
        );
        for d in dims {
            out.push(',');
            out.push_str(&csv_field(o.dims.get(d.id()).map_or("_T", String::as_str)));
        }
        let _ = write!(
            out,
            ",{},{},{},{:?},{:?}",
            csv_field(&time_period(r, o)),
            value_text(o),
            o.unit,
            o.obs_status,
            o.conf_status
        );
        if r.dp.is_some() {
            // Under differential privacy: the 95 % half-width of a noisy count, the 95 %
            // interval of a share.
            let text = |n: &Option<serde_json::Number>| n.as_ref().map(ToString::to_string);
            let _ = write!(
                out,
                ",{},{},{}",
                o.margin_95.map(|m| m.to_string()).unwrap_or_default(),
                text(&o.low_95).unwrap_or_default(),
                text(&o.high_95).unwrap_or_default()
            );
        }
        out.push_str("\r\n");
    }
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The time period of an observation: its period code, or for a total over periods the report's
/// period filter, or the span of periods covered (`2024-Q1/2025-Q4`).
pub(crate) fn time_period(r: &Report, o: &Observation) -> String {
    let dim = r.dimensions().into_iter().find(|d| d.is_period()).unwrap_or(Dimension::Year);
    match o.dims.get(dim.id()) {
        Some(v) if v != TOTAL => v.clone(),
        _ => match (&r.period, r.provenance.periods.first(), r.provenance.periods.last()) {
            (Some(p), _, _) => p.clone(),
            (None, Some(a), Some(b)) if a == b => a.clone(),
            (None, Some(a), Some(b)) => format!("{a}/{b}"),
            _ => String::new(),
        },
    }
}

/// The non-period, non-country dimensions of a report's observations, in column order.
pub(crate) fn other_dims(r: &Report) -> Vec<Dimension> {
    let mut v: Vec<Dimension> = r
        .observations
        .first()
        .map(|o| o.dims.keys().filter_map(|k| k.parse().ok()).collect())
        .unwrap_or_default();
    v.retain(|d: &Dimension| !d.is_period() && *d != Dimension::Country);
    v.sort();
    v
}

/// The value of an observation as text (empty when suppressed or missing).
pub(crate) fn value_text(o: &Observation) -> String {
    o.value.as_ref().map(ToString::to_string).unwrap_or_default()
}
