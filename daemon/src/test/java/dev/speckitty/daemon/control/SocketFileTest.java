package dev.speckitty.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket's directory: made private, and refused when it is not this user's own and private. */
class SocketFileTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aMissingDirectoryIsMadePrivate() throws Exception {
        Path socket = dir.resolve("spec-kitty-ada/0123456789abcdef.sock");
        SocketFile.prepare(socket);
        assertEquals("rwx------", mode(socket.getParent()));
    }

    @Test
    void anOwnDirectoryOpenToOthersIsRefusedWithTheFix() throws Exception {
        Path fallback = Files.createDirectory(dir.resolve("spec-kitty-ada"));
        Files.setPosixFilePermissions(fallback, PosixFilePermissions.fromString("rwxrwxrwx"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SocketFile.prepare(fallback.resolve("x.sock")));
        assertEquals("the control socket directory " + fallback + " has mode 0777 (expected: 0700); others could enter it."
                + " Check that nothing in it is someone else's, run `chmod 700 " + fallback + "`, then start the daemon again", e.getMessage());
        assertEquals("rwxrwxrwx", mode(fallback), "not repaired behind the user's back");
    }

    @Test
    void aLinkInPlaceOfTheDirectoryIsRefused() throws Exception {
        Path target = Files.createDirectory(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("spec-kitty-ada"), target);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SocketFile.prepare(link.resolve("x.sock")));
        assertTrue(e.getMessage().startsWith("the control socket directory " + link + " is not a directory"), e.getMessage());
    }

    @Test
    void anotherUsersDirectoryIsRefusedNamingItsOwner() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "SKIPPED: giving a directory to another user needs root");
        UserPrincipal nobody;
        try {
            nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        } catch (java.io.IOException e) {
            Assumptions.abort("SKIPPED: no user nobody on this machine");
            return;
        }
        Path fallback = Files.createDirectory(dir.resolve("spec-kitty-root"));
        Files.setPosixFilePermissions(fallback, PosixFilePermissions.fromString("rwx------"));
        Files.setOwner(fallback, nobody);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SocketFile.prepare(fallback.resolve("x.sock")));
        assertTrue(e.getMessage().startsWith("the control socket directory " + fallback + " belongs to nobody (uid "), e.getMessage());
        assertTrue(e.getMessage().contains("mode 0700 (expected: owned by root, mode 0700); another user may have made it")
                && e.getMessage().contains("`sudo rm -rf " + fallback + "`"), e.getMessage());
    }
}
