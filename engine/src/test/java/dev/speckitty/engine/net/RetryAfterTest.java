package dev.speckitty.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-10-21T07:20:00Z");

    @Test
    void secondsAndHttpDates() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(0)), RetryAfter.parse(" 0 ", NOW));
        assertEquals(Optional.of(Duration.ofMinutes(8)), RetryAfter.parse("Wed, 21 Oct 2026 07:28:00 GMT", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(999_999_999L)), RetryAfter.parse("99999999999999999999", NOW), "huge: the caller caps it");
    }

    @Test
    void anythingElseIsNoAdvice() {
        for (String bad : new String[] {null, "", "  ", "-5", "1.5", "soon", "Wed, 21 Oct 2026 07:10:00 GMT", "2026-10-21T08:00:00Z"}) {
            assertEquals(Optional.empty(), RetryAfter.parse(bad, NOW), String.valueOf(bad));
        }
    }
}
