package dev.speckitty.server.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Which redirect URIs the native client may use (RFC 8252 §7.3): plain http to a loopback address
 * (127.0.0.1, [::1] or localhost) with an explicit port, any path, no user info and no fragment. Any
 * other URI is a foreign redirect, refused without redirecting (RFC 6749 §4.1.2.1). The exchange must
 * then present the very same string. Stateless.
 */
final class RedirectUris {
    private RedirectUris() {
    }

    /** Why {@code uri} is not an allowed redirect; empty when it is. */
    static Optional<String> problem(String uri) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("it is not a URI");
        }
        if (!"http".equals(u.getScheme())) {
            return Optional.of("it is not http:// (a loopback redirect is plain http)");
        }
        String host = u.getHost();
        if (host == null || !(host.equals("127.0.0.1") || host.equals("[::1]") || host.equalsIgnoreCase("localhost"))) {
            return Optional.of("its host is not 127.0.0.1, [::1] or localhost: only a redirect to this machine is allowed");
        }
        if (u.getPort() < 1) {
            return Optional.of("it has no port");
        }
        if (u.getRawUserInfo() != null || u.getRawFragment() != null) {
            return Optional.of("it has user info or a fragment");
        }
        return Optional.empty();
    }

    /** The origin ({@code http://host:port}) of an allowed redirect, for the page's form-action. */
    static String origin(String uri) {
        URI u = URI.create(uri);
        return "http://" + u.getHost() + ":" + u.getPort();
    }
}
