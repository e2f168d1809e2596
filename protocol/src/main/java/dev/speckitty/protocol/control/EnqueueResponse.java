package dev.speckitty.protocol.control;

import java.util.List;

/** {@code POST /v1/events} answer: the ids queued, in order, and the queue depth after. */
public record EnqueueResponse(int accepted, List<String> eventIds, long queueDepth) {
    public EnqueueResponse {
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
    }
}
