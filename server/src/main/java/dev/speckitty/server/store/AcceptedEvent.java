package dev.speckitty.server.store;

/** An event that passed {@link IngestCheck}: its id, type and node (for the index columns) and the text to store. */
public record AcceptedEvent(String eventId, String eventType, String nodeId, String json) implements IngestCheck.Verdict {
}
