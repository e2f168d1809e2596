package dev.speckitty.e2e.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.testing.RawHttp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A teammate who behaves, on its own thread and its own loopback address while the attacks run: every
 * 100 ms it pulls its team's new events, and every fifth time uploads one event, on a keep-alive
 * connection (reconnecting if it is closed), refreshing its token after a 401. It records the slowest
 * answer, every failure and the ids of the events it stored. Its state is read after {@link #stop}.
 */
final class WellBehavedClient {
    static final String ADDRESS = "127.0.0.2";

    private final int port;
    private final String team;
    private volatile Calls.Tokens tokens;
    private final Thread thread;
    private volatile boolean stopped;
    private final AtomicLong maxMillis = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stored = Collections.synchronizedList(new ArrayList<>());

    WellBehavedClient(int port, String team, Calls.Tokens tokens) {
        this.port = port;
        this.team = team;
        this.tokens = tokens;
        this.thread = new Thread(this::run, "well-behaved-client");
        thread.setDaemon(true);
    }

    WellBehavedClient start() {
        thread.start();
        return this;
    }

    private void run() {
        String cursor = "0";
        RawHttp c = null;
        for (long i = 0; !stopped; i++) {
            try {
                if (c == null) {
                    c = Calls.connect(port, ADDRESS);
                }
                if (i % 5 == 0) {
                    ObjectNode e = Calls.event(team, 20);
                    RawHttp.Response r = call(c, () -> Calls.batchRequest(tokens.access(), Calls.batchBody(List.of(e))));
                    if (r.status() == 200 && Json.tree(r.body()).at("/results/0/status").asText().equals("success")) {
                        stored.add(e.get("event_id").asText());
                    } else {
                        failures.add("batch: " + r);
                    }
                }
                String after = cursor;
                RawHttp.Response r = call(c, () -> Calls.pullRequest(tokens.access(), after, 100));
                if (r.status() == 200) {
                    cursor = Json.tree(r.body()).get("next_cursor").asText();
                } else {
                    failures.add("pull: " + r);
                }
                if (r.header("connection").filter("close"::equalsIgnoreCase).isPresent()) {
                    c.close();
                    c = null;
                }
            } catch (RuntimeException e) {
                failures.add(e.toString());
                if (c != null) {
                    c.close();
                }
                c = null;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        if (c != null) {
            c.close();
        }
    }

    /** One request, timed; after a 401 the token is refreshed and the request sent once more. */
    private RawHttp.Response call(RawHttp c, java.util.function.Supplier<byte[]> request) {
        long start = System.nanoTime();
        RawHttp.Response r = c.send(request.get()).expect();
        if (r.status() == 401) {
            tokens = Calls.tokens(Calls.refresh(c, tokens.refresh()));
            r = c.send(request.get()).expect();
        }
        maxMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
        requests.incrementAndGet();
        return r;
    }

    void stop() throws InterruptedException {
        stopped = true;
        thread.join(30_000);
    }

    long maxMillis() {
        return maxMillis.get();
    }

    long requests() {
        return requests.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    List<String> stored() {
        return List.copyOf(stored);
    }
}
