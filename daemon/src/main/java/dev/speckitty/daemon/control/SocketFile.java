package dev.speckitty.daemon.control;

import dev.speckitty.protocol.local.FilePermissions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Prepares the path a control socket binds to: a private directory, and no stale socket file in the way. */
final class SocketFile {
    private SocketFile() {
    }

    /**
     * Creates the socket's directory (0700) and deletes a socket file nobody listens on.
     *
     * @throws IllegalStateException when a live process answers on {@code socket}
     */
    static void prepare(Path socket) {
        try {
            FilePermissions.privateDirectory(socket.toAbsolutePath().getParent());
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
