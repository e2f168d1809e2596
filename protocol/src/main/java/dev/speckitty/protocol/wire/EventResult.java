package dev.speckitty.protocol.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * One entry of a batch response; {@code errorMessage} is null unless rejected. {@code cursor} (an
 * added member a 2.x client ignores) is the stored event's position in the team's order: the new one
 * for success, the first stored copy's for duplicate, null when rejected or from a server that does
 * not tell it.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventResult(String eventId, ResultStatus status, String errorMessage, String cursor) {
    @JsonCreator
    public EventResult(@JsonProperty("event_id") String eventId, @JsonProperty("status") ResultStatus status,
                       @JsonProperty("error_message") String errorMessage, @JsonProperty("cursor") String cursor) {
        this.eventId = eventId;
        this.status = status;
        this.errorMessage = errorMessage;
        this.cursor = cursor;
    }

    /** A result without a position (a server that does not tell it, or a rejection). */
    public EventResult(String eventId, ResultStatus status, String errorMessage) {
        this(eventId, status, errorMessage, null);
    }

    public static EventResult success(String eventId) {
        return new EventResult(eventId, ResultStatus.SUCCESS, null);
    }

    /** Success: stored now at {@code sequence}. */
    public static EventResult success(String eventId, long sequence) {
        return new EventResult(eventId, ResultStatus.SUCCESS, null, Cursor.of(sequence));
    }

    public static EventResult duplicate(String eventId) {
        return new EventResult(eventId, ResultStatus.DUPLICATE, null);
    }

    /** Duplicate: the first stored copy is at {@code sequence}. */
    public static EventResult duplicate(String eventId, long sequence) {
        return new EventResult(eventId, ResultStatus.DUPLICATE, null, Cursor.of(sequence));
    }

    public static EventResult rejected(String eventId, String reason) {
        return new EventResult(eventId, ResultStatus.REJECTED, reason);
    }

    public Optional<String> reason() {
        return Optional.ofNullable(errorMessage);
    }

    /** The stored event's position, when the server told it and it is a valid cursor. */
    public java.util.OptionalLong position() {
        if (cursor == null || cursor.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(Cursor.parse(cursor));
        } catch (IllegalArgumentException e) {
            return java.util.OptionalLong.empty();
        }
    }
}
