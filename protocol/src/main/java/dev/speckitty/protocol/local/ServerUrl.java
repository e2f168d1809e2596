package dev.speckitty.protocol.local;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks a team server URL: {@code https://} anywhere, {@code http://} only for loopback hosts. */
public final class ServerUrl {
    private ServerUrl() {
    }

    /** The URL without a trailing slash, or an {@link IllegalArgumentException} saying what to fix. */
    public static URI parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("server URL '" + text + "' is not a URL (" + e.getReason()
                    + "); set it with `spec-kitty config set sync.server_url https://your-server.example.com`");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("server URL '" + text + "' must look like https://host[:port]");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("server URL '" + text + "' uses http:// for a non-loopback host;"
                    + " use https:// (plain http is allowed only for localhost, 127.0.0.0/8 and ::1)");
        }
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    /** Whether the host names this machine's loopback interface. */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || h.matches("127(\\.\\d{1,3}){3}");
    }
}
