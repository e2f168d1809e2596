package dev.speckitty.engine;

/**
 * Whom new events are recorded for: the team a draft carries and the server its queued row is
 * scoped to ({@code queue_scope}), both from one look at the credentials (else {@code local} and the
 * configured server; {@code ""} when there is neither). Taken once per request or import, so a login
 * that changes meanwhile never gives an event one identity's team and the other's server.
 */
public record Recording(String team, String server) {
}
