package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.testing.RawWebSocket;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.server.store.Storage;
import dev.speckitty.testing.Await;
import dev.speckitty.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket members that misbehave: one that never reads is cut off at its backlog bound (its buffer
 * dropped, the team's fan-out unharmed); echoed input is clipped; a removed account or revoked login
 * loses its open sessions within the audit period, and nothing it sends afterwards is stored.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileWebSocketTest {
    private static final int BACKLOG = 1 << 20;

    @TempDir
    Path dir;
    TeamServer server;
    ApiClient api;

    private void start(ServerOptions options) {
        server = TeamServer.start(options);
        server.users().add("ada", "team-a", "pw");
        server.users().add("eve", "team-a", "pw");
        api = new ApiClient(server.url());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RawWebSocket open(String user, int receiveBuffer) {
        String access = api.login(user, "pw").access();
        return RawWebSocket.open("127.0.0.1", server.port(), Api.WEBSOCKET, api.wsToken(access), null, receiveBuffer);
    }

    private static List<JsonNode> bigEvents(int n) {
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode e = TestEvents.fresh("team-a");
            ((ObjectNode) e.get("payload")).put("actor", "p".repeat(16_000));
            events.add(e);
        }
        return events;
    }

    @Test
    void aMemberThatNeverReadsIsCutOffAtItsBoundWhileTheOthersGetEverything() throws Exception {
        start(TestStore.loopback(dir).withLimits(ServerLimits.defaults().withMaxWsBacklog(BACKLOG)));
        try (RawWebSocket stalled = open("eve", 4096); WsClient reader = WsClient.connect(api.http(), server.url(),
                api.wsToken(api.login("ada", "pw").access()))) {
            reader.next("hello");
            Await.until(Duration.ofSeconds(10), "both sessions joined", () -> server.hub().sessions("team-a") == 2);
            String access = api.login("ada", "pw").access();
            int sent = 0;
            for (int i = 0; i < 30; i++) { // 30 x 20 x 16 KB = 9.6 MB of fan-out, far past the bound plus the kernel's buffers
                api.batch(access, bigEvents(20));
                sent += 20;
            }
            for (int i = 0; i < sent; i++) {
                assertEquals("event", reader.next("event").get("type").asText(), "the reading member gets event " + i);
            }
            long read = stalled.http().drainUntilClosed(10_000);
            assertTrue(read >= 0, "the stalled member was closed");
            assertTrue(read < 5_000_000, "closed at its bound, its backlog dropped: it could read only " + read + " bytes");
            Await.until(Duration.ofSeconds(10), "the stalled session left", () -> server.hub().sessions("team-a") == 1);
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedAtThePongDeadlineWithoutItsBacklog() {
        start(TestStore.loopback(dir).withPingInterval(Duration.ofMillis(200)).withPongTimeout(Duration.ofMillis(1000)));
        try (RawWebSocket silent = open("eve", 4096)) {
            String access = api.login("ada", "pw").access();
            int batches = 60; // 19.2 MB: far more than the kernel's buffers hold (about 6 MB here), less than them plus the backlog bound
            for (int i = 0; i < batches; i++) {
                api.batch(access, bigEvents(20));
            }
            long sent = batches * 20L * 16_000;
            // The client reads nothing until the server has dropped the session: on a fast machine the batches can
            // all be stored before the deadline, and reading earlier would take the whole backlog before it passes.
            Await.until(Duration.ofSeconds(20), "the silent session was closed at its deadline", () -> server.hub().sessions("team-a") == 0);
            long read = silent.http().drainUntilClosed(20_000);
            assertTrue(read >= 0 && read < sent / 2, "closed at the deadline, its backlog dropped, after " + read + " of " + sent + " bytes");
        }
    }

    @Test
    void errorRepliesClipWhatTheClientSent() {
        start(TestStore.loopback(dir));
        try (RawWebSocket ws = open("eve", 0)) {
            ws.readTextContaining("hello");
            ws.sendText("{\"type\":\"" + "t".repeat(30_000) + "\"}");
            RawWebSocket.Frame error = ws.readTextContaining("\"error\"");
            assertTrue(error.payload().length < 300, "clipped: " + error.payload().length + " bytes");
            ws.sendText("{\"type\":\"" + "u".repeat(30_000));
            assertTrue(ws.readTextContaining("\"error\"").payload().length < 400);
            ws.sendText("{\"type\":\"hello\"}");
            assertTrue(ws.readTextContaining("'hello'").text().contains("unexpected frame type"));
        }
    }

    @Test
    void aTextFrameThatIsNotUtf8Closes1007() {
        start(TestStore.loopback(dir));
        try (RawWebSocket ws = open("eve", 0)) {
            ws.readTextContaining("hello");
            ws.frame(RawWebSocket.Frame.TEXT, new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'});
            assertEquals(1007, ws.readUntilClose());
        }
    }

    @Test
    void aRemovedAccountLosesItsOpenSessionAndCannotStoreOnIt() {
        start(TestStore.loopback(dir).withSessionAudit(Duration.ofMillis(200)));
        String access = api.login("ada", "pw").access();
        long before = api.pull(access, "0", 1000).events().size();
        try (RawWebSocket ws = open("eve", 0); Storage other = TestStore.storage(dir)) {
            ws.readTextContaining("hello");
            other.users().remove("eve"); // what `spec-kitty-server user remove` does while `run` serves
            ws.trySendText(Json.write(Json.object().put("type", "event").setAll(TestEvents.fresh("team-a"))));
            assertEquals(1008, ws.readUntilClose());
        }
        assertEquals(before, api.pull(access, "0", 1000).events().size(), "nothing sent after the removal was stored");
    }

    @Test
    void revokingAUsersTokensEndsItsSessionsWithinTheAuditPeriod() {
        start(TestStore.loopback(dir).withSessionAudit(Duration.ofMillis(200)));
        try (RawWebSocket eve = open("eve", 0); RawWebSocket ada = open("ada", 0); Storage other = TestStore.storage(dir)) {
            eve.readTextContaining("hello");
            ada.readTextContaining("hello");
            assertEquals(1, other.tokens().revokeAll("eve"));
            assertEquals(1008, eve.readUntilClose());
            ada.sendText("{\"type\":\"ping\",\"timestamp\":7}");
            assertTrue(ada.readTextContaining("pong").text().contains("7"), "another member's session is untouched");
        }
    }

    @Test
    void anEventSentOnASessionIsStoredOnlyWhileItsLoginLives() {
        start(TestStore.loopback(dir).withSessionAudit(Duration.ofHours(1))); // only the check before storing can catch it
        try (RawWebSocket ws = open("eve", 0); Storage other = TestStore.storage(dir)) {
            ws.readTextContaining("hello");
            ObjectNode first = TestEvents.fresh("team-a");
            ws.sendText(Json.write(Json.object().put("type", "event").setAll(first)));
            assertTrue(ws.readTextContaining("\"ack\"").text().contains("success"));
            other.tokens().revokeAll("eve");
            ws.trySendText(Json.write(Json.object().put("type", "event").setAll(TestEvents.fresh("team-a"))));
            assertEquals(1008, ws.readUntilClose());
        }
        assertEquals(1, api.pull(api.login("ada", "pw").access(), "0", 1000).events().size(), "only the event sent before");
    }
}
