package dev.speckitty.daemon.control;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw HTTP/1.1 client over the JDK's Unix socket channel, reading exactly what the server sends. */
final class UnixHttp implements AutoCloseable {
    /** A response head: status and headers (lower-case names). */
    record Head(int status, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean chunked() {
            return "chunked".equalsIgnoreCase(header("transfer-encoding"));
        }
    }

    /** A whole response. */
    record Response(Head head, String body) {
        int status() {
            return head.status();
        }

        String header(String name) {
            return head.header(name);
        }
    }

    private final SocketChannel channel;
    private final InputStream in;

    private UnixHttp(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedInputStream(Channels.newInputStream(channel));
    }

    static UnixHttp connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new UnixHttp(ch);
    }

    static String request(String method, String path, String body, String... extraHeaders) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : extraHeaders) {
            sb.append(h).append("\r\n");
        }
        if (body != null) {
            sb.append("Content-Type: application/json\r\n");
        }
        sb.append("Content-Length: ").append(bytes.length).append("\r\n\r\n").append(body == null ? "" : body);
        return sb.toString();
    }

    void sendRaw(String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    Response exchange(String method, String path, String body, String... extraHeaders) throws IOException {
        sendRaw(request(method, path, body, extraHeaders));
        return read();
    }

    Response read() throws IOException {
        Head head = readHead();
        if (head.chunked()) {
            StringBuilder body = new StringBuilder();
            for (String chunk = readChunk(); chunk != null; chunk = readChunk()) {
                body.append(chunk);
            }
            return new Response(head, body.toString());
        }
        int length = Integer.parseInt(head.header("content-length"));
        return new Response(head, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    Head readHead() throws IOException {
        String status = line();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(status.split(" ")[1]), headers);
    }

    /** The next chunk of a chunked body, or null after the last (empty) chunk. */
    String readChunk() throws IOException {
        int size = Integer.parseInt(line().split(";")[0].trim(), 16);
        if (size == 0) {
            line(); // the blank line after the last chunk (no trailers)
            return null;
        }
        String chunk = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        line();
        return chunk;
    }

    /** True when the server has closed the connection. */
    boolean atEof() throws IOException {
        return in.read() < 0;
    }

    private String line() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed mid-response");
            }
            if (prev == '\r' && b == '\n') {
                byte[] bytes = out.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            out.write(b);
            prev = b;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
