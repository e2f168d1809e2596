package dev.speckitty.cli.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the head of an HTTP/1.1 response (status line and headers) and frames the body by
 * {@code Content-Length}, {@code Transfer-Encoding: chunked}, or end of stream. Just enough HTTP for
 * the daemon's control API; stateless.
 */
final class HttpMessageReader {
    /** A head larger than this is not the daemon talking. */
    private static final int MAX_HEAD_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 100;

    record Head(int status, Map<String, String> headers) {
    }

    private HttpMessageReader() {
    }

    static Head readHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new IOException("the connection closed before any answer");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 status line: '" + abbreviate(statusLine) + "'");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad status code in '" + abbreviate(statusLine) + "'");
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; ; i++) {
            String line = readLine(in);
            if (line == null) {
                throw new IOException("the connection closed inside the response headers");
            }
            if (line.isEmpty()) {
                break;
            }
            if (i >= MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " response headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line '" + abbreviate(line) + "'");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Head(status, headers);
    }

    /** The body stream for a response with these headers. */
    static InputStream body(Head head, InputStream in) throws IOException {
        String te = head.headers().get("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new ChunkedInputStream(in);
        }
        String length = head.headers().get("content-length");
        if (length != null) {
            try {
                return new FixedLengthInputStream(in, Long.parseLong(length.trim()));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length '" + abbreviate(length) + "'");
            }
        }
        if (head.status() == 204 || head.status() == 304) {
            return InputStream.nullInputStream();
        }
        return in; // read to end of stream (Connection: close)
    }

    /** One CRLF- (or LF-) terminated line in ISO-8859-1, or null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        boolean any = false;
        while ((c = in.read()) != -1) {
            any = true;
            if (c == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_HEAD_LINE) {
                throw new IOException("line longer than " + MAX_HEAD_LINE + " bytes in the response head");
            }
            line.append((char) c);
        }
        if (any) {
            throw new IOException("the connection closed in the middle of a line");
        }
        return null;
    }

    private static String abbreviate(String s) {
        String printable = new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return printable.length() <= 80 ? printable : printable.substring(0, 80) + "…";
    }

    /** A message body, read in blocks; a single byte is a block of one. */
    abstract static class BodyInputStream extends InputStream {
        @Override
        public final int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }
    }

    /** A body of exactly {@code length} bytes; ending early is an error, not a short body. */
    static final class FixedLengthInputStream extends BodyInputStream {
        private final InputStream in;
        private long remaining;

        FixedLengthInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new IOException("the body ended " + remaining + " bytes short of its Content-Length");
            }
            remaining -= n;
            return n;
        }
    }

    /** A {@code Transfer-Encoding: chunked} body; trailers are read and ignored. */
    static final class ChunkedInputStream extends BodyInputStream {
        private final InputStream in;
        private long chunkRemaining;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkRemaining == 0) {
                chunkRemaining = nextChunkSize();
                if (chunkRemaining == 0) {
                    done = true;
                    while (true) { // trailers up to the empty line
                        String trailer = readLine(in);
                        if (trailer == null || trailer.isEmpty()) {
                            return -1;
                        }
                    }
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
            if (n < 0) {
                throw new IOException("the connection closed inside a chunk");
            }
            chunkRemaining -= n;
            if (chunkRemaining == 0) {
                String crlf = readLine(in);
                if (crlf == null || !crlf.isEmpty()) {
                    throw new IOException("missing CRLF after a chunk");
                }
            }
            return n;
        }

        private long nextChunkSize() throws IOException {
            String line = readLine(in);
            if (line == null) {
                throw new IOException("the connection closed before the last chunk");
            }
            int semi = line.indexOf(';');
            String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
            try {
                long size = Long.parseLong(hex, 16);
                if (size < 0) {
                    throw new NumberFormatException();
                }
                return size;
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size '" + abbreviate(line) + "'");
            }
        }
    }
}
