package dev.speckitty.server.oauth;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The URL a client reached this server at: the configured public URL, else the request's scheme and
 * Host header (a host name or address and an optional port, nothing else, so it is safe to put in a
 * page or an answer). Stateless.
 */
public final class PublicUrl {
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?");

    private PublicUrl() {
    }

    /** {@code http(s)://host[:port]} without a trailing slash; empty when no URL is configured and the Host header is missing or malformed. */
    public static Optional<String> of(Optional<URI> configured, boolean tls, Optional<String> hostHeader) {
        if (configured.isPresent()) {
            String u = configured.get().toString();
            return Optional.of(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        }
        return hostHeader.map(String::trim).filter(h -> HOST.matcher(h).matches()).map(h -> (tls ? "https://" : "http://") + h);
    }

    /** The WebSocket URL of the same server: {@code ws(s)://…}. */
    public static String websocket(String httpBase) {
        return httpBase.startsWith("https://") ? "wss://" + httpBase.substring(8) : "ws://" + httpBase.substring(7);
    }
}
