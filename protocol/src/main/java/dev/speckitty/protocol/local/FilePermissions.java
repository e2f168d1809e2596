package dev.speckitty.protocol.local;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Creates private directories (0700) and files (0600); a no-op for the modes on non-POSIX file systems. */
public final class FilePermissions {
    public static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private FilePermissions() {
    }

    /** Creates the directory and its parents if needed, and makes it 0700. */
    public static Path privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        restrict(dir, OWNER_DIR);
        return dir;
    }

    /** Sets the file to 0600. */
    public static void privateFile(Path file) throws IOException {
        restrict(file, OWNER_FILE);
    }

    private static void restrict(Path path, Set<PosixFilePermission> perms) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(path, perms);
        }
    }
}
