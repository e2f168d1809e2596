package dev.speckitty.e2e.reliability;

import static dev.speckitty.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.daemon.control.SocketPaths;
import dev.speckitty.e2e.support.ServerProcess;
import dev.speckitty.e2e.support.SpecKitty;
import dev.speckitty.e2e.support.TeamHistory;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.testing.TestEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One reliability scenario's world: a team server process, one home logged in to it (directly or
 * through a URL the test chooses, e.g. a fault proxy), and the ways a test looks at them: queue depth
 * straight from {@code queue.db}, the control API over the Unix socket, the server's history. Owned by
 * one test.
 */
final class Rig implements AutoCloseable {
    static final String USER = "ada";
    static final String TEAM = "team-a";
    static final String PASSWORD = "correct horse battery staple";

    final SpecKitty sk;
    final Path dir;
    final Path data;
    ServerProcess server;

    private Rig(Path dir) throws Exception {
        this.dir = dir;
        this.sk = new SpecKitty(Files.createDirectories(dir.resolve("home")));
        this.data = Files.createDirectories(dir.resolve("server-data"));
        ServerProcess.addUser(sk.dist(), data, USER, TEAM, PASSWORD);
        this.server = ServerProcess.start(sk.dist(), data);
    }

    /** A server and a home; the home is not configured yet. */
    static Rig create(Path dir) throws Exception {
        return new Rig(dir);
    }

    /** Points the home at {@code url} and logs in there. */
    Rig login(String url) {
        ok("config", "set", "sync.server_url", url);
        SpecKitty.Run login = sk.runWithInput(PASSWORD + "\n", "auth", "login", "--username", USER, "--password-stdin");
        assertEquals(0, login.exit(), login.toString());
        return this;
    }

    SpecKitty.Run ok(String... args) {
        SpecKitty.Run r = sk.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r);
        return r;
    }

    void restartServer() throws Exception {
        int port = server.port();
        server.kill();
        server = ServerProcess.start(sk.dist(), data, "127.0.0.1:" + port);
    }

    // ------------------------------------------------------------- queue.db, read as a second process would

    long depth() {
        return count("SELECT COUNT(*) FROM queue");
    }

    long parked() {
        return count("SELECT COUNT(*) FROM parked");
    }

    /**
     * Writes a row as the Python tool (or an older version of ours) would: straight into the queue
     * table, enqueued at {@code timestamp} (Unix seconds), nothing checked.
     */
    void queueDirectly(String eventId, String data, long timestamp) {
        Path db = sk.home().resolve("queue.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.PreparedStatement q = c.prepareStatement(
                     "INSERT INTO queue (event_id, event_type, data, timestamp, retry_count) VALUES (?, 'HistoryAdded', ?, ?, 0)")) {
            q.setString(1, eventId);
            q.setString(2, data);
            q.setLong(3, timestamp);
            q.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError("cannot write " + db + ": " + e.getMessage(), e);
        }
    }

    /** One number from {@code queue.db}, e.g. {@code SELECT MIN(timestamp) FROM queue}. */
    long count(String sql) {
        Path db = sk.home().resolve("queue.db");
        if (!Files.exists(db)) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 30000");
            try (ResultSet r = s.executeQuery(sql)) {
                return r.next() ? r.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot read " + db + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------- daemon

    long daemonPid() throws IOException {
        return Long.parseLong(Files.readString(sk.home().resolve("daemon.lock")).trim());
    }

    /** SIGKILL the daemon and wait until it is gone. */
    void killDaemon() throws Exception {
        long pid = daemonPid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        until(Duration.ofSeconds(30), "daemon " + pid + " to die", () -> !running(pid));
    }

    /** Alive and not a zombie: a daemon started by `daemon start` is reaped by init, sometimes seconds later. */
    static boolean running(long pid) {
        if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@code POST /v1/events} on the control socket, as any local tool could; answers the HTTP status and body. */
    String controlPost(String path, String body) throws IOException {
        Path socket = SocketPaths.resolve(SpecKittyHome.at(sk.home()));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                    + "\r\nConnection: close\r\n\r\n";
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap(b));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Enqueues notes with the given markers through the control API; true when the daemon answered 200. */
    boolean enqueueViaControl(List<String> markers) throws IOException {
        String events = markers.stream().map(Rig::draft).collect(Collectors.joining(","));
        String answer = controlPost(ControlApi.EVENTS, "{\"events\":[" + events + "]}");
        if (!answer.startsWith("HTTP/1.1 200")) {
            System.out.println("control API refused an enqueue: " + answer);
            return false;
        }
        return true;
    }

    /** One draft note; the marker in its content identifies it on the server. */
    static String draft(String marker) {
        return Json.write(TestEvents.noteDraft(marker));
    }

    /** Writes the drafts as an NDJSON import file. */
    Path draftsFile(String name, List<String> markers) throws IOException {
        return Files.writeString(dir.resolve(name), markers.stream().map(Rig::draft).collect(Collectors.joining("\n", "", "\n")));
    }

    static List<String> combined(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static List<String> markers(String prefix, int from, int n) {
        List<String> m = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            m.add(prefix + i);
        }
        return m;
    }

    /** The access and refresh tokens in the home's credentials file. */
    List<String> tokensOfHome() throws IOException {
        List<String> found = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*(access|refresh)\\s*=\\s*\"([^\"]+)\"")
                .matcher(Files.readString(sk.home().resolve("credentials")));
        while (m.find()) {
            found.add(m.group(2));
        }
        return found;
    }

    // ------------------------------------------------------------- the server's truth

    /** What the server holds compared with what was emitted. */
    record Tally(int emitted, int stored, int lost, int duplicated) {
    }

    Tally tally(Set<String> emitted) throws Exception {
        List<JsonNode> history = TeamHistory.pullAll(server.url(), USER, PASSWORD);
        Map<String, Integer> byMarker = new HashMap<>();
        Set<String> ids = new HashSet<>();
        int duplicated = 0;
        for (JsonNode e : history) {
            if (!ids.add(e.path("event_id").asText())) {
                duplicated++;
            }
            byMarker.merge(e.at("/payload/entry_content").asText(), 1, Integer::sum);
        }
        int lost = 0;
        for (String m : emitted) {
            int n = byMarker.getOrDefault(m, 0);
            if (n == 0) {
                lost++;
            } else {
                duplicated += n - 1;
            }
        }
        return new Tally(emitted.size(), history.size(), lost, duplicated);
    }

    /** What a failing test should show: the status, the queue and the daemon log's tail. */
    String diagnostics() {
        StringBuilder s = new StringBuilder("depth=" + depth() + " parked=" + parked() + "\n");
        s.append(sk.run("sync", "status", "--json").out());
        Path log = sk.home().resolve("logs/daemon.log");
        try {
            List<String> lines = Files.readAllLines(log);
            s.append("--- ").append(log).append(" (tail)\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
        } catch (IOException e) {
            s.append("(no daemon log: ").append(e.getMessage()).append(")");
        }
        return s.toString();
    }

    /** {@link dev.speckitty.testing.Await#until} that adds {@link #diagnostics} to the failure. */
    void awaitOrExplain(Duration timeout, String what, BooleanSupplier condition) {
        try {
            until(timeout, what, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            sk.run("daemon", "stop");
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }
}
