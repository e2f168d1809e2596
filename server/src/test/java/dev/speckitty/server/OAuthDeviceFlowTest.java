package dev.speckitty.server;

import static dev.speckitty.server.OAuthClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.testing.MutableClock;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.MeResponse;
import dev.speckitty.protocol.wire.OAuthTokens;
import dev.speckitty.server.oauth.OAuthOptions;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The device authorization grant (RFC 8628) end to end against a real server, the approval page driven over HTTP. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OAuthDeviceFlowTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    TeamServer server;
    OAuthClient oauth;
    ApiClient api;

    @BeforeEach
    void start() {
        server = TeamServer.start(TestStore.loopback(dir).withClock(clock),
                OAuthOptions.defaults().withDeviceCodeTtl(Duration.ofSeconds(30)).withPollInterval(Duration.ofSeconds(2)));
        server.users().add("ada", "team-a", "pw-ada");
        oauth = new OAuthClient(server.url());
        api = new ApiClient(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String error(HttpResponse<String> r) {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        return Json.tree(r.body()).path("error").asText();
    }

    @Test
    void approvedOnThePageTheDeviceGetsTokensOnceAndThoseTokensWork() {
        JsonNode device = oauth.deviceCode();
        String code = device.path("device_code").asText();
        String userCode = device.path("user_code").asText();
        assertTrue(userCode.matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"), userCode);
        assertEquals(server.url() + Api.DEVICE_PAGE, device.path("verification_uri").asText());
        assertEquals(server.url() + Api.DEVICE_PAGE + "?user_code=" + userCode, device.path("verification_uri_complete").asText());
        assertEquals(30, device.path("expires_in").asInt());
        assertEquals(2, device.path("interval").asInt());

        assertEquals("authorization_pending", error(oauth.pollDevice(code)));
        // Polling again at once is too soon: slow_down, and the interval grows by 5 s.
        HttpResponse<String> fast = oauth.pollDevice(code);
        assertEquals("slow_down", error(fast));
        assertEquals(7, Json.tree(fast.body()).path("interval").asInt());
        clock.advance(Duration.ofSeconds(7));
        assertEquals("authorization_pending", error(oauth.pollDevice(code)));

        // The page: the code in lower case without its dash is the same code.
        HttpResponse<String> approved = oauth.decideDevice(userCode.toLowerCase().replace("-", ""), "ada", "pw-ada", "approve");
        assertEquals(200, approved.statusCode(), approved.body());
        assertTrue(approved.body().contains("Device approved"), approved.body());

        HttpResponse<String> granted = oauth.pollDevice(code);
        assertEquals(200, granted.statusCode(), granted.body());
        OAuthTokens tokens = Json.read(granted.body(), OAuthTokens.class);
        assertEquals("Bearer", tokens.tokenType());
        assertTrue(tokens.expiresIn() > 0 && !tokens.sessionId().isEmpty() && tokens.refreshTokenExpiresAt().endsWith("Z"));
        MeResponse me = Json.read(api.get(Api.ME, tokens.accessToken()).body(), MeResponse.class);
        assertEquals("ada", me.userId());
        api.pull(tokens.accessToken(), "0", 10);

        assertEquals("invalid_grant", error(oauth.pollDevice(code)), "a device code gives tokens once");
    }

    @Test
    void refreshRotatesSingleUseAndRevokeEndsTheLogin() {
        OAuthTokens first = login();
        HttpResponse<String> r = oauth.post(Api.OAUTH_TOKEN, params("grant_type", "refresh_token", "refresh_token", first.refreshToken(),
                "client_id", Api.OAUTH_CLIENT_ID));
        assertEquals(200, r.statusCode(), r.body());
        OAuthTokens second = Json.read(r.body(), OAuthTokens.class);
        assertNotEquals(first.refreshToken(), second.refreshToken());
        assertEquals(first.sessionId(), second.sessionId(), "one login, one session");
        // Presented again past the grace, the old refresh token revokes the whole login.
        clock.advance(Duration.ofSeconds(61));
        assertEquals("invalid_grant", error(oauth.post(Api.OAUTH_TOKEN, params("grant_type", "refresh_token", "refresh_token",
                first.refreshToken()))));
        assertEquals(401, api.get(Api.ME, second.accessToken()).statusCode());

        OAuthTokens third = login();
        HttpResponse<String> revoked = oauth.post(Api.OAUTH_REVOKE, params("token", third.refreshToken(), "token_type_hint", "refresh_token"));
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertTrue(Json.tree(revoked.body()).path("revoked").asBoolean());
        assertEquals(401, api.get(Api.ME, third.accessToken()).statusCode());
        assertEquals(200, oauth.post(Api.OAUTH_REVOKE, params("token", "unknown")).statusCode(), "RFC 7009: unknown is revoked");
    }

    private OAuthTokens login() {
        JsonNode device = oauth.deviceCode();
        assertEquals(200, oauth.decideDevice(device.path("user_code").asText(), "ada", "pw-ada", "approve").statusCode());
        HttpResponse<String> r = oauth.pollDevice(device.path("device_code").asText());
        assertEquals(200, r.statusCode(), r.body());
        return Json.read(r.body(), OAuthTokens.class);
    }

    @Test
    void deniedOnThePageThePollAnswersAccessDenied() {
        JsonNode device = oauth.deviceCode();
        HttpResponse<String> denied = oauth.decideDevice(device.path("user_code").asText(), "", "", "deny");
        assertEquals(200, denied.statusCode(), denied.body());
        assertTrue(denied.body().contains("denied"));
        assertEquals("access_denied", error(oauth.pollDevice(device.path("device_code").asText())));
        // Decided: it cannot be approved afterwards.
        HttpResponse<String> late = oauth.decideDevice(device.path("user_code").asText(), "ada", "pw-ada", "approve");
        assertEquals(400, late.statusCode());
    }

    @Test
    void anExpiredCodeAnswersExpiredTokenAndCannotBeApproved() {
        JsonNode device = oauth.deviceCode();
        clock.advance(Duration.ofSeconds(31));
        HttpResponse<String> late = oauth.decideDevice(device.path("user_code").asText(), "ada", "pw-ada", "approve");
        assertEquals(400, late.statusCode());
        assertTrue(late.body().contains("unknown, expired"), late.body());
        assertEquals("expired_token", error(oauth.pollDevice(device.path("device_code").asText())));
    }

    @Test
    void wrongCodesPasswordsAndFormsAreRefusedWithTheirReason() {
        JsonNode device = oauth.deviceCode();
        HttpResponse<String> wrongCode = oauth.decideDevice("BBBB-BBBB", "ada", "pw-ada", "approve");
        assertEquals(400, wrongCode.statusCode());
        assertTrue(wrongCode.body().contains("unknown, expired"), wrongCode.body());
        HttpResponse<String> notACode = oauth.decideDevice("hello", "ada", "pw-ada", "approve");
        assertEquals(400, notACode.statusCode());
        assertTrue(notACode.body().contains("not a code this server issued"));
        HttpResponse<String> wrongPassword = oauth.decideDevice(device.path("user_code").asText(), "ada", "nope", "approve");
        assertEquals(401, wrongPassword.statusCode());
        assertTrue(wrongPassword.body().contains("Wrong username or password"));
        // The user's input comes back escaped, never as markup.
        HttpResponse<String> markup = oauth.decideDevice("<script>x</script>", "<b>", "nope", "approve");
        assertTrue(!markup.body().contains("<script>x") && !markup.body().contains("value=\"<b>\""), markup.body());

        // No CSRF token, or one that is not the cookie's: refused before any password is checked.
        oauth.get(Api.DEVICE_PAGE);
        HttpResponse<String> noCsrf = oauth.post(Api.DEVICE_PAGE, params("user_code", device.path("user_code").asText(), "username", "ada",
                "password", "pw-ada", "action", "approve"));
        assertEquals(403, noCsrf.statusCode());
        HttpResponse<String> forged = oauth.post(Api.DEVICE_PAGE, params("csrf", "A".repeat(43), "user_code", device.path("user_code").asText(),
                "username", "ada", "password", "pw-ada", "action", "approve"));
        assertEquals(403, forged.statusCode());
        HttpResponse<String> page = oauth.get(Api.DEVICE_PAGE);
        HttpResponse<String> foreign = oauth.postRaw(Api.DEVICE_PAGE, OAuthClient.form(params("csrf", OAuthClient.csrf(page.body()),
                "user_code", device.path("user_code").asText(), "username", "ada", "password", "pw-ada", "action", "approve")),
                "application/x-www-form-urlencoded", Map.of("Origin", "https://evil.example"));
        assertEquals(403, foreign.statusCode());
        assertEquals("authorization_pending", error(oauth.pollDevice(device.path("device_code").asText())), "still undecided");

        assertEquals("invalid_grant", error(oauth.pollDevice("not-a-device-code")));
        HttpResponse<String> client = oauth.post(Api.OAUTH_DEVICE, params("client_id", "someone-else"));
        assertEquals(401, client.statusCode());
        assertEquals("invalid_client", Json.tree(client.body()).path("error").asText());
        assertEquals("unsupported_grant_type", error(oauth.post(Api.OAUTH_TOKEN, params("grant_type", "password"))));
        assertEquals("invalid_request", error(oauth.postRaw(Api.OAUTH_TOKEN, "grant_type=refresh_token&grant_type=refresh_token",
                "application/x-www-form-urlencoded", Map.of())));
        assertEquals("invalid_request", error(oauth.postRaw(Api.OAUTH_TOKEN, "{\"grant_type\":\"refresh_token\"}", "application/json",
                Map.of())));
        assertEquals("invalid_request", error(oauth.post(Api.OAUTH_TOKEN, params("grant_type", Api.DEVICE_GRANT, "client_id",
                Api.OAUTH_CLIENT_ID))));
    }

    @Test
    void thePagesCarryAStrictPolicyAndNoScript() {
        HttpResponse<String> page = oauth.get(Api.DEVICE_PAGE + "?user_code=bcdf-ghjk");
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.startsWith("default-src 'none'") && csp.contains("form-action 'self'"), csp);
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElseThrow());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        assertTrue(page.body().contains("value=\"BCDF-GHJK\""), "the code from the link is filled in");
        assertTrue(!page.body().contains("<script") && !page.body().contains("http"), "no script, nothing from elsewhere");
    }
}
