import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enqueue load over the daemon's control socket: P producers, each one keep-alive HTTP/1.1
 * connection POSTing one event per request to /v1/events (the body the CLI's DaemonClient sends for
 * `events emit`), for S seconds or until N events in all were answered. Prints one line:
 * "P producers: E events in T s = R events/s (errors X)". Exits 1 on a non-200 answer.
 *
 * Usage: java Enqueue.java SOCKET PRODUCERS SECONDS MAX_EVENTS CWD VERSION
 */
public final class Enqueue {
    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        int producers = Integer.parseInt(args[1]);
        long deadline = System.nanoTime() + (long) (Double.parseDouble(args[2]) * 1e9);
        long max = Long.parseLong(args[3]);
        String cwd = args[4];
        String version = args[5];
        AtomicLong issued = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread t = new Thread(() -> {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    Reader in = new Reader(ch);
                    start.await();
                    while (System.nanoTime() < deadline && issued.incrementAndGet() <= max) {
                        byte[] body = ("{\"events\":[{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\",\"aggregate_type\":\"WorkPackage\","
                                + "\"payload\":{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\"benchmark note " + producer + "-"
                                + done.get() + " with a little text\"}}],\"cwd\":" + quote(cwd) + "}").getBytes(StandardCharsets.UTF_8);
                        String head = "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nUser-Agent: spec-kitty-cli/" + version + "\r\n"
                                + "X-Spec-Kitty-Version: " + version + "\r\nAccept: application/json, application/x-ndjson\r\n"
                                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
                        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
                        ByteBuffer out = ByteBuffer.allocate(h.length + body.length).put(h).put(body).flip();
                        while (out.hasRemaining()) {
                            ch.write(out);
                        }
                        int status = in.answer();
                        if (status != 200) {
                            errors.incrementAndGet();
                            problems.add("HTTP " + status + ": " + in.lastBody);
                            return;
                        }
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    problems.add(e.toString());
                }
            }, "producer-" + p);
            t.start();
            threads.add(t);
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d producer(s): %,d events in %.2f s = %,.0f events/s (errors %d)%n", producers, done.get(), s, done.get() / s, errors.get());
        if (!problems.isEmpty()) {
            System.err.println("first problem: " + problems.get(0));
            System.exit(1);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Reads one HTTP answer at a time: the status line, headers up to a blank line, Content-Length bytes. */
    private static final class Reader {
        private final SocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        String lastBody = "";

        Reader(SocketChannel ch) {
            this.ch = ch;
            buf.flip();
        }

        int answer() throws IOException {
            int headEnd;
            while ((headEnd = find()) < 0) {
                fill();
            }
            String head = new String(buf.array(), buf.position(), headEnd - buf.position(), StandardCharsets.ISO_8859_1);
            buf.position(headEnd + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            int length = -1;
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                    length = Integer.parseInt(line.substring(colon + 1).trim());
                }
            }
            if (length < 0) {
                throw new IOException("no Content-Length in: " + head);
            }
            while (buf.remaining() < length) {
                fill();
            }
            lastBody = new String(buf.array(), buf.position(), length, StandardCharsets.UTF_8);
            buf.position(buf.position() + length);
            return status;
        }

        private int find() {
            byte[] a = buf.array();
            for (int i = buf.position(); i + 3 < buf.limit(); i++) {
                if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private void fill() throws IOException {
            buf.compact();
            int n = ch.read(buf);
            buf.flip();
            if (n < 0) {
                throw new IOException("the daemon closed the connection");
            }
        }
    }
}
