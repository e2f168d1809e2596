package dev.speckitty.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP relay on 127.0.0.1 in front of a real server that keeps every byte a client sent, so a test
 * can show what reached that server (say, that no {@code Authorization} header did). Blocking I/O,
 * two threads per connection; the recording is guarded by its own lock.
 */
public final class RecordingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private volatile int targetPort;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private RecordingRelay(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
        Thread accept = new Thread(this::acceptLoop, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** Relays a free loopback port to {@code 127.0.0.1:targetPort}. */
    public static RecordingRelay to(int targetPort) throws IOException {
        return new RecordingRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
    }

    /**
     * New connections go to {@code 127.0.0.1:port} from now on (open ones stay where they are): the
     * front of a cluster moving its traffic to another instance, the URL clients know unchanged.
     */
    public void retarget(int port) {
        targetPort = port;
    }

    public String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Everything clients sent so far, as ISO-8859-1 text (gzip bodies stay binary noise). */
    public String sent() {
        synchronized (sent) {
            return sent.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                } catch (IOException e) {
                    client.close(); // the target is down: the client sees the connection drop at once
                    server.close();
                    continue;
                }
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                // closed, or the server is gone: the client sees the connection drop
            }
        }
    }

    private void pump(Socket from, Socket to, boolean record) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (record) {
                        synchronized (sent) {
                            sent.write(buffer, 0, n);
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
