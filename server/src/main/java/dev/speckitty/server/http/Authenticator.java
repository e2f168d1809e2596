package dev.speckitty.server.http;

import dev.speckitty.server.store.Principal;
import dev.speckitty.server.store.TokenInfo;
import dev.speckitty.server.store.TokenKind;
import dev.speckitty.server.store.TokenStore;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns an {@code Authorization: Bearer} header into the account it belongs to, or an {@link ApiError}:
 * 401 when missing, unknown, expired or revoked; 403 when it is a token of the wrong kind or its
 * account was removed. Blocking (reads the database). Messages never include the token.
 */
public final class Authenticator {
    private final TokenStore tokens;
    private final Clock clock;

    public Authenticator(TokenStore tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The bearer token of an Authorization header value, if it has one. */
    public static Optional<String> bearer(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String h = header.get().trim();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return Optional.empty();
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** The account (and token family) of a live access token. */
    Principal access(Optional<String> header) {
        String token = bearer(header).orElseThrow(() -> new ApiError(HttpResponseStatus.UNAUTHORIZED,
                "missing bearer token: send Authorization: Bearer <access token> (log in with POST /api/v1/token/)"));
        TokenInfo info = tokens.find(token).orElseThrow(() -> new ApiError(HttpResponseStatus.UNAUTHORIZED,
                "unknown access token; log in again"));
        if (info.kind() != TokenKind.ACCESS) {
            throw new ApiError(HttpResponseStatus.FORBIDDEN, "this is a " + info.kind().dbName()
                    + " token, not an access token; send the access token from POST /api/v1/token/");
        }
        if (info.user().isEmpty()) {
            throw new ApiError(HttpResponseStatus.FORBIDDEN, "the account of this token was removed; ask the server admin");
        }
        if (info.revoked()) {
            throw new ApiError(HttpResponseStatus.UNAUTHORIZED, "access token revoked; log in again");
        }
        if (!info.expiresAt().isAfter(clock.instant())) {
            throw new ApiError(HttpResponseStatus.UNAUTHORIZED, "access token expired at " + info.expiresAt()
                    + "; refresh it with POST /api/v1/token/refresh/");
        }
        return new Principal(info.user().get(), info.family());
    }
}
