package org.mothershome.ona

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File

/** The shared vectors of tests/vectors/pseudonym: byte-identical to Rust and Python. */
class PseudonymVectorsTest {
    private fun unescape(s: String): String {
        val b = StringBuilder()
        var i = 0
        while (i < s.length) {
            val c = s[i++]
            if (c != '\\') { b.append(c); continue }
            when (val e = s[i++]) {
                'n' -> b.append('\n'); 't' -> b.append('\t'); 'r' -> b.append('\r')
                'b' -> b.append('\b'); 'f' -> b.append('\u000c')
                'u' -> { b.append(s.substring(i, i + 4).toInt(16).toChar()); i += 4 }
                else -> b.append(e)
            }
        }
        return b.toString()
    }

    private val field = Regex("\"(\\w+)\":\\s*(null|\"((?:[^\"\\\\]|\\\\.)*)\")")

    private fun fields(obj: String): Map<String, String?> =
        field.findAll(obj).associate { m -> m.groupValues[1] to (if (m.groupValues[2] == "null") null else unescape(m.groupValues[3])) }

    @Test
    fun `shared pseudonym vectors`() {
        val text = File(Support.repo, "tests/vectors/pseudonym/pseudonyms.json").readText()
        val master = PseudonymMasterKey.fromKeyFile(fields(text.substringBefore("\"vectors\""))["master_key"]!!)
        val body = text.substringAfter("\"vectors\"")
        val vectors = Regex("\\{[^{}]*\\}").findAll(body).map { fields(it.value) }.toList()
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
