package org.mothershome.ona

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Test
import java.io.File

/**
 * Parity, Kotlin side: the scenario of tests/vectors/parity through the uniffi binding must give
 * the expected files the CLI made, byte for byte (tests/cli/test_parity.py checks the CLI against
 * the same files, bindings/python/tests/test_parity.py the Python binding). The only conversion
 * here is printing objects the way the CLI prints them (compact JSON, keys sorted).
 */
class ParityTest {
    private val v = File(Support.repo, "tests/vectors/parity")
    private val e = File(v, "expected")
    private val domain = "parity/test"
    private val indicators = listOf("women_served,children_served,referrals,length_of_stay_median")

    private fun lines(f: File) = f.readText().split("\n").filter { it.isNotBlank() }
    private fun hub() = Identity.fromSecretText(File(v, "hub.key").readText())
    private fun centre() = Identity.fromSecretText(File(v, "centre.key").readText())
    private fun stranger() = Identity.fromSecretText(File(v, "stranger.key").readText())
    private fun pseudonymiser() =
        Pseudonymiser(PseudonymMasterKey.fromKeyFile(File(v, "pseudonym.key").readText()), domain, null)

    /** A JSON string as serde_json writes it: `"` and `\` escaped, control characters too. */
    private fun q(s: String?): String {
        if (s == null) return "null"
        val b = StringBuilder("\"")
        for (c in s) {
            when {
                c == '"' -> b.append("\\\"")
                c == '\\' -> b.append("\\\\")
                c == '\n' -> b.append("\\n")
                c == '\r' -> b.append("\\r")
                c == '\t' -> b.append("\\t")
                c == '\b' -> b.append("\\b")
                c == '\u000c' -> b.append("\\f")
                c < ' ' -> b.append(String.format("\\u%04x", c.code))
                else -> b.append(c)
            }
        }
        return b.append('"').toString()
    }

    @Test
    fun `validation problems are the expected json`() {
        val out = StringBuilder()
        var invalid = 0
        var problems = 0
        val texts = lines(File(v, "invalid.jsonl"))
        texts.forEachIndexed { i, text ->
            try {
                validateCase(text, "en")
            } catch (err: OnaException.Validation) {
                invalid++
                problems += err.problems.size
                val ps = err.problems.joinToString(",") {
                    """{"code":${q(it.code)},"message":${q(it.message)},"pointer":${q(it.pointer)}}"""
                }
                out.append("""{"line":${i + 1},"problems":[$ps]}""").append('\n')
            }
        }
        out.append("""{"invalid":$invalid,"problems":$problems,"records":${texts.size}}""").append('\n')
        assertEquals(File(e, "validation.jsonl").readText(), out.toString())
    }

    @Test
    fun `pseudonymised records are the expected bytes`() {
        val p = pseudonymiser()
        val out = lines(File(v, "cases.jsonl")).joinToString("") { p.pseudonymise(it, "en") + "\n" }
        assertArrayEquals(File(e, "pseudonymised.jsonl").readBytes(), out.toByteArray())
    }

    private fun kind(text: String): IdentifierType = when {
        text == "name" -> IdentifierType.Name
        text == "document" -> IdentifierType.Document
        text == "text" -> IdentifierType.Text
        text.startsWith("national_id:") -> IdentifierType.NationalId(text.removePrefix("national_id:"))
        else -> fail("unknown kind $text in columns.tsv")
    }

    @Test
    fun `pseudonymised columns are the expected values`() {
        val p = pseudonymiser()
        val rows = File(v, "columns.tsv").readText().split("\n").dropLast(1).map { it.split("\t", limit = 2) }
        val out = StringBuilder()
        for ((k, group) in rows.groupBy({ it[0] }, { it[1] })) {
            val pseudonyms = p.pseudonymiseValues(kind(k), group)
            assertEquals(group.map { p.pseudonymOf(kind(k), it) }, pseudonyms)
            pseudonyms.forEach { out.append(k).append('\t').append(it ?: "null").append('\n') }
        }
        assertEquals(File(e, "columns.tsv").readText(), out.toString())
    }

    private fun manifestJson(m: ExportManifest): String =
        """{"content_type":${q(m.content.name.lowercase())},"created_at":${m.createdAt},""" +
            """"export_id":${q(m.exportId)},"pseudonym_domain":${q(m.pseudonymDomain)},""" +
            """"pseudonym_key_id":${q(m.pseudonymKeyId)},"record_count":${m.recordCount},""" +
            """"schema_version":${q(m.schemaVersion)},"sender":${q(m.sender)}}""" + "\n"

    @Test
    fun `opening gives the expected plaintext and manifest`() {
        val opened = openBytes(File(v, "cases.ona").readBytes(), hub(), SenderCheck.Key(centre().signingPublicKey()))
        assertArrayEquals(File(e, "pseudonymised.jsonl").readBytes(), opened.plaintext)
        assertEquals(File(e, "manifest.json").readText(), manifestJson(opened.manifest))
        val out = File(Support.tempDir(), "o.jsonl")
        val m = openFile(File(v, "cases.ona").path, out.path, hub(), SenderCheck.Key(centre().signingPublicKey()))
        assertEquals(File(e, "manifest.json").readText(), manifestJson(m))
        assertArrayEquals(File(e, "pseudonymised.jsonl").readBytes(), out.readBytes())
    }

    @Test
    fun `seal then open round trips the records with the core's count`() {
        // Sealing is randomised: what must agree is what opening gives back. No count given:
        // the core counts, as for Python and the CLI.
        val data = File(e, "pseudonymised.jsonl").readBytes()
        val sealed = sealBytes(data, ExportContent.CASES, null, listOf(hub().encryptionPublicKey()), centre())
        val opened = openBytes(sealed, hub(), SenderCheck.Key(centre().signingPublicKey()))
        assertArrayEquals(data, opened.plaintext)
        val expected = Regex("\"record_count\":(\\d+)").find(File(e, "manifest.json").readText())!!.groupValues[1]
        assertEquals(expected.toULong(), opened.manifest.recordCount)
    }

    @Test
    fun `report is the expected json`() {
        // The CLI's and Python's defaults for by and k, which are the core's.
        val report = buildReport(lines(File(e, "pseudonymised.jsonl")), "country,year", 5uL, null, indicators, null)
        assertEquals(File(e, "report.json").readText(), report.toJson())
    }

    @Test
    fun `certified report is the expected json`() {
        val pseudo = lines(File(e, "pseudonymised.jsonl"))
        val pick = listOf("children_served")
        val by = "country,centre,year"
        val certified = buildReport(pseudo, by, 5uL, null, pick, null, lpProtect = true)
        assertEquals(File(e, "report_certified.json").readText(), certified.toJson())
        // null is the core's default, as the CLI without a flag and Python's None.
        val plain = buildReport(pseudo, by, 5uL, null, pick, null, lpProtect = false).toJson()
        val default = buildReport(pseudo, by, 5uL, null, pick, null).toJson()
        assertTrue(default == certified.toJson() || default == plain)
        assertNotEquals(plain, certified.toJson())
    }

    @Test
    fun `codelist ids are the expected list`() {
        assertEquals(lines(File(e, "codelist_ids.txt")), codelistIds())
    }

    private fun call(case: String, tmp: File): () -> Any? {
        val sealed = File(v, "cases.ona").readBytes()
        val fromCentre = SenderCheck.Key(centre().signingPublicKey())
        val pseudo = lines(File(e, "pseudonymised.jsonl"))
        return when (case) {
            "wrong_key" -> { -> openBytes(sealed, stranger(), fromCentre) }
            "tampered" -> { -> openBytes(File(v, "tampered.ona").readBytes(), hub(), fromCentre) }
            "unknown_sender" -> { -> openBytes(sealed, hub(), SenderCheck.Key(stranger().signingPublicKey())) }
            "not_sealed" -> { -> openBytes(File(v, "not_sealed.ona").readBytes(), hub(), fromCentre) }
            "missing_file" -> { -> openFile(File(tmp, "missing.ona").path, File(tmp, "o").path, hub(), fromCentre) }
            "bad_identity" -> { -> Identity.fromSecretText(File(v, "bad_identity.key").readText()) }
            "invalid_records" -> { -> pseudonymiser().pseudonymise(lines(File(v, "invalid.jsonl"))[0], "en") }
            "bad_policy" -> { ->
                Pseudonymiser(
                    PseudonymMasterKey.fromKeyFile(File(v, "pseudonym.key").readText()),
                    domain,
                    File(v, "bad_policy.toml").readText(),
                )
            }
            "bad_pseudonym_key" -> { -> PseudonymMasterKey.fromKeyFile(File(v, "bad_pseudonym.key").readText()) }
            "bad_dimension" -> { -> buildReport(pseudo, "country,planet", 5uL, null, listOf(), null) }
            "bad_language" -> { -> validateCase(lines(File(v, "invalid.jsonl"))[0], "xx") }
            "duplicate_recipient" -> { ->
                val to = hub().encryptionPublicKey()
                sealBytes(ByteArray(0), ExportContent.REPORT, null, listOf(to, to), centre())
            }
            // No budget given: the ledger starts with the core's default, which the message names.
            "budget_exceeded" -> { ->
                val dp = DpOptions(
                    "2", null, File(v, "dp_domain.json").readText(), 1u, tmp.path,
                    File(tmp, "ledger.key").path, null, null, "kotlin",
                )
                buildReport(pseudo, "country,year", 5uL, null, listOf("women_served"), dp)
            }
            "bad_identifier_kind" -> { -> pseudonymiser().pseudonymOf(IdentifierType.NationalId("XX_NOPE"), "1") }
            "tampered_directory" -> { ->
                NetworkDirectory.verify(File(v, "tampered_directory.json").readBytes(), hub().signingPublicKey(), 0uL)
            }
            "bad_mapping" -> { ->
                importFile(File(v, "cases.jsonl").path, File(v, "bad_mapping.toml").path, "en")
            }
            // The careless user: raw cases sealed as "cases" (the check `ona seal` runs).
            "raw_cases_sealed" -> { ->
                sealBytes(File(v, "cases.jsonl").readBytes(), ExportContent.CASES, null, listOf(hub().encryptionPublicKey()), centre())
            }
            else -> fail("no Kotlin call for error case $case")
        }
    }

    @Test
    fun `each error is its core class with the core message`() {
        val cases = File(e, "errors.json").readText().split("\n").filter { it.startsWith("{") }
        assertTrue(cases.size >= 17)
        for (line in cases) {
            val f = Support.fields(line)
            val case = f["case"]!!
            val tmp = Support.tempDir()
            val thrown = try {
                call(case, tmp)()
                fail("$case: no error")
            } catch (err: OnaException) {
                err
            }
            assertEquals(f["class"], thrown::class.simpleName, case)
            assertTrue(thrown.message!!.contains(f["message"]!!), "$case: ${thrown.message}")
            when (thrown) {
                is OnaException.Decryption -> assertEquals(f["kind"], thrown.kind, case)
                is OnaException.Signature -> assertEquals(f["kind"], thrown.kind, case)
                is OnaException.Format -> assertEquals(f["kind"], thrown.kind, case)
                else -> assertEquals(null, f["kind"], case)
            }
            assertTrue(!File(tmp, "o").exists(), case)
        }
    }
}
