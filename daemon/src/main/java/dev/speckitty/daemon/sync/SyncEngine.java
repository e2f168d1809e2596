package dev.speckitty.daemon.sync;

import dev.speckitty.daemon.net.Gzip;
import dev.speckitty.daemon.net.ServerCallException;
import dev.speckitty.daemon.net.ServerClient;
import dev.speckitty.daemon.store.BatchOutcome;
import dev.speckitty.daemon.store.DrainPosition;
import dev.speckitty.daemon.store.Inbox;
import dev.speckitty.daemon.store.Outbox;
import dev.speckitty.daemon.store.QueuedEvent;
import dev.speckitty.protocol.control.EventOutcome;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.LamportClock;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.BatchResponse;
import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.wire.PullPage;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync: drain the queue through the batch endpoint, then pull from the saved cursor. While batch
 * k is in flight, batch k+1 is read and compressed on {@code prepare}. Events leave the queue only
 * through {@link Outbox#applyResults}, so a sync cut anywhere loses nothing and repeats nothing the
 * server has not de-duplicated. One sync runs at a time; callers block on the lock. Blocking: never
 * call it on an event loop.
 */
public final class SyncEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);

    private final Outbox outbox;
    private final Inbox inbox;
    private final LamportClock clock;
    private final Supplier<ServerClient> client;
    private final TokenManager tokens;
    private final String nodeId;
    private final int batchSize;
    private final Executor prepare;
    private final Clock time;
    private final ReentrantLock running = new ReentrantLock();

    public SyncEngine(Outbox outbox, Inbox inbox, LamportClock clock, Supplier<ServerClient> client, TokenManager tokens,
                      String nodeId, int batchSize, Executor prepare, Clock time) {
        if (batchSize < 1 || batchSize > Api.MAX_BATCH_EVENTS) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: 1.." + Api.MAX_BATCH_EVENTS + ")");
        }
        this.outbox = outbox;
        this.inbox = inbox;
        this.clock = clock;
        this.client = client;
        this.tokens = tokens;
        this.nodeId = nodeId;
        this.batchSize = batchSize;
        this.prepare = prepare;
        this.time = time;
    }

    /** Runs push then pull; never throws for a server or network problem: the summary says what stopped it. */
    public SyncSummary run(SyncRequest request, Consumer<SyncUpdate> updates) {
        running.lock();
        try {
            return new Run(request, updates).execute();
        } finally {
            running.unlock();
        }
    }

    /** The state of one sync, owned by the thread running it. */
    private final class Run {
        private final SyncRequest request;
        private final Consumer<SyncUpdate> updates;
        private final long started = System.nanoTime();
        private final List<EventOutcome> rejected = new ArrayList<>();
        private ServerClient server;
        private long pushed;
        private long duplicates;
        private long rejectedCount;
        private long parked;
        private long pulled;
        private long batches;

        Run(SyncRequest request, Consumer<SyncUpdate> updates) {
            this.request = request;
            this.updates = updates;
        }

        SyncSummary execute() {
            try {
                server = client.get();
                push();
                pull();
                return summary(null, null);
            } catch (AuthRequiredException e) {
                return summary(e.getMessage(), "auth_required");
            } catch (ServerCallException e) {
                String kind = e.kind() == ServerCallException.Kind.UNREACHABLE ? "unreachable"
                        : e.kind() == ServerCallException.Kind.UNAUTHORIZED ? "auth_required" : "server_error";
                return summary(e.getMessage(), kind);
            } catch (NotConfiguredException e) {
                return summary(e.getMessage(), "not_configured");
            }
        }

        private void push() {
            long total = outbox.depth();
            updates.accept(SyncUpdate.progress("push", 0, total));
            CompletableFuture<Prepared> next = prepareAfter(DrainPosition.START);
            long done = 0;
            while (true) {
                Prepared batch = join(next);
                if (batch.events().isEmpty()) {
                    return;
                }
                next = prepareAfter(batch.last());
                BatchResponse response;
                try {
                    response = upload(batch);
                } catch (RuntimeException e) {
                    next.cancel(false);
                    throw e;
                }
                BatchOutcome outcome = outbox.applyResults(batch.events(), response.results());
                batches++;
                pushed += outcome.pushed();
                duplicates += outcome.duplicates();
                rejectedCount += outcome.rejected() + outcome.parked();
                parked += outcome.parked();
                for (EventOutcome o : outcome.outcomes()) {
                    if (!o.status().equals("success") && !o.status().equals("duplicate")) {
                        rejected.add(o);
                    }
                    if (request.verbose()) {
                        updates.accept(SyncUpdate.event(o));
                    }
                }
                done += batch.events().size();
                updates.accept(SyncUpdate.progress("push", done, Math.max(total, done)));
            }
        }

        private BatchResponse upload(Prepared batch) {
            String access = tokens.accessToken();
            try {
                return server.upload(access, batch.body(), batch.events().size());
            } catch (ServerCallException e) {
                if (e.kind() != ServerCallException.Kind.UNAUTHORIZED) {
                    throw e;
                }
                String renewed = tokens.refreshAfterUnauthorized(access);
                try {
                    return server.upload(renewed, batch.body(), batch.events().size());
                } catch (ServerCallException again) {
                    if (again.kind() == ServerCallException.Kind.UNAUTHORIZED) {
                        throw new AuthRequiredException("the server refused a freshly refreshed token");
                    }
                    throw again;
                }
            }
        }

        private void pull() {
            String cursor = inbox.cursor();
            updates.accept(SyncUpdate.progress("pull", 0, -1));
            while (true) {
                PullPage page = pullPage(cursor);
                if (!page.events().isEmpty()) {
                    long[] remote = page.events().stream().mapToLong(Event::lamportClock).toArray();
                    clock.receiveAll(remote);
                }
                List<Event> own = new ArrayList<>();
                List<Event> others = new ArrayList<>();
                for (Event e : page.events()) {
                    (nodeId.equals(e.nodeId()) ? own : others).add(e);
                }
                // Our own events come back too (fan-out includes the sender); they are not news to the user.
                if (!own.isEmpty()) {
                    inbox.store(own, cursor);
                }
                pulled += inbox.store(others, page.nextCursor());
                updates.accept(SyncUpdate.progress("pull", pulled, -1));
                if (!page.hasMore()) {
                    return;
                }
                if (Cursor.parse(page.nextCursor()) <= Cursor.parse(cursor)) {
                    throw new ServerCallException(ServerCallException.Kind.SERVER_ERROR, 200, true,
                            "the server answered has_more without moving the cursor past " + cursor + "; stopped pulling", null);
                }
                cursor = page.nextCursor();
            }
        }

        private PullPage pullPage(String cursor) {
            String access = tokens.accessToken();
            try {
                return server.pull(access, cursor, Api.MAX_PULL_LIMIT);
            } catch (ServerCallException e) {
                if (e.kind() != ServerCallException.Kind.UNAUTHORIZED) {
                    throw e;
                }
                return server.pull(tokens.refreshAfterUnauthorized(access), cursor, Api.MAX_PULL_LIMIT);
            }
        }

        private SyncSummary summary(String error, String errorKind) {
            if (error != null) {
                LOG.warn("sync stopped: {}", error);
            }
            long remaining = outbox.depth();
            SyncSummary summary = new SyncSummary(error == null, server == null ? null : server.server().toString(),
                    pushed, duplicates, rejectedCount, pulled, batches, parked, remaining, rejected, error, errorKind,
                    (System.nanoTime() - started) / 1_000_000, Instant.now(time).toString());
            updates.accept(SyncUpdate.summary(summary));
            return summary;
        }
    }

    private CompletableFuture<Prepared> prepareAfter(DrainPosition after) {
        String team = tokens.credentials().map(Credentials::teamSlug).orElse(Credentials.NO_TEAM);
        return CompletableFuture.supplyAsync(() -> Prepared.of(outbox.nextBatch(after, batchSize), team), prepare);
    }

    private static Prepared join(CompletableFuture<Prepared> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** A batch read from the queue with its gzip body, ready to upload. */
    private record Prepared(List<QueuedEvent> events, byte[] body) {
        static Prepared of(List<QueuedEvent> events, String team) {
            if (events.isEmpty()) {
                return new Prepared(events, new byte[0]);
            }
            // The queue stores each event's JSON verbatim, so the body is spliced, not re-serialised.
            StringBuilder json = new StringBuilder(events.size() * 512).append("{\"events\":[");
            for (int i = 0; i < events.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append(forTeam(events.get(i).data(), team));
            }
            json.append("]}");
            return new Prepared(events, Gzip.compress(json.toString().getBytes(StandardCharsets.UTF_8)));
        }

        /**
         * Events recorded before the first login carry the team {@code local}; they belong to the team
         * that is logged in when they leave. Any other team is sent as recorded (the server judges it).
         */
        private static String forTeam(String data, String team) {
            if (Credentials.NO_TEAM.equals(team) || !(data.contains("\"team_slug\":\"local\"") || data.contains("\"team_slug\": \"local\""))) {
                return data;
            }
            try {
                Event event = Event.parse(data);
                return Credentials.NO_TEAM.equals(event.teamSlug()) ? event.withTeamSlug(team).toJson() : data;
            } catch (RuntimeException e) {
                return data;
            }
        }

        DrainPosition last() {
            return events.get(events.size() - 1).position();
        }
    }
}
