package dev.speckitty.e2e.daemon;

import static dev.speckitty.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.e2e.support.SpecKitty;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.LamportClock;
import dev.speckitty.protocol.local.SpecKittyHome;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's clock reserves values in blocks and hands them out from memory (no clock.json write per
 * enqueue). With the real daemon of the distribution (no server configured): while it holds a block,
 * a tick of another process (the CLI in-process does the same) starts above the whole block and the
 * daemon's next event goes above that; after {@code kill -9} an in-process CLI enqueue and a restarted
 * daemon's enqueue are above every Lamport value in queue.db, and no value is ever repeated.
 */
@Timeout(300)
class ClockRecoveryTest {
    @TempDir
    Path dir;

    private SpecKitty sk;

    @AfterEach
    void stop() {
        if (sk != null) {
            sk.run("daemon", "stop");
        }
    }

    private SpecKitty.Run ok(String... args) {
        SpecKitty.Run r = sk.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r);
        return r;
    }

    private void emit(String text) {
        ok("events", "emit", "HistoryAdded", "--aggregate-id", "WP01",
                "--payload", "{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\"" + text + "\"}");
    }

    /** The Lamport values in queue.db, in commit (row) order. */
    private List<Long> lamports() throws Exception {
        List<Long> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sk.home().resolve("queue.db"));
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT data FROM queue ORDER BY id")) {
            while (r.next()) {
                values.add(Json.tree(r.getString(1)).path("lamport_clock").asLong());
            }
        }
        return values;
    }

    private long clockFile() throws Exception {
        return Json.tree(Files.readString(sk.home().resolve("clock.json"))).path("value").asLong();
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private long daemonPid() {
        return Json.tree(ok("daemon", "status", "--json").out()).at("/pid").asLong();
    }

    @Test
    void noValueIsHandedOutTwiceAcrossProcessesAndAKill9() throws Exception {
        sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        ok("daemon", "start");
        long pid = daemonPid();
        Path drafts = Files.writeString(dir.resolve("drafts.ndjson"), IntStream.range(0, 300)
                .mapToObj(i -> "{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\","
                        + "\"payload\":{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\"n" + i + "\"}}")
                .collect(Collectors.joining("\n", "", "\n")));
        ok("events", "import", drafts.toString());
        emit("through the daemon");
        List<Long> before = lamports();
        assertEquals(301, before.size());
        long reserved = clockFile();
        assertTrue(reserved > max(before), "clock.json holds a reservation above the values handed out: " + reserved + " vs " + max(before));

        // Another process ticks while the daemon holds its block: the CLI's in-process clock, on the same files.
        long outside = LamportClock.of(SpecKittyHome.at(sk.home())).tick();
        assertEquals(reserved + 1, outside, "a tick outside the daemon starts above its whole block");
        emit("after the outside tick");
        long afterOutside = max(lamports());
        assertTrue(afterOutside > outside, "the daemon moves above a value another process handed out: " + afterOutside + " vs " + outside);

        long held = clockFile();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        until(Duration.ofSeconds(30), "the daemon to die", () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        assertEquals(held, clockFile(), "kill -9 leaves the reservation in clock.json");

        List<Long> beforeCli = lamports();
        emit("in-process after kill -9"); // no daemon answers: the CLI queues it itself
        List<Long> afterCli = lamports();
        assertEquals(beforeCli.size() + 1, afterCli.size());
        long cli = afterCli.get(afterCli.size() - 1);
        assertTrue(cli > max(beforeCli), "the in-process CLI's value " + cli + " is above every value in queue.db (" + max(beforeCli) + ")");
        assertTrue(cli > held, "and above the dead daemon's block (" + held + ")");

        ok("daemon", "start");
        assertTrue(daemonPid() != pid);
        emit("through the restarted daemon");
        List<Long> all = lamports();
        long restarted = all.get(all.size() - 1);
        assertTrue(restarted > max(afterCli), "the restarted daemon's value " + restarted + " is above every value in queue.db");

        assertEquals(all.size(), new HashSet<>(all).size(), "a Lamport value was handed out twice: " + all);
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i) > all.get(i - 1), "values go back in commit order at row " + i + ": " + all.get(i - 1) + " then " + all.get(i));
        }
    }
}
