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
     * Validates and stores a batch in one transaction; one result per event, in order. An event is
     * stored as its {@link ReceivedEvent#json} text, which pulls and live frames serve unchanged. Events newly
     * stored are announced to the {@link CommitListener} after the transaction commits.
     */
    List<EventResult> ingestReceived(String team, List<ReceivedEvent> events);

    /** {@link #ingestReceived} for events without source text: each is stored as the compact encoding of its tree. */
    default List<EventResult> ingest(String team, List<JsonNode> rawEvents) {
        return ingestReceived(team, rawEvents.stream().map(ReceivedEvent::of).toList());
    }

    /**
     * The team's events with a sequence number greater than {@code after}, as stored: at most
     * {@code limit} of them and at most {@code maxBytes} of their UTF-8 JSON, but always at least one
     * when there is one (so a reader makes progress past an event larger than the bound).
     */
    StoredPage pullStored(String team, long after, int limit, int maxBytes);

    /**
     * {@link #pullStored} leaving out the events of node {@code skipNode}: of the positions after
     * {@code after} (at most {@link dev.speckitty.protocol.wire.Api#MAX_PULL_SCAN} of them, and none past
     * the team's newest when the read began) the others' events, each with its position
     * ({@link StoredPage#cursors}); {@code nextCursor} is the last position examined, so every position
     * up to it the page does not hold is one of {@code skipNode}'s.
     */
    StoredPage pullSkipping(String team, long after, int limit, int maxBytes, String skipNode);

    /** {@link #pullStored} with the events parsed and no bound in bytes (tests, tools). */
    default PullPage pull(String team, long after, int limit) {
        return pullStored(team, after, limit, Integer.MAX_VALUE).parsed();
    }

    /** The sequence number of the team's newest event; 0 when it has none. */
    long latest(String team);
}
