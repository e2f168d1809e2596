package dev.speckitty.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.e2e.support.ScriptedFront;
import dev.speckitty.e2e.support.Teammate;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, finding 2 (and the pulled half of finding 1): a team history that no page of 1,000 can
 * carry (four events of 19 MB make a 72 MiB answer, over the client's 64 MiB cap), an event that
 * is too large even alone (70 MB, sent without a length), one over the 256 KiB event limit, an invalid
 * one and clocks at and past the ceiling. The real server stores none of these, so a scripted front
 * serves the pulls; uploads go through it to the real server. The daemon (a real process) must reach
 * the end of the history, keep what it can, say what it passed, and go on syncing.
 */
@Timeout(300)
class HostilePullTest {
    private static final int MB19 = 19_000_000;
    private static final int MB70 = 70_000_000;
    private static final int LAST = 12;

    @TempDir
    Path dir;

    @Test
    void theCursorReachesTheEndWhateverThePagesHold() throws Exception {
        try (Rig rig = Rig.create(dir); ScriptedFront front = ScriptedFront.start(rig.server.url())) {
            rig.login(front.url());
            rig.ok("config", "set", "sync.poll_interval_seconds", "1");
            History history = new History();
            front.pages(history::page);
            rig.ok("daemon", "start");
            rig.awaitOrExplain(Duration.ofSeconds(120), "the cursor at the end of the history",
                    () -> "12".equals(status(rig).at("/daemon/cursor").asText()));

            JsonNode issues = status(rig).path("inbox_issues");
            assertEquals(7, issues.path("skipped").asLong(), issues.toString());
            assertEquals("9", issues.at("/last_skipped/cursor").asText(), "the one too large to read is the last skipped: " + issues);
            assertTrue(issues.at("/last_skipped/reason").asText().contains("too large to read"), issues.toString());
            assertEquals(2, issues.path("clock_not_adopted").asLong(), issues.toString());
            assertEquals(history.ids.get(6), issues.at("/last_clock_not_adopted/event_id").asText());
            Set<String> inbox = inboxIds(rig);
            for (int c : new int[] {5, 6, 10, 11, 12}) {
                assertTrue(inbox.contains(history.ids.get(c)), "event at cursor " + c + " kept: " + inbox);
            }
            for (int c : new int[] {1, 2, 3, 4, 7, 8, 9}) {
                assertTrue(!inbox.contains(history.ids.get(c)), "event at cursor " + c + " skipped");
            }
            String log = Files.readString(rig.sk.home().resolve("logs/daemon.log"));
            assertTrue(log.contains("event is 18.2 MiB (expected: at most 256 KiB)"), log);
            assertTrue(log.contains("event is 300 KiB (expected: at most 256 KiB)"), log);
            assertTrue(log.contains("invalid event: payload.entry_type: 'shout' is not allowed"), log);
            List<Integer> limits = front.pullLimits();
            assertEquals(1000, limits.get(0));
            assertTrue(limits.contains(1), "shrunk down to one event: " + limits);
            String text = rig.ok("sync", "status").out();
            assertTrue(text.contains("7 skipped (last event at cursor 9"), text);

            // The sync goes on: what this machine records still reaches the team.
            Set<String> emitted = new HashSet<>(Rig.markers("after-", 0, 20));
            rig.ok("events", "import", rig.draftsFile("after.ndjson", Rig.markers("after-", 0, 20)).toString());
            SyncNow now = new SyncNow(rig.ok("sync", "now"));
            assertTrue(now.out.contains("Sync complete"), now.out);
            Rig.Tally t = rig.tally(emitted);
            assertEquals(0, t.lost());
            assertEquals(0, t.duplicated());
            long clock = Json.tree(Files.readString(rig.sk.home().resolve("clock.json"))).path("value").asLong();
            assertTrue(clock < EventLimits.MAX_LAMPORT_CLOCK, "clock " + clock);
            Summary.print("pull", "history=" + LAST + " events, 4x19MB+70MB+300KiB+invalid skipped=7 clock_not_adopted=2 kept=5"
                    + " pull_requests=" + limits.size() + " limits=" + limits + " then_emitted=20 lost=0");
        }
    }

    private static JsonNode status(Rig rig) {
        return Json.tree(rig.ok("sync", "status", "--json").out());
    }

    private static Set<String> inboxIds(Rig rig) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + rig.sk.home().resolve("queue.db"));
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT event_id FROM inbox")) {
            while (r.next()) {
                ids.add(r.getString(1));
            }
        }
        return ids;
    }

    /** The output of one `sync now`. */
    private record SyncNow(String out) {
        SyncNow(dev.speckitty.e2e.support.SpecKitty.Run run) {
            this(run.out());
        }
    }

    /**
     * A teammate's history at cursors 1..12: 1-4 have a 19 MB note, 5 a clock of 2^53-1, 6 a clock of
     * exactly 10^15, 7 a 300 KiB note, 8 an invalid entry type, 9 a 70 MB note, 10-12 plain notes.
     */
    private static final class History {
        final List<String> ids = new ArrayList<>();

        History() {
            ids.add(null);
            for (int i = 1; i <= LAST; i++) {
                ids.add(Ulid.systemDefault().next());
            }
        }

        /** Cursor c's event as parts (a filler stands for a huge content). */
        List<Object> event(int c) {
            String id = ids.get(c);
            return switch (c) {
                case 1, 2, 3, 4 -> huge(id, MB19);
                case 5 -> List.of(bytes(Teammate.note(id, (1L << 53) - 1, "clock past the ceiling", Rig.TEAM)));
                case 6 -> List.of(bytes(Teammate.note(id, EventLimits.MAX_LAMPORT_CLOCK, "clock at the ceiling", Rig.TEAM)));
                case 7 -> huge(id, 300 * 1024 - Teammate.note(id, 7, "", Rig.TEAM).length()); // 300 KiB exactly
                case 8 -> List.of(bytes(Teammate.note(id, 8, "bad", Rig.TEAM).replace("\"entry_type\":\"note\"", "\"entry_type\":\"shout\"")));
                case 9 -> huge(id, MB70);
                default -> List.of(bytes(Teammate.note(id, c, "plain " + c, Rig.TEAM)));
            };
        }

        private static List<Object> huge(String id, int contentBytes) {
            String[] around = Teammate.note(id, 7, "@@", Rig.TEAM).split("@@");
            return List.of(bytes(around[0]), new ScriptedFront.Filler((byte) 'x', contentBytes), bytes(around[1]));
        }

        ScriptedFront.Page page(long after, int limit) {
            List<Object> parts = new ArrayList<>();
            parts.add(bytes("{\"events\":["));
            long last = Math.min(LAST, after + limit);
            boolean alone70 = false;
            for (long c = after + 1; c <= last; c++) {
                if (c > after + 1) {
                    parts.add(bytes(","));
                }
                parts.addAll(event((int) c));
                alone70 = c == 9 && after == 8 && limit == 1;
            }
            long next = Math.max(after, last);
            parts.add(bytes("],\"next_cursor\":\"" + next + "\",\"has_more\":" + (next < LAST) + "}"));
            // The page of the 70 MB event alone goes without a length: the client must stop reading at its cap.
            return new ScriptedFront.Page(parts, !alone70);
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
