package dev.speckitty.e2e.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.daemon.Daemon;
import dev.speckitty.daemon.store.QueueStore;
import dev.speckitty.daemon.sync.Backoff;
import dev.speckitty.daemon.sync.SyncService;
import dev.speckitty.protocol.control.ConnectionState;
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
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Daemons in this JVM (engine, WebSocket session, control socket) against the real team server
 * on loopback, with the backoff shrunk so reconnects are quick: live fan-out between two homes,
 * reconnect after a server restart, token refresh and "auth required".
 */
@Timeout(120)
class LiveSyncTest {
    static final String PASSWORD = "pw-for-tests";
    /** Quick reconnects: the policy under test is the state machine, not the delays. */
    static final Backoff FAST = attempt -> Duration.ofMillis(50);
    static final SyncService.Settings SETTINGS = new SyncService.Settings(true, Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(3));

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private TeamServer server(int port) {
        TeamServer server = TeamServer.start(ServerOptions.loopback(dir.resolve("server")).withPort(port));
        open.add(server);
        return server;
    }

    private SpecKittyHome home(String name, URI server, String user, Duration accessLeft) throws Exception {
        SpecKittyHome home = SpecKittyHome.at(Files.createDirectories(dir.resolve(name)));
        ConfigFile.set(home.config(), ConfigKey.SERVER_URL, server.toString());
        TokenResponse tokens = login(server, user);
        Instant now = Instant.now();
        CredentialsStore.of(home).write(new Credentials(tokens.access(), tokens.refresh(), now.plus(accessLeft),
                now.plusSeconds(tokens.refreshLifetime()), user, tokens.teamSlug(), server.toString()));
        return home;
    }

    private static TokenResponse login(URI server, String user) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.resolve(Api.TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(new TokenRequest(user, PASSWORD)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return Json.read(r.body(), TokenResponse.class);
    }

    private Daemon daemon(SpecKittyHome home) {
        Daemon d = Daemon.start(home, FAST, SETTINGS, () -> { });
        open.add(d);
        return d;
    }

    private static void enqueue(Daemon d, int n, String note) {
        List<JsonNode> drafts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            drafts.add(Json.tree("{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\",\"payload\":{\"wp_id\":\"WP01\","
                    + "\"entry_type\":\"note\",\"entry_content\":\"" + note + i + "\"}}"));
        }
        d.engine().enqueue(new EnqueueRequest(drafts, null));
        d.service().enqueued();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        fail("timed out waiting for " + what);
    }

    @Test
    void eventsOfOneHomeReachTheOtherLiveAndInOneOrder() throws Exception {
        TeamServer server = server(0);
        server.users().add("ada", "team-a", PASSWORD);
        server.users().add("bob", "team-a", PASSWORD);
        Daemon ada = daemon(home("ada", server.url(), "ada", Duration.ofMinutes(15)));
        Daemon bob = daemon(home("bob", server.url(), "bob", Duration.ofMinutes(15)));
        await("both connected", () -> ada.service().state() == ConnectionState.CONNECTED && bob.service().state() == ConnectionState.CONNECTED);

        enqueue(ada, 25, "from ada ");
        enqueue(bob, 25, "from bob ");

        await("both queues drained and both inboxes complete", () -> ada.engine().queueStats().depth() == 0
                && bob.engine().queueStats().depth() == 0 && ada.engine().inboxSize() == 50 && bob.engine().inboxSize() == 50);
        List<String> adaOrder = ada.engine().listEvents(new QueueStore.EventQuery(Optional.empty(), Optional.empty(), 100))
                .stream().map(e -> e.eventId()).toList();
        List<String> bobOrder = bob.engine().listEvents(new QueueStore.EventQuery(Optional.empty(), Optional.empty(), 100))
                .stream().map(e -> e.eventId()).toList();
        assertEquals(adaOrder, bobOrder, "one deterministic order on both machines");
        assertEquals(ada.engine().cursor(), bob.engine().cursor());
    }

    @Test
    void withoutTheWebSocketPeriodicDrainsDoTheWork() throws Exception {
        TeamServer server = server(0);
        server.users().add("ada", "team-a", PASSWORD);
        server.users().add("bob", "team-a", PASSWORD);
        SyncService.Settings polling = new SyncService.Settings(false, Duration.ofMillis(300), SETTINGS.pingInterval(), SETTINGS.deadAfter());
        Daemon ada = Daemon.start(home("ada", server.url(), "ada", Duration.ofMinutes(15)), FAST, polling, () -> { });
        open.add(ada);
        Daemon bob = Daemon.start(home("bob", server.url(), "bob", Duration.ofMinutes(15)), FAST, polling, () -> { });
        open.add(bob);
        await("connected without a WebSocket", () -> ada.service().state() == ConnectionState.CONNECTED);

        enqueue(ada, 10, "polled ");

        await("pushed by ada's timer and pulled by bob's", () -> ada.engine().queueStats().depth() == 0 && bob.engine().inboxSize() == 10);
    }

    @Test
    void aServerRestartIsSurvivedAndTheBacklogDrainsByItself() throws Exception {
        TeamServer server = server(0);
        server.users().add("ada", "team-a", PASSWORD);
        int port = server.port();
        Daemon ada = daemon(home("ada", server.url(), "ada", Duration.ofMinutes(15)));
        await("connected", () -> ada.service().state() == ConnectionState.CONNECTED);

        server.close();
        await("offline", () -> ada.service().state() == ConnectionState.OFFLINE);
        enqueue(ada, 500, "offline ");
        assertEquals(500, ada.engine().queueStats().depth());

        server(port);
        await("drained after the restart", () -> ada.engine().queueStats().depth() == 0);
        assertEquals(ConnectionState.CONNECTED, ada.service().state());
    }

    @Test
    void anExpiringTokenIsRefreshedAndARevokedOneAsksForLogin() throws Exception {
        TeamServer server = server(0);
        server.users().add("ada", "team-a", PASSWORD);
        SpecKittyHome home = home("ada", server.url(), "ada", Duration.ofSeconds(10)); // inside the refresh margin
        String before = Files.readString(home.credentials());
        Daemon ada = daemon(home);
        await("connected", () -> ada.service().state() == ConnectionState.CONNECTED);
        assertNotEquals(before, Files.readString(home.credentials()), "the tokens were refreshed and saved");

        // Credentials the server refuses: the daemon keeps queueing and says "auth required".
        Credentials bad = CredentialsStore.of(home).read().orElseThrow();
        CredentialsStore.of(home).write(new Credentials("bogus", "bogus", Instant.now().minusSeconds(5), Instant.now().plusSeconds(3600),
                bad.username(), bad.teamSlug(), bad.serverUrl()));
        enqueue(ada, 3, "while refused ");
        await("auth required", () -> ada.service().state() == ConnectionState.AUTH_REQUIRED);
        assertEquals(3, ada.engine().queueStats().depth());

        TokenResponse fresh = login(server.url(), "ada");
        CredentialsStore.of(home).write(new Credentials(fresh.access(), fresh.refresh(), Instant.now().plusSeconds(900),
                Instant.now().plusSeconds(3600), "ada", "team-a", server.url().toString()));
        await("reconnected and drained after a new login", () -> ada.service().state() == ConnectionState.CONNECTED
                && ada.engine().queueStats().depth() == 0);
    }
}
