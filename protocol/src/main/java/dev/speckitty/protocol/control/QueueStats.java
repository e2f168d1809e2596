package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The queue at a glance: events waiting, age of the oldest in seconds (0 when empty), events by
 * retry count ({@code "0"}, {@code "1"}, {@code "2"}, {@code "3+"}), parked events, and the one
 * parked last with its reason (null when none is, or from a daemon older than the field).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record QueueStats(long depth, long oldestAgeS, Map<String, Long> retries, long parked, ParkedEvent lastParked) {
    public QueueStats {
        retries = retries == null ? Map.of() : Map.copyOf(retries);
    }

    /** Stats without a last parked event. */
    public QueueStats(long depth, long oldestAgeS, Map<String, Long> retries, long parked) {
        this(depth, oldestAgeS, retries, parked, null);
    }
}
