import dev.speckitty.cli.CliContext;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.cli.backend.InProcessBackend;
import dev.speckitty.engine.store.ReadOnlyQueue;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Times each start-up step of the CLI once, in a fresh JVM (run by startup.sh with the source
 * launcher): the context, picocli's first command model, config.toml, Jackson's first mapper use, a
 * StatusResponse read, a daemon-down local enqueue and the read-only queue stats. Prints
 * tab-separated name=ms pairs.
 */
public class StartupSteps {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("sk-steps");
        Path config = Files.writeString(dir.resolve("config.toml"), "[sync]\nserver_url = \"https://sync.example.com\"\n");
        long t0 = System.nanoTime();
        CliContext.system();
        long t1 = System.nanoTime();
        new CommandLine(new dev.speckitty.cli.sync.SyncStatusCommand());
        long t2 = System.nanoTime();
        ConfigFile.load(config);
        long t3 = System.nanoTime();
        Json.mapper();
        long t4 = System.nanoTime();
        Json.read("{\"version\":\"0\",\"pid\":1,\"uptime_s\":1,\"server_url\":null,\"connection\":\"connected\",\"last_error\":null,"
                + "\"next_retry_at\":null,\"user\":null,\"team\":null,\"queue\":{\"depth\":0,\"oldest_age_s\":0,\"retries\":{},\"parked\":0},"
                + "\"last_sync\":null,\"cursor\":\"0\",\"clock\":0,\"node_id\":\"x\",\"inbox\":0}", StatusResponse.class);
        long t5 = System.nanoTime();
        // The daemon-down paths: a local enqueue (opens and creates queue.db, loads SQLite, takes the
        // clock lock), then the read-only queue stats.
        SpecKittyHome home = SpecKittyHome.at(dir);
        CliContext ctx = new CliContext(home, System.out, System.err, System.in, java.util.Optional.empty(), java.util.Optional.empty(),
                dir, java.time.Clock.systemUTC());
        try (var backend = new InProcessBackend(ctx)) {
            backend.enqueue(new EnqueueRequest(List.of(Json.tree("{\"event_type\":\"WPStatusChanged\",\"aggregate_id\":\"WP01\","
                    + "\"payload\":{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}}")), dir.toString()), dev.speckitty.cli.ExitCodes.USAGE);
        }
        long t6 = System.nanoTime();
        try (ReadOnlyQueue queue = ReadOnlyQueue.open(home.queueDb()).orElseThrow()) {
            queue.stats(java.time.Instant.now());
        }
        long t7 = System.nanoTime();
        System.out.printf("context=%d\tpicocli first model=%d\tconfig.toml=%d\tJackson mapper=%d\tStatusResponse read=%d"
                        + "\tlocal enqueue (sqlite open)=%d\tqueue stats (read-only)=%d%n",
                ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4), ms(t6 - t5), ms(t7 - t6));
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
