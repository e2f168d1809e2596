package dev.speckitty.daemon.sync;

import dev.speckitty.daemon.net.Gzip;
import dev.speckitty.daemon.net.PulledEvent;
import dev.speckitty.daemon.net.PulledPage;
import dev.speckitty.daemon.net.ServerCallException;
import dev.speckitty.daemon.net.ServerClient;
import dev.speckitty.daemon.store.BatchOutcome;
import dev.speckitty.daemon.store.DrainPosition;
import dev.speckitty.daemon.store.Inbox;
import dev.speckitty.daemon.store.InboxRow;
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
    /**
     * How many acknowledged event ids one sync remembers to recognise them in its pull (16 bytes each
     * in a {@link UlidSet}, about 36 MB at the most); events past it come back through the full parse,
     * which is slower but gives the same rows.
     */
    static final int MAX_ECHOES = 1_000_000;

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
        /** Events this sync pushed and the server acknowledged, until the pull brings them back. */
        private final UlidSet acknowledged = new UlidSet(MAX_ECHOES);
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

        /**
         * Uploads batch after batch. The results of batch k are applied on the prepare thread while
         * batch k+1 is uploaded, so the server and the local queue work at the same time; every
         * applied batch is joined before the next one's results, and before push returns or throws.
         */
        private void push() {
            long total = outbox.depth();
            updates.accept(SyncUpdate.progress("push", 0, total));
            CompletableFuture<Prepared> next = prepareAfter(DrainPosition.START);
            Applying applying = null;
            long done = 0;
            try {
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
                    if (applying != null) {
                        Applying previous = applying;
                        applying = null;
                        done = finish(previous, done, total);
                    }
                    applying = new Applying(CompletableFuture.supplyAsync(
                            () -> outbox.applyResults(batch.events(), response.results()), prepare), batch.events().size());
                }
            } finally {
                if (applying != null) {
                    finish(applying, done, total);
                }
            }
        }

        /** Waits for one batch's results to be applied, counts them and reports progress; answers the new done count. */
        private long finish(Applying applying, long done, long total) {
            record(join(applying.outcome()));
            long now = done + applying.events();
            updates.accept(SyncUpdate.progress("push", now, Math.max(total, now)));
            return now;
        }

        /** Counts one applied batch. */
        private void record(BatchOutcome outcome) {
            batches++;
            pushed += outcome.pushed();
            duplicates += outcome.duplicates();
            rejectedCount += outcome.rejected() + outcome.parked();
            parked += outcome.parked();
            for (EventOutcome o : outcome.outcomes()) {
                if (!o.status().equals("success") && !o.status().equals("duplicate")) {
                    rejected.add(o);
                } else {
                    acknowledged.add(o.eventId());
                }
                if (request.verbose()) {
                    updates.accept(SyncUpdate.event(o));
                }
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
                PulledPage page = pullPage(cursor);
                List<InboxRow> own = new ArrayList<>();
                List<Event> others = new ArrayList<>();
                List<Event> received = new ArrayList<>();
                for (PulledEvent pulledEvent : page.events()) {
                    if (isEcho(pulledEvent)) {
                        // Confirmed by this sync a moment ago: already under our clock, and stored as sent.
                        own.add(new InboxRow(pulledEvent.eventId(), pulledEvent.lamportClock(), pulledEvent.nodeId(),
                                pulledEvent.json()));
                        continue;
                    }
                    Event event = parseOrSkip(pulledEvent);
                    if (event != null) {
                        received.add(event);
                        if (nodeId.equals(event.nodeId())) {
                            own.add(InboxRow.of(event));
                        } else {
                            others.add(event);
                        }
                    }
                }
                if (!received.isEmpty()) {
                    clock.receiveAll(received.stream().mapToLong(Event::lamportClock).toArray());
                }
                // Our own events come back too (fan-out includes the sender); they are not news to the user.
                if (!own.isEmpty()) {
                    inbox.storeRows(own, cursor);
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

        /** An event of ours that this sync's push saw acknowledged: it comes back exactly as we sent it. */
        private boolean isEcho(PulledEvent e) {
            return e.eventId() != null && nodeId.equals(e.nodeId()) && e.lamportClock() >= 0 && acknowledged.contains(e.eventId());
        }

        private Event parseOrSkip(PulledEvent pulledEvent) {
            try {
                return pulledEvent.parse();
            } catch (RuntimeException e) {
                // A bad event from the server must not stop the cursor forever: skip it and say so.
                LOG.warn("pull from {}: skipped an invalid event {}: {}", server.server(),
                        pulledEvent.eventId() == null ? "?" : pulledEvent.eventId(), e.getMessage());
                return null;
            }
        }

        private PulledPage pullPage(String cursor) {
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

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** The results of an uploaded batch of {@code events} events, being applied on the prepare thread. */
    private record Applying(CompletableFuture<BatchOutcome> outcome, int events) {
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
                json.append(forTeam(events.get(i), team));
            }
            json.append("]}");
            return new Prepared(events, Gzip.compress(json.toString().getBytes(StandardCharsets.UTF_8)));
        }

        /**
         * Events recorded before the first login carry the team {@code local}; they belong to the team
         * that is logged in when they leave. Any other team is sent as recorded (the server judges it).
         */
        private static String forTeam(QueuedEvent row, String team) {
            if (!row.localTeam() || Credentials.NO_TEAM.equals(team)) {
                return row.data();
            }
            try {
                return Event.parse(row.data()).withTeamSlug(team).toJson();
            } catch (RuntimeException e) {
                return row.data();
            }
        }

        DrainPosition last() {
            return events.get(events.size() - 1).position();
        }
    }
}
