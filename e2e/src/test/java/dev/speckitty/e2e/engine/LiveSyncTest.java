package dev.speckitty.e2e.engine;

import dev.speckitty.e2e.support.InJvmDaemons;
import static dev.speckitty.e2e.support.InJvmDaemons.AWAIT;
import static dev.speckitty.e2e.support.InJvmDaemons.FAST;
import static dev.speckitty.e2e.support.InJvmDaemons.PASSWORD;
import static dev.speckitty.e2e.support.InJvmDaemons.SETTINGS;
import static dev.speckitty.e2e.support.InJvmDaemons.enqueue;
import static dev.speckitty.e2e.support.InJvmDaemons.login;
import static dev.speckitty.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.speckitty.daemon.Daemon;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.daemon.sync.SyncService;
import dev.speckitty.protocol.control.ConnectionState;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.wire.TokenResponse;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        return InJvmDaemons.home(dir, name, server, user, accessLeft);
    }

    private Daemon daemon(SpecKittyHome home) {
        Daemon d = Daemon.start(home, FAST, SETTINGS, () -> { });
        open.add(d);
        return d;
    }

    /** A server with users ada and bob of one team, and a connected daemon for each. */
    private Daemon[] adaAndBobConnected() throws Exception {
        TeamServer server = server(0);
        server.users().add("ada", "team-a", PASSWORD);
        server.users().add("bob", "team-a", PASSWORD);
        Daemon ada = daemon(home("ada", server.url(), "ada", Duration.ofMinutes(15)));
        Daemon bob = daemon(home("bob", server.url(), "bob", Duration.ofMinutes(15)));
        until(AWAIT, "both connected", () -> ada.service().state() == ConnectionState.CONNECTED && bob.service().state() == ConnectionState.CONNECTED);
        return new Daemon[] {ada, bob};
    }

    /** The event ids a daemon lists, in its (Lamport) order. */
    private static List<String> order(Daemon d, int limit) {
        return d.engine().listEvents(new QueueStore.EventQuery(Optional.empty(), Optional.empty(), limit))
                .stream().map(e -> e.eventId()).toList();
    }

    @Test
    void eventsOfOneHomeReachTheOtherLiveAndInOneOrder() throws Exception {
        Daemon[] pair = adaAndBobConnected();
        Daemon ada = pair[0];
        Daemon bob = pair[1];

        enqueue(ada, 25, "from ada ");
        enqueue(bob, 25, "from bob ");

        until(AWAIT, "both queues drained and both inboxes complete", () -> ada.engine().queueStats().depth() == 0
                && bob.engine().queueStats().depth() == 0 && ada.engine().inboxSize() == 50 && bob.engine().inboxSize() == 50);
        assertEquals(order(ada, 100), order(bob, 100), "one deterministic order on both machines");
        assertEquals(ada.engine().cursor(), bob.engine().cursor());
    }

    /**
     * More live events than the daemon lets wait ({@code SyncService.MAX_PENDING_LIVE}): the rest are
     * skipped undecoded and pulled instead, so both inboxes still end complete, in one order.
     */
    @Test
    void aBurstBeyondTheLiveBoundIsPulledAndBothInboxesComplete() throws Exception {
        Daemon[] pair = adaAndBobConnected();
        Daemon ada = pair[0];
        Daemon bob = pair[1];

        int n = 3 * SyncService.MAX_PENDING_LIVE + 500;
        enqueue(ada, n, "burst ");

        // The pull stores a page's events, then its cursor: wait for both, not just the events.
        until(AWAIT, "ada drained, both inboxes complete at one cursor", () -> ada.engine().queueStats().depth() == 0
                && ada.engine().inboxSize() == n && bob.engine().inboxSize() == n
                && ada.engine().cursor().equals(bob.engine().cursor()) && ada.engine().cursor().equals(String.valueOf(n)));
        List<String> adaOrder = order(ada, n);
        assertEquals(n, adaOrder.size());
        assertEquals(adaOrder, order(bob, n), "one deterministic order on both machines");
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
        until(AWAIT, "connected without a WebSocket", () -> ada.service().state() == ConnectionState.CONNECTED);

        enqueue(ada, 10, "polled ");

        until(AWAIT, "pushed by ada's timer and pulled by bob's", () -> ada.engine().queueStats().depth() == 0 && bob.engine().inboxSize() == 10);
    }

    @Test
    void aServerRestartIsSurvivedAndTheBacklogDrainsByItself() throws Exception {
        TeamServer server = server(0);
        server.users().add("ada", "team-a", PASSWORD);
        int port = server.port();
        Daemon ada = daemon(home("ada", server.url(), "ada", Duration.ofMinutes(15)));
        until(AWAIT, "connected", () -> ada.service().state() == ConnectionState.CONNECTED);

        server.close();
        until(AWAIT, "offline", () -> ada.service().state() == ConnectionState.OFFLINE);
        enqueue(ada, 500, "offline ");
        assertEquals(500, ada.engine().queueStats().depth());

        server(port);
        until(AWAIT, "drained after the restart", () -> ada.engine().queueStats().depth() == 0);
        assertEquals(ConnectionState.CONNECTED, ada.service().state());
    }

    @Test
    void anExpiringTokenIsRefreshedAndARevokedOneAsksForLogin() throws Exception {
        TeamServer server = server(0);
        server.users().add("ada", "team-a", PASSWORD);
        SpecKittyHome home = home("ada", server.url(), "ada", Duration.ofSeconds(10)); // inside the refresh margin
        String before = Files.readString(home.credentials());
        Daemon ada = daemon(home);
        until(AWAIT, "connected", () -> ada.service().state() == ConnectionState.CONNECTED);
        assertNotEquals(before, Files.readString(home.credentials()), "the tokens were refreshed and saved");

        // Credentials the server refuses: the daemon keeps queueing and says "auth required".
        Credentials bad = CredentialsStore.of(home).read().orElseThrow();
        CredentialsStore.of(home).write(new Credentials("bogus", "bogus", Instant.now().minusSeconds(5), Instant.now().plusSeconds(3600),
                bad.username(), bad.teamSlug(), bad.serverUrl()));
        enqueue(ada, 3, "while refused ");
        until(AWAIT, "auth required", () -> ada.service().state() == ConnectionState.AUTH_REQUIRED);
        assertEquals(3, ada.engine().queueStats().depth());

        TokenResponse fresh = login(server.url(), "ada");
        CredentialsStore.of(home).write(new Credentials(fresh.access(), fresh.refresh(), Instant.now().plusSeconds(900),
                Instant.now().plusSeconds(3600), "ada", "team-a", server.url().toString()));
        until(AWAIT, "reconnected and drained after a new login", () -> ada.service().state() == ConnectionState.CONNECTED
                && ada.engine().queueStats().depth() == 0);
    }
}
