package dev.speckitty.server.http;

import dev.speckitty.protocol.wire.TokenRequest;
import dev.speckitty.server.oauth.OAuthEndpoints;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/token/}: throttled per client address (checked on the event loop, before the
 * request takes a place anywhere) and per username, then hashed on the login executor, a small bounded
 * pool of its own, so password hashing never delays pulls, batches or WebSocket traffic. A full queue
 * answers 503 at once rather than waiting. Thread-safe; the throttle holds the only state.
 */
public final class Logins {
    private static final Logger LOG = LoggerFactory.getLogger(Logins.class);

    private final Endpoints endpoints;
    private final LoginThrottle throttle;
    private final Executor executor;

    public Logins(Endpoints endpoints, LoginThrottle throttle, Executor executor) {
        this.endpoints = endpoints;
        this.throttle = throttle;
        this.executor = executor;
    }

    /** Answers a login, on another thread or (when refused at once) on this one. */
    void answer(Request req, Consumer<Reply> done) {
        Optional<Duration> wait = throttle.takeAddress(req.client());
        if (wait.isPresent()) {
            done.accept(tooMany("from your address", wait.get()));
            return;
        }
        try {
            executor.execute(() -> done.accept(login(req)));
        } catch (RejectedExecutionException e) {
            done.accept(Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many logins in progress; retry in a second")
                    .withHeader("Retry-After", "1"));
        }
    }

    /**
     * Answers a posted sign-in form of the OAuth pages under the same throttle and on the same
     * executor as password logins: one budget of guesses, whichever door they knock on.
     */
    void answerPage(Request req, Consumer<Reply> done) {
        Optional<Duration> wait = throttle.takeAddress(req.client());
        if (wait.isPresent()) {
            done.accept(OAuthEndpoints.throttledPage(wait.get()));
            return;
        }
        try {
            executor.execute(() -> {
                Reply reply;
                try {
                    reply = endpoints.oauth().signIn(req, throttle);
                } catch (RuntimeException e) {
                    LOG.error("{} failed", req, e);
                    reply = Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error while signing in; "
                            + "the server log has the details, retry later");
                }
                done.accept(reply);
            });
        } catch (RejectedExecutionException e) {
            done.accept(Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many logins in progress; retry in a second")
                    .withHeader("Retry-After", "1"));
        }
    }

    private Reply login(Request req) {
        try {
            TokenRequest body = endpoints.loginRequest(req);
            Optional<Duration> wait = throttle.takeUser(body.username());
            if (wait.isPresent()) {
                return tooMany("for user '" + Clip.echo(body.username()) + "'", wait.get());
            }
            Reply reply = endpoints.login(body);
            if (reply.status().code() == 200) {
                throttle.succeeded(req.client(), body.username());
            }
            return reply;
        } catch (ApiError e) {
            return e.reply();
        } catch (RuntimeException e) {
            LOG.error("{} failed", req, e);
            return Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error while logging in; "
                    + "the server log has the details, retry later");
        }
    }

    private static Reply tooMany(String whose, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Reply.error(HttpResponseStatus.TOO_MANY_REQUESTS, "too many login attempts " + whose + "; retry in "
                + seconds + " s").withHeader("Retry-After", Long.toString(seconds));
    }
}
