package dev.speckitty.cli.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * A scripted team server on a real loopback port (JDK HttpServer): each path answers with the
 * status and body a test chose; requests are recorded with their decoded bodies. Handlers run on
 * one named executor thread.
 */
public final class FakeTeamServer implements AutoCloseable {
    /** A request as received (body gunzipped when sent with Content-Encoding: gzip). */
    public record Request(String method, String path, String authorization, String contentEncoding, String body) {
    }

    /** A scripted answer. */
    public record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-team-server"));
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeTeamServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.start();
    }

    public FakeTeamServer on(String path, Function<Request, Answer> answer) {
        server.createContext(path, exchange -> handle(exchange, answer));
        return this;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return requests;
    }

    private void handle(HttpExchange exchange, Function<Request, Answer> answer) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String body;
        if ("gzip".equals(encoding)) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } else {
            body = new String(raw, StandardCharsets.UTF_8);
        }
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), encoding, body);
        requests.add(request);
        Answer a = answer.apply(request);
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
