package dev.speckitty.engine.store;

import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.WaitingEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A read-only look at {@code queue.db} from outside the store, for {@code sync status} when no
 * daemon answers: the same figures as {@link QueueStore}'s, from one connection opened with SQLite's
 * read-only flag ({@link QueueDatabase#openReadOnly}). It never creates the file, its tables or its
 * journal mode, and a daemon or the Python tool may write the file meanwhile. Only the
 * Python-compatible {@code queue} table and, where present, our side tables are read. Owned by one
 * caller; {@link #close()} releases the file.
 */
public final class ReadOnlyQueue implements AutoCloseable {
    /** How long a read waits for a writer that holds the file; a status should not hang on a busy daemon. */
    static final int BUSY_TIMEOUT_MS = 5_000;

    private final Path file;
    private final Connection connection;

    private ReadOnlyQueue(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * The queue in {@code queueDb}, or empty when the file does not exist (an empty queue: nothing is
     * created).
     *
     * @throws IllegalStateException when the file cannot be opened, naming it and the way out
     */
    public static Optional<ReadOnlyQueue> open(Path queueDb) {
        if (!Files.exists(queueDb)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ReadOnlyQueue(queueDb, QueueDatabase.openReadOnly(queueDb, BUSY_TIMEOUT_MS)));
        } catch (SQLException e) {
            throw unreadable(queueDb, e);
        }
    }

    /** Depth, oldest age at {@code now}, retries, parked count and the event parked last (see {@link StatusQueries#queueStats}). */
    public QueueStats stats(Instant now) {
        try {
            return StatusQueries.queueStats(connection, now);
        } catch (SQLException e) {
            throw unreadable(file, e);
        }
    }

    /** What the inbox recorded about events it could not take as they came. */
    public InboxIssues inboxIssues() {
        try {
            return StatusQueries.inboxIssues(connection);
        } catch (SQLException e) {
            throw unreadable(file, e);
        }
    }

    /** The queued events that may not leave with {@code current} (see {@link QueueStore#waiting}). */
    public List<WaitingEvents> waiting(Optional<Scope> current) {
        try {
            return StatusQueries.waiting(connection, current);
        } catch (SQLException e) {
            throw unreadable(file, e);
        }
    }

    private static IllegalStateException unreadable(Path file, SQLException e) {
        return new IllegalStateException("cannot read the queue in " + file + " (" + e.getMessage()
                + "); if the file is damaged, move it aside and run `spec-kitty daemon start`", e);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // read-only: nothing to lose
        }
    }
}
