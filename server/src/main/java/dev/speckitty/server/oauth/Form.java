package dev.speckitty.server.oauth;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code application/x-www-form-urlencoded} body or query, as OAuth reads it: each parameter at
 * most once (RFC 6749 §3.1), each value at most {@link #MAX_VALUE} characters, at most
 * {@link #MAX_PARAMS} parameters. A violation is a {@link FormException} naming the parameter.
 */
record Form(Map<String, String> values) {
    static final int MAX_VALUE = 2048;
    static final int MAX_PARAMS = 32;

    static final class FormException extends RuntimeException {
        FormException(String message) {
            super(message, null, false, false);
        }
    }

    static Form parseBody(byte[] body) {
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    static Form parse(String encoded) {
        Map<String, List<String>> raw;
        try {
            raw = new QueryStringDecoder(encoded, StandardCharsets.UTF_8, false, MAX_PARAMS + 1).parameters();
        } catch (IllegalArgumentException e) {
            throw new FormException("the form cannot be decoded (expected: name=value pairs, percent-escaped)");
        }
        return of(raw);
    }

    /** A decoded query, under the same rules. */
    static Form of(Map<String, List<String>> decoded) {
        if (decoded.size() > MAX_PARAMS) {
            throw new FormException("more than " + MAX_PARAMS + " parameters");
        }
        Map<String, String> values = new java.util.HashMap<>();
        for (Map.Entry<String, List<String>> e : decoded.entrySet()) {
            String name = Pages.clip(e.getKey(), 40);
            if (e.getValue().size() != 1) {
                throw new FormException(name + ": sent " + e.getValue().size() + " times (expected: once)");
            }
            if (e.getValue().get(0).length() > MAX_VALUE) {
                throw new FormException(name + ": " + e.getValue().get(0).length() + " characters (expected: at most " + MAX_VALUE + ")");
            }
            values.put(e.getKey(), e.getValue().get(0));
        }
        return new Form(Map.copyOf(values));
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
    }

    String require(String name) {
        return get(name).orElseThrow(() -> new FormException(name + ": missing"));
    }
}
