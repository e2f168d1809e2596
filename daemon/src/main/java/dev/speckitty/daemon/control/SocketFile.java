package dev.speckitty.daemon.control;

import dev.speckitty.protocol.local.FilePermissions;
import dev.speckitty.protocol.local.LocalUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Prepares the path a control socket binds to: a directory of this user that nobody else may enter
 * (0700; refused otherwise, see {@link #requireOwnPrivateDirectory}), and no stale socket file in the
 * way.
 */
final class SocketFile {
    private SocketFile() {
    }

    /**
     * Creates the socket's directory (0700) if it is missing, refuses one that is not this user's own
     * and private, and deletes a socket file nobody listens on.
     *
     * @throws IllegalStateException when the directory is another user's or open to others, or a live
     *     process answers on {@code socket}
     */
    static void prepare(Path socket) {
        Path dir = socket.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir.getParent());
            try {
                // Created 0700 (less, with an odd umask) in one step: nobody else can enter it at any moment.
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(FilePermissions.OWNER_DIR));
                } else {
                    Files.createDirectory(dir);
                }
                FilePermissions.privateDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // There already: it must be ours and private, checked below like one we made.
            }
            requireOwnPrivateDirectory(dir);
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (answers(socket)) {
                throw new IllegalStateException("another daemon is listening on " + socket
                        + "; stop it with `spec-kitty daemon stop`, or use another SPEC_KITTY_HOME");
            }
            // Left behind by a daemon that died without cleaning up: binding would fail with EADDRINUSE.
            Files.delete(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the control socket " + socket + " (" + e.getMessage()
                    + "); check that its directory is writable by this user", e);
        }
    }

    /**
     * The control socket's directory must be a directory (not a link) owned by this user with mode
     * 0700: another local user who made it first (say {@code /tmp/spec-kitty-<user>}, mode 0777) could
     * bind the socket name and take every event the CLI sends. Not repaired, because whoever could
     * enter it may have left something in it: the user is told what to do.
     */
    static void requireOwnPrivateDirectory(Path dir) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String mode = PosixFilePermissions.toString(a.permissions());
        String octal = FilePermissions.octal(a.permissions());
        if (!a.isDirectory()) {
            throw new IllegalStateException("the control socket directory " + dir + " is not a directory (a link or a file of "
                    + LocalUser.describeOwner(dir) + "); remove it (`rm " + dir + "`), then start the daemon again");
        }
        if (!a.owner().equals(LocalUser.current())) {
            throw new IllegalStateException("the control socket directory " + dir + " belongs to " + LocalUser.describeOwner(dir)
                    + " with mode " + octal + " (expected: owned by " + LocalUser.current().getName() + ", mode 0700); another user may"
                    + " have made it to take the events this CLI sends. Remove it as root (`sudo rm -rf " + dir + "`), or set"
                    + " XDG_RUNTIME_DIR or a shorter SPEC_KITTY_HOME, then start the daemon again");
        }
        if (!mode.equals("rwx------")) {
            throw new IllegalStateException("the control socket directory " + dir + " has mode " + octal
                    + " (expected: 0700); others could enter it. Check that nothing in it is someone else's, run `chmod 700 "
                    + dir + "`, then start the daemon again");
        }
    }

    /** Makes the bound socket owner-only. */
    static void restrict(Path socket) {
        try {
            FilePermissions.privateFile(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the control socket " + socket + " private (" + e.getMessage() + ")", e);
        }
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
