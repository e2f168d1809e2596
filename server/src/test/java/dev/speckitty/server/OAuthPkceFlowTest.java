package dev.speckitty.server;

import static dev.speckitty.server.OAuthClient.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.testing.MutableClock;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.OAuthTokens;
import dev.speckitty.server.oauth.OAuthOptions;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The authorization code grant with PKCE (RFC 7636, S256) to a loopback redirect, end to end against a real server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OAuthPkceFlowTest {
    static final String REDIRECT = "http://127.0.0.1:28888/callback";
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    TeamServer server;
    OAuthClient oauth;
    ApiClient api;

    @BeforeEach
    void start() {
        server = TeamServer.start(TestStore.loopback(dir).withClock(clock), OAuthOptions.defaults().withAuthorizationCodeTtl(Duration.ofSeconds(10)));
        server.users().add("ada", "team-a", "pw-ada");
        oauth = new OAuthClient(server.url());
        api = new ApiClient(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    static Map<String, String> request(String redirect, String method) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", Api.OAUTH_CLIENT_ID);
        p.put("redirect_uri", redirect);
        p.put("response_type", "code");
        p.put("scope", Api.OAUTH_SCOPE);
        p.put("code_challenge", challenge(VERIFIER));
        p.put("code_challenge_method", method);
        p.put("state", "st-42");
        return p;
    }

    private HttpResponse<String> authorizePage(Map<String, String> p) {
        return oauth.get(Api.OAUTH_AUTHORIZE + "?" + OAuthClient.form(p));
    }

    /** Signs in on the page; answers the redirect's Location. */
    private URI approve(String username, String password, String action) throws Exception {
        HttpResponse<String> page = authorizePage(request(REDIRECT, "S256"));
        assertEquals(200, page.statusCode(), page.body());
        Map<String, String> form = new LinkedHashMap<>(request(REDIRECT, "S256"));
        form.put("csrf", OAuthClient.csrf(page.body()));
        form.put("username", username);
        form.put("password", password);
        form.put("action", action);
        HttpResponse<String> r = oauth.post(Api.OAUTH_AUTHORIZE, form);
        assertEquals(302, r.statusCode(), r.body());
        return URI.create(r.headers().firstValue("Location").orElseThrow());
    }

    static Map<String, String> query(URI u) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : u.getRawQuery().split("&")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private HttpResponse<String> exchange(String code, String redirect, String verifier) {
        return oauth.post(Api.OAUTH_TOKEN, params("grant_type", "authorization_code", "code", code, "redirect_uri", redirect, "client_id",
                Api.OAUTH_CLIENT_ID, "code_verifier", verifier));
    }

    private static String error(HttpResponse<String> r) {
        assertEquals(400, r.statusCode(), r.body());
        return Json.tree(r.body()).path("error").asText();
    }

    @Test
    void approvedTheCodeComesBackToTheLoopbackWithTheStateAndBuysTokensOnce() throws Exception {
        HttpResponse<String> page = authorizePage(request(REDIRECT, "S256"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("form-action 'self' http://127.0.0.1:28888"), "the approval may land on the loopback only: " + csp);
        URI back = approve("ada", "pw-ada", "approve");
        assertEquals("127.0.0.1", back.getHost());
        assertEquals(28888, back.getPort());
        assertEquals("/callback", back.getPath());
        Map<String, String> q = query(back);
        assertEquals("st-42", q.get("state"));
        HttpResponse<String> r = exchange(q.get("code"), REDIRECT, VERIFIER);
        assertEquals(200, r.statusCode(), r.body());
        OAuthTokens tokens = Json.read(r.body(), OAuthTokens.class);
        assertEquals(200, api.get(Api.ME, tokens.accessToken()).statusCode());

        // A replayed code is refused, and the login its first use started is revoked (RFC 6749 §4.1.2).
        assertEquals("invalid_grant", error(exchange(q.get("code"), REDIRECT, VERIFIER)));
        assertEquals(401, api.get(Api.ME, tokens.accessToken()).statusCode());
    }

    @Test
    void aWrongVerifierOrRedirectSpendsTheCodeWithoutTokens() throws Exception {
        String code = query(approve("ada", "pw-ada", "approve")).get("code");
        HttpResponse<String> wrong = exchange(code, REDIRECT, "x".repeat(43));
        assertEquals("invalid_grant", error(wrong));
        assertTrue(wrong.body().contains("code_verifier"), wrong.body());
        assertEquals("invalid_grant", error(exchange(code, REDIRECT, VERIFIER)), "spent by the failed attempt");

        String second = query(approve("ada", "pw-ada", "approve")).get("code");
        HttpResponse<String> elsewhere = exchange(second, "http://127.0.0.1:28889/callback", VERIFIER);
        assertEquals("invalid_grant", error(elsewhere));
        assertTrue(elsewhere.body().contains("redirect_uri"), elsewhere.body());
    }

    @Test
    void anExpiredCodeIsRefused() throws Exception {
        String code = query(approve("ada", "pw-ada", "approve")).get("code");
        clock.advance(Duration.ofSeconds(11));
        HttpResponse<String> r = exchange(code, REDIRECT, VERIFIER);
        assertEquals("invalid_grant", error(r));
        assertTrue(r.body().contains("expired"), r.body());
    }

    @Test
    void aForeignRedirectOrUnknownClientIsRefusedOnThePageAndNeverRedirected() throws Exception {
        for (String foreign : new String[] {"https://evil.example/callback", "http://evil.example:28888/callback",
                "http://127.0.0.1.evil.example:80/cb", "http://127.0.0.1/callback", "http://user@127.0.0.1:1/cb", "javascript:alert(1)"}) {
            HttpResponse<String> page = authorizePage(request(foreign, "S256"));
            assertEquals(400, page.statusCode(), foreign);
            assertTrue(page.headers().firstValue("Location").isEmpty(), foreign);
            assertTrue(page.body().contains("is refused"), page.body());
        }
        Map<String, String> p = request(REDIRECT, "S256");
        p.put("client_id", "other-app");
        assertEquals(400, authorizePage(p).statusCode());
        assertTrue(authorizePage(p).headers().firstValue("Location").isEmpty());
        // Posting the form straight at the server with a foreign redirect is refused the same way.
        HttpResponse<String> page = authorizePage(request(REDIRECT, "S256"));
        Map<String, String> form = new LinkedHashMap<>(request("https://evil.example/cb", "S256"));
        form.put("csrf", OAuthClient.csrf(page.body()));
        form.put("username", "ada");
        form.put("password", "pw-ada");
        form.put("action", "approve");
        HttpResponse<String> posted = oauth.post(Api.OAUTH_AUTHORIZE, form);
        assertEquals(400, posted.statusCode());
        assertTrue(posted.headers().firstValue("Location").isEmpty());
    }

    @Test
    void plainPkceIsRefusedAndDenyingRedirectsAccessDenied() throws Exception {
        HttpResponse<String> plain = authorizePage(request(REDIRECT, "plain"));
        assertEquals(302, plain.statusCode());
        Map<String, String> q = query(URI.create(plain.headers().firstValue("Location").orElseThrow()));
        assertEquals("invalid_request", q.get("error"));
        assertEquals("st-42", q.get("state"));

        Map<String, String> denied = query(approve("", "", "deny"));
        assertEquals("access_denied", denied.get("error"));
        assertEquals("st-42", denied.get("state"));
    }

    @Test
    void aWrongPasswordShowsTheFormAgain() throws Exception {
        HttpResponse<String> page = authorizePage(request(REDIRECT, "S256"));
        Map<String, String> form = new LinkedHashMap<>(request(REDIRECT, "S256"));
        form.put("csrf", OAuthClient.csrf(page.body()));
        form.put("username", "ada");
        form.put("password", "wrong");
        form.put("action", "approve");
        HttpResponse<String> r = oauth.post(Api.OAUTH_AUTHORIZE, form);
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("Wrong username or password") && r.body().contains("value=\"ada\""), r.body());
        assertTrue(r.headers().firstValue("Location").isEmpty());
    }
}
