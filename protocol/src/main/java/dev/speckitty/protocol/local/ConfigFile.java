package dev.speckitty.protocol.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * Reads and edits {@code config.toml}. Edits touch only the one key, keeping comments, unknown keys
 * and the layout the Python tool (or a person) wrote.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    /** The settings in {@code file}; defaults when it does not exist. */
    public static SyncConfig load(Path file) {
        Optional<TomlParseResult> parsed = Toml.read(file);
        if (parsed.isEmpty()) {
            return SyncConfig.defaults();
        }
        TomlParseResult toml = parsed.get();
        SyncConfig d = SyncConfig.defaults();
        return new SyncConfig(
                Optional.ofNullable(string(file, toml, ConfigKey.SERVER_URL)),
                integer(file, toml, ConfigKey.MAX_QUEUE_SIZE, d.maxQueueSize()),
                bool(file, toml, ConfigKey.WEBSOCKET, d.websocket()),
                (int) integer(file, toml, ConfigKey.BATCH_SIZE, d.batchSize()),
                (int) integer(file, toml, ConfigKey.PARK_AFTER_REJECTIONS, d.parkAfterRejections()),
                (int) integer(file, toml, ConfigKey.POLL_INTERVAL_SECONDS, d.pollIntervalSeconds()));
    }

    /** The raw value of one key as text, if set (for {@code config get}). */
    public static Optional<String> get(Path file, ConfigKey key) {
        return Toml.read(file).map(t -> t.get(key.dotted())).map(Object::toString);
    }

    /** Sets one key, creating the file or the table if needed. The value is checked against the key's kind. */
    public static void set(Path file, ConfigKey key, String value) {
        String literal = key.toTomlLiteral(value);
        String text = Toml.readText(file).orElse("");
        Toml.parse(file, text); // refuse to edit a file we cannot read back
        String updated = TomlLineEditor.set(text, key.table(), key.key(), literal);
        checkEdit(file, key, literal, updated);
        try {
            AtomicFile.write(file, updated, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The line editor knows only common layouts; rather than write a file that no longer parses or
     * that says something else, refuse and tell the user to edit it by hand.
     */
    private static void checkEdit(Path file, ConfigKey key, String literal, String updated) {
        TomlParseResult result = org.tomlj.Toml.parse(updated);
        Object expected = org.tomlj.Toml.parse("v = " + literal).get("v");
        if (result.hasErrors() || !expected.equals(result.get(key.dotted()))) {
            throw new IllegalStateException("cannot set " + key.dotted() + " in " + file
                    + ": its layout is too unusual to edit safely; set `" + key.key() + " = " + literal
                    + "` under [" + key.table() + "] by hand");
        }
    }

    private static String string(Path file, TomlParseResult toml, ConfigKey key) {
        Object v = toml.get(key.dotted());
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw wrongType(file, toml, key, "a string");
        }
        return s;
    }

    private static long integer(Path file, TomlParseResult toml, ConfigKey key, long fallback) {
        Object v = toml.get(key.dotted());
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Long n) || n < 1 || n > key.maxValue()) {
            throw wrongType(file, toml, key, key.maxValue() == Long.MAX_VALUE ? "an integer >= 1" : "an integer in 1.." + key.maxValue());
        }
        return n;
    }

    private static boolean bool(Path file, TomlParseResult toml, ConfigKey key, boolean fallback) {
        Object v = toml.get(key.dotted());
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw wrongType(file, toml, key, "true or false");
        }
        return b;
    }

    private static MalformedFileException wrongType(Path file, TomlParseResult toml, ConfigKey key, String expected) {
        TomlPosition pos = toml.inputPositionOf(key.dotted());
        return new MalformedFileException(file, pos == null ? 1 : pos.line(), pos == null ? 1 : pos.column(),
                key.dotted() + " = " + toml.get(key.dotted()) + " (expected: " + expected + ")");
    }
}
