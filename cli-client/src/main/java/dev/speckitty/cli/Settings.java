package dev.speckitty.cli;

import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import dev.speckitty.protocol.local.SyncConfig;
import java.net.URI;
import java.util.Optional;

/** Reads {@code config.toml} and {@code credentials} for commands, turning "missing" into errors that say what to run. Stateless. */
public final class Settings {
    private Settings() {
    }

    public static SyncConfig config(CliContext ctx) {
        return ConfigFile.load(ctx.home().config());
    }

    /** The configured server URL, or a failure telling how to set it. */
    public static URI serverUrl(CliContext ctx) {
        SyncConfig config = config(ctx);
        if (config.serverUrl().isEmpty()) {
            throw CliException.failure("no server URL is configured in " + ctx.home().config()
                    + "; run `spec-kitty config set sync.server_url https://your-server.example.com`");
        }
        try {
            return config.requireServerUrl();
        } catch (IllegalArgumentException e) {
            throw CliException.failure(e.getMessage() + " (in " + ctx.home().config() + ")");
        }
    }

    public static Optional<Credentials> credentials(CliContext ctx) {
        return CredentialsStore.of(ctx.home()).read();
    }

    /**
     * The (server, team) whose pulled events and cursor are current: the team of credentials issued by
     * the configured server. Empty when either is missing or unreadable (then no inbox is current).
     */
    public static Optional<dev.speckitty.engine.store.Scope> currentScope(CliContext ctx) {
        try {
            return dev.speckitty.engine.store.Scope.current(config(ctx).serverUrl(), credentials(ctx));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The stored credentials, or an auth-required failure. */
    public static Credentials requireCredentials(CliContext ctx) {
        return credentials(ctx).orElseThrow(() -> new CliException(ExitCodes.AUTH_REQUIRED,
                "not logged in (no " + ctx.home().credentials() + "); run `spec-kitty auth login`"));
    }
}
