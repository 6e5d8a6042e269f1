package org.mothershome.ona

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.File

class SealTest {
    private val content = "{\"a\":1}\n{\"a\":2}\n".toByteArray()

    @Test
    fun `seal in Kotlin, open with the CLI`() {
        val dir = Support.tempDir()
        val hub = Identity.generate()
        val centre = Identity.generate()
        File(dir, "hub.key").writeText(hub.toSecretText())
        File(dir, "plain.jsonl").writeBytes(content)
        sealFile(
            File(dir, "plain.jsonl").path, File(dir, "x.ona").path,
            ExportContent.CASES, 2uL, listOf(hub.encryptionPublicKey()), centre,
        )
        Support.ona(
            "open", "--key", File(dir, "hub.key").path, "--from", centre.signingPublicKey(),
            "--in", File(dir, "x.ona").path, "--out", File(dir, "opened.jsonl").path,
        )
        assertArrayEquals(content, File(dir, "opened.jsonl").readBytes())
    }

    @Test
    fun `open a CLI-sealed file in Kotlin`() {
        val dir = Support.tempDir()
        val hubPub = Support.ona("keygen", "--out", File(dir, "hub.key").path).lines()
        val centrePub = Support.ona("keygen", "--out", File(dir, "centre.key").path).lines()
        File(dir, "plain.jsonl").writeBytes(content)
        Support.ona(
            "seal", "--to", hubPub[0], "--sign", File(dir, "centre.key").path,
            "--in", File(dir, "plain.jsonl").path, "--out", File(dir, "x.ona").path,
        )
        val hub = Identity.fromSecretText(File(dir, "hub.key").readText())
        val manifest = openFile(File(dir, "x.ona").path, File(dir, "out.jsonl").path, hub, centrePub[1])
        assertEquals(centrePub[1], manifest.sender)
        assertEquals(ExportContent.CASES, manifest.content)
        assertArrayEquals(content, File(dir, "out.jsonl").readBytes())
        val opened = openBytes(File(dir, "x.ona").readBytes(), hub, null)
        assertArrayEquals(content, opened.plaintext)
    }

    @Test
    fun `a tampered file raises Decryption and writes nothing`() {
        val dir = Support.tempDir()
        val hub = Identity.generate()
        val centre = Identity.generate()
        val sealed = sealBytes(content, ExportContent.CASES, 2uL, listOf(hub.encryptionPublicKey()), centre)
        sealed[sealed.size - 40] = (sealed[sealed.size - 40].toInt() xor 1).toByte()
        assertThrows<OnaException.Decryption> { openBytes(sealed, hub, null) }
        File(dir, "t.ona").writeBytes(sealed)
        val out = File(dir, "t.out")
        assertThrows<OnaException.Decryption> { openFile(File(dir, "t.ona").path, out.path, hub, null) }
        assertFalse(out.exists())
    }

    @Test
    fun `the wrong key raises Decryption, the wrong sender Signature`() {
        val hub = Identity.generate()
        val centre = Identity.generate()
        val sealed = sealBytes(content, ExportContent.REPORT, 1uL, listOf(hub.encryptionPublicKey()), centre)
        assertThrows<OnaException.Decryption> { openBytes(sealed, Identity.generate(), null) }
        val other = Identity.generate().signingPublicKey()
        assertThrows<OnaException.Signature> { openBytes(sealed, hub, other) }
        assertEquals(ExportContent.REPORT, openBytes(sealed, hub, centre.signingPublicKey()).manifest.content)
    }

    @Test
    fun `bad keys raise KeyFormat`() {
        assertThrows<OnaException.KeyFormat> { Identity.fromSecretText("not a key") }
        val centre = Identity.generate()
        assertThrows<OnaException.KeyFormat> {
            sealBytes(content, ExportContent.CASES, 2uL, listOf(centre.signingPublicKey()), centre)
        }
        assertThrows<OnaException.Seal> { sealBytes(content, ExportContent.CASES, 2uL, listOf(), centre) }
    }

    @Test
    fun `streaming over byte chunks, both ways`() {
        val hub = Identity.generate()
        val centre = Identity.generate()
        val big = ByteArray(200_000) { (it * 31).toByte() }
        val sealer = StreamSealer(ExportContent.CASES, 1uL, listOf(hub.encryptionPublicKey()), centre)
        val sealed = java.io.ByteArrayOutputStream()
        big.asList().chunked(7_777).forEach { sealed.write(sealer.write(it.toByteArray())) }
        sealed.write(sealer.finish())
        assertThrows<OnaException.State> { sealer.finish() }
        assertArrayEquals(big, openBytes(sealed.toByteArray(), hub, null).plaintext)

        val input = java.io.ByteArrayInputStream(sealed.toByteArray())
        val source = object : ByteSource {
            override fun read(max: UInt): ByteArray = input.readNBytes(minOf(max.toInt(), 1000))
        }
        val opener = StreamOpener(source, hub, centre.signingPublicKey())
        val out = java.io.ByteArrayOutputStream()
        while (true) {
            val chunk = opener.read(65_536u)
            if (chunk.isEmpty()) break
            out.write(chunk)
        }
        assertArrayEquals(big, out.toByteArray())
        assertEquals(centre.signingPublicKey(), opener.manifest().sender)
    }
}
