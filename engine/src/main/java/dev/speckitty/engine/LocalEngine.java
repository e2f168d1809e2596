package dev.speckitty.engine;

import dev.speckitty.engine.net.PulledPage;
import dev.speckitty.engine.net.ServerCallException;
import dev.speckitty.engine.net.ServerClient;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.engine.store.Scope;
import dev.speckitty.protocol.control.WaitingEvents;
import dev.speckitty.engine.sync.SyncEngine;
import dev.speckitty.engine.sync.TokenManager;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.local.ClockState;
import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import dev.speckitty.protocol.local.FilePermissions;
import dev.speckitty.protocol.local.LamportClock;
import dev.speckitty.protocol.local.ServerUrl;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.local.SyncConfig;
import dev.speckitty.protocol.wire.Api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;


/**
 * The sync engine on one home, without the network session: queue store, Lamport clock, tokens and
 * the push/pull engine. The daemon wraps it with the WebSocket session and the control API; the CLI
 * runs it in-process when no daemon answers. No Netty here. Thread-safe.
 */
public final class LocalEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalEngine.class.getName());
    /** Pages a dry run reads to count what it would pull, at most. */
    private static final int DRY_RUN_PULL_PAGES = 20;

    private final SpecKittyHome home;
    private final QueueStore store;
    private final LamportClock clock;
    private final TokenManager tokens;
    /** config.toml as it is now, shared by {@link #servers} and {@link #recording}. */
    private final ConfigWatch watch;
    private final ServerClients servers;
    private final EventFactory events;
    private final SyncEngine engine;
    private final SyncConfig config;
    private final ExecutorService prepare;
    /** Counts the events a push starts with, for its progress, while the push goes on. */
    private final ExecutorService counting;
    /** The daemon's group commit of enqueues ({@link #enqueueGrouped}); null in the CLI. */
    private final GroupCommit groups;

    private LocalEngine(SpecKittyHome home, SyncConfig config, QueueStore store, Clock time, boolean daemon) {
        this.home = home;
        this.config = config;
        this.store = store;
        // The daemon reserves clock values in blocks and hands them out from memory (LamportClock's
        // reserving mode); the CLI, a short process, steps the file itself.
        this.clock = daemon ? LamportClock.reserving(home, store::maxLamport) : LamportClock.of(home, store::maxLamport);
        this.watch = new ConfigWatch(home.config());
        this.servers = new ServerClients(watch);
        CredentialsStore credentials = CredentialsStore.of(home);
        this.tokens = new TokenManager(credentials, servers, time);
        this.events = new EventFactory(clock, new Ulid(time, new java.security.SecureRandom()),
                this::recording, time);
        this.prepare = singleThread("sync-prepare");
        this.counting = singleThread("sync-count");
        clock.nodeId(); // a fresh home draws its node id now, before any event or status shows one
        this.engine = new SyncEngine(store, store, clock, servers, tokens, clock::nodeId,
                Math.min(Api.MAX_BATCH_EVENTS, Math.max(1, config.batchSize())), prepare, counting, time);
        this.groups = daemon ? new GroupCommit(store, clock) : null;
    }

    /**
     * An older version adopted any clock a peer sent; one past the ceiling made every later event one
     * the server refuses. Such a clock goes back to the highest in-range value of the queue and inbox,
     * and the events stamped past the ceiling get fresh values (parked ones go back to the queue), so
     * they are sent; logged. The daemon calls it at start (the CLI's in-process fallback does not: it
     * has no log, and its refusal at the ceiling says to start the daemon). Cheap when the clock is in
     * range (one read of clock.json).
     */
    public void repairClock() {
        OptionalLong poisoned = clock.repairOutOfRange(store::maxLamport);
        if (poisoned.isEmpty()) {
            return;
        }
        QueueStore.Restamped moved = store.restampOutOfRange(clock::tick);
        LOG.log(System.Logger.Level.WARNING, "repaired the Lamport clock in " + home.clock() + ": it was " + poisoned.getAsLong() + ", past "
                + EventLimits.MAX_LAMPORT_CLOCK + " (the ceiling the server accepts; an older version adopted a peer's value); it is now "
                + clock.read().value() + ", above every in-range value in the queue and inbox. Re-stamped " + moved.queued() + " queued"
                + " event(s) and " + moved.unparked() + " parked one(s) that carried a clock past the ceiling; they will be sent");
    }

    /** Opens (creating if needed) the queue of {@code home}; a malformed config is a {@link dev.speckitty.protocol.local.MalformedFileException}. */
    public static LocalEngine open(SpecKittyHome home) {
        return open(home, Clock.systemUTC());
    }

    public static LocalEngine open(SpecKittyHome home, Clock time) {
        return open(home, time, ConfigFile.load(home.config()), false);
    }

    /**
     * The daemon's engine: its clock reserves values in blocks ({@link LamportClock#reserving}) and
     * {@link #enqueueGrouped} commits concurrent enqueues in groups ({@link GroupCommit}). One per home.
     */
    public static LocalEngine openForDaemon(SpecKittyHome home) {
        return open(home, Clock.systemUTC(), ConfigFile.load(home.config()), true);
    }

    /**
     * Opens the engine to record events even when {@code config.toml} is malformed: recording must not
     * depend on sync settings, so the defaults apply and {@code problem} hears why (a sync still
     * fails on the file, naming its line and column).
     */
    public static LocalEngine openForRecording(SpecKittyHome home, java.util.function.Consumer<String> problem) {
        SyncConfig config;
        try {
            config = ConfigFile.load(home.config());
        } catch (dev.speckitty.protocol.local.MalformedFileException e) {
            problem.accept(e.getMessage());
            config = SyncConfig.defaults();
        }
        return open(home, Clock.systemUTC(), config, false);
    }

    private static LocalEngine open(SpecKittyHome home, Clock time, SyncConfig config, boolean daemon) {
        try {
            FilePermissions.privateDirectory(home.root());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create " + home.root() + " (" + e.getMessage() + "); check its permissions", e);
        }
        QueueStore store = QueueStore.open(home.queueDb(),
                new QueueStore.StoreOptions(config.maxQueueSize(), config.parkAfterRejections(), time));
        return new LocalEngine(home, config, store, time, daemon);
    }

    public SpecKittyHome home() {
        return home;
    }

    public SyncConfig config() {
        return config;
    }

    /** Validates and queues the request's events in one transaction (the clock moves only if all are valid). */
    public EnqueueResponse enqueue(EnqueueRequest request) {
        Recording as = recording();
        QueueStore.Part part = part(request, as);
        // The depth after, as the transaction left it (as a group commit answers), not counted again.
        QueueStore.Imported done = store.enqueueAll(List.of(part).iterator(), as.server(), false);
        return new EnqueueResponse((int) done.queued(), part.events().stream().map(Event::eventId).toList(), done.depth());
    }

    /**
     * Queues the parts of one import in one transaction ({@link QueueStore#enqueueAll}), each part
     * validated, completed and written as JSON on a thread of its own while the part before it is
     * inserted (the two halves cost about the same; on one thread the import ran at half the speed):
     * all are queued, or none. The clock moves for each part built; a later refusal rolls back the
     * events, not the clock (it only ever has to go forward).
     */
    public QueueStore.Imported enqueueAll(java.util.Iterator<EnqueueRequest> parts, boolean keepIds) {
        Recording as = recording(); // one identity for the whole import
        return inOneTransaction(() -> parts.hasNext() ? part(parts.next(), as) : null, as.server(), keepIds);
    }

    /** Parts that {@code build} answers (null after the last), built one ahead on a thread of their own and queued in one transaction. */
    private QueueStore.Imported inOneTransaction(java.util.concurrent.Callable<QueueStore.Part> build, String server, boolean keepIds) {
        try (dev.speckitty.protocol.OneAhead<QueueStore.Part> parts = new dev.speckitty.protocol.OneAhead<>("import-build", build)) {
            return store.enqueueAll(parts, server, keepIds);
        }
    }

    /** The request's events validated, completed and written as JSON. */
    private QueueStore.Part part(EnqueueRequest request, Recording as) {
        return QueueStore.Part.of(events.complete(request.events(), cwd(request), as));
    }

    /** The directory the request's git metadata is read from (none: not given). */
    private static Path cwd(EnqueueRequest request) {
        return request.cwd() == null ? null : Path.of(request.cwd());
    }

    /**
     * {@link #enqueue}, committed with the other requests waiting ({@link GroupCommit}): the request is
     * validated here, on the caller's thread (an invalid one throws, and nothing is reserved), and the
     * future completes once its events are committed. {@code bytes}: the size of the request's body,
     * which bounds a group. A request of more than {@link GroupCommit#MAX_GROUP_EVENTS} events (an
     * import's part) is queued alone, in its turn, like an import in this process ({@link #enqueueLarge}).
     * Without group commit (the CLI's engine) the same as {@link #enqueue}.
     */
    public java.util.concurrent.CompletableFuture<EnqueueResponse> enqueueGrouped(EnqueueRequest request, long bytes) {
        if (groups == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(enqueue(request));
        }
        if (request.events().size() > GroupCommit.MAX_GROUP_EVENTS) {
            Recording as = recording();
            return groups.submitAlone(() -> enqueueLarge(request, as));
        }
        return groups.submit(events.prepare(request.events(), cwd(request)), bytes);
    }

    /** Events of a large request completed per chunk: the next chunk is built on a second thread while this one is written. */
    private static final int CHUNK_EVENTS = 500;

    /**
     * Queues a large request in one transaction, its events validated, completed and written as JSON
     * {@link #CHUNK_EVENTS} at a time on a second thread while the chunk before is inserted (on one
     * thread a part of an import took twice as long): all are queued, or none. A chunk found invalid
     * rolls the request back, and the whole request is checked again so that the refusal lists every
     * problem, numbered in the request (the clock steps of the chunks built are a harmless gap).
     */
    private EnqueueResponse enqueueLarge(EnqueueRequest request, Recording as) {
        List<com.fasterxml.jackson.databind.JsonNode> all = request.events();
        Path cwd = cwd(request);
        List<String> ids = new java.util.ArrayList<>(all.size());
        int[] built = {0}; // read and written on the builder's one thread only
        try {
            QueueStore.Imported done = inOneTransaction(() -> {
                if (built[0] == all.size()) {
                    return null;
                }
                List<com.fasterxml.jackson.databind.JsonNode> chunk = all.subList(built[0], Math.min(all.size(), built[0] + CHUNK_EVENTS));
                QueueStore.Part part = QueueStore.Part.of(events.complete(chunk, cwd, as));
                built[0] += chunk.size();
                for (Event e : part.events()) {
                    ids.add(e.eventId());
                }
                return part;
            }, as.server(), false);
            // The builder's last write happened before enqueueAll saw its null (Future.get).
            return new EnqueueResponse((int) done.queued(), ids, done.depth());
        } catch (dev.speckitty.protocol.event.InvalidEventException e) {
            events.prepare(all, cwd, as); // throws, listing every problem of the request
            throw e;
        }
    }

    /**
     * Whom and how new events are recorded, from one look at the credentials and one at config.toml:
     * the credentials' team and the server that issued them, else {@code local} and the configured
     * server ({@code ""} when none is); the generation of {@code sync.schema}, read at each emit so that
     * `config set sync.schema 3` applies to a running daemon (the value loaded at start while the file
     * cannot be read). An unreadable credentials file must not stop an emit (offline is normal): such
     * events carry {@code local} and are sent with the team of the next login, like events recorded
     * before any login; {@code sync} reports the damaged file.
     */
    private Recording recording() {
        ConfigWatch.Reading settings = watch.current();
        dev.speckitty.protocol.event.Generation generation = settings.config() != null ? settings.config().schema() : config.schema();
        try {
            Optional<Credentials> c = tokens.credentials();
            if (c.isPresent()) {
                return new Recording(c.get().teamSlug(), ServerUrl.normalise(c.get().serverUrl()).orElse(""), generation);
            }
        } catch (RuntimeException e) {
            // unreadable: as logged out
        }
        String configured = settings.config() == null ? "" : settings.config().serverUrl().flatMap(ServerUrl::normalise).orElse("");
        return new Recording(Credentials.NO_TEAM, configured, generation);
    }

    /** The (server, team) whose inbox and cursor are current: credentials issued by the configured server; empty otherwise. */
    public Optional<Scope> scope() {
        return Scope.current(servers.url().map(URI::toString), credentials());
    }

    /** Queued events recorded for another team or server than the current login, by team and server. */
    public List<WaitingEvents> waiting() {
        return store.waiting(scope());
    }

    public SyncSummary sync(SyncRequest request, Consumer<SyncUpdate> updates) {
        return engine.run(request, updates);
    }

    /** What a sync would push and pull, changing nothing. */
    public DryRunReport dryRun() {
        QueueStats stats = store.stats(java.time.Instant.now());
        // What would leave now: the events of the current team and server (others wait for their login).
        long depth = engine.currentScope().map(store::depth).orElse(stats.depth());
        int batch = Math.max(1, config.batchSize());
        return new DryRunReport(serverUrl().map(URI::toString).orElse(null), depth, (depth + batch - 1) / batch,
                store.countByType(), stats.parked(), countToPull());
    }

    private long countToPull() {
        Optional<ServerClient> server = servers.current();
        if (server.isEmpty() || !tokens.loggedIn()) {
            return -1;
        }
        try {
            String access = tokens.accessToken();
            String cursor = store.cursor(engine.currentScope().orElse(Scope.NONE));
            long count = 0;
            for (int page = 0; page < DRY_RUN_PULL_PAGES; page++) {
                // As the sync pulls: without this node's events, which are not counted as pulled either.
                PulledPage p = server.get().pull(access, cursor, Api.MAX_PULL_LIMIT, Optional.of(clock.nodeId()));
                count += p.events().size();
                if (!p.hasMore() || p.nextCursor().equals(cursor)) {
                    return count;
                }
                cursor = p.nextCursor();
            }
            return count;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    public QueueStats queueStats() {
        return store.stats(java.time.Instant.now());
    }

    public List<ParkedEvent> parked() {
        return store.parked();
    }

    public int retryParked(ParkedAction action) {
        return store.retryParked(action);
    }

    public int discardParked(ParkedAction action) {
        return store.discardParked(action);
    }

    /** Queued, parked and the current scope's pulled events (no pulled ones without a current login). */
    public List<Event> listEvents(QueueStore.EventQuery query) {
        return store.listEvents(query, Optional.of(scope().orElse(Scope.NONE)));
    }

    /** The pull cursor of the current scope ("0" without one). */
    public String cursor() {
        return store.cursor(scope().orElse(Scope.NONE));
    }

    /** Events in the current scope's inbox. */
    public long inboxSize() {
        return store.size(scope().orElse(Scope.NONE));
    }

    public InboxIssues inboxIssues() {
        return store.issues();
    }

    public ClockState clockState() {
        return clock.read();
    }

    public Optional<Credentials> credentials() {
        try {
            return tokens.credentials();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Who syncs with which server, as a key that changes when the configured server URL, or the user,
     * team or server of the credentials, changes (or the file becomes readable or unreadable); tokens
     * are not part of it, so a refresh does not change it. Two stat calls when nothing changed.
     */
    public String identityKey() {
        String server = servers.url().map(URI::toString).flatMap(ServerUrl::normalise).orElse("-");
        String login;
        try {
            login = tokens.credentials()
                    .map(c -> ServerUrl.normalise(c.serverUrl()).orElse(c.serverUrl()) + " " + c.teamSlug() + " " + c.username())
                    .orElse("logged out");
        } catch (RuntimeException e) {
            login = "unreadable";
        }
        return server + " | " + login;
    }

    public Optional<URI> serverUrl() {
        return servers.url();
    }

    // The daemon builds its session on these.
    public QueueStore store() {
        return store;
    }

    public LamportClock clock() {
        return clock;
    }

    public TokenManager tokens() {
        return tokens;
    }

    public ServerClients servers() {
        return servers;
    }

    public SyncEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        if (groups != null) {
            groups.close(); // commits the requests already taken
        }
        prepare.shutdownNow();
        counting.shutdownNow();
        store.close();
    }

    /** One daemon thread named {@code name}, so an engine never keeps a JVM alive. */
    private static ExecutorService singleThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
