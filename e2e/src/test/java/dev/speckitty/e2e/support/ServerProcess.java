package dev.speckitty.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The reference team server as a separate process ({@code bin/spec-kitty-server run}), so a test
 * can kill it to make the server unreachable. Owned by one test.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final String url;

    private ServerProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts the server on a free loopback port and waits (≤ 60 s) for its {@code listening on URL} line. */
    public static ServerProcess start(Path dist, Path data) throws Exception {
        return start(dist, data, "127.0.0.1:0");
    }

    /** Starts the server on {@code listen} (e.g. the port of a server that was stopped, to bring it back). */
    public static ServerProcess start(Path dist, Path data, String listen, String... extra) throws Exception {
        return start(dist, data, listen, java.util.Map.of(), extra);
    }

    /** {@link #start(Path, Path, String, String...)} with extra environment, e.g. {@code SPEC_KITTY_SERVER_OPTS} for JVM flags. */
    public static ServerProcess start(Path dist, Path data, String listen, java.util.Map<String, String> env, String... extra)
            throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(dist.resolve("bin/spec-kitty-server").toString(), "run",
                "--listen", listen, "--data", data.toString()));
        cmd.addAll(java.util.List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(data.resolveSibling(data.getFileName() + ".log").toFile()));
        builder.environment().putAll(env);
        Process p = builder.start();
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = out.readLine()) != null) {
                    if (l.startsWith("listening on ")) {
                        line.complete(l.substring("listening on ".length()).trim());
                    }
                }
                line.completeExceptionally(new IOException("the server exited before listening"));
            } catch (IOException e) {
                line.completeExceptionally(e);
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServerProcess(p, line.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("the team server did not start: " + e, e);
        }
    }

    /** {@code spec-kitty-server user add}. */
    public static void addUser(Path dist, Path data, String user, String team, String password) throws Exception {
        Process p = new ProcessBuilder(dist.resolve("bin/spec-kitty-server").toString(), "user", "add", "--data", data.toString(),
                "--username", user, "--team", team, "--password-stdin").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("user add did not finish");
        }
        assertEquals(0, p.exitValue(), out);
    }

    /** The file the server's stderr (its log) goes to. */
    public static Path logOf(Path data) {
        return data.resolveSibling(data.getFileName() + ".log");
    }

    /** SIGKILL, no clean shutdown: as a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** The server JVM's process id (the launcher execs java). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int port() {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    public String url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
