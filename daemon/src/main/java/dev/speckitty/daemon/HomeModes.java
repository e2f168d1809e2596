package dev.speckitty.daemon;

import dev.speckitty.protocol.local.FilePermissions;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Repairs, at daemon start, the modes of everything the daemon and the CLI keep in a home: files
 * 0600 and directories 0700, whatever umask or tool (the Python one, an older version) made them.
 * Links are left alone. Only the home's own files are touched, never others in it. Stateless.
 */
final class HomeModes {
    private HomeModes() {
    }

    /** Tightens what is looser than it should be; answers one line per repair or per failure, for the log. */
    static List<String> repair(SpecKittyHome home) {
        List<Path> paths = new ArrayList<>(List.of(home.root(), home.logs(), home.queueDb(),
                sibling(home.queueDb(), "-wal"), sibling(home.queueDb(), "-shm"), home.daemonLock(), home.clock(),
                home.clockLock(), home.credentials(), home.credentialsLock(), home.config()));
        try (Stream<Path> logs = Files.isDirectory(home.logs()) ? Files.list(home.logs()) : Stream.empty()) {
            logs.filter(Files::isRegularFile).sorted().forEach(paths::add);
        } catch (IOException e) {
            return List.of("cannot list " + home.logs() + " to check its modes (" + e.getMessage() + ")");
        }
        List<String> done = new ArrayList<>();
        for (Path p : paths) {
            try {
                FilePermissions.tighten(p).ifPresent(done::add);
            } catch (IOException e) {
                done.add("cannot make " + p + " private (" + e.getMessage() + "); check its owner");
            }
        }
        return done;
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
