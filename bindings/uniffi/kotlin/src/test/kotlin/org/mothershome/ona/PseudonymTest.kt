package org.mothershome.ona

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class PseudonymTest {
    private val master = PseudonymMasterKey.fromBytes(ByteArray(32) { it.toByte() }, 1u)

    @Test
    fun `pseudonyms are deterministic per domain and survive the key file`() {
        val a = Pseudonymiser(master, "ua-kyiv", null)
        val again = Pseudonymiser(PseudonymMasterKey.fromKeyFile(master.toKeyFile()), "ua-kyiv", null)
        val other = Pseudonymiser(master, "tr-izmir", null)
        val p = a.pseudonymOf(IdentifierType.Name, "Olena Kovalenko")!!
        assertEquals(p, again.pseudonymOf(IdentifierType.Name, "Olena Kovalenko"))
        assertNotEquals(p, other.pseudonymOf(IdentifierType.Name, "Olena Kovalenko"))
        assertEquals(listOf(p), a.pseudonymiseValues(IdentifierType.Name, listOf("Olena Kovalenko")))
        assertEquals(a.keyId(), again.keyId())
    }

    @Test
    fun `a case is validated, then pseudonymised without its direct identifiers`() {
        val case = Support.validCase()
        val out = Pseudonymiser(master, "ua-kyiv", null).pseudonymise(case, "en")
        assertFalse(out.contains("\"given\""))
        assertThrows<OnaException.Validation> {
            Pseudonymiser(master, "ua-kyiv", null).pseudonymise("{}", "en")
        }
    }

    @Test
    fun `bad policies, domains and keys raise typed exceptions`() {
        assertThrows<OnaException.Policy> { Pseudonymiser(master, "d", "this is = not [ toml") }
        assertThrows<OnaException.PseudonymKey> { Pseudonymiser(master, "", null) }
        assertThrows<OnaException.PseudonymKey> { PseudonymMasterKey.fromBytes(ByteArray(3), 1u) }
        assertThrows<OnaException.InvalidArgument> {
            Pseudonymiser(master, "d", null).pseudonymOf(IdentifierType.NationalId("no_such_type"), "1")
        }
    }
}
