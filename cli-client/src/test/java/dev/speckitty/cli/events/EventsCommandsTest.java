package dev.speckitty.cli.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.testing.Cli;
import dev.speckitty.testing.FakeDaemon;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.ErrorDetail;
import dev.speckitty.protocol.wire.ErrorResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class EventsCommandsTest {
    static final String ID = "01KAT0V6J8Q5R9S1T2V3W4X5Y6";
    static final String WP_PAYLOAD = "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}";

    @TempDir
    Path home;

    @Test
    void emitSendsADraftWithTheDefaultAggregateTypeAndTheWorkingDirectory() throws Exception {
        Cli cli = new Cli(home);
        try (FakeDaemon d = new FakeDaemon(cli.home().socket())
                .json("POST", ControlApi.EVENTS, 200, new EnqueueResponse(1, List.of(ID), 7))) {
            Cli.Result r = cli.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP_PAYLOAD);
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertEquals("Queued WPStatusChanged " + ID + " for WP01 (7 in the queue)\n", r.out());
            JsonNode sent = Json.tree(d.requests().get(0).body());
            assertEquals(home.toString(), sent.at("/cwd").asText());
            JsonNode draft = sent.at("/events/0");
            assertEquals("WPStatusChanged", draft.at("/event_type").asText());
            assertEquals("WP01", draft.at("/aggregate_id").asText());
            assertEquals("WorkPackage", draft.at("/aggregate_type").asText());
            assertEquals(Json.tree(WP_PAYLOAD), draft.at("/payload"));

            Cli.Result json = cli.run("events", "emit", "FeatureCreated", "--aggregate-id", "001-x", "--aggregate-type", "Feature",
                    "--payload", "{\"feature_slug\":\"001-x\",\"feature_number\":\"001\",\"target_branch\":\"main\",\"wp_count\":0}", "--json");
            assertEquals(ExitCodes.OK, json.exit(), json.toString());
            assertEquals(new EnqueueResponse(1, List.of(ID), 7), Json.read(json.out(), EnqueueResponse.class));
        }
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() throws Exception {
        Cli cli = new Cli(home);
        try (FakeDaemon d = new FakeDaemon(cli.home().socket())) {
            Cli.Result unknown = cli.run("events", "emit", "WPExploded", "--aggregate-id", "WP01", "--payload", "{}");
            assertEquals(ExitCodes.USAGE, unknown.exit(), unknown.toString());
            assertTrue(unknown.err().contains("unknown event type 'WPExploded'") && unknown.err().contains("WPStatusChanged"), unknown.err());

            Cli.Result badJson = cli.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", "{wp_id:");
            assertEquals(ExitCodes.USAGE, badJson.exit(), badJson.toString());
            assertTrue(badJson.err().contains("--payload is not valid JSON"), badJson.err());

            Cli.Result invalid = cli.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01",
                    "--payload", "{\"wp_id\":\"WP1\",\"from_lane\":\"planned\",\"to_lane\":\"flying\"}");
            assertEquals(ExitCodes.USAGE, invalid.exit(), invalid.toString());
            assertTrue(invalid.err().contains("  payload.wp_id: ") && invalid.err().contains("  payload.to_lane: "), invalid.err());
            assertTrue(invalid.err().contains("nothing was queued"), invalid.err());

            Cli.Result badAggregateType = cli.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01",
                    "--aggregate-type", "Planet", "--payload", WP_PAYLOAD);
            assertEquals(ExitCodes.USAGE, badAggregateType.exit(), badAggregateType.toString());

            Cli.Result missing = cli.run("events", "emit", "WPStatusChanged", "--payload", WP_PAYLOAD);
            assertEquals(ExitCodes.USAGE, missing.exit(), missing.toString());
            assertTrue(missing.err().contains("--aggregate-id"), missing.err());
            assertEquals(List.of(), d.requests(), "nothing reached the daemon");
        }
    }

    @Test
    void queueFullAndDaemonRefusalsHaveTheirExitCodes() throws Exception {
        Cli cli = new Cli(home);
        try (FakeDaemon d = new FakeDaemon(cli.home().socket())
                .json("POST", ControlApi.EVENTS, 507,
                ErrorResponse.of(new dev.speckitty.engine.store.QueueFullException(1_000_000, 1_000_000, 1).getMessage()))) {
            Cli.Result full = cli.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP_PAYLOAD);
            assertEquals(ExitCodes.QUEUE_FULL, full.exit(), full.toString());
            assertTrue(full.err().contains("nothing was queued") && full.err().contains("spec-kitty sync now"), full.err());
        }
        try (FakeDaemon d = new FakeDaemon(cli.home().socket()).json("POST", ControlApi.EVENTS, 400,
                new ErrorResponse("invalid events", List.of(new ErrorDetail(null, "events[0].team_slug: bad"))))) {
            Cli.Result refused = cli.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP_PAYLOAD);
            assertEquals(ExitCodes.USAGE, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("invalid events\n  events[0].team_slug: bad"), refused.err());
        }
        try (FakeDaemon d = new FakeDaemon(cli.home().socket()).json("POST", ControlApi.EVENTS, 413, new ErrorResponse("HTTP 413", List.of()))) {
            Cli.Result large = cli.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP_PAYLOAD);
            assertEquals(ExitCodes.FAILURE, large.exit(), large.toString());
            assertTrue(large.err().contains("larger than the daemon takes (32 MiB); nothing was queued"), large.err());
        }
        String bound = "nothing was queued: more than 10,000 events in one request (expected: at most 10,000; "
                + "`spec-kitty events import` sends a file in parts of 5,000)";
        try (FakeDaemon d = new FakeDaemon(cli.home().socket()).json("POST", ControlApi.EVENTS, 413, new ErrorResponse(bound, List.of()))) {
            Cli.Result many = cli.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP_PAYLOAD);
            assertEquals(ExitCodes.FAILURE, many.exit(), many.toString());
            assertTrue(many.err().contains(bound), "the daemon's bound, as it named it: " + many.err());
        }
    }

    @Test
    void importChecksEveryLineFirstAndListsProblemsWithLineNumbers() throws Exception {
        Cli cli = new Cli(home);
        Path file = home.resolve("events.ndjson");
        Files.writeString(file, "{\"event_type\":\"WPStatusChanged\",\"aggregate_id\":\"WP01\",\"payload\":" + WP_PAYLOAD + "}\n"
                + "\n"
                + "{not json\n"
                + "{\"event_type\":\"Nope\",\"aggregate_id\":\"WP01\",\"payload\":{}}\n"
                + "{\"event_id\":\"" + ID + "\",\"event_type\":\"WPStatusChanged\"}\n");
        try (FakeDaemon d = new FakeDaemon(cli.home().socket())) {
            Cli.Result r = cli.run("events", "import", file.toString());
            assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
            assertTrue(r.err().contains("nothing was queued"), r.err());
            assertTrue(r.err().contains("  line 3: not valid JSON"), r.err());
            assertTrue(r.err().contains("  line 4: event_type: unknown event type \"Nope\""), r.err());
            assertTrue(r.err().contains("  line 5: aggregate_id: is required"), r.err());
            assertEquals(List.of(), d.requests());
        }
    }

    @Test
    void importSendsAllEventsInOneRequestFromAFileOrStdin() throws Exception {
        Cli cli = new Cli(home);
        StringBuilder ndjson = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            ndjson.append("{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP0").append(i)
                    .append("\",\"payload\":{\"wp_id\":\"WP0").append(i).append("\",\"entry_type\":\"note\",\"entry_content\":\"n\"}}\n");
        }
        Files.writeString(home.resolve("in.ndjson"), ndjson);
        try (FakeDaemon d = new FakeDaemon(cli.home().socket())
                .json("POST", ControlApi.EVENTS, 200, new EnqueueResponse(3, List.of("a", "b", "c"), 3))) {
            Cli.Result r = cli.run("events", "import", "in.ndjson");
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertEquals("Imported 3 events from in.ndjson (3 in the queue)\n", r.out());
            assertEquals(3, Json.tree(d.requests().get(0).body()).at("/events").size());

            Cli.Result stdin = cli.runWithInput(ndjson.toString(), "events", "import", "-");
            assertEquals("Imported 3 events from stdin (3 in the queue)\n", stdin.out());
            assertEquals(2, d.requests().size(), "one request per import");
        }
        Cli.Result missing = cli.run("events", "import", "nope.ndjson");
        assertEquals(ExitCodes.FAILURE, missing.exit());
        assertTrue(missing.err().contains("no such file: nope.ndjson"), missing.err());
    }

    private static String notes(int count) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < count; i++) {
            ndjson.append("{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\",\"payload\":{\"wp_id\":\"WP01\",\"entry_type\":\"note\",")
                    .append("\"entry_content\":\"note ").append(i).append("\"}}\r\n");
        }
        return ndjson.toString();
    }

    @Test
    void aLargeImportGoesToTheDaemonInPartsOfAtMost5000() throws Exception {
        Cli cli = new Cli(home);
        Files.writeString(home.resolve("big.ndjson"), notes(12_001));
        try (FakeDaemon d = new FakeDaemon(cli.home().socket())
                .json("POST", ControlApi.EVENTS, 200, new EnqueueResponse(2, List.of("a", "b"), 7))) {
            Cli.Result r = cli.run("events", "import", "big.ndjson");
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertEquals(List.of(5000, 5000, 2001), d.requests().stream().map(q -> Json.tree(q.body()).at("/events").size()).toList());
            assertEquals("Imported 6 events from big.ndjson (7 in the queue)\n", r.out(), "the parts' answers, added up");
            assertEquals("note 12000", Json.tree(d.requests().get(2).body()).at("/events/2000/payload/entry_content").asText());
        }
    }

    @Test
    void aFileThatChangesBetweenThePassesStopsTheImportAndSaysWhatStaysQueued() throws Exception {
        Cli cli = new Cli(home);
        Path big = home.resolve("big.ndjson");
        String lines = notes(12_000);
        Files.writeString(big, lines);
        // The daemon takes the first part; meanwhile line 7000 is overwritten (the lines before keep their bytes).
        int at = lines.indexOf("\"note 6999\"");
        int lineStart = lines.lastIndexOf('\n', at) + 1;
        String changed = lines.substring(0, lineStart) + "{not json\r\n" + lines.substring(lines.indexOf('\n', at) + 1);
        try (FakeDaemon d = new FakeDaemon(cli.home().socket()).on("POST", ControlApi.EVENTS, q -> {
            try {
                Files.writeString(big, changed);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return FakeDaemon.response(200, "application/json", Json.writeBytes(new EnqueueResponse(5000, List.of(), 5000)),
                    dev.speckitty.protocol.Version.current());
        })) {
            Cli.Result r = cli.run("events", "import", "big.ndjson");
            assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
            // The next part is read while the daemon takes this one, so the first line found changed is line 7000 or one
            // after it, depending on how far that read had gone when the file changed.
            java.util.regex.Matcher line = java.util.regex.Pattern.compile("big.ndjson changed while it was imported \\(line (\\d+) no longer reads as it did\\)").matcher(r.err());
            assertTrue(line.find() && Integer.parseInt(line.group(1)) >= 7000, r.err());
            // The second part may have been read, from the file as it was, before the change: then it was sent too.
            int sent = d.requests().size();
            assertTrue(sent == 1 || sent == 2, "nothing read after the change was sent: " + sent + " requests");
            assertTrue(r.err().contains(sent * 5000 + " events of this import, from the parts before, were queued and stay queued"), r.err());
        }
    }

    @Test
    void withoutADaemonALargeImportIsOneTransactionAllQueuedOrNone() throws Exception {
        Cli cli = new Cli(home);
        Files.writeString(home.resolve("big.ndjson"), notes(12_000));
        Cli.Result r = cli.runWithInput(notes(12_000), "events", "import", "-");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertEquals("Imported 12000 events from stdin (12000 in the queue; daemon not running)\n", r.out());
        // A cap the next import would pass: none of its 12,000 is queued, though its first parts fit.
        Files.writeString(cli.home().config(), "[sync]\nmax_queue_size = 20000\n");
        Cli.Result full = cli.run("events", "import", "big.ndjson");
        assertEquals(ExitCodes.QUEUE_FULL, full.exit(), full.toString());
        assertTrue(full.err().contains("nothing was queued"), full.err());
        Cli.Result json = cli.run("sync", "status", "--json");
        assertEquals(12_000, Json.tree(json.out()).at("/queue/depth").asLong(), json.out());
    }

    @Test
    void withoutADaemonOnePassListsEveryProblemAndRollsBackThePartsReadBeforeThem() throws Exception {
        Cli cli = new Cli(home);
        // A socket file nobody listens on (a daemon that died): the import runs in this process.
        Files.createDirectories(cli.home().socket().getParent());
        Files.writeString(cli.home().socket(), "");
        String good = notes(12_000);
        Files.writeString(home.resolve("late.ndjson"), good + "{not json\n" + good
                + "{\"event_type\":\"Nope\",\"aggregate_id\":\"WP01\",\"payload\":{}}\n");
        Cli.Result r = cli.run("events", "import", "late.ndjson");
        assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
        assertTrue(r.err().contains("nothing was queued; 2 problems in late.ndjson:"), r.err());
        assertTrue(r.err().contains("  line 12001: not valid JSON"), r.err());
        assertTrue(r.err().contains("  line 24002: event_type: unknown event type \"Nope\""), r.err());
        Cli.Result list = cli.run("events", "list", "--json");
        assertEquals("[]", list.out().trim(), "the two parts read before the bad line are rolled back");

        Files.writeString(home.resolve("blank.ndjson"), "\n  \n");
        Cli.Result blank = cli.run("events", "import", "blank.ndjson");
        assertEquals(ExitCodes.OK, blank.exit(), blank.toString());
        assertEquals("No events in blank.ndjson; nothing to queue\n", blank.out());
    }

    @Test
    void aPartThatCannotBeBuiltRollsBackThePartsBeforeIt() throws Exception {
        Cli cli = new Cli(home); // no daemon: one transaction, the parts built beside the inserts
        Files.writeString(home.resolve("big.ndjson"), notes(12_000));
        // Room on the clock for the first part (5,000 values) but not for the second.
        Files.writeString(cli.home().clock(), "{\"value\": " + (1_000_000_000_000_000L - 7_000) + ", \"node_id\": \"b805cd5cee74\"}");
        Cli.Result r = cli.run("events", "import", "big.ndjson");
        assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
        assertTrue(r.err().contains("nothing was queued"), r.err());
        Cli.Result list = cli.run("events", "list", "--json");
        assertEquals("[]", list.out().trim(), "the first part, inserted before the second failed, is rolled back");
    }

    @Test
    void aClockAtTheCeilingRefusesTheEventInsteadOfQueuingOneTheServerRefuses() throws Exception {
        Cli cli = new Cli(home); // no daemon: the event is stamped in this process
        Files.writeString(cli.home().clock(), "{\"value\": 1000000000000000, \"node_id\": \"b805cd5cee74\"}");
        Cli.Result r = cli.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01",
                "--payload", "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}");
        assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
        assertTrue(r.err().startsWith("error: the Lamport clock in " + cli.home().clock() + " is at 1000000000000000: 1 more event(s)"
                + " would pass 1000000000000000"), r.err());
        assertTrue(r.err().contains("nothing was queued"), r.err());
        Cli.Result list = cli.run("events", "list", "--json");
        assertEquals("[]", list.out().trim(), "nothing was queued");
        // Past the ceiling (an older version's doing): the daemon repairs that, so starting it is the advice.
        Files.writeString(cli.home().clock(), "{\"value\": 9007199254740994, \"node_id\": \"b805cd5cee74\"}");
        Cli.Result past = cli.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01",
                "--payload", "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}");
        assertEquals(ExitCodes.FAILURE, past.exit(), past.toString());
        assertTrue(past.err().contains("is at 9007199254740994, past 1000000000000000") && past.err().contains("Start the daemon"), past.err());
    }

    @Test
    void listRejectsAnUnknownTypeAsUsage() {
        Cli.Result r = new Cli(home).run("events", "list", "--type", "Nope");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
    }
}
