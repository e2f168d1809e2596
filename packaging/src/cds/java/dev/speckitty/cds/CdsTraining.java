package dev.speckitty.cds;

import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.Main;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.control.ConnectionState;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The training run for the CLI's class-data-sharing archive (built at package time with
 * {@code -XX:ArchiveClassesAtExit}): runs the everyday commands once in a scratch home so the
 * classes they load are archived. The daemon-up path is exercised against a minimal responder on
 * a Unix socket that answers status and enqueue the way the daemon does. Runs on the main thread
 * plus one responder thread; never used outside the build.
 *
 * <p>Not part of the distribution: {@code packaging/pom.xml} compiles it against the finished
 * {@code lib/} and the CLI's {@code Launcher} loads it from there in a class loader of its own, so
 * that the archived class path stays the launcher's; it uses the CLI's public API only.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    /** Runs the commands in {@code scratch} (a scratch directory it may fill). */
    public static void run(Path scratch) throws IOException {
        Path home = Files.createDirectories(scratch.resolve("h"));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        CliContext ctx = new CliContext(SpecKittyHome.at(home), out, out, InputStream.nullInputStream(), Optional.empty(),
                Optional.empty(), home, Clock.systemUTC());
        String payload = "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}";
        Main.execute(ctx, "--version");
        Main.execute(ctx, "config", "set", "sync.server_url", "https://sync.example.com");
        Main.execute(ctx, "config", "get", "sync.server_url");
        Main.execute(ctx, "auth", "status");
        Main.execute(ctx, "sync", "status");
        Main.execute(ctx, "sync", "status", "--json");
        Main.execute(ctx, "events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", payload);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            Files.deleteIfExists(ctx.home().socket());
            server.bind(UnixDomainSocketAddress.of(ctx.home().socket()));
            Thread responder = new Thread(() -> respond(server), "cds-training-responder");
            responder.setDaemon(true);
            responder.start();
            Main.execute(ctx, "sync", "status");
            Main.execute(ctx, "sync", "status", "--json");
            Main.execute(ctx, "events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", payload);
            Main.execute(ctx, "daemon", "status");
        } finally {
            Files.deleteIfExists(ctx.home().socket());
        }
        Main.execute(ctx, "--help");
    }

    private static void respond(ServerSocketChannel server) {
        byte[] status = Json.writeBytes(new StatusResponse(Version.current(), ProcessHandle.current().pid(), 1, "https://sync.example.com",
                ConnectionState.CONNECTED, null, null, "ada", "team-a", new QueueStats(1, 1, Map.of("0", 1L), 0), null, "0", 1, "000000000000", 0));
        byte[] enqueued = Json.writeBytes(new EnqueueResponse(1, List.of("01KAT0V6J8Q5R9S1T2V3W4X5Y6"), 1));
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                String head = readHead(ch);
                byte[] body = head.startsWith("POST " + ControlApi.EVENTS) ? enqueued : status;
                skipBody(ch, head);
                ch.write(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\n" + ControlApi.VERSION_HEADER + ": " + Version.current()
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
                ch.write(ByteBuffer.wrap(body));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String readHead(SocketChannel ch) throws IOException {
        InputStream in = Channels.newInputStream(ch);
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) != -1) {
            head.append((char) c);
        }
        return head.toString();
    }

    private static void skipBody(SocketChannel ch, String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                ByteBuffer body = ByteBuffer.allocate(Integer.parseInt(line.substring(15).trim()));
                while (body.hasRemaining() && ch.read(body) >= 0) {
                    // read the whole request so the client is not reset mid-write
                }
            }
        }
    }
}
