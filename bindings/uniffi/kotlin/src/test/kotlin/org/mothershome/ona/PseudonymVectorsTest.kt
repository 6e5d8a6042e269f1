package org.mothershome.ona

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File

/** The shared vectors of tests/vectors/pseudonym: byte-identical to Rust and Python. */
class PseudonymVectorsTest {
    @Test
    fun `shared pseudonym vectors`() {
        val text = File(Support.repo, "tests/vectors/pseudonym/pseudonyms.json").readText()
        val master = PseudonymMasterKey.fromKeyFile(Support.fields(text.substringBefore("\"vectors\""))["master_key"]!!)
        val body = text.substringAfter("\"vectors\"")
        val vectors = Regex("\\{[^{}]*\\}").findAll(body).map { Support.fields(it.value) }.toList()
        assertTrue(vectors.size > 50)
        for (v in vectors) {
            val kindText = v["kind"]!!
            val kind = when {
                kindText == "name" -> IdentifierType.Name
                kindText == "document" -> IdentifierType.Document
                kindText == "text" -> IdentifierType.Text
                kindText.startsWith("national_id:") -> IdentifierType.NationalId(kindText.substringAfter(':'))
                else -> error("unknown kind $kindText")
            }
            val p = Pseudonymiser(master, v["domain"]!!, null)
            assertEquals(v["canonical"], p.canonical(kind, v["input"]!!), "canonical of $v")
            assertEquals(v["pseudonym"], p.pseudonymOf(kind, v["input"]!!), "pseudonym of $v")
        }
    }

    @Test
    fun `shared k-anonymity vectors give the CLI's records and report`() {
        val dir = File(Support.repo, "tests/vectors/pseudonym")
        val input = File(dir, "kanon-pseudonymised.jsonl").readText()
        val out = kAnonymise(input, 3u, listOf(), null)
        assertEquals(File(dir, "kanon-released.jsonl").readText(), out.recordsJsonl)
        val expected = File(dir, "kanon-report.json").readText()
        // Same figures: compare the numbers written in the stored (pretty) report.
        for (name in listOf("records_in", "records_out", "women_in", "women_out", "k_achieved", "cells_suppressed")) {
            val want = Regex("\"$name\":\\s*(\\d+)").find(expected)!!.groupValues[1]
            val got = Regex("\"$name\":\\s*(\\d+)").find(out.reportJson)!!.groupValues[1]
            assertEquals(want, got, name)
        }
    }
}
