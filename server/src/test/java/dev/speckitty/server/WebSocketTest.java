package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.Version;
import dev.speckitty.testing.Await;
import dev.speckitty.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebSocketTest {
    /** How long the hub may take to get there. */
    private static final Duration AWAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    TeamServer server;
    ApiClient client;
    String ada;
    String ada2;
    String bob;

    @BeforeEach
    void start() {
        server = TeamServer.start(TestStore.loopback(dir).withLimits(ServerLimits.defaults().withMaxWsFrame(8 * 1024)));
        server.users().add("ada", "team-a", "pw");
        server.users().add("cy", "team-a", "pw");
        server.users().add("bob", "team-b", "pw");
        client = new ApiClient(server.url());
        ada = client.login("ada", "pw").access();
        ada2 = client.login("cy", "pw").access();
        bob = client.login("bob", "pw").access();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WsClient connect(String access) {
        return WsClient.connect(client.http(), server.url(), client.wsToken(access));
    }

    @Test
    void helloCarriesTheTeamsLatestCursorThenEveryTeamClientGetsNewEventsInOrder() throws Exception {
        client.batch(ada, TestEvents.fresh("team-a", 2));
        try (WsClient sender = connect(ada); WsClient mate = connect(ada2); WsClient other = connect(bob)) {
            JsonNode hello = sender.next();
            assertEquals("hello", hello.get("type").asText());
            assertEquals("2", hello.get("cursor").asText());
            assertEquals(Version.current(), hello.get("server_version").asText());
            assertEquals("2", mate.next().get("cursor").asText());
            assertEquals("0", other.next().get("cursor").asText());
            Await.until(AWAIT, "two team-a sessions", () -> server.hub().sessions("team-a") == 2);

            List<com.fasterxml.jackson.databind.JsonNode> sent = TestEvents.fresh("team-a", 3);
            client.batch(ada, sent);
            for (WsClient c : List.of(sender, mate)) { // the sender gets its own events too
                for (int i = 0; i < 3; i++) {
                    JsonNode f = c.next("event");
                    assertEquals(String.valueOf(3 + i), f.get("cursor").asText());
                    assertEquals(sent.get(i).get("event_id").asText(), f.get("event").get("event_id").asText());
                }
            }
            client.batch(bob, TestEvents.fresh("team-b", 1));
            assertEquals("1", other.next("event").get("cursor").asText());
            assertNull(other.poll(200), "team-b must see only its own event");
        }
    }

    @Test
    void teamBNeverSeesTeamAEvents() throws Exception {
        try (WsClient b = connect(bob)) {
            b.next("hello");
            Await.until(AWAIT, "team-b session", () -> server.hub().sessions("team-b") == 1);
            client.batch(ada, TestEvents.fresh("team-a", 5));
            client.batch(bob, TestEvents.fresh("team-b", 1));
            JsonNode f = b.next("event");
            assertEquals("1", f.get("cursor").asText());
            assertEquals("team-b", f.get("event").get("team_slug").asText());
            assertNull(b.poll(200));
        }
    }

    @Test
    void handshakeNeedsALiveSingleUseWsToken() {
        assertEquals(401, WsClient.refusal(client.http(), server.url(), null));
        assertEquals(401, WsClient.refusal(client.http(), server.url(), "made-up"));
        assertEquals(401, WsClient.refusal(client.http(), server.url(), ada)); // an access token is not a ws token
        String ws = client.wsToken(ada);
        try (WsClient c = WsClient.connect(client.http(), server.url(), ws)) {
            c.next("hello");
        }
        assertEquals(401, WsClient.refusal(client.http(), server.url(), ws));
        assertEquals(200, client.batchRaw(ada, List.of()).statusCode());
    }

    @Test
    void pingsAreAnsweredEventsAreAckedAndBadFramesGetAnError() {
        try (WsClient c = connect(ada); WsClient mate = connect(ada2)) {
            c.next("hello");
            mate.next("hello");
            Await.until(AWAIT, "two sessions", () -> server.hub().sessions("team-a") == 2);
            c.send("{\"type\":\"ping\",\"timestamp\":1234}");
            assertEquals(1234, c.next("pong").get("timestamp").asLong());

            c.send("not json");
            assertTrue(c.next("error").get("message").asText().contains("cannot read frame"));
            c.send("{\"type\":\"hello\"}");
            assertTrue(c.next("error").get("message").asText().contains("unexpected frame type"));

            ObjectNode event = TestEvents.fresh("team-a");
            ObjectNode frame = event.deepCopy();
            frame.put("type", "event");
            c.send(frame.toString());
            JsonNode ack = c.next("ack");
            assertEquals(event.get("event_id").asText(), ack.get("event_id").asText());
            assertEquals("success", ack.get("status").asText());
            assertEquals(event.get("event_id").asText(), mate.next("event").get("event").get("event_id").asText());
            c.send(frame.toString());
            assertEquals("duplicate", c.next("ack").get("status").asText());
            frame.put("team_slug", "team-b");
            c.send(frame.toString());
            JsonNode rejected = c.next("ack");
            assertEquals("rejected", rejected.get("status").asText());
            assertTrue(rejected.get("error_message").asText().contains("the team of your token"));
            assertEquals(1, client.pull(ada, "0", 10).events().size());
        }
    }

    @Test
    void anOversizedFrameClosesWith1009AndTheServerCarriesOn() {
        try (WsClient c = connect(ada)) {
            c.next("hello");
            c.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(20_000) + "\"}");
            assertEquals(1009, c.closeCode());
        }
        try (WsClient c = connect(ada)) {
            c.next("hello");
        }
    }

    @Test
    void aSilentClientIsPingedThenClosed() {
        server.close();
        server = TeamServer.start(TestStore.loopback(dir).withPingInterval(Duration.ofMillis(100))
                .withPongTimeout(Duration.ofMillis(400)));
        client = new ApiClient(server.url());
        String access = client.login("ada", "pw").access();
        try (WsClient c = WsClient.connect(client.http(), server.url(), client.wsToken(access))) {
            c.next("hello");
            assertTrue(c.next("ping").has("timestamp"));
            assertEquals(1008, c.closeCode());
        }
        // A client that answers stays connected past the timeout.
        try (WsClient c = WsClient.connect(client.http(), server.url(), client.wsToken(access))) {
            c.next("hello");
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
            while (System.nanoTime() < until) {
                JsonNode ping = c.next("ping");
                c.send("{\"type\":\"pong\",\"timestamp\":" + ping.get("timestamp").asLong() + "}");
            }
            assertTrue(!c.isClosed());
        }
    }
}
