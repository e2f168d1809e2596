package dev.speckitty.cli.control;

import dev.speckitty.protocol.local.LocalUser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/**
 * Checks that the process at the other end of a control connection runs as this user, before the
 * CLI sends it a byte: another local user who took the socket's name (a fallback directory in
 * {@code /tmp} made first with mode 0777) would otherwise receive every event and answer "Queued".
 * The kernel's {@code SO_PEERCRED} names the peer; where it is not available, the socket file and its
 * directory must be this user's. A foreign peer is {@link ForeignDaemonException} (a kind of "daemon
 * not running", so commands fall back to the local queue), warned about once per process.
 * Thread-safe.
 */
public final class PeerCheck {
    private final PrintStream err;
    private boolean warned;

    public PeerCheck(PrintStream err) {
        this.err = err;
    }

    /**
     * @throws ForeignDaemonException when the peer is another user
     * @throws IOException when neither the peer nor the socket's owner can be read
     */
    void check(SocketChannel channel, Path socket) throws IOException {
        UserPrincipal self = LocalUser.current();
        String peer;
        try {
            UserPrincipal user = channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user();
            if (user.equals(self)) {
                return;
            }
            peer = user.getName();
        } catch (UnsupportedOperationException e) {
            Path dir = socket.toAbsolutePath().getParent();
            if (Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).equals(self) && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).equals(self)) {
                return;
            }
            peer = LocalUser.describeOwner(socket);
        }
        ForeignDaemonException e = new ForeignDaemonException(socket, peer, self.getName());
        warnOnce(e.getMessage());
        throw e;
    }

    private synchronized void warnOnce(String message) {
        if (!warned) {
            warned = true;
            err.println("warning: " + message);
        }
    }
}
