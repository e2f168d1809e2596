package dev.speckitty.engine;

import dev.speckitty.engine.net.ServerClient;
import dev.speckitty.engine.sync.NotConfiguredException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The client for the configured server, re-created when {@code config.toml} changes (a user may
 * run {@code config set sync.server_url} while the daemon runs). Thread-safe.
 */
public final class ServerClients implements Supplier<ServerClient> {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ConfigWatch config;
    private ConfigWatch.Reading read;
    private ServerClient client;
    private String problem;

    public ServerClients(ConfigWatch config) {
        this.config = config;
    }

    /** The client, or a {@link NotConfiguredException} saying how to configure one. */
    @Override
    public synchronized ServerClient get() {
        refresh();
        if (client == null) {
            throw new NotConfiguredException(problem);
        }
        return client;
    }

    /** The client, if a valid server URL is configured. */
    public synchronized Optional<ServerClient> current() {
        refresh();
        return Optional.ofNullable(client);
    }

    /** The configured URL, even if the last read failed. */
    public synchronized Optional<URI> url() {
        refresh();
        return client == null ? Optional.empty() : Optional.of(client.server());
    }

    private void refresh() {
        ConfigWatch.Reading now = config.current();
        if (now == read) {
            return;
        }
        read = now;
        try {
            if (now.config() == null) {
                throw now.problem();
            }
            URI url = now.config().requireServerUrl();
            if (client == null || !client.server().equals(url)) {
                client = new ServerClient(url, TIMEOUT);
            }
            problem = null;
        } catch (RuntimeException e) {
            client = null;
            problem = e.getMessage() + "; events stay queued";
        }
    }
}
