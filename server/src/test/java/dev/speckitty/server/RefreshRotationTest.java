package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.testing.MutableClock;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.RefreshRequest;
import dev.speckitty.protocol.wire.TokenResponse;
import dev.speckitty.server.store.TokenStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refresh tokens are single use, in families: a retry within the grace gets the same answer, never a
 * new pair; a reuse after it revokes every token descended from the login.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RefreshRotationTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    TeamServer server;
    ApiClient api;

    @BeforeEach
    void start() {
        server = TeamServer.start(TestStore.loopback(dir).withClock(clock));
        server.users().add("ada", "team-a", "pw");
        api = new ApiClient(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> refreshRaw(String refresh) {
        return api.post(Api.TOKEN_REFRESH, null, Json.writeBytes(new RefreshRequest(refresh)), Map.of());
    }

    private TokenResponse refresh(String refresh) {
        HttpResponse<String> r = refreshRaw(refresh);
        assertEquals(200, r.statusCode(), r.body());
        return Json.read(r.body(), TokenResponse.class);
    }

    @Test
    void aRetryWithinTheGraceGetsTheSameSuccessorNotANewPair() {
        TokenResponse login = api.login("ada", "pw");
        TokenResponse first = refresh(login.refresh());
        assertNotEquals(login.refresh(), first.refresh());
        clock.advance(TokenStore.REFRESH_GRACE.minusSeconds(1));
        for (int i = 0; i < 5; i++) {
            TokenResponse again = refresh(login.refresh());
            assertEquals(first.access(), again.access(), "the same access token");
            assertEquals(first.refresh(), again.refresh(), "the same refresh token");
            assertEquals("team-a", again.teamSlug());
        }
        assertEquals(200, api.batchRaw(first.access(), List.of()).statusCode(), "the successor works");
        TokenResponse next = refresh(first.refresh());
        assertNotEquals(first.refresh(), next.refresh(), "the successor rotates in turn");
    }

    @Test
    void concurrentRefreshesWithOneTokenAllGetTheSameAnswer() throws Exception {
        TokenResponse login = api.login("ada", "pw");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<TokenResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> refresh(login.refresh())));
            }
            Set<String> refreshes = new java.util.HashSet<>();
            for (Future<TokenResponse> a : answers) {
                refreshes.add(a.get(30, TimeUnit.SECONDS).refresh());
            }
            assertEquals(1, refreshes.size(), "one successor, whoever won the race: " + refreshes.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReuseAfterTheGraceRevokesTheWholeFamilyAndOnlyIt() {
        TokenResponse stolen = api.login("ada", "pw");
        TokenResponse other = api.login("ada", "pw"); // another device: another family
        TokenResponse legit = refresh(stolen.refresh());
        TokenResponse legit2 = refresh(legit.refresh());
        clock.advance(TokenStore.REFRESH_GRACE.plusSeconds(1));
        HttpResponse<String> replay = refreshRaw(stolen.refresh());
        assertEquals(401, replay.statusCode(), replay.body());
        assertTrue(replay.body().contains("already used"), replay.body());
        assertEquals(401, api.batchRaw(legit2.access(), List.of()).statusCode(), "the family's access tokens are revoked");
        assertEquals(401, refreshRaw(legit2.refresh()).statusCode(), "and its refresh token");
        assertEquals(401, refreshRaw(stolen.refresh()).statusCode(), "the replayed token stays refused");
        assertEquals(200, api.batchRaw(other.access(), List.of()).statusCode(), "another login is untouched");
        assertEquals(200, refreshRaw(other.refresh()).statusCode());
        assertEquals(200, api.loginRaw("ada", "pw").statusCode(), "logging in again works");
    }

    @Test
    void anExpiredOrUnknownRefreshTokenIs401WithoutRevokingAnything() {
        TokenResponse login = api.login("ada", "pw");
        assertEquals(401, refreshRaw("made-up").statusCode());
        assertEquals(401, refreshRaw(login.access()).statusCode(), "an access token is not a refresh token");
        assertEquals(200, api.batchRaw(login.access(), List.of()).statusCode());
        clock.advance(Duration.ofDays(8));
        assertEquals(401, refreshRaw(login.refresh()).statusCode());
        Set<Integer> codes = List.of(refreshRaw(login.refresh()), refreshRaw("x")).stream().map(HttpResponse::statusCode)
                .collect(Collectors.toSet());
        assertEquals(Set.of(401), codes);
    }
}
