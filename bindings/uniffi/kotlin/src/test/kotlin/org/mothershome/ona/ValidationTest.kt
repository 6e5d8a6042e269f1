package org.mothershome.ona

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ValidationTest {
    @Test
    fun `a valid record validates`() {
        val out = validateCase(Support.validCase(), "en")
        assertTrue(out.contains("\"schema_version\""))
    }

    @Test
    fun `an invalid record raises a typed exception with every problem`() {
        val bad = Support.validCase().replaceFirst("{", "{\"no_such_field\":1,")
        val e = assertThrows<OnaException.Validation> { validateCase(bad, "en") }
        val p = e.problems.single { it.code == "unknown_field" }
        assertEquals("/no_such_field", p.pointer)
        assertTrue(p.message.isNotEmpty())
    }

    @Test
    fun `broken JSON is a validation problem, not a crash`() {
        val e = assertThrows<OnaException.Validation> { validateCase("{not json", "uk") }
        assertEquals("invalid_json", e.problems.single().code)
    }

    @Test
    fun `an unknown language is an invalid argument`() {
        assertThrows<OnaException.InvalidArgument> { validateCase(Support.validCase(), "xx") }
    }

    @Test
    fun `codelists come with labels`() {
        assertTrue(codelistIds().contains("referral_source"))
        val codes = codelist("referral_source", "en")
        assertNotNull(codes)
        assertTrue(codes!!.isNotEmpty())
        assertTrue(codes.all { it.label != null })
        assertNull(codelist("no_such_list", "en"))
    }
}
