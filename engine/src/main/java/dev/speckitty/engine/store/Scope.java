package dev.speckitty.engine.store;

import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.ServerUrl;
import java.util.Optional;

/**
 * Whose sync state a row belongs to: a team on a server (its normalised URL, {@link ServerUrl#normalise}).
 * The pull cursor and the inbox are kept per scope, so a switch of team or server starts the new one's
 * pull at cursor 0 and switching back resumes; queued events carry the scope they were recorded under
 * and leave only with it. {@link #UNSCOPED} is the state written before scopes existed.
 */
public record Scope(String server, String team) {
    /** Rows written before sync state was scoped (and the scope of callers that do not care). */
    public static final Scope UNSCOPED = new Scope("", "");

    /** A scope no row has: the inbox of nobody (logged out, or a login for another server). */
    public static final Scope NONE = new Scope("", "\u0000");

    public Scope {
        if (server == null || team == null) {
            throw new IllegalArgumentException("scope: server " + server + ", team " + team + " (expected: both non-null)");
        }
    }

    /** The scope of {@code team} on the server at {@code serverUrl} (kept as given when it is not a valid URL). */
    public static Scope of(String serverUrl, String team) {
        return new Scope(ServerUrl.normalise(serverUrl).orElse(serverUrl), team);
    }

    /**
     * The scope the configured server and the credentials name: the team of credentials issued by that
     * server; empty when no server is configured or no such login exists (then no inbox is current).
     */
    public static Optional<Scope> current(Optional<String> configuredUrl, Optional<Credentials> credentials) {
        if (configuredUrl.isEmpty() || credentials.isEmpty() || !credentials.get().issuedBy(configuredUrl.get())) {
            return Optional.empty();
        }
        return Optional.of(of(configuredUrl.get(), credentials.get().teamSlug()));
    }

    /** The value of the {@code scope} column. */
    public String key() {
        return this.equals(UNSCOPED) ? "" : server + " " + team;
    }

    /** The {@code sync_state} key of this scope's pull cursor ({@code cursor} for the unscoped one, as before). */
    String cursorKey() {
        return this.equals(UNSCOPED) ? "cursor" : "cursor " + key();
    }

    /** "team-a on https://a.example", for people. */
    public String describe() {
        return team + (server.isEmpty() ? "" : " on " + server);
    }
}
