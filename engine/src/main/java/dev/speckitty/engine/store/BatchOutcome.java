package dev.speckitty.engine.store;

import dev.speckitty.protocol.control.EventOutcome;
import java.util.List;

/** What applying one batch's server results did to the queue: counts, and one outcome per event. */
public record BatchOutcome(int pushed, int duplicates, int rejected, int parked, List<EventOutcome> outcomes) {
    public BatchOutcome {
        outcomes = List.copyOf(outcomes);
    }
}
