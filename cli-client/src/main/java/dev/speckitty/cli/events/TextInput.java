package dev.speckitty.cli.events;

import dev.speckitty.cli.CliException;
import dev.speckitty.protocol.event.EventLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Event text from a file, stdin or the command line, read as strict UTF-8: a byte that is not UTF-8
 * is refused with where it is (never replaced and queued), a UTF-8 byte-order mark at the start is
 * skipped (editors on Windows write one), and nothing longer than an event may be is read. Stateless.
 */
final class TextInput {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private TextInput() {
    }

    /** {@code bytes} as UTF-8 (without a leading BOM), or empty with the offset of the first bad byte in {@code badAt}. */
    static Optional<String> decode(byte[] bytes, int from, int to, int[] badAt) {
        int start = from;
        if (to - from >= 3 && bytes[from] == BOM[0] && bytes[from + 1] == BOM[1] && bytes[from + 2] == BOM[2]) {
            start += 3;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, to - start);
        CharBuffer out = CharBuffer.allocate(to - start);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            badAt[0] = in.position() - from;
            return Optional.empty();
        }
        decoder.flush(out);
        return Optional.of(out.flip().toString());
    }

    /**
     * The {@code --payload} value: the text itself, {@code @FILE} for a file's contents, or {@code -}
     * for stdin. Text the JVM could not decode from the command line (it became U+FFFD) is refused.
     */
    static String payload(String value, Path cwd, InputStream stdin) {
        if (value.equals("-") || value.startsWith("@")) {
            String source = value.equals("-") ? "stdin" : value.substring(1);
            byte[] bytes = readBounded(value.equals("-") ? null : cwd.resolve(source), stdin, source);
            int[] bad = new int[1];
            return decode(bytes, 0, bytes.length, bad).orElseThrow(() -> CliException.usage(
                    "--payload " + value + ": byte " + (bad[0] + 1) + " of " + source + " is not valid UTF-8; nothing was queued"));
        }
        if (value.indexOf('\uFFFD') >= 0) {
            throw CliException.usage("--payload holds bytes that are not valid UTF-8 (or the locale is not UTF-8); nothing was queued."
                    + " Pass the payload in a UTF-8 file with --payload @FILE, or set LANG=C.UTF-8");
        }
        return value.startsWith("\uFEFF") ? value.substring(1) : value;
    }

    /** At most one event's worth of bytes from {@code file} (or stdin when null), or a usage error past it. */
    private static byte[] readBounded(Path file, InputStream stdin, String source) {
        try (InputStream in = file == null ? InputStream.nullInputStream() : Files.newInputStream(file)) {
            byte[] bytes = (file == null ? stdin : in).readNBytes(EventLimits.MAX_EVENT_BYTES + 1);
            if (bytes.length > EventLimits.MAX_EVENT_BYTES) {
                throw CliException.usage("--payload: " + source + " is larger than an event may be (" + EventLimits.MAX_EVENT_BYTES / 1024
                        + " KiB); nothing was queued");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw CliException.usage("--payload @" + source + ": no such file");
        } catch (IOException e) {
            throw CliException.usage("--payload: cannot read " + source + " (" + dev.speckitty.cli.ErrorText.of(e) + ")");
        }
    }

}
