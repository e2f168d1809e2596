package dev.speckitty.engine.store;

import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.wire.EventResult;
import java.time.Instant;
import java.util.List;

/**
 * The queue as the uploader sees it: peek a batch, send it, then apply the server's verdicts.
 * Events leave only when acknowledged (at-least-once by construction). Implementations are
 * thread-safe; every call is blocking JDBC work, so never call it on a Netty event loop.
 */
public interface Outbox {
    /** Up to {@code limit} queued (not parked) events after {@code after}, in {@code ORDER BY timestamp, id}, of any scope. */
    default List<QueuedEvent> nextBatch(DrainPosition after, int limit) {
        return nextBatch(after, limit, Scope.UNSCOPED);
    }

    /**
     * {@link #nextBatch(DrainPosition, int)} for the events that may leave with {@code scope}: those
     * recorded for its team on its server, those recorded before any login ({@code local}), and those
     * without a recorded server (the Python tool's); {@link Scope#UNSCOPED} takes every event.
     */
    List<QueuedEvent> nextBatch(DrainPosition after, int limit, Scope scope);

    /** Events waiting that may leave with {@code scope} (see {@link #nextBatch(DrainPosition, int, Scope)}). */
    long depth(Scope scope);

    /**
     * Applies the results of one upload in ONE transaction: success and duplicate rows are deleted;
     * rejected rows get {@code retry_count + 1} and the server's reason, and are parked once they reach
     * the configured number of rejections. Results are matched by event_id; an event with no result
     * stays queued unchanged.
     */
    BatchOutcome applyResults(List<QueuedEvent> batch, List<EventResult> results);

    /**
     * {@link #applyResults(List, List)}, and in the same transaction every acknowledged row whose result
     * tells its cursor moves into the inbox of {@code scope} at that position, as {@code sent.get(i)}
     * (the text uploaded for {@code batch.get(i)}); the scope's saved cursor then advances through the
     * contiguous positions the inbox holds. So the client holds its own events and never pulls them.
     */
    BatchOutcome applyResults(Scope scope, List<QueuedEvent> batch, List<String> sent, List<EventResult> results);

    /**
     * Parks the rows now, {@code reasons.get(i)} for {@code rows.get(i)}, in ONE transaction: events the
     * server can never take (larger than an event may be, or refused as too large on their own), which
     * must not be sent again and again. They stay listed and can be retried or discarded.
     */
    BatchOutcome park(List<QueuedEvent> rows, List<String> reasons);

    /** Events waiting (not parked). */
    long depth();

    /** Depth, oldest age, retry buckets and parked count at {@code now}. */
    QueueStats stats(Instant now);
}
