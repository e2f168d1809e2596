package dev.speckitty.testing;

import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted control-API server on a real Unix socket, in the spirit of OkHttp's MockWebServer:
 * each {@code METHOD path} answers with raw HTTP bytes the test chose, and every request is recorded.
 * One accept thread; handlers run on it.
 */
public final class FakeDaemon implements AutoCloseable {
    /** A request as received. */
    public record Request(String method, String path, Map<String, String> headers, String body) {
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Map<String, Function<Request, byte[]>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    public FakeDaemon(Path socket) throws IOException {
        this.socket = socket;
        Files.createDirectories(socket.getParent());
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::serve, "fake-daemon");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers {@code method path} with a function of the request. */
    public FakeDaemon on(String method, String path, Function<Request, byte[]> answer) {
        routes.put(method + " " + path, answer);
        return this;
    }

    /** Answers with a JSON body and a status, with the version header. */
    public FakeDaemon json(String method, String path, int status, Object body) {
        return on(method, path, r -> response(status, "application/json", Json.writeBytes(body), Version.current()));
    }

    public List<Request> requests() {
        return requests;
    }

    public Path socket() {
        return socket;
    }

    /** A complete HTTP response with Content-Length. */
    public static byte[] response(int status, String contentType, byte[] body, String version) {
        String head = "HTTP/1.1 " + status + " X\r\n"
                + (version == null ? "" : ControlApi.VERSION_HEADER + ": " + version + "\r\n")
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        return concat(head.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    /** A chunked response, one chunk per given piece (e.g. one NDJSON line each). */
    public static byte[] chunked(int status, String contentType, List<String> pieces) {
        StringBuilder b = new StringBuilder("HTTP/1.1 " + status + " X\r\n" + ControlApi.VERSION_HEADER + ": " + Version.current()
                + "\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (String piece : pieces) {
            byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
            b.append(Integer.toHexString(bytes.length)).append("\r\n").append(piece).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private void serve() {
        while (!closed) {
            try (SocketChannel ch = server.accept()) {
                Request request = read(ch);
                requests.add(request);
                Function<Request, byte[]> route = routes.get(request.method() + " " + request.path());
                byte[] answer = route == null
                        ? response(404, "application/json", "{\"error\":\"no route\"}".getBytes(StandardCharsets.UTF_8), Version.current())
                        : route.apply(request);
                ch.write(ByteBuffer.wrap(answer));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static Request read(SocketChannel ch) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            one.clear();
            if (ch.read(one) < 0) {
                throw new IOException("closed in head");
            }
            head.write(one.array()[0]);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] first = lines[0].split(" ");
        Map<String, String> headers = new ConcurrentHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        ByteBuffer body = ByteBuffer.allocate(length);
        while (body.hasRemaining()) {
            if (ch.read(body) < 0) {
                throw new IOException("closed in body");
            }
        }
        return new Request(first[0], first[1], headers, new String(body.array(), StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        Files.deleteIfExists(socket);
    }
}
