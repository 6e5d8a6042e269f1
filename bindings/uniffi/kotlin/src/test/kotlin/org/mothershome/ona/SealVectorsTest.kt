package org.mothershome.ona

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File
import java.security.MessageDigest

/** The shared seal test kit of tests/vectors/seal: every file opens, or fails with its kind. */
class SealVectorsTest {
    private fun hex(s: String): ByteArray = ByteArray(s.length / 2) { s.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

    private fun sha256(b: ByteArray): String =
        MessageDigest.getInstance("SHA-256").digest(b).joinToString("") { "%02x".format(it) }

    private fun kindOf(e: OnaException): String = when (e) {
        is OnaException.Decryption -> e.kind
        is OnaException.Signature -> e.kind
        is OnaException.Format -> e.kind
        else -> "other: $e"
    }

    @Test
    fun `shared seal vectors`() {
        val files = File(Support.repo, "tests/vectors/seal").listFiles { f -> f.name.endsWith(".json") && !f.name.startsWith("rfc9180") }!!
        assertTrue(files.size >= 60, "only ${files.size} vectors")
        for (file in files.sortedBy { it.name }) {
            val v = Support.fields(file.readText())
            val id = Identity.fromSecretText(v["identity"]!!)
            val sealed = hex(v["sealed"]!!)
            val expect = v["expect"]!!
            val got = try {
                val sender = v["expected_sender"]?.let { SenderCheck.Key(it) } ?: SenderCheck.AnySender
                val opened = openBytes(sealed, id, sender)
                if (sha256(opened.plaintext) == v["plaintext_sha256"]) "success" else "wrong plaintext"
            } catch (e: OnaException) {
                kindOf(e)
            }
            assertEquals(expect, got, "vector ${file.name}")
        }
    }
}
