package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.EventSamples;
import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.event.V3Samples;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.BatchResponse;
import dev.speckitty.protocol.wire.PullPage;
import dev.speckitty.protocol.wire.ResultStatus;
import dev.speckitty.protocol.wire.WsCodec;
import dev.speckitty.testing.Await;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events of both generations, written as Python's json.dumps writes them (a space after every comma
 * and colon, non-ASCII escaped) with members the validator does not know, come back byte for byte
 * from pull pages and live WebSocket frames. Runs on the store selected by -Dspeckitty.test.store.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LosslessEnvelopeTest {
    private static final Ulid IDS = Ulid.systemDefault();
    /** Spellings a re-encoding would change: a trailing zero, an exponent, escapes, an unknown nested member. */
    private static final String UNKNOWN_MEMBERS = ", \"x_future\": {\"ratio\": 2.50, \"big\": 1E3, \"note\": \"caf\\u00e9 \\/ \\ud83d\\ude00\"}";

    @TempDir
    Path dir;
    TeamServer server;
    ApiClient client;
    String ada;

    @BeforeEach
    void start() {
        server = TeamServer.start(TestStore.loopback(dir));
        server.users().add("ada", "team-a", "pw");
        client = new ApiClient(server.url());
        ada = client.login("ada", "pw").access();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyThreeTypeAndEveryTwoTypeRoundTripsThroughBatchPullAndWebSocketByteForByte() throws Exception {
        List<String> sent = new ArrayList<>();
        for (String type : V3Samples.TYPES) {
            sent.add(pythonStyle(V3Samples.event(type, "team-a", IDS.next())));
        }
        for (String type : EventSamples.REQUIRED.keySet()) {
            ObjectNode e = EventSamples.event(type);
            e.put("event_id", IDS.next());
            sent.add(pythonStyle(e));
        }
        RawFrames live = new RawFrames();
        WebSocket ws = client.http().newWebSocketBuilder()
                .header("Authorization", "Bearer " + client.wsToken(ada))
                .buildAsync(java.net.URI.create("ws://" + server.url().getHost() + ":" + server.url().getPort() + Api.WEBSOCKET), live)
                .get(10, TimeUnit.SECONDS);
        try {
            assertTrue(live.next().contains("\"hello\""));
            Await.until(java.time.Duration.ofSeconds(10), "the session joined", () -> server.hub().sessions("team-a") == 1);

            BatchResponse r = post(sent);
            assertEquals(sent.size(), r.results().size());
            r.results().forEach(x -> assertEquals(ResultStatus.SUCCESS, x.status(), x.toString()));

            for (int i = 0; i < sent.size(); i++) {
                assertEquals(WsCodec.eventFrame(String.valueOf(i + 1), sent.get(i)), live.next(), "live frame " + (i + 1));
            }
            HttpResponse<String> pull = client.get(Api.EVENTS + "?limit=1000", ada);
            assertEquals(new String(PullPage.spliced(sent, String.valueOf(sent.size()), false), StandardCharsets.UTF_8), pull.body());
        } finally {
            ws.abort();
        }

        // A second copy is a duplicate and changes nothing: the first text stays the one served.
        String altered = sent.get(0).replace(", \"x_future\"", ", \"x_other\": 1, \"x_future\"");
        assertEquals(ResultStatus.DUPLICATE, post(List.of(altered)).results().get(0).status());
        assertTrue(client.get(Api.EVENTS + "?limit=1", ada).body().contains(sent.get(0)));
    }

    @Test
    void aMemberNameGivenTwiceRefusesThatEventAloneWithTheReason() {
        String good = pythonStyle(V3Samples.event("WPAssigned", "team-a", IDS.next()));
        String id = IDS.next();
        String twice = pythonStyle(V3Samples.event("WPAssigned", "team-a", id)).replaceFirst("\\{", "{\"event_type\": \"WPCreated\", ");
        BatchResponse r = post(List.of(twice, good));
        assertEquals(ResultStatus.REJECTED, r.results().get(0).status());
        assertEquals(id, r.results().get(0).eventId());
        assertTrue(r.results().get(0).errorMessage().contains("Duplicate field 'event_type'"), r.results().get(0).errorMessage());
        assertEquals(ResultStatus.SUCCESS, r.results().get(1).status());
    }

    @Test
    void aThreeEnvelopeWithoutItsTeamIsRefusedNamingTheTeam() {
        ObjectNode e = V3Samples.event("WPAssigned", "team-a", IDS.next());
        e.putNull("team_slug");
        BatchResponse r = post(List.of(pythonStyle(e)));
        assertEquals(ResultStatus.REJECTED, r.results().get(0).status());
        assertEquals("team_slug null (expected: 'team-a', the team of your token)", r.results().get(0).errorMessage());
    }

    private BatchResponse post(List<String> events) {
        String body = "{\"events\": [" + String.join(", ", events) + "]}";
        HttpResponse<String> r = client.batchRaw(ada, ApiClient.gzip(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, r.statusCode(), r.body());
        return Json.read(r.body(), BatchResponse.class);
    }

    /** The event as Python's json.dumps(ensure_ascii=True) writes it, with {@link #UNKNOWN_MEMBERS} added. */
    static String pythonStyle(JsonNode event) {
        String text = write(event);
        return text.substring(0, text.length() - 1) + UNKNOWN_MEMBERS + "}";
    }

    private static String write(JsonNode v) {
        if (v.isObject()) {
            StringBuilder out = new StringBuilder("{");
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> m = it.next();
                out.append(ascii(Json.write(m.getKey()))).append(": ").append(write(m.getValue()));
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            return out.append('}').toString();
        }
        if (v.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < v.size(); i++) {
                out.append(i > 0 ? ", " : "").append(write(v.get(i)));
            }
            return out.append(']').toString();
        }
        return ascii(v.toString());
    }

    private static String ascii(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (char c : json.toCharArray()) {
            out.append(c < 0x80 ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }

    /** Live frames as the exact text the server sent. */
    static final class RawFrames implements WebSocket.Listener {
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String f = partial.toString();
                partial.setLength(0);
                if (!f.contains("\"type\":\"ping\"")) {
                    frames.add(f);
                }
            }
            webSocket.request(1);
            return null;
        }

        String next() throws InterruptedException {
            String f = frames.poll(10, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no WebSocket frame within 10 s");
            }
            return f;
        }
    }
}
