package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.speckitty.protocol.json.WireNames;

/** The daemon's link to the team server, as shown by {@code sync status}. */
public enum ConnectionState {
    /** WebSocket open (or, with the WebSocket disabled, the last request succeeded). */
    CONNECTED,
    /** Trying to (re)connect; see the next retry time. */
    CONNECTING,
    /** The server cannot be reached; retrying with backoff. */
    OFFLINE,
    /** The credentials were refused and refreshing failed: run {@code spec-kitty auth login}. */
    AUTH_REQUIRED,
    /** No server URL or no credentials: events only queue locally. */
    NOT_CONFIGURED;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ConnectionState fromWire(String s) {
        return WireNames.strict(ConnectionState.class, s);
    }
}
