package dev.speckitty.protocol.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            text = "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Toml.parse(file, text); // refuse to edit a file we cannot read back
        String updated = edit(text, key.table(), key.key(), literal);
        checkEdit(file, key, literal, updated);
        try {
            AtomicFile.write(file, updated, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The line editor below knows only simple layouts; rather than write a file that no longer
     * parses or that says something else, refuse and tell the user to edit it by hand.
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

    /** A table header line such as {@code [sync]} or {@code [[servers]]}, with an optional comment. */
    private static final Pattern HEADER = Pattern.compile("\\s*\\[\\[?\\s*([A-Za-z0-9_.\\-\" ]+?)\\s*]]?\\s*(#.*)?", Pattern.DOTALL);

    /**
     * Replaces {@code name = …} inside {@code [table]} (or {@code table.name = …} before the first
     * table), keeping the line's indentation and trailing comment; or appends it to the table; or
     * appends the table.
     */
    static String edit(String text, String table, String name, String literal) {
        List<String> lines = new ArrayList<>(text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        String assignment = name + " = " + literal;
        Pattern inTable = assignmentOf(Pattern.quote(name));
        Pattern inRoot = assignmentOf(Pattern.quote(table) + "\\s*\\.\\s*\"?" + Pattern.quote(name));
        boolean inRootSection = true;
        int tableStart = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher header = HEADER.matcher(line);
            if (header.matches()) {
                inRootSection = false;
                if (tableStart >= 0) {
                    lines.add(lastContentLine(lines, tableStart, i) + 1, assignment);
                    return String.join("\n", lines) + "\n";
                }
                if (header.group(1).replace("\"", "").replace(" ", "").equals(table) && !line.trim().startsWith("[[")) {
                    tableStart = i;
                }
                continue;
            }
            Pattern target = tableStart >= 0 ? inTable : inRootSection ? inRoot : null;
            Matcher m = target == null ? null : target.matcher(line);
            if (m != null && m.matches()) {
                String kept = tableStart >= 0 ? assignment : table + "." + assignment;
                lines.set(i, m.group(1) + kept + trailingComment(m.group(2)));
                return String.join("\n", lines) + "\n";
            }
        }
        if (tableStart >= 0) {
            lines.add(lastContentLine(lines, tableStart, lines.size()) + 1, assignment);
        } else {
            if (!lines.isEmpty()) {
                lines.add("");
            }
            lines.add("[" + table + "]");
            lines.add(assignment);
        }
        return String.join("\n", lines) + "\n";
    }

    /** {@code key = value}, the key bare or quoted; group 1 is the indentation, group 2 the value and the rest of the line. */
    private static Pattern assignmentOf(String quotedKey) {
        return Pattern.compile("(\\s*)\"?" + quotedKey + "\"?\\s*=(.*)", Pattern.DOTALL);
    }

    /** The comment after a value (with the spaces before it), or "" — a '#' inside a string is not one. */
    static String trailingComment(String valueAndRest) {
        char quote = 0;
        for (int i = 0; i < valueAndRest.length(); i++) {
            char c = valueAndRest.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                int start = i;
                while (start > 0 && Character.isWhitespace(valueAndRest.charAt(start - 1))) {
                    start--;
                }
                return valueAndRest.substring(start);
            }
        }
        return "";
    }

    private static int lastContentLine(List<String> lines, int from, int to) {
        int last = from;
        for (int i = from; i < to; i++) {
            if (!lines.get(i).isBlank()) {
                last = i;
            }
        }
        return last;
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
