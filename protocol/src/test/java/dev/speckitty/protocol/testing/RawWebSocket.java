package dev.speckitty.protocol.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, for tests of clients that misbehave: it reads only when told
 * to (so the server's frames pile up), sends frames of any size and type, and reports the close code
 * it gets. Text and close frames only; one thread.
 */
public final class RawWebSocket implements AutoCloseable {
    /** A frame as read: its opcode and payload (for a close frame, the code and reason). */
    public record Frame(int opcode, byte[] payload) {
        public static final int TEXT = 1;
        public static final int CLOSE = 8;

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame (1005 when it carries none). */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final RawHttp http;
    private final InputStream in;
    private final OutputStream out;

    private RawWebSocket(RawHttp http) throws IOException {
        this.http = http;
        this.in = http.socket().getInputStream();
        this.out = http.socket().getOutputStream();
    }

    /**
     * Upgrades a new connection (from {@code local}, with {@code receiveBuffer}; see {@link RawHttp#connect})
     * with {@code Authorization: Bearer wsToken}; fails unless the answer is 101.
     */
    public static RawWebSocket open(String host, int port, String path, String wsToken, InetAddress local, int receiveBuffer) {
        RawHttp http = RawHttp.connect(host, port, local, receiveBuffer);
        try {
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            http.send("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer " + wsToken + "\r\n\r\n");
            RawWebSocket ws = new RawWebSocket(http);
            String status = ws.headLine();
            if (status == null || !status.startsWith("HTTP/1.1 101")) {
                throw new AssertionError("WebSocket upgrade refused: " + status);
            }
            for (String l = ws.headLine(); l != null && !l.isEmpty(); l = ws.headLine()) {
                // headers of the 101: nothing to check
            }
            return ws;
        } catch (IOException | RuntimeException e) {
            http.close();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    public RawHttp http() {
        return http;
    }

    /** Sends a masked text frame. */
    public void sendText(String text) {
        frame(Frame.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a masked text frame; false when the server has closed or reset the connection. */
    public boolean trySendText(String text) {
        try {
            sendText(text);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Sends a masked frame of {@code opcode}. */
    public void frame(int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        try {
            out.write(f.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send a frame of " + payload.length + " bytes", e);
        }
    }

    /** The next frame; empty when the connection closed (EOF or reset) first. */
    public Optional<Frame> read() {
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return Optional.empty();
            }
            int b1 = in.read();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = ((in.read() & 0xff) << 8) | (in.read() & 0xff);
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (in.read() & 0xff);
                }
            }
            if (length > 64L << 20) {
                throw new IllegalStateException("frame of " + length + " bytes");
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                return Optional.empty();
            }
            return Optional.of(new Frame(b0 & 0x0f, payload));
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("no frame within the read timeout", e);
        } catch (SocketException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads frames until a text frame whose text contains {@code marker}, or fails when the connection closes first. */
    public Frame readTextContaining(String marker) {
        while (true) {
            Frame f = read().orElseThrow(() -> new AssertionError("closed before a frame containing " + marker));
            if (f.opcode() == Frame.TEXT && f.text().contains(marker)) {
                return f;
            }
            if (f.opcode() == Frame.CLOSE) {
                throw new AssertionError("closed with " + f.closeCode() + " before a frame containing " + marker);
            }
        }
    }

    /** Reads frames until the close frame, and answers its code; 1006 when the connection ended without one. */
    public int readUntilClose() {
        while (true) {
            Optional<Frame> f = read();
            if (f.isEmpty()) {
                return 1006;
            }
            if (f.get().opcode() == Frame.CLOSE) {
                return f.get().closeCode();
            }
        }
    }

    private String headLine() throws IOException {
        ByteArrayOutputStream l = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                l.write(b);
            }
        }
        return b < 0 && l.size() == 0 ? null : l.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        http.close();
    }
}
