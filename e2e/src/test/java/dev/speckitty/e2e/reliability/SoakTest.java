package dev.speckitty.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.e2e.fault.Fault;
import dev.speckitty.e2e.fault.FaultProxy;
import dev.speckitty.e2e.support.SpecKitty;
import dev.speckitty.protocol.control.ControlApi;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak: the real daemon syncs through a {@link FaultProxy} whose fault changes at random while
 * two producers emit without pause (CLI {@code events import} processes, and this process enqueueing
 * on the control socket). Afterwards, with the faults off, the server holds every emitted event
 * exactly once and the queue is empty.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class SoakTest {
    private static final Fault[] FAULTS = Fault.values();

    @TempDir
    Path dir;

    @Test
    void everyEventArrivesExactlyOnceThroughRandomFaults() throws Exception {
        Profile profile = Profile.current();
        long seed = Long.getLong("speckitty.reliability.seed", System.nanoTime());
        Random random = new Random(seed);
        try (Rig rig = Rig.create(dir); FaultProxy proxy = FaultProxy.to(URI.create(rig.server.url()))) {
            rig.login(proxy.url().toString());
            rig.ok("config", "set", "sync.batch_size", "100"); // more requests per drain, so more of them meet a fault
            rig.ok("daemon", "start");

            Set<String> emitted = ConcurrentHashMap.newKeySet();
            AtomicInteger refused = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong switches = new AtomicLong();
            AtomicLong kicks = new AtomicLong();
            ScheduledExecutorService timers = Executors.newScheduledThreadPool(3);
            try {
                // Producer 1: this process on the control socket, 20 events every 50 ms.
                AtomicInteger api = new AtomicInteger();
                timers.scheduleAtFixedRate(() -> {
                    List<String> m = Rig.markers("api-", api.getAndAdd(20), 20);
                    try {
                        if (rig.enqueueViaControl(m)) {
                            emitted.addAll(m);
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (Exception e) {
                        System.out.println("control API enqueue failed: " + e);
                        refused.incrementAndGet();
                    }
                }, 0, 50, TimeUnit.MILLISECONDS);
                // A user running `sync now` every 2 s: without it a daemon in a 30 s backoff would meet few faults.
                timers.scheduleWithFixedDelay(() -> {
                    try {
                        rig.controlPost(ControlApi.SYNC, "{\"verbose\":false,\"dry_run\":false}");
                        kicks.incrementAndGet();
                    } catch (Exception e) {
                        // the sync's own outcome does not matter here; the final tally does
                    }
                }, 1, 2, TimeUnit.SECONDS);
                // The faults: a new one (or none) every 0.2–1.5 s.
                scheduleFault(timers, proxy, random, stop, switches);
                // Producer 2: CLI processes importing 1–200 events each, back to back, on this thread.
                Instant end = Instant.now().plus(profile.soak());
                int cli = 0;
                int runs = 0;
                while (Instant.now().isBefore(end)) {
                    int n = 1 + random.nextInt(200);
                    List<String> m = Rig.markers("cli-", cli, n);
                    cli += n;
                    SpecKitty.Run r = rig.sk.run("events", "import", rig.draftsFile("soak-" + runs++ + ".ndjson", m).toString());
                    if (r.exit() == 0) {
                        emitted.addAll(m);
                    } else {
                        refused.incrementAndGet();
                        System.out.println("a CLI import was refused: " + r);
                    }
                }
            } finally {
                stop.set(true);
                timers.shutdown(); // not shutdownNow: an interrupted enqueue may have queued and would look refused
                assertTrue(timers.awaitTermination(60, TimeUnit.SECONDS), "the producers stopped");
            }
            proxy.set(Fault.NONE);
            long faults = proxy.faultsInjected();

            Instant drainStart = Instant.now();
            AtomicLong kicked = new AtomicLong(System.nanoTime());
            rig.awaitOrExplain(Duration.ofMinutes(4), "the queue to drain once the faults stop", () -> {
                if (rig.depth() == 0) {
                    return true;
                }
                if (System.nanoTime() - kicked.get() > TimeUnit.SECONDS.toNanos(15)) {
                    rig.sk.run("sync", "now"); // the daemon may sit in a 30 s backoff; a user would do this
                    kicked.set(System.nanoTime());
                }
                return false;
            });
            long drainMs = Duration.between(drainStart, Instant.now()).toMillis();
            Rig.Tally t = rig.tally(emitted);
            Summary.print("soak", String.format("trials=1 faults=%d fault_switches=%d sync_now=%d requests=%d events=%d lost=%d duplicated=%d"
                            + " refused=%d parked=%d soak_s=%d final_drain_ms=%d seed=%d",
                    faults, switches.get(), kicks.get(), proxy.requests(), t.emitted(), t.lost(), t.duplicated(), refused.get(), rig.parked(),
                    profile.soak().toSeconds(), drainMs, seed));
            assertTrue(faults > 0, "faults were injected");
            assertTrue(t.emitted() > 0, "events were emitted");
            assertEquals(0, t.lost(), "lost");
            assertEquals(0, t.duplicated(), "duplicated");
            assertEquals(t.emitted(), t.stored(), "the server holds exactly the emitted events");
            assertEquals(0, refused.get(), "local emits refused (emit must always succeed locally)");
            assertEquals(0, rig.depth());
            assertEquals(0, rig.parked());
        }
    }

    private static void scheduleFault(ScheduledExecutorService timers, FaultProxy proxy, Random random, AtomicBoolean stop, AtomicLong switches) {
        if (stop.get()) {
            return;
        }
        // About a third of the time the link is healthy, so the drain makes progress between faults.
        Fault next = random.nextInt(3) == 0 ? Fault.NONE : FAULTS[1 + random.nextInt(FAULTS.length - 1)];
        proxy.set(next);
        switches.incrementAndGet();
        timers.schedule(() -> scheduleFault(timers, proxy, random, stop, switches), 200 + random.nextInt(1300), TimeUnit.MILLISECONDS);
    }
}
