package dev.speckitty.protocol.control;

import java.util.Map;

/** What a sync would do, changing nothing: events and batches to push, by type, and events waiting to be pulled (-1 if unknown). */
public record DryRunReport(String serverUrl, long toPush, long batches, Map<String, Long> byType, long parked, long toPull) {
}
