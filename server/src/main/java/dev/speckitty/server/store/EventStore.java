package dev.speckitty.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.protocol.wire.PullPage;
import java.util.List;

/**
 * The team's event log: validated, deduplicated by {@code event_id} within a team, and numbered with
 * a dense per-team sequence (the cursor). Implementations are thread-safe.
 */
public interface EventStore {
    /**
     * Validates and stores a batch in one transaction; one result per event, in order. Events newly
     * stored are announced to the {@link CommitListener} after the transaction commits.
     */
    List<EventResult> ingest(String team, List<JsonNode> rawEvents);

    /** The team's events with a sequence number greater than {@code after}, at most {@code limit}, as stored. */
    StoredPage pullStored(String team, long after, int limit);

    /** {@link #pullStored} with the events parsed. */
    default PullPage pull(String team, long after, int limit) {
        return pullStored(team, after, limit).parsed();
    }

    /** The sequence number of the team's newest event; 0 when it has none. */
    long latest(String team);
}
