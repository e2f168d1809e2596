package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.speckitty.protocol.json.WireNames;

/** Why a sync stopped early ({@link SyncSummary#errorKind()}); the CLI picks its exit code and next step by it. */
public enum SyncErrorKind {
    /** The server could not be reached (refused, timed out, 429/503 after their pause). */
    UNREACHABLE,
    /** The credentials were refused and refreshing failed, or they belong to another server. */
    AUTH_REQUIRED,
    /** No server URL or no login: events only queue locally. */
    NOT_CONFIGURED,
    /** The server answered, but not with something the sync could use. */
    SERVER_ERROR;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    /** The kind named on the wire; one this version does not know (a newer daemon's) reads as {@link #SERVER_ERROR}. */
    @JsonCreator
    public static SyncErrorKind fromWire(String s) {
        return WireNames.lenient(SyncErrorKind.class, s, SERVER_ERROR);
    }
}
