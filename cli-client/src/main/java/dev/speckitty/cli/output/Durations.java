package dev.speckitty.cli.output;

import java.time.Duration;

/** Short human durations for status lines: {@code 42s}, {@code 5m 3s}, {@code 2h 10m}, {@code 3d 4h}. Stateless. */
public final class Durations {
    private Durations() {
    }

    public static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
        }
        if (s < 86_400) {
            return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
        }
        return s / 86_400 + "d" + (s % 86_400 / 3600 == 0 ? "" : " " + s % 86_400 / 3600 + "h");
    }

    public static String humanSeconds(long seconds) {
        return human(Duration.ofSeconds(seconds));
    }

    /** {@code at} relative to {@code now}, for people: {@code 2m 5s ago}, {@code in 3s}, {@code just now}; ISO stays for --json. */
    public static String relative(java.time.Instant at, java.time.Instant now) {
        Duration d = Duration.between(now, at);
        if (Math.abs(d.toMillis()) < 1000) {
            return "just now";
        }
        return d.isNegative() ? human(d.negated()) + " ago" : "in " + human(d);
    }

    /** {@link #relative} of an ISO-8601 instant or offset date-time; the text as it is when it is not one. */
    public static String relative(String iso, java.time.Instant now) {
        try {
            return relative(java.time.OffsetDateTime.parse(iso).toInstant(), now);
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }

    /** {@code 1 event} / {@code 3 events}. */
    public static String plural(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
