package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.MeResponse;
import dev.speckitty.protocol.wire.SyncHealth;
import dev.speckitty.protocol.wire.WsTokenGrant;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints around sync that spec-kitty 3.x calls, next to the 2.x ones, against a real server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SyncEndpointsV3Test {
    @TempDir
    Path dir;
    TeamServer server;
    ApiClient client;
    String ada;

    @BeforeEach
    void start() {
        server = TeamServer.start(TestStore.loopback(dir).withPingInterval(Duration.ofMillis(200)).withPongTimeout(Duration.ofSeconds(2)));
        server.users().add("ada", "team-a", "pw");
        server.users().add("bob", "team-b", "pw");
        client = new ApiClient(server.url());
        ada = client.login("ada", "pw").access();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String bearer, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(client.uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(b::header);
        return client.send(b.build());
    }

    @Test
    void healthAdvertisesTheLimitsInThe3xShapeWithOrWithoutAToken() {
        for (String bearer : new String[] {null, ada}) {
            HttpResponse<String> r = get(Api.SYNC_HEALTH, bearer, Map.of(Api.TEAM_HEADER, "team-a"));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode limits = Json.tree(r.body()).path("sync_ingress").path("limits");
            assertEquals(Api.MAX_BATCH_EVENTS, limits.path("max_events_per_batch").asInt());
            assertEquals(EventLimits.MAX_EVENT_BYTES, limits.path("max_event_bytes").asInt());
            long bytes = limits.path("max_decompressed_bytes_per_batch").asLong();
            assertTrue(bytes > 0 && bytes < ServerLimits.defaults().maxCompressedBody(), "fits the compressed cap: " + bytes);
            assertTrue(limits.path("retry_after_min_seconds").asInt() >= 1);
            SyncHealth health = Json.read(r.body(), SyncHealth.class);
            assertTrue(health.authMethods().contains(SyncHealth.AUTH_DEVICE_CODE), r.body());
        }
        assertEquals(401, get(Api.SYNC_HEALTH, "not-a-token", Map.of()).statusCode());
    }

    @Test
    void aTeamHeaderNamingAnotherTeamIsRefusedWithTheReasonEverywhere() {
        Map<String, String> wrong = Map.of(Api.TEAM_HEADER, "team-b");
        HttpResponse<String> pull = get(Api.EVENTS, ada, wrong);
        assertEquals(403, pull.statusCode());
        assertTrue(pull.body().contains("'team-b' is not the team of this token") && pull.body().contains("team-a"), pull.body());
        assertEquals(403, get(Api.SYNC_HEALTH, ada, wrong).statusCode());
        assertEquals(403, get(Api.ME, ada, wrong).statusCode());
        HttpResponse<String> batch = client.post(Api.EVENTS_BATCH, ada, ApiClient.gzip("{\"events\":[]}".getBytes(StandardCharsets.UTF_8)),
                Map.of("Content-Encoding", "gzip", Api.TEAM_HEADER, "team-b"));
        assertEquals(403, batch.statusCode(), batch.body());
        // The right team, an empty header and no header all pass (2.x clients send none).
        assertEquals(200, get(Api.EVENTS, ada, Map.of(Api.TEAM_HEADER, "team-a")).statusCode());
        assertEquals(200, get(Api.EVENTS, ada, Map.of(Api.TEAM_HEADER, "")).statusCode());
        assertEquals(200, get(Api.EVENTS, ada, Map.of()).statusCode());
    }

    @Test
    void meAnswersTheAccountWithItsTeamAsPrivateTeamspace() {
        HttpResponse<String> r = get(Api.ME, ada, Map.of());
        assertEquals(200, r.statusCode(), r.body());
        MeResponse me = Json.read(r.body(), MeResponse.class);
        assertEquals("ada", me.userId());
        assertFalse(me.email().isEmpty());
        assertEquals(1, me.teams().size());
        assertEquals("team-a", me.teams().get(0).id());
        assertTrue(me.teams().get(0).isPrivateTeamspace());
        assertEquals(401, get(Api.ME, null, Map.of()).statusCode());
    }

    @Test
    void wsTokenV3ChecksTheTeamAndItsSocketStartsWithASnapshotAndTakesPongsWithBuildId() throws Exception {
        HttpResponse<String> foreign = client.post(Api.WS_TOKEN_V3, ada, "{\"team_id\":\"team-b\"}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(403, foreign.statusCode());
        assertEquals("not_a_team_member", Json.tree(foreign.body()).path("error").asText());
        HttpResponse<String> r = client.post(Api.WS_TOKEN_V3, ada, "{\"team_id\":\"team-a\"}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(200, r.statusCode(), r.body());
        WsTokenGrant grant = Json.read(r.body(), WsTokenGrant.class);
        assertTrue(grant.expiresIn() > 0 && !grant.sessionId().isEmpty());
        URI url = URI.create(grant.wsUrl());
        assertEquals("ws", url.getScheme());
        assertEquals(server.port(), url.getPort());
        assertEquals(Api.WEBSOCKET, url.getPath());
        try (WsClient ws = WsClient.connectTo(client.http(), url, grant.wsToken())) {
            JsonNode first = ws.next();
            assertEquals("snapshot", first.path("type").asText(), first.toString());
            assertTrue(first.path("work_packages").isArray());
            assertEquals("hello", ws.next().path("type").asText());
            // Answer pings as 3.x does for longer than the pong timeout: the session stays open.
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                JsonNode ping = ws.next("ping");
                ws.send("{\"type\":\"pong\",\"timestamp\":" + ping.path("timestamp").asLong() + ",\"build_id\":\"0b4e9c8e-6f1f-4c55-9d0a-3f1e2b7c9a10\"}");
            }
            assertFalse(ws.isClosed(), "a pong with build_id keeps the session alive");
        }
        // A 2.x socket still starts with hello.
        try (WsClient v2 = WsClient.connect(client.http(), server.url(), client.wsToken(ada))) {
            assertEquals("hello", v2.next().path("type").asText());
        }
        assertNull(null);
    }
}
