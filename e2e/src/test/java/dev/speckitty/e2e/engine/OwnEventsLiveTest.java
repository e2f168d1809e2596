package dev.speckitty.e2e.engine;

import static dev.speckitty.e2e.support.InJvmDaemons.FAST;
import static dev.speckitty.e2e.support.InJvmDaemons.PASSWORD;
import static dev.speckitty.e2e.support.InJvmDaemons.SETTINGS;
import static dev.speckitty.e2e.support.InJvmDaemons.AWAIT;
import static dev.speckitty.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.daemon.Daemon;
import dev.speckitty.e2e.support.InJvmDaemons;
import dev.speckitty.e2e.support.RecordingRelay;
import dev.speckitty.engine.LocalEngine;
import dev.speckitty.protocol.control.ConnectionState;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.SyncRequest;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connected daemon and live frames: the server sends it no frame of its own events, a teammate's
 * frame that follows its own acknowledged events is taken without a pull, and a frame after a
 * position it does not hold (an event of its node id sent by another tool, which the server also
 * leaves out) triggers a pull that fills the position.
 */
@Timeout(120)
class OwnEventsLiveTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private static JsonNode draft(String note) {
        return TestEvents.noteDraft(note);
    }

    private static void emitAndSync(LocalEngine e, String note) {
        e.enqueue(new EnqueueRequest(List.of(draft(note)), null));
        if (!e.sync(new SyncRequest(false, false), u -> { }).ok()) {
            throw new AssertionError("sync of " + note + " failed");
        }
    }

    /** The pulls ada asked for, in order: "after skip" or "after all". */
    private static List<String> pulls(RecordingRelay relay) {
        List<String> afters = new ArrayList<>();
        Matcher m = Pattern.compile("GET /api/v1/events/\\?after=(\\d+)&limit=\\d+(&skip_node=[0-9a-f]+)? ").matcher(relay.sent());
        while (m.find()) {
            afters.add(m.group(1) + (m.group(2) == null ? " all" : " skip"));
        }
        return afters;
    }

    @Test
    void ownEventsSendNoFramesAndOnlyAnUnexplainedPositionMakesThePull() throws Exception {
        TeamServer server = keep(TeamServer.start(ServerOptions.loopback(dir.resolve("server"))));
        server.users().add("ada", "team-a", PASSWORD);
        server.users().add("bob", "team-a", PASSWORD);
        RecordingRelay relay = keep(RecordingRelay.to(server.url().getPort()));
        SpecKittyHome adaHome = InJvmDaemons.home(dir, "ada", URI.create(relay.url()), "ada", Duration.ofMinutes(15));
        Daemon ada = keep(Daemon.start(adaHome, FAST, SETTINGS, () -> { }));
        LocalEngine bob = keep(LocalEngine.open(InJvmDaemons.home(dir, "bob", server.url(), "bob", Duration.ofMinutes(15))));
        until(AWAIT, "ada connected", () -> ada.service().state() == ConnectionState.CONNECTED);

        // Queued without waking the service, then synced now: no drain stays scheduled to pull later.
        for (int i = 0; i < 20; i++) {
            ada.engine().enqueue(new EnqueueRequest(List.of(draft("ada " + i)), null));
        }
        ada.service().syncNow(new SyncRequest(false, false), u -> { });
        assertEquals(0, ada.engine().queueStats().depth());
        assertEquals("20", ada.engine().cursor(), "ada holds its own events");
        int quiet = pulls(relay).size(); // ada's own syncs pulled these; nothing of ada's is scheduled now
        emitAndSync(bob, "bob 1"); // 21: follows ada's held 20
        until(AWAIT, "bob's event reached ada live", () -> ada.engine().cursor().equals("21"));
        assertEquals(21, ada.engine().inboxSize());

        // Another tool sends with ada's node id: the server sends ada no frame of it, and ada does not hold it.
        SpecKittyHome twinHome = InJvmDaemons.home(dir, "twin", server.url(), "ada", Duration.ofMinutes(15));
        Files.copy(adaHome.clock(), twinHome.clock(), StandardCopyOption.REPLACE_EXISTING);
        LocalEngine twin = keep(LocalEngine.open(twinHome));
        emitAndSync(twin, "twin 1"); // 22
        emitAndSync(bob, "bob 2");   // 23: its frame follows 22, which ada cannot explain
        until(AWAIT, "the pull filled position 22", () -> ada.engine().cursor().equals("23") && ada.engine().inboxSize() == 23);
        // The frame at 21 followed ada's held 20 and needed no pull; the one at 23 did: a skipping page
        // that could not explain 22, then 22 on without skipping.
        List<String> fromBob = pulls(relay).subList(quiet, pulls(relay).size());
        assertEquals(List.of("21 skip", "21 all"), fromBob, pulls(relay).toString());
    }
}
