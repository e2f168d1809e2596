package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What happened to one event in a sync ({@code status}: success, duplicate, rejected, parked); {@code reason} from the server. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventOutcome(String eventId, String eventType, String aggregateId, String status, String reason) {
}
