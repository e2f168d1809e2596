package dev.speckitty.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void controlCharactersAreEscapedSoNothingDrivesTheTerminal() {
        assertEquals("\\x1b[31mred\\r\\nnext\\tcol\\x07", Printable.clip("\u001b[31mred\r\nnext\tcol\u0007", 100));
        assertEquals("plain text, é and ✓ stay", Printable.clip("plain text, é and ✓ stay", 100));
        assertEquals("\\x9b", Printable.clip("\u009b", 10), "C1 controls too (CSI)");
    }

    @Test
    void longTextIsClippedWithAnEllipsis() {
        String clipped = Printable.clip("x".repeat(5000), 120);
        assertEquals(121, clipped.length());
        assertTrue(clipped.endsWith("…"));
        assertEquals("exact", Printable.clip("exact", 5));
    }
}
