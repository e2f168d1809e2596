package dev.speckitty.engine.store;

import dev.speckitty.protocol.control.EventOutcome;
import dev.speckitty.protocol.wire.Cursor;
import dev.speckitty.protocol.wire.EventResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Applies one upload's per-event results inside the caller's transaction: acknowledged rows leave the
 * queue (into the inbox of the sync's scope at the position the server told, so they are never pulled
 * back), rejected rows count a retry and keep the reason, and rows rejected often enough move to
 * {@code parked}. Used once, on the thread that holds the store's lock.
 */
final class ResultApplier {
    static final String NO_REASON = "rejected by the server (no reason given)";
    // Every statement names the row by id AND event_id: spec-kitty 3.x coalesces a dossier event by
    // overwriting its row in place (same id, a new event_id), and the verdict on the event we sent must
    // not delete or count against the newer one, which was never sent.
    private static final String PARK = "INSERT OR REPLACE INTO parked (id, event_id, event_type, data, timestamp, retry_count, reason, parked_at)"
            + " SELECT id, event_id, event_type, data, timestamp, retry_count, ?, ? FROM queue WHERE id = ? AND event_id = ?";
    private static final String DELETE = "DELETE FROM queue WHERE id = ? AND event_id = ?";
    private final Connection c;
    private final long now;
    private final int parkAfter;

    ResultApplier(Connection c, long now, int parkAfter) {
        this.c = c;
        this.now = now;
        this.parkAfter = parkAfter;
    }

    /**
     * Applies {@code results} to {@code batch}; with a {@code scope}, acknowledged rows with a cursor go
     * into its inbox as {@code sent} (the uploaded text of each row, in batch order; the row's data
     * when null) and the scope's saved cursor advances through the positions held.
     */
    BatchOutcome apply(List<QueuedEvent> batch, Map<String, EventResult> results, Scope scope, List<String> sent) throws SQLException {
        int pushed = 0;
        boolean held = false;
        int duplicates = 0;
        int rejected = 0;
        int parked = 0;
        List<EventOutcome> outcomes = new ArrayList<>();
        // Most batches follow no rejection: then an acknowledged row has no reason to forget.
        boolean rejections = QueueStore.count(c, "SELECT EXISTS (SELECT 1 FROM rejections)") > 0;
        try (PreparedStatement delete = c.prepareStatement(DELETE);
             PreparedStatement forget = c.prepareStatement("DELETE FROM rejections WHERE event_id = ?");
             PreparedStatement forgetScope = c.prepareStatement("DELETE FROM queue_scope WHERE event_id = ?");
             PreparedStatement bump = c.prepareStatement("UPDATE queue SET retry_count = COALESCE(retry_count, 0) + 1 WHERE id = ? AND event_id = ?");
             PreparedStatement retries = c.prepareStatement("SELECT retry_count FROM queue WHERE id = ?");
             PreparedStatement remember = c.prepareStatement(
                     "INSERT INTO rejections (event_id, reason, rejected_at) VALUES (?, ?, ?)"
                             + " ON CONFLICT(event_id) DO UPDATE SET reason = excluded.reason, rejected_at = excluded.rejected_at");
             PreparedStatement park = c.prepareStatement(PARK);
             PreparedStatement hold = scope == null ? null : c.prepareStatement(QueueStore.INSERT_INBOX)) {
            for (int i = 0; i < batch.size(); i++) {
                QueuedEvent row = batch.get(i);
                EventResult result = results.get(row.eventId());
                if (result == null || result.status() == null) {
                    continue; // no verdict: the row stays exactly as it was
                }
                String aggregateId = row.aggregateId();
                if (result.status().acknowledged()) {
                    delete.setLong(1, row.id());
                    delete.setString(2, row.eventId());
                    boolean gone = delete.executeUpdate() > 0;
                    if (rejections) {
                        forget.setString(1, row.eventId());
                        forget.executeUpdate();
                    }
                    if (gone) { // the row's scope goes with it (not a newer row's of that event id)
                        forgetScope.setString(1, row.eventId());
                        forgetScope.executeUpdate();
                    }
                    // Held as sent, with the clock and node its row was read with; a row without an
                    // integer clock or a string node (the server accepted it, so never) is not held,
                    // and the pull fetches its position.
                    OptionalLong position = result.position();
                    if (hold != null && position.isPresent() && position.getAsLong() > 0 && row.lamport() >= 0 && row.nodeId() != null) {
                        hold.setString(1, row.eventId());
                        hold.setLong(2, row.lamport());
                        hold.setString(3, row.nodeId());
                        hold.setString(4, sent == null || sent.get(i) == null ? row.data() : sent.get(i));
                        hold.setString(5, Cursor.of(position.getAsLong()));
                        hold.setLong(6, now);
                        hold.setString(7, scope.key());
                        hold.setLong(8, position.getAsLong());
                        held |= hold.executeUpdate() > 0;
                    }
                    EventOutcome.Status status = EventOutcome.Status.of(result.status());
                    if (status == EventOutcome.Status.SUCCESS) {
                        pushed++;
                    } else {
                        duplicates++;
                    }
                    outcomes.add(new EventOutcome(row.eventId(), row.eventType(), aggregateId, status, null));
                    continue;
                }
                String reason = result.reason().filter(r -> !r.isBlank()).orElse(NO_REASON);
                bump.setLong(1, row.id());
                bump.setString(2, row.eventId());
                if (bump.executeUpdate() == 0) {
                    continue; // another process drained or parked it meanwhile
                }
                int count;
                retries.setLong(1, row.id());
                try (ResultSet r = retries.executeQuery()) {
                    r.next();
                    count = r.getInt(1);
                }
                if (count >= parkAfter) {
                    park.setString(1, reason);
                    park.setLong(2, now);
                    park.setLong(3, row.id());
                    park.setString(4, row.eventId());
                    park.executeUpdate();
                    delete.setLong(1, row.id());
                    delete.setString(2, row.eventId());
                    delete.executeUpdate();
                    forget.setString(1, row.eventId());
                    forget.executeUpdate();
                    parked++;
                    outcomes.add(new EventOutcome(row.eventId(), row.eventType(), aggregateId, EventOutcome.Status.PARKED, reason));
                } else {
                    remember.setString(1, row.eventId());
                    remember.setString(2, reason);
                    remember.setLong(3, now);
                    remember.executeUpdate();
                    rejected++;
                    outcomes.add(new EventOutcome(row.eventId(), row.eventType(), aggregateId, EventOutcome.Status.REJECTED, reason));
                }
            }
        }
        if (held) {
            long saved = cursor(scope);
            long advanced = QueueStore.advance(c, scope, saved);
            if (advanced != saved) {
                QueueStore.saveCursor(c, scope, advanced);
            }
        }
        return new BatchOutcome(pushed, duplicates, rejected, parked, outcomes);
    }

    /** The saved cursor of {@code scope}, read in this transaction; 0 before its first pull. */
    private long cursor(Scope scope) throws SQLException {
        try {
            return Cursor.parse(QueueStore.savedCursor(c, scope));
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /**
     * Parks the rows at once, each with its reason, whatever their retry count: events the server can
     * never take (larger than an event may be, or refused as too large on their own). A row another
     * process drained meanwhile is left out.
     */
    BatchOutcome parkNow(List<QueuedEvent> rows, List<String> reasons) throws SQLException {
        List<EventOutcome> outcomes = new ArrayList<>();
        try (PreparedStatement park = c.prepareStatement(PARK);
             PreparedStatement delete = c.prepareStatement(DELETE);
             PreparedStatement forget = c.prepareStatement("DELETE FROM rejections WHERE event_id = ?")) {
            for (int i = 0; i < rows.size(); i++) {
                QueuedEvent row = rows.get(i);
                park.setString(1, reasons.get(i));
                park.setLong(2, now);
                park.setLong(3, row.id());
                park.setString(4, row.eventId());
                if (park.executeUpdate() == 0) {
                    continue;
                }
                delete.setLong(1, row.id());
                delete.setString(2, row.eventId());
                delete.executeUpdate();
                forget.setString(1, row.eventId());
                forget.executeUpdate();
                outcomes.add(new EventOutcome(row.eventId(), row.eventType(), row.aggregateId(), EventOutcome.Status.PARKED, reasons.get(i)));
            }
        }
        return new BatchOutcome(0, 0, 0, outcomes.size(), outcomes);
    }
}
