package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStampTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileIsMissingAndAFileThatAppearsIsNot() throws Exception {
        Path f = dir.resolve("credentials");
        assertTrue(FileStamp.of(f).missing());
        assertEquals(FileStamp.MISSING, FileStamp.of(dir.resolve("no/such/dir/file")));
        Files.writeString(f, "a");
        assertNotEquals(FileStamp.MISSING, FileStamp.of(f));
    }

    @Test
    void aFileRewrittenOrReplacedGetsAnotherStampAndAnUntouchedOneKeepsIt() throws Exception {
        Path f = dir.resolve("clock.json");
        Files.writeString(f, "{\"value\": 1}");
        FileStamp first = FileStamp.of(f);
        assertEquals(first, FileStamp.of(f));
        Files.writeString(f, "{\"value\": 22}");
        FileStamp rewritten = FileStamp.of(f);
        assertNotEquals(first, rewritten);
        // Replaced by a rename with the same size and time: another inode.
        Path next = dir.resolve("clock.json.tmp");
        Files.writeString(next, "{\"value\": 23}");
        Files.setLastModifiedTime(next, Files.getLastModifiedTime(f));
        Files.move(next, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertNotEquals(rewritten, FileStamp.of(f));
    }

    @Test
    void lookedAtAgainWithItsLastStampAFileThatCameOrWentOrChangedIsTold() throws Exception {
        Path f = dir.resolve("config.toml");
        FileStamp none = FileStamp.of(f);
        assertEquals(FileStamp.MISSING, FileStamp.of(f, none));
        Files.writeString(f, "[sync]\n");
        FileStamp there = FileStamp.of(f, none);
        assertNotEquals(FileStamp.MISSING, there);
        assertEquals(there, FileStamp.of(f, there));
        Files.writeString(f, "[sync]\nschema = 3\n");
        assertNotEquals(there, FileStamp.of(f, there));
        Files.delete(f);
        assertEquals(FileStamp.MISSING, FileStamp.of(f, there));
        assertEquals(FileStamp.of(f), FileStamp.of(f, null));
    }

    @Test
    void ofADirectoryOnlyItsIdentityCounts() throws Exception {
        Path git = Files.createDirectory(dir.resolve(".git"));
        FileStamp before = FileStamp.of(git);
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
        assertEquals(before, FileStamp.of(git));
        assertTrue(before.directory());
    }
}
