package dev.speckitty.server.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/** PKCE (RFC 7636), S256 only: the shapes of a verifier and a challenge, and the check of one against the other. Stateless. */
final class Pkce {
    /** 43 to 128 unreserved characters (§4.1). */
    static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    /** Unpadded base64url of a SHA-256: 43 characters (§4.2). */
    static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Pkce() {
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Whether {@code verifier} is well formed and its S256 challenge is {@code challenge} (compared in constant time). */
    static boolean matches(String verifier, String challenge) {
        return verifier != null && VERIFIER.matcher(verifier).matches() && MessageDigest.isEqual(
                challenge(verifier).getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII));
    }
}
