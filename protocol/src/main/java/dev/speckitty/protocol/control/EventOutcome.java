package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.speckitty.protocol.json.WireNames;
import dev.speckitty.protocol.wire.ResultStatus;

/** What happened to one event in a sync; {@code reason} from the server (or why it was parked). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventOutcome(String eventId, String eventType, String aggregateId, Status status, String reason) {
    /** The server's verdict ({@link ResultStatus}), or {@code parked}: rejected too often, or too large to send. */
    public enum Status {
        SUCCESS, DUPLICATE, REJECTED, PARKED;

        /** The outcome of a verdict the server gave. */
        public static Status of(ResultStatus verdict) {
            return switch (verdict) {
                case SUCCESS -> SUCCESS;
                case DUPLICATE -> DUPLICATE;
                case REJECTED -> REJECTED;
            };
        }

        @JsonValue
        public String wire() {
            return WireNames.of(this);
        }

        /** The status named on the wire; one this version does not know (a newer daemon's) reads as {@link #REJECTED}. */
        @JsonCreator
        public static Status fromWire(String s) {
            return WireNames.lenient(Status.class, s, REJECTED);
        }
    }
}
