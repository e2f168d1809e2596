package dev.speckitty.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/** One entry of a batch response; {@code errorMessage} is null unless rejected. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventResult(String eventId, ResultStatus status, String errorMessage) {
    public static EventResult success(String eventId) {
        return new EventResult(eventId, ResultStatus.SUCCESS, null);
    }

    public static EventResult duplicate(String eventId) {
        return new EventResult(eventId, ResultStatus.DUPLICATE, null);
    }

    public static EventResult rejected(String eventId, String reason) {
        return new EventResult(eventId, ResultStatus.REJECTED, reason);
    }

    public Optional<String> reason() {
        return Optional.ofNullable(errorMessage);
    }
}
