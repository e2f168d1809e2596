package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.BatchResponse;
import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.protocol.wire.PullPage;
import dev.speckitty.protocol.wire.ResultStatus;
import dev.speckitty.testing.TestEvents;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing stored can break a reader: each event past a bound of EventLimits, or holding text that
 * cannot be stored exactly, is rejected alone with its reason while the rest of its batch is stored;
 * pull pages are bounded in bytes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventBoundsIngestTest {
    @TempDir
    Path dir;
    TeamServer server;
    ApiClient api;
    String access;

    @BeforeEach
    void start() {
        server = TeamServer.start(TestStore.loopback(dir).withLimits(ServerLimits.defaults().withMaxPullPageBytes(20_000)));
        server.users().add("ada", "team-a", "pw");
        api = new ApiClient(server.url());
        access = api.login("ada", "pw").access();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ObjectNode withTitle(String title) {
        ObjectNode e = TestEvents.fresh("team-a");
        ((ObjectNode) e.get("payload")).put("actor", title);
        return e;
    }

    @Test
    void eachEventPastABoundIsRejectedWithItsReasonAndTheRestIsStored() {
        List<JsonNode> batch = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        batch.add(TestEvents.fresh("team-a"));
        reasons.add(null);
        ObjectNode clock = TestEvents.fresh("team-a");
        clock.put("lamport_clock", (1L << 53) - 1);
        batch.add(clock);
        reasons.add("lamport_clock: 9007199254740991 (expected: 0..1000000000000000)");
        batch.add(withTitle("x".repeat(EventLimits.MAX_EVENT_BYTES)));
        reasons.add("event: 262");
        ObjectNode deep = TestEvents.fresh("team-a");
        ((ObjectNode) deep.get("payload")).set("policy_metadata", Json.tree("[".repeat(995) + "]".repeat(995)));
        batch.add(deep);
        reasons.add("event: objects and arrays nested more than 32 levels deep");
        batch.add(withTitle("a\u0000b"));
        reasons.add("payload.actor: contains U+0000 at character 1");
        ObjectNode year = TestEvents.fresh("team-a");
        year.put("timestamp", "0001-01-01T00:00:00Z");
        batch.add(year);
        reasons.add("timestamp: '0001-01-01T00:00:00Z' (expected: a year in 1970..9999)");
        ObjectNode unknown = TestEvents.fresh("team-a");
        unknown.put("timestamp", "2026-11-24T10:00:00-00:00");
        batch.add(unknown);
        reasons.add("timestamp: '2026-11-24T10:00:00-00:00' is not UTC");
        batch.add(TestEvents.fresh("team-b"));
        reasons.add("team_slug 'team-b' (expected: 'team-a', the team of your token)");
        batch.add(TestEvents.fresh("team-a"));
        reasons.add(null);

        BatchResponse r = api.batch(access, batch);
        assertEquals(batch.size(), r.results().size());
        for (int i = 0; i < batch.size(); i++) {
            EventResult result = r.results().get(i);
            if (reasons.get(i) == null) {
                assertEquals(ResultStatus.SUCCESS, result.status(), result.toString());
            } else {
                assertEquals(ResultStatus.REJECTED, result.status(), i + ": " + result);
                assertTrue(result.errorMessage().startsWith(reasons.get(i)), i + ": " + result.errorMessage());
                assertTrue(result.errorMessage().length() < 400, "clipped: " + result.errorMessage().length());
            }
        }
        PullPage page = api.pull(access, "0", 1000);
        assertEquals(List.of(batch.get(0).get("event_id").asText(), batch.get(batch.size() - 1).get("event_id").asText()),
                page.events().stream().map(e -> e.eventId()).toList());
    }

    /** A gzip batch of one event whose actor's bytes are {@code actorBytes}, raw (not JSON-escaped). */
    private static byte[] batchWithRawActor(ObjectNode good, ObjectNode carrier, byte[] actorBytes) {
        ((ObjectNode) carrier.get("payload")).put("actor", "@@ACTOR@@");
        String json = "{\"events\":[" + Json.write(carrier) + "," + Json.write(good) + "]}";
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        String marker = "@@ACTOR@@";
        int at = json.indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(utf8, 0, at);
        out.writeBytes(actorBytes);
        out.write(utf8, at + marker.length(), utf8.length - at - marker.length());
        return ApiClient.gzip(out.toByteArray());
    }

    @Test
    void textThatCannotBeStoredExactlyIsRejectedInsteadOfChanged() {
        byte[][] bad = {
                {'a', (byte) 0xC0, (byte) 0xAF, 'b'}, // overlong '/'
                {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'b'}, // an encoded surrogate
                {'a', '\\', 'u', 'd', '8', '0', '0', 'b'}}; // the escape of a lone surrogate
        for (byte[] actor : bad) {
            ObjectNode good = TestEvents.fresh("team-a");
            HttpResponse<String> r = api.batchRaw(access, batchWithRawActor(good, TestEvents.fresh("team-a"), actor));
            assertEquals(200, r.statusCode(), r.body());
            BatchResponse results = Json.read(r.body(), BatchResponse.class);
            assertEquals(ResultStatus.REJECTED, results.results().get(0).status(), r.body());
            assertTrue(results.results().get(0).errorMessage().startsWith("payload.actor: is not valid Unicode"), r.body());
            assertEquals(ResultStatus.SUCCESS, results.results().get(1).status(), "the next event is stored: " + r.body());
        }
        ObjectNode fine = TestEvents.fresh("team-a");
        HttpResponse<String> ok = api.batchRaw(access, batchWithRawActor(TestEvents.fresh("team-a"), fine,
                "é€😀".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ok.body().contains("\"success\"") && !ok.body().contains("rejected"), ok.body());
        PullPage page = api.pull(access, "0", 1000);
        assertTrue(page.events().stream().anyMatch(e -> "é€😀".equals(e.payload().path("actor").asText())), "stored exactly");
        assertTrue(page.events().stream().noneMatch(e -> e.payload().path("actor").asText().contains("?")
                || e.payload().path("actor").asText().contains("/")), "nothing changed was stored");
    }

    @Test
    void aBodyThatIsNotUtf8OutsideAStringIsA400() {
        byte[] body = ApiClient.gzip(new byte[] {'{', '"', 'e', 'v', 'e', 'n', 't', 's', '"', ':', (byte) 0xC0, (byte) 0xDB, ']', '}'});
        HttpResponse<String> r = api.batchRaw(access, body);
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    void aPullPageIsBoundedInBytesAndAlwaysCarriesOneEvent() {
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(withTitle("y".repeat(5_000))); // about 5.6 KB each
        }
        events.add(withTitle("z".repeat(30_000))); // larger than a whole page
        api.batch(access, events);
        String after = "0";
        List<Integer> sizes = new ArrayList<>();
        boolean more = true;
        while (more) {
            HttpResponse<String> r = api.get(dev.speckitty.protocol.wire.Api.EVENTS + "?after=" + after + "&limit=1000", access);
            JsonNode page = Json.tree(r.body());
            int n = page.get("events").size();
            int bytes = 0;
            for (JsonNode e : page.get("events")) {
                bytes += Json.write(e).getBytes(StandardCharsets.UTF_8).length;
            }
            assertTrue(n == 1 || bytes <= 20_000, "page of " + n + " events, " + bytes + " bytes");
            sizes.add(n);
            after = page.get("next_cursor").asText();
            more = page.get("has_more").asBoolean();
        }
        assertEquals(11, sizes.stream().mapToInt(Integer::intValue).sum(), sizes.toString());
        assertEquals(1, sizes.get(sizes.size() - 1), "the large event comes alone: " + sizes);
        assertTrue(sizes.get(0) == 3, "three 5.6 KB events fit 20,000 bytes: " + sizes);
    }
}
