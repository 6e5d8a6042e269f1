package org.mothershome.ona

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.File

/** Import from a file through a mapping: the bytes `ona import` writes, from Kotlin. */
class ImportTest {
    private val fixtures = File(Support.repo, "tests/fixtures/import")
    private val mappings = File(Support.repo, "examples/mappings")
    private val exports = mapOf(
        "kobo-tr" to "kobo-tr.xlsx", "odk-my" to "odk-my.zip",
        "primero-uz" to "primero-uz.xlsx", "excel-ua" to "excel-ua.csv",
        "commcare-my" to "commcare-my.xlsx", "dhis2-kz" to "dhis2-kz.json",
    )

    private fun cli(name: String, dir: File): Pair<ByteArray, ByteArray> {
        val out = File(dir, "$name.jsonl")
        val rejects = File(dir, "$name.rejects.jsonl")
        val p = ProcessBuilder(
            Support.onaBin, "import", "--mapping", File(mappings, "$name.toml").path,
            "--in", File(fixtures, exports.getValue(name)).path,
            "--out", out.path, "--rejects", rejects.path, "--lang", "tr",
        ).redirectErrorStream(true).start()
        p.inputStream.readAllBytes()
        p.waitFor()
        return out.readBytes() to rejects.readBytes()
    }

    @Test
    fun `every fixture imports into the bytes of the command line`() {
        val dir = Support.tempDir()
        for ((name, file) in exports) {
            val (cases, rejects) = cli(name, dir)
            val got = importFile(File(fixtures, file).path, File(mappings, "$name.toml").path, "tr")
            assertArrayEquals(cases, got.casesJsonl, name)
            assertArrayEquals(rejects, got.rejectsJsonl, name)
            assertTrue(cases.size > 10_000, name)
            val lines = String(rejects).lines().filter { it.isNotBlank() }
            val problems = lines.sumOf { Regex("\"code\":").findAll(it).count() }
            assertEquals(problems, got.problems.size, name)
        }
    }

    @Test
    fun `planted errors come back at their row and column`() {
        val got = importFile(File(fixtures, "excel-ua.csv").path, File(mappings, "excel-ua.toml").path, "en")
        val planted = File(fixtures, "excel-ua.planted.json").readText()
        val rows = Regex("\"row\":\\s*(\\d+)").findAll(planted).map { it.groupValues[1].toULong() }.toList()
        assertTrue(rows.isNotEmpty())
        for (row in rows) {
            assertTrue(got.problems.any { it.row == row && it.column != null }, "row $row")
        }
    }

    @Test
    fun `a mapping that does not fit is a mapping error naming it`() {
        val e = assertThrows<OnaException.Mapping> {
            importFile(File(fixtures, "excel-ua.csv").path, File(mappings, "kobo-tr.toml").path, "en")
        }
        assertTrue(e.message!!.isNotEmpty())
    }
}
