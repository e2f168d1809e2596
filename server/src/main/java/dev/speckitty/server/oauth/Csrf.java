package dev.speckitty.server.oauth;

import dev.speckitty.server.store.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CSRF protection of the sign-in forms by double submit: the page sets a random token in a cookie
 * ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over TLS) and in a hidden field; a
 * posted form is taken only when both are present and equal (compared in constant time). Another
 * site can make a browser post a form but can neither read nor set the cookie, and a strict cookie
 * is not even sent with a cross-site post. Stateless.
 */
final class Csrf {
    static final String COOKIE = "sk_csrf";
    static final String FIELD = "csrf";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Csrf() {
    }

    /** The token already in the browser's cookie, or a new one. */
    static String tokenFor(Optional<String> cookieHeader) {
        return fromCookie(cookieHeader).orElseGet(Tokens::newToken);
    }

    static String setCookie(String token, boolean tls) {
        return COOKIE + "=" + token + "; Path=/; Max-Age=1800; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
    }

    /** Whether a posted form's token matches its cookie. */
    static boolean valid(Optional<String> cookieHeader, Optional<String> field) {
        Optional<String> cookie = fromCookie(cookieHeader);
        return cookie.isPresent() && field.isPresent() && MessageDigest.isEqual(cookie.get().getBytes(StandardCharsets.US_ASCII),
                field.get().getBytes(StandardCharsets.US_ASCII));
    }

    private static Optional<String> fromCookie(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        for (String part : header.get().split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                String v = p.substring(COOKIE.length() + 1);
                if (TOKEN.matcher(v).matches()) {
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }
}
