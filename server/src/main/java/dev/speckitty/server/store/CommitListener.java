package dev.speckitty.server.store;

import java.util.List;

/**
 * Told about events that were just committed, in sequence order. Called by the ingesting thread
 * while the store's write order is still held, so calls arrive in cursor order; it must not block.
 */
@FunctionalInterface
public interface CommitListener {
    CommitListener NONE = (team, events) -> { };

    void committed(String team, List<SequencedEvent> events);
}
