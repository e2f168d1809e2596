package dev.speckitty.protocol.local;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Creates private directories (0700) and files (0600) whatever the umask, and tightens looser ones;
 * a no-op for the modes on non-POSIX file systems.
 */
public final class FilePermissions {
    public static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.complementOf(EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private FilePermissions() {
    }

    /** Creates the directory and its parents if needed, and makes it 0700. */
    public static Path privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        restrict(dir, OWNER_DIR);
        return dir;
    }

    /**
     * Creates the directory (and its parents) 0700 if it is missing; an existing one is left as it is,
     * for whoever repairs modes to see and report ({@link #tighten}).
     */
    public static Path createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            privateDirectory(dir);
        }
        return dir;
    }

    /** Sets the file to 0600. */
    public static void privateFile(Path file) throws IOException {
        restrict(file, OWNER_FILE);
    }

    /**
     * Creates {@code file} empty and 0600 if it does not exist (never readable by others, not even for
     * a moment: the mode is given at creation, then set again past the umask), for files that another
     * library then opens (SQLite's database, a log file). An existing file is left as it is.
     */
    public static void createPrivateFile(Path file) throws IOException {
        try {
            if (POSIX) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
                Files.setPosixFilePermissions(file, OWNER_FILE);
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // someone (a previous run, the Python tool) made it: tighten() repairs a loose mode
        }
    }

    /**
     * Makes a file 0600 and a directory 0700 when group or others have any permission on it; answers
     * what it did ({@code /home/ada/.spec-kitty/queue.db: 0644 -> 0600}), or empty when the path is
     * missing, a link (its target is not ours to change), already private, or the file system has no
     * POSIX modes.
     */
    public static Optional<String> tighten(Path path) throws IOException {
        if (!POSIX) {
            return Optional.empty();
        }
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (a.isSymbolicLink() || a.permissions().stream().noneMatch(OTHERS::contains)) {
            return Optional.empty();
        }
        Set<PosixFilePermission> wanted = a.isDirectory() ? OWNER_DIR : OWNER_FILE;
        Files.setPosixFilePermissions(path, wanted);
        return Optional.of(path + ": " + octal(a.permissions()) + " -> " + octal(wanted));
    }

    /** A mode as {@code chmod} writes it: {@code 0755}. */
    public static String octal(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (PosixFilePermission p : permissions) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("0%03o", bits);
    }

    private static void restrict(Path path, Set<PosixFilePermission> perms) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(path, perms);
        }
    }
}
