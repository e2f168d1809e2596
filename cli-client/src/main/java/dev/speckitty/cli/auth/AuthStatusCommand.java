package dev.speckitty.cli.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.Settings;
import dev.speckitty.cli.output.Durations;
import dev.speckitty.cli.output.KeyValues;
import dev.speckitty.engine.LocalEngine;
import dev.speckitty.engine.net.ServerCallException;
import dev.speckitty.engine.net.ServerClient;
import dev.speckitty.engine.sync.AuthRequiredException;
import dev.speckitty.protocol.control.ConnectionState;
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
                "Show the user, team, server and token expiry of the stored session, and the running daemon's last verdict.",
                "--check asks the server whether it still takes the session (refreshing the tokens if they need it).",
                "Exits 4 when not logged in, when the refresh token has expired, when the tokens are another server's,"
                        + " or when the daemon or the server refused them (run `spec-kitty auth login`)."})
public final class AuthStatusCommand extends CliCommand {
    @Option(names = "--json", description = "Print the session as JSON (never the tokens).")
    boolean json;

    @Option(names = "--check", description = "Ask the server whether it accepts the session (a refresh if the access token needs one, then a pull of one event).")
    boolean check;

    /** {@code auth status --json}; {@code state} is {@code logged_out}, {@code valid}, {@code access_expired}, {@code expired} {@code server_mismatch} (the tokens are another server's than the configured one) or {@code refused} (the daemon's last try, or {@code --check}, was refused). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record View(String state, String user, String team, String server, String accessExpiresAt, String refreshExpiresAt, String credentialsFile,
                String daemonVerdict, String serverVerdict) {
        View(String state, String user, String team, String server, String accessExpiresAt, String refreshExpiresAt, String credentialsFile) {
            this(state, user, team, server, accessExpiresAt, refreshExpiresAt, credentialsFile, null, null);
        }
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
        // The file says what was stored; the daemon and the server say whether it still works.
        Optional<String> daemonRefusal = foreign ? Optional.empty() : daemonAuthRefusal();
        Optional<ServerVerdict> server = check && !foreign && !state.equals("expired") ? Optional.of(askServer(ctx)) : Optional.empty();
        if (server.isPresent() && server.get().refused()) {
            state = "refused";
        } else if (server.isEmpty() && daemonRefusal.isPresent()) {
            state = "refused";
        }
        if (server.isPresent() && !server.get().refused()) {
            Optional<Credentials> renewed = Settings.credentials(ctx); // --check may have refreshed them
            if (renewed.isPresent()) {
                c = renewed.get();
            }
        }
        if (json) {
            ctx.out().println(Json.write(new View(state, c.username(), c.teamSlug(), c.serverUrl(),
                    Timestamps.format(c.accessExpiresAt()), Timestamps.format(c.refreshExpiresAt()), file,
                    daemonRefusal.orElse(null), server.map(ServerVerdict::text).orElse(null))));
        } else {
            KeyValues.line(ctx.out(), "User", c.username());
            KeyValues.line(ctx.out(), "Team", c.teamSlug());
            KeyValues.line(ctx.out(), "Server", c.serverUrl() + (foreign ? " (not the configured " + configured.get() + ")" : ""));
            KeyValues.line(ctx.out(), "Access", expiry(c.accessExpiresAt(), now)
                    + (state.equals("access_expired") ? " (renewed automatically with the refresh token)" : ""));
            KeyValues.line(ctx.out(), "Refresh", expiry(c.refreshExpiresAt(), now));
            daemonRefusal.ifPresent(r -> KeyValues.line(ctx.out(), "Daemon", "Auth required: " + r));
            server.ifPresent(v -> KeyValues.line(ctx.out(), "Server says", v.text()));
            KeyValues.line(ctx.out(), "Session", switch (state) {
                case "valid" -> "Valid";
                case "access_expired" -> "Valid (access token will be refreshed)";
                case "server_mismatch" -> "Not for the configured server: " + c.notIssuedByMessage(configured.get());
                case "refused" -> "Refused: run `spec-kitty auth login`";
                default -> "Expired: run `spec-kitty auth login`";
            });
        }
        if (server.isPresent() && server.get().unreachable()) {
            return ExitCodes.UNREACHABLE;
        }
        return state.equals("expired") || state.equals("server_mismatch") || state.equals("refused") ? ExitCodes.AUTH_REQUIRED : ExitCodes.OK;
    }

    /** What the server said to {@code --check}. */
    record ServerVerdict(String text, boolean refused, boolean unreachable) {
    }

    /**
     * The running daemon's last auth verdict when it is "auth required" (a refused refresh, a removed
     * user…); empty when no daemon runs or it has no auth problem.
     */
    private Optional<String> daemonAuthRefusal() {
        return daemon().statusIfAnswering().filter(status -> status.connection() == ConnectionState.AUTH_REQUIRED)
                .map(status -> status.lastError() == null ? "the daemon's last try was refused" : status.lastError());
    }

    /** Asks the server: a valid access token (refreshed first when it needs it, as a sync would), then a pull of one event. */
    private static ServerVerdict askServer(CliContext ctx) {
        try (LocalEngine engine = LocalEngine.open(ctx.home())) {
            ServerClient server = engine.servers().get();
            engine.tokens().withAccess(access -> server.pull(access, "0", 1));
            return new ServerVerdict("Accepted by " + server.server(), false, false);
        } catch (AuthRequiredException e) {
            return new ServerVerdict("Refused: " + e.getMessage(), true, false);
        } catch (ServerCallException e) {
            if (e.refusedCredentials()) {
                return new ServerVerdict("Refused: " + e.getMessage(), true, false);
            }
            return new ServerVerdict("Not checked: " + e.getMessage(), false, e.kind() == ServerCallException.Kind.UNREACHABLE);
        } catch (RuntimeException e) {
            return new ServerVerdict("Not checked: " + e.getMessage(), false, false);
        }
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
