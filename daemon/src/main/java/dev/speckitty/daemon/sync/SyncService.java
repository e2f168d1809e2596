package dev.speckitty.daemon.sync;

import dev.speckitty.daemon.session.ServerLink;
import dev.speckitty.engine.net.ServerCallException;
import dev.speckitty.engine.net.ServerClient;
import dev.speckitty.engine.store.Inbox;
import dev.speckitty.engine.store.InboxIssue;
import dev.speckitty.engine.store.InboxRow;
import dev.speckitty.engine.store.Outbox;
import dev.speckitty.engine.store.Scope;
import dev.speckitty.engine.sync.AuthRequiredException;
import dev.speckitty.engine.sync.PeerClocks;
import dev.speckitty.engine.sync.SyncEngine;
import dev.speckitty.engine.sync.TokenManager;
import dev.speckitty.protocol.control.ConnectionState;
import dev.speckitty.protocol.control.SyncErrorKind;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.local.LamportClock;
import dev.speckitty.protocol.time.Cancellable;
import dev.speckitty.protocol.time.Scheduler;
import dev.speckitty.protocol.time.Ticker;
import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.wire.WsTokenResponse;

import io.netty.channel.EventLoopGroup;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the daemon in sync by itself: holds the WebSocket session, reconnects with {@link Backoff}
 * forever, drains and pulls on every (re)connect, drains at once after an enqueue (adaptive send:
 * enqueues while a drain runs ride one drain right after it), applies live events to the inbox and
 * pulls when their cursors show a gap. Without the WebSocket it drains on a timer. All state is
 * owned by the {@code scheduler}'s single thread (the daemon's {@code sync-1}; a test's own thread
 * under virtual time); public methods only post to it (except {@link #syncNow},
 * which runs on the caller's thread under the engine's lock). Its timers are the scheduler's and its
 * durations are measured on the {@code ticker}, so tests drive backoff, the poll timer and re-checks
 * without waiting.
 */
public final class SyncService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);
    static final Duration AUTH_RECHECK = Duration.ofSeconds(2);
    /** How often the identity (configured server, and the user, team and server of the credentials) is compared: two stat calls. */
    static final Duration IDENTITY_CHECK = Duration.ofMillis(500);
    /** Live events received and not yet applied; beyond this they are pulled instead. */
    public static final int MAX_PENDING_LIVE = 1_000;

    /** The knobs of a service; tests shrink the durations. */
    public record Settings(boolean websocket, Duration pollInterval, Duration pingInterval, Duration deadAfter) {
        public static Settings defaults(boolean websocket, int pollIntervalSeconds) {
            return new Settings(websocket, Duration.ofSeconds(Math.max(1, pollIntervalSeconds)), Duration.ofSeconds(5), Duration.ofSeconds(12));
        }
    }

    private final SyncEngine engine;
    private final Outbox outbox;
    private final Inbox inbox;
    private final LamportClock clock;
    private final TokenManager tokens;
    private final Supplier<Optional<ServerClient>> client;
    /** Who syncs with which server, as a key: a change of server URL, user or team (or a repaired file) restarts the link. */
    private final Supplier<String> identity;
    private final Scheduler scheduler;
    private final Ticker ticker;
    private final EventLoopGroup network;
    private final Backoff backoff;
    private final Settings settings;
    private final Clock time;

    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile String lastError;
    private volatile Instant nextRetryAt;
    private volatile SyncSummary lastSync;
    private volatile String serverVersion;
    /** Whether a WebSocket session is open (read by status requests). */
    private volatile boolean linkOpen;
    /** The sync the scheduler thread runs right now, for {@code sync now} to join; null between syncs. */
    private volatile SharedSync background;
    private volatile long lastBeatNanos;
    /** The auth problem last logged as a warning; scheduler thread. */
    private String warnedAuth;
    private ServerLink session;
    /**
     * The listener of the link being opened or open; the close or frames of any other link (one let go
     * of, one that never opened) are ignored. Written on the scheduler thread, read on the event loop.
     */
    private volatile Listener currentLink;
    /** The scope live events of the open session are stored in; scheduler thread. */
    private Scope liveScope;
    /** The identity the last connection attempt was made for; scheduler thread. */
    private String connectedIdentity;
    private int attempt;
    /** The server refused the WebSocket: periodic drains stand in for live events. */
    private boolean polling;
    private Cancellable pendingConnect;
    /** The heartbeat, periodic drain and identity check, cancelled by {@link #close}. */
    private final List<Cancellable> timers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final ConcurrentLinkedQueue<LiveEvent> live = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean liveScheduled = new AtomicBoolean();
    private final AtomicInteger pendingLive = new AtomicInteger();
    private final AtomicBoolean catchUpPosted = new AtomicBoolean();
    /**
     * An enqueue asked for a drain that has not started yet: set by {@link #enqueued} (any thread),
     * cleared by that drain as it starts. While it is set, further enqueues post nothing: they ride
     * that drain. Events queued while a drain runs set it again, so exactly one more drain follows,
     * right after the running one (the sync thread runs one task at a time).
     */
    private final AtomicBoolean drainWanted = new AtomicBoolean();
    /**
     * A drain may run: set by {@link #connect} before it first reads the queue, cleared when the link
     * fails or no server is configured. While it is clear an enqueue wakes nothing (an offline daemon
     * spent a thread hand-off per event on a drain that returned at once): an event committed before
     * an {@link #enqueued} that saw it clear is in the queue that the next connect's drain reads.
     */
    private volatile boolean reachable;

    public SyncService(SyncEngine engine, Outbox outbox, Inbox inbox, LamportClock clock, TokenManager tokens,
                       Supplier<Optional<ServerClient>> client, Supplier<String> identity, Scheduler scheduler, Ticker ticker,
                       EventLoopGroup network, Backoff backoff, Settings settings, Clock time) {
        this.engine = engine;
        this.outbox = outbox;
        this.inbox = inbox;
        this.clock = clock;
        this.tokens = tokens;
        this.client = client;
        this.identity = identity;
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.lastBeatNanos = ticker.nanos();
        this.network = network;
        this.backoff = backoff;
        this.settings = settings;
        this.time = time;
    }

    public void start() {
        heartbeat();
        post(this::connect);
        // The watchdog's proof of life: this thread runs every sync, so a hung sync stops the beats.
        timers.add(scheduler.scheduleWithFixedDelay(this::heartbeat, 1, 1, TimeUnit.SECONDS));
        timers.add(scheduler.scheduleWithFixedDelay(this::periodic, settings.pollInterval().toMillis(), settings.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS));
        timers.add(scheduler.scheduleWithFixedDelay(this::checkIdentity, IDENTITY_CHECK.toMillis(), IDENTITY_CHECK.toMillis(),
                TimeUnit.MILLISECONDS));
    }

    /**
     * A new server URL, another login, or a credentials file repaired or damaged since the last
     * attempt: the link (opened with the old identity's token, to the old server) is closed and the
     * daemon connects again at once, with no backoff; events queued for the new identity then drain
     * within a second. Scheduler thread.
     */
    private void checkIdentity() {
        try {
            String now = identity.get();
            if (connectedIdentity == null || now.equals(connectedIdentity)) {
                return;
            }
            LOG.info("the server URL or the login changed; connecting again");
            liveScope = null;
            dropLive(); // frames of the old link belong to the old identity; the new one pulls its own
            closeLink();
            if (pendingConnect != null) {
                pendingConnect.cancel();
                pendingConnect = null;
            }
            attempt = 0;
            nextRetryAt = null;
            state = ConnectionState.CONNECTING;
            connect();
        } catch (RuntimeException e) {
            LOG.error("identity check failed", e);
        }
    }

    public ConnectionState state() {
        return state;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public Optional<Instant> nextRetryAt() {
        return Optional.ofNullable(nextRetryAt);
    }

    /** The server's version, as its last WebSocket hello gave it. */
    public Optional<String> serverVersion() {
        return Optional.ofNullable(serverVersion);
    }

    private void heartbeat() {
        lastBeatNanos = ticker.nanos();
    }

    /** Whether the sync loop showed life within {@code within} (the systemd watchdog asks). */
    public boolean alive(Duration within) {
        return !closed && ticker.nanos() - lastBeatNanos < within.toNanos();
    }

    /** Whether the live link (the WebSocket) is open; without it the daemon syncs on a timer. */
    public boolean live() {
        return linkOpen;
    }

    /** How often the daemon drains without a live link. */
    public Duration pollInterval() {
        return settings.pollInterval();
    }

    public Optional<SyncSummary> lastSync() {
        return Optional.ofNullable(lastSync);
    }

    /**
     * Events were queued (and committed): drain, if the server is reachable. Adaptive send, no fixed
     * delay: on an idle link the drain starts at once; while a drain runs, the events wait for the
     * drain that starts as soon as it ends, and all enqueues until that one starts share it. So a lone
     * emit leaves at once and a burst travels in few batches. Any thread.
     */
    public void enqueued() {
        if (reachable && drainWanted.compareAndSet(false, true)) {
            post(this::wantedDrain);
        }
    }

    /** The drain an enqueue asked for; enqueues from here on ask for the next one. Scheduler thread. */
    private void wantedDrain() {
        // Cleared before the queue is read: an event committed before an enqueued() that saw the flag
        // set is visible to this drain's read.
        drainWanted.set(false);
        if (!closed) {
            drain(); // not connected: nothing to do, the (re)connect drains
        }
    }

    /** {@code sync now}: runs a sync on the caller's thread; a success while offline also reconnects at once. */
    public SyncSummary syncNow(SyncRequest request, Consumer<SyncUpdate> updates) {
        // A drain the daemon started by itself is joined, so its pushes are reported here; then this
        // request's own sync runs, so events queued just before the request are always included.
        SharedSync running = background;
        // A long `sync now` holds the engine and so keeps the sync thread waiting: its progress is life too.
        Consumer<SyncUpdate> beating = u -> {
            heartbeat();
            updates.accept(u);
        };
        SyncSummary joined = running != null && running.running() ? running.join(beating) : null;
        SyncSummary own = engine.run(request, beating);
        SyncSummary summary = joined == null || !joined.ok() ? own : SharedSync.merge(joined, own);
        lastSync = summary;
        if (summary.ok() && state != ConnectionState.CONNECTED) {
            post(() -> {
                attempt = 0;
                if (session == null) {
                    connect();
                }
            });
        } else if (!summary.ok()) {
            lastError = summary.error();
        }
        return summary;
    }

    private void post(Runnable task) {
        if (!closed) {
            try {
                scheduler.execute(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.error("sync service task failed", e);
                    }
                });
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** One connection attempt; on failure schedules the next one with backoff. Scheduler thread. */
    private void connect() {
        pendingConnect = null;
        if (closed || session != null) {
            return;
        }
        connectedIdentity = identity.get();
        Optional<ServerClient> server = client.get();
        if (server.isEmpty()) {
            reachable = false;
            state = ConnectionState.NOT_CONFIGURED;
            lastError = null; // the state says it all; status prints the command to fix it
            scheduleConnect(Duration.ofSeconds(5), false);
            return;
        }
        state = state == ConnectionState.CONNECTED ? ConnectionState.CONNECTING : state;
        reachable = true; // before the drain below reads the queue
        try {
            if (settings.websocket()) {
                openSessionOrPoll(server.get());
            }
            SyncEngine.Result result = drainAndPull();
            if (!result.summary().ok()) {
                failed(result.summary().errorKind(), result.summary().error(), result.retryAfter());
                return;
            }
            attempt = 0;
            nextRetryAt = null;
            lastError = null;
            state = ConnectionState.CONNECTED;
        } catch (AuthRequiredException e) {
            failed(SyncErrorKind.AUTH_REQUIRED, e.getMessage());
        } catch (ServerCallException e) {
            failed(linkFailure(e), e.getMessage(), e.retryAfter());
        }
    }

    /**
     * Opens the WebSocket; if the server answers HTTP but refuses the upgrade (a proxy that drops
     * WebSockets, an older server), the daemon keeps syncing with periodic drains instead.
     */
    private void openSessionOrPoll(ServerClient server) {
        try {
            openSession(server);
        } catch (WebSocketRefusedException e) {
            if (!polling) {
                LOG.warn("{}; syncing every {} s instead", e.getMessage(), settings.pollInterval().toSeconds());
            }
            polling = true;
            return;
        }
        polling = false;
    }

    private void openSession(ServerClient server) {
        WsTokenResponse token = tokens.withAccess(server::wsToken);
        Listener listener = new Listener();
        currentLink = listener; // before the connect: frames may follow the hello at once
        // Named, the server sends no frame of this node's own events: the inbox holds them already.
        CompletableFuture<ServerLink> opening = ServerLink.connect(network, server.server(), Optional.of(clock.nodeId()),
                token.wsToken(), settings.pingInterval(), settings.deadAfter(), ticker, listener);
        try {
            session = opening.get(settings.deadAfter().toMillis() + 1000, TimeUnit.MILLISECONDS);
            linkOpen = true;
            liveScope = engine.currentScope().orElse(null);
            state = ConnectionState.CONNECTED;
            LOG.info("connected to {}", server.server());
        } catch (Exception e) {
            // The refused or failed link still reports its close; it must not end the sync that follows
            // (a server that refuses WebSockets went offline after every connect, and reconnected).
            currentLink = null;
            opening.thenAccept(ServerLink::close); // a hello after the wait gave up opens a link nobody holds
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException) {
                throw new WebSocketRefusedException("the server at " + server.server() + " refused the WebSocket ("
                        + cause.getMessage() + ")");
            }
            throw new ServerCallException(ServerCallException.Kind.UNREACHABLE, 0, false,
                    "cannot open the WebSocket to " + server.server() + " (" + cause.getMessage() + ")", cause);
        }
    }

    /**
     * Whether the server refused the login rather than the request: 401, or 403 (the account was
     * removed, or moved to another team). Retrying with backoff cannot help; a new login can, so such a
     * refusal is "auth required", which `auth status` reports.
     */
    /** A connect that failed: the login refused, or else the link down (retried with backoff). */
    private static SyncErrorKind linkFailure(ServerCallException e) {
        return e.refusedCredentials() ? SyncErrorKind.AUTH_REQUIRED : SyncErrorKind.UNREACHABLE;
    }

    private void failed(SyncErrorKind kind, String error) {
        failed(kind, error, Optional.empty());
    }

    /** The link is down: schedule the next attempt with backoff, or later when the server asked for a pause. */
    private void failed(SyncErrorKind kind, String error, Optional<Duration> retryAfter) {
        reachable = false; // the connect this schedules drains what is queued meanwhile
        lastError = error;
        closeLink();
        if (kind == SyncErrorKind.AUTH_REQUIRED) {
            // Re-checked every 2 s while logged out: said once (the journal keeps every warning), and
            // again only when the reason changes or after the daemon was connected in between.
            if (state != ConnectionState.AUTH_REQUIRED || !Objects.equals(error, warnedAuth)) {
                LOG.warn("{}", error);
                warnedAuth = error;
            } else {
                LOG.debug("{}", error);
            }
            state = ConnectionState.AUTH_REQUIRED;
            nextRetryAt = null;
            scheduleConnect(AUTH_RECHECK, false);
            return;
        }
        state = ConnectionState.OFFLINE;
        Duration delay = Backoff.honouring(backoff.delay(++attempt), retryAfter);
        LOG.info("offline: {}; next try in {} ms", error, delay.toMillis());
        scheduleConnect(delay, true);
    }

    private void scheduleConnect(Duration delay, boolean showRetry) {
        if (closed || (pendingConnect != null && !pendingConnect.isDone())) {
            return;
        }
        nextRetryAt = showRetry ? Instant.now(time).plus(delay) : null;
        pendingConnect = scheduler.schedule(() -> {
            if (state == ConnectionState.AUTH_REQUIRED && !tokens.credentialsChanged()) {
                pendingConnect = null;
                scheduleConnect(AUTH_RECHECK, false);
                return;
            }
            connect();
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private SyncEngine.Result drainAndPull() {
        SharedSync shared = new SharedSync();
        background = shared;
        SyncEngine.Result result = null;
        try {
            result = engine.sync(new SyncRequest(false, false), u -> {
                heartbeat(); // a long drain reports every batch: the sync loop is alive
                shared.accept(u);
            });
        } finally {
            background = null;
            shared.finish(result == null ? null : result.summary()); // null when it threw: a joiner then runs its own sync
        }
        SyncSummary summary = result.summary();
        lastSync = summary;
        heartbeat();
        if (summary.ok() && (summary.pushed() + summary.duplicates() + summary.rejected() + summary.pulled() > 0)) {
            LOG.info("synced: pushed {} ({} duplicates, {} rejected) in {} batches, pulled {}, {} ms", summary.pushed(),
                    summary.duplicates(), summary.rejected(), summary.batches(), summary.pulled(), summary.durationMs());
        }
        return result;
    }

    /** A drain after an enqueue, a gap or the poll timer, while connected. Scheduler thread. */
    private void drain() {
        if (state != ConnectionState.CONNECTED) {
            return;
        }
        SyncEngine.Result result = drainAndPull();
        if (!result.summary().ok()) {
            failed(result.summary().errorKind(), result.summary().error(), result.retryAfter());
        }
    }

    private void periodic() {
        try {
            if (state != ConnectionState.CONNECTED) {
                return;
            }
            if (settings.websocket() && session == null) {
                try {
                    openSessionOrPoll(client.get().orElseThrow()); // try the live link again
                } catch (ServerCallException e) {
                    failed(linkFailure(e), e.getMessage());
                    return;
                } catch (AuthRequiredException e) {
                    failed(SyncErrorKind.AUTH_REQUIRED, e.getMessage());
                    return;
                }
            }
            if (session == null || outbox.depth() > 0) {
                // Polling, or other writers (the Python tool, an offline CLI) filled queue.db without telling us.
                drain();
            }
        } catch (RuntimeException e) {
            LOG.error("periodic drain failed", e);
        }
    }

    /**
     * Applies the live events received so far in one transaction: each goes into the inbox at its
     * position (the clock receives them all at once), and the saved cursor advances through the
     * positions now held. The server sends no frame of this node's own events, whose positions the
     * inbox holds from their acknowledgements; a frame past a position still not held (a frame
     * missed, or an acknowledgement not applied yet) means a sync's pull explains or fills it.
     * Scheduler thread.
     */
    private void applyLive() {
        liveScheduled.set(false);
        Scope scope = liveScope;
        if (scope == null) {
            dropLive();
            return;
        }
        List<InboxRow> batch = new ArrayList<>();
        List<InboxIssue> issues = new ArrayList<>();
        long have = Cursor.parse(inbox.cursor(scope));
        long last = have;
        boolean gap = false;
        for (LiveEvent e; (e = live.poll()) != null; ) {
            pendingLive.decrementAndGet();
            long at = Cursor.parse(e.cursor());
            if (at <= have) {
                continue; // already stored (pulled, or a repeated frame)
            }
            InboxRow row = InboxRow.of(e.event()).at(at);
            if (row.json().getBytes(StandardCharsets.UTF_8).length > EventLimits.MAX_EVENT_BYTES) {
                gap = true; // the pull passes it and records why, like any event too large
                continue;
            }
            if (!LamportClock.adoptable(row.lamportClock())) {
                issues.add(PeerClocks.notAdopted("live event", row, e.cursor()));
            }
            batch.add(row);
            last = Math.max(last, at);
        }
        if (!batch.isEmpty()) {
            // The clock skips the values it must not adopt (recorded above).
            clock.receiveAll(batch.stream().mapToLong(InboxRow::lamportClock).toArray());
            inbox.storeRows(scope, batch, issues, Cursor.of(have));
            gap |= Cursor.parse(inbox.cursor(scope)) < last;
        }
        if (gap) {
            drain();
        }
    }

    /** Lets the link go: closed, and its close and frames from now on ignored. Scheduler thread. */
    private void closeLink() {
        currentLink = null;
        if (session != null) {
            session.close();
            session = null;
        }
        linkOpen = false;
    }

    /** Forgets the live events not applied yet (a pull fetches whatever they were). Scheduler thread. */
    private void dropLive() {
        for (LiveEvent e; (e = live.poll()) != null; ) {
            pendingLive.decrementAndGet();
        }
    }

    private record LiveEvent(String cursor, Event event) {
    }

    /** The server answered HTTP but refused the WebSocket upgrade. */
    private static final class WebSocketRefusedException extends RuntimeException {
        WebSocketRefusedException(String message) {
            super(message);
        }
    }

    /** Live frames from the session; hops from the event loop to the scheduler thread. */
    private final class Listener implements ServerLink.Listener {
        @Override
        public void onHello(String cursor) {
        }

        @Override
        public void onHello(String version, String cursor) {
            serverVersion = version == null || version.isBlank() ? null : version;
        }

        @Override
        public void onEvent(String cursor, Event event) {
            // During a long drain the server echoes every uploaded event back while the sync thread is
            // busy; queued without a bound they filled the heap (1,000,000-event drain at -Xmx256m, found by
            // the reliability scale test). Past the bound a frame is dropped and one sync is posted
            // instead: its pull fetches the dropped events from the cursor.
            if (currentLink != this) {
                return; // a link let go of (another identity's): the current one pulls its own
            }
            if (!acceptsEvents()) {
                onEventSkipped();
                return;
            }
            pendingLive.incrementAndGet();
            live.add(new LiveEvent(cursor, event));
            if (liveScheduled.compareAndSet(false, true)) {
                post(SyncService.this::applyLive);
            }
        }

        @Override
        public boolean acceptsEvents() {
            return pendingLive.get() < MAX_PENDING_LIVE;
        }

        @Override
        public void onEventSkipped() {
            if (catchUpPosted.compareAndSet(false, true)) {
                post(() -> {
                    catchUpPosted.set(false);
                    drain();
                });
            }
        }

        @Override
        public void onClosed(String reason) {
            post(() -> {
                if (currentLink != this) {
                    return; // a link already let go of, or one that never opened: not the open session
                }
                currentLink = null;
                session = null;
                linkOpen = false;
                if (!closed && state == ConnectionState.CONNECTED) {
                    failed(SyncErrorKind.UNREACHABLE, "the WebSocket to the server closed: " + reason);
                }
            });
        }
    }

    /**
     * Stops the timers and, on the scheduler's thread, closes the link; a sync in progress finishes.
     * The scheduler is the caller's: the daemon shuts its {@code sync} thread down after this, waiting
     * for that sync.
     */
    @Override
    public void close() {
        closed = true;
        timers.forEach(Cancellable::cancel);
        try {
            scheduler.execute(() -> {
                if (pendingConnect != null) {
                    pendingConnect.cancel();
                    pendingConnect = null;
                }
                closeLink();
            });
        } catch (RejectedExecutionException e) {
            // its thread is gone already: so is every task that could use the link
        }
    }
}
