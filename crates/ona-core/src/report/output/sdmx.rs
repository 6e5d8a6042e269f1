//! SDMX-CSV 2.0: `STRUCTURE,STRUCTURE_ID,ACTION`, the dimensions (`INDICATOR`, `REF_AREA`, the
//! other breakdowns, `TIME_PERIOD`), the measure `OBS_VALUE`, and the attributes `UNIT_MEASURE`,
//! `OBS_STATUS`, `CONF_STATUS`. Totals are `_T`; suppressed values are empty.

use super::{csv_field, other_dims, time_period, value_text};
use crate::report::model::Report;
use std::fmt::Write;

/// The dataflow the CSV refers to.
pub const DATAFLOW: &str = "MOTHERSHOME:ONA_REPORT(1.0)";

impl Report {
    /// The report as SDMX-CSV 2.0.
    pub fn to_sdmx_csv(&self) -> String {
        let dims = other_dims(self);
        let mut out = String::from("STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA");
        for d in &dims {
            out.push(',');
            out.push_str(d.sdmx_column());
        }
        out.push_str(",TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,CONF_STATUS\r\n");
        for o in &self.observations {
            let _ = write!(
                out,
                "dataflow,{DATAFLOW},I,{},{}",
                csv_field(&o.indicator),
                csv_field(o.dims.get("country").map_or("_T", String::as_str))
            );
            for d in &dims {
                out.push(',');
                out.push_str(&csv_field(o.dims.get(d.id()).map_or("_T", String::as_str)));
            }
            let _ = write!(
                out,
                ",{},{},{},{:?},{:?}\r\n",
                csv_field(&time_period(self, o)),
                value_text(o),
                o.unit,
                o.obs_status,
                o.conf_status
            );
        }
        out
    }
}
