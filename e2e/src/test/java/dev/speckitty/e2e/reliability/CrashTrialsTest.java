package dev.speckitty.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash trials: a backlog drains from the real daemon to the real server, and at a random point of
 * the drain one of them is SIGKILLed and restarted. After every trial the server holds each emitted
 * event exactly once and the queue drains to empty.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class CrashTrialsTest {
    @TempDir
    Path dir;

    @Test
    void killingTheDaemonOrTheServerAtRandomMomentsOfADrainLosesAndDuplicatesNothing() throws Exception {
        Profile profile = Profile.current();
        long seed = Long.getLong("speckitty.reliability.seed", System.nanoTime());
        Random random = new Random(seed);
        int daemonKills = 0;
        int serverKills = 0;
        int midDrain = 0;
        // The first window is short: with only a few trials (short profile) a kill must land inside a drain
        // that now takes a couple of seconds for a backlog, not after it.
        long drainMs = 1_000;
        Instant start = Instant.now();
        Set<String> emitted = new HashSet<>();
        try (Rig rig = Rig.create(dir)) {
            rig.login(rig.server.url());
            rig.ok("config", "set", "sync.batch_size", "250"); // more batch boundaries for a kill to fall between or inside
            for (int trial = 0; trial < profile.crashTrials(); trial++) {
                List<String> markers = Rig.markers("t" + trial + "-", 0, profile.eventsPerTrial());
                rig.ok("events", "import", rig.draftsFile("trial-" + trial + ".ndjson", markers).toString());
                emitted.addAll(markers);
                long backlog = rig.depth();
                boolean killServer = trial % 3 == 2;
                // The kill moment: uniform over the drain time the previous trials measured (a sleep on purpose:
                // it is the fault's timing, not a wait for a condition).
                long killAfterMs = (long) (random.nextDouble() * drainMs);

                long t0 = System.nanoTime();
                rig.ok("daemon", "start");
                long t1 = System.nanoTime();
                Thread.sleep(killAfterMs);
                long left = rig.depth();
                if (left > 0) {
                    midDrain++;
                }
                if (killServer) {
                    rig.restartServer();
                    serverKills++;
                } else {
                    rig.killDaemon();
                    daemonKills++;
                    rig.ok("daemon", "start");
                }
                long t2 = System.nanoTime();
                rig.awaitOrExplain(Duration.ofSeconds(180), "the queue to drain after trial " + trial, () -> rig.depth() == 0);
                long t3 = System.nanoTime();
                if (left == 0) {
                    drainMs = Math.max(300, killAfterMs * 2 / 3); // the drain was over: aim earlier next time
                } else if (left == backlog) {
                    drainMs = drainMs * 3 / 2;
                }
                Rig.Tally t = rig.tally(emitted);
                assertEquals(0, t.lost(), "lost after trial " + trial + " (killed the " + (killServer ? "server" : "daemon")
                        + " with " + left + " of " + backlog + " queued; seed " + seed + ")");
                assertEquals(0, t.duplicated(), "duplicated after trial " + trial + " (seed " + seed + ")");
                assertEquals(emitted.size(), t.stored(), "stored after trial " + trial);
                System.out.printf("trial %d: killed the %s %d ms after start with %d of %d queued; start %d ms, to kill %d ms, restart+drain %d ms, check %d ms%n",
                        trial, killServer ? "server" : "daemon", killAfterMs, left, backlog, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                        (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
                rig.killDaemon(); // the next backlog is recorded offline, and a kill at rest must be harmless too
            }
            assertEquals(0, rig.parked());
        }
        Summary.print("crash", String.format("trials=%d daemon_kills=%d server_kills=%d killed_mid_drain=%d events=%d lost=0 duplicated=0"
                + " took_s=%d seed=%d", profile.crashTrials(), daemonKills, serverKills, midDrain, emitted.size(),
                Duration.between(start, Instant.now()).toSeconds(), seed));
        assertTrue(midDrain > 0, "at least one kill landed mid-drain");
    }
}
