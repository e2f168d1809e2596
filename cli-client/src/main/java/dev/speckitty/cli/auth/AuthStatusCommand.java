package dev.speckitty.cli.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.Settings;
import dev.speckitty.cli.output.Durations;
import dev.speckitty.cli.output.KeyValues;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.ServerUrl;
import dev.speckitty.protocol.local.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spec-kitty auth status}: who is logged in where, and until when the tokens are valid. Never prints a token. */
@Command(name = "status",
        description = {
                "Show the user, team, server and token expiry of the stored session.",
                "Exits 4 when not logged in or when the refresh token has expired (run `spec-kitty auth login`)."})
public final class AuthStatusCommand extends CliCommand {
    @Option(names = "--json", description = "Print the session as JSON (never the tokens).")
    boolean json;

    /** {@code auth status --json}; {@code state} is {@code logged_out}, {@code valid}, {@code access_expired}, {@code expired} or {@code server_mismatch} (the tokens are another server's than the configured one). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record View(String state, String user, String team, String server, String accessExpiresAt, String refreshExpiresAt, String credentialsFile) {
    }

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        Optional<Credentials> stored = Settings.credentials(ctx);
        Instant now = ctx.clock().instant();
        String file = ctx.home().credentials().toString();
        if (stored.isEmpty()) {
            if (json) {
                ctx.out().println(Json.write(new View("logged_out", null, null, null, null, null, file)));
            } else {
                ctx.out().println("Not logged in (no " + file + ")");
                ctx.out().println("Run `spec-kitty auth login` to authenticate with your team server.");
            }
            return ExitCodes.AUTH_REQUIRED;
        }
        Credentials c = stored.get();
        Optional<String> configured = configuredServer(ctx);
        boolean foreign = configured.isPresent() && !c.issuedBy(configured.get());
        String state = foreign ? "server_mismatch"
                : !c.refreshValidAt(now) ? "expired" : c.accessValidAt(now, 0) ? "valid" : "access_expired";
        if (json) {
            ctx.out().println(Json.write(new View(state, c.username(), c.teamSlug(), c.serverUrl(),
                    Timestamps.format(c.accessExpiresAt()), Timestamps.format(c.refreshExpiresAt()), file)));
        } else {
            KeyValues.line(ctx.out(), "User", c.username());
            KeyValues.line(ctx.out(), "Team", c.teamSlug());
            KeyValues.line(ctx.out(), "Server", c.serverUrl() + (foreign ? " (not the configured " + configured.get() + ")" : ""));
            KeyValues.line(ctx.out(), "Access", expiry(c.accessExpiresAt(), now)
                    + (state.equals("access_expired") ? " (renewed automatically with the refresh token)" : ""));
            KeyValues.line(ctx.out(), "Refresh", expiry(c.refreshExpiresAt(), now));
            KeyValues.line(ctx.out(), "Session", switch (state) {
                case "valid" -> "Valid";
                case "access_expired" -> "Valid (access token will be refreshed)";
                case "server_mismatch" -> "Not for the configured server: " + c.notIssuedByMessage(configured.get());
                default -> "Expired: run `spec-kitty auth login`";
            });
        }
        return state.equals("expired") || state.equals("server_mismatch") ? ExitCodes.AUTH_REQUIRED : ExitCodes.OK;
    }

    /** The configured server URL when config.toml names a valid one; a missing or odd config is not this command's concern. */
    private static Optional<String> configuredServer(CliContext ctx) {
        try {
            return Settings.config(ctx).serverUrl().filter(u -> ServerUrl.normalise(u).isPresent());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String expiry(Instant at, Instant now) {
        Duration left = Duration.between(now, at);
        return (left.isNegative() ? "expired " + Durations.human(left.negated()) + " ago" : "valid for " + Durations.human(left))
                + " (" + Timestamps.format(at) + ")";
    }
}
