package dev.speckitty.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.e2e.support.Teammate;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, finding 1: a teammate's event whose {@code lamport_clock} is at the ceiling the server
 * accepts (10^15) must not move this machine's clock, or every event it emits afterwards is past the
 * ceiling and refused for ever. Real daemon process, real server process: the event arrives live
 * (WebSocket) and through a pull; a clock poisoned by an older version is repaired on start.
 */
@Timeout(300)
class PulledClockTest {
    private static final long MAX = EventLimits.MAX_LAMPORT_CLOCK;

    @TempDir
    Path dir;

    @Test
    void aPeersClockAtTheCeilingIsKeptButNotAdoptedAndTheSyncGoesOn() throws Exception {
        try (Rig rig = Rig.create(dir)) {
            dev.speckitty.e2e.support.ServerProcess.addUser(rig.sk.dist(), rig.data, "bob", Rig.TEAM, "bob-password");
            rig.login(rig.server.url());
            rig.ok("config", "set", "sync.poll_interval_seconds", "1");
            rig.ok("daemon", "start");
            Teammate bob = Teammate.login(rig.server.url(), "bob", "bob-password");
            Set<String> emitted = new HashSet<>();

            // Live: the daemon is connected, the event comes over the WebSocket.
            String live = Ulid.systemDefault().next();
            assertEquals(List.of("success"), bob.upload(List.of(Teammate.note(live, MAX, "bob-live", Rig.TEAM))));
            rig.awaitOrExplain(Duration.ofSeconds(60), "bob's live event in the inbox", () -> inInbox(rig, live));
            emitAndDeliver(rig, emitted, "after-live-", 5);

            // Pulled: the daemon is down when the event is stored; it pulls it on start.
            rig.ok("daemon", "stop");
            String pulled = Ulid.systemDefault().next();
            assertEquals(List.of("success"), bob.upload(List.of(Teammate.note(pulled, MAX, "bob-pulled", Rig.TEAM))));
            rig.ok("daemon", "start");
            rig.awaitOrExplain(Duration.ofSeconds(60), "bob's pulled event in the inbox", () -> inInbox(rig, pulled));
            emitAndDeliver(rig, emitted, "after-pull-", 5);

            long value = clockValue(rig);
            assertTrue(value < MAX, "the clock stayed in range: " + value);
            JsonNode status = Json.tree(rig.ok("sync", "status", "--json").out());
            JsonNode issues = status.path("inbox_issues");
            assertEquals(2, issues.path("clock_not_adopted").asLong(), status.toString());
            assertEquals(pulled, issues.at("/last_clock_not_adopted/event_id").asText(), status.toString());
            assertEquals(MAX, issues.at("/last_clock_not_adopted/lamport_clock").asLong(), status.toString());
            String text = rig.ok("sync", "status").out();
            assertTrue(text.contains("2 kept without moving the clock"), text);
            String log = Files.readString(rig.sk.home().resolve("logs/daemon.log"));
            assertTrue(log.contains(live) && log.contains(pulled) && log.contains("did not move the clock"), log);

            Rig.Tally t = rig.tally(emitted);
            assertEquals(0, t.lost(), "every event emitted after the peer's reached the server");
            assertEquals(0, t.duplicated());
            assertEquals(0, rig.parked());
            Summary.print("clock", "peer_clock=" + MAX + " live=kept pulled=kept local_clock=" + value + " emitted=" + emitted.size()
                    + " lost=" + t.lost() + " duplicated=" + t.duplicated() + " parked=0");
        }
    }

    @Test
    void aClockPoisonedByAnOlderVersionIsRepairedOnStartAndItsEventsAreSent() throws Exception {
        try (Rig rig = Rig.create(dir)) {
            rig.login(rig.server.url());
            Set<String> emitted = new HashSet<>();
            // An older version adopted 2^53 - 1 from a peer: the clock and the events it stamped since are past the ceiling.
            rig.ok("events", "import", rig.draftsFile("before.ndjson", Rig.markers("before-", 0, 3)).toString());
            emitted.addAll(Rig.markers("before-", 0, 3));
            long inRange = clockValue(rig);
            long poisoned = (1L << 53) + 2;
            Files.writeString(rig.sk.home().resolve("clock.json"), "{\n  \"value\": " + poisoned
                    + ",\n  \"node_id\": \"b805cd5cee74\",\n  \"updated_at\": \"2026-11-25T10:00:00+00:00\"\n}");
            String stale = Ulid.systemDefault().next();
            insertQueued(rig, stale, poisoned, "stamped-past-the-ceiling");
            emitted.add("stamped-past-the-ceiling");

            rig.ok("daemon", "start");
            emitAndDeliver(rig, emitted, "after-repair-", 5);
            long value = clockValue(rig);
            assertTrue(value > inRange && value < MAX, "repaired into range above what was used: " + value + " > " + inRange);
            String log = Files.readString(rig.sk.home().resolve("logs/daemon.log"));
            assertTrue(log.contains("repaired the Lamport clock") && log.contains(Long.toString(poisoned)), log);
            Rig.Tally t = rig.tally(emitted);
            assertEquals(0, t.lost(), "the events stamped past the ceiling were re-stamped and sent");
            assertEquals(0, t.duplicated());
            assertEquals(0, rig.parked());
            Summary.print("clock", "poisoned=" + poisoned + " repaired_to_at_least=" + inRange + " now=" + value
                    + " restamped=1 lost=0 duplicated=0");
        }
    }

    /** Emits {@code n} notes through the CLI and waits until the daemon has delivered them. */
    private static void emitAndDeliver(Rig rig, Set<String> emitted, String prefix, int n) throws Exception {
        List<String> markers = Rig.markers(prefix, 0, n);
        for (String m : markers) {
            rig.ok("events", "emit", "HistoryAdded", "--aggregate-id", "WP01",
                    "--payload", "{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\"" + m + "\"}");
        }
        emitted.addAll(markers);
        rig.awaitOrExplain(Duration.ofSeconds(60), "the queue to drain without parking", () -> {
            try {
                return rig.depth() == 0 && rig.tally(emitted).lost() == 0;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(0, rig.parked(), rig.diagnostics());
    }

    private static boolean inInbox(Rig rig, String eventId) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + rig.sk.home().resolve("queue.db"));
             PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM inbox WHERE event_id = ?")) {
            q.setString(1, eventId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() && r.getLong(1) == 1;
            }
        } catch (Exception e) {
            return false; // the table may not exist yet
        }
    }

    /** A row stamped past the ceiling, as an older version would have queued it. */
    private static void insertQueued(Rig rig, String eventId, long lamport, String marker) {
        String data = Teammate.note(eventId, lamport, marker, Rig.TEAM).replace(Teammate.NODE, "b805cd5cee74");
        rig.queueDirectly(eventId, data, Instant.now().getEpochSecond());
    }

    private static long clockValue(Rig rig) throws Exception {
        return Json.tree(Files.readString(rig.sk.home().resolve("clock.json"))).path("value").asLong();
    }
}
