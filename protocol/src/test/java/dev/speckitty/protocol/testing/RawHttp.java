package dev.speckitty.protocol.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 on a plain socket, for tests that must send what no well-behaved client sends (pipelined
 * requests, smuggling headers, bodies never read) and see exactly what comes back, answer by answer.
 * Reads answers framed by {@code Content-Length} only (what the team server writes). One thread.
 */
public final class RawHttp implements AutoCloseable {
    /** One answer: status, headers (names lower case; the last value of a repeated header) and body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length > 300 ? text().substring(0, 300) + "…" : text());
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code host:port} from any local address, with a 10 s read timeout. */
    public static RawHttp connect(String host, int port) {
        return connect(host, port, null, 0);
    }

    /**
     * Connects from {@code local} (e.g. 127.0.0.2, so a test can be a different client address on
     * loopback; null = any) with a receive buffer of {@code receiveBuffer} bytes (0 = the default;
     * set before connecting so the window is small from the start).
     */
    public static RawHttp connect(String host, int port, InetAddress local, int receiveBuffer) {
        Socket s = new Socket();
        try {
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            if (local != null) {
                s.bind(new InetSocketAddress(local, 0));
            }
            s.connect(new InetSocketAddress(host, port), 10_000);
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            return new RawHttp(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the connect failure is the one to report
            }
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    /** A request with the given extra header lines (each "Name: value") and a body with its Content-Length. */
    public static byte[] request(String method, String target, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (body.length > 0 || method.equals("POST")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    public Socket socket() {
        return socket;
    }

    public RawHttp readTimeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes raw bytes (ISO-8859-1 for text, so every char is one byte). */
    public RawHttp send(String raw) {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] raw) {
        try {
            out.write(raw);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + raw.length + " bytes", e);
        }
        return this;
    }

    /** Writes, and answers false instead of failing when the server has closed or reset the connection. */
    public boolean trySend(byte[] raw) {
        try {
            out.write(raw);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The next answer; empty when the server closed the connection (or reset it) before one began. */
    public Optional<Response> read() {
        try {
            String status = line();
            if (status == null) {
                return Optional.empty();
            }
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IllegalStateException("not an HTTP status line: " + status);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(); l != null && !l.isEmpty(); l = line()) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new IllegalStateException("answer cut after " + body.length + " of " + length + " body bytes");
            }
            return Optional.of(new Response(Integer.parseInt(parts[1]), headers, body));
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("no answer within the read timeout", e);
        } catch (SocketException e) {
            return Optional.empty(); // reset
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next answer, which must come. */
    public Response expect() {
        return read().orElseThrow(() -> new AssertionError("the server closed the connection instead of answering"));
    }

    /**
     * Reads and discards until the server closes (EOF or reset) or {@code timeoutMillis} pass; answers
     * how many bytes came before the close, or -1 when the connection was still open at the deadline.
     */
    public long drainUntilClosed(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return -1;
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(left, 1_000)));
                try {
                    int n = in.read(buf);
                    if (n < 0) {
                        return total;
                    }
                    total += n;
                } catch (SocketTimeoutException e) {
                    // poll the deadline again
                }
            }
        } catch (IOException e) {
            return total; // reset: closed too
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream l = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = l.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            l.write(b);
            if (l.size() > 65_536) {
                throw new IllegalStateException("header line longer than 64 KiB");
            }
        }
        return l.size() == 0 ? null : l.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test socket: nothing to do
        }
    }
}
