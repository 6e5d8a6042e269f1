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

    /**
     * The column call is the core's parallel column loop, the one Python's `pseudonymise_many`
     * runs (its test checks the same file): each (domain, kind) group of the vectors repeated to
     * over 5,000 values, a column long enough to be cut over the cores, gives the stored pseudonyms in order
     * (nulls where a value has no canonical form).
     */
    @Test
    fun `the column call gives the shared vectors' pseudonyms in order on every core`() {
        val text = File(Support.repo, "tests/vectors/pseudonym/pseudonyms.json").readText()
        val master = PseudonymMasterKey.fromKeyFile(Support.fields(text.substringBefore("\"vectors\""))["master_key"]!!)
        val vectors = Regex("\\{[^{}]*\\}").findAll(text.substringAfter("\"vectors\"")).map { Support.fields(it.value) }.toList()
        val groups = vectors.groupBy { it["domain"]!! to it["kind"]!! }
        var nulls = 0
        for ((key, vs) in groups) {
            val (domain, kindText) = key
            val kind = when {
                kindText == "name" -> IdentifierType.Name
                kindText == "document" -> IdentifierType.Document
                kindText == "text" -> IdentifierType.Text
                else -> IdentifierType.NationalId(kindText.substringAfter(':'))
            }
            val times = 5000 / vs.size + 1
            val inputs = (1..times).flatMap { vs.map { v -> v["input"]!! } }
            val want = (1..times).flatMap { vs.map { v -> v["pseudonym"] } }
            val got = Pseudonymiser(master, domain, null).pseudonymiseValues(kind, inputs)
            assertEquals(want, got, "column of $domain $kindText")
            nulls += got.count { it == null }
        }
        assertTrue(nulls > 0)
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
