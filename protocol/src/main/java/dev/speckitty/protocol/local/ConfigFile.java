package dev.speckitty.protocol.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
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
        Optional<String> text = Toml.readText(file);
        if (text.isEmpty()) {
            return SyncConfig.defaults();
        }
        // The plain layout every tool writes is read without tomlj (tens of ms of a CLI start); any
        // other text, and any value of the wrong kind, goes through tomlj for the answer and the error.
        Map<String, Object> plain = PlainToml.parse(text.get());
        SyncConfig fast = plain == null ? null : fromPlain(plain);
        if (fast != null) {
            return fast;
        }
        TomlParseResult toml = Toml.parse(file, text.get());
        SyncConfig d = SyncConfig.defaults();
        return new SyncConfig(
                Optional.ofNullable(string(file, toml, ConfigKey.SERVER_URL)),
                integer(file, toml, ConfigKey.MAX_QUEUE_SIZE, d.maxQueueSize()),
                bool(file, toml, ConfigKey.WEBSOCKET, d.websocket()),
                (int) integer(file, toml, ConfigKey.BATCH_SIZE, d.batchSize()),
                (int) integer(file, toml, ConfigKey.PARK_AFTER_REJECTIONS, d.parkAfterRejections()),
                (int) integer(file, toml, ConfigKey.POLL_INTERVAL_SECONDS, d.pollIntervalSeconds()),
                schema(file, toml));
    }

    private static dev.speckitty.protocol.event.Generation schema(Path file, TomlParseResult toml) {
        String v = string(file, toml, ConfigKey.SCHEMA);
        if (v == null) {
            return SyncConfig.defaults().schema();
        }
        return ConfigKey.schemaOf(v).orElseThrow(() -> wrongType(file, toml, ConfigKey.SCHEMA, "\"2\" or \"3\""));
    }

    /** The settings from plainly parsed values, or {@code null} when one of ours has the wrong kind or range. */
    private static SyncConfig fromPlain(Map<String, Object> values) {
        SyncConfig d = SyncConfig.defaults();
        Object url = values.get(ConfigKey.SERVER_URL.dotted());
        Object websocket = values.get(ConfigKey.WEBSOCKET.dotted());
        long maxQueue = plainInteger(values, ConfigKey.MAX_QUEUE_SIZE, d.maxQueueSize());
        long batch = plainInteger(values, ConfigKey.BATCH_SIZE, d.batchSize());
        long park = plainInteger(values, ConfigKey.PARK_AFTER_REJECTIONS, d.parkAfterRejections());
        long poll = plainInteger(values, ConfigKey.POLL_INTERVAL_SECONDS, d.pollIntervalSeconds());
        Object schemaValue = values.get(ConfigKey.SCHEMA.dotted());
        java.util.Optional<dev.speckitty.protocol.event.Generation> schema = schemaValue == null ? java.util.Optional.of(d.schema())
                : schemaValue instanceof String text ? ConfigKey.schemaOf(text) : java.util.Optional.empty();
        if (schema.isEmpty() || (url != null && !(url instanceof String)) || (websocket != null && !(websocket instanceof Boolean))
                || maxQueue < 0 || batch < 0 || park < 0 || poll < 0) {
            return null;
        }
        return new SyncConfig(Optional.ofNullable((String) url), maxQueue,
                websocket == null ? d.websocket() : (Boolean) websocket, (int) batch, (int) park, (int) poll, schema.get());
    }

    /** The key's value, its default when absent, or -1 when it is not an integer in range. */
    private static long plainInteger(Map<String, Object> values, ConfigKey key, long fallback) {
        Object v = values.get(key.dotted());
        if (v == null) {
            return fallback;
        }
        return v instanceof Long n && n >= 1 && n <= key.maxValue() ? n : -1;
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

    /** Removes one key, so that its default applies; answers whether the file set it. */
    public static boolean unset(Path file, ConfigKey key) {
        Optional<String> text = Toml.readText(file);
        if (text.isEmpty()) {
            return false;
        }
        TomlParseResult before = Toml.parse(file, text.get());
        if (before.get(key.dotted()) == null) {
            return false;
        }
        String updated = TomlLineEditor.unset(text.get(), key.table(), key.key());
        TomlParseResult result = org.tomlj.Toml.parse(updated);
        if (result.hasErrors() || result.get(key.dotted()) != null) {
            throw new IllegalStateException("cannot remove " + key.dotted() + " from " + file
                    + ": its layout is too unusual to edit safely; delete the `" + key.key() + " = …` line under ["
                    + key.table() + "] by hand");
        }
        try {
            AtomicFile.write(file, updated, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return true;
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
