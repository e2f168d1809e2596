package dev.speckitty.e2e.cluster;

import dev.speckitty.e2e.support.InJvmDaemons;
import dev.speckitty.e2e.support.RecordingRelay;
import static dev.speckitty.e2e.support.InJvmDaemons.AWAIT;
import static dev.speckitty.e2e.support.InJvmDaemons.FAST;
import static dev.speckitty.e2e.support.InJvmDaemons.PASSWORD;
import static dev.speckitty.e2e.support.InJvmDaemons.SETTINGS;
import static dev.speckitty.e2e.support.InJvmDaemons.enqueue;
import static dev.speckitty.e2e.support.InJvmDaemons.login;
import static dev.speckitty.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.speckitty.daemon.Daemon;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.protocol.control.ConnectionState;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.PullPage;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server instances on one PostgreSQL database, a daemon on each: events produced on both sides
 * reach both inboxes once, in one order, and a daemon whose instance stops moves to the other one
 * and resumes from its cursor. Skipped when {@code SPEC_KITTY_TEST_PG_URL} is unset.
 */
@Timeout(120)
class ClusterSyncTest {

    @TempDir
    Path dir;

    private ClusterDatabase db;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void database() throws Exception {
        Assumptions.assumeTrue(ClusterDatabase.available(), ClusterDatabase.URL_ENV + " is not set: skipping the multi-instance "
                + "tests. Run .ci/setup-postgres.sh and export the variable from .ci/postgres.env");
        db = ClusterDatabase.create();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (db != null) {
            db.close();
        }
    }

    private TeamServer instance(String name) {
        TeamServer server = TeamServer.start(ServerOptions.loopback(dir.resolve(name)).withDatabaseUrl(db.url()));
        open.add(server);
        return server;
    }

    private SpecKittyHome home(String name, URI server, String user) throws Exception {
        return InJvmDaemons.home(dir, name, server, user, Duration.ofMinutes(15));
    }

    /** Every event id of the team, in cursor order, as one instance serves them. */
    private static List<String> pullAll(URI server, String access) throws Exception {
        List<String> ids = new ArrayList<>();
        String after = "0";
        while (true) {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    server.resolve(Api.EVENTS + "?after=" + after + "&limit=1000")).header("Authorization", "Bearer " + access).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            PullPage page = Json.read(r.body(), PullPage.class);
            page.events().forEach(e -> ids.add(e.eventId()));
            after = page.nextCursor();
            if (!page.hasMore()) {
                return ids;
            }
        }
    }

    private Daemon daemon(SpecKittyHome home) {
        Daemon d = Daemon.start(home, FAST, SETTINGS, () -> { });
        open.add(d);
        return d;
    }

    private static List<String> inbox(Daemon d) {
        return d.engine().listEvents(new QueueStore.EventQuery(Optional.empty(), Optional.empty(), 10_000))
                .stream().map(Event::eventId).toList();
    }

    @Test
    void producersOnBothInstancesReachEveryInboxOnceInOneOrder() throws Exception {
        TeamServer a = instance("a");
        TeamServer b = instance("b");
        a.users().add("ada", "team-a", PASSWORD);
        b.users().add("bob", "team-a", PASSWORD); // either instance sees the other's accounts
        Daemon ada = daemon(home("ada", a.url(), "ada"));
        Daemon bob = daemon(home("bob", b.url(), "bob"));
        until(AWAIT, "both connected", () -> ada.service().state() == ConnectionState.CONNECTED
                && bob.service().state() == ConnectionState.CONNECTED);

        int rounds = 5;
        int perRound = 20;
        for (int r = 0; r < rounds; r++) { // interleaved, so commits of the two instances alternate
            enqueue(ada, perRound, "ada round " + r + " ");
            enqueue(bob, perRound, "bob round " + r + " ");
        }
        int total = 2 * rounds * perRound;
        until(AWAIT, "both queues drained and both inboxes complete", () -> ada.engine().queueStats().depth() == 0
                && bob.engine().queueStats().depth() == 0 && ada.engine().inboxSize() == total && bob.engine().inboxSize() == total);

        List<String> adaInbox = inbox(ada);
        List<String> bobInbox = inbox(bob);
        assertEquals(total, new HashSet<>(adaInbox).size(), "every event once in ada's inbox");
        assertEquals(adaInbox, bobInbox, "one order on both machines");
        assertEquals(String.valueOf(total), ada.engine().cursor());
        assertEquals(ada.engine().cursor(), bob.engine().cursor());

        String access = login(a.url(), "ada").access();
        List<String> fromA = pullAll(a.url(), access);
        List<String> fromB = pullAll(b.url(), access); // the same token works on both instances
        assertEquals(total, fromA.size());
        assertEquals(fromA, fromB, "both instances serve one order");
        assertEquals(new HashSet<>(fromA), new HashSet<>(adaInbox));
    }

    @Test
    void aDaemonWhoseInstanceStopsMovesToTheOtherAndResumesFromItsCursor() throws Exception {
        TeamServer a = instance("a");
        TeamServer b = instance("b");
        a.users().add("ada", "team-a", PASSWORD);
        a.users().add("bob", "team-a", PASSWORD);
        // Clients know the team's one URL (a load balancer); an instance's own URL would be another
        // server to them, with its own login and cursor (docs/CLI.md, Identity).
        RecordingRelay front = RecordingRelay.to(a.url().getPort());
        open.add(front);
        Daemon ada = daemon(home("ada", URI.create(front.url()), "ada"));
        Daemon bob = daemon(home("bob", b.url(), "bob"));
        until(AWAIT, "both connected", () -> ada.service().state() == ConnectionState.CONNECTED
                && bob.service().state() == ConnectionState.CONNECTED);
        enqueue(ada, 15, "before ");
        enqueue(bob, 15, "before ");
        until(AWAIT, "first 30 everywhere", () -> ada.engine().inboxSize() == 30 && bob.engine().inboxSize() == 30);
        String cursorBefore = ada.engine().cursor();

        a.close();
        until(AWAIT, "ada offline", () -> ada.service().state() == ConnectionState.OFFLINE);
        enqueue(ada, 25, "while moving ");
        enqueue(bob, 25, "meanwhile "); // committed through b while ada has no server
        until(AWAIT, "bob's backlog stored", () -> bob.engine().queueStats().depth() == 0);

        front.retarget(b.url().getPort());
        until(AWAIT, "ada drained through b and caught up", () -> ada.service().state() == ConnectionState.CONNECTED
                && ada.engine().queueStats().depth() == 0 && ada.engine().inboxSize() == 80 && bob.engine().inboxSize() == 80);
        assertEquals("30", cursorBefore);
        assertEquals("80", ada.engine().cursor());
        assertEquals(inbox(ada), inbox(bob), "one order after the move");
        assertEquals(80, new HashSet<>(inbox(ada)).size(), "no event lost or doubled");
    }
}
