package dev.speckitty.protocol.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

/** Reads a TOML file with tomlj and turns its first parse error into a {@link MalformedFileException}. */
public final class Toml {
    private Toml() {
    }

    /** The parsed file, or empty when it does not exist. */
    public static Optional<TomlParseResult> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(parse(file, decode(file, bytes)));
    }

    /** TOML files are UTF-8; a bad byte is a malformed file at that line and column, not an I/O error. */
    private static String decode(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new MalformedFileException(file, line, offset - lineStart + 1,
                    String.format(Locale.ROOT, "byte 0x%02x is not valid UTF-8 (expected: a UTF-8 text file)", bytes[offset] & 0xff));
        }
        decoder.flush(out);
        return out.flip().toString();
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
