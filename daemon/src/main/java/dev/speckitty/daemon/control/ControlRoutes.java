package dev.speckitty.daemon.control;

import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.Timestamps;
import dev.speckitty.protocol.wire.ErrorResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The control API's routes: matches a request to a {@link ControlService} call, runs the call on the
 * blocking executor, and writes the answer through a {@link ControlReply}. Stateless apart from its
 * collaborators; shared by every connection.
 */
final class ControlRoutes {
    static final String JSON = "application/json";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    /** A route's work, run on the blocking executor. */
    private interface Action {
        void run(ControlRequest request, ControlReply reply) throws Exception;
    }

    private record Route(HttpMethod method, Action action) {
    }

    private final ControlService service;
    private final Executor blocking;
    private final Clock clock;
    private final Map<String, Route> routes;

    ControlRoutes(ControlService service, Executor blocking, Clock clock) {
        this.service = service;
        this.blocking = blocking;
        this.clock = clock;
        this.routes = Map.of(
                ControlApi.STATUS, new Route(HttpMethod.GET, (q, r) -> json(r, HttpResponseStatus.OK, service.status())),
                ControlApi.DAEMON, new Route(HttpMethod.GET, (q, r) -> json(r, HttpResponseStatus.OK, service.daemonInfo())),
                ControlApi.EVENTS, new Route(HttpMethod.POST, this::enqueue),
                ControlApi.SYNC, new Route(HttpMethod.POST, this::sync),
                ControlApi.METRICS, new Route(HttpMethod.GET, (q, r) -> r.full(HttpResponseStatus.OK, PROMETHEUS,
                        bytes(service.metrics()), Map.of(), null)),
                ControlApi.SHUTDOWN, new Route(HttpMethod.POST, this::shutdown),
                ControlApi.PARKED, new Route(HttpMethod.GET, (q, r) -> json(r, HttpResponseStatus.OK, service.parked())),
                ControlApi.PARKED_RETRY, new Route(HttpMethod.POST, (q, r) -> json(r, HttpResponseStatus.OK,
                        Map.of("count", service.retryParked(body(q, ParkedAction.class))))),
                ControlApi.PARKED_DISCARD, new Route(HttpMethod.POST, (q, r) -> json(r, HttpResponseStatus.OK,
                        Map.of("count", service.discardParked(body(q, ParkedAction.class))))));
    }

    /** Answers {@code request}; called on the event loop, returns at once. */
    void dispatch(ControlRequest request, ControlReply reply) {
        Route route = routes.get(request.path());
        if (route == null) {
            error(reply, HttpResponseStatus.NOT_FOUND, ErrorResponse.of("no such control API path: " + request.path()
                    + " (known: " + String.join(", ", routes.keySet().stream().sorted().toList())
                    + "); is the CLI newer than the daemon? Run `spec-kitty daemon restart`"), Map.of());
            return;
        }
        if (!route.method().equals(request.method())) {
            error(reply, HttpResponseStatus.METHOD_NOT_ALLOWED, ErrorResponse.of(request.method() + " " + request.path()
                    + " is not supported (expected: " + route.method() + ")"),
                    Map.of(HttpHeaderNames.ALLOW.toString(), route.method().name()));
            return;
        }
        try {
            blocking.execute(() -> {
                try {
                    route.action().run(request, reply);
                } catch (Throwable t) {
                    ErrorReplies.Reply e = ErrorReplies.of(t, request.method() + " " + request.path());
                    error(reply, e.status(), e.body(), Map.of());
                }
            });
        } catch (RejectedExecutionException e) {
            error(reply, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    ErrorResponse.of("the daemon is shutting down; run `spec-kitty daemon start` and try again"), Map.of());
        }
    }

    /** Answered once the events are committed, from the thread that committed them (the control thread is free meanwhile). */
    private void enqueue(ControlRequest q, ControlReply r) {
        requireBody(q, EnqueueRequest.class);
        // Read within the daemon's bounds: the events, their nesting and the values of all requests at once.
        EnqueueRequest request = dev.speckitty.protocol.control.EnqueueRequestReader.read(q.body(), q.ticket());
        service.enqueueLater(request, q.body().length).whenComplete((response, failure) -> {
            if (failure == null) {
                json(r, HttpResponseStatus.OK, response);
                return;
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            ErrorReplies.Reply e = ErrorReplies.of(cause, "POST " + ControlApi.EVENTS);
            error(r, e.status(), e.body(), Map.of());
        });
    }

    private void sync(ControlRequest q, ControlReply r) {
        SyncRequest request = q.hasBody() ? body(q, SyncRequest.class) : new SyncRequest(false, false);
        if (request.dryRun()) {
            json(r, HttpResponseStatus.OK, service.dryRun());
            return;
        }
        SyncSummary summary;
        try {
            summary = service.sync(request, update -> {
                // The summary line is ours to write, last, from the returned value.
                if (!(update instanceof SyncUpdate.Summary)) {
                    r.line(ControlApi.NDJSON, Json.writeBytes(update));
                }
            });
        } catch (RuntimeException | Error e) {
            if (!r.streaming()) {
                throw e; // nothing sent yet: answer with a proper error status
            }
            ErrorReplies.of(e, "POST " + ControlApi.SYNC); // logs it
            summary = new SyncSummary(false, null, 0, 0, 0, 0, 0, 0, 0, List.of(), ErrorReplies.internal(e), null, 0,
                    Timestamps.format(clock.instant()));
        }
        r.line(ControlApi.NDJSON, Json.writeBytes(SyncUpdate.summary(summary)));
        r.endStream();
    }

    private void shutdown(ControlRequest q, ControlReply r) {
        r.full(HttpResponseStatus.ACCEPTED, JSON, Json.writeBytes(Map.of("status", "shutting down")), Map.of(),
                () -> runQuietly(service::shutdown));
    }

    private void runQuietly(Runnable task) {
        try {
            blocking.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // shutdown() returns at once by contract, so running it here is harmless
        }
    }

    /**
     * Bodies other than {@code POST /v1/events}'s, at most: read whole by databind, outside the request
     * budget's count of values, so kept small (a body of 32 MiB of {@code ""} would be ten million
     * strings). A list of parked ids this long holds about 37,000.
     */
    static final int MAX_OTHER_BODY_BYTES = 1 << 20;

    private static void requireBody(ControlRequest q, Class<?> type) {
        if (!q.hasBody()) {
            throw new IllegalArgumentException(q.method() + " " + q.path() + " needs a JSON body (" + type.getSimpleName() + ")");
        }
    }

    private static <T> T body(ControlRequest q, Class<T> type) {
        requireBody(q, type);
        if (q.body().length > MAX_OTHER_BODY_BYTES) {
            throw new dev.speckitty.protocol.control.RequestTooLargeException("a body of " + q.body().length + " bytes for "
                    + q.method() + " " + q.path() + " (expected: at most " + (MAX_OTHER_BODY_BYTES >> 20) + " MiB)");
        }
        return Json.read(q.body(), type);
    }

    private static void json(ControlReply r, HttpResponseStatus status, Object body) {
        r.full(status, JSON, Json.writeBytes(body), Map.of(), null);
    }

    private static void error(ControlReply r, HttpResponseStatus status, ErrorResponse body, Map<String, String> headers) {
        r.full(status, JSON, Json.writeBytes(body), headers, null);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
