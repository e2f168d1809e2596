package dev.speckitty.cli.output;

import dev.speckitty.protocol.control.DaemonInfo;
import dev.speckitty.protocol.control.StatusResponse;
import java.time.Instant;

/** The daemon's link to the server in words, for {@code sync status} and {@code daemon status}. Stateless. */
public final class LinkText {
    private LinkText() {
    }

    /** {@link #of(DaemonInfo, Instant)} of a status's link fields. */
    public static String of(StatusResponse s, Instant now) {
        return of(DaemonInfo.of(s), now);
    }

    /** E.g. {@code Connected (live)}, {@code Offline (retrying): connection refused; next try in 3s}. */
    public static String of(DaemonInfo s, Instant now) {
        if (s.connection() == null) {
            return "Unknown";
        }
        String text = switch (s.connection()) {
            case CONNECTED -> s.live() ? "Connected (live)"
                    : "Connected (no live link; syncing every " + (s.pollIntervalS() > 0 ? Durations.humanSeconds(s.pollIntervalS()) : "poll interval") + ")";
            case CONNECTING -> "Connecting";
            case OFFLINE -> "Offline (retrying)";
            case AUTH_REQUIRED -> "Auth required (run `spec-kitty auth login`)";
            case NOT_CONFIGURED -> "Not configured (set sync.server_url and run `spec-kitty auth login`)";
        };
        if (s.lastError() != null && !s.lastError().isBlank()) {
            text += ": " + s.lastError();
        }
        if (s.nextRetryAt() != null) {
            text += "; next try " + Durations.relative(s.nextRetryAt(), now);
        }
        return text;
    }
}
