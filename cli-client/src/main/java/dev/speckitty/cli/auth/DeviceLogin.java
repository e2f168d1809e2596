package dev.speckitty.cli.auth;

import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.DeviceAuthorization;
import dev.speckitty.protocol.wire.OAuthError;
import dev.speckitty.protocol.wire.OAuthTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code auth login --headless}: the device flow (RFC 8628). Prints the code and the page to enter it
 * on, then polls at the server's interval (longer after {@code slow_down}, never below 1 s, never past
 * the code's lifetime), with a countdown on a terminal. Denied, expired and other refusals end it with
 * what to do next. Owned by the command's thread.
 */
final class DeviceLogin {
    /** Polls and waits never beyond this, whatever a server says (3.x caps the interval at 10 s too; slow_down may raise it). */
    static final Duration MAX_INTERVAL = Duration.ofSeconds(60);

    /** Sleeps (injected: tests and the countdown use it). */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final OAuthHttp http;
    private final CliContext ctx;
    private final Sleeper sleeper;

    DeviceLogin(OAuthHttp http, CliContext ctx, Sleeper sleeper) {
        this.http = http;
        this.ctx = ctx;
        this.sleeper = sleeper;
    }

    /** The tokens, or empty when the server has no device flow (404: log in with a password). */
    Optional<OAuthTokens> run() {
        Optional<DeviceAuthorization> started = http.deviceCode();
        if (started.isEmpty()) {
            return Optional.empty();
        }
        DeviceAuthorization d = started.get();
        Duration lifetime = Duration.ofSeconds(d.expiresIn() > 0 ? d.expiresIn() : 900);
        Instant deadline = ctx.clock().instant().plus(lifetime);
        String link = d.verificationUriComplete() != null ? d.verificationUriComplete() : d.verificationUri();
        ctx.out().println("To log in this machine, open on any device:");
        ctx.out().println("  " + link);
        ctx.out().println("and check that it shows the code:  " + d.userCode());
        ctx.out().println("The code expires in " + human(lifetime) + ".");
        ctx.out().flush();
        Duration interval = clamp(Duration.ofSeconds(d.interval() > 0 ? d.interval() : 5));
        while (true) {
            waitFor(interval, deadline);
            if (!ctx.clock().instant().isBefore(deadline)) {
                throw expired(lifetime);
            }
            OAuthHttp.Answer a = http.token(Map.of("grant_type", Api.DEVICE_GRANT, "device_code", d.deviceCode(), "client_id",
                    Api.OAUTH_CLIENT_ID));
            if (a.status() == 200) {
                endCountdown();
                return Optional.of(http.tokens(a));
            }
            OAuthError e = http.error(a);
            switch (e.error()) {
                case OAuthError.AUTHORIZATION_PENDING:
                    continue;
                case OAuthError.SLOW_DOWN:
                    Duration asked = advertised(a).orElse(interval.plusSeconds(5));
                    interval = clamp(asked.compareTo(interval) > 0 ? asked : interval.plusSeconds(5));
                    note("the server asked to poll less often: every " + human(interval));
                    continue;
                case OAuthError.ACCESS_DENIED:
                    endCountdown();
                    throw new CliException(ExitCodes.AUTH_REQUIRED, "the login was denied on the approval page; nothing was stored. "
                            + "Run `spec-kitty auth login --headless` again to retry");
                case OAuthError.EXPIRED_TOKEN:
                    endCountdown();
                    throw expired(lifetime);
                default:
                    endCountdown();
                    throw new CliException(ExitCodes.AUTH_REQUIRED, "the server refused the login (" + e.error()
                            + (e.errorDescription().isEmpty() ? "" : ": " + e.errorDescription()) + "); run `spec-kitty auth login --headless` again");
            }
        }
    }

    private static Optional<Duration> advertised(OAuthHttp.Answer a) {
        try {
            long s = Json.tree(a.body()).path("interval").asLong(0);
            return s > 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : d;
    }

    private CliException expired(Duration lifetime) {
        return new CliException(ExitCodes.AUTH_REQUIRED, "the code expired before it was approved (it lived " + human(lifetime)
                + "); run `spec-kitty auth login --headless` again for a new one");
    }

    /** Waits {@code d} (not past the deadline), showing the time left on a terminal each second. */
    private void waitFor(Duration d, Instant deadline) {
        Instant until = ctx.clock().instant().plus(d);
        if (until.isAfter(deadline)) {
            until = deadline;
        }
        try {
            while (true) {
                Instant now = ctx.clock().instant();
                if (!now.isBefore(until)) {
                    return;
                }
                if (ctx.interactive()) {
                    ctx.out().print("\rWaiting for approval… " + countdown(Duration.between(now, deadline)) + " left ");
                    ctx.out().flush();
                }
                Duration step = Duration.between(now, until);
                sleeper.sleep(step.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : step);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("interrupted while waiting for the approval; nothing was stored");
        }
    }

    private void note(String text) {
        endCountdown();
        ctx.out().println(text);
    }

    private void endCountdown() {
        if (ctx.interactive()) {
            ctx.out().print("\r\033[K");
            ctx.out().flush();
        }
    }

    static String countdown(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return (s / 60) + ":" + String.format("%02d", s % 60);
    }

    /** "15 min", "1 min 30 s", "45 s". */
    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
    }
}
