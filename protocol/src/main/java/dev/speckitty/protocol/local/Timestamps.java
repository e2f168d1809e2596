package dev.speckitty.protocol.local;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** ISO-8601 timestamps written the way Python's {@code datetime.isoformat()} writes them in UTC. */
public final class Timestamps {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private Timestamps() {
    }

    /** E.g. {@code 2026-11-24T22:59:29.746752+00:00}; the fraction is omitted when it is zero, as Python does. */
    public static String format(Instant instant) {
        OffsetDateTime t = instant.atOffset(ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(32).append(SECONDS.format(t));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            out.append('.').append(String.format(Locale.ROOT, "%06d", micros));
        }
        return out.append("+00:00").toString();
    }

    /** Parses any ISO-8601 timestamp with an offset (or {@code Z}). */
    public static Instant parse(String text) {
        return OffsetDateTime.parse(text).toInstant();
    }
}
