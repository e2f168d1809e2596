package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-file replacement through a temp file and a rename. */
class AtomicFileTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheWholeFileAndLeavesNoTempFile() throws IOException {
        Path file = dir.resolve("clock.json");
        Files.writeString(file, "a much longer old content that must not survive");
        AtomicFile.write(file, "new", false);
        assertEquals("new", Files.readString(file));
        assertEquals(List.of("clock.json"), names());
    }

    @Test
    void secretFilesAre0600() throws IOException {
        Path file = dir.resolve("credentials");
        AtomicFile.write(file, "x", true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void writesThroughASymlinkInsteadOfReplacingIt() throws IOException {
        Path real = dir.resolve("dotfiles/config.toml");
        Files.createDirectories(real.getParent());
        Files.writeString(real, "old");
        Path link = dir.resolve("config.toml");
        Files.createSymbolicLink(link, Path.of("dotfiles/config.toml"));
        AtomicFile.write(link, "[sync]\n", false);
        assertTrue(Files.isSymbolicLink(link), "the link is kept");
        assertEquals("[sync]\n", Files.readString(real));
    }

    @Test
    void danglingSymlinkCreatesItsTarget() throws IOException {
        Path link = dir.resolve("config.toml");
        Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(link, dir.resolve("elsewhere/config.toml"));
        AtomicFile.write(link, "x", false);
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("x", Files.readString(dir.resolve("elsewhere/config.toml")));
    }

    @Test
    void createsMissingDirectories() throws IOException {
        Path file = dir.resolve("a/b/c.json");
        AtomicFile.write(file, "{}", false);
        assertEquals("{}", Files.readString(file));
    }
}
