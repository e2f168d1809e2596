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
        return text != null && Patterns.ULID.matcher(text).matches();
    }

    /** The creation time encoded in a ULID. */
    public static Instant timestamp(String ulid) {
        if (!isValid(ulid)) {
            throw new IllegalArgumentException("ulid: '" + ulid + "' (expected: 26 Crockford base32 characters)");
        }
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = (millis << 5) | decode(ulid.charAt(i));
        }
        return Instant.ofEpochMilli(millis);
    }

    private static int decode(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == c) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a Crockford base32 character: " + c);
    }
}
