package dev.speckitty.server.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Creates {@code --data DIR} before the store opens it, so a failure says why in words and what to pass instead. Stateless. */
final class DataDirectory {
    private DataDirectory() {
    }

    static void create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            String why = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "a file that is not a directory is in the way"
                    : e instanceof NoSuchFileException ? "its parent cannot be created"
                    : e.getReason() != null ? e.getReason() : "the file system refused";
            String at = e.getFile() != null && !e.getFile().equals(dir.toString()) ? " (at " + e.getFile() + ")" : "";
            throw new IllegalStateException("cannot create the data directory " + dir + ": " + why + at
                    + "; pass --data with a directory this user can write");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory " + dir + " (" + e.getMessage()
                    + "); pass --data with a directory this user can write", e);
        }
    }
}
