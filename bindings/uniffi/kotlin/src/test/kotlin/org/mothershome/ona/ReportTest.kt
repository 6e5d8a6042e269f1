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
        val report = buildReport(listOf(pseudo), "country,year", 5uL, null, listOf(), null)
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
        assertThrows<OnaException.Report> { buildReport(listOf(), "no_such_dimension", 5uL, null, listOf(), null) }
        assertThrows<OnaException.Report> { mergeReports(listOf()) }
    }

    @Test
    fun `a differentially private report charges its population's ledger and stops at the budget`() {
        val p = Pseudonymiser(PseudonymMasterKey.generate(), "my-kl", null)
        val pseudo = listOf(p.pseudonymise(Support.validCase(), "en"))
        val keyId = Regex("\"key_id\":\"([^\"]+)\"").find(pseudo[0])!!.groupValues[1]
        // The public domain the hub declares: never read from the data.
        val domain = """{"populations":[{"domain":"my-kl","key_id":"$keyId"}],""" +
            """"centres":[{"country":"MY"}],"periods":["2024","2025"]}"""
        val dir = Support.tempDir()
        fun dp(eps: String, label: String) = DpOptions(
            eps, null, domain, 1u, dir.path, java.io.File(dir, "ledger.key").path, null, null, label,
        )
        val pick = listOf("women_served,children_served")
        val plan = dpPlan("country,year", null, pick, dp("4e-1", "plan"))
        assertEquals(listOf("women_served", "children_served"), plan.map { it.indicator })
        assertEquals(10.0, plan[0].scale, 1e-9)
        val noisy = buildReport(pseudo, "country,year", 5uL, null, pick, dp("0.6", "q1"))
        assertTrue(noisy.toJson().contains("\"margin_95\""))
        val ledger = dir.listFiles()!!.single { it.name.startsWith("ona-privacy-ledger-") }
        assertTrue(ledger.readText().contains("q1"))
        assertThrows<OnaException.BudgetExceeded> { buildReport(pseudo, "country,year", 5uL, null, pick, dp("0.6", "q2")) }
        assertTrue(!ledger.readText().contains("q2"))
    }
}
