package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void formatsLikePythonIsoformat() {
        assertEquals("2026-11-24T22:59:29.746752+00:00", Timestamps.format(Instant.parse("2026-11-24T22:59:29.746752Z")));
        assertEquals("2026-11-24T22:59:29+00:00", Timestamps.format(Instant.parse("2026-11-24T22:59:29Z")));
    }

    /** The hand-written format answers what the JDK's formatter answers, for instants over many years. */
    @Test
    void formatAgreesWithTheJdkFormatter() {
        java.util.Random random = new java.util.Random(19);
        java.time.format.DateTimeFormatter seconds = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", java.util.Locale.ROOT);
        List<Instant> instants = new ArrayList<>(List.of(Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("2026-01-01T00:00:00.000001Z"), Instant.parse("2026-01-01T00:00:00.000000999Z"), Instant.EPOCH,
                Instant.parse("0999-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z")));
        for (int i = 0; i < 10_000; i++) {
            instants.add(Instant.ofEpochSecond(random.nextLong(-30_000_000_000L, 250_000_000_000L), random.nextInt(1_000_000_000)));
        }
        for (Instant instant : instants) {
            java.time.OffsetDateTime t = instant.atOffset(java.time.ZoneOffset.UTC);
            int micros = t.getNano() / 1000;
            String expected = seconds.format(t) + (micros == 0 ? "" : String.format(java.util.Locale.ROOT, ".%06d", micros)) + "+00:00";
            assertEquals(expected, Timestamps.format(instant), instant.toString());
        }
    }

    /** The fast path must answer exactly what the JDK parser answers, value or refusal, for every input. */
    @Test
    void parseOffsetAgreesWithTheJdkParser() {
        List<String> inputs = new ArrayList<>(List.of(
                "2026-11-24T22:59:29.746752+00:00", "2026-11-24T22:59:29Z", "2026-11-24T22:59:29.1Z",
                "2026-11-24T22:59:29.123456789Z", "2026-11-24T22:59:29.1234567890Z", "2026-11-24T22:59:29.Z",
                "2024-02-29T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z",
                "2026-01-01T23:59:60Z", "0000-01-01T00:00:00Z", "2026-01-01t00:00:00Z", "2026-01-01T00:00:00z",
                "2026-01-01T00:00:00-00:00", "2026-01-01T00:00:00+01:00", "2026-01-01T00:00Z",
                "2026-01-01T00:00:00", "2026-1-01T00:00:00Z", "+12026-01-01T00:00:00Z", "2026-01-01 00:00:00Z",
                "2026-01-01T00:00:0aZ", "2026-01-01T00:00:00.12a4Z", "２０２６-01-01T00:00:00Z", "",
                "2026-01-01T00:00:00+00:00:00", "2026-01-01T00:00:00.000000+00:00"));
        Random random = new Random(42);
        char[] alphabet = "0123456789-:T.Z+ ".toCharArray();
        for (int i = 0; i < 20_000; i++) {
            char[] s = "2026-11-24T22:59:29.746752+00:00".toCharArray();
            int len = 20 + random.nextInt(s.length - 19);
            for (int k = 0; k < 1 + random.nextInt(2); k++) {
                s[random.nextInt(len)] = alphabet[random.nextInt(alphabet.length)];
            }
            inputs.add(new String(s, 0, len));
        }
        for (String text : inputs) {
            OffsetDateTime expected;
            try {
                expected = OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                assertThrows(DateTimeParseException.class, () -> Timestamps.parseOffset(text), text);
                continue;
            }
            assertEquals(expected, Timestamps.parseOffset(text), text);
        }
    }
}
