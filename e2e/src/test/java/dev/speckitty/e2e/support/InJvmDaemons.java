package dev.speckitty.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.speckitty.daemon.Daemon;
import dev.speckitty.daemon.sync.Backoff;
import dev.speckitty.daemon.sync.SyncService;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.local.ConfigKey;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.TokenRequest;
import dev.speckitty.protocol.wire.TokenResponse;
import dev.speckitty.testing.TestEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Daemons in the test's JVM against real team servers: a logged-in home, quick reconnects, drafts to
 * enqueue, and how long to wait on a condition. Stateless.
 */
public final class InJvmDaemons {
    public static final String PASSWORD = "pw-for-tests";
    /** Quick reconnects: the tests exercise the state machine, not the delays. */
    public static final Backoff FAST = attempt -> Duration.ofMillis(50);
    public static final SyncService.Settings SETTINGS =
            new SyncService.Settings(true, Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(3));
    /** How long a test waits for daemons and servers to reach a state ({@code Await.until(AWAIT, …)}). */
    public static final Duration AWAIT = Duration.ofSeconds(60);

    private InJvmDaemons() {
    }

    /** A home under {@code dir} configured for {@code server} and logged in as {@code user} (access token valid for {@code accessLeft}). */
    public static SpecKittyHome home(Path dir, String name, URI server, String user, Duration accessLeft) throws Exception {
        SpecKittyHome home = SpecKittyHome.at(Files.createDirectories(dir.resolve(name)));
        ConfigFile.set(home.config(), ConfigKey.SERVER_URL, server.toString());
        TokenResponse tokens = login(server, user);
        Instant now = Instant.now();
        CredentialsStore.of(home).write(new Credentials(tokens.access(), tokens.refresh(), now.plus(accessLeft),
                now.plusSeconds(tokens.refreshLifetime()), user, tokens.teamSlug(), server.toString()));
        return home;
    }

    /** {@code POST /api/v1/token/} with {@link #PASSWORD}. */
    public static TokenResponse login(URI server, String user) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.resolve(Api.TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(new TokenRequest(user, PASSWORD)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return Json.read(r.body(), TokenResponse.class);
    }

    /** Queues {@code n} HistoryAdded drafts through the daemon's engine and tells its service. */
    public static void enqueue(Daemon d, int n, String note) {
        d.engine().enqueue(new EnqueueRequest(TestEvents.noteDrafts(note, 0, n), null));
        d.service().enqueued();
    }
}
