package dev.speckitty.protocol.control;

/** {@code POST /v1/sync} body: {@code verbose} streams one line per event; {@code dryRun} changes nothing. */
public record SyncRequest(boolean verbose, boolean dryRun) {
}
