package dev.speckitty.e2e.hostile;

/**
 * The size of a hostile-client run, from {@code -Dspeckitty.hostile.profile=short|long}: short (the
 * default) fits in CI in about a minute and a half; long repeats every attack at several times the
 * volume and adds the cases that need real time (a refresh token reused after its 60 s grace, a
 * WebSocket past its 45 s pong deadline).
 */
record HostileProfile(String name, int leakRequests, int pipelinedPulls, int stalledPullSockets, int holdSeconds, int stalledSessions,
        int fanOutBatches, int echoFrames, int idleSocketRounds, int wrongLogins, int concurrentLogins) {
    static final String PROPERTY = "speckitty.hostile.profile";

    static HostileProfile current() {
        String name = System.getProperty(PROPERTY, "short").trim();
        switch (name) {
            case "short":
                return new HostileProfile("short", 100, 400, 1, 5, 3, 15, 2_000, 1, 200, 200);
            case "long":
                return new HostileProfile("long", 1_000, 2_000, 8, 20, 10, 40, 10_000, 3, 2_000, 1_000);
            default:
                throw new IllegalArgumentException(PROPERTY + ": '" + name + "' (expected: short or long)");
        }
    }

    boolean isLong() {
        return name.equals("long");
    }
}
