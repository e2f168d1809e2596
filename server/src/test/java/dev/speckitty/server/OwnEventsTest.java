package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.protocol.wire.ResultStatus;
import dev.speckitty.testing.TestEvents;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client is not handed its own events back: the batch answer tells each stored event's cursor, a
 * pull with {@code skip_node} leaves the node's events out and tells the cursor of each event it
 * serves, and a WebSocket session that named its node gets no frame of that node's events. A client
 * that names no node (2.x) sees every event as before. Runs on the store selected by
 * -Dspeckitty.test.store (PostgreSQL adds two instances on one database).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OwnEventsTest {
    private static final String A = "nodeaaaaaaaa";
    private static final String B = "nodebbbbbbbb";

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

    private static ObjectNode of(String node) {
        ObjectNode e = TestEvents.fresh("team-a");
        e.put("node_id", node);
        return e;
    }

    @Test
    void theBatchAnswerTellsWhereEachEventIsStored() {
        ObjectNode first = of(A);
        ObjectNode second = of(A);
        ObjectNode other = of(B);
        other.put("team_slug", "team-b");
        List<EventResult> r = client.batch(ada, List.of(first, second, first, other)).results();
        assertEquals(ResultStatus.SUCCESS, r.get(0).status());
        assertEquals("1", r.get(0).cursor());
        assertEquals("2", r.get(1).cursor());
        assertEquals(ResultStatus.DUPLICATE, r.get(2).status());
        assertEquals("1", r.get(2).cursor(), "a copy within the batch: the first stored copy's position");
        assertEquals(ResultStatus.REJECTED, r.get(3).status());
        assertNull(r.get(3).cursor());

        ObjectNode third = of(B);
        List<EventResult> again = client.batch(ada, List.of(second, third)).results();
        assertEquals(ResultStatus.DUPLICATE, again.get(0).status());
        assertEquals("2", again.get(0).cursor(), "stored by an earlier batch: that position");
        assertEquals("3", again.get(1).cursor());
        HttpResponse<String> raw = client.batchRaw(ada, List.of(of(A)));
        assertTrue(raw.body().contains("\"error_message\":null,\"cursor\":\"4\""), raw.body());
    }

    @Test
    void aPullWithSkipNodeLeavesTheNodesEventsOutAndTellsEachCursor() {
        List<JsonNode> events = List.of(of(A), of(B), of(A), of(A), of(B));
        client.batch(ada, events);

        JsonNode page = pull("?after=0&limit=1000&skip_node=" + A);
        assertEquals(List.of(events.get(1).get("event_id"), events.get(4).get("event_id")), ids(page));
        assertEquals("[\"2\",\"5\"]", page.get("cursors").toString());
        assertEquals("5", page.get("next_cursor").asText());
        assertFalse(page.get("has_more").asBoolean());

        JsonNode one = pull("?after=0&limit=1&skip_node=" + A);
        assertEquals("[\"2\"]", one.get("cursors").toString());
        assertEquals("2", one.get("next_cursor").asText());
        assertTrue(one.get("has_more").asBoolean());
        JsonNode rest = pull("?after=2&limit=1&skip_node=" + A);
        assertEquals("[\"5\"]", rest.get("cursors").toString());
        assertEquals("5", rest.get("next_cursor").asText());
        assertFalse(rest.get("has_more").asBoolean());

        JsonNode ownTail = pull("?after=2&limit=1000&skip_node=" + B);
        assertEquals("[\"3\",\"4\"]", ownTail.get("cursors").toString());
        assertEquals("5", ownTail.get("next_cursor").asText(), "position 5 is B's: examined, left out");
        assertFalse(ownTail.get("has_more").asBoolean());

        JsonNode none = pull("?after=5&limit=1000&skip_node=" + A);
        assertEquals(0, none.get("events").size());
        assertEquals("5", none.get("next_cursor").asText());

        JsonNode v2 = pull("?after=0&limit=1000");
        assertEquals(5, v2.get("events").size(), "no skip_node: every event, as a 2.x client pulls");
        assertFalse(v2.has("cursors"), "a 2.x page keeps its shape");

        HttpResponse<String> bad = client.get(Api.EVENTS + "?after=0&skip_node=no%20such", ada);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("skip_node: 'no such' (expected: a node id"), bad.body());
    }

    @Test
    void aSessionThatNamedItsNodeGetsNoFrameOfItsOwnEvents() throws Exception {
        try (WsClient own = WsClient.connectTo(client.http(), wsUri(server, A), client.wsToken(ada));
             WsClient plain = WsClient.connect(client.http(), server.url(), client.wsToken(ada))) {
            assertEquals("hello", own.next().get("type").asText());
            assertEquals("hello", plain.next().get("type").asText());
            List<JsonNode> events = List.of(of(A), of(B), of(A), of(B));
            client.batch(ada, events);
            List<String> plainCursors = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                plainCursors.add(plain.next("event").get("cursor").asText());
            }
            assertEquals(List.of("1", "2", "3", "4"), plainCursors, "a session without a node gets every event");
            assertEquals("2", own.next("event").get("cursor").asText());
            assertEquals("4", own.next("event").get("cursor").asText());
            assertNull(own.poll(300), "nothing of its own node follows");
        }
    }

    @Test
    void acrossTwoInstancesTheOtherInstancesSessionIsNotSentItsOwnEventsEither() throws Exception {
        Assumptions.assumeTrue(TestStore.postgres(), "two instances share a database on PostgreSQL only");
        try (TeamServer second = TeamServer.start(TestStore.loopback(dir))) {
            ApiClient other = new ApiClient(second.url());
            String token = other.login("ada", "pw").access();
            try (WsClient own = WsClient.connectTo(other.http(), wsUri(second, A), other.wsToken(token))) {
                assertEquals("hello", own.next().get("type").asText());
                client.batch(ada, List.of(of(A), of(A), of(B), of(A), of(B)));
                assertEquals("3", own.next("event").get("cursor").asText());
                assertEquals("5", own.next("event").get("cursor").asText());
                assertNull(own.poll(300));
            }
        }
    }

    private static URI wsUri(TeamServer s, String node) {
        return URI.create("ws://" + s.url().getHost() + ":" + s.url().getPort() + Api.WEBSOCKET + "?" + Api.WS_NODE_PARAM + "=" + node);
    }

    private JsonNode pull(String query) {
        HttpResponse<String> r = client.get(Api.EVENTS + query, ada);
        assertEquals(200, r.statusCode(), r.body());
        return Json.tree(r.body());
    }

    private static List<JsonNode> ids(JsonNode page) {
        List<JsonNode> ids = new ArrayList<>();
        page.get("events").forEach(e -> ids.add(e.get("event_id")));
        return ids;
    }
}
