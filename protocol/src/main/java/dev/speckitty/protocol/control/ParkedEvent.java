package dev.speckitty.protocol.control;

/** An event taken out of the drain after repeated rejection, with the server's last reason. */
public record ParkedEvent(String eventId, String eventType, String aggregateId, long retryCount, String reason, String parkedAt) {
}
