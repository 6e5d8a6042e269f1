//! CSV with an HXL hashtag row (Humanitarian Exchange Language) under the header row.

use super::other_dims;
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
        head.push_str(",Period,Value,Unit,Observation status,Confidentiality");
        tags.push_str(",#date,#value,#meta+unit,#status+obs,#status+conf");
        if self.dp.is_some() {
            head.push_str(",Margin 95%,Lower 95%,Upper 95%");
            tags.push_str(",#value+margin,#value+lower,#value+upper");
        }
        head.push_str("\r\n");
        tags.push_str("\r\n");
        let mut out = head + &tags;
        super::write_rows(self, &dims, "", &mut out);
        out
    }
}
