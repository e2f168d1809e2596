package dev.speckitty.server.store.postgres;

import dev.speckitty.server.store.CommitListener;
import dev.speckitty.server.store.SequencedEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link CommitListener} every event of the teams it cares about, whichever instance
 * committed it. Local commits go to the listener at once; a thread ({@code server-pg-listen}) holds a
 * dedicated connection that LISTENs on {@value PostgresEventStore#CHANNEL} ({@code team:last}
 * payloads). Whenever the listener has delivered less than a team's known last cursor, a catch-up on
 * the single {@code server-fanout} thread reads the missing events after the delivered cursor and
 * hands them over in order; the listener drops what it already delivered.
 */
final class PostgresFanout implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresFanout.class);
    private static final int PAGE = 1000;
    private static final int POLL_MS = 250;

    private final PostgresDatabase db;
    private final CommitListener listener;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService catchUps;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Thread listenThread;

    PostgresFanout(PostgresDatabase db, CommitListener listener) {
        this.db = db;
        this.listener = listener;
        this.catchUps = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "server-fanout");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts listening for other instances' commits; returns once LISTEN is in place (or has failed once and retries). */
    void start() {
        CountDownLatch listening = new CountDownLatch(1);
        Thread t = new Thread(() -> listenLoop(listening), "server-pg-listen");
        t.setDaemon(true);
        listenThread = t;
        t.start();
        try {
            listening.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called by the ingesting thread after its commit, in cursor order within this instance. */
    void localCommit(String team, List<SequencedEvent> events) {
        try {
            listener.committed(team, events);
        } catch (RuntimeException e) {
            // Stored is stored: a failing listener must not turn a commit into an error answer.
            LOG.warn("commit listener failed for team {} (events are stored): {}", team, e.toString());
        }
        behind(team, events.get(events.size() - 1).sequence());
    }

    /** Schedules a catch-up when the listener has delivered less of the team than {@code last}. */
    private void behind(String team, long last) {
        OptionalLong delivered = listener.delivered(team);
        if (delivered.isPresent() && delivered.getAsLong() < last) {
            scheduleCatchUp(team);
        }
    }

    private void scheduleCatchUp(String team) {
        if (!pending.add(team)) {
            return; // one queued catch-up reads everything committed until it runs
        }
        try {
            catchUps.execute(() -> {
                pending.remove(team);
                catchUp(team);
            });
        } catch (RejectedExecutionException e) {
            pending.remove(team); // closing
        }
    }

    private void catchUp(String team) {
        while (closed.getCount() > 0) {
            OptionalLong delivered = listener.delivered(team);
            if (delivered.isEmpty()) {
                return;
            }
            List<SequencedEvent> events;
            try (Connection c = db.connection()) {
                events = PostgresEventStore.readAfter(c, team, delivered.getAsLong(), PAGE);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("cannot read events of team {} after {} for WebSocket fan-out: {}; retrying on the next commit",
                        team, delivered.getAsLong(), e.toString());
                return;
            }
            if (events.isEmpty()) {
                return;
            }
            try {
                listener.committed(team, events);
            } catch (RuntimeException e) {
                LOG.warn("commit listener failed for team {}: {}", team, e.toString());
                return;
            }
            OptionalLong now = listener.delivered(team);
            if (events.size() < PAGE || now.isEmpty() || now.getAsLong() <= delivered.getAsLong()) {
                return;
            }
        }
    }

    private void listenLoop(CountDownLatch listening) {
        long backoffMs = 100;
        while (closed.getCount() > 0) {
            try (Connection c = db.dedicatedConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + PostgresEventStore.CHANNEL);
                }
                listening.countDown();
                backoffMs = 100;
                // Whatever was committed while we were not listening: catch up every team someone waits for.
                listener.teams().forEach(this::scheduleCatchUp);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (closed.getCount() > 0) {
                    PGNotification[] notes = pg.getNotifications(POLL_MS);
                    if (notes == null) {
                        continue;
                    }
                    for (PGNotification n : notes) {
                        onNotification(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening.countDown();
                if (closed.getCount() == 0) {
                    return;
                }
                LOG.warn("lost the PostgreSQL notification connection to {}: {}; WebSocket clients get events from other "
                        + "instances once it is back (retrying in {} ms)", db.describe(), e.getMessage(), backoffMs);
                try {
                    closed.await(backoffMs, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, Duration.ofSeconds(5).toMillis());
            }
        }
    }

    private void onNotification(String payload) {
        int colon = payload.lastIndexOf(':');
        if (colon <= 0) {
            LOG.debug("ignoring notification '{}' (expected team:cursor)", payload);
            return;
        }
        try {
            behind(payload.substring(0, colon), Long.parseLong(payload.substring(colon + 1)));
        } catch (NumberFormatException e) {
            LOG.debug("ignoring notification '{}' (expected team:cursor)", payload);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        Thread t = listenThread;
        if (t != null) {
            try {
                t.join(2 * POLL_MS + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        catchUps.shutdown();
        try {
            if (!catchUps.awaitTermination(5, TimeUnit.SECONDS)) {
                catchUps.shutdownNow();
            }
        } catch (InterruptedException e) {
            catchUps.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
