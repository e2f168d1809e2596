package dev.speckitty.server;

import dev.speckitty.protocol.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.BatchResponse;
import dev.speckitty.protocol.wire.ErrorResponse;
import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.protocol.wire.PullPage;
import dev.speckitty.protocol.wire.RefreshRequest;
import dev.speckitty.protocol.wire.ResultStatus;
import dev.speckitty.protocol.wire.TokenResponse;
import dev.speckitty.testing.TestEvents;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpApiTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    TeamServer server;
    ApiClient client;

    @BeforeEach
    void start() {
        server = TeamServer.start(TestStore.loopback(dir).withClock(clock).withAccessTtl(Duration.ofMinutes(10)));
        server.users().add("ada", "team-a", "pw-ada");
        server.users().add("bob", "team-b", "pw-bob");
        client = new ApiClient(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** After any refusal the server must still answer a normal request. */
    private void stillServes() {
        String access = client.login("ada", "pw-ada").access();
        assertEquals(200, client.batchRaw(access, List.of()).statusCode());
    }

    private static ErrorResponse error(HttpResponse<String> r) {
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        ErrorResponse e = Json.read(r.body(), ErrorResponse.class);
        assertTrue(e.error() != null && !e.error().isEmpty(), r.body());
        return e;
    }

    @Test
    void loginReturnsTokensAndRefusesBadCredentials() {
        TokenResponse t = client.login("ada", "pw-ada");
        assertEquals("team-a", t.teamSlug());
        assertEquals(600, t.accessLifetime());
        assertEquals(Duration.ofDays(7).toSeconds(), t.refreshLifetime());
        assertNotEquals(t.access(), t.refresh());
        HttpResponse<String> bad = client.loginRaw("ada", "hunter2-guess");
        assertEquals(401, bad.statusCode());
        assertFalse(bad.body().contains("hunter2-guess"), "the password must not be echoed");
        assertEquals(401, client.loginRaw("nobody", "x").statusCode());
        assertEquals(400, client.post(Api.TOKEN, null, "{not json".getBytes(StandardCharsets.UTF_8), Map.of()).statusCode());
        stillServes();
    }

    @Test
    void refreshRotatesAndTheOldRefreshTokenExpiresAfterAShortReuseWindow() {
        TokenResponse t = client.login("ada", "pw-ada");
        HttpResponse<String> r = client.post(Api.TOKEN_REFRESH, null, Json.writeBytes(new RefreshRequest(t.refresh())), Map.of());
        assertEquals(200, r.statusCode(), r.body());
        TokenResponse next = Json.read(r.body(), TokenResponse.class);
        assertNotEquals(t.refresh(), next.refresh());
        assertEquals("team-a", next.teamSlug());
        assertEquals(200, client.batchRaw(next.access(), List.of()).statusCode());
        // The answer may have been lost on the way: the old token works again for a short while...
        HttpResponse<String> retry = client.post(Api.TOKEN_REFRESH, null, Json.writeBytes(new RefreshRequest(t.refresh())), Map.of());
        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals(200, client.batchRaw(Json.read(retry.body(), TokenResponse.class).access(), List.of()).statusCode());
        // ...and then never again.
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> again = client.post(Api.TOKEN_REFRESH, null, Json.writeBytes(new RefreshRequest(t.refresh())), Map.of());
        assertEquals(401, again.statusCode());
        error(again);
        assertEquals(401, client.post(Api.TOKEN_REFRESH, null, Json.writeBytes(new RefreshRequest("made-up")), Map.of()).statusCode());
        // An access token is not a refresh token.
        assertEquals(401, client.post(Api.TOKEN_REFRESH, null, Json.writeBytes(new RefreshRequest(next.access())), Map.of()).statusCode());
    }

    @Test
    void expiredTokensAreRefusedWith401() {
        TokenResponse t = client.login("ada", "pw-ada");
        clock.advance(Duration.ofMinutes(11));
        HttpResponse<String> r = client.batchRaw(t.access(), List.of());
        assertEquals(401, r.statusCode());
        assertTrue(error(r).error().contains("expired"), r.body());
        assertFalse(r.body().contains(t.access()));
        assertEquals(401, client.get(Api.EVENTS, t.access()).statusCode());
        clock.advance(Duration.ofDays(31));
        assertEquals(401, client.post(Api.TOKEN_REFRESH, null, Json.writeBytes(new RefreshRequest(t.refresh())), Map.of()).statusCode());
        stillServes();
    }

    @Test
    void missingUnknownWrongKindAndRemovedUserTokens() {
        assertEquals(401, client.batchRaw(null, List.of()).statusCode());
        assertEquals(401, client.batchRaw("not-a-token", List.of()).statusCode());
        assertEquals(401, client.post(Api.WS_TOKEN, null, new byte[0], Map.of()).statusCode());
        TokenResponse t = client.login("ada", "pw-ada");
        String ws = client.wsToken(t.access());
        assertEquals(403, client.batchRaw(ws, List.of()).statusCode());
        assertEquals(403, client.batchRaw(t.refresh(), List.of()).statusCode());
        assertEquals(403, client.get(Api.EVENTS, t.refresh()).statusCode());
        server.users().remove("ada");
        HttpResponse<String> removed = client.batchRaw(t.access(), List.of());
        assertEquals(403, removed.statusCode());
        assertTrue(error(removed).error().contains("removed"));
        assertEquals(401, client.loginRaw("ada", "pw-ada").statusCode());
        server.users().add("ada", "team-a", "pw-ada");
        stillServes();
    }

    @Test
    void batchStoresEventsInOrderWithDuplicatesAndRejections() {
        String access = client.login("ada", "pw-ada").access();
        assertEquals("{\"results\":[]}", client.batchRaw(access, List.of()).body());
        List<JsonNode> events = new ArrayList<>(TestEvents.fresh("team-a", 3));
        events.add(events.get(0));
        ObjectNode invalid = TestEvents.fresh("team-a");
        invalid.put("lamport_clock", -1);
        events.add(invalid);
        events.add(TestEvents.fresh("team-b"));
        BatchResponse r = client.batch(access, events);
        assertEquals(List.of(ResultStatus.SUCCESS, ResultStatus.SUCCESS, ResultStatus.SUCCESS, ResultStatus.DUPLICATE,
                ResultStatus.REJECTED, ResultStatus.REJECTED), r.results().stream().map(EventResult::status).toList());
        assertNull(r.results().get(0).errorMessage());
        assertTrue(r.results().get(4).errorMessage().contains("lamport_clock"));
        assertTrue(r.results().get(5).errorMessage().contains("the team of your token"));
        for (int i = 0; i < events.size(); i++) {
            assertEquals(events.get(i).get("event_id").asText(), r.results().get(i).eventId());
        }
        BatchResponse again = client.batch(access, events.subList(0, 3));
        assertTrue(again.results().stream().allMatch(x -> x.status() == ResultStatus.DUPLICATE));

        PullPage page = client.pull(access, "0", 2);
        assertEquals(2, page.events().size());
        assertEquals("2", page.nextCursor());
        assertTrue(page.hasMore());
        page = client.pull(access, page.nextCursor(), 1000);
        assertEquals(List.of(events.get(2).get("event_id").asText()), page.events().stream().map(Event::eventId).toList());
        assertEquals("3", page.nextCursor());
        assertFalse(page.hasMore());
        assertEquals("3", client.pull(access, "3", 10).nextCursor());
        PullPage all = Json.read(client.get(Api.EVENTS, access).body(), PullPage.class);
        assertEquals(3, all.events().size());
    }

    @Test
    void teamsAreIsolated() {
        String ada = client.login("ada", "pw-ada").access();
        String bob = client.login("bob", "pw-bob").access();
        client.batch(ada, TestEvents.fresh("team-a", 5));
        assertEquals(0, client.pull(bob, "0", 1000).events().size());
        assertEquals("0", client.pull(bob, "0", 1000).nextCursor());
        client.batch(bob, TestEvents.fresh("team-b", 2));
        PullPage b = client.pull(bob, "0", 1000);
        assertEquals(2, b.events().size());
        assertTrue(b.events().stream().allMatch(e -> e.teamSlug().equals("team-b")));
        assertEquals("2", b.nextCursor());
        assertEquals(5, client.pull(ada, "0", 1000).events().size());
    }

    @Test
    void malformedBodiesAre400WithDetails() {
        String access = client.login("ada", "pw-ada").access();
        HttpResponse<String> plain = client.post(Api.EVENTS_BATCH, access, "{\"events\":[]}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(400, plain.statusCode());
        assertTrue(error(plain).error().contains("gzip"));
        HttpResponse<String> notGzip = client.batchRaw(access, "definitely not gzip".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, notGzip.statusCode());
        byte[] truncated = ApiClient.gzip("{\"events\":[]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, client.batchRaw(access, java.util.Arrays.copyOf(truncated, truncated.length - 6)).statusCode());
        for (String body : List.of("{\"events\": [", "[1,2]", "\"x\"", "{\"events\": {}}", "{\"other\": []}", "")) {
            HttpResponse<String> r = client.batchRaw(access, ApiClient.gzip(body.getBytes(StandardCharsets.UTF_8)));
            assertEquals(400, r.statusCode(), body);
            ErrorResponse e = error(r);
            assertEquals(1, e.details().size(), body);
            assertNull(e.details().get(0).eventId());
        }
        // An envelope that is not an object is rejected per event, not the whole batch.
        BatchResponse r = client.batch(access, List.of(Json.tree("42"), TestEvents.fresh("team-a")));
        assertEquals(ResultStatus.REJECTED, r.results().get(0).status());
        assertEquals(ResultStatus.SUCCESS, r.results().get(1).status());
        stillServes();
    }

    @Test
    void tooManyEventsAndGzipBombsAre413() {
        String access = client.login("ada", "pw-ada").access();
        HttpResponse<String> many = client.batchRaw(access, TestEvents.fresh("team-a", 1001));
        assertEquals(413, many.statusCode());
        assertTrue(error(many).error().contains("1001"));
        HttpResponse<String> bomb = client.batchRaw(access, GzipBomb.zeros(2048));
        assertEquals(413, bomb.statusCode());
        assertTrue(error(bomb).error().contains("inflates to more than"));
        stillServes();
        assertEquals(200, client.batchRaw(access, TestEvents.fresh("team-a", 1000)).statusCode());
    }

    @Test
    void pullRefusesBadCursorsAndLimits() {
        String access = client.login("ada", "pw-ada").access();
        HttpResponse<String> r = client.get(Api.EVENTS + "?limit=5000", access);
        assertEquals(400, r.statusCode());
        assertEquals("limit: 5000 (expected: 1..1000)", error(r).error());
        assertEquals("limit: 0 (expected: 1..1000)", error(client.get(Api.EVENTS + "?limit=0", access)).error());
        assertEquals("limit: x (expected: 1..1000)", error(client.get(Api.EVENTS + "?limit=x", access)).error());
        HttpResponse<String> c = client.get(Api.EVENTS + "?after=-3", access);
        assertEquals(400, c.statusCode());
        assertTrue(error(c).error().startsWith("after: cursor: '-3'"), c.body());
        assertEquals(400, client.get(Api.EVENTS + "?after=abc", access).statusCode());
        stillServes();
    }

    @Test
    void unknownPathsAndWrongMethods() {
        HttpResponse<String> r = client.get("/api/v1/nope/", null);
        assertEquals(404, r.statusCode());
        error(r);
        HttpResponse<String> m = client.get(Api.EVENTS_BATCH, null);
        assertEquals(405, m.statusCode());
        assertEquals("POST", m.headers().firstValue("allow").orElse(""));
        error(m);
        assertEquals(405, client.post(Api.EVENTS, null, new byte[0], Map.of()).statusCode());
        assertEquals(400, client.get(Api.WEBSOCKET, null).statusCode());
        stillServes();
    }

    @Test
    void compressedBodyOverTheCapIs413AndTheServerCarriesOn() {
        server.close();
        server = TeamServer.start(TestStore.loopback(dir).withLimits(ServerLimits.defaults().withMaxCompressedBody(64 * 1024)));
        client = new ApiClient(server.url());
        String access = client.login("ada", "pw-ada").access();
        byte[] big = new byte[200 * 1024];
        new java.util.Random(1).nextBytes(big);
        HttpResponse<String> r = client.batchRaw(access, big);
        assertEquals(413, r.statusCode());
        error(r);
        stillServes();
    }
}
