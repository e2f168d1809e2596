package dev.speckitty.protocol.wire;

/** An OAuth error answer (RFC 6749 §5.2, RFC 8628 §3.5): a code from a closed set and a sentence for people. */
public record OAuthError(String error, String errorDescription) {
    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
    public static final String INVALID_SCOPE = "invalid_scope";
    public static final String AUTHORIZATION_PENDING = "authorization_pending";
    public static final String SLOW_DOWN = "slow_down";
    public static final String ACCESS_DENIED = "access_denied";
    public static final String EXPIRED_TOKEN = "expired_token";
    public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";
}
