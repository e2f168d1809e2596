package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.testing.TestEvents;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest and pull throughput over HTTP on loopback: SQLite (1 instance) vs PostgreSQL with 1 and 2
 * instances on one database, in the same run. Not a test (no *Test suffix): run by
 * {@code bench/server/throughput.sh}. Clients are spread round-robin over the instances.
 */
class ServerThroughputBench {
    private static final int EVENTS = Integer.getInteger("speckitty.bench.events", 40_000);
    private static final int CLIENTS = Integer.getInteger("speckitty.bench.clients", 8);
    private static final int BATCH = 1_000;

    @TempDir
    Path dir;

    record Result(String store, int instances, double ingestPerSec, double pullPerSec) {
    }

    @Test
    void throughput() throws Exception {
        Assumptions.assumeFalse(TestStore.postgres(), "the bench runs once, in the default execution");
        String pgUrl = System.getenv(TestStore.URL_ENV);
        List<Result> results = new ArrayList<>();
        List<byte[]> bodies = bodies();
        // Warm-up (JIT, class loading) so the first measured row is not penalised; its numbers are discarded.
        run("sqlite", 1, dir.resolve("warm"), null, bodies);
        results.add(run("sqlite", 1, dir.resolve("sqlite"), null, bodies));
        if (pgUrl != null && !pgUrl.isBlank()) {
            results.add(run("postgresql", 1, dir.resolve("pg1"), TestStore.createDatabase(), bodies));
            results.add(run("postgresql", 2, dir.resolve("pg2"), TestStore.createDatabase(), bodies));
            TestStore.dropAll();
        } else {
            System.out.println("SPEC_KITTY_TEST_PG_URL is not set: PostgreSQL rows skipped");
        }
        Result base = results.get(0);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n%d events in batches of %d, %d concurrent clients, %d CPUs%n%n", EVENTS, BATCH, CLIENTS,
                Runtime.getRuntime().availableProcessors()));
        table.append("| store | instances | ingest events/s | vs SQLite | pull events/s | vs SQLite |\n");
        table.append("|---|---|---|---|---|---|\n");
        for (Result r : results) {
            table.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %.2f | %,.0f | %.2f |%n", r.store(), r.instances(),
                    r.ingestPerSec(), r.ingestPerSec() / base.ingestPerSec(), r.pullPerSec(), r.pullPerSec() / base.pullPerSec()));
        }
        System.out.println(table);
        System.err.println(table);
    }

    /** Distinct events, pre-compressed so the clients measure the server, not gzip. */
    private static List<byte[]> bodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < EVENTS; i += BATCH) {
            List<JsonNode> events = TestEvents.fresh("bench", BATCH);
            bodies.add(ApiClient.gzip(Json.writeBytes(Map.of("events", events))));
        }
        return bodies;
    }

    private static Result run(String store, int instances, Path data, String url, List<byte[]> bodies) throws Exception {
        List<TeamServer> servers = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int i = 0; i < instances; i++) {
                ServerOptions o = ServerOptions.loopback(data.resolve("i" + i));
                servers.add(TeamServer.start(url == null ? o : o.withDatabaseUrl(url)));
            }
            for (int c = 0; c < CLIENTS; c++) {
                servers.get(0).users().add("bench" + c, "bench", "pw");
            }
            List<ApiClient> apis = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                ApiClient api = new ApiClient(servers.get(c % instances).url());
                apis.add(api);
                tokens.add(api.login("bench" + c, "pw").access());
                assertEquals(200, api.batchRaw(tokens.get(c), List.of()).statusCode()); // warm the connection
            }

            long t0 = System.nanoTime();
            List<Future<?>> uploads = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                uploads.add(threads.submit(() -> {
                    for (int b = client; b < bodies.size(); b += CLIENTS) {
                        HttpResponse<String> r = apis.get(client).batchRaw(tokens.get(client), bodies.get(b));
                        assertEquals(200, r.statusCode(), r.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : uploads) {
                f.get(10, TimeUnit.MINUTES);
            }
            double ingest = EVENTS / ((System.nanoTime() - t0) / 1e9);

            long t1 = System.nanoTime();
            List<Future<Integer>> pulls = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                pulls.add(threads.submit(() -> {
                    int n = 0;
                    long cursor = 0;
                    boolean more = true;
                    while (more) {
                        JsonNode page = Json.tree(apis.get(client).get(Api.EVENTS + "?after=" + cursor + "&limit=1000",
                                tokens.get(client)).body());
                        n += page.get("events").size();
                        cursor = page.get("next_cursor").asLong();
                        more = page.get("has_more").asBoolean();
                    }
                    return n;
                }));
            }
            long pulled = 0;
            for (Future<Integer> f : pulls) {
                int n = f.get(10, TimeUnit.MINUTES);
                assertEquals(EVENTS, n, "each client pulls the whole log");
                pulled += n;
            }
            double pull = pulled / ((System.nanoTime() - t1) / 1e9);
            return new Result(store, instances, ingest, pull);
        } finally {
            threads.shutdownNow();
            servers.forEach(TeamServer::close);
        }
    }
}
