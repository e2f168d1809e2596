package dev.speckitty.protocol.wire;

import java.util.List;

/** {@code 200} answer to a batch upload: one result per event, in request order. */
public record BatchResponse(List<EventResult> results) {
    public BatchResponse {
        results = results == null ? List.of() : results;
    }
}
