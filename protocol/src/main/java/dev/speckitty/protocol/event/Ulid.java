package dev.speckitty.protocol.event;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Random;

/**
 * ULID generation and parsing. Generated ids are monotonic: within one millisecond the random part
 * is incremented, so ids from one generator sort in creation order. Thread-safe (synchronized).
 */
public final class Ulid {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    /** Each ASCII character's value in {@link #ALPHABET}, or -1. */
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
        }
    }
    private static final long MAX_TIME = (1L << 48) - 1;

    private final Clock clock;
    private final Random random;
    private long lastMillis = -1;
    private long randHi; // top 16 bits of the 80-bit random part
    private long randLo; // low 64 bits

    public Ulid(Clock clock, Random random) {
        this.clock = clock;
        this.random = random;
    }

    /** A generator on the system clock with a secure random source. */
    public static Ulid systemDefault() {
        return new Ulid(Clock.systemUTC(), new SecureRandom());
    }

    /** The next id, strictly greater than every id this generator returned before. */
    public synchronized String next() {
        long now = clock.millis();
        if (now > lastMillis) {
            lastMillis = now;
            randHi = random.nextInt(1 << 16);
            randLo = random.nextLong();
        } else {
            // Same millisecond (or the clock went back): increment the 80-bit random part.
            randLo++;
            if (randLo == 0) {
                randHi++;
                if (randHi >= (1 << 16)) {
                    // Random part exhausted: borrow the next millisecond rather than repeat.
                    lastMillis++;
                    randHi = 0;
                }
            }
        }
        return encode(lastMillis, randHi, randLo);
    }

    /** Encodes the 48-bit time and 80-bit random parts as 26 Crockford base32 characters. */
    static String encode(long millis, long hi16, long lo64) {
        if (millis < 0 || millis > MAX_TIME) {
            throw new IllegalArgumentException("millis: " + millis + " (expected: 0.." + MAX_TIME + ")");
        }
        char[] out = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits -> 16 chars of 5 bits, from the least significant end.
        long lo = lo64;
        long hi = hi16;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return new String(out);
    }

    /** Whether the text is a canonical ULID (26 upper-case Crockford base32 characters). */
    public static boolean isValid(String text) {
        return text != null && Patterns.matches(Patterns.ULID, text);
    }

    /** The creation time encoded in a ULID. */
    public static Instant timestamp(String ulid) {
        long[] bits = bits(ulid);
        if (bits == null) {
            throw new IllegalArgumentException("ulid: '" + ulid + "' (expected: 26 Crockford base32 characters)");
        }
        return Instant.ofEpochMilli(bits[0] >>> 16);
    }

    /**
     * The ULID's 128 bits as {@code {high 64, low 64}} (the time is the top 48), or null when the text
     * is not a canonical ULID: the same texts as {@link #isValid}, without a regular expression.
     */
    public static long[] bits(String ulid) {
        if (ulid == null || ulid.length() != 26 || ulid.charAt(0) > '7') {
            return null;
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 26; i++) {
            char c = ulid.charAt(i);
            int v = c < VALUES.length ? VALUES[c] : -1;
            if (v < 0) {
                return null;
            }
            hi = (hi << 5) | (lo >>> 59);
            lo = (lo << 5) | v;
        }
        return new long[] {hi, lo};
    }
}
