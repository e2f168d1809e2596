package dev.speckitty.daemon;

import ch.qos.logback.core.rolling.RollingFileAppender;
import dev.speckitty.protocol.local.FilePermissions;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The daemon's rolling log file, created 0600 whatever the umask: logback opens it at start and again
 * after each roll, and would make it 0644 (it holds user names, event ids and server URLs). Rolled
 * files keep the mode, being renamed. Owned by logback's appender lock.
 */
public final class PrivateRollingFileAppender<E> extends RollingFileAppender<E> {
    @Override
    public void openFile(String fileName) throws IOException {
        Path file = Path.of(fileName);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            FilePermissions.privateDirectory(dir);
        }
        FilePermissions.createPrivateFile(file);
        FilePermissions.tighten(file);
        super.openFile(fileName);
    }
}
