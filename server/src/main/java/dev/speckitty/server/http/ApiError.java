package dev.speckitty.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Ends a request early with an error status and a message the client can act on. */
final class ApiError extends RuntimeException {
    private final HttpResponseStatus status;

    ApiError(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    Reply reply() {
        return Reply.error(status, getMessage());
    }
}
