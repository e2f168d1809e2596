package dev.speckitty.server.store;

/** An event that passed {@link IngestCheck}: its id and type (for the index columns) and the text to store. */
public record AcceptedEvent(String eventId, String eventType, String json) implements IngestCheck.Verdict {
}
