//! CSV with an HXL hashtag row (Humanitarian Exchange Language) under the header row.

use super::{csv_field, other_dims, time_period, value_text};
use crate::report::model::Report;
use std::fmt::Write;

impl Report {
    /// The report as CSV with HXL hashtags (`#indicator+code`, `#country+code`, `#date`,
    /// `#value`, …).
    pub fn to_hxl_csv(&self) -> String {
        let dims = other_dims(self);
        let mut head = String::from("Indicator,Country");
        let mut tags = String::from("#indicator+code,#country+code");
        for d in &dims {
            let _ = write!(head, ",{}", d.id());
            let _ = write!(tags, ",{}", d.hxl());
        }
        head.push_str(",Period,Value,Unit,Observation status,Confidentiality\r\n");
        tags.push_str(",#date,#value,#meta+unit,#status+obs,#status+conf\r\n");
        let mut out = head + &tags;
        for o in &self.observations {
            let _ = write!(
                out,
                "{},{}",
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
