package dev.speckitty.protocol.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What {@code stat} says of a file, enough to notice that it changed or that another process replaced
 * it (inode, mtime in nanoseconds, size); {@link #MISSING} when there is no such file. Of a directory
 * only its inode counts: its mtime moves with every change inside it. Read on every enqueue for each
 * file an event depends on (credentials, config, clock, the git files), so a missing file is told
 * without an exception: throwing one per absent file took a tenth of the daemon's time per event.
 */
public record FileStamp(Object key, long modifiedNanos, long size, boolean directory) {
    public static final FileStamp MISSING = new FileStamp(null, -1, -1, false);

    public static FileStamp of(Path path) {
        File file;
        try {
            file = path.toFile();
        } catch (UnsupportedOperationException e) {
            return MISSING;
        }
        if (!file.exists()) {
            return MISSING;
        }
        return read(path);
    }

    /**
     * The stamp of {@code path} now, given its stamp {@code before} (null: none yet): one {@code stat}
     * either way, since a file that was there is looked at directly (its going away, the rare case,
     * costs the exception) and one that was not is first asked whether it exists.
     */
    public static FileStamp of(Path path, FileStamp before) {
        return before == null || before.missing() ? of(path) : read(path);
    }

    private static FileStamp read(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return a.isDirectory() ? new FileStamp(a.fileKey(), 0, 0, true)
                    : new FileStamp(a.fileKey(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size(), false);
        } catch (IOException | RuntimeException e) {
            return MISSING; // gone between the two looks
        }
    }

    public boolean missing() {
        return this.equals(MISSING);
    }
}
