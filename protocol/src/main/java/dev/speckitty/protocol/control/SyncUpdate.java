package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One NDJSON line of {@code POST /v1/sync}, told apart by its {@code type}: {@code progress} (phase
 * push|pull with counts so far), {@code event} (one {@link EventOutcome}, only when the request asked
 * for verbose) or {@code summary} (the last line). A line of a type this version does not know (a
 * newer daemon's) reads as {@link Other}, which a reader skips.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type", defaultImpl = SyncUpdate.Other.class)
@JsonSubTypes({
        @JsonSubTypes.Type(value = SyncUpdate.Progress.class, name = "progress"),
        @JsonSubTypes.Type(value = SyncUpdate.EventLine.class, name = "event"),
        @JsonSubTypes.Type(value = SyncUpdate.Summary.class, name = "summary")})
public sealed interface SyncUpdate {
    /** How far a phase ({@code push} or {@code pull}) has come. */
    record Progress(String phase, long done, long total) implements SyncUpdate {
    }

    /** What happened to one event. */
    record EventLine(EventOutcome event) implements SyncUpdate {
    }

    /** The sync's outcome: the last line. */
    record Summary(SyncSummary summary) implements SyncUpdate {
    }

    /** A line of a type this version does not know; informational, so skipped. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Other() implements SyncUpdate {
    }

    static SyncUpdate progress(String phase, long done, long total) {
        return new Progress(phase, done, total);
    }

    static SyncUpdate event(EventOutcome outcome) {
        return new EventLine(outcome);
    }

    static SyncUpdate summary(SyncSummary summary) {
        return new Summary(summary);
    }
}
