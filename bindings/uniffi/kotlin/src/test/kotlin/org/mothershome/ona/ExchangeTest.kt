package org.mothershome.ona

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.File

/** The exchange entry points from Kotlin: the same chain as `ona demo`, and its attackers. */
class ExchangeTest {
    private val p = Pseudonymiser(PseudonymMasterKey.generate(), "ua-kyiv", null)
    private val cases = listOf(Support.validCase(), Support.validCase())

    @Test
    fun `export, receive and report give what the same records give directly`() {
        val dir = Support.tempDir()
        val hub = Identity.generate()
        val centre = Identity.generate()
        val out = File(dir, "ua.ona").path
        val manifest = exportCases(cases, p, listOf(hub.encryptionPublicKey()), centre, out)
        assertEquals(2uL, manifest.recordCount)
        assertEquals("ua-kyiv", manifest.pseudonymDomain)

        val received = receiveFile(out, hub, SenderCheck.Key(centre.signingPublicKey()))
        assertEquals(manifest, received.manifest)
        assertEquals(cases.map { p.pseudonymise(it, "en") }, received.records)

        val report = reportFromExports(
            listOf(out), hub, SenderCheck.Key(centre.signingPublicKey()), "country,year", 5uL, null, listOf(),
        )
        val direct = mergeReports(listOf(buildReport(received.records, "country,year", 5uL, null, listOf(), null)))
        assertEquals(direct.toJson(), report.toJson())
    }

    @Test
    fun `wrong recipient, tampering and an untrusted sender raise the open classes`() {
        val dir = Support.tempDir()
        val hub = Identity.generate()
        val centre = Identity.generate()
        val out = File(dir, "ua.ona")
        exportCases(cases, p, listOf(hub.encryptionPublicKey()), centre, out.path)
        val key = SenderCheck.Key(centre.signingPublicKey())

        assertThrows<OnaException.Decryption> { receiveFile(out.path, Identity.generate(), key) }
        val bytes = out.readBytes()
        bytes[bytes.size / 2] = (bytes[bytes.size / 2].toInt() xor 1).toByte()
        val changed = File(dir, "changed.ona").also { it.writeBytes(bytes) }
        assertThrows<OnaException.Decryption> { receiveFile(changed.path, hub, key) }
        assertThrows<OnaException.Signature> {
            receiveFile(out.path, hub, SenderCheck.Key(Identity.generate().signingPublicKey()))
        }
        val bad = File(dir, "bad.ona")
        assertThrows<OnaException.Validation> {
            exportCases(listOf("{}"), p, listOf(hub.encryptionPublicKey()), centre, bad.path)
        }
        assertFalse(bad.exists())
    }

    @Test
    fun `ReceivedRecords gives nothing of an export whose end was changed`() {
        val dir = Support.tempDir()
        val hub = Identity.generate()
        val centre = Identity.generate()
        val out = File(dir, "ua.ona")
        exportCases(cases, p, listOf(hub.encryptionPublicKey()), centre, out.path)
        val key = SenderCheck.Key(centre.signingPublicKey())
        val records = ReceivedRecords.open(out.path, hub, key)
        assertEquals(2uL, records.manifest().recordCount)
        val got = generateSequence { records.next() }.toList()
        assertEquals(cases.map { p.pseudonymise(it, "en") }, got)
        assertEquals(null, records.next())
        // The attacker changes the signature at the very end: refused by open, before any record.
        val bytes = out.readBytes()
        bytes[bytes.size - 1] = (bytes[bytes.size - 1].toInt() xor 1).toByte()
        val changed = File(dir, "changed.ona").also { it.writeBytes(bytes) }
        assertThrows<OnaException> { ReceivedRecords.open(changed.path, hub, key) }
        assertThrows<OnaException.Signature> {
            ReceivedRecords.open(out.path, hub, SenderCheck.Key(Identity.generate().signingPublicKey()))
        }
    }
}
