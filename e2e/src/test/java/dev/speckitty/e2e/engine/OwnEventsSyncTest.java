package dev.speckitty.e2e.engine;

import static dev.speckitty.e2e.support.InJvmDaemons.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.e2e.support.InJvmDaemons;
import dev.speckitty.e2e.support.RecordingRelay;
import dev.speckitty.engine.LocalEngine;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.testing.TestEvents;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process syncs of real homes against the real team server: a home's own acknowledged events are
 * held at their cursors and never pulled back; the events of teammates between them are pulled, and
 * a position the server left out as this node's but the home does not hold (another tool sending with
 * the same node id) is pulled again without leaving anything out.
 */
@Timeout(120)
class OwnEventsSyncTest {
    @TempDir
    Path dir;
    TeamServer server;
    RecordingRelay relay;
    final List<LocalEngine> engines = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TeamServer.start(ServerOptions.loopback(dir.resolve("server")));
        server.users().add("ada", "team-a", PASSWORD);
        server.users().add("bob", "team-a", PASSWORD);
        relay = RecordingRelay.to(server.url().getPort());
    }

    @AfterEach
    void stop() throws Exception {
        for (LocalEngine e : engines) {
            e.close();
        }
        relay.close();
        server.close();
    }

    private LocalEngine engine(String name, String user, URI url) throws Exception {
        return engine(InJvmDaemons.home(dir, name, url, user, Duration.ofMinutes(15)));
    }

    private LocalEngine engine(SpecKittyHome home) {
        LocalEngine e = LocalEngine.open(home);
        engines.add(e);
        return e;
    }

    private static void emit(LocalEngine e, int n, String note) {
        e.enqueue(new EnqueueRequest(TestEvents.noteDrafts(note, 0, n), null));
    }

    private static SyncSummary sync(LocalEngine e) {
        SyncSummary s = e.sync(new SyncRequest(false, false), u -> { });
        assertTrue(s.ok(), String.valueOf(s.error()));
        return s;
    }

    private static List<String> ids(LocalEngine e) {
        return e.listEvents(new QueueStore.EventQuery(Optional.empty(), Optional.empty(), 1000)).stream().map(Event::eventId).sorted().toList();
    }

    /** The {@code after} of every pull this home's requests asked for, in order. */
    private List<String> pulls(String node) {
        List<String> afters = new ArrayList<>();
        Matcher m = Pattern.compile("GET /api/v1/events/\\?after=(\\d+)&limit=\\d+(&skip_node=" + node + ")? ").matcher(relay.sent());
        while (m.find()) {
            afters.add(m.group(1) + (m.group(2) == null ? " all" : " skip"));
        }
        return afters;
    }

    @Test
    void ownEventsAreHeldAtTheirCursorsAndOnlyTeammatesEventsArePulled() throws Exception {
        LocalEngine ada = engine("ada", "ada", URI.create(relay.url()));
        LocalEngine bob = engine("bob", "bob", server.url());
        String adaNode = ada.clockState().nodeId();

        emit(ada, 30, "ada ");
        SyncSummary first = sync(ada);
        assertEquals(30, first.pushed());
        assertEquals(0, first.pulled());
        assertEquals(30, ada.inboxSize(), "held from the acknowledgements");
        assertEquals("30", ada.cursor());
        assertEquals(List.of("30 skip"), pulls(adaNode), "the pull starts after its own events and leaves its node out");

        emit(bob, 2, "bob ");
        sync(bob);            // 31, 32
        emit(ada, 5, "ada more ");
        sync(ada);            // 33..37, then pulls 31 and 32
        emit(bob, 1, "bob again ");
        sync(bob);            // 38
        SyncSummary third = sync(ada);
        assertEquals(1, third.pulled());
        assertEquals("38", ada.cursor());
        assertEquals(38, ada.inboxSize());
        assertEquals(ids(bob), ids(ada), "both homes hold the same events");
        assertTrue(pulls(adaNode).stream().allMatch(p -> p.endsWith("skip")), pulls(adaNode).toString());
    }

    /** Ada, through the relay, with her first three events pushed and held (positions 1..3). */
    private LocalEngine adaWithThreeHeld() throws Exception {
        LocalEngine ada = engine("ada", "ada", URI.create(relay.url()));
        emit(ada, 3, "ada ");
        sync(ada);
        return ada;
    }

    /**
     * Another tool on the same machine that sends with {@code home}'s node id (the Python tool sharing
     * the home's clock.json), logged in as ada straight to the server.
     */
    private LocalEngine twinOf(LocalEngine home) throws Exception {
        SpecKittyHome twin = InJvmDaemons.home(dir, "twin", server.url(), "ada", Duration.ofMinutes(15));
        Files.copy(home.home().clock(), twin.clock(), StandardCopyOption.REPLACE_EXISTING);
        return engine(twin);
    }

    @Test
    void aPositionLeftOutAsThisNodesButNotHeldIsPulledAgainWithoutSkipping() throws Exception {
        LocalEngine ada = adaWithThreeHeld();
        String adaNode = ada.clockState().nodeId();
        LocalEngine other = twinOf(ada);
        assertEquals(adaNode, other.clockState().nodeId());
        emit(other, 2, "twin ");
        sync(other); // 4, 5: ada's node id, not held by ada

        LocalEngine bob = engine("bob", "bob", server.url());
        emit(bob, 1, "bob ");
        sync(bob); // 6

        SyncSummary s = sync(ada);
        assertEquals("6", ada.cursor());
        assertEquals(6, ada.inboxSize(), "the twin's events were pulled although they carry ada's node id");
        assertEquals(ids(bob), ids(ada));
        List<String> asked = pulls(adaNode);
        assertEquals(List.of("3 skip", "3 skip", "3 all"), asked.subList(0, 3),
                "the skipping page explained nothing at 4, so 4 on was pulled leaving nothing out: " + asked);
        assertTrue(s.pulled() >= 1);
    }

    /**
     * Once a page pulled without leaving anything out brings this node's events and none was held here,
     * the next pages leave nothing out either: a skipping page would stop at the first of them again,
     * after scanning the server's next stretch (a home that joins a server holding thousands of events of
     * its node id, e.g. the same server under another address, did one wasted scan per page).
     */
    @Test
    void afterAPageOfOwnEventsNotHeldHereTheNextPagesLeaveNothingOut() throws Exception {
        LocalEngine ada = adaWithThreeHeld();
        String adaNode = ada.clockState().nodeId();
        LocalEngine other = twinOf(ada);
        emit(other, 2_500, "twin ");
        sync(other); // 4..2503: ada's node id, not held by ada

        sync(ada);
        assertEquals("2503", ada.cursor());
        assertEquals(2_503, ada.inboxSize());
        List<String> asked = pulls(adaNode);
        assertEquals(List.of("3 skip", "3 skip", "3 all", "1003 all", "2003 all"), asked,
                "one skipping page found 4 not held; the rest came leaving nothing out");
    }
}
