package dev.speckitty.cli.control;

import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A tiny HTTP/1.1 client for the daemon's control API over its Unix socket, built on the JDK's
 * {@code SocketChannel} so the CLI starts without Netty. One request per connection
 * ({@code Connection: close}). The peer of every connection is checked ({@link PeerCheck}) before
 * a byte is sent; every answer's version header goes through {@link VersionCheck}. Stateless apart
 * from the two checks; each call uses its own channel.
 */
public final class ControlClient {
    private final Path socket;
    private final Duration idleTimeout;
    private final VersionCheck versionCheck;
    private final PeerCheck peerCheck;

    public ControlClient(Path socket, Duration idleTimeout, VersionCheck versionCheck, PeerCheck peerCheck) {
        this.socket = socket;
        this.idleTimeout = idleTimeout;
        this.versionCheck = versionCheck;
        this.peerCheck = peerCheck;
    }

    public Path socket() {
        return socket;
    }

    /** This client with another idle timeout (a long sync sends nothing for a while), sharing the checks. */
    public ControlClient withIdleTimeout(Duration timeout) {
        return new ControlClient(socket, timeout, versionCheck, peerCheck);
    }

    /** {@code GET path}. */
    public ControlResponse get(String path) {
        return send("GET", path, null);
    }

    /** {@code POST path} with {@code body} as JSON (or no body when null). */
    public ControlResponse post(String path, Object body) {
        return send("POST", path, body == null ? null : Json.writeBytes(body));
    }

    /** {@code POST path} with a body that is already JSON. */
    public ControlResponse postJson(String path, byte[] json) {
        return send("POST", path, json);
    }

    /**
     * Whether a daemon answers {@code GET /v1/daemon} right now (one older than that path answers it
     * 404: it answers too). Never counts the queue, as a status would.
     */
    public boolean answers() {
        try (ControlResponse r = get(ControlApi.DAEMON)) {
            return r.ok() || r.status() == 404;
        } catch (DaemonNotRunningException | ControlApiException e) {
            return false;
        }
    }

    /**
     * Whether something accepts a connection on the socket right now: a connect and a close, no
     * request (a daemon's status can take a while over a large queue). Says nothing of who listens;
     * the requests that follow check that.
     */
    public boolean listening() {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            connect(channel);
            return true;
        } catch (IOException | DaemonNotRunningException e) {
            return false;
        }
    }

    /** Connects {@code channel} to the socket; {@link DaemonNotRunningException} when nobody listens there. */
    private void connect(SocketChannel channel) throws IOException {
        if (!Files.exists(socket)) {
            throw new DaemonNotRunningException(socket, "no socket file");
        }
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException e) {
            throw new DaemonNotRunningException(socket, "nobody is listening (a stale socket file)");
        } catch (SocketException e) {
            throw new DaemonNotRunningException(socket, e.getMessage());
        }
    }

    private ControlResponse send(String method, String path, byte[] body) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new ControlApiException("cannot open a Unix socket: " + e.getMessage(), e);
        }
        Selector selector = null;
        try {
            connect(channel);
            peerCheck.check(channel, socket);
            channel.configureBlocking(false);
            selector = Selector.open();
            IOException unsent = null;
            try {
                writeFully(channel, selector, requestHead(method, path, body));
                if (body != null) {
                    writeFully(channel, selector, ByteBuffer.wrap(body));
                }
            } catch (IOException e) {
                // A daemon at its connection bound answers 503 before it reads and closes: the write
                // then fails (broken pipe) while that answer already waits in our receive buffer.
                unsent = e;
            }
            InputStream in = new ChannelInputStream(channel, selector, idleTimeout);
            HttpMessageReader.Head head;
            try {
                head = HttpMessageReader.readHead(in);
            } catch (IOException e) {
                throw unsent != null ? unsent : e;
            }
            InputStream bodyStream = HttpMessageReader.body(head, in);
            Selector ownedSelector = selector;
            ControlResponse response = new ControlResponse(head.status(), head.headers(), bodyStream, () -> {
                ownedSelector.close();
                channel.close();
            });
            versionCheck.check(response.header(ControlApi.VERSION_HEADER));
            return response;
        } catch (IOException e) {
            closeQuietly(channel, selector);
            throw new ControlApiException("the daemon on " + socket + " did not answer " + method + " " + path
                    + " properly (" + e.getMessage() + "); see `spec-kitty daemon logs`", e);
        } catch (RuntimeException e) {
            closeQuietly(channel, selector);
            throw e;
        }
    }

    private static ByteBuffer requestHead(String method, String path, byte[] body) {
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n")
                .append("User-Agent: spec-kitty-cli/").append(Version.current()).append("\r\n")
                .append(ControlApi.VERSION_HEADER).append(": ").append(Version.current()).append("\r\n")
                .append("Accept: application/json, ").append(ControlApi.NDJSON).append("\r\n")
                .append("Connection: close\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\n").append("Content-Length: ").append(body.length).append("\r\n");
        } else if (method.equals("POST")) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        return ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private void writeFully(SocketChannel channel, Selector selector, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.write(buf) == 0) {
                SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
                int ready = selector.select(idleTimeout.toMillis());
                key.interestOps(0);
                selector.selectedKeys().clear();
                if (ready == 0) {
                    throw new IOException("the daemon stopped reading the request for " + idleTimeout.toSeconds() + " s");
                }
            }
        }
    }

    private static void closeQuietly(SocketChannel channel, Selector selector) {
        try {
            if (selector != null) {
                selector.close();
            }
            channel.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one to report
        }
    }
}
