package dev.speckitty.daemon;

import dev.speckitty.protocol.local.SpecKittyHome;
import java.nio.file.Path;

/** A second process for {@link DaemonLockTest}: takes the lock, says so, holds it until stdin closes. */
public final class LockHolderMain {
    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        try (DaemonLock lock = DaemonLock.acquire(SpecKittyHome.at(Path.of(args[0])))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the test closes our stdin
            }
        }
    }
}
