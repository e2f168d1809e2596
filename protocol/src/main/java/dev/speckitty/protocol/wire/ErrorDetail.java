package dev.speckitty.protocol.wire;

/** One reason inside an {@link ErrorResponse}; {@code eventId} is null when the problem is not about one event. */
public record ErrorDetail(String eventId, String reason) {
}
