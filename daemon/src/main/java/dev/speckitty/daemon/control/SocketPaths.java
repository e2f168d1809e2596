package dev.speckitty.daemon.control;

import dev.speckitty.protocol.local.SpecKittyHome;
import java.nio.file.Path;

/** Where the control socket lives for a home; the rule itself is {@link SpecKittyHome#socket()}, shared with the CLI. */
public final class SocketPaths {
    private SocketPaths() {
    }

    /**
     * {@code daemon.sock} in the home when that path fits a Unix socket address (100 bytes), else a
     * per-home name in {@link SpecKittyHome#socketDirectoryFallback()}.
     */
    public static Path resolve(SpecKittyHome home) {
        return home.socket();
    }
}
