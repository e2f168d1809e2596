package dev.speckitty.protocol.control;

import java.util.Map;

/**
 * The queue at a glance: events waiting, age of the oldest in seconds (0 when empty), events by
 * retry count ({@code "0"}, {@code "1"}, {@code "2"}, {@code "3+"}), and parked events.
 */
public record QueueStats(long depth, long oldestAgeS, Map<String, Long> retries, long parked) {
    public QueueStats {
        retries = retries == null ? Map.of() : Map.copyOf(retries);
    }
}
