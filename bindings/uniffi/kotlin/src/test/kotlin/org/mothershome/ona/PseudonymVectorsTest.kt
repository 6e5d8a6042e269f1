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
}
