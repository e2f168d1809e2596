package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.testing.RawHttp;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.testing.TestEvents;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests no well-behaved client sends, on raw sockets: undecodable paths and queries, pipelining,
 * smuggling headers, odd versions, echo of long input. Each gets its answer (or 400 and a close),
 * in request order, and the server serves the next client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileHttpTest {
    /** Java type names and Netty or JDK package names: none may reach an answer. */
    static final Pattern TYPE_NAMES = Pattern.compile("[A-Za-z]+(Exception|Error)\\b|java\\.|io\\.netty|\\bat [a-z]+\\.");

    @TempDir
    Path dir;
    TeamServer server;
    String access;

    @BeforeEach
    void start() {
        server = TeamServer.start(TestStore.loopback(dir));
        server.users().add("ada", "team-a", "pw-ada");
        ApiClient api = new ApiClient(server.url());
        access = api.login("ada", "pw-ada").access();
        api.batch(access, TestEvents.fresh("team-a", 30));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawHttp connect() {
        return RawHttp.connect("127.0.0.1", server.port());
    }

    private byte[] pull(int limit, String... headers) {
        String[] all = new String[headers.length + 1];
        all[0] = "Authorization: Bearer " + access;
        System.arraycopy(headers, 0, all, 1, headers.length);
        return RawHttp.request("GET", Api.EVENTS + "?after=0&limit=" + limit, new byte[0], all);
    }

    private void stillServes() {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send(pull(1)).expect();
            assertEquals(200, r.status(), r.toString());
        }
    }

    private static void assertNoTypeNames(RawHttp.Response r) {
        assertFalse(TYPE_NAMES.matcher(r.text()).find(), "a type name in " + r);
    }

    @Test
    void anUndecodablePathIsA404AndItsBodyIsReleasedOnAConnectionThatStaysOpen() {
        byte[] body = new byte[1 << 20];
        try (RawHttp c = connect()) {
            for (int i = 0; i < 20; i++) {
                RawHttp.Response r = c.send(RawHttp.request("POST", "/api/v1/%ZZ", body)).expect();
                assertEquals(404, r.status(), r.toString());
                assertTrue(r.text().contains("/api/v1/%ZZ"), r.toString());
                assertNoTypeNames(r);
            }
        }
        stillServes();
    }

    @Test
    void aClientThatKeepsSendingPastTheCapReadsIts413AndIsClosedWithinTheLinger() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            java.io.OutputStream out = s.getOutputStream();
            out.write(("POST " + Api.EVENTS_BATCH + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + access
                    + "\r\nContent-Encoding: gzip\r\nContent-Length: 104857600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            out.write(chunk);
            java.io.InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = 0;
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                assertTrue(r > 0, "an answer before the close");
                n += r;
            }
            assertEquals("HTTP/1.1 413", new String(head, StandardCharsets.US_ASCII));
            long answered = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - answered < TimeUnit.SECONDS.toNanos(10)) {
                try {
                    out.write(chunk); // the rest of a 100 MiB body the server will not take
                } catch (java.io.IOException e) {
                    closed = true;
                }
            }
            long ms = (System.nanoTime() - answered) / 1_000_000;
            assertTrue(closed, "closed within 10 s of the 413 while the client kept sending");
            assertTrue(ms < 2_000 + 3_000, "closed " + ms + " ms after the 413 (the linger is 2000 ms)");
        }
        stillServes();
    }

    @Test
    void anUndecodableQueryIsA400() {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send(RawHttp.request("GET", Api.EVENTS + "?after=%ZZ", new byte[0])).expect();
            assertEquals(400, r.status(), r.toString());
            assertTrue(r.text().contains("query"), r.toString());
            assertNoTypeNames(r);
            assertEquals(200, c.send(pull(1)).expect().status(), "the connection stays usable");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndNoneIsDropped() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int limit = 1; limit <= 20; limit++) {
            all.writeBytes(pull(limit));
        }
        try (RawHttp c = connect()) {
            c.send(all.toByteArray());
            for (int limit = 1; limit <= 20; limit++) {
                RawHttp.Response r = c.expect();
                assertEquals(200, r.status(), r.toString());
                assertEquals(limit, Json.tree(r.body()).get("events").size(), "answer " + limit + " in order");
            }
        }
    }

    @Test
    void connectionCloseIsHonouredAfterEverythingBeforeItIsAnswered() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int limit = 1; limit <= 20; limit++) {
            all.writeBytes(limit == 11 ? pull(limit, "Connection: close") : pull(limit));
        }
        try (RawHttp c = connect()) {
            c.send(all.toByteArray());
            for (int limit = 1; limit <= 11; limit++) {
                RawHttp.Response r = c.expect();
                assertEquals(limit, Json.tree(r.body()).get("events").size(), "answer " + limit + " in order");
                assertEquals(limit == 11, r.header("connection").filter("close"::equalsIgnoreCase).isPresent(), r.toString());
            }
            assertTrue(c.read().isEmpty(), "closed after the 11th answer");
        }
    }

    @Test
    void aClientThatNeverReadsItsPipelinedAnswersDoesNotStopOthersAndGetsThemAllInOrder() {
        List<com.fasterxml.jackson.databind.JsonNode> big = TestEvents.fresh("team-a", 30);
        big.forEach(e -> ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("payload")).put("actor", "b".repeat(10_000)));
        new ApiClient(server.url()).batch(access, big); // pages of 60 events are about 320 KB: written in slices
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            all.writeBytes(pull(i % 2 == 0 ? 60 : 30));
        }
        try (RawHttp slow = RawHttp.connect("127.0.0.1", server.port(), null, 4096)) {
            slow.send(all.toByteArray());
            for (int i = 0; i < 5; i++) {
                stillServes();
            }
            for (int i = 0; i < 100; i++) {
                RawHttp.Response r = slow.expect();
                assertEquals(i % 2 == 0 ? 60 : 30, Json.tree(r.body()).get("events").size(), "answer " + i);
            }
        }
    }

    @Test
    void aSmuggledRequestBehindTwoTransferEncodingsNeverRuns() {
        try (RawHttp c = connect()) {
            c.send("POST " + Api.TOKEN + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\nGET " + Api.EVENTS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + access + "\r\n\r\n");
            RawHttp.Response r = c.expect();
            assertEquals(400, r.status(), r.toString());
            assertTrue(r.text().contains("Transfer-Encoding"), r.toString());
            assertEquals("close", r.header("connection").orElse(""));
            assertTrue(c.read().isEmpty(), "the smuggled request is never answered");
        }
        stillServes();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "POST /api/v1/token/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\nContent-Length: 2\r\n\r\n{}",
            "POST /api/v1/token/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            "POST /api/v1/token/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n0\r\n\r\n",
            "GET /api/v1/events/ HTTP/9.9\r\nHost: x\r\n\r\n",
            "GET /api/v1/events/ HTTP/2.0\r\nHost: x\r\n\r\n",
            "GET /api/v1/events/ HTTP/1.1\r\n\r\n",
            "GET /api/v1/events/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "POST /api/v1/token/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"})
    void lenientParsingIsRefusedWith400AndAClose(String raw) {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send(raw).expect();
            assertEquals(400, r.status(), r.toString());
            assertNoTypeNames(r);
            assertTrue(c.read().isEmpty(), "closed after the 400");
        }
        stillServes();
    }

    @Test
    void http10WithoutHostIsServed() {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("GET /nope HTTP/1.0\r\n\r\n").expect();
            assertEquals(404, r.status(), r.toString());
        }
    }

    @Test
    void echoedInputIsClippedAndNoAnswerNamesAJavaType() {
        String longValue = "x".repeat(3000);
        try (RawHttp c = connect()) {
            for (byte[] req : List.of(
                    RawHttp.request("GET", Api.EVENTS + "?limit=" + longValue, new byte[0], "Authorization: Bearer " + access),
                    RawHttp.request("GET", Api.EVENTS + "?after=" + longValue, new byte[0], "Authorization: Bearer " + access),
                    RawHttp.request("GET", "/" + longValue, new byte[0]),
                    RawHttp.request("PUT", Api.EVENTS + longValue, new byte[0]),
                    RawHttp.request("POST", Api.EVENTS_BATCH, "{}".getBytes(StandardCharsets.UTF_8), "Authorization: Bearer " + access,
                            "Content-Encoding: " + "y".repeat(3000)),
                    RawHttp.request("POST", Api.TOKEN, ("{\"username\": \"" + longValue + "\"").getBytes(StandardCharsets.UTF_8)))) {
                RawHttp.Response r = c.send(req).expect();
                assertTrue(r.status() >= 400, r.toString());
                assertTrue(r.body().length < 600, "clipped: " + r.body().length + " bytes: " + r);
                assertNoTypeNames(r);
            }
        }
    }
}
