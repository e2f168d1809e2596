package dev.speckitty.protocol.local;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** This machine's node id, as the Python tool derives it: {@code sha256("<hostname>:<username>")[:12]}. */
public final class NodeId {
    private NodeId() {
    }

    /** The node id for a host and user. */
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
