package dev.speckitty.server.http;

import dev.speckitty.protocol.wire.ErrorDetail;
import dev.speckitty.protocol.wire.ErrorResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;

/**
 * An answer: status, a body serialized with the protocol's Json codec (or, as {@link RawJson}, already
 * serialized; or, as {@link Raw}, of another media type), and extra headers.
 */
public record Reply(HttpResponseStatus status, Object body, Map<String, String> headers) {
    /** A body that is JSON already. */
    public record RawJson(byte[] bytes) {
    }

    /** A body of another media type (the sign-in pages' HTML), sent as it is. */
    public record Raw(String contentType, byte[] bytes) {
    }

    public static Reply ok(Object body) {
        return new Reply(HttpResponseStatus.OK, body, Map.of());
    }

    /** 200 with a body that is JSON already. */
    public static Reply okJson(byte[] json) {
        return new Reply(HttpResponseStatus.OK, new RawJson(json), Map.of());
    }

    public static Reply error(HttpResponseStatus status, String message) {
        return new Reply(status, ErrorResponse.of(message), Map.of());
    }

    public static Reply error(HttpResponseStatus status, String message, List<ErrorDetail> details) {
        return new Reply(status, new ErrorResponse(message, details), Map.of());
    }

    public Reply withHeader(String name, String value) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, body, Map.copyOf(h));
    }
}
