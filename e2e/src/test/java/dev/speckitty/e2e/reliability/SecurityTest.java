package dev.speckitty.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.daemon.control.SocketPaths;
import dev.speckitty.engine.net.Gzip;
import dev.speckitty.e2e.support.ServerProcess;
import dev.speckitty.e2e.support.SpecKitty;
import dev.speckitty.e2e.support.TeamHistory;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.TokenRequest;
import dev.speckitty.testing.TestEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security: private files and socket, no secret in any log or output, https required off loopback,
 * certificate errors are errors, and a team server that keeps serving under a hostile client.
 */
@Timeout(300)
class SecurityTest {
    @TempDir
    Path dir;

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void filesAndSocketArePrivateAndNoSecretIsEverPrinted() throws Exception {
        List<String> outputs = new ArrayList<>();
        List<String> secrets = new ArrayList<>(List.of(Rig.PASSWORD, "wrong-" + Rig.PASSWORD));
        try (Rig rig = Rig.create(dir)) {
            rig.login(rig.server.url());
            secrets.addAll(tokens(rig.sk.home().resolve("credentials")));
            Path socket = SocketPaths.resolve(SpecKittyHome.at(rig.sk.home()));
            outputs.add(rig.ok("daemon", "start").toString());

            assertEquals("rw-------", perms(rig.sk.home().resolve("credentials")), "credentials");
            assertEquals("rwx------", perms(rig.sk.home()), "home");
            assertEquals("rw-------", perms(socket), "control socket");
            assertEquals("rwx------", perms(socket.getParent()), "control socket directory");
            anotherUserCannotConnect(socket);

            // Every path that handles the tokens, verbosely, plus failures that might echo them.
            outputs.add(rig.ok("events", "import", rig.draftsFile("s.ndjson", Rig.markers("s-", 0, 30)).toString()).toString());
            outputs.add(rig.ok("sync", "now", "--verbose").toString());
            outputs.add(rig.ok("sync", "status", "--check", "--json").toString());
            outputs.add(rig.sk.run("auth", "status", "--json").toString());
            outputs.add(rig.sk.run("auth", "status").toString());
            outputs.add(rig.sk.runWithInput("wrong-" + Rig.PASSWORD + "\n", "auth", "login", "--username", Rig.USER, "--password-stdin").toString());
            outputs.add(rig.sk.run("daemon", "logs").toString());
            outputs.add(rig.sk.run("config", "list").toString());
            // An access token past its expiry makes the daemon refresh: the rotated pair must not leak either.
            String creds = Files.readString(rig.sk.home().resolve("credentials"));
            Files.writeString(rig.sk.home().resolve("credentials"), creds.replaceFirst("access_expires_at = \"[^\"]*\"",
                    "access_expires_at = \"2020-01-01T00:00:00+00:00\""));
            outputs.add(rig.ok("sync", "now", "--verbose").toString());
            secrets.addAll(tokens(rig.sk.home().resolve("credentials"))); // the refreshed pair
            outputs.add(rig.ok("sync", "status", "--json").toString());
            outputs.add(rig.sk.run("daemon", "stop").toString());

            List<String> places = new ArrayList<>();
            for (Path log : List.of(rig.sk.home().resolve("logs/daemon.log"), rig.sk.home().resolve("logs/daemon.out"), ServerProcess.logOf(rig.data))) {
                if (Files.exists(log)) {
                    places.add(log + "\n" + Files.readString(log));
                }
            }
            try (Stream<Path> more = Files.list(rig.sk.home().resolve("logs"))) {
                more.filter(p -> !p.getFileName().toString().equals("daemon.log") && !p.getFileName().toString().equals("daemon.out"))
                        .forEach(p -> places.add(p.toString()));
            }
            places.addAll(outputs);
            int checked = 0;
            for (String secret : secrets) {
                for (String place : places) {
                    assertFalse(place.contains(secret), "a secret (" + secret.length() + " chars) appears in:\n" + place);
                    checked++;
                }
            }
            assertTrue(secrets.size() >= 6, "passwords, first tokens and refreshed tokens: " + secrets.size());
            Summary.print("security", "secrets=" + secrets.size() + " places=" + places.size() + " checks=" + checked + " leaks=0"
                    + " socket=0600 socket_dir=0700 credentials=0600");
        }
    }

    private static List<String> tokens(Path credentials) throws IOException {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*(access|refresh)\\s*=\\s*\"([^\"]+)\"").matcher(Files.readString(credentials));
        while (m.find()) {
            found.add(m.group(2));
        }
        assertEquals(2, found.size(), "access and refresh tokens in " + credentials);
        return found;
    }

    private static void anotherUserCannotConnect(Path socket) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(Path.of("/usr/sbin/runuser")) || !Files.isExecutable(Path.of("/usr/bin/curl"))) {
            System.out.println("SKIPPED: the connect-as-another-user check needs root, runuser and curl");
            return;
        }
        Process p = new ProcessBuilder("/usr/sbin/runuser", "-u", "nobody", "--", "/usr/bin/curl", "-sS", "--max-time", "5",
                "--unix-socket", socket.toString(), "http://localhost/v1/status").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue(), "user nobody reached the control socket: " + out);
        assertFalse(out.contains("\"pid\""), out);
    }

    @Test
    void plainHttpIsRefusedOffLoopbackAndABadCertificateIsAnError() throws Exception {
        SpecKitty sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        SpecKitty.Run http = sk.run("config", "set", "sync.server_url", "http://example.com");
        assertNotEquals(0, http.exit(), http.toString());
        assertTrue((http.out() + http.err()).contains("https"), "says why: " + http);

        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed: TLS check skipped");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process ssl = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).start();
        String sslOut = new String(ssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ssl.waitFor(60, TimeUnit.SECONDS) && ssl.exitValue() == 0, sslOut);
        Path data = Files.createDirectories(dir.resolve("tls-data"));
        ServerProcess.addUser(sk.dist(), data, Rig.USER, Rig.TEAM, Rig.PASSWORD);
        try (ServerProcess tls = ServerProcess.start(sk.dist(), data, "127.0.0.1:0", "--tls-cert", cert.toString(), "--tls-key", key.toString())) {
            assertTrue(tls.url().startsWith("https://"), tls.url());
            assertEquals(0, sk.run("config", "set", "sync.server_url", tls.url()).exit());
            SpecKitty.Run login = sk.runWithInput(Rig.PASSWORD + "\n", "auth", "login", "--username", Rig.USER, "--password-stdin");
            assertNotEquals(0, login.exit(), "a self-signed certificate must not be trusted: " + login);
            String said = (login.out() + login.err()).toLowerCase();
            assertTrue(said.contains("certificat") || said.contains("tls") || said.contains("pkix") || said.contains("ssl"),
                    "names the certificate problem: " + login);
            assertFalse(Files.exists(sk.home().resolve("credentials")), "no credentials saved");
            assertFalse(java.util.regex.Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)\\b")
                    .matcher(login.out() + login.err()).find(), "no Java type on the terminal: " + login);
            SpecKitty.Run check = sk.run("sync", "status", "--check", "--json");
            JsonNode status = Json.tree(check.out());
            assertTrue(List.of("error", "unreachable").contains(status.path("connection").asText()), check.toString());
            Summary.print("security", "http_non_loopback=refused(exit " + http.exit() + ") self_signed_tls=refused(exit " + login.exit()
                    + ", connection=" + status.path("connection").asText() + ") message=" + Json.write((login.err() + login.out()).strip()));
        }
    }

    @Test
    void aHostileClientCannotHurtTheServerOrReachAnotherTeam() throws Exception {
        try (Rig rig = Rig.create(dir)) {
            ServerProcess.addUser(rig.sk.dist(), rig.data, "eve", "team-b", "eve-password");
            rig.login(rig.server.url());
            rig.ok("events", "import", rig.draftsFile("a.ndjson", Rig.markers("a-", 0, 20)).toString());
            rig.ok("sync", "now");
            URI server = URI.create(rig.server.url());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            String eve = token(http, server, "eve", "eve-password");
            List<String> outcomes = new ArrayList<>();

            // Oversized compressed body (5 MiB > 4 MiB cap), sent raw so the server may cut us off.
            outcomes.add("oversized=" + raw(server, "POST " + Api.EVENTS_BATCH + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + eve
                    + "\r\nContent-Encoding: gzip\r\nContent-Type: application/json\r\nContent-Length: " + (5 << 20) + "\r\n\r\n", 5 << 20));
            // A gzip bomb: 256 MiB of spaces inside a valid JSON array, about 256 KiB compressed.
            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
                gz.write("{\"events\":[".getBytes(StandardCharsets.US_ASCII));
                byte[] spaces = new byte[1 << 20];
                java.util.Arrays.fill(spaces, (byte) ' ');
                for (int i = 0; i < 256; i++) {
                    gz.write(spaces);
                }
                gz.write("]}".getBytes(StandardCharsets.US_ASCII));
            }
            HttpResponse<String> b = http.send(HttpRequest.newBuilder(server.resolve(Api.EVENTS_BATCH)).header("Authorization", "Bearer " + eve)
                    .header("Content-Encoding", "gzip").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bomb.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, b.statusCode(), b.body());
            outcomes.add("gzip_bomb=" + b.statusCode());
            // Garbage instead of HTTP.
            outcomes.add("garbage=" + raw(server, "\u0000\u0001\u0002 NOT HTTP AT ALL\r\n\r\n", 0));
            // Eve writes an event claiming team-a: rejected; she pulls and sees nothing of team-a.
            String forged = "{\"events\":[" + TestEvents.builder().id("01KAT0V6J8Q5R9S1T2V3W4X5Y6").aggregate("WP07")
                    .payload(TestEvents.statusPayload("WP07", "done")).timestamp("2026-11-25T10:00:00+00:00").json() + "]}";
            HttpResponse<String> f = http.send(HttpRequest.newBuilder(server.resolve(Api.EVENTS_BATCH)).header("Authorization", "Bearer " + eve)
                    .header("Content-Encoding", "gzip").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Gzip.compress(forged.getBytes(StandardCharsets.UTF_8)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, f.statusCode(), f.body());
            assertEquals("rejected", Json.tree(f.body()).at("/results/0/status").asText(), f.body());
            outcomes.add("other_team_event=rejected");
            assertEquals(0, TeamHistory.pullAll(rig.server.url(), "eve", "eve-password").size(), "eve sees nothing of team-a");
            HttpResponse<String> stolen = http.send(HttpRequest.newBuilder(server.resolve(Api.EVENTS + "?after=0&limit=1000"))
                    .header("Authorization", "Bearer " + rig.tokensOfHome().get(0) + "x").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, stolen.statusCode(), "a made-up token is refused");

            // The server kept serving: Ada still syncs and holds exactly her 20 + 5 events.
            rig.ok("events", "import", rig.draftsFile("b.ndjson", Rig.markers("a-", 20, 5)).toString());
            rig.ok("sync", "now");
            Rig.Tally t = rig.tally(new java.util.HashSet<>(Rig.markers("a-", 0, 25)));
            assertEquals(25, t.stored());
            assertEquals(0, t.lost());
            Summary.print("security", "hostile_client: " + String.join(" ", outcomes) + " then_served=yes");
        }
    }

    private static String token(HttpClient http, URI server, String user, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.resolve(Api.TOKEN))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(new TokenRequest(user, password)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.tree(r.body()).path("access").asText();
    }

    /** Sends {@code head} then {@code bodyBytes} zeros on a raw socket; answers the status line, or how the server cut us off. */
    private static String raw(URI server, String head, int bodyBytes) throws IOException {
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < bodyBytes; sent += chunk.length) {
                    out.write(chunk, 0, Math.min(chunk.length, bodyBytes - sent));
                }
                out.flush();
            } catch (IOException e) {
                // the server may close before the whole body is sent: its answer is still readable
            }
            byte[] answer = in.readNBytes(64);
            String line = new String(answer, StandardCharsets.ISO_8859_1);
            int eol = line.indexOf("\r\n");
            return answer.length == 0 ? "closed" : (eol > 0 ? line.substring(0, eol) : line).replace(' ', '_');
        } catch (IOException e) {
            return "reset";
        }
    }
}
