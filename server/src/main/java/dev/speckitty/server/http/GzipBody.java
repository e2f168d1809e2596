package dev.speckitty.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Inflates a gzip request body with a hard cap on the inflated size, checked while inflating: a gzip
 * bomb is refused after {@code cap} bytes, never inflated in full. Stateless.
 */
final class GzipBody {
    private GzipBody() {
    }

    static byte[] inflate(byte[] compressed, long cap) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(compressed.length * 4, 1 << 20));
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 64 * 1024)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > cap) {
                    throw new ApiError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body: inflates to more than " + cap
                            + " bytes (expected: at most " + cap + " bytes of JSON). Send fewer events per batch");
                }
                out.write(buf, 0, n);
            }
        } catch (EOFException e) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: truncated gzip data (expected: a complete gzip stream)");
        } catch (IOException e) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "body: not valid gzip (" + e.getMessage()
                    + "); send the JSON gzip-compressed with Content-Encoding: gzip");
        }
        return out.toByteArray();
    }
}
