package dev.speckitty.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request copied off the event loop's buffers, so blocking handlers never touch a ByteBuf.
 * {@code path} is the raw path as sent; {@code client} the peer's address (for per-address limits).
 * Only the {@link #KEPT_HEADERS} are copied. {@code authorization} is kept out of {@link #toString()}, and the path is escaped there.
 */
public record Request(HttpMethod method, String path, Map<String, List<String>> query, Optional<String> authorization,
        Optional<String> contentEncoding, byte[] body, InetAddress client, Map<String, String> headers) {
    /** The headers besides Authorization and Content-Encoding a handler may read; names lowercase. */
    public static final List<String> KEPT_HEADERS = List.of("host", "cookie", "origin", "content-type", "x-team-slug");

    /** A kept header ({@link #KEPT_HEADERS}) by its lowercase name. */
    public Optional<String> header(String lowercaseName) {
        return Optional.ofNullable(headers.get(lowercaseName));
    }

    public Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    @Override
    public String toString() {
        return Clip.echo(method.name()) + " " + Clip.of(path, Clip.LOG);
    }
}
