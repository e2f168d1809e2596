package dev.speckitty.engine;

import dev.speckitty.protocol.event.Generation;

/**
 * Whom and how new events are recorded: the team a draft carries and the server its queued row is
 * scoped to ({@code queue_scope}), both from one look at the credentials (else {@code local} and the
 * configured server; {@code ""} when there is neither), and the generation drafts are written in
 * ({@code sync.schema}). Taken once per request or import, so a login that changes meanwhile never
 * gives an event one identity's team and the other's server.
 */
public record Recording(String team, String server, Generation generation) {
    /** Recorded for {@code team} at {@code server}, in 2.x. */
    public Recording(String team, String server) {
        this(team, server, Generation.V2);
    }
}
