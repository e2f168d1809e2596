package dev.speckitty.protocol.local;

import dev.speckitty.protocol.event.Generation;
import java.net.URI;
import java.util.Optional;

/** The {@code [sync]} settings of {@code config.toml}, with defaults for every key that is absent. */
public record SyncConfig(
        Optional<String> serverUrl,
        long maxQueueSize,
        boolean websocket,
        int batchSize,
        int parkAfterRejections,
        int pollIntervalSeconds,
        Generation schema) {

    /** Settings that emit 2.x events. */
    public SyncConfig(Optional<String> serverUrl, long maxQueueSize, boolean websocket, int batchSize,
            int parkAfterRejections, int pollIntervalSeconds) {
        this(serverUrl, maxQueueSize, websocket, batchSize, parkAfterRejections, pollIntervalSeconds, Generation.V2);
    }

    public static final long DEFAULT_MAX_QUEUE_SIZE = 1_000_000L;
    public static final int MAX_BATCH_SIZE = 1000;

    /** The settings of a missing or empty file. */
    public static SyncConfig defaults() {
        return new SyncConfig(Optional.empty(), DEFAULT_MAX_QUEUE_SIZE, true, MAX_BATCH_SIZE, 3, 30);
    }

    /** The checked server URL, or an error telling the user how to set one. */
    public URI requireServerUrl() {
        return ServerUrl.parse(serverUrl.orElseThrow(() -> new IllegalStateException(
                "no server URL is configured; run `spec-kitty config set sync.server_url https://your-server.example.com`")));
    }

    public SyncConfig withServerUrl(String url) {
        return new SyncConfig(Optional.of(url), maxQueueSize, websocket, batchSize, parkAfterRejections, pollIntervalSeconds, schema);
    }

    /** These settings emitting events of {@code generation}. */
    public SyncConfig withSchema(Generation generation) {
        return new SyncConfig(serverUrl, maxQueueSize, websocket, batchSize, parkAfterRejections, pollIntervalSeconds, generation);
    }
}
