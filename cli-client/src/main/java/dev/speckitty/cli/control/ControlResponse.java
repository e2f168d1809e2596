package dev.speckitty.cli.control;

import dev.speckitty.protocol.control.LeanJson;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import dev.speckitty.protocol.wire.ErrorResponse;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One control-API answer: status, headers (names lower-cased) and the body as a stream, already
 * de-chunked. Closing it closes the connection. Used by one thread.
 */
public final class ControlResponse implements Closeable {
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;
    private final Closeable connection;

    ControlResponse(int status, Map<String, String> headers, InputStream body, Closeable connection) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.connection = connection;
    }

    public int status() {
        return status;
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** A header by case-insensitive name. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The body as it arrives, for NDJSON streams. */
    public InputStream body() {
        return body;
    }

    /** The whole body. */
    public byte[] bytes() {
        try {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new ControlApiException("the daemon's answer was cut off (" + e.getMessage() + ")", e);
        }
    }

    /** The whole body as JSON of the given type. */
    public <T> T json(Class<T> type) {
        byte[] bytes = bytes();
        try {
            return Json.read(bytes, type);
        } catch (JsonException e) {
            throw new ControlApiException("the daemon answered HTTP " + status + " with a body that is not a "
                    + type.getSimpleName() + " (" + e.getMessage() + ")", e);
        }
    }

    /** The whole body as a JSON tree, read without databind's mapper (see {@link LeanJson}). */
    public com.fasterxml.jackson.databind.JsonNode tree() {
        byte[] bytes = bytes();
        try {
            return LeanJson.tree(bytes);
        } catch (JsonException e) {
            throw new ControlApiException("the daemon answered HTTP " + status + " with a body that is not JSON (" + e.getMessage() + ")", e);
        }
    }

    /** The body as an {@link ErrorResponse}; a body that is not one becomes its text as the error. */
    public ErrorResponse error() {
        byte[] bytes = bytes();
        try {
            ErrorResponse e = Json.read(bytes, ErrorResponse.class);
            if (e.error() != null) {
                return e;
            }
        } catch (JsonException | UncheckedIOException ignored) {
            // not the documented error shape: fall through and show the raw text
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
        return ErrorResponse.of("HTTP " + status + (text.isEmpty() ? "" : ": " + text));
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException ignored) {
            // closing a Unix socket we are done with: nothing useful to do on failure
        }
    }
}
