package dev.speckitty.server.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How the server's OAuth 2.0 endpoints behave: how long a device code and an authorization code
 * live, the device flow's polling interval (and what {@code slow_down} adds to it), how many codes may
 * be waiting at once (server-wide), and the URL users reach the server at (for the verification page
 * and the ws URL; the request's Host header when absent). docs/SECURITY.md lists the defaults.
 */
public record OAuthOptions(Duration deviceCodeTtl, Duration authorizationCodeTtl, Duration pollInterval, Duration slowDownStep,
        int maxLiveCodes, Optional<URI> publicUrl) {

    public OAuthOptions {
        positive("deviceCodeTtl", deviceCodeTtl);
        positive("authorizationCodeTtl", authorizationCodeTtl);
        positive("pollInterval", pollInterval);
        positive("slowDownStep", slowDownStep);
        if (maxLiveCodes < 1) {
            throw new IllegalArgumentException("maxLiveCodes: " + maxLiveCodes + " (expected: >= 1)");
        }
        publicUrl = publicUrl == null ? Optional.empty() : publicUrl;
        publicUrl.ifPresent(u -> {
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("public url: '" + u + "' (expected: http(s)://HOST[:PORT])");
            }
        });
    }

    /** Device codes 15 min, authorization codes 60 s, polling every 5 s (+5 s per slow_down), 10,000 codes waiting at most. */
    public static OAuthOptions defaults() {
        return new OAuthOptions(Duration.ofMinutes(15), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(5), 10_000,
                Optional.empty());
    }

    public OAuthOptions withDeviceCodeTtl(Duration v) {
        return new OAuthOptions(v, authorizationCodeTtl, pollInterval, slowDownStep, maxLiveCodes, publicUrl);
    }

    public OAuthOptions withAuthorizationCodeTtl(Duration v) {
        return new OAuthOptions(deviceCodeTtl, v, pollInterval, slowDownStep, maxLiveCodes, publicUrl);
    }

    public OAuthOptions withPollInterval(Duration v) {
        return new OAuthOptions(deviceCodeTtl, authorizationCodeTtl, v, slowDownStep, maxLiveCodes, publicUrl);
    }

    public OAuthOptions withMaxLiveCodes(int v) {
        return new OAuthOptions(deviceCodeTtl, authorizationCodeTtl, pollInterval, slowDownStep, v, publicUrl);
    }

    public OAuthOptions withPublicUrl(URI v) {
        return new OAuthOptions(deviceCodeTtl, authorizationCodeTtl, pollInterval, slowDownStep, maxLiveCodes, Optional.of(v));
    }

    private static void positive(String name, Duration v) {
        if (v == null || v.isNegative() || v.isZero()) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
        }
    }
}
