package dev.speckitty.cli.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * The NDJSON an import reads twice (once to check every line, once to queue them): the named file,
 * or standard input copied to a private temporary file (0600, deleted on close), so that neither
 * pass holds the events in memory. {@link Lines} reads it line by line, each line bounded.
 */
final class NdjsonFile implements AutoCloseable {
    private final Path path;
    private final boolean spooled;

    private NdjsonFile(Path path, boolean spooled) {
        this.path = path;
        this.spooled = spooled;
    }

    static NdjsonFile of(Path file) {
        return new NdjsonFile(file, false);
    }

    /** {@code in} copied to a temporary file that only this user can read. */
    static NdjsonFile spool(InputStream in) throws IOException {
        Path tmp;
        try {
            tmp = Files.createTempFile("spec-kitty-import-", ".ndjson", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile("spec-kitty-import-", ".ndjson");
        }
        try (OutputStream out = Files.newOutputStream(tmp)) {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new NdjsonFile(tmp, true);
    }

    Lines lines(int maxLineBytes) throws IOException {
        return new Lines(Files.newInputStream(path), maxLineBytes);
    }

    @Override
    public void close() throws IOException {
        if (spooled) {
            Files.deleteIfExists(path);
        }
    }

    /** The lines of a stream, without their line ending; a line longer than the bound is cut and flagged. */
    static final class Lines implements AutoCloseable {
        private final InputStream in;
        private final int max;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int end;
        private int number;
        private boolean tooLong;
        private byte[] line = new byte[1024];

        Lines(InputStream in, int maxLineBytes) {
            this.in = in;
            this.max = maxLineBytes;
        }

        /** The next line (a copy), or null at the end. */
        byte[] next() throws IOException {
            int length = 0;
            boolean any = false;
            tooLong = false;
            while (true) {
                if (pos == end) {
                    end = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (end <= 0) {
                        end = 0;
                        break;
                    }
                }
                any = true;
                int nl = pos;
                while (nl < end && buf[nl] != '\n') {
                    nl++;
                }
                int take = Math.min(nl - pos, max - length);
                if (take < nl - pos) {
                    tooLong = true;
                }
                if (length + take > line.length) {
                    line = Arrays.copyOf(line, Math.max(length + take, line.length * 2));
                }
                System.arraycopy(buf, pos, line, length, take);
                length += take;
                pos = nl;
                if (nl < end) {
                    pos++; // the '\n'
                    break;
                }
            }
            if (!any) {
                return null;
            }
            number++;
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            return Arrays.copyOf(line, length);
        }

        /** The number of the line {@link #next} returned last, from 1. */
        int number() {
            return number;
        }

        /** Whether that line was longer than the bound (and was cut). */
        boolean tooLong() {
            return tooLong;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
