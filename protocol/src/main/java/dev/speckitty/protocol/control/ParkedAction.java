package dev.speckitty.protocol.control;

import java.util.List;

/** Body of {@code /v1/parked/retry} and {@code /v1/parked/discard}: the ids, or every parked event when {@code all}. */
public record ParkedAction(List<String> eventIds, boolean all) {
    public ParkedAction {
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
    }
}
