package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The outcome of one sync: counts, the rejected events with the server's reasons, and an error when
 * the sync stopped early ({@code ok == false}); {@code errorKind} says why (null when it did not).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SyncSummary(
        boolean ok,
        String serverUrl,
        long pushed,
        long duplicates,
        long rejected,
        long pulled,
        long batches,
        long parked,
        long remaining,
        List<EventOutcome> rejectedEvents,
        String error,
        SyncErrorKind errorKind,
        long durationMs,
        String finishedAt) {
    public SyncSummary {
        rejectedEvents = rejectedEvents == null ? List.of() : List.copyOf(rejectedEvents);
    }
}
