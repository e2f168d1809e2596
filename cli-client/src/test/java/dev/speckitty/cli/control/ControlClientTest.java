package dev.speckitty.cli.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.testing.FakeDaemon;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.SyncRequest;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ControlClientTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private ControlClient client(Path socket) {
        return new ControlClient(socket, Duration.ofSeconds(10), VersionCheck.current(new PrintStream(err, true, StandardCharsets.UTF_8)),
                new PeerCheck(new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    @Test
    void getsAContentLengthBodyAndSendsTheVersionHeader() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir.resolve("d.sock"))) {
            daemon.json("GET", ControlApi.STATUS, 200, Map.of("pid", 42));
            try (ControlResponse r = client(daemon.socket()).get(ControlApi.STATUS)) {
                assertEquals(200, r.status());
                assertEquals("{\"pid\":42}", new String(r.bytes(), StandardCharsets.UTF_8));
            }
            assertEquals(Version.current(), daemon.requests().get(0).headers().get("x-spec-kitty-version"));
            assertEquals("", err.toString(StandardCharsets.UTF_8), "same version: no warning");
        }
    }

    @Test
    void postsJsonAndStreamsAChunkedNdjsonBodyLineByLine() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir.resolve("d.sock"))) {
            List<String> lines = List.of("{\"type\":\"progress\"}\n{\"type\":", "\"event\"}\n", "{\"type\":\"summary\"}\n");
            daemon.on("POST", ControlApi.SYNC, r -> FakeDaemon.chunked(200, ControlApi.NDJSON, lines));
            try (ControlResponse r = client(daemon.socket()).post(ControlApi.SYNC, new SyncRequest(true, false))) {
                List<String> read = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)).lines().collect(Collectors.toList());
                assertEquals(List.of("{\"type\":\"progress\"}", "{\"type\":\"event\"}", "{\"type\":\"summary\"}"), read);
            }
            FakeDaemon.Request sent = daemon.requests().get(0);
            assertEquals("{\"verbose\":true,\"dry_run\":false}", sent.body());
            assertEquals("application/json", sent.headers().get("content-type"));
        }
    }

    @Test
    void aMissingSocketFileMeansTheDaemonIsNotRunning() {
        DaemonNotRunningException e = assertThrows(DaemonNotRunningException.class,
                () -> client(dir.resolve("none.sock")).get(ControlApi.STATUS));
        assertTrue(e.getMessage().contains("spec-kitty daemon start"), e.getMessage());
    }

    @Test
    void aStaleSocketFileWithNobodyListeningMeansTheDaemonIsNotRunning() throws Exception {
        Path socket = dir.resolve("stale.sock");
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        s.close(); // the file stays behind, as after a crash
        assertTrue(socket.toFile().exists());
        assertThrows(DaemonNotRunningException.class, () -> client(socket).get(ControlApi.STATUS));
        assertTrue(!client(socket).answers());
    }

    @Test
    void aGarbledAnswerIsAControlApiErrorNamingTheSocket() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir.resolve("d.sock"))) {
            daemon.on("GET", ControlApi.STATUS, r -> "SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            ControlApiException e = assertThrows(ControlApiException.class, () -> client(daemon.socket()).get(ControlApi.STATUS));
            assertTrue(e.getMessage().contains("not an HTTP/1.1 status line"), e.getMessage());
            assertTrue(e.getMessage().contains(daemon.socket().toString()), e.getMessage());
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIsAnErrorNotATruncatedValue() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir.resolve("d.sock"))) {
            daemon.on("GET", ControlApi.STATUS, r -> ("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n" + ControlApi.VERSION_HEADER + ": "
                    + Version.current() + "\r\n\r\n{\"pid\":").getBytes(StandardCharsets.ISO_8859_1));
            try (ControlResponse r = client(daemon.socket()).get(ControlApi.STATUS)) {
                ControlApiException e = assertThrows(ControlApiException.class, r::bytes);
                assertTrue(e.getMessage().contains("short of its Content-Length"), e.getMessage());
            }
        }
    }

    @Test
    void anAnswerSentBeforeTheRequestWasReadIsReadEvenWhenTheWriteBreaks() throws Exception {
        // A daemon at its connection bound writes 503 at once and closes without reading: a large
        // request then fails half-way (broken pipe), and the 503 is still the answer.
        Path socket = dir.resolve("busy.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(socket));
            Thread busy = new Thread(() -> {
                try (java.nio.channels.SocketChannel ch = s.accept()) {
                    ch.write(java.nio.ByteBuffer.wrap(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 20\r\n" + ControlApi.VERSION_HEADER + ": " + Version.current()
                            + "\r\n\r\n{\"error\":\"at most\"}").getBytes(StandardCharsets.ISO_8859_1)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            busy.start();
            byte[] large = new byte[8 << 20];
            java.util.Arrays.fill(large, (byte) ' ');
            try (ControlResponse r = client(socket).postJson(ControlApi.EVENTS, large)) {
                assertEquals(503, r.status());
            }
            busy.join();
        }
    }

    @Test
    void aDaemonThatNeverAnswersTimesOut() throws Exception {
        Path socket = dir.resolve("silent.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(socket)); // accepts in the backlog, never answers
            ControlClient c = new ControlClient(socket, Duration.ofMillis(200), VersionCheck.current(new PrintStream(err)), new PeerCheck(new PrintStream(err)));
            ControlApiException e = assertThrows(ControlApiException.class, () -> c.get(ControlApi.STATUS));
            assertTrue(e.getMessage().contains("no answer from the daemon"), e.getMessage());
        }
    }

    @Test
    void anotherDaemonVersionIsWarnedAboutOncePerProcess() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir.resolve("d.sock"))) {
            daemon.on("GET", ControlApi.STATUS, r -> FakeDaemon.response(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), "0.0.1-old"));
            ControlClient c = client(daemon.socket());
            c.get(ControlApi.STATUS).close();
            c.get(ControlApi.STATUS).close();
            String warnings = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, warnings.lines().count(), warnings);
            assertTrue(warnings.contains("0.0.1-old") && warnings.contains("spec-kitty daemon restart"), warnings);
        }
    }

    @Test
    void chunkExtensionsAndTrailersAreAccepted() throws Exception {
        byte[] raw = "4;ext=1\r\nabcd\r\n2\r\nef\r\n0\r\nX-Trailer: y\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        var in = new HttpMessageReader.ChunkedInputStream(new java.io.ByteArrayInputStream(raw));
        assertArrayEquals("abcdef".getBytes(StandardCharsets.ISO_8859_1), in.readAllBytes());
    }
}
