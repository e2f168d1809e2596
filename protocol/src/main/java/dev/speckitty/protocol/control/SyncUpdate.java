package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One NDJSON line of {@code POST /v1/sync}. {@code type} is {@code progress} (phase push|pull with
 * counts so far), {@code event} (one {@link EventOutcome}, only when the request asked for verbose),
 * or {@code summary} (the last line). Fields that do not apply to a type are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncUpdate(String type, String phase, Long done, Long total, EventOutcome event, SyncSummary summary) {
    public static SyncUpdate progress(String phase, long done, long total) {
        return new SyncUpdate("progress", phase, done, total, null, null);
    }

    public static SyncUpdate event(EventOutcome outcome) {
        return new SyncUpdate("event", null, null, null, outcome, null);
    }

    public static SyncUpdate summary(SyncSummary summary) {
        return new SyncUpdate("summary", null, null, null, null, summary);
    }
}
