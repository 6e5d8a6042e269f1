//! The canonical JSON form of a report: UTF-8, two-space indentation, keys in a fixed order
//! (struct fields in declaration order, maps sorted), integers for counts and one-decimal numbers
//! for shares and means, a final newline. The same report always gives the same bytes.

use crate::report::error::ReportError;
use crate::report::model::{Report, REPORT_FORMAT};

impl Report {
    /// The canonical JSON text.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads a report from its JSON form, checking the format tag.
    pub fn from_json(text: &str) -> Result<Report, ReportError> {
        let r: Report =
            serde_json::from_str(text).map_err(|e| ReportError::BadReport(e.to_string()))?;
        if r.format != REPORT_FORMAT {
            return Err(ReportError::BadReport(format!(
                "format {:?}, expected {REPORT_FORMAT:?}",
                r.format
            )));
        }
        Ok(r)
    }
}
