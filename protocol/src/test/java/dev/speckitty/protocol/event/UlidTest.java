package dev.speckitty.protocol.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ULID encoding, parsing and monotonic generation. */
class UlidTest {
    private static final Instant T = Instant.parse("2026-11-24T10:00:00.123Z");

    /** A random source stuck at one value: nextInt(bound) and nextLong() as given. */
    private static Random stuck(int intValue, long longValue) {
        return new Random() {
            @Override
            public int nextInt(int bound) {
                return Math.min(intValue, bound - 1);
            }

            @Override
            public long nextLong() {
                return longValue;
            }
        };
    }

    private static Ulid frozenAt(Instant instant, Random random) {
        return new Ulid(Clock.fixed(instant, ZoneOffset.UTC), random);
    }

    @Test
    void bitsAreTheUlidAsA128BitNumber() {
        for (String id : List.of("00000000000000000000000000", "7ZZZZZZZZZZZZZZZZZZZZZZZZZ", "01KAT0V6J8Q5R9S1T2V3W4X5Y6")) {
            BigInteger value = BigInteger.ZERO;
            for (char c : id.toCharArray()) {
                value = value.shiftLeft(5).add(BigInteger.valueOf("0123456789ABCDEFGHJKMNPQRSTVWXYZ".indexOf(c)));
            }
            assertArrayEquals(new long[] {value.shiftRight(64).longValue(), value.longValue()}, Ulid.bits(id), id);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "01KAT0V6J8Q5R9S1T2V3W4X5Y", "01KAT0V6J8Q5R9S1T2V3W4X5Y66", "81KAT0V6J8Q5R9S1T2V3W4X5Y6",
        "01kat0v6j8q5r9s1t2v3w4x5y6", "01KAT0V6J8Q5R9S1T2V3W4X5YI", "01KAT0V6J8Q5R9S1T2V3W4X5YU", "01KAT0V6J8Q5R9S1T2V3W4X5Y\u00e9",
        "550e8400-e29b-41d4-a716-44665544"})
    void bitsRefuseWhatIsValidRefuses(String text) {
        assertFalse(Ulid.isValid(text), text);
        assertNull(Ulid.bits(text), text);
    }

    @Test
    void knownVectors() {
        assertEquals("00000000000000000000000000", Ulid.encode(0, 0, 0));
        assertEquals("00000000000000000000000001", Ulid.encode(0, 0, 1));
        assertEquals("0000000000000G000000000000", Ulid.encode(0, 1, 0)); // bit 64 of the random part
        assertEquals("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", Ulid.encode((1L << 48) - 1, 0xFFFF, -1L));
        // Independent computation (Python): time 1732000000000, random 0x0123456789abcdef0123.
        assertEquals("01JD1KXA0004HMASW9NF6YY093", Ulid.encode(1732000000000L, 0x0123, 0x456789abcdef0123L));
        assertEquals("00000000000000000000000000", frozenAt(Instant.EPOCH, stuck(0, 0)).next());
    }

    @Test
    void timestampOfTheSpecExample() {
        // ulid spec: ulid(1469918176385) starts with 01ARYZ6S41.
        assertEquals(Instant.ofEpochMilli(1469918176385L), Ulid.timestamp("01ARYZ6S41TSV4RRFFQ69G5FAV"));
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 1469918176385L, 1795561169000L, (1L << 48) - 1})
    void timestampRoundTrip(long millis) {
        String id = frozenAt(Instant.ofEpochMilli(millis), new Random(millis)).next();
        assertTrue(Ulid.isValid(id), id);
        assertEquals(Instant.ofEpochMilli(millis), Ulid.timestamp(id));
    }

    @Test
    void timeBeyond48BitsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ulid.encode(1L << 48, 0, 0));
        assertEquals("millis: 281474976710656 (expected: 0..281474976710655)", e.getMessage());
    }

    @Test
    void hundredThousandIdsInOneFrozenMillisecondStrictlyIncrease() {
        Ulid ulid = frozenAt(T, new Random(42));
        String previous = ulid.next();
        Set<String> seen = new HashSet<>();
        seen.add(previous);
        for (int i = 0; i < 100_000; i++) {
            String id = ulid.next();
            assertTrue(id.compareTo(previous) > 0, previous + " then " + id);
            assertEquals(T.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), Ulid.timestamp(id));
            assertTrue(seen.add(id));
            previous = id;
        }
    }

    @Test
    void randomPartOverflowBorrowsTheNextMillisecond() {
        Ulid ulid = frozenAt(T, stuck(0xFFFF, -1L));
        String max = ulid.next();
        assertEquals("ZZZZZZZZZZZZZZZZ", max.substring(10));
        String next = ulid.next();
        assertEquals("0000000000000000", next.substring(10));
        assertEquals(T.plusMillis(1), Ulid.timestamp(next));
        assertTrue(next.compareTo(max) > 0);
        String previous = next;
        for (int i = 0; i < 100_000; i++) {
            String id = ulid.next();
            assertTrue(id.compareTo(previous) > 0, previous + " then " + id);
            previous = id;
        }
    }

    @Test
    void carryFromTheLow64BitsIntoTheHigh16() {
        Ulid ulid = frozenAt(T, stuck(0x00FF, -1L));
        String first = ulid.next();
        String second = ulid.next();
        assertTrue(second.compareTo(first) > 0);
        assertEquals(Ulid.encode(T.toEpochMilli(), 0x0100, 0).substring(10), second.substring(10));
        assertEquals(T, Ulid.timestamp(second));
    }

    @Test
    void clockGoingBackwardsStillIncreases() {
        long[] now = {T.toEpochMilli()};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now[0]);
            }
        };
        Ulid ulid = new Ulid(clock, new Random(7));
        String a = ulid.next();
        now[0] -= 5_000;
        String b = ulid.next();
        assertTrue(b.compareTo(a) > 0);
        now[0] += 10_000;
        String c = ulid.next();
        assertTrue(c.compareTo(b) > 0);
        assertEquals(Instant.ofEpochMilli(now[0]), Ulid.timestamp(c));
    }

    @Test
    void systemDefaultGeneratesValidIncreasingIds() {
        Ulid ulid = Ulid.systemDefault();
        String a = ulid.next();
        String b = ulid.next();
        assertTrue(Ulid.isValid(a) && Ulid.isValid(b));
        assertTrue(b.compareTo(a) > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "01KAT0V6J8Q5R9S1T2V3W4X5YI", // I
        "01KAT0V6J8Q5R9S1T2V3W4X5YL", // L
        "01KAT0V6J8Q5R9S1T2V3W4X5YO", // O
        "01KAT0V6J8Q5R9S1T2V3W4X5YU", // U
        "01kat0v6j8q5r9s1t2v3w4x5y6", // lowercase
        "01KAT0V6J8Q5R9S1T2V3W4X5Y",  // 25 chars
        "01KAT0V6J8Q5R9S1T2V3W4X5Y67", // 27 chars
        "81KAT0V6J8Q5R9S1T2V3W4X5Y6", // first char > 7: more than 128 bits
        "",
        "6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11"})
    void isValidRejects(String text) {
        assertFalse(Ulid.isValid(text));
        assertThrows(IllegalArgumentException.class, () -> Ulid.timestamp(text));
    }

    @Test
    void isValidAcceptsCanonicalIds() {
        assertTrue(Ulid.isValid("01KAT0V6J8Q5R9S1T2V3W4X5Y6"));
        assertTrue(Ulid.isValid("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        assertFalse(Ulid.isValid(null));
    }
}
