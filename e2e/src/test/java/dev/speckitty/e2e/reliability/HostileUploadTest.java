package dev.speckitty.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.e2e.support.ScriptedFront;
import dev.speckitty.e2e.support.Teammate;
import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, finding 3: a queue whose next batch is larger than the server (or a proxy before it)
 * takes must still drain. A scripted front plays a proxy with a 64 KiB body limit (413 past it, like
 * nginx's {@code client_max_body_size}) and a first answer of 503 with {@code Retry-After}; the real
 * server stores what passes. Real daemon process, real queue file: the Python tool's writers put
 * rows in directly, so an event over the 256 KiB limit can be queued.
 */
@Timeout(300)
class HostileUploadTest {
    private static final int LIMIT = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void batchesShrinkUntilTheyPassAndWhatCannotPassIsParkedWithTheReason() throws Exception {
        try (Rig rig = Rig.create(dir); ScriptedFront front = ScriptedFront.start(rig.server.url())) {
            rig.login(front.url());
            // 400 notes of about 1.4 KiB of random text each: a batch of all of them is about 330 KiB gzipped.
            List<String> contents = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                contents.add("n" + i + "-" + random(1000));
            }
            Path drafts = Files.writeString(dir.resolve("notes.ndjson"), String.join("\n", contents.stream().map(Rig::draft).toList()) + "\n");
            rig.ok("events", "import", drafts.toString());
            long first = rig.count("SELECT MIN(timestamp) FROM queue");
            // Queued by another writer, first in drain order: one over the event limit, one that no proxy limit of 64 KiB lets pass alone.
            String oversized = Ulid.systemDefault().next();
            rig.queueDirectly(oversized, event(oversized, "x".repeat(300 * 1024 - event(oversized, "").length())), first - 1); // 300 KiB
            String incompressible = Ulid.systemDefault().next();
            rig.queueDirectly(incompressible, event(incompressible, "dense-" + random(100 * 1024)), first - 1);
            front.maxBatchBody(LIMIT);
            front.busy(1, "3");

            rig.ok("daemon", "start");
            rig.awaitOrExplain(Duration.ofSeconds(120), "the queue drained", () -> rig.depth() == 0);

            Set<String> emitted = new HashSet<>(contents);
            Rig.Tally t = rig.tally(emitted);
            assertEquals(0, t.lost(), "every note that fits reached the server");
            assertEquals(0, t.duplicated());
            assertEquals(2, rig.parked(), rig.diagnostics());
            assertTrue(front.tooLarge() >= 3, "batches were refused and halved: " + front.tooLarge());
            assertEquals(0, front.refusedBodiesSentAgain(), "no batch was sent again as it was after a 413");

            JsonNode status = Json.tree(rig.ok("sync", "status", "--json").out());
            assertEquals(2, status.at("/queue/parked").asLong(), status.toString());
            String lastReason = status.at("/queue/last_parked/reason").asText();
            String text = rig.ok("sync", "status").out();
            assertTrue(text.contains("Parked        2 (the server will not take them as they are; last"), text);
            String log = Files.readString(rig.sk.home().resolve("logs/daemon.log"));
            assertTrue(log.contains("parked " + oversized + ": event is 300 KiB (expected: at most 256 KiB); the server refuses it"), log);
            assertTrue(log.contains("parked " + incompressible + ": the server refused this event as too large on its own"), log);
            assertTrue(log.contains("as too large; sending at most"), log);
            Matcher wait = Pattern.compile("the server asked to retry after 3 s; next try in (\\d+) ms").matcher(log);
            assertTrue(wait.find(), "the 503's Retry-After is logged: " + log);
            long waited = Long.parseLong(wait.group(1));
            assertTrue(waited >= 3000, "Retry-After 3 is the floor of the next try: " + waited + " ms");
            Summary.print("upload", "events=402 proxy_limit=64KiB refused_413=" + front.tooLarge() + " resent_unchanged=0 parked=2"
                    + " lost=0 duplicated=0 retry_after=3s waited_ms=" + waited + " last_parked=" + Json.write(lastReason));
        }
    }

    private static String random(int chars) {
        byte[] b = new byte[chars * 3 / 4 + 3];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).substring(0, chars);
    }

    /** A complete note of this home's node, as another writer would queue it. */
    private static String event(String id, String content) {
        return Teammate.note(id, 1, content, Rig.TEAM).replace(Teammate.NODE, "b805cd5cee74");
    }
}
