package dev.speckitty.e2e.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.e2e.support.SpecKitty;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.server.ServerOptions;
import dev.speckitty.server.TeamServer;
import dev.speckitty.server.oauth.OAuthOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec-kitty auth login} by OAuth, the real CLI process against a real server, the test
 * playing the person at the approval page (HTTP, as a browser without script would).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OAuthLoginCliTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");

    @TempDir
    Path dir;
    TeamServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    String cookie;

    void start(OAuthOptions oauth) {
        server = TeamServer.start(ServerOptions.loopback(dir.resolve("server")), oauth);
        server.users().add("ada", "team-a", "pw-ada");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A running CLI whose stdout is read line by line. */
    final class Running implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuilder all = new StringBuilder();
        final Thread reader;

        Running(String... args) throws Exception {
            SpecKitty sk = new SpecKitty(dir.resolve("home"));
            List<String> cmd = new ArrayList<>(List.of(sk.dist().resolve("bin/spec-kitty").toString()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("SPEC_KITTY_HOME", dir.resolve("home").toString());
            pb.environment().put("BROWSER", "/bin/true"); // the test is the browser
            process = pb.start();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (all) {
                            all.append(line).append('\n');
                        }
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
            }, "cli-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line matching {@code p} (30 s at most). */
        Matcher await(Pattern p) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null) {
                    Matcher m = p.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                }
            }
            throw new AssertionError("no line matching " + p + " in: " + output());
        }

        int exit() throws InterruptedException {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the login did not end: " + output());
            reader.join(10_000); // the last lines are read once the pipe closes
            return process.exitValue();
        }

        String output() {
            synchronized (all) {
                return all.toString();
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
        return r;
    }

    private HttpResponse<String> postForm(String path, Map<String, String> form) throws Exception {
        StringBuilder b = new StringBuilder();
        form.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(10)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    private HttpResponse<String> decide(String link, String userCode, String action) throws Exception {
        HttpResponse<String> page = get(link);
        assertEquals(200, page.statusCode(), page.body());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", csrf(page.body()));
        form.put("user_code", userCode);
        form.put("username", "ada");
        form.put("password", "pw-ada");
        form.put("action", action);
        return postForm(Api.DEVICE_PAGE, form);
    }

    private Credentials credentials() {
        return CredentialsStore.of(SpecKittyHome.at(dir.resolve("home"))).read().orElseThrow();
    }

    @Test
    void headlessPrintsTheCodeAndLinkWaitsForTheApprovalAndStoresTheTokens() throws Exception {
        start(OAuthOptions.defaults().withPollInterval(Duration.ofSeconds(1)));
        try (Running cli = new Running("auth", "login", "--server", server.url().toString(), "--headless")) {
            String link = cli.await(Pattern.compile("(http://\\S+/device\\?user_code=\\S+)")).group(1);
            String code = cli.await(Pattern.compile("shows the code:\\s+([A-Z]{4}-[A-Z]{4})")).group(1);
            assertTrue(link.endsWith(code), link);
            cli.await(Pattern.compile("The code expires in 15 min\\."));
            assertEquals(200, decide(link, code, "approve").statusCode());
            assertEquals(0, cli.exit(), cli.output());
            assertTrue(cli.output().contains("Logged in as ada (team team-a) on " + server.url() + " with a device code"), cli.output());
        }
        Credentials c = credentials();
        assertEquals("ada", c.username());
        assertEquals("team-a", c.teamSlug());
        assertEquals(server.url().toString(), c.serverUrl());
        HttpResponse<String> me = http.send(HttpRequest.newBuilder(server.url().resolve(Api.ME)).header("Authorization", "Bearer " + c.accessToken())
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), "the stored token works");
        // The daemon's refresh path (the 2.x endpoint) takes OAuth-issued refresh tokens too.
        HttpResponse<String> refreshed = http.send(HttpRequest.newBuilder(server.url().resolve(Api.TOKEN_REFRESH))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"refresh\":\"" + c.refreshToken() + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, refreshed.statusCode(), refreshed.body());
    }

    @Test
    void aDeniedLoginEndsWithTheReasonAndStoresNothing() throws Exception {
        start(OAuthOptions.defaults().withPollInterval(Duration.ofSeconds(1)));
        try (Running cli = new Running("auth", "login", "--server", server.url().toString(), "--headless")) {
            String link = cli.await(Pattern.compile("(http://\\S+/device\\?user_code=\\S+)")).group(1);
            String code = cli.await(Pattern.compile("shows the code:\\s+([A-Z]{4}-[A-Z]{4})")).group(1);
            assertEquals(200, decide(link, code, "deny").statusCode());
            assertEquals(4, cli.exit(), cli.output());
            assertTrue(cli.output().contains("the login was denied on the approval page"), cli.output());
            assertTrue(!cli.output().contains("Exception") && !cli.output().contains("at dev."), "no Java on the terminal: " + cli.output());
        }
        assertTrue(CredentialsStore.of(SpecKittyHome.at(dir.resolve("home"))).read().isEmpty());
    }

    @Test
    void anExpiredCodeEndsWithTheReason() throws Exception {
        start(OAuthOptions.defaults().withPollInterval(Duration.ofSeconds(1)).withDeviceCodeTtl(Duration.ofSeconds(3)));
        try (Running cli = new Running("auth", "login", "--server", server.url().toString(), "--headless")) {
            assertEquals(4, cli.exit(), cli.output());
            assertTrue(cli.output().contains("the code expired before it was approved (it lived 3 s)"), cli.output());
        }
    }

    @Test
    void theBrowserLoginReturnsOnTheLoopbackAndStoresTheTokens() throws Exception {
        start(OAuthOptions.defaults());
        try (Running cli = new Running("auth", "login", "--server", server.url().toString(), "--browser")) {
            String url = cli.await(Pattern.compile("(http://\\S+/oauth/authorize\\?\\S+)")).group(1);
            HttpResponse<String> page = get(url);
            assertEquals(200, page.statusCode(), page.body());
            Map<String, String> form = new LinkedHashMap<>();
            Matcher hidden = Pattern.compile("type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\"").matcher(page.body());
            while (hidden.find()) {
                form.put(hidden.group(1), hidden.group(2).replace("&amp;", "&"));
            }
            form.put("username", "ada");
            form.put("password", "pw-ada");
            form.put("action", "approve");
            HttpResponse<String> back = postForm(Api.OAUTH_AUTHORIZE, form);
            assertEquals(302, back.statusCode(), back.body());
            String location = back.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith("http://127.0.0.1:"), location);
            HttpResponse<String> landed = get(location);
            assertEquals(200, landed.statusCode());
            assertTrue(landed.body().contains("Signed in"));
            assertEquals(0, cli.exit(), cli.output());
            assertTrue(cli.output().contains("Logged in as ada (team team-a)") && cli.output().contains("in the browser"), cli.output());
        }
        assertEquals("team-a", credentials().teamSlug());
    }
}
