package dev.speckitty.daemon.control;

import dev.speckitty.engine.store.DiskFullException;
import dev.speckitty.engine.store.QueueFullException;
import dev.speckitty.protocol.event.InvalidEventException;
import dev.speckitty.protocol.json.JsonException;
import dev.speckitty.protocol.local.ClockCeilingException;
import dev.speckitty.protocol.wire.ErrorDetail;
import dev.speckitty.protocol.wire.ErrorResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps what a service call threw to the HTTP status and {@link ErrorResponse} the CLI reads. Stateless. */
final class ErrorReplies {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);

    /** One error answer. */
    record Reply(HttpResponseStatus status, ErrorResponse body) {
    }

    private ErrorReplies() {
    }

    static Reply of(Throwable t, String route) {
        if (t instanceof InvalidEventException e) {
            return new Reply(HttpResponseStatus.BAD_REQUEST, new ErrorResponse(
                    "invalid event; nothing was queued: " + e.getMessage(),
                    e.violations().stream().map(v -> new ErrorDetail(null, v.toString())).collect(Collectors.toList())));
        }
        if (t instanceof QueueFullException || t instanceof DiskFullException) {
            return new Reply(HttpResponseStatus.INSUFFICIENT_STORAGE, ErrorResponse.of(t.getMessage()));
        }
        if (t instanceof dev.speckitty.engine.GroupCommit.ClosedException) {
            return new Reply(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorResponse.of(t.getMessage()));
        }
        if (t instanceof dev.speckitty.protocol.control.RequestTooLargeException) {
            return new Reply(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ErrorResponse.of("nothing was queued: " + t.getMessage()));
        }
        if (t instanceof RequestBudget.BusyException) {
            return new Reply(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorResponse.of(t.getMessage()));
        }
        if (t instanceof JsonException e) {
            return new Reply(HttpResponseStatus.BAD_REQUEST, ErrorResponse.of("malformed request body for " + route
                    + ": " + e.getMessage() + "; send the JSON documented in docs/CLI.md"));
        }
        if (t instanceof ClockCeilingException e) {
            // Not a bug to report: the message says what to do about the clock file.
            LOG.warn("control API: {} refused: {}", route, e.getMessage());
            return new Reply(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorResponse.of(e.getMessage()));
        }
        if (t instanceof IllegalArgumentException e) {
            return new Reply(HttpResponseStatus.BAD_REQUEST, ErrorResponse.of(e.getMessage()));
        }
        LOG.error("control API: {} failed", route, t);
        return new Reply(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorResponse.of(internal(t)));
    }

    static String internal(Throwable t) {
        return "internal error: " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())
                + "; see `spec-kitty daemon logs`";
    }
}
