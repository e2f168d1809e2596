package dev.speckitty.protocol.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.speckitty.protocol.control.ConnectionState;
import dev.speckitty.protocol.control.EventOutcome;
import dev.speckitty.protocol.control.SyncErrorKind;
import dev.speckitty.protocol.wire.ResultStatus;
import org.junit.jupiter.api.Test;

class WireNamesTest {
    @Test
    void aConstantIsNamedInLowerCaseAndReadBack() {
        assertEquals("auth_required", WireNames.of(SyncErrorKind.AUTH_REQUIRED));
        for (SyncErrorKind k : SyncErrorKind.values()) {
            assertEquals(k, WireNames.lenient(SyncErrorKind.class, WireNames.of(k), null));
        }
        for (ConnectionState s : ConnectionState.values()) {
            assertEquals(s, WireNames.strict(ConnectionState.class, s.wire()));
        }
    }

    @Test
    void aLenientReadGivesTheFallbackForANameThisVersionDoesNotKnow() {
        assertEquals(SyncErrorKind.SERVER_ERROR, SyncErrorKind.fromWire("rate_limited"));
        assertEquals(EventOutcome.Status.REJECTED, EventOutcome.Status.fromWire("quarantined"));
        assertEquals(EventOutcome.Status.PARKED, EventOutcome.Status.fromWire("parked"));
        assertNull(SyncErrorKind.fromWire(null));
        // Only the exact wire name: an upper-case or padded name is not one of ours.
        assertEquals(SyncErrorKind.SERVER_ERROR, SyncErrorKind.fromWire("UNREACHABLE"));
    }

    @Test
    void aStrictReadRefusesANameThisVersionDoesNotKnow() {
        assertEquals(ResultStatus.DUPLICATE, ResultStatus.fromWire("duplicate"));
        assertThrows(IllegalArgumentException.class, () -> ResultStatus.fromWire("maybe"));
    }
}
