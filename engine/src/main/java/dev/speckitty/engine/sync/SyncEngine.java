package dev.speckitty.engine.sync;

import dev.speckitty.engine.net.PulledEvent;
import dev.speckitty.engine.net.PulledPage;
import dev.speckitty.engine.net.ServerCallException;
import dev.speckitty.engine.net.ServerClient;
import dev.speckitty.engine.store.BatchOutcome;
import dev.speckitty.engine.store.DrainPosition;
import dev.speckitty.engine.store.Inbox;
import dev.speckitty.engine.store.InboxIssue;
import dev.speckitty.engine.store.InboxRow;
import dev.speckitty.engine.store.Outbox;
import dev.speckitty.engine.store.QueuedEvent;
import dev.speckitty.engine.store.Scope;
import dev.speckitty.protocol.control.EventOutcome;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncErrorKind;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.event.InvalidEventException;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.LamportClock;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.BatchResponse;
import dev.speckitty.protocol.wire.Cursor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;


/**
 * One sync: drain the queue through the batch endpoint, then pull from the saved cursor. While batch
 * k is in flight, batch k+1 is read and compressed on {@code prepare}. Events leave the queue only
 * through {@link Outbox#applyResults}, so a sync cut anywhere loses nothing and repeats nothing the
 * server has not de-duplicated. One sync runs at a time; callers block on the lock. Blocking: never
 * call it on an event loop.
 *
 * <p>Whatever the server holds or refuses, a sync makes progress: a batch is bounded in events and in
 * bytes ({@link EventLimits#MAX_BATCH_BYTES} before gzip) and halves after a 413; an event the server
 * can never take is parked with the reason; a pull page too large to read is asked for again smaller,
 * down to one event, and an event too large on its own is recorded and passed; a pulled clock at or
 * past the ceiling is kept without being adopted. The batch limits are owned by the thread holding
 * the lock, and are kept between syncs.
 */
public final class SyncEngine {
    private static final System.Logger LOG = System.getLogger(SyncEngine.class.getName());
    /** After a 413, batches stay smaller until this many in a row went through; then they double again. */
    static final int GROW_BATCH_AFTER = 10;

    private final Outbox outbox;
    private final Inbox inbox;
    private final LamportClock clock;
    private final Supplier<ServerClient> client;
    private final TokenManager tokens;
    /** This home's node id, read from clock.json at each sync: a replaced or repaired file is honoured at once. */
    private final Supplier<String> nodeIds;
    private final Executor prepare;
    /** Where a push counts the events it starts with (for its progress only), beside the push. */
    private final Executor counting;
    private final Clock time;
    private final ReentrantLock running = new ReentrantLock();
    private final AdaptiveLimit batchEvents;
    private final AdaptiveLimit batchBytes = new AdaptiveLimit(EventLimits.MAX_BATCH_BYTES, GROW_BATCH_AFTER);
    /** How long the limits a server advertised ({@code sync/health}) are trusted before they are read again. */
    static final Duration LIMITS_TTL = Duration.ofMinutes(10);
    /** When the advertised limits were last read (owned by the lock holder); null before the first sync. */
    private Instant limitsReadAt;
    /** The server whose limits those are: another server's are read again at once. */
    private java.net.URI limitsOf;

    public SyncEngine(Outbox outbox, Inbox inbox, LamportClock clock, Supplier<ServerClient> client, TokenManager tokens,
                      Supplier<String> nodeIds, int batchSize, Executor prepare, Executor counting, Clock time) {
        if (batchSize < 1 || batchSize > Api.MAX_BATCH_EVENTS) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: 1.." + Api.MAX_BATCH_EVENTS + ")");
        }
        this.outbox = outbox;
        this.inbox = inbox;
        this.clock = clock;
        this.client = client;
        this.tokens = tokens;
        this.nodeIds = nodeIds;
        this.batchEvents = new AdaptiveLimit(batchSize, GROW_BATCH_AFTER);
        this.prepare = prepare;
        this.counting = counting;
        this.time = time;
    }

    /** Runs push then pull; never throws for a server or network problem: the summary says what stopped it. */
    public SyncSummary run(SyncRequest request, Consumer<SyncUpdate> updates) {
        return sync(request, updates).summary();
    }

    /** {@link #run}, also telling how long the server asked to be left alone when it stopped the sync. */
    public Result sync(SyncRequest request, Consumer<SyncUpdate> updates) {
        running.lock();
        try {
            Run run = new Run(request, updates);
            SyncSummary summary = run.execute();
            return new Result(summary, Optional.ofNullable(run.retryAfter));
        } finally {
            running.unlock();
        }
    }

    /** One sync's summary, and the server's {@code Retry-After} if a 429 or 503 ended it. */
    public record Result(SyncSummary summary, Optional<Duration> retryAfter) {
    }

    /** The state of one sync, owned by the thread running it. */
    private final class Run {
        private final SyncRequest request;
        private final Consumer<SyncUpdate> updates;
        private final long started = System.nanoTime();
        private final List<EventOutcome> rejected = new ArrayList<>();
        private ServerClient server;
        private String nodeId;
        /** The (server, team) this sync drains for and pulls into. */
        private Scope scope;
        private long pushed;
        private long duplicates;
        private long rejectedCount;
        private long parked;
        private long pulled;
        private long batches;
        private Duration retryAfter;

        Run(SyncRequest request, Consumer<SyncUpdate> updates) {
            this.request = request;
            this.updates = updates;
        }

        SyncSummary execute() {
            try {
                server = client.get();
                nodeId = nodeIds.get();
                scope = scopeOf(server);
                applyAdvertisedLimits();
                push();
                pull();
                return summary(null, null);
            } catch (AuthRequiredException e) {
                return summary(e.getMessage(), SyncErrorKind.AUTH_REQUIRED);
            } catch (ServerCallException e) {
                SyncErrorKind kind = e.kind() == ServerCallException.Kind.UNREACHABLE ? SyncErrorKind.UNREACHABLE
                        : e.refusedCredentials() ? SyncErrorKind.AUTH_REQUIRED : SyncErrorKind.SERVER_ERROR;
                retryAfter = e.retryAfter().orElse(null);
                return summary(e.getMessage(), kind);
            } catch (NotConfiguredException e) {
                return summary(e.getMessage(), SyncErrorKind.NOT_CONFIGURED);
            }
        }

        /**
         * Uploads batch after batch. The results of batch k are applied on the prepare thread while
         * batch k+1 is uploaded, so the server and the local queue work at the same time; every
         * applied batch is joined before the next one's results, and before push returns or throws.
         * A batch refused as too large (413) is never sent again as it was: it is read again at half
         * the size, and a single event refused so is parked.
         */
        private void push() {
            // The total only informs the progress, and a count walks the queue (about 2 s at 1,000,000
            // events): counted beside the push, so the first batch leaves at once. The batches applied
            // before the count began are no longer in it: they are added back.
            AtomicLong applied = new AtomicLong();
            CompletableFuture<Long> total = CompletableFuture.supplyAsync(() -> {
                long before = applied.get();
                return before + outbox.depth(scope);
            }, counting);
            updates.accept(SyncUpdate.progress("push", 0, known(total)));
            CompletableFuture<PreparedBatch> next = prepareAfter(DrainPosition.START, scope);
            Applying applying = null;
            long done = 0;
            try {
                while (true) {
                    PreparedBatch batch = join(next);
                    recordParked(batch);
                    if (batch.events().isEmpty()) {
                        if (batch.exhausted()) {
                            return;
                        }
                        next = prepareAfter(batch.last(), scope); // only oversized events in this stretch: parked, read on
                        continue;
                    }
                    next = prepareAfter(batch.last(), scope);
                    BatchResponse response;
                    try {
                        response = upload(batch);
                    } catch (ServerCallException e) {
                        if (e.kind() != ServerCallException.Kind.REQUEST_TOO_LARGE) {
                            next.cancel(false);
                            throw e;
                        }
                        recordParked(join(next)); // prepared with the old limits: only its parking stands
                        next = tooLarge(batch, e);
                        continue;
                    } catch (RuntimeException e) {
                        next.cancel(false);
                        throw e;
                    }
                    batchEvents.succeeded();
                    batchBytes.succeeded();
                    if (applying != null) {
                        Applying previous = applying;
                        applying = null;
                        done = finish(previous, done, total);
                    }
                    applying = new Applying(CompletableFuture.supplyAsync(() -> {
                        BatchOutcome outcome = outbox.applyResults(scope, batch.events(), batch.sent(), response.results());
                        applied.addAndGet(batch.events().size());
                        return outcome;
                    }, prepare), batch.events().size());
                }
            } finally {
                if (applying != null) {
                    finish(applying, done, total);
                }
            }
        }

        /**
         * The server (or a proxy before it) refused {@code batch} as too large: read the same events
         * again at half the size; a batch of one is parked with the server's reason. Answers the next
         * batch to upload.
         */
        private CompletableFuture<PreparedBatch> tooLarge(PreparedBatch batch, ServerCallException e) {
            int events = batch.events().size();
            if (events > 1) {
                batchEvents.refused(events);
                batchBytes.refused(batch.rawBytes());
                LOG.log(Level.WARNING, "the server refused a batch of " + events + " events (" + Sizes.human(batch.rawBytes()) + " before gzip) as too large;"
                        + " sending at most " + batchEvents.current() + " events and " + Sizes.human(batchBytes.current()) + " per batch");
                return prepareAfter(batch.after(), scope);
            }
            QueuedEvent only = batch.events().get(0);
            String reason = "the server refused this event as too large on its own (" + e.getMessage() + "); it is "
                    + Sizes.human(batch.rawBytes()) + " and stays parked: raise the body limit of the server or of the proxy"
                    + " before it, then put it back with `spec-kitty events retry " + only.eventId() + "`";
            LOG.log(Level.WARNING, "parked " + only.eventId() + ": " + reason);
            record(join(CompletableFuture.supplyAsync(() -> outbox.park(List.of(only), List.of(reason)), prepare)), false);
            return prepareAfter(batch.last(), scope);
        }

        /**
         * Caps the batch limits by what the server advertises on {@code sync/health}, read again every
         * {@link #LIMITS_TTL}; a server without the endpoint (2.x) or one that cannot answer leaves
         * the defaults, and the sync goes on: a 413 still halves the batch.
         */
        private void applyAdvertisedLimits() {
            Instant now = time.instant();
            if (limitsReadAt != null && server.server().equals(limitsOf) && now.isBefore(limitsReadAt.plus(LIMITS_TTL))) {
                return;
            }
            try {
                Optional<dev.speckitty.protocol.wire.SyncHealth.Limits> advertised = server.syncLimits();
                limitsReadAt = now;
                limitsOf = server.server();
                if (advertised.isPresent()) {
                    batchEvents.ceiling(advertised.get().maxEventsPerBatch());
                    // 3.x keeps a tenth of the advertised bytes free (its envelope and gzip framing); so do we.
                    long bytes = advertised.get().maxDecompressedBytesPerBatch() / 10 * 9;
                    batchBytes.ceiling((int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes)));
                    LOG.log(Level.DEBUG, () -> "server limits: " + batchEvents.max() + " events and " + Sizes.human(batchBytes.max()) + " per batch");
                } else {
                    batchEvents.ceiling(Integer.MAX_VALUE);
                    batchBytes.ceiling(Integer.MAX_VALUE);
                }
            } catch (ServerCallException e) {
                LOG.log(Level.DEBUG, () -> "cannot read the server's limits (" + e.getMessage() + "); batching by the defaults");
            }
        }

        /** Counts the events a prepared batch had to park (larger than any event may be). */
        private void recordParked(PreparedBatch batch) {
            if (batch.parked().parked() > 0) {
                for (EventOutcome o : batch.parked().outcomes()) {
                    LOG.log(Level.WARNING, "parked " + o.eventId() + ": " + o.reason());
                }
                record(batch.parked(), false);
            }
        }

        /** Waits for one batch's results to be applied, counts them and reports progress; answers the new done count. */
        private long finish(Applying applying, long done, CompletableFuture<Long> total) {
            record(join(applying.outcome()));
            long now = done + applying.events();
            long known = known(total);
            updates.accept(SyncUpdate.progress("push", now, known < 0 ? -1 : Math.max(known, now)));
            return now;
        }

        /** The events this push started with, once counted; -1 (the progress tells no total) until then, or if the count failed. */
        private static long known(CompletableFuture<Long> total) {
            return total.isDone() && !total.isCompletedExceptionally() ? total.join() : -1;
        }

        /** Counts one applied batch. */
        private void record(BatchOutcome outcome) {
            record(outcome, true);
        }

        private void record(BatchOutcome outcome, boolean uploaded) {
            if (uploaded) {
                batches++;
            }
            pushed += outcome.pushed();
            duplicates += outcome.duplicates();
            rejectedCount += outcome.rejected() + outcome.parked();
            parked += outcome.parked();
            for (EventOutcome o : outcome.outcomes()) {
                if (o.status() != EventOutcome.Status.SUCCESS && o.status() != EventOutcome.Status.DUPLICATE) {
                    rejected.add(o);
                }
                if (request.verbose()) {
                    updates.accept(SyncUpdate.event(o));
                }
            }
        }

        private BatchResponse upload(PreparedBatch batch) {
            try {
                return tokens.withAccess(access -> server.upload(access, batch.body(), batch.events().size()));
            } catch (ServerCallException e) {
                if (e.kind() == ServerCallException.Kind.UNAUTHORIZED) { // refused again after the refresh
                    throw new AuthRequiredException("the server refused a freshly refreshed token");
                }
                throw e;
            }
        }

        /**
         * Pulls page after page from the saved cursor, leaving out this node's own events (the inbox
         * holds those it was acknowledged, at their positions). Every position a page passes over must
         * be one the inbox holds; at the first that is not (an event of this node id this home does not
         * hold: the Python tool sharing it, or an older version's upload), that stretch is pulled again
         * without leaving anything out, and so are the pages after it while all of this node's events on
         * them are new here (the next skipping page would stop at the first again). A page too large to
         * read is asked for again at half the size (the size doubles back after each page that fits); an
         * event too large on its own is recorded and passed, so no event the server holds can stop the
         * cursor.
         */
        private void pull() {
            String cursor = inbox.cursor(scope);
            AdaptiveLimit limit = new AdaptiveLimit(Api.MAX_PULL_LIMIT, 1);
            boolean skipOwn = true;
            updates.accept(SyncUpdate.progress("pull", 0, -1));
            while (true) {
                PulledPage page;
                try {
                    page = pullPage(cursor, limit.current(), skipOwn ? Optional.of(nodeId) : Optional.empty());
                } catch (ServerCallException e) {
                    if (e.kind() != ServerCallException.Kind.ANSWER_TOO_LARGE) {
                        throw e;
                    }
                    if (!limit.atMinimum()) {
                        limit.refused(limit.current());
                        LOG.log(Level.INFO, "pull after " + cursor + ": " + e.getMessage() + "; asking for " + limit.current() + " events per page");
                        continue;
                    }
                    if (skipOwn) {
                        skipOwn = false; // the next position is known only on a page that leaves nothing out
                        continue;
                    }
                    cursor = skipUnreadable(cursor, e);
                    continue;
                }
                limit.succeeded();
                long after = Cursor.parse(cursor);
                if (page.cursors().isPresent()) {
                    long[] at = page.cursors().get();
                    java.util.OptionalLong unheld = inbox.firstUnheld(scope, after, Cursor.parse(page.nextCursor()), at);
                    if (unheld.isPresent()) {
                        long gap = unheld.getAsLong();
                        int before = 0;
                        while (before < at.length && at[before] < gap) {
                            before++;
                        }
                        LOG.log(Level.DEBUG, () -> "pull after " + after + ": position " + gap + " was left out as this node's"
                                + " but is not held here; pulling it without leaving anything out");
                        storePage(cursor, page.events().subList(0, before), java.util.Arrays.copyOf(at, before), Cursor.of(gap - 1));
                        cursor = Cursor.of(gap - 1);
                        skipOwn = false;
                        continue;
                    }
                    storePage(cursor, page.events(), at, page.nextCursor());
                } else {
                    // Back to leaving this node's events out, unless all of them on this page were new
                    // here: then the next are likely new too (a home that never held them, e.g. on a
                    // server it has not pulled from before), and a page that leaves them out would only
                    // stop at the first again, after scanning the server's next stretch.
                    skipOwn = !storePage(cursor, page.events(), null, page.nextCursor());
                }
                updates.accept(SyncUpdate.progress("pull", pulled, -1));
                // The saved cursor may have gone on past the page, through positions already held.
                String next = inbox.cursor(scope);
                if (!page.hasMore()) {
                    return;
                }
                if (Cursor.parse(next) <= after) {
                    throw new ServerCallException(ServerCallException.Kind.SERVER_ERROR, 200, true,
                            "the server answered has_more without moving the cursor past " + cursor + "; stopped pulling", null);
                }
                cursor = next;
            }
        }

        /**
         * Even one event after {@code cursor} makes an answer too large to read: record it and move the
         * cursor past it (cursors are dense, so it is the next position). Answers the new cursor.
         */
        private String skipUnreadable(String cursor, ServerCallException e) {
            String at = Cursor.of(Cursor.parse(cursor) + 1);
            String reason = "the server's answer for this one event is too large to read (" + e.getMessage() + "); skipped";
            LOG.log(Level.WARNING, "pull from " + server.server() + ": skipped the event at cursor " + at + ": " + reason);
            inbox.storeRows(scope, List.of(), List.of(new InboxIssue(InboxIssue.Kind.SKIPPED, null, at, null, reason)), at);
            return inbox.cursor(scope);
        }

        /**
         * Stores pulled events, what could not be taken as they came, and the new cursor
         * {@code through}. {@code positions} holds each event's position (a page that left this node's
         * events out); null for a dense page, whose positions follow {@code after}.
         */
        /** Stores one pulled page; answers whether it held events of this node id and all of them were new here. */
        private boolean storePage(String after, List<PulledEvent> events, long[] positions, String through) {
            List<InboxRow> own = new ArrayList<>();
            List<InboxRow> others = new ArrayList<>();
            List<InboxIssue> issues = new ArrayList<>();
            List<Long> clocks = new ArrayList<>();
            long position = Cursor.parse(after);
            for (int i = 0; i < events.size(); i++) {
                PulledEvent pulledEvent = events.get(i);
                position = positions == null ? position + 1 : positions[i];
                String at = Cursor.of(position);
                if (pulledEvent.oversized()) {
                    issues.add(skipped(pulledEvent, at, Sizes.eventTooLarge(pulledEvent.bytes())));
                    continue;
                }
                InboxRow row;
                try {
                    row = InboxRow.of(pulledEvent.parse());
                } catch (InvalidEventException e) {
                    if (!onlyTheClockIsPastTheCeiling(pulledEvent, e)) {
                        issues.add(skipped(pulledEvent, at, "invalid event: " + e.getMessage()));
                        continue;
                    }
                    // Valid but for its clock: kept as sent, like a clock at the ceiling (below).
                    row = new InboxRow(pulledEvent.eventId(), pulledEvent.lamportClock(), pulledEvent.nodeId(), pulledEvent.json());
                } catch (RuntimeException e) {
                    issues.add(skipped(pulledEvent, at, "unreadable event: " + e.getMessage()));
                    continue;
                }
                row = row.at(position);
                if (LamportClock.adoptable(row.lamportClock())) {
                    clocks.add(row.lamportClock());
                } else {
                    issues.add(PeerClocks.notAdopted("pull from " + server.server(), row, at));
                }
                (nodeId.equals(row.nodeId()) ? own : others).add(row);
            }
            if (!clocks.isEmpty()) {
                clock.receiveAll(clocks.stream().mapToLong(Long::longValue).toArray());
            }
            // Events of this node id the home did not hold (the Python tool's, an older upload): stored, not news.
            int ownNew = own.isEmpty() ? 0 : inbox.storeRows(scope, own, List.of(), after);
            pulled += inbox.storeRows(scope, others, issues, through);
            return !own.isEmpty() && ownNew == own.size();
        }

        private InboxIssue skipped(PulledEvent e, String at, String reason) {
            LOG.log(Level.WARNING, "pull from " + server.server() + ": skipped the event " + (e.eventId() == null ? "?" : e.eventId()) + " at cursor " + at + ": " + reason);
            return new InboxIssue(InboxIssue.Kind.SKIPPED, e.eventId(), at, e.lamportClock() < 0 ? null : e.lamportClock(), reason);
        }

        private PulledPage pullPage(String cursor, int limit, Optional<String> skipNode) {
            return tokens.withAccess(access -> server.pull(access, cursor, limit, skipNode));
        }

        private SyncSummary summary(String error, SyncErrorKind errorKind) {
            if (error != null) {
                LOG.log(Level.WARNING, "sync stopped: " + error);
            }
            long remaining = outbox.depth();
            SyncSummary summary = new SyncSummary(error == null, server == null ? null : server.server().toString(),
                    pushed, duplicates, rejectedCount, pulled, batches, parked, remaining, rejected, error, errorKind,
                    (System.nanoTime() - started) / 1_000_000, Instant.now(time).toString());
            updates.accept(SyncUpdate.summary(summary));
            return summary;
        }
    }

    /**
     * Reads the next batch after {@code after} on the prepare thread, within the current limits (read
     * here, on the thread that owns them), and parks the events no batch may carry.
     */
    private CompletableFuture<PreparedBatch> prepareAfter(DrainPosition after, Scope scope) {
        String team = scope.team();
        int events = batchEvents.current();
        int bytes = batchBytes.current();
        return CompletableFuture.supplyAsync(() -> {
            PreparedBatch batch = PreparedBatch.of(after, outbox.nextBatch(after, events, scope), bytes, team);
            return batch.oversized().isEmpty() ? batch : batch.withParked(outbox.park(batch.oversized(), batch.reasons()));
        }, prepare);
    }

    /**
     * The scope a sync with {@code server} drains for and pulls into: the team of the credentials
     * ({@code local} when logged out) on that server. A damaged credentials file is "auth required".
     */
    private Scope scopeOf(ServerClient server) {
        String team = tokens.credentials().map(Credentials::teamSlug).orElse(Credentials.NO_TEAM);
        return Scope.of(server.server().toString(), team);
    }

    /** The scope of the configured server and the current login, if both are there and readable. */
    public Optional<Scope> currentScope() {
        try {
            return Optional.of(scopeOf(client.get()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the only thing wrong with a pulled event is a {@code lamport_clock} past the ceiling: it is
     * then kept (as sent) without moving the clock, like one at the ceiling.
     */
    private static boolean onlyTheClockIsPastTheCeiling(PulledEvent pulled, InvalidEventException e) {
        return pulled.lamportClock() > EventLimits.MAX_LAMPORT_CLOCK && pulled.eventId() != null && pulled.nodeId() != null
                && e.violations().stream().allMatch(v -> v.field().equals("lamport_clock"));
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
}
