package dev.speckitty.server.store;

/** What presenting a refresh token led to. */
public sealed interface Refresh {
    /**
     * New tokens: the successor pair, the same one again when the token was already rotated less than
     * {@link TokenStore#REFRESH_GRACE} ago (a retry whose first answer was lost).
     */
    record Renewed(User user, TokenPair tokens) implements Refresh {
    }

    /** Not a live refresh token: unknown, expired, revoked, or its account is gone. */
    record Refused() implements Refresh {
    }

    /** A token already rotated, presented after the grace: someone else may hold it, so its whole family was revoked. */
    record Reused() implements Refresh {
    }
}
