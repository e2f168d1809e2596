package dev.speckitty.cli.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeCacheTest {
    @TempDir
    Path tmp;

    private static byte[] driversLibrary() throws Exception {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    @Test
    void extractsOnceWithPrivateModesAndReusesTheCachedLibrary() throws Exception {
        Path root = tmp.resolve("cache");
        Optional<Path> first = SqliteNativeCache.locate(root);
        assertTrue(first.isPresent());
        Path lib = first.get();
        assertArrayEquals(driversLibrary(), Files.readAllBytes(lib));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lib.getParent())));
        assertFalse(Files.getPosixFilePermissions(lib).toString().contains("GROUP"));
        try (var files = Files.list(lib.getParent())) {
            assertEquals(2, files.count(), "the library and its source, no temp files left");
        }

        FileTime marked = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(lib, marked);
        assertEquals(first, SqliteNativeCache.locate(root));
        assertEquals(marked, Files.getLastModifiedTime(lib), "the second run reuses the cached file");
    }

    @Test
    void aTamperedOrTruncatedLibraryIsNotUsedButReplaced() throws Exception {
        Path root = tmp.resolve("cache");
        Path lib = SqliteNativeCache.locate(root).orElseThrow();
        byte[] good = Files.readAllBytes(lib);

        byte[] tampered = good.clone();
        tampered[tampered.length / 2] ^= 0x5a;
        Files.write(lib, tampered);
        assertEquals(Optional.of(lib), SqliteNativeCache.locate(root));
        assertArrayEquals(good, Files.readAllBytes(lib));

        Files.write(lib, java.util.Arrays.copyOf(good, good.length / 3));
        assertEquals(Optional.of(lib), SqliteNativeCache.locate(root));
        assertArrayEquals(good, Files.readAllBytes(lib));
    }

    @Test
    void aDamagedSourceRecordOrALinkIsNotTrusted() throws Exception {
        Path root = tmp.resolve("cache");
        Path lib = SqliteNativeCache.locate(root).orElseThrow();
        byte[] good = Files.readAllBytes(lib);
        Path source = lib.resolveSibling(lib.getFileName() + ".source");

        Files.writeString(source, "org/sqlite/native/../../evil/" + lib.getFileName());
        assertEquals(Optional.of(lib), SqliteNativeCache.locate(root));
        assertTrue(Files.readString(source).startsWith("org/sqlite/native/"));
        assertFalse(Files.readString(source).contains(".."));

        // A link in place of the library is replaced by a real file, never followed.
        Path elsewhere = Files.write(tmp.resolve("elsewhere.so"), good);
        Files.delete(lib);
        Files.createSymbolicLink(lib, elsewhere);
        assertEquals(Optional.of(lib), SqliteNativeCache.locate(root));
        assertFalse(Files.isSymbolicLink(lib));
        assertTrue(Files.isRegularFile(lib, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aCacheDirectoryOthersCanWriteIsNotUsed() throws Exception {
        Path root = tmp.resolve("cache");
        Path lib = SqliteNativeCache.locate(root).orElseThrow();
        Files.setPosixFilePermissions(lib.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.empty(), SqliteNativeCache.locate(root));

        Path shared = Files.createDirectory(tmp.resolve("shared"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.empty(), SqliteNativeCache.locate(shared));
        try (var files = Files.list(shared)) {
            assertEquals(0, files.count(), "nothing extracted into a directory others can write");
        }
    }

    @Test
    void theCachedLibraryIsDifferentFromTheDriversTempExtraction() throws Exception {
        // Keyed by driver version and platform, under the cache root.
        Path lib = SqliteNativeCache.locate(tmp.resolve("c")).orElseThrow();
        assertTrue(lib.getParent().getFileName().toString().startsWith("sqlite-jdbc-" + org.sqlite.SQLiteJDBCLoader.getVersion() + "-"));
        assertNotEquals(tmp.resolve("c"), lib.getParent());
    }
}
