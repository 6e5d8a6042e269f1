//! SDMX-CSV 2.0: `STRUCTURE,STRUCTURE_ID,ACTION`, the dimensions (`INDICATOR`, `REF_AREA`, the
//! other breakdowns, `TIME_PERIOD`), the measure `OBS_VALUE`, and the attributes `UNIT_MEASURE`,
//! `OBS_STATUS`, `CONF_STATUS` (and under differential privacy `MARGIN_95`, a count's 95 %
//! half-width, and `LOWER_95`/`UPPER_95`, a share's 95 % interval). Totals are `_T`; suppressed
//! values are empty.

use super::other_dims;
use crate::report::model::Report;

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
        out.push_str(",TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,CONF_STATUS");
        if self.dp.is_some() {
            out.push_str(",MARGIN_95,LOWER_95,UPPER_95");
        }
        out.push_str("\r\n");
        super::write_rows(self, &dims, &format!("dataflow,{DATAFLOW},I,"), &mut out);
        out
    }
}
