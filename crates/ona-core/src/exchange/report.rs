//! Reports from received exports: each export's records counted as they are decrypted, the
//! report handed out only once the export verified.

use super::error::ExchangeError;
use super::receive::Received;
use crate::pseudonym::PseudoCase;
use crate::report::{merge, Report, ReportBuilder, ReportSpec};
use crate::seal::Manifest;
use std::io::Read;

/// One received export's report.
#[derive(Clone, Debug)]
pub struct Arrival {
    /// The verified manifest.
    pub manifest: Manifest,
    /// The report of the export's records.
    pub report: Report,
}

/// Reports of several exports and their merge.
#[derive(Clone, Debug)]
pub struct Reports {
    /// Each export's report, in the order given.
    pub arrivals: Vec<Arrival>,
    /// The merged report (e.g. the regional one), as `ona merge` builds it.
    pub merged: Report,
}

/// Builds the report of `spec` from one received export, streaming; `each` sees every record as
/// it is counted (e.g. to keep the opened records) and may stop the work with an error. The
/// report is returned only if the export verified to its end. Differentially private
/// specifications need a ledger: use [`crate::report::LinesReport`] for them.
pub fn report_received<R: Read>(
    received: Received<R>,
    spec: &ReportSpec,
    mut each: impl FnMut(&PseudoCase) -> Result<(), ExchangeError>,
) -> Result<Arrival, ExchangeError> {
    let manifest = received.manifest().clone();
    let mut builder = ReportBuilder::new(spec)?;
    for case in received {
        let case = case?;
        builder.add(&case);
        each(&case)?;
    }
    Ok(Arrival { manifest, report: builder.finish()? })
}

/// Builds the report of `spec` from each received export and merges them. Any export that
/// does not verify, or whose records are damaged, fails the whole call.
pub fn report_from_exports<R: Read>(
    exports: impl IntoIterator<Item = Received<R>>,
    spec: &ReportSpec,
) -> Result<Reports, ExchangeError> {
    let arrivals = exports
        .into_iter()
        .map(|r| report_received(r, spec, |_| Ok(())))
        .collect::<Result<Vec<_>, _>>()?;
    let reports: Vec<Report> = arrivals.iter().map(|a| a.report.clone()).collect();
    let merged = merge(&reports)?;
    Ok(Reports { arrivals, merged })
}
