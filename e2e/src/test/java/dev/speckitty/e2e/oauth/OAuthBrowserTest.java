package dev.speckitty.e2e.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.speckitty.e2e.support.Chromium;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sign-in pages in a real headless Chromium (DevTools protocol): a user approves a device code,
 * and a browser login lands its code on a loopback listener, under the pages' own strict policy.
 * Screenshots are kept in {@code e2e/target/oauth-artifacts/}. Skipped only where no chromium is installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OAuthBrowserTest {
    static final Path ARTIFACTS = Path.of("target", "oauth-artifacts");

    @TempDir
    Path dir;
    TeamServer server;
    Chromium browser;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        Optional<Path> chromium = Chromium.binary();
        Assumptions.assumeTrue(chromium.isPresent(), "no chromium on the PATH: install Debian's chromium (apt-get install -y chromium)");
        server = TeamServer.start(ServerOptions.loopback(dir.resolve("server")));
        server.users().add("ada", "team-a", "pw-ada");
        browser = Chromium.start(chromium.get(), Files.createDirectories(dir.resolve("profile")));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        StringBuilder b = new StringBuilder();
        form.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void signIn(String username, String password) throws Exception {
        browser.waitFor("document.readyState === 'complete' && document.getElementById('password') !== null", Duration.ofSeconds(15));
        browser.eval("document.getElementById('username').value = " + Json.write(username) + ";"
                + "document.getElementById('password').value = " + Json.write(password) + "; true");
    }

    @Test
    void aUserApprovesADeviceCodeOnTheDevicePage() throws Exception {
        JsonNode device = Json.tree(post(Api.OAUTH_DEVICE, Map.of("client_id", Api.OAUTH_CLIENT_ID, "scope", Api.OAUTH_SCOPE)).body());
        browser.navigate(device.path("verification_uri_complete").asText());
        signIn("ada", "pw-ada");
        assertEquals(device.path("user_code").asText(), browser.eval("document.getElementById('user_code').value").asText(),
                "the link fills the code in");
        browser.screenshot(ARTIFACTS.resolve("oauth-device-form.png"));
        browser.eval("document.getElementById('approve').click(); true");
        browser.waitFor("document.title.startsWith('Device approved')", Duration.ofSeconds(20));
        Path shot = ARTIFACTS.resolve("oauth-approval.png");
        browser.screenshot(shot);
        assertTrue(Files.size(shot) > 1000, "a real PNG");

        HttpResponse<String> tokens = post(Api.OAUTH_TOKEN, Map.of("grant_type", Api.DEVICE_GRANT, "device_code",
                device.path("device_code").asText(), "client_id", Api.OAUTH_CLIENT_ID));
        assertEquals(200, tokens.statusCode(), tokens.body());
        assertTrue(Json.tree(tokens.body()).path("access_token").isTextual());
    }

    @Test
    void aBrowserLoginLandsItsCodeOnTheLoopbackListener() throws Exception {
        CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();
        HttpServer listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        listener.createContext("/callback", x -> {
            Map<String, String> q = new LinkedHashMap<>();
            for (String kv : Optional.ofNullable(x.getRequestURI().getRawQuery()).orElse("").split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            byte[] body = "<html><head><title>Signed in</title></head><body>Signed in; back to the terminal.</body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
            callback.complete(q);
        });
        listener.start();
        try {
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]).replace('A', 'v');
            String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            String redirect = "http://127.0.0.1:" + listener.getAddress().getPort() + "/callback";
            String url = server.url() + Api.OAUTH_AUTHORIZE + "?client_id=" + Api.OAUTH_CLIENT_ID + "&redirect_uri="
                    + URLEncoder.encode(redirect, StandardCharsets.UTF_8) + "&response_type=code&scope=offline_access&code_challenge="
                    + challenge + "&code_challenge_method=S256&state=s-1";
            browser.navigate(url);
            signIn("ada", "pw-ada");
            browser.screenshot(ARTIFACTS.resolve("oauth-authorize.png"));
            browser.eval("document.getElementById('approve').click(); true");
            Map<String, String> q = callback.get(20, TimeUnit.SECONDS);
            assertEquals("s-1", q.get("state"));
            browser.waitFor("document.title === 'Signed in'", Duration.ofSeconds(10));
            HttpResponse<String> tokens = post(Api.OAUTH_TOKEN, Map.of("grant_type", "authorization_code", "code", q.get("code"),
                    "redirect_uri", redirect, "client_id", Api.OAUTH_CLIENT_ID, "code_verifier", verifier));
            assertEquals(200, tokens.statusCode(), tokens.body());
        } finally {
            listener.stop(0);
        }
    }

}
