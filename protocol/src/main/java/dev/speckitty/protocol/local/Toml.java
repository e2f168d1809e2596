package dev.speckitty.protocol.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

/** Reads a TOML file with tomlj and turns its first parse error into a {@link MalformedFileException}. */
public final class Toml {
    private Toml() {
    }

    /** The parsed file, or empty when it does not exist. */
    public static Optional<TomlParseResult> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(parse(file, text));
    }

    /** Parses TOML text that came from {@code file}. */
    public static TomlParseResult parse(Path file, String text) {
        TomlParseResult result = org.tomlj.Toml.parse(text);
        if (result.hasErrors()) {
            TomlParseError first = result.errors().get(0);
            throw new MalformedFileException(file, first.position().line(), first.position().column(), first.getMessage());
        }
        return result;
    }

    /** A TOML basic string literal with quotes and escapes. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
