package dev.speckitty.protocol.local;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/**
 * The user this process runs as, as the file system names owners, found without starting a process:
 * the owner of {@code /proc/self} on Linux, else the account the JVM reports ({@code user.name}).
 * Principals of the default file system are equal when their uids are, so this compares with a file's
 * owner and with the peer of a Unix socket ({@code SO_PEERCRED}). Thread-safe; looked up once.
 */
public final class LocalUser {
    private static volatile UserPrincipal current;

    private LocalUser() {
    }

    public static UserPrincipal current() throws IOException {
        UserPrincipal user = current;
        if (user == null) {
            Path self = Path.of("/proc/self");
            user = Files.isDirectory(self)
                    ? Files.getOwner(self)
                    : FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
            current = user;
        }
        return user;
    }

    /** The owner of {@code path} (not following a link) and, where the file system has one, its uid: {@code nobody (uid 65534)}. */
    public static String describeOwner(Path path) {
        try {
            UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
            Object uid = uid(path);
            return owner.getName() + (uid == null || uid.toString().equals(owner.getName()) ? "" : " (uid " + uid + ")");
        } catch (IOException e) {
            return "an unknown user (" + e.getMessage() + ")";
        }
    }

    private static Object uid(Path path) {
        try {
            return Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }
}
