package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.RefreshRequest;
import dev.speckitty.protocol.wire.TokenResponse;
import dev.speckitty.protocol.testing.RawHttp;
import dev.speckitty.testing.TestEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RestartAndLimitsTest {
    @TempDir
    Path dir;

    @Test
    void restartOnTheSameDataDirKeepsUsersTokensAndEvents() {
        TokenResponse tokens;
        try (TeamServer server = TeamServer.start(TestStore.loopback(dir))) {
            server.users().add("ada", "team-a", "pw");
            ApiClient c = new ApiClient(server.url());
            tokens = c.login("ada", "pw");
            c.batch(tokens.access(), TestEvents.fresh("team-a", 7));
        }
        try (TeamServer server = TeamServer.start(TestStore.loopback(dir))) {
            ApiClient c = new ApiClient(server.url());
            assertEquals(7, c.pull(tokens.access(), "0", 1000).events().size());
            assertEquals("team-a", server.users().list().get(0).team());
            assertEquals(200, c.post(Api.TOKEN_REFRESH, null, Json.writeBytes(new RefreshRequest(tokens.refresh())), Map.of()).statusCode());
            c.batch(tokens.access(), TestEvents.fresh("team-a", 1));
            assertEquals("8", c.pull(tokens.access(), "7", 10).nextCursor());
            server.close();
            server.close(); // idempotent
        }
    }

    @Test
    void usersAddedOrRemovedByAnotherProcessTakeEffectAtOnce() {
        try (TeamServer server = TeamServer.start(TestStore.loopback(dir))) {
            ApiClient c = new ApiClient(server.url());
            try (dev.speckitty.server.store.Storage other = TestStore.storage(dir)) {
                other.users().add("ada", "team-a", "pw"); // what `spec-kitty-server user add` does while `run` serves
            }
            String access = c.login("ada", "pw").access();
            try (dev.speckitty.server.store.Storage other = TestStore.storage(dir)) {
                other.users().remove("ada");
            }
            assertEquals(403, c.batchRaw(access, java.util.List.of()).statusCode());
        }
    }

    @Test
    void connectionsOverTheCapGet503AndTheServerCarriesOn() throws Exception {
        try (TeamServer server = TeamServer.start(TestStore.loopback(dir).withLimits(ServerLimits.defaults().withMaxConnections(2)))) {
            server.users().add("ada", "team-a", "pw");
            try (Socket a = new Socket("127.0.0.1", server.port()); Socket b = new Socket("127.0.0.1", server.port())) {
                Socket c = null;
                try {
                    // Connections are counted on different event loops: prove a and b are counted before c arrives.
                    assertTrue(roundTrip(a).startsWith("HTTP/1.1 404"));
                    assertTrue(roundTrip(b).startsWith("HTTP/1.1 404"));
                    c = new Socket("127.0.0.1", server.port());
                    c.setSoTimeout(5000);
                    String answer = readAll(c.getInputStream());
                    assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
                    assertTrue(answer.contains("\"error\""), answer);
                } finally {
                    if (c != null) {
                        c.close();
                    }
                }
            }
            ApiClient api = new ApiClient(server.url());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) { // the two idle sockets' slots are released asynchronously after they close
                try {
                    if (api.loginRaw("ada", "pw").statusCode() == 200) {
                        break;
                    }
                } catch (RuntimeException e) {
                    // refused while the server still counts the closed sockets
                }
                assertTrue(System.nanoTime() < deadline, "server did not recover after refusing a connection");
            }
        }
    }

    @Test
    void oneAddressCannotTakeEveryConnection() throws Exception {
        ServerLimits limits = ServerLimits.defaults().withMaxConnectionsPerAddress(2);
        try (TeamServer server = TeamServer.start(TestStore.loopback(dir).withLimits(limits))) {
            InetAddress other = InetAddress.getByName("127.0.0.2");
            try (RawHttp a = RawHttp.connect("127.0.0.1", server.port()); RawHttp b = RawHttp.connect("127.0.0.1", server.port())) {
                // Counted on different event loops: an answer on each proves both are counted.
                assertEquals(404, a.send(RawHttp.request("GET", "/nope", new byte[0])).expect().status());
                assertEquals(404, b.send(RawHttp.request("GET", "/nope", new byte[0])).expect().status());
                try (RawHttp third = RawHttp.connect("127.0.0.1", server.port())) {
                    RawHttp.Response refused = third.expect();
                    assertEquals(503, refused.status(), refused.toString());
                    assertEquals("5", refused.header("retry-after").orElse(""));
                    assertTrue(refused.text().contains("from your address"), refused.toString());
                }
                try (RawHttp fromElsewhere = RawHttp.connect("127.0.0.1", server.port(), other, 0)) {
                    assertEquals(404, fromElsewhere.send(RawHttp.request("GET", "/nope", new byte[0])).expect().status(),
                            "another address is still served");
                }
            }
        }
    }

    @Test
    void aSlowRequestGets408AndAnIdleConnectionIsClosed() throws Exception {
        ServerLimits limits = ServerLimits.defaults().withRequestReadTimeout(Duration.ofMillis(300))
                .withFirstRequestTimeout(Duration.ofMillis(300));
        try (TeamServer server = TeamServer.start(TestStore.loopback(dir).withLimits(limits))) {
            server.users().add("ada", "team-a", "pw");
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(("POST " + Api.TOKEN + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answer = readAll(s.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            }
            try (Socket idle = new Socket("127.0.0.1", server.port())) {
                idle.setSoTimeout(5000);
                assertEquals(-1, idle.getInputStream().read(), "a connection that never sends a request is closed by the server");
            }
            try (Socket keptAlive = new Socket("127.0.0.1", server.port())) {
                assertTrue(roundTrip(keptAlive).startsWith("HTTP/1.1 404"));
                assertEquals(-1, keptAlive.getInputStream().read(), "an idle keep-alive connection is closed by the server");
            }
            assertEquals(200, new ApiClient(server.url()).loginRaw("ada", "pw").statusCode());
        }
    }

    /** Sends a request for an unknown path on a kept-alive socket and reads the answer's head and body. */
    private static String roundTrip(Socket s) throws IOException {
        s.setSoTimeout(5000);
        s.getOutputStream().write("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int ch = in.read();
            if (ch < 0) {
                break;
            }
            head.append((char) ch);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        if (m.find()) {
            in.readNBytes(Integer.parseInt(m.group(1)));
        }
        return head.toString();
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
