package dev.speckitty.protocol.local;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Node ids. A home's id is drawn at random when it first creates {@code clock.json} ({@link #random}) and
 * kept in that file; the Python tool's derivation from host and user ({@link #of}) gave two homes of one
 * user on one host the same id, so their events tied in the total order and each took the other's for
 * its own.
 */
public final class NodeId {
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeId() {
    }

    /** A fresh node id: 12 lowercase hex digits (48 random bits), the layout the Python tool writes. */
    public static String random() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The Python tool's node id for a host and user (kept for reading its homes; new homes use {@link #random}). */
    public static String of(String hostname, String username) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((hostname + ":" + username).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /** The node id of this process's host and user. */
    public static String local() {
        return of(hostname(), username(System.getenv(), System.getProperty("user.name")));
    }

    /**
     * Python's {@code getpass.getuser()}: the first non-empty of LOGNAME, USER, LNAME, USERNAME, then
     * the password database (the JVM's {@code user.name}). Following it keeps both tools on one node id.
     */
    static String username(Map<String, String> env, String accountName) {
        for (String name : List.of("LOGNAME", "USER", "LNAME", "USERNAME")) {
            String value = env.get(name);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return accountName;
    }

    /** Python's {@code socket.gethostname()}: the kernel's host name, without a DNS look-up where possible. */
    static String hostname() {
        Path kernel = Path.of("/proc/sys/kernel/hostname");
        try {
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel).trim();
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "localhost" : env;
        }
    }
}
