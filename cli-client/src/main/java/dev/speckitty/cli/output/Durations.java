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

    /** {@code 1 event} / {@code 3 events}. */
    public static String plural(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
