package org.mothershome.ona

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
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
            ExportContent.REPORT, 1uL, listOf(hub.encryptionPublicKey()), centre,
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
            "--in", File(dir, "plain.jsonl").path, "--out", File(dir, "x.ona").path, "--content", "report",
        )
        val hub = Identity.fromSecretText(File(dir, "hub.key").readText())
        val manifest = openFile(File(dir, "x.ona").path, File(dir, "out.jsonl").path, hub, SenderCheck.Key(centrePub[1]))
        assertEquals(centrePub[1], manifest.sender)
        assertEquals(ExportContent.REPORT, manifest.content)
        assertArrayEquals(content, File(dir, "out.jsonl").readBytes())
        val opened = openBytes(File(dir, "x.ona").readBytes(), hub, SenderCheck.AnySender)
        assertArrayEquals(content, opened.plaintext)
        assertFalse(opened.senderVerified)
    }

    @Test
    fun `a tampered file raises Decryption and writes nothing`() {
        val dir = Support.tempDir()
        val hub = Identity.generate()
        val centre = Identity.generate()
        val sealed = sealBytes(content, ExportContent.REPORT, 1uL, listOf(hub.encryptionPublicKey()), centre)
        sealed[sealed.size - 40] = (sealed[sealed.size - 40].toInt() xor 1).toByte()
        assertThrows<OnaException.Decryption> { openBytes(sealed, hub, SenderCheck.AnySender) }
        File(dir, "t.ona").writeBytes(sealed)
        val out = File(dir, "t.out")
        assertThrows<OnaException.Decryption> { openFile(File(dir, "t.ona").path, out.path, hub, SenderCheck.AnySender) }
        assertFalse(out.exists())
    }

    @Test
    fun `the wrong key raises Decryption, the wrong sender Signature`() {
        val hub = Identity.generate()
        val centre = Identity.generate()
        val sealed = sealBytes(content, ExportContent.REPORT, 1uL, listOf(hub.encryptionPublicKey()), centre)
        assertThrows<OnaException.Decryption> { openBytes(sealed, Identity.generate(), SenderCheck.AnySender) }
        val other = Identity.generate().signingPublicKey()
        assertThrows<OnaException.Signature> { openBytes(sealed, hub, SenderCheck.Key(other)) }
        val opened = openBytes(sealed, hub, SenderCheck.Key(centre.signingPublicKey()))
        assertEquals(ExportContent.REPORT, opened.manifest.content)
        assertTrue(opened.senderVerified)
    }

    @Test
    fun `bad keys raise KeyFormat`() {
        assertThrows<OnaException.KeyFormat> { Identity.fromSecretText("not a key") }
        val centre = Identity.generate()
        assertThrows<OnaException.KeyFormat> {
            sealBytes(content, ExportContent.REPORT, 1uL, listOf(centre.signingPublicKey()), centre)
        }
        assertThrows<OnaException.Seal> { sealBytes(content, ExportContent.REPORT, 1uL, listOf(), centre) }
    }

    @Test
    fun `streaming over byte chunks, both ways`() {
        val hub = Identity.generate()
        val centre = Identity.generate()
        val big = ByteArray(200_000) { (it * 31).toByte() }
        val sealer = StreamSealer(ExportContent.REPORT, 1uL, listOf(hub.encryptionPublicKey()), centre)
        val sealed = java.io.ByteArrayOutputStream()
        big.asList().chunked(7_777).forEach { sealed.write(sealer.write(it.toByteArray())) }
        sealed.write(sealer.finish())
        assertThrows<OnaException.State> { sealer.finish() }
        assertArrayEquals(big, openBytes(sealed.toByteArray(), hub, SenderCheck.AnySender).plaintext)

        val input = java.io.ByteArrayInputStream(sealed.toByteArray())
        val source = object : ByteSource {
            override fun read(max: UInt): ByteArray = input.readNBytes(minOf(max.toInt(), 1000))
        }
        val opener = StreamOpener(source, hub, SenderCheck.Key(centre.signingPublicKey()), false)
        val out = java.io.ByteArrayOutputStream()
        while (true) {
            val chunk = opener.read(65_536u)
            if (chunk.isEmpty()) break
            out.write(chunk)
        }
        assertArrayEquals(big, out.toByteArray())
        assertEquals(centre.signingPublicKey(), opener.manifest().sender)
    }

    @Test
    fun `the network directory refuses unlisted, revoked and not-yet-valid senders`() {
        val dir = Support.tempDir()
        fun keygen(name: String): List<String> = Support.ona("keygen", "--out", File(dir, "$name.key").path).lines()
        val hubPub = keygen("hub")
        val kzPub = keygen("kz")
        val uzPub = keygen("uz")
        val directory = File(dir, "directory.json").path
        val hubKey = File(dir, "hub.key").path
        Support.ona("directory", "init", "--key", hubKey, "--out", directory, "--network", "Test",
            "--name", "Hub", "--country", "TR")
        Support.ona("directory", "add", "--directory", directory, "--key", hubKey, "--id", "kz",
            "--name", "KZ centres", "--country", "KZ", "--role", "centre", "--enc", kzPub[0],
            "--sig", kzPub[1], "--valid-from", "2020-01-01")
        Support.ona("directory", "add", "--directory", directory, "--key", hubKey, "--id", "uz",
            "--name", "UZ centres", "--country", "UZ", "--role", "centre", "--enc", uzPub[0],
            "--sig", uzPub[1], "--valid-from", "2999-01-01")
        val hub = Identity.fromSecretText(File(hubKey).readText())
        val kz = Identity.fromSecretText(File(dir, "kz.key").readText())
        val uz = Identity.fromSecretText(File(dir, "uz.key").readText())
        val stranger = Identity.generate()
        val listed = NetworkDirectory.verify(File(directory).readBytes(), hubPub[1], 0uL)
        assertEquals(3uL, listed.serial())
        assertEquals(kzPub[0], listed.recipient("kz"))
        val check = SenderCheck.Directory(listed, null)
        fun sealedBy(who: Identity) =
            sealBytes(content, ExportContent.REPORT, 1uL, listOf(hub.encryptionPublicKey()), who)
        val good = sealedBy(kz)
        assertTrue(openBytes(good, hub, check).senderVerified)
        assertTrue(openBytes(good, hub, SenderCheck.Directory(listed, "kz")).senderVerified)
        val e = assertThrows<OnaException.Signature> { openBytes(sealedBy(stranger), hub, check) }
        assertTrue(e.toString().contains("not in the network directory"), e.toString())
        assertThrows<OnaException.Signature> { openBytes(sealedBy(uz), hub, check) }
        assertThrows<OnaException.Signature> { openBytes(good, hub, SenderCheck.Directory(listed, "uz")) }
        // Refused before any output exists.
        File(dir, "s.ona").writeBytes(sealedBy(stranger))
        val out = File(dir, "s.out")
        assertThrows<OnaException.Signature> { openFile(File(dir, "s.ona").path, out.path, hub, check) }
        assertFalse(out.exists())
        // Revoked: the new edition refuses kz, and the old one can no longer be slipped in.
        val old = File(directory).readBytes()
        Support.ona("directory", "revoke", "--directory", directory, "--key", hubKey, "--id", "kz")
        val revoked = NetworkDirectory.verify(File(directory).readBytes(), hubPub[1], listed.serial())
        assertThrows<OnaException.Signature> { openBytes(good, hub, SenderCheck.Directory(revoked, null)) }
        assertThrows<OnaException.Directory> { NetworkDirectory.verify(old, hubPub[1], revoked.serial()) }
        // A directory changed after signing, or signed by someone else, does not verify.
        val tampered = File(directory).readText().replace(uzPub[1], stranger.signingPublicKey())
        assertThrows<OnaException.Directory> { NetworkDirectory.verify(tampered.toByteArray(), hubPub[1], 0uL) }
        assertThrows<OnaException.Directory> {
            NetworkDirectory.verify(File(directory).readBytes(), stranger.signingPublicKey(), 0uL)
        }
        // Anyone, explicitly: opens, and says the sender was not verified.
        assertFalse(openBytes(sealedBy(stranger), hub, SenderCheck.AnySender).senderVerified)
    }

    @Test
    fun `the careless user cannot seal raw cases as cases`() {
        // Raw, identified cases handed to sealBytes, sealFile or a StreamSealer as CASES: the
        // core's check (the one `ona seal` runs) refuses them as Validation, nothing is written,
        // and a refused stream is never signed, so nothing handed out opens.
        val parity = File(Support.repo, "tests/vectors/parity")
        val raw = File(parity, "cases.jsonl").readBytes()
        val good = File(parity, "expected/pseudonymised.jsonl").readBytes()
        val hub = Identity.generate()
        val centre = Identity.generate()
        val to = listOf(hub.encryptionPublicKey())
        val e = assertThrows<OnaException.Validation> { sealBytes(raw, ExportContent.CASES, null, to, centre) }
        assertTrue(e.toString().contains("line 1 is a raw case record"), e.toString())
        val dir = Support.tempDir()
        File(dir, "raw.jsonl").writeBytes(raw)
        val out = File(dir, "raw.ona")
        assertThrows<OnaException.Validation> {
            sealFile(File(dir, "raw.jsonl").path, out.path, ExportContent.CASES, null, to, centre)
        }
        assertFalse(out.exists())
        val goodLines = good.toString(Charsets.UTF_8).split("\n").filter { it.isNotBlank() }
        val sealer = StreamSealer(ExportContent.CASES, goodLines.size.toULong() + 1uL, to, centre)
        val handedOut = java.io.ByteArrayOutputStream()
        handedOut.write(sealer.write((goodLines[0] + "\n").toByteArray()))
        assertThrows<OnaException.Validation> { handedOut.write(sealer.write(raw.copyOfRange(0, 5000))) }
        assertThrows<OnaException.State> { sealer.finish() }
        assertThrows<OnaException.Decryption> { openBytes(handedOut.toByteArray(), hub, SenderCheck.AnySender) }
        // A count other than the one announced: refused at finish, never signed.
        val short = StreamSealer(ExportContent.CASES, goodLines.size.toULong() + 1uL, to, centre)
        short.write(good)
        assertThrows<OnaException.Validation> { short.finish() }
        // Pseudonymised records pass, counted and in their domain, all three ways.
        val sealed = sealBytes(good, ExportContent.CASES, null, to, centre)
        assertEquals("parity/test", openBytes(sealed, hub, SenderCheck.AnySender).manifest.pseudonymDomain)
        val stream = StreamSealer(ExportContent.CASES, goodLines.size.toULong(), to, centre)
        val streamed = java.io.ByteArrayOutputStream()
        good.asList().chunked(1_000).forEach { streamed.write(stream.write(it.toByteArray())) }
        streamed.write(stream.finish())
        assertArrayEquals(good, openBytes(streamed.toByteArray(), hub, SenderCheck.AnySender).plaintext)
    }

    private fun sourceOf(bytes: ByteArray): ByteSource {
        val input = java.io.ByteArrayInputStream(bytes)
        return object : ByteSource {
            override fun read(max: UInt): ByteArray = input.readNBytes(minOf(max.toInt(), 4096))
        }
    }

    @Test
    fun `a stream of a tampered file gives nothing unless unverified streaming is asked for`() {
        val hub = Identity.generate()
        val centre = Identity.generate()
        val big = ByteArray(3_000_000) { (it % 251).toByte() }
        val sealed = sealBytes(big, ExportContent.REPORT, 1uL, listOf(hub.encryptionPublicKey()), centre)
        sealed[sealed.size - 100] = (sealed[sealed.size - 100].toInt() xor 1).toByte()
        val sender = SenderCheck.Key(centre.signingPublicKey())
        assertThrows<OnaException.Decryption> { StreamOpener(sourceOf(sealed), hub, sender, false) }
        val opener = StreamOpener(sourceOf(sealed), hub, sender, true)
        assertArrayEquals(big.copyOf(65_536), opener.read(65_536u))
        assertThrows<OnaException.Decryption> { while (opener.read(1_000_000u).isNotEmpty()) {} }
    }

    @Test
    fun `a throwing ByteSource is a typed Io error, and a huge read size is not allocated`() {
        val hub = Identity.generate()
        val centre = Identity.generate()
        val sealed = sealBytes(content, ExportContent.REPORT, 1uL, listOf(hub.encryptionPublicKey()), centre)
        var served = 0
        val failing = object : ByteSource {
            override fun read(max: UInt): ByteArray {
                if (served > 200) throw IllegalStateException("network gone")
                val n = minOf(max.toInt(), 100, sealed.size - served)
                return sealed.copyOfRange(served, served + n).also { served += n }
            }
        }
        val e = assertThrows<OnaException.Io> { StreamOpener(failing, hub, SenderCheck.AnySender, false) }
        assertTrue(e.toString().contains("network gone") || e.toString().contains("callback"), e.toString())
        val opener = StreamOpener(sourceOf(sealed), hub, SenderCheck.AnySender, false)
        assertArrayEquals(content, opener.read(UInt.MAX_VALUE))
        assertEquals(0, opener.read(UInt.MAX_VALUE).size)
    }
}
