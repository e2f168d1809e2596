package dev.speckitty.engine;

import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.local.FileStamp;
import dev.speckitty.protocol.local.SyncConfig;

import java.nio.file.Path;

/**
 * {@code config.toml} as it is now, for what follows the file while the daemon runs (the server of
 * {@code sync.server_url}, the generation of {@code sync.schema}): one {@code stat} per look, and the
 * file is read again only when its {@link FileStamp} changed. One watch per engine, shared, so an
 * enqueue looks at the file once. Thread-safe.
 */
public final class ConfigWatch {
    /**
     * One reading of the file: its settings, or why it could not be read ({@code config} null). The same
     * instance is answered until the file changes, so a holder can tell a new reading by identity.
     */
    public record Reading(SyncConfig config, RuntimeException problem) {
    }

    private final Path file;
    private FileStamp stamp;
    private Reading reading;

    public ConfigWatch(Path file) {
        this.file = file;
    }

    /** The file's settings now, read again if it changed since the last look. */
    public synchronized Reading current() {
        FileStamp now = FileStamp.of(file, stamp);
        if (reading == null || !now.equals(stamp)) {
            stamp = now;
            try {
                reading = new Reading(ConfigFile.load(file), null);
            } catch (RuntimeException e) {
                reading = new Reading(null, e);
            }
        }
        return reading;
    }
}
