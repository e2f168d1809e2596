package dev.speckitty.protocol.local;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** ISO-8601 timestamps written the way Python's {@code datetime.isoformat()} writes them in UTC. */
public final class Timestamps {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private Timestamps() {
    }

    /** E.g. {@code 2026-11-24T22:59:29.746752+00:00}; the fraction is omitted when it is zero, as Python does. */
    public static String format(Instant instant) {
        OffsetDateTime t = instant.atOffset(ZoneOffset.UTC);
        if (t.getYear() >= 1000 && t.getYear() <= 9999) {
            // By hand: every enqueue stamps one, and the formatter and String.format cost more than the rest of a draft.
            char[] c = new char[32];
            int n = digits(c, 0, t.getYear(), 4);
            c[n++] = '-';
            n = digits(c, n, t.getMonthValue(), 2);
            c[n++] = '-';
            n = digits(c, n, t.getDayOfMonth(), 2);
            c[n++] = 'T';
            n = digits(c, n, t.getHour(), 2);
            c[n++] = ':';
            n = digits(c, n, t.getMinute(), 2);
            c[n++] = ':';
            n = digits(c, n, t.getSecond(), 2);
            int micros = t.getNano() / 1000;
            if (micros != 0) {
                c[n++] = '.';
                n = digits(c, n, micros, 6);
            }
            for (char x : "+00:00".toCharArray()) {
                c[n++] = x;
            }
            return new String(c, 0, n);
        }
        StringBuilder out = new StringBuilder(32).append(SECONDS.format(t));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            out.append('.').append(String.format(Locale.ROOT, "%06d", micros));
        }
        return out.append("+00:00").toString();
    }

    /** Writes {@code value} as {@code width} decimal digits (zero-padded) at {@code at}; answers the next index. */
    private static int digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    /**
     * Parses an ISO-8601 timestamp with an offset (or {@code Z}); one without an offset is taken as
     * UTC, as the Python tool's credential reader does.
     */
    public static Instant parse(String text) {
        try {
            return parseOffset(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                throw e;
            }
        }
    }

    /**
     * {@link OffsetDateTime#parse} with a fast path for the form every tool writes, {@code
     * uuuu-MM-ddTHH:mm:ss[.f{1,9}]} then {@code Z} or {@code +00:00}: the same answer (and the same
     * refusals) at a tenth of the cost; any other form goes to the JDK parser.
     *
     * @throws DateTimeParseException as {@link OffsetDateTime#parse} does
     */
    public static OffsetDateTime parseOffset(String text) {
        OffsetDateTime fast = parseCanonicalUtc(text);
        return fast != null ? fast : OffsetDateTime.parse(text);
    }

    /** The canonical UTC form, or null for anything else (including invalid dates, left to the JDK to refuse). */
    private static OffsetDateTime parseCanonicalUtc(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int end;
        if (s.charAt(n - 1) == 'Z') {
            end = n - 1;
        } else if (s.endsWith("+00:00")) {
            end = n - 6;
        } else {
            return null;
        }
        int nanos = 0;
        if (end > 19) {
            int digits = end - 20;
            if (s.charAt(19) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            int fraction = digits(s, 20, end);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        } else if (end != 19) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The ASCII digits {@code s[from, to)} as a number, or -1 if any is not a digit. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
