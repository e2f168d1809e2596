package dev.speckitty.protocol.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where every local file lives: {@code SPEC_KITTY_HOME}, or {@code ~/.spec-kitty}. Pure path
 * arithmetic; nothing is created here.
 */
public record SpecKittyHome(Path root, Path socketDirectoryFallback) {
    /** Unix socket paths longer than this do not fit {@code sockaddr_un} on every platform. */
    static final int MAX_SOCKET_PATH_BYTES = 100;

    /** Resolves the home from the process environment and system properties. */
    public static SpecKittyHome fromEnvironment() {
        return resolve(System.getenv(), System.getProperty("user.home"), System.getProperty("user.name"));
    }

    /** Resolves the home from an explicit environment (for tests and for the daemon's child processes). */
    public static SpecKittyHome resolve(Map<String, String> env, String userHome, String userName) {
        String configured = env.get("SPEC_KITTY_HOME");
        Path root = configured != null && !configured.isBlank()
                ? Path.of(configured).toAbsolutePath().normalize()
                : Path.of(userHome, ".spec-kitty");
        String runtime = env.get("XDG_RUNTIME_DIR");
        Path fallback = runtime != null && !runtime.isBlank()
                ? Path.of(runtime, "spec-kitty")
                : Path.of(System.getProperty("java.io.tmpdir"), "spec-kitty-" + userName);
        return new SpecKittyHome(root, fallback);
    }

    /** A home at an explicit directory, with the default socket fallback. */
    public static SpecKittyHome at(Path root) {
        // Keep the real XDG_RUNTIME_DIR: a daemon started with at() and a CLI using fromEnvironment()
        // must agree on where a long home's socket lives.
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SPEC_KITTY_HOME", root.toString());
        return resolve(env, System.getProperty("user.home"), System.getProperty("user.name"));
    }

    public Path config() {
        return root.resolve("config.toml");
    }

    public Path credentials() {
        return root.resolve("credentials");
    }

    public Path credentialsLock() {
        return root.resolve("credentials.lock");
    }

    public Path clock() {
        return root.resolve("clock.json");
    }

    public Path clockLock() {
        return root.resolve("clock.lock");
    }

    public Path queueDb() {
        return root.resolve("queue.db");
    }

    /**
     * The directory where spec-kitty 3.x keeps one queue per server, user and team
     * ({@code queues/queue-<16 hex>.db}); this tool drains only {@link #queueDb()}.
     */
    public Path scopedQueues() {
        return root.resolve("queues");
    }

    public Path daemonLock() {
        return root.resolve("daemon.lock");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    /**
     * The control socket: {@code daemon.sock} in the home when that path is short enough for a Unix
     * socket, otherwise a per-home name in the fallback directory ({@code $XDG_RUNTIME_DIR/spec-kitty/}
     * or {@code /tmp/spec-kitty-<user>/}).
     */
    public Path socket() {
        Path inHome = root.resolve("daemon.sock");
        if (inHome.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES) {
            return inHome;
        }
        return socketDirectoryFallback.resolve(shortHash(root.toString()) + ".sock");
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
