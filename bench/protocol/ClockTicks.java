import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.local.LamportClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Cost of the persisted Lamport clock (lock + read + write temp file + fsync + rename per call) and
 * of ULID generation, in one JVM on the temp directory's file system. Run by clock.sh.
 * Prints one Markdown table row per measurement.
 */
public class ClockTicks {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path home = Files.createTempDirectory("sk-clock-bench");
        LamportClock clock = new LamportClock(home.resolve("clock.json"), home.resolve("clock.lock"), () -> "bench",
                Clock.systemUTC(), () -> 0L);
        for (int i = 0; i < 200; i++) {
            clock.tick(); // warm-up: class loading, JIT, first file creation
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            clock.tick();
        }
        long t1 = System.nanoTime();
        row("tick()", n, t1 - t0);

        t0 = System.nanoTime();
        for (int i = 0; i < n / 10; i++) {
            clock.tick(1000);
        }
        t1 = System.nanoTime();
        row("tick(1000) (reserves 1000 values)", n / 10, t1 - t0);

        Ulid ulid = Ulid.systemDefault();
        for (int i = 0; i < 100_000; i++) {
            ulid.next();
        }
        int ids = 1_000_000;
        t0 = System.nanoTime();
        for (int i = 0; i < ids; i++) {
            ulid.next();
        }
        t1 = System.nanoTime();
        row("Ulid.next()", ids, t1 - t0);
    }

    private static void row(String what, int calls, long nanos) {
        System.out.printf("| %s | %d | %.0f ms | %.4f ms |%n", what, calls, nanos / 1e6, nanos / 1e6 / calls);
    }
}
