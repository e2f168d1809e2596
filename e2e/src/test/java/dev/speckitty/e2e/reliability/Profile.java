package dev.speckitty.e2e.reliability;

import java.time.Duration;

/**
 * The size of a reliability run, from {@code -Dspeckitty.reliability.profile=short|long}: short (the
 * default) fits in CI, long is for manual runs through {@code bench/reliability/long.sh}.
 */
record Profile(String name, Duration soak, int crashTrials, int eventsPerTrial, int scaleEvents) {
    static final String PROPERTY = "speckitty.reliability.profile";

    static Profile current() {
        String name = System.getProperty(PROPERTY, "short").trim();
        switch (name) {
            case "long":
                return new Profile("long", Duration.ofSeconds(Long.getLong("speckitty.reliability.soakSeconds", 300)),
                        Integer.getInteger("speckitty.reliability.crashTrials", 30), 4_000,
                        Integer.getInteger("speckitty.reliability.scaleEvents", 1_000_000));
            case "short":
                return new Profile("short", Duration.ofSeconds(Long.getLong("speckitty.reliability.soakSeconds", 20)),
                        Integer.getInteger("speckitty.reliability.crashTrials", 3), 10_000,
                        Integer.getInteger("speckitty.reliability.scaleEvents", 50_000));
            default:
                throw new IllegalArgumentException(PROPERTY + ": '" + name + "' (expected: short or long)");
        }
    }

    boolean isLong() {
        return name.equals("long");
    }
}
