package org.mothershome.ona

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ReportTest {
    @Test
    fun `a report is built from pseudonymised cases, merged and rendered`() {
        val p = Pseudonymiser(PseudonymMasterKey.generate(), "ua-kyiv", null)
        val pseudo = p.pseudonymise(Support.validCase(), "en")
        val report = buildReport(listOf(pseudo), "country,year", 5uL, null, null)
        val json = report.toJson()
        assertEquals(json, Report.fromJson(json).toJson())
        assertTrue(report.toSdmxCsv().isNotEmpty())
        assertTrue(report.toHxlCsv().contains("#"))
        assertTrue(report.toHtml("uk").contains("<html", ignoreCase = true))
        assertTrue(mergeReports(listOf(report)).toJson().isNotEmpty())
        // One report per country: the core refuses to count a country twice.
        assertThrows<OnaException.Report> { mergeReports(listOf(report, report)) }
    }

    @Test
    fun `bad specs and empty merges raise Report`() {
        assertThrows<OnaException.Report> { buildReport(listOf(), "no_such_dimension", 5uL, null, null) }
        assertThrows<OnaException.Report> { mergeReports(listOf()) }
    }

    @Test
    fun `a differentially private report charges its ledger and stops at the budget`() {
        val p = Pseudonymiser(PseudonymMasterKey.generate(), "ua-kyiv", null)
        val pseudo = listOf(p.pseudonymise(Support.validCase(), "en"))
        val ledger = java.io.File(Support.tempDir(), "ledger.json")
        fun dp(eps: String, label: String) = DpOptions(eps, null, 1u, ledger.path, "1", "0.00001", label)
        val noisy = buildReport(pseudo, "country,year", 5uL, null, dp("0.6", "q1"))
        assertTrue(noisy.toJson().contains("\"epsilon\""))
        assertTrue(ledger.readText().contains("q1"))
        assertThrows<OnaException.Budget> { buildReport(pseudo, "country,year", 5uL, null, dp("0.6", "q2")) }
        assertTrue(!ledger.readText().contains("q2"))
    }
}
